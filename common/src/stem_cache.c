/*
 * stem_cache.c — see stem_cache.h.  An open-addressing table from word to
 * stem with its strings in an arena.  When it fills up it is emptied and
 * starts again: memory stays bounded and the hot words come straight back.
 */
#include "stem_cache.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fnv1a.h"

#define CACHE_SLOTS 16384u /* power of two */
#define CACHE_MAX_USED (CACHE_SLOTS / 4 * 3)
#define ARENA_BYTES (CACHE_MAX_USED * 24u)

typedef struct entry {
  uint32_t hash;
  uint32_t offset; /* into arena: word bytes, then stem bytes; 0 = empty */
  uint16_t word_len, stem_len;
} entry;

struct stem_cache {
  struct sb_stemmer *stemmer;
  entry *slots;
  size_t used;
  char *arena;
  size_t arena_used;
};

static uint32_t hash_bytes(const char *s, size_t n) {
  return (uint32_t)fnv1a64(s, n); /* its low bits: a slot, and a check */
}

static void reset(stem_cache *c) {
  memset(c->slots, 0, CACHE_SLOTS * sizeof *c->slots);
  c->used = 0;
  c->arena_used = 1; /* offset 0 marks an empty slot */
}

stem_cache *stem_cache_new(const char *language, int *unknown) {
  *unknown = 0;
  stem_cache *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->stemmer = sb_stemmer_new(language, NULL);
  c->slots = malloc(CACHE_SLOTS * sizeof *c->slots);
  c->arena = malloc(ARENA_BYTES);
  if (!c->stemmer || !c->slots || !c->arena) {
    *unknown = !c->stemmer;
    stem_cache_free(c);
    return NULL;
  }
  reset(c);
  return c;
}

void stem_cache_free(stem_cache *c) {
  if (!c)
    return;
  sb_stemmer_delete(c->stemmer);
  free(c->slots);
  free(c->arena);
  free(c);
}

int stem_cache_stem(stem_cache *c, const char *word, size_t n,
                    const char **stem, size_t *stem_len) {
  uint32_t h = hash_bytes(word, n);
  uint32_t i = h & (CACHE_SLOTS - 1);
  for (;;) {
    entry *e = &c->slots[i];
    if (e->offset == 0)
      break;
    if (e->hash == h && e->word_len == n &&
        memcmp(c->arena + e->offset, word, n) == 0) {
      *stem = c->arena + e->offset + e->word_len;
      *stem_len = e->stem_len;
      return 0;
    }
    i = (i + 1) & (CACHE_SLOTS - 1);
  }
  const sb_symbol *s =
      sb_stemmer_stem(c->stemmer, (const sb_symbol *)word, (int)n);
  if (!s)
    return -1;
  size_t sn = (size_t)sb_stemmer_length(c->stemmer);
  if (sn == 0) { /* English stems "''s'" (apostrophes only) to nothing */
    s = (const sb_symbol *)word;
    sn = n;
  }
  if (n > UINT16_MAX || sn > UINT16_MAX || n + sn > ARENA_BYTES / 4) {
    *stem = (const char *)s; /* too long to cache: valid until next call */
    *stem_len = sn;
    return 0;
  }
  if (c->used >= CACHE_MAX_USED || c->arena_used + n + sn > ARENA_BYTES) {
    reset(c);
    i = h & (CACHE_SLOTS - 1);
  }
  entry *e = &c->slots[i];
  e->hash = h;
  e->offset = (uint32_t)c->arena_used;
  e->word_len = (uint16_t)n;
  e->stem_len = (uint16_t)sn;
  memcpy(c->arena + c->arena_used, word, n);
  memcpy(c->arena + c->arena_used + n, s, sn);
  c->arena_used += n + sn;
  c->used++;
  *stem = c->arena + e->offset + n;
  *stem_len = sn;
  return 0;
}
