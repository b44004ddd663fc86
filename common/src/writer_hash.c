/*
 * writer_hash.c — the content hash of an article (writer_internal.h),
 * stored in CYS_SLOT_HASH: equal hashes mean a re-run need not rewrite
 * the article.
 */
#include <stdint.h>
#include <string.h>

#include "cysearch/schema.h"
#include "fnv1a.h"
#include "writer_internal.h"

/* ---- content hash -------------------------------------------------------
 * 128 bits from two 64-bit hashes over every field (with its presence and
 * length) and the schema; equal hashes mean nothing needs rewriting. */

typedef struct hash128 {
  uint64_t a, b;
} hash128;

static void hash_update(hash128 *h, const void *data, size_t n) {
  const unsigned char *p = data;
  h->a = fnv1a64_add(h->a, data, n);
  for (size_t i = 0; i < n; i++) {
    h->b = (h->b + p[i] + 1) * 0x9E3779B97F4A7C15ULL;
    h->b ^= h->b >> 29;
  }
}

static void hash_field(hash128 *h, const char *s) {
  uint64_t len = s ? strlen(s) + 1 : 0;
  hash_update(h, &len, sizeof len);
  if (s)
    hash_update(h, s, len - 1);
}

void writer_article_hash(const cys_article *a, const char *language,
                         unsigned char out[HASH_BYTES]) {
  hash128 h = {FNV1A64_OFFSET, 0x84222325cbf29ce4ULL};
  hash_field(&h, CYS_SCHEMA_VERSION);
  hash_field(&h, language);
  hash_field(&h, a->id);
  hash_field(&h, a->title);
  hash_field(&h, a->date);
  hash_field(&h, a->source);
  hash_field(&h, a->url);
  hash_field(&h, a->body);
  for (int i = 0; i < 8; i++) {
    out[i] = (unsigned char)(h.a >> (8 * i));
    out[8 + i] = (unsigned char)(h.b >> (8 * i));
  }
}
