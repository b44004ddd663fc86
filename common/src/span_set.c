/* span_set.c — see span_set.h. */
#include "span_set.h"

#include <stdlib.h>
#include <string.h>

static int by_value(const void *p, const void *q) {
  size_t a = *(const size_t *)p, b = *(const size_t *)q;
  return a < b ? -1 : a > b;
}

cys_status span_set_reset(span_set *s, const size_t *starts, size_t n) {
  if (n > s->cap) {
    size_t cap = s->cap ? s->cap : 64;
    while (cap < n)
      cap *= 2;
    size_t *a = realloc(s->starts, cap * sizeof *a);
    if (a)
      s->starts = a;
    size_t *b = a ? realloc(s->ends, cap * sizeof *b) : NULL;
    if (b)
      s->ends = b;
    size_t *c = b ? realloc(s->tree, cap * sizeof *c) : NULL;
    if (!c)
      return CYS_NOMEM;
    s->tree = c;
    s->cap = cap;
  }
  if (n)
    memcpy(s->starts, starts, n * sizeof *starts);
  if (n > 1)
    qsort(s->starts, n, sizeof *s->starts, by_value);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || s->starts[m - 1] != s->starts[i])
      s->starts[m++] = s->starts[i];
  s->n = m;
  if (m)
    memset(s->tree, 0, m * sizeof *s->tree);
  return CYS_OK;
}

/* The number of slots whose start is below x. */
static size_t slots_below(const span_set *s, size_t x) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->starts[mid] < x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

size_t span_set_slot(const span_set *s, size_t start) {
  return slots_below(s, start);
}

size_t span_set_overlapping(const span_set *s, size_t start, size_t end) {
  size_t best = 0; /* 1 + slot */
  for (size_t i = slots_below(s, end); i > 0; i -= i & (~i + 1))
    if (s->tree[i - 1] > best)
      best = s->tree[i - 1];
  if (best == 0 || s->ends[best - 1] <= start)
    return SPAN_NONE;
  return best - 1;
}

void span_set_take(span_set *s, size_t slot, size_t end) {
  s->ends[slot] = end;
  for (size_t i = slot + 1; i <= s->n; i += i & (~i + 1))
    if (s->tree[i - 1] < slot + 1)
      s->tree[i - 1] = slot + 1;
}

size_t span_set_start(const span_set *s, size_t slot) {
  return s->starts[slot];
}

size_t span_set_end(const span_set *s, size_t slot) { return s->ends[slot]; }

void span_set_free(span_set *s) {
  free(s->starts);
  free(s->ends);
  free(s->tree);
  memset(s, 0, sizeof *s);
}
