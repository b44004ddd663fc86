/*
 * analyze_internal.h — pieces of the analyzer shared by analyze.c and
 * analyze_text.c: character classes and the undoing of defanged
 * indicators.  Private to the analyzer, but for query_filter.c, which
 * reads typographic dashes in cve: values as the analyzer reads them.
 */
#ifndef CYSEARCH_ANALYZE_INTERNAL_H
#define CYSEARCH_ANALYZE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Decode the code point at s[i..len); invalid UTF-8 decodes as -1, one
 * byte long, which no class below accepts. */
int32_t cp_decode(const char *s, size_t len, size_t i, size_t *n);

int cp_is_word(int32_t c);      /* letters, marks, digits, connectors ('_') */
int cp_is_letter(int32_t c);
int cp_is_digit(int32_t c);
int cp_is_space(int32_t c);     /* separates chunks: spaces, controls, bad bytes */
int cp_is_invisible(int32_t c); /* zero-width and other format characters */
int cp_is_apostrophe(int32_t c);
/* A typographic dash read as '-' between a word character and a digit:
 * U+2010-U+2015, U+2212, U+FE63, U+FF0D. */
int cp_is_dash(int32_t c);

/* Does s[0..n) hold a defanged form ("[.]", "(dot)", "hxxp", ...) or a
 * typographic joiner ("CVE–2018–17456", "evil．com")? */
int defang_needed(const char *s, size_t n);

/* Write s[0..n) to out with defanged forms undone ("evil[.]com" ->
 * "evil.com", "hxxp" -> "http") and typographic joiners made ASCII
 * ("CVE–2018" -> "CVE-2018"; analyze_text.c says which).  The result is
 * never longer than the
 * input.  map[k] receives base + the offset in s that out[k] came from, and
 * map[result] = base + n.  Returns the length written. */
size_t defang(const char *s, size_t n, size_t base, char *out, size_t *map);

/* Read plain ASCII words by analyze.c's shortcut (on by default) or, off,
 * by the general path: the same tokens either way; tests compare them. */
typedef struct cys_analyzer cys_analyzer;
void analyzer_read_plain_words(cys_analyzer *a, int on);

/* Stem only the words whose first byte b is in set (bit b & 7 of
 * set[b >> 3]; 32 bytes, borrowed until the call with NULL that ends
 * it); the others come with stem NULL, stem_len 0.  For the highlighter:
 * English stems (Porter2, libstemmer's "english") only ever change the
 * end of a word, so a word whose first byte no query stem starts with
 * cannot have a query stem (test_analyzer_shortcuts checks this over the
 * news corpus); other languages' stemmers may change the start. */
void analyzer_stem_only_first(cys_analyzer *a, const unsigned char *set);

#endif
