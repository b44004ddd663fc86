/*
 * search_timeline.h — timelines (search_timeline.c): the stories of a
 * search's counted matches per day, ISO week, month or year, optionally
 * one series per top value of a facet.  The calendar is query_period.h.
 */
#ifndef CYSEARCH_SEARCH_TIMELINE_H
#define CYSEARCH_SEARCH_TIMELINE_H

#include "searcher.h"

/* Fill r->timeline (new; freed by search_timeline_free) from the dated
 * counts of mset (cys_match_params.count_dated over every match), with
 * one series per value of series[0..nseries) (o->timeline_facet's most
 * frequent, search_facet_values), which the timeline takes over, also on
 * failure (NULL, 0: none).  CYS_INVALID, with the searcher's message,
 * when the counts carry no dates (remote shards) or the matches span more
 * than CYS_TIMELINE_MAX_PERIODS periods. */
cys_status search_timeline(cys_searcher *s, const cys_mset *mset,
                           cys_facet_value *series, size_t nseries,
                           const cys_search_options *o, cys_results *r);

/* NULL accepted. */
void search_timeline_free(cys_timeline *t);

#endif
