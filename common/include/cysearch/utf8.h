/*
 * utf8.h — checking and repairing UTF-8 text from outside.
 *
 * Ownership: cys_utf8_repair's *out is malloc'd, the caller frees it.
 * Errors: only CYS_NOMEM (cys_utf8_repair); the others cannot fail.
 */
#ifndef CYSEARCH_UTF8_H
#define CYSEARCH_UTF8_H

#include <stddef.h>

#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Byte offset of the first invalid UTF-8 sequence in s[0..len), or len when
 * the whole text is valid.  Overlong forms, surrogates and code points above
 * U+10FFFF are invalid. */
CYS_API size_t cys_utf8_invalid_offset(const char *s, size_t len);

/* Copy s[0..len) to a new NUL-terminated string in which every invalid
 * sequence is replaced by U+FFFD.  *out is malloc'd and owned by the
 * caller; *replaced (may be NULL) counts the replacements.  Returns
 * CYS_NOMEM when memory runs out (then *out is untouched). */
CYS_API cys_status cys_utf8_repair(const char *s, size_t len, char **out,
                                   size_t *out_len, size_t *replaced);

/* Length of the longest prefix of s[0..len) that does not end inside a
 * UTF-8 sequence (so cutting there never splits a character). */
CYS_API size_t cys_utf8_floor(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_UTF8_H */
