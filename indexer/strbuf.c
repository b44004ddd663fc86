/* strbuf.c — see strbuf.h. */
#include "strbuf.h"

#include <stdlib.h>

void strbuf_add_clean(buf *b, const char *s, size_t n) {
  size_t start = b->len;
  buf_append(b, s, n);
  if (b->failed)
    return;
  for (size_t i = start; i < b->len; i++) {
    unsigned char c = (unsigned char)b->data[i];
    if (c < 0x20 || c == 0x7f)
      b->data[i] = ' ';
  }
}

void strbuf_rtrim(buf *b) {
  while (b->len > 0 &&
         (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\n'))
    b->data[--b->len] = '\0';
}

char *strbuf_steal(buf *b, int *failed) {
  char *s = b->failed || b->len == 0 ? NULL : b->data;
  if (failed && b->failed)
    *failed = 1;
  if (!s)
    free(b->data);
  buf_init(b);
  return s;
}
