/*
 * index.h — looking after an index as a whole, without opening it for
 * reading or writing: check it, compact it, merge several into one.
 *
 * Ownership: paths are borrowed for the call.  A message comes back through
 * the last argument (*report, *error): malloc'd, owned by the caller, who
 * frees it with free(); it is set to NULL first, and may stay NULL when
 * memory runs out.
 * Errors: the cys_status codes of status.h, each with its message:
 * CYS_INVALID for a NULL path; CYS_NOT_FOUND when there is no index at a
 * path; CYS_EXISTS when the directory to write is not new or empty
 * (nothing is written there); CYS_CORRUPT for damage; CYS_IO for a failed
 * read or write.
 */
#ifndef CYSEARCH_INDEX_H
#define CYSEARCH_INDEX_H

#include <stddef.h>

#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Run Xapian's consistency check (what xapian-check does) on the index at
 * path, one index directory (for a sharded index, check each shard).
 * *report (may be NULL) receives what it found.  Returns CYS_OK when the
 * index is sound, CYS_CORRUPT when errors were found or a damaged block
 * stopped the check, or the error that kept it from checking the index (no
 * index there, a failed read, ...); then the last line of *report says
 * why. */
CYS_API cys_status cys_index_check(const char *path, char **report);

/* Write a compacted, read-optimised copy of the last commit of the index
 * at src to dst, a new or empty directory (Xapian's compactor; it reads
 * src without its write lock, so a writer may hold it).  On failure
 * *error (may be NULL) says why. */
CYS_API cys_status cys_index_compact(const char *src, const char *dst,
                                     char **error);

/* Write one compacted index at the new directory dst holding every
 * article of the indexes at paths[0..n) (their documents numbered one
 * index after the other; metadata from the first that has each key): the
 * shards of a sharded index made into one.  On failure *error (may be
 * NULL) says why. */
CYS_API cys_status cys_index_merge(const char *const *paths, size_t n,
                                   const char *dst, char **error);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_INDEX_H */
