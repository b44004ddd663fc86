/*
 * fnv1a.h — FNV-1a, 64 bits (Fowler, Noll, Vo), the one copy in cysearch.
 *
 * Its values are part of the index format where they place articles in
 * shards (cys_shard_hash) and name pages read from standard input and
 * feed items without an id; elsewhere (hash tables, the content hash)
 * only equality matters.  Header-only, for the library and the programs
 * alike (common/util/CMakeLists.txt).
 */
#ifndef CYSEARCH_UTIL_FNV1A_H
#define CYSEARCH_UTIL_FNV1A_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_OFFSET 0xcbf29ce484222325ULL
#define FNV1A64_PRIME 0x100000001b3ULL

/* Continue hash h over data[0..n): start with FNV1A64_OFFSET. */
static inline uint64_t fnv1a64_add(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * FNV1A64_PRIME;
  return h;
}

/* The hash of data[0..n). */
static inline uint64_t fnv1a64(const void *data, size_t n) {
  return fnv1a64_add(FNV1A64_OFFSET, data, n);
}

#endif
