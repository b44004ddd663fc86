/*
 * search_count.h — what a match counted (search_count.c): facets, the
 * total in stories when collapsing, and each story's copies.
 */
#ifndef CYSEARCH_SEARCH_COUNT_H
#define CYSEARCH_SEARCH_COUNT_H

#include "facet_value.h"
#include "searcher.h"

/* counted: the match counted values (cys_match_params.count_values, set
 * when o asks for facets or collapsing).  From them: the facets o asks
 * for into r->facets, with their gazetteer labels; r->total and
 * r->total_exact, in stories when o->collapse.  *stories_exact is set
 * when every match was counted, so that search_story_copies is exact. */
cys_status search_count(cys_searcher *s, const cys_mset *mset, int counted,
                        const cys_search_options *o, cys_results *r,
                        int *stories_exact);

/* The limit most frequent values of facet f in the tally, with their
 * gazetteer labels and (dated counts) first and last dates: *out is
 * malloc'd, each value's string too, also on failure (free the *n_out
 * made). */
cys_status search_facet_values(cys_searcher *s, facet_tally *tally,
                               unsigned f, size_t limit,
                               cys_facet_value **out, size_t *n_out);

/* The matches whose collapse key is key[0..len), from the counted
 * values. */
uint64_t search_story_copies(const cys_mset *mset, const char *key,
                             size_t len);

#endif
