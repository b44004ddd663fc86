/* fuzz_clean.h — the check the parser targets share: a string a parser
 * returns is NULL, or non-empty valid UTF-8 without control characters
 * (newlines allowed where asked); anything else aborts, which libFuzzer
 * reports as a crash. */
#ifndef CYSEARCH_FUZZ_CLEAN_H
#define CYSEARCH_FUZZ_CLEAN_H

#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"

static inline void fuzz_check_clean(const char *s, int newlines) {
  if (!s)
    return;
  size_t n = strlen(s);
  if (n == 0 || cys_utf8_invalid_offset(s, n) != n)
    abort();
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 && !(newlines && c == '\n')) || c == 0x7f)
      abort();
  }
}

#endif
