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

#include "byte_buf.h" /* the growable buffer, buf (common/util) */

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
