/*
 * strbuf.h — what the page parsers add to the growable buffer of
 * byte_buf.h (buf): cleaned text, trimming, and taking the string.
 */
#ifndef CYSEARCH_INDEXER_STRBUF_H
#define CYSEARCH_INDEXER_STRBUF_H

#include <stddef.h>

#include "byte_buf.h"

/* Add s[0..n) with every control character (tab and newline included)
 * turned into a space: text for a title or a paragraph. */
void strbuf_add_clean(buf *b, const char *s, size_t n);

/* Drop trailing spaces and newlines. */
void strbuf_rtrim(buf *b);

/* The string (malloc'd, the caller frees it), or NULL when it is empty or
 * memory ran out; the buffer is left empty.  *failed (may be NULL) is set
 * when memory ran out at any point. */
char *strbuf_steal(buf *b, int *failed);

#endif
