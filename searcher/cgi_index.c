/* cgi_index.c — the index a request searches (see cgi_index.h). */
#include "cgi_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Remote shards: a server that does not answer fails the request (503)
 * within these, rather than tying up the web server. */
#define REMOTE_TIMEOUT_SECONDS 5.0
#define REMOTE_CONNECT_TIMEOUT_SECONDS 2.0
/* A resident process gives a failed open that took at least this long to
 * the requests of the next FAILED_OPEN_HOLD_SECONDS without trying again. */
#define SLOW_FAILURE_SECONDS 1.0
#define FAILED_OPEN_HOLD_SECONDS 2.0

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void cgi_index_init(cgi_index *index, int resident) {
  memset(index, 0, sizeof *index);
  index->resident = resident;
}

/* Whether db is a local index directory, and then what it is now. */
static int read_identity(const char *db, cgi_index_identity *id) {
  struct stat dir, revision;
  char path[4096];
  if (stat(db, &dir) != 0 || !S_ISDIR(dir.st_mode))
    return 0;
  if (snprintf(path, sizeof path, "%s/iamglass", db) >= (int)sizeof path)
    return 0;
  if (stat(path, &revision) != 0 || !S_ISREG(revision.st_mode))
    return 0;
  memset(id, 0, sizeof *id);
  id->dev = dir.st_dev;
  id->dir_ino = dir.st_ino;
  id->revision_ino = revision.st_ino;
  id->revision_mtime_ns = (long long)revision.st_mtim.tv_sec * 1000000000LL +
                          revision.st_mtim.tv_nsec;
  id->revision_size = revision.st_size;
  return 1;
}

static int same_identity(const cgi_index_identity *a,
                         const cgi_index_identity *b) {
  return a->dev == b->dev && a->dir_ino == b->dir_ino &&
         a->revision_ino == b->revision_ino &&
         a->revision_mtime_ns == b->revision_mtime_ns &&
         a->revision_size == b->revision_size;
}

void cgi_index_close(cgi_index *index) {
  cys_searcher_free(index->searcher);
  index->searcher = NULL;
  free(index->db);
  index->db = NULL;
  index->reusable = 0;
  free(index->failed_db); /* a failure is remembered only until the next */
  index->failed_db = NULL; /* attempt, or the process's end */
}

/* Remember a failure to open db that took since `started`, when it was
 * slow and the process is resident. */
static void remember_failure(cgi_index *index, const char *db,
                             cys_status st, const char *message,
                             double started) {
  double now = now_seconds();
  if (!index->resident || now - started < SLOW_FAILURE_SECONDS)
    return;
  free(index->failed_db);
  index->failed_db = strdup(db);
  index->failed_status = st;
  snprintf(index->failed_message, sizeof index->failed_message, "%s",
           message);
  index->failed_until = now + FAILED_OPEN_HOLD_SECONDS;
}

/* Whether the searcher kept open is db's, and db (whose identity is *now
 * when local) is as it was when opened. */
static int kept_is_current(const cgi_index *index, const char *db, int local,
                           const cgi_index_identity *now) {
  return index->searcher && index->reusable && local &&
         strcmp(index->db, db) == 0 && same_identity(&index->identity, now);
}

cys_status cgi_index_searcher(cgi_index *index, const char *db,
                              cys_searcher **out, char *message,
                              size_t size) {
  cgi_index_identity now;
  int local = read_identity(db, &now);
  *out = NULL;
  if (size)
    message[0] = '\0';
  if (kept_is_current(index, db, local, &now)) {
    *out = index->searcher;
    return CYS_OK;
  }
  if (index->failed_db && strcmp(index->failed_db, db) == 0 &&
      now_seconds() < index->failed_until) {
    snprintf(message, size, "%s (the same failure a moment ago; not tried "
                            "again yet)",
             index->failed_message);
    return index->failed_status;
  }
  cgi_index_close(index);
  double started = now_seconds();
  cys_searcher *s = cys_searcher_new();
  char *name = strdup(db);
  if (!s || !name) {
    cys_searcher_free(s);
    free(name);
    snprintf(message, size, "out of memory");
    return CYS_NOMEM;
  }
  cys_open_options open;
  cys_open_options_init(&open);
  open.timeout = REMOTE_TIMEOUT_SECONDS;
  open.connect_timeout = REMOTE_CONNECT_TIMEOUT_SECONDS;
  cys_status st = cys_searcher_open_shards(s, &db, 1, &open);
  if (st != CYS_OK) {
    snprintf(message, size, "%s", cys_searcher_errmsg(s));
    remember_failure(index, db, st, message, started);
    cys_searcher_free(s);
    free(name);
    return st;
  }
  index->searcher = s;
  index->db = name;
  index->reusable = local;
  index->identity = now;
  *out = s;
  return CYS_OK;
}

void cgi_index_release_if_changed(cgi_index *index) {
  cgi_index_identity now;
  if (index->searcher && index->reusable &&
      !kept_is_current(index, index->db, read_identity(index->db, &now), &now))
    cgi_index_close(index);
}

void cgi_index_done(cgi_index *index, int failed) {
  if (!index->resident || !index->reusable || failed)
    cgi_index_close(index);
}
