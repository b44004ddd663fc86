/* utf8.c — validating and repairing UTF-8 (see utf8.h). */
#include "cysearch/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s[0..len), or 0 when invalid. */
static size_t sequence_length(const unsigned char *s, size_t len) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    return (len >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
      return 0;
    if (c == 0xE0 && s[1] < 0xA0) /* overlong */
      return 0;
    if (c == 0xED && s[1] >= 0xA0) /* surrogate */
      return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
        (s[3] & 0xC0) != 0x80)
      return 0;
    if (c == 0xF0 && s[1] < 0x90) /* overlong */
      return 0;
    if (c == 0xF4 && s[1] >= 0x90) /* above U+10FFFF */
      return 0;
    return 4;
  }
  return 0;
}

size_t cys_utf8_invalid_offset(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    size_t n = sequence_length(p + i, len - i);
    if (n == 0)
      return i;
    i += n;
  }
  return len;
}

cys_status cys_utf8_repair(const char *s, size_t len, char **out,
                           size_t *out_len, size_t *replaced) {
  /* Each bad byte becomes 3 bytes at most. */
  if (len > (SIZE_MAX - 1) / 3)
    return CYS_NOMEM;
  char *buf = malloc(len * 3 + 1);
  if (!buf)
    return CYS_NOMEM;
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, o = 0, bad = 0;
  while (i < len) {
    size_t n = p[i] < 0x80 ? 1 : sequence_length(p + i, len - i);
    if (n == 0) {
      memcpy(buf + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
      bad++;
    } else {
      memcpy(buf + o, p + i, n);
      o += n;
      i += n;
    }
  }
  buf[o] = '\0';
  *out = buf;
  if (out_len)
    *out_len = o;
  if (replaced)
    *replaced = bad;
  return CYS_OK;
}

size_t cys_utf8_floor(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  if (len == 0)
    return 0;
  /* Find the lead byte of the last character (at most 3 bytes back). */
  size_t start = len - 1;
  for (int back = 0; start > 0 && back < 3 && (p[start] & 0xC0) == 0x80;
       back++)
    start--;
  unsigned char lead = p[start];
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return (len - start >= need) ? len : start;
}
