/*
 * writer_error.c — the writer's messages (writer_internal.h): every file of
 * the writer reports through these, so that none of them needs the file
 * that opens the writer.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cysearch/db.h"
#include "writer_internal.h"

/* Set the writer's message; returns status. */
cys_status writer_fail(cys_writer *w, cys_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->message, sizeof w->message, fmt, ap);
  va_end(ap);
  return status;
}

/* Copy the Xapian layer's message for a failed call on one database. */
cys_status writer_db_error(cys_writer *w, cys_wdb *wdb, cys_status status) {
  return writer_fail(w, status, "%s", cys_wdb_errmsg(wdb));
}

/* The message of the first shard whose commit failed. */
cys_status writer_commit_error(cys_writer *w, cys_status status) {
  for (unsigned i = 0; i < w->nshards; i++)
    if (*cys_wdb_errmsg(w->shard[i]))
      return writer_fail(w, status, "%s%s", cys_wdb_errmsg(w->shard[i]),
                         w->nshards > 1 ? " (a shard of the index)" : "");
  return writer_fail(w, status, "%s", cys_status_str(status));
}
