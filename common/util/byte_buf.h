/*
 * byte_buf.h — the growable byte buffer (`buf`) of cysearch, the library's
 * and the programs' alike: always NUL-terminated once anything is in it,
 * with a sticky out-of-memory flag: once an append fails, later appends
 * do nothing and `failed` stays set, so a writer checks once at the end.
 * Part of the small utility library (common/util/CMakeLists.txt).
 */
#ifndef CYSEARCH_UTIL_BYTE_BUF_H
#define CYSEARCH_UTIL_BYTE_BUF_H

#include <stddef.h>

typedef struct buf {
  char *data;  /* malloc'd, NUL-terminated; NULL until something is added */
  size_t len;  /* bytes in data, without the NUL */
  size_t cap;
  int failed;  /* memory ran out (sticky) */
} buf;

#define BUF_INIT                                                               \
  { NULL, 0, 0, 0 }

void buf_init(buf *b);
/* Free the data and empty b; accepts an initialised, never-used b. */
void buf_free(buf *b);
/* Empty b and clear `failed`, keeping the memory for reuse. */
void buf_reset(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_append_str(buf *b, const char *s);
void buf_append_char(buf *b, char c);
/* Release the data to the caller, who frees it: "" (malloc'd) when
 * nothing was added, NULL after a failure.  b is left empty. */
char *buf_take(buf *b);

#endif
