/*
 * ascii_class.h — ASCII character classes, whatever the locale: the one
 * set of helpers for parsers of formats, dates and queries (<ctype.h>
 * depends on the locale and is undefined for negative chars).  A byte
 * outside ASCII is in no class.  Header-only, for the library and the
 * programs alike (common/util/CMakeLists.txt).
 *
 * Two white-space sets, both kept on purpose:
 *   ascii_is_white  space, tab, LF, CR: the white space of JSON (RFC 8259)
 *                   and of XML (its S production), and of running text;
 *   ascii_is_space  those and VT, FF: isspace() in the C locale, for
 *                   what people type (queries) and sniffing a format.
 */
#ifndef CYSEARCH_UTIL_ASCII_CLASS_H
#define CYSEARCH_UTIL_ASCII_CLASS_H

static inline int ascii_is_white(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int ascii_is_space(int c) {
  return ascii_is_white(c) || c == '\v' || c == '\f';
}

static inline int ascii_is_digit(int c) { return c >= '0' && c <= '9'; }

static inline int ascii_is_upper(int c) { return c >= 'A' && c <= 'Z'; }

static inline int ascii_is_lower(int c) { return c >= 'a' && c <= 'z'; }

static inline int ascii_is_alpha(int c) {
  return ascii_is_upper(c) || ascii_is_lower(c);
}

static inline int ascii_is_alnum(int c) {
  return ascii_is_alpha(c) || ascii_is_digit(c);
}

static inline char ascii_to_lower(char c) {
  return ascii_is_upper(c) ? (char)(c + 32) : c;
}

static inline char ascii_to_upper(char c) {
  return ascii_is_lower(c) ? (char)(c - 32) : c;
}

#endif
