/*
 * cgi_html.c — the escaping printf (see cgi_html.h); the output buffer is
 * byte_buf.h's.
 */
#include "cgi_html.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cysearch/utf8.h"

static void put(cgi_out *out, const char *s) { cgi_out_append(out, s, strlen(s)); }

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* The length a UTF-8 sequence with this lead byte claims; 0 for a byte
 * that cannot lead one. */
static size_t sequence_length(unsigned char c) {
  if (c >= 0xC2 && c <= 0xDF)
    return 2;
  if (c >= 0xE0 && c <= 0xEF)
    return 3;
  if (c >= 0xF0 && c <= 0xF4)
    return 4;
  return 0;
}

/* Write s[0..len) as HTML text or as an attribute value. */
static void put_escaped(cgi_out *out, const char *s, size_t len, int attr) {
  size_t at = 0; /* start of the run not yet written */
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    const char *ref = NULL;
    size_t skip = 1;
    switch (c) {
    case '&': ref = "&amp;"; break;
    case '<': ref = "&lt;"; break;
    case '>': ref = "&gt;"; break;
    case '"': ref = "&quot;"; break;
    case '\'': ref = "&#39;"; break;
    case '\t': ref = attr ? "&#9;" : NULL; break;
    case '\n': ref = attr ? "&#10;" : NULL; break;
    case '\r': ref = attr ? "&#13;" : NULL; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        ref = REPLACEMENT;
      } else if (c >= 0x80) {
        /* A valid sequence goes through whole; a bad byte is U+FFFD. */
        size_t n = sequence_length(c);
        if (n && n <= len - i && cys_utf8_invalid_offset(s + i, n) == n) {
          i += n;
          continue;
        }
        ref = REPLACEMENT;
      }
      break;
    }
    if (ref) {
      cgi_out_append(out, s + at, i - at);
      put(out, ref);
      at = i + skip;
    }
    i += skip;
  }
  cgi_out_append(out, s + at, len - at);
}

static void put_url_component(cgi_out *out, const char *s, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      cgi_out_append(out, (const char *)&c, 1);
    } else {
      char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
      cgi_out_append(out, enc, 3);
    }
  }
}

int cgi_url_is_web(const char *url) {
  if (!url)
    return 0;
  size_t skip;
  if (strncasecmp(url, "http://", 7) == 0)
    skip = 7;
  else if (strncasecmp(url, "https://", 8) == 0)
    skip = 8;
  else
    return 0;
  const char *host = url + skip;
  if (*host == '\0' || *host == '/' || *host == '?' || *host == '#')
    return 0;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++)
    if (*p <= 0x20 || *p == 0x7f)
      return 0;
  return 1;
}

static void fail(cgi_out *out) {
  assert(!"cgi_html: unknown conversion");
  out->failed = 1;
}

void cgi_html(cgi_out *out, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *p = fmt;
  while (*p && !out->failed) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      put(out, p);
      break;
    }
    cgi_out_append(out, p, (size_t)(pct - p));
    p = pct + 1;
    char num[512];
    num[0] = '\0';
    if (*p == '%') {
      put(out, "%");
      p++;
    } else if (p[0] == '.' && p[1] == '*' && (p[2] == 's' || p[2] == 'a')) {
      int n = va_arg(ap, int);
      const char *s = va_arg(ap, const char *);
      if (s && n > 0)
        put_escaped(out, s, strnlen(s, (size_t)n), p[2] == 'a');
      p += 3;
    } else if (p[0] == '.' && p[1] >= '0' && p[1] <= '9' && p[2] == 'f') {
      char f[5] = {'%', '.', p[1], 'f', '\0'};
      snprintf(num, sizeof num, f, va_arg(ap, double));
      p += 3;
    } else if (*p == 's' || *p == 'a' || *p == 'q' || *p == 'h') {
      const char *s = va_arg(ap, const char *);
      if (s && *p == 'q')
        put_url_component(out, s, strlen(s));
      else if (s && (*p != 'h' || cgi_url_is_web(s)))
        put_escaped(out, s, strlen(s), *p != 's');
      p++;
    } else if (*p == 'd') {
      snprintf(num, sizeof num, "%d", va_arg(ap, int));
      p++;
    } else if (*p == 'u') {
      snprintf(num, sizeof num, "%u", va_arg(ap, unsigned));
      p++;
    } else if (p[0] == 'z' && p[1] == 'u') {
      snprintf(num, sizeof num, "%zu", va_arg(ap, size_t));
      p += 2;
    } else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'u') {
      snprintf(num, sizeof num, "%llu", va_arg(ap, unsigned long long));
      p += 3;
    } else {
      fail(out);
    }
    put(out, num);
  }
  va_end(ap);
}
