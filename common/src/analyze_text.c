/*
 * analyze_text.c — character classes (utf8proc's Unicode categories, with
 * an ASCII fast path) and the undoing of defanged indicators.
 */
#include <string.h>
#include <utf8proc.h>

#include "analyze_internal.h"

int32_t cp_decode(const char *s, size_t len, size_t i, size_t *n) {
  unsigned char c = (unsigned char)s[i];
  if (c < 0x80) {
    *n = 1;
    return c;
  }
  utf8proc_int32_t cp;
  utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                        (utf8proc_ssize_t)(len - i), &cp);
  if (r <= 0) {
    *n = 1;
    return -1;
  }
  *n = (size_t)r;
  return cp;
}

int cp_is_word(int32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
  case UTF8PROC_CATEGORY_PC:
    return 1;
  default:
    return 0;
  }
}

int cp_is_letter(int32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  utf8proc_category_t cat = utf8proc_category(c);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

int cp_is_digit(int32_t c) {
  if (c < 0x80)
    return c >= '0' && c <= '9';
  return utf8proc_category(c) == UTF8PROC_CATEGORY_ND;
}

int cp_is_space(int32_t c) {
  if (c < 0)
    return 1; /* invalid UTF-8 separates, and is otherwise ignored */
  if (c < 0x80)
    return c <= ' ' || c == 0x7F;
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_ZS:
  case UTF8PROC_CATEGORY_ZL:
  case UTF8PROC_CATEGORY_ZP:
  case UTF8PROC_CATEGORY_CC:
    return 1;
  default:
    return c == 0xFFFD; /* a replaced bad byte */
  }
}

int cp_is_invisible(int32_t c) {
  return c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_CF;
}

int cp_is_apostrophe(int32_t c) {
  return c == '\'' || c == 0x2019 || c == 0x02BC;
}

/* ---- defanged indicators and typographic joiners ---------------------------
 * Threat reports write "evil[.]com", "1.2.3[.]4", "user[at]mail.com" and
 * "hxxp://" so that nobody clicks them.  Undone here, at index and query
 * time alike, so the defanged and plain forms are the same term.
 *
 * Word processors and some sites write identifiers with typographic
 * dashes ("CVE–2018–17456", U+2013) or fullwidth forms ("CVE－2018－17456",
 * "evil．com").  NFKC (fold() in analyze.c) turns fullwidth letters and
 * digits into ASCII, but only inside a word, and it leaves U+2010 and
 * U+2012-U+2015 and U+2212 alone: joiners are recognised before folding.
 * So they are made ASCII here, in the same pass and with the same offset
 * map, which keeps snippets pointing at the original bytes:
 *   - a dash (U+2010-U+2015, U+2212 minus, U+FE63 small and U+FF0D
 *     fullwidth hyphen-minus) between a word character and a digit reads
 *     as '-': "CVE–2018–17456", "NTP–4", "2–3".  Before a letter it is
 *     left alone: an em dash there is punctuation ("CVE-2017-14491—A
 *     heap overflow" must keep its CVE whole), and between two letters
 *     it makes no difference (hyphenated words are read as words);
 *   - fullwidth '.', '/', ':', '@' and '\' between word characters read
 *     as their ASCII forms. */

typedef struct pattern {
  const char *from; /* matched ignoring ASCII case */
  const char *to;
} pattern;

static const pattern patterns[] = {
    {"[.]", "."},   {"(.)", "."},   {"{.}", "."},     {"[dot]", "."},
    {"(dot)", "."}, {"{dot}", "."}, {"[@]", "@"},     {"(@)", "@"},
    {"{@}", "@"},   {"[at]", "@"},  {"(at)", "@"},    {"{at}", "@"},
    {"[:]", ":"},   {"[/]", "/"},   {"[://]", "://"}, {"hxxp", "http"},
    {"hxxps", "https"}, {"fxp:", "ftp:"},
};

static int match_at(const char *s, size_t n, size_t i, const char *p) {
  size_t m = strlen(p);
  if (i + m > n)
    return 0;
  for (size_t k = 0; k < m; k++) {
    char c = s[i + k];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    if (c != p[k])
      return 0;
  }
  return 1;
}

/* The longest pattern at s[i], or NULL. */
static const pattern *pattern_at(const char *s, size_t n, size_t i) {
  const pattern *best = NULL;
  for (size_t k = 0; k < sizeof patterns / sizeof *patterns; k++) {
    const pattern *p = &patterns[k];
    if (match_at(s, n, i, p->from) &&
        (!best || strlen(p->from) > strlen(best->from)))
      best = p;
  }
  /* "hxxp" only as a scheme: followed by ':', 's:' or a defanged colon. */
  if (best && best->from[0] == 'h') {
    size_t after = i + strlen(best->from);
    if (!(after < n && (s[after] == ':' || s[after] == '[')))
      best = NULL;
  }
  return best;
}

int cp_is_dash(int32_t c) {
  return (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63 ||
         c == 0xFF0D;
}

/* The ASCII joiner a fullwidth one stands for, or 0. */
static char fullwidth_joiner(int32_t c) {
  switch (c) {
  case 0xFF0E:
    return '.';
  case 0xFF0F:
    return '/';
  case 0xFF1A:
    return ':';
  case 0xFF20:
    return '@';
  case 0xFF3C:
    return '\\';
  default:
    return 0;
  }
}

/* The ASCII character the code point at s[i] (of *len bytes) reads as in
 * its place (see above), or 0 to keep it. */
static char typographic_at(const char *s, size_t n, size_t i, size_t *len) {
  unsigned char lead = (unsigned char)s[i];
  *len = 1;
  if ((lead != 0xE2 && lead != 0xEF) || i == 0)
    return 0;
  int32_t c = cp_decode(s, n, i, len);
  char ascii = cp_is_dash(c) ? '-' : fullwidth_joiner(c);
  if (!ascii || i + *len >= n)
    return 0;
  size_t before = i - 1, next_len, prev_len;
  while (before > 0 && ((unsigned char)s[before] & 0xC0) == 0x80)
    before--;
  int32_t prev = cp_decode(s, n, before, &prev_len);
  int32_t next = cp_decode(s, n, i + *len, &next_len);
  if (!cp_is_word(prev) || !(ascii == '-' ? cp_is_digit(next)
                                          : cp_is_word(next)))
    return 0;
  return ascii;
}

int defang_needed(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    size_t len;
    if ((c == '[' || c == '(' || c == '{' || c == 'h' || c == 'H' ||
         c == 'f' || c == 'F') &&
        pattern_at(s, n, i))
      return 1;
    if (typographic_at(s, n, i, &len))
      return 1;
  }
  return 0;
}

size_t defang(const char *s, size_t n, size_t base, char *out, size_t *map) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    const pattern *p = pattern_at(s, n, i);
    size_t len;
    char ascii = p ? 0 : typographic_at(s, n, i, &len);
    if (ascii) {
      out[o] = ascii;
      map[o++] = base + i;
      i += len;
    } else if (p) {
      /* Output characters map to the input one at the same place (a
       * same-length rewrite like "hxxp"), or the last one there is. */
      size_t m = strlen(p->to), f = strlen(p->from);
      for (size_t k = 0; k < m; k++) {
        out[o] = p->to[k];
        map[o++] = base + i + (k < f ? k : f - 1);
      }
      i += f;
    } else {
      out[o] = s[i];
      map[o++] = base + i;
      i++;
    }
  }
  map[o] = base + n;
  return o;
}
