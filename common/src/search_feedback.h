/*
 * search_feedback.h — experimental pseudo-relevance feedback
 * (search_feedback.c).
 */
#ifndef CYSEARCH_SEARCH_FEEDBACK_H
#define CYSEARCH_SEARCH_FEEDBACK_H

#include "searcher.h"

/* options.feedback_terms: *query AND_MAYBE the stems that best tell its
 * top hit apart, together weighing a fixed share of `words`, the number
 * of words of the query (see search_feedback.c).  mp is the match set-up
 * of the search. */
cys_status search_add_feedback(cys_searcher *s, const cys_search_options *o,
                               const cys_match_params *mp, size_t words,
                               cys_query **query);

#endif
