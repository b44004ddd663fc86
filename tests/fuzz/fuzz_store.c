/* fuzz_store.c — the stored-article decoder on damaged records: CYS_OK or
 * CYS_CORRUPT, never a crash; a decoded record re-encodes and decodes to
 * the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/store.h"

static int same(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cys_record *r = NULL;
  cys_status st = cys_store_decode(data, size, &r);
  if (st != CYS_OK && st != CYS_CORRUPT && st != CYS_NOMEM)
    abort();
  if (st != CYS_OK)
    return 0;
  unsigned char *again = NULL;
  size_t again_len = 0;
  cys_record *r2 = NULL;
  if (cys_store_encode(&r->article, r->entities, &again, &again_len) != CYS_OK ||
      cys_store_decode(again, again_len, &r2) != CYS_OK)
    abort();
  const cys_article *x = &r->article, *y = &r2->article;
  if (!same(x->id, y->id) || !same(x->title, y->title) ||
      !same(x->date, y->date) || !same(x->source, y->source) ||
      !same(x->url, y->url) || !same(x->body, y->body) ||
      !same(r->entities, r2->entities))
    abort();
  free(again);
  cys_record_free(r);
  cys_record_free(r2);
  return 0;
}
