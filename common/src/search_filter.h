/*
 * search_filter.h — filters given as structure (search_filter.c).
 */
#ifndef CYSEARCH_SEARCH_FILTER_H
#define CYSEARCH_SEARCH_FILTER_H

#include "cysearch/query.h"
#include "searcher.h"

/* options.filters applied to pq->query, which is replaced; on
 * CYS_BAD_QUERY the searcher's message and bad_filter say which filter
 * and why. */
cys_status search_apply_filters(cys_searcher *s, const cys_query_context *ctx,
                                const cys_search_options *o,
                                cys_parsed_query *pq);

#endif
