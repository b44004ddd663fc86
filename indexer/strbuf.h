/*
 * strbuf.h — a growable NUL-terminated string for the page parsers, with
 * a sticky out-of-memory flag: once an append fails, later ones do
 * nothing and strbuf_steal returns NULL.
 */
#ifndef CYSEARCH_INDEXER_STRBUF_H
#define CYSEARCH_INDEXER_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
  char *s;    /* NULL until something is added */
  size_t len; /* bytes in s, without the NUL */
  size_t cap;
  int failed; /* memory ran out */
} strbuf;

#define STRBUF_INIT                                                            \
  { NULL, 0, 0, 0 }

void strbuf_add(strbuf *b, const char *s, size_t n);
void strbuf_addc(strbuf *b, char c);

/* Add s[0..n) with every control character (tab and newline included)
 * turned into a space: text for a title or a paragraph. */
void strbuf_add_clean(strbuf *b, const char *s, size_t n);

/* Drop trailing spaces and newlines. */
void strbuf_rtrim(strbuf *b);

/* The string (malloc'd, the caller frees it), or NULL when it is empty or
 * memory ran out; the buffer is left empty.  *failed (may be NULL) is set
 * when memory ran out at any point. */
char *strbuf_steal(strbuf *b, int *failed);

void strbuf_free(strbuf *b);

#endif
