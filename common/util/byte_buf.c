/* byte_buf.c — see byte_buf.h. */
#include "byte_buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b) { memset(b, 0, sizeof *b); }

void buf_free(buf *b) {
  free(b->data);
  buf_init(b);
}

void buf_reset(buf *b) {
  b->len = 0;
  b->failed = 0;
  if (b->data)
    b->data[0] = '\0';
}

/* Room for n more bytes and the NUL; -1 (and `failed`) when there is none. */
static int reserve(buf *b, size_t n) {
  if (b->failed)
    return -1;
  if (n < b->cap - b->len)
    return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap - b->len <= n) {
    if (cap > SIZE_MAX / 2 || n >= SIZE_MAX - b->len) {
      b->failed = 1;
      return -1;
    }
    cap *= 2;
  }
  char *bigger = realloc(b->data, cap);
  if (!bigger) {
    b->failed = 1;
    return -1;
  }
  b->data = bigger;
  b->cap = cap;
  return 0;
}

void buf_append(buf *b, const char *s, size_t n) {
  if (reserve(b, n) < 0)
    return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_append_str(buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_append_char(buf *b, char c) { buf_append(b, &c, 1); }

char *buf_take(buf *b) {
  char *d = NULL;
  if (!b->failed) {
    d = b->data ? b->data : calloc(1, 1);
    b->data = NULL;
  }
  buf_free(b);
  return d;
}
