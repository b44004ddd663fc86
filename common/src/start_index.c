/*
 * start_index.c — candidates by start byte (start_index.h).
 */
#include "start_index.h"

#include <stdlib.h>
#include <string.h>

static size_t bucket_of(size_t key, size_t nbuckets) {
  /* Fibonacci hashing: neighbouring starts land far apart */
  return (size_t)(((unsigned long long)key * 0x9E3779B97F4A7C15ull) >> 20) &
         (nbuckets - 1);
}

void start_index_clear(start_index *ix) {
  for (size_t b = 0; b < ix->nbuckets; b++)
    ix->head[b] = START_INDEX_END;
  ix->n = 0;
}

void start_index_free(start_index *ix) {
  free(ix->head);
  free(ix->next);
  free(ix->keys);
  memset(ix, 0, sizeof *ix);
}

/* Twice the buckets, every value chained again. */
static cys_status rehash(start_index *ix) {
  size_t nb = ix->nbuckets ? ix->nbuckets * 2 : 64;
  size_t *head = malloc(nb * sizeof *head);
  if (!head)
    return CYS_NOMEM;
  for (size_t b = 0; b < nb; b++)
    head[b] = START_INDEX_END;
  for (size_t v = 0; v < ix->n; v++) {
    size_t b = bucket_of(ix->keys[v], nb);
    ix->next[v] = head[b];
    head[b] = v;
  }
  free(ix->head);
  ix->head = head;
  ix->nbuckets = nb;
  return CYS_OK;
}

cys_status start_index_add(start_index *ix, size_t key) {
  if (ix->n == ix->cap) {
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    size_t *next = realloc(ix->next, cap * sizeof *next);
    if (!next)
      return CYS_NOMEM;
    ix->next = next;
    size_t *keys = realloc(ix->keys, cap * sizeof *keys);
    if (!keys)
      return CYS_NOMEM;
    ix->keys = keys;
    ix->cap = cap;
  }
  if (ix->n >= ix->nbuckets / 2 && rehash(ix) != CYS_OK)
    return CYS_NOMEM;
  size_t b = bucket_of(key, ix->nbuckets);
  ix->keys[ix->n] = key;
  ix->next[ix->n] = ix->head[b];
  ix->head[b] = ix->n++;
  return CYS_OK;
}

void start_index_drop_last(start_index *ix) {
  /* the value added last heads its bucket: add and rehash both chain in
   * increasing order */
  size_t v = --ix->n;
  ix->head[bucket_of(ix->keys[v], ix->nbuckets)] = ix->next[v];
}

size_t start_index_first(const start_index *ix, size_t key) {
  return ix->nbuckets ? ix->head[bucket_of(key, ix->nbuckets)]
                      : START_INDEX_END;
}

size_t start_index_next(const start_index *ix, size_t value) {
  return ix->next[value];
}
