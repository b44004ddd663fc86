/*
 * extract_store.c — the extractor's growing arrays (extract_internal.h):
 * values it owns (a CVE id or a shape's text, kept until reset) and the
 * candidates of the current field.  Every room of the extractor stores
 * through these.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

int extract_grow(void **items, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 64;
  while (c < need)
    c *= 2;
  void *bigger = realloc(*items, c * size);
  if (!bigger)
    return -1;
  *items = bigger;
  *cap = c;
  return 0;
}

char *extract_own(cys_extractor *x, const char *text, size_t n) {
  int full = extract_grow((void **)&x->cves, &x->cves_cap, x->ncves + 1,
                          sizeof *x->cves);
  char *v = malloc(n + 1);
  if (full || !v) {
    free(v);
    x->status = CYS_NOMEM;
    return NULL;
  }
  memcpy(v, text, n);
  v[n] = '\0';
  x->cves[x->ncves++] = v;
  return v;
}

void extract_add_candidate(cys_extractor *x, const alias *a, size_t first,
                           size_t last, size_t start, size_t end) {
  if (extract_grow((void **)&x->cands, &x->cands_cap, x->ncands + 1,
                   sizeof *x->cands) ||
      start_index_add(&x->at_start, start) != CYS_OK) {
    x->status = CYS_NOMEM;
    return;
  }
  x->cands[x->ncands++] =
      (candidate){a, {0}, first, last, start, end, 0, 0, SPAN_NONE, 0, 0};
  if (end - start > x->cand_maxlen)
    x->cand_maxlen = end - start;
}
