/*
 * dedup_kept.h — each article's near-duplicate words (dedup_doc), kept in
 * a file as it is written, and read back by a relink of the index it
 * went into (relink.c), instead of analysing the stored article again.
 *
 * Who: a writer told to keep them (cys_writer_keep_words: the segments of
 * a build, indexer/segments.c) appends one record per article it adds;
 * the relink after the merge opens the segments' files in merge order and
 * loads an article's record by its docid in the merged index.  The files
 * are scratch: written and read by one process on one machine (native
 * byte order), removed with the build directory; no index depends on
 * them, and an article without a usable record is analysed again.
 */
#ifndef CYSEARCH_DEDUP_KEPT_H
#define CYSEARCH_DEDUP_KEPT_H

#include <stddef.h>

#include "cysearch/db.h"
#include "cysearch/status.h"
#include "dedup.h"

#define DEDUP_KEPT_HASH 16 /* bytes of the content hash (CYS_SLOT_HASH) */

/* ---- writing ------------------------------------------------------------ */

typedef struct dedup_kept_out dedup_kept_out;

/* Create (or empty) the file at path; CYS_IO when it cannot be. */
cys_status dedup_kept_create(const char *path, dedup_kept_out **out);

/* Append the record of the article written as docid of the writer's
 * index: d (sorted and signed here, as dedup_best would), its content
 * hash, its own key (dedup_own_key) and its date's "YYYYMMDD" sort key
 * (NULL: undated).  An article whose gathering failed gets no record.
 * Errors are sticky: after one, nothing more is written, and every later
 * call returns it. */
cys_status dedup_kept_append(dedup_kept_out *k, dedup_doc *d,
                             cys_docid docid,
                             const unsigned char hash[DEDUP_KEPT_HASH],
                             const char key[DEDUP_KEY_LEN], const char *date);

/* What made the last call fail, for a message: the system's words for
 * the failed write ("No space left on device") when there was one. */
const char *dedup_kept_strerror(const dedup_kept_out *k);

/* Write out what is buffered (a reader may open the file after it). */
cys_status dedup_kept_flush(dedup_kept_out *k);

/* Flush, close and free (NULL accepted); the first error, if any. */
cys_status dedup_kept_close(dedup_kept_out *k);

/* ---- reading ------------------------------------------------------------ */

typedef struct dedup_kept dedup_kept;

/* What a record says of its article besides d. */
typedef struct dedup_kept_facts {
  unsigned char hash[DEDUP_KEPT_HASH];
  char key[DEDUP_KEY_LEN + 1];
  char date[9]; /* "" when undated */
} dedup_kept_facts;

/* The records of paths[0, n), the files kept by the writers of the
 * indexes that cys_index_merge joined, in that order (an index without
 * documents counts for nothing): docids are renumbered one source after
 * the other, so docid d of file i is docid base + d of the merged index,
 * base being the sum of the last docids of the files before it.  A file
 * that cannot be read gives CYS_IO, a damaged one CYS_CORRUPT, with why
 * (cap bytes) naming it.  *out is freed with dedup_kept_free. */
cys_status dedup_kept_open(const char *const *paths, size_t n,
                           dedup_kept **out, char *why, size_t cap);
void dedup_kept_free(dedup_kept *k);

/* A thread's reading position: the file it has open.  One per thread;
 * start it zeroed, end it with dedup_kept_cursor_close. */
typedef struct dedup_kept_cursor {
  int fd; /* + 1: 0 when none is open */
  size_t file;
} dedup_kept_cursor;
void dedup_kept_cursor_close(dedup_kept_cursor *c);

/* The record of docid (of the merged index) into d (reset first) and f:
 * 1; 0 when there is none; -1 when it cannot be read (memory, I/O, a
 * damaged record: the caller analyses the article instead).  The caller
 * checks f->hash against the document's content hash: a document replaced
 * after its record was written has another. */
int dedup_kept_load(const dedup_kept *k, dedup_kept_cursor *c,
                    cys_docid docid, dedup_doc *d, dedup_kept_facts *f);

/* Only the content hash of docid's record (a read of its head): 1; 0
 * when there is none; -1 when it cannot be read. */
int dedup_kept_hash(const dedup_kept *k, dedup_kept_cursor *c,
                    cys_docid docid, unsigned char hash[DEDUP_KEPT_HASH]);

#endif
