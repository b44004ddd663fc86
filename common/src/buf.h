/*
 * buf.h — a growable byte buffer (buf.c) for the files of common/src.
 */
#ifndef CYSEARCH_BUF_H
#define CYSEARCH_BUF_H

#include <stddef.h>

/* A growable byte buffer with a sticky out-of-memory flag: once an append
 * fails, later appends do nothing and `failed` says so. */
typedef struct buf {
  char *data;
  size_t len, cap;
  int failed;
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_append_str(buf *b, const char *s);
/* Release the data to the caller (NUL-terminated), or NULL after a failure. */
char *buf_take(buf *b);

#endif
