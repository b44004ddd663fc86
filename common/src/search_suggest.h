/*
 * search_suggest.h — "did you mean" (search_suggest.c).
 */
#ifndef CYSEARCH_SEARCH_SUGGEST_H
#define CYSEARCH_SEARCH_SUGGEST_H

#include "cysearch/query.h"
#include "searcher.h"

/* text with its words that the index lacks replaced by close words of the
 * index; *out is NULL when there is nothing better or when the
 * suggestion, with o's filters, would find nothing (malloc'd otherwise).
 * ctx is the search's query context, pq what it parsed from text (its
 * record says which words are words). */
cys_status search_suggest(cys_searcher *s, const cys_query_context *ctx,
                          const cys_search_options *o, const char *text,
                          const cys_parsed_query *pq, char **out);

#endif
