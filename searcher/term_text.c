/* term_text.c — see term_text.h; utf8proc decodes. */
#include "term_text.h"

#include <string.h>
#include <utf8proc.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Bytes of s[0..len) from the start that are printable ASCII. */
static size_t printable_run(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
    i++;
  return i;
}

void term_write(FILE *f, const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    size_t run = printable_run(s + i, len - i);
    fwrite(s + i, 1, run, f);
    i += run;
    if (i == len)
      break;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      int space = c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
      fputs(space ? " " : REPLACEMENT, f);
      i++;
      continue;
    }
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    utf8proc_category_t cat =
        n > 0 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
    if (cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP) {
      fputs(" ", f);
      i += (size_t)n;
    } else if (n <= 0 || cat == UTF8PROC_CATEGORY_CC ||
               cat == UTF8PROC_CATEGORY_CF) {
      fputs(REPLACEMENT, f);
      i += n > 0 ? (size_t)n : 1;
    } else {
      fwrite(s + i, 1, (size_t)n, f);
      i += (size_t)n;
    }
  }
}

void term_puts(FILE *f, const char *s) { term_write(f, s, strlen(s)); }
