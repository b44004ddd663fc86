/* buf.c — the growable buffer of buf.h. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void buf_init(buf *b) { memset(b, 0, sizeof *b); }

void buf_free(buf *b) {
  free(b->data);
  buf_init(b);
}

void buf_append(buf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *bigger = realloc(b->data, cap);
    if (!bigger) {
      b->failed = 1;
      return;
    }
    b->data = bigger;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_append_str(buf *b, const char *s) { buf_append(b, s, strlen(s)); }

char *buf_take(buf *b) {
  char *d = NULL;
  if (!b->failed) {
    d = b->data ? b->data : calloc(1, 1);
    b->data = NULL;
  }
  buf_free(b);
  return d;
}
