/*
 * start_index.h — the extractor's candidates found by their start byte
 * while they are being gathered, so that "is there already a candidate on
 * these bytes?" (extract.c: type_covers, known_overlaps) costs a few
 * lookups instead of a pass over every candidate, which made an article
 * that repeats a name quadratic.
 *
 * A chained hash table: values (candidate indexes, given in increasing
 * order 0, 1, 2, ...) under a key (their start).  A chain may also hold
 * values of other keys that share its bucket: callers compare the key.
 */
#ifndef CYSEARCH_START_INDEX_H
#define CYSEARCH_START_INDEX_H

#include <stddef.h>

#include "cysearch/status.h"

#define START_INDEX_END ((size_t)-1)

/* Zero-initialise; reusable after start_index_clear; the arrays are kept
 * until start_index_free. */
typedef struct start_index {
  size_t *head; /* bucket -> last value added, or START_INDEX_END */
  size_t *next; /* value -> the value added before it in its bucket */
  size_t *keys; /* value -> its key, for rehashing */
  size_t nbuckets, n, cap;
} start_index;

void start_index_clear(start_index *ix);
void start_index_free(start_index *ix);

/* Add value ix->n under key.  CYS_NOMEM when memory runs out (the index
 * is then unchanged). */
cys_status start_index_add(start_index *ix, size_t key);

/* Take back the value added last (ix->n - 1). */
void start_index_drop_last(start_index *ix);

/* The values that may be under key: iterate with start_index_next until
 * START_INDEX_END, comparing the key of each. */
size_t start_index_first(const start_index *ix, size_t key);
size_t start_index_next(const start_index *ix, size_t value);

#endif
