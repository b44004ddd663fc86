/*
 * internal.h — declarations shared between common/src files and nowhere
 * else.  Programs must not include it (tests may).
 */
#ifndef CYSEARCH_INTERNAL_H
#define CYSEARCH_INTERNAL_H

#include <stddef.h>

#include "cysearch/analyze.h"
#include "cysearch/query.h"
#include "cysearch/search.h"

/* A growable byte buffer with a sticky out-of-memory flag: once an append
 * fails, later appends do nothing and buf_failed() says so. */
typedef struct buf {
  char *data;
  size_t len, cap;
  int failed;
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_append_str(buf *b, const char *s);
/* Release the data to the caller (NUL-terminated), or NULL after a failure. */
char *buf_take(buf *b);

/* Make the snippet of text[0..len) that best shows the query's terms: about
 * target bytes around the densest cluster of matches, cut at word
 * boundaries and never inside a UTF-8 character, with "…" where text was
 * left out.  *spans lists the matched words in snippet offsets.  Only the
 * first 256 KiB of text are searched for matches (a bounded cost); with
 * none there, the snippet is the lead. */
cys_status cys_snippet_make(cys_analyzer *analyzer, const cys_query_terms *terms,
                            const char *text, size_t len, size_t target,
                            char **snippet, cys_span **spans, size_t *nspans);

#endif /* CYSEARCH_INTERNAL_H */
