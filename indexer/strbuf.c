/* strbuf.c — see strbuf.h. */
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static int grow(strbuf *b, size_t n) {
  if (b->failed)
    return -1;
  if (b->len + n + 1 <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + n + 1) {
    if (cap > ((size_t)-1) / 2) {
      b->failed = 1;
      return -1;
    }
    cap *= 2;
  }
  char *bigger = realloc(b->s, cap);
  if (!bigger) {
    b->failed = 1;
    return -1;
  }
  b->s = bigger;
  b->cap = cap;
  return 0;
}

void strbuf_add(strbuf *b, const char *s, size_t n) {
  if (n == 0 || grow(b, n) < 0)
    return;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void strbuf_addc(strbuf *b, char c) { strbuf_add(b, &c, 1); }

void strbuf_add_clean(strbuf *b, const char *s, size_t n) {
  size_t start = b->len;
  strbuf_add(b, s, n);
  if (b->failed)
    return;
  for (size_t i = start; i < b->len; i++) {
    unsigned char c = (unsigned char)b->s[i];
    if (c < 0x20 || c == 0x7f)
      b->s[i] = ' ';
  }
}

void strbuf_rtrim(strbuf *b) {
  while (b->len > 0 && (b->s[b->len - 1] == ' ' || b->s[b->len - 1] == '\n'))
    b->s[--b->len] = '\0';
}

char *strbuf_steal(strbuf *b, int *failed) {
  char *s = b->failed || b->len == 0 ? NULL : b->s;
  if (failed && b->failed)
    *failed = 1;
  if (!s)
    free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
  return s;
}

void strbuf_free(strbuf *b) {
  free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}
