/*
 * search_internal.h — shared by the files of the search path: search.c
 * (open, run, results), search_rank.c (sort orders, freshness, more like
 * this, score explanations), search_feedback.c (pseudo-relevance
 * feedback), search_suggest.c ("did you mean") and search_filter.c
 * (filters given as structure).
 */
#ifndef CYSEARCH_SEARCH_INTERNAL_H
#define CYSEARCH_SEARCH_INTERNAL_H

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/query.h"
#include "cysearch/search.h"

struct cys_searcher {
  cys_db *db;
  cys_analyzer *analyzer;
  cys_gazetteer *gazetteer; /* built when first needed */
  char message[512];
  long bad_filter; /* cys_searcher_bad_filter */
};

/* Set the searcher's message (printf-style) and return status. */
cys_status search_error(cys_searcher *s, cys_status status, const char *fmt,
                        ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

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

/* Pseudo-relevance feedback (options.feedback_*): *query AND_MAYBE the
 * stems that best tell its top hits apart, together weighing
 * feedback_weight times `words`, the number of words of the query (at
 * most FEEDBACK_MAX_WORDS count; see search_feedback.c).  mp is the match
 * set-up of the search. */
cys_status search_add_feedback(cys_searcher *s, const cys_search_options *o,
                               const cys_match_params *mp, size_t words,
                               cys_query **query);

/* Fill h->explain: what each part of query gave document docid.
 * pq is what was parsed from the text typed (stems are shown as the words
 * of its text items, and a stem none of them has is labelled
 * "feedback"); NULL for more like this. */
cys_status search_explain_hit(cys_searcher *s, const cys_query *query,
                              cys_docid docid, const cys_match_params *mp,
                              const cys_parsed_query *pq, cys_hit *h);

/* "Did you mean": text with its words that the index lacks replaced by
 * close words of the index; *out is NULL when there is nothing better or
 * when the suggestion, with o's filters, would find nothing (malloc'd
 * otherwise).  ctx is the search's query context, pq what it parsed from
 * text (its record says which words are words). */
cys_status search_suggest(cys_searcher *s, const cys_query_context *ctx,
                          const cys_search_options *o, const char *text,
                          const cys_parsed_query *pq, char **out);

/* options.filters applied to pq->query (see search_filter.c), which is
 * replaced; on CYS_BAD_QUERY the searcher's message and bad_filter say
 * which filter and why. */
cys_status search_apply_filters(cys_searcher *s, const cys_query_context *ctx,
                                const cys_search_options *o,
                                cys_parsed_query *pq);

#endif
