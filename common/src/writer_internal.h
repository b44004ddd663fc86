/*
 * writer_internal.h — the writer's state (writer.h), shared by writer.c,
 * which opens the index and writes articles, and relink.c, which
 * recomputes the collapse keys of an open index.  Nothing else includes
 * it.
 */
#ifndef CYSEARCH_WRITER_INTERNAL_H
#define CYSEARCH_WRITER_INTERNAL_H

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/store.h"
#include "cysearch/writer.h"
#include "dedup.h"

/* An analysis context (writer.h): one per thread that analyses. */
struct cys_writer_worker {
  cys_analyzer *analyzer;
  cys_gazetteer *gazetteer;
  cys_extractor *extractor;
};

struct cys_writer {
  cys_wdb **shard;  /* the databases open: the index, its shards, or the
                       one shard of cys_writer_open_shard */
  unsigned nshards; /* how many are open; 0 until opened */
  char **paths;     /* their directories (nshards of them), for the
                       read-only handles relink.c opens */
  unsigned total;   /* shards of the index (1 for a plain index) */
  int only;         /* cys_writer_open_shard's shard, else -1 */
  cys_wdb *view;    /* the open ones as one, for reads (shard[0] when one) */
  cys_store_encoder *encoder;
  struct cys_writer_worker own; /* analysis for cys_writer_put */
  struct cys_prepared *prep;    /* ... and its result */
  dedup *dedup; /* the collapse key */
  int read_only;    /* an errno value when an existing index could not be
                       written (permissions, a read-only mount): it was
                       opened for reading, and each write is refused */
  const volatile sig_atomic_t *interrupt; /* cys_writer_set_interrupt */
  char message[512];
};

#if defined(__GNUC__)
cys_status writer_fail(cys_writer *w, cys_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif
/* Keep a message on the writer (cys_writer_errmsg); returns status. */
cys_status writer_fail(cys_writer *w, cys_status status, const char *fmt, ...);

/* CYS_OK when the writer may write; else (a read-only index) CYS_IO with
 * a message that names the index and what would have been written. */
cys_status writer_may_write(cys_writer *w, const char *what);

#endif
