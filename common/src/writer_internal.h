/*
 * writer_internal.h — the writer's state (writer.h), shared by the files
 * that make it up and nowhere else:
 *   writer_open.c     the handle: made, opened, freed; its error message
 *   writer_shards.c   the index on disk: stub file, shards, directories
 *   writer_analyse.c  an article analysed into a cys_prepared (any thread)
 *   writer_hash.c     the content hash of an article
 *   writer.c          the write path: put, delete, commit
 *   writer_prune.c    --prune
 *   writer_run.c      the run the writer records
 *   relink.c          the collapse keys of an open index recomputed
 */
#ifndef CYSEARCH_WRITER_INTERNAL_H
#define CYSEARCH_WRITER_INTERNAL_H

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/store.h"
#include "cysearch/schema.h"
#include "cysearch/writer.h"
#include "dedup.h"

/* Ids are stored in a term after the one-byte Q prefix. */
#define MAX_ID_BYTES (CYS_TERM_MAX - 1)
#define HASH_BYTES 16 /* the content hash, CYS_SLOT_HASH */

#define STUB_NAME "XAPIANDB" /* a sharded index's stub file */
#define MAX_PATH_BYTES 4096

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
  int own_keys; /* cys_writer_defer_keys: no near-duplicate search */
  struct dedup_kept_out *kept; /* cys_writer_keep_words, else NULL */
  int read_only;    /* an errno value when an existing index could not be
                       written (permissions, a read-only mount): it was
                       opened for reading, and each write is refused */
  const volatile sig_atomic_t *interrupt; /* cys_writer_set_interrupt */
  /* The run (writer_run.c): its number, start time, and the run before
   * it (0 when none), whose record lacks an end time when its job
   * stopped (run_before_open). */
  uint64_t run, run_before;
  char run_started[CYS_RUN_TIME_LEN + 1];
  char run_before_started[CYS_RUN_TIME_LEN + 1];
  int run_before_open;
  int run_changed;  /* an article was written or removed */
  int run_recorded; /* ... and a commit recorded the run */
  int run_ended;    /* cys_writer_end_run was called */
  int run_part;     /* cys_writer_join_run: another writer records it */
  char message[512];
};

/* One entity an article mentions, with how often. */
typedef struct found {
  cys_entity_type type;
  const char *value, *label, *country;
  unsigned count;
} found;

/* An analysed article (writer.h), made on any thread. */
struct cys_prepared {
  cys_status status; /* CYS_OK, or why the article cannot be indexed */
  char message[256];
  unsigned char hash[HASH_BYTES];
  cys_doc *doc;      /* the terms of title and body */
  dedup_doc *words;  /* for the collapse key */
  found *entities;   /* their strings live in `strings` */
  size_t nentities;
  char *strings;
};

/* ---- writer_open.c ---- */

#if defined(__GNUC__)
cys_status writer_fail(cys_writer *w, cys_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif
/* Keep a message on the writer (cys_writer_errmsg); returns status. */
cys_status writer_fail(cys_writer *w, cys_status status, const char *fmt, ...);
/* writer_fail with the message of the failed call on wdb. */
cys_status writer_db_error(cys_writer *w, cys_wdb *wdb, cys_status status);
/* writer_fail with the message of the first shard whose commit failed. */
cys_status writer_commit_error(cys_writer *w, cys_status status);

/* CYS_OK when one of the cys_writer_open* calls opened the writer; else
 * CYS_INVALID with the message "the writer is not open". */
cys_status writer_require_open(cys_writer *w);

/* CYS_OK when the writer may write; else (a read-only index) CYS_IO with
 * a message that names the index and what would have been written. */
cys_status writer_may_write(cys_writer *w, const char *what);

/* ---- writer_shards.c ---- */

/* Is path an existing directory with files in it but no Xapian index? */
int writer_foreign_directory(const char *path);
/* CYS_INVALID: path holds other files, so no index is written there. */
cys_status writer_not_an_index(cys_writer *w, const char *path);
/* Create the directory of a sharded index (it may exist); refused when
 * `foreign` (writer_not_an_index). */
cys_status writer_make_directory(cys_writer *w, const char *path,
                                 int foreign);
/* "dir/shard-II" into out[cap]; -1 when it does not fit. */
int writer_shard_path(const char *dir, unsigned i, char *out, size_t cap);
/* Write dir's stub file for n shards, atomically. */
cys_status writer_write_stub(cys_writer *w, const char *dir, unsigned n);
/* How many shards the index at path has (its stub), or gets (`want`, 0
 * for a plain index); a mismatch is an error that says how to re-shard. */
cys_status writer_count_shards(cys_writer *w, const char *path,
                               unsigned want, unsigned *n);
/* CYS_NOT_FOUND when the stub of path lists a shard that is not there. */
cys_status writer_missing_shard(cys_writer *w, const char *path);
/* The stub of the sharded index at path, made when there is none yet;
 * *total the shards it lists, checked against nshards (0: any). */
cys_status writer_shard_stub(cys_writer *w, const char *path,
                             unsigned nshards, unsigned *total);

/* ---- writer_analyse.c ---- */

/* Free what a worker holds (not the worker itself). */
void writer_worker_clear(cys_writer_worker *k);
/* CYS_OK when cys_writer_put accepts the article; else CYS_BAD_INPUT and
 * why in p->message. */
cys_status writer_acceptable(const cys_article *a, cys_prepared *p);
/* Title and body into p: terms, words for the collapse key, entities. */
cys_status writer_analyse(cys_writer_worker *k, const cys_article *a,
                          cys_prepared *p);

/* ---- writer_run.c ---- */

/* Take the run number and start time, once the databases are open. */
cys_status writer_run_open(cys_writer *w);
/* The run slots of doc, which replaces document existing of wdb (0: a
 * new article). */
cys_status writer_run_values(cys_writer *w, cys_wdb *wdb, cys_docid existing,
                             cys_doc *doc);
/* Before a commit: record the run when it changed something. */
cys_status writer_run_record(cys_writer *w);

/* ---- writer_hash.c ---- */

/* The content hash of a, written with this index language. */
void writer_article_hash(const cys_article *a, const char *language,
                         unsigned char out[HASH_BYTES]);

#endif
