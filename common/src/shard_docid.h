/*
 * shard_docid.h — how documents are numbered across the shards of an
 * index: the one place the arithmetic is written (writer.c, relink.c and
 * the shim's DocidBelowSource use it; db.h describes it to callers).
 *
 * A view over n shards (Xapian's, when it opens several databases as one)
 * interleaves them: document k (1-based) of shard s (0-based) is document
 * (k - 1) * n + s + 1 of the view.  With n == 1 a view docid is the
 * shard's own.  C and C++.
 */
#ifndef CYSEARCH_SHARD_DOCID_H
#define CYSEARCH_SHARD_DOCID_H

#include <stdint.h>

/* The view's docid of document `local` (>= 1) of shard `shard` of n. */
static inline uint32_t shard_docid_to_view(uint32_t local, unsigned shard,
                                           unsigned n) {
  return (local - 1) * n + shard + 1;
}

/* The shard that holds document `view` (>= 1) of a view over n shards. */
static inline unsigned shard_docid_shard(uint32_t view, unsigned n) {
  return (view - 1) % n;
}

/* The docid, in its shard, of document `view` (>= 1) of a view over n. */
static inline uint32_t shard_docid_local(uint32_t view, unsigned n) {
  return (view - 1) / n + 1;
}

/* The highest local docid k of shard `shard` of n whose view docid is
 * below `below`; 0 when there is none. */
static inline uint32_t shard_docid_last_below(uint32_t below, unsigned shard,
                                              unsigned n) {
  return below >= shard + 2 ? (below - shard - 2) / n + 1 : 0;
}

#endif
