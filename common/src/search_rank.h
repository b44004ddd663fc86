/*
 * search_rank.h — the orders and views of a search beyond plain BM25
 * (search_rank.c): the freshness weight, more like this, explanations.
 */
#ifndef CYSEARCH_SEARCH_RANK_H
#define CYSEARCH_SEARCH_RANK_H

#include "searcher.h"

/* CYS_SORT_RECENT: *query AND_MAYBE a freshness weight (see search_rank.c).
 * mp is the match set-up of the search (used to find the best score). */
cys_status search_add_recency(cys_searcher *s, const cys_search_options *o,
                              const cys_match_params *mp, cys_query **query);

/* More like this: the query for articles like the one with this id (its
 * most telling stems, the article itself excluded), and those stems for
 * highlighting (*stems: caller frees each and the array).  CYS_NOT_FOUND
 * when no article has the id. */
cys_status search_like_query(cys_searcher *s, const char *id, cys_query **out,
                             char ***stems, size_t *nstems);

/* Fill h->explain: what each part of query gave document docid.
 * pq is what was parsed from the text typed (stems are shown as the words
 * of its text items, and a stem none of them has is labelled
 * "feedback"); NULL for more like this. */
cys_status search_explain_hit(cys_searcher *s, const cys_query *query,
                              cys_docid docid, const cys_match_params *mp,
                              const cys_parsed_query *pq, cys_hit *h);

#endif
