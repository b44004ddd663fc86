/*
 * search_timeline.h — timelines (search_timeline.c): the stories of a
 * search's counted matches per day, ISO week, month or year, optionally
 * one series per top value of a facet; and the calendar they rest on.
 */
#ifndef CYSEARCH_SEARCH_TIMELINE_H
#define CYSEARCH_SEARCH_TIMELINE_H

#include "facet_value.h"
#include "searcher.h"

/* Fill r->timeline (new; freed by search_timeline_free) from the dated
 * counts of mset (cys_match_params.count_dated over every match); tally
 * holds o->timeline_facet when a series is asked for.  CYS_INVALID, with
 * the searcher's message, when the counts carry no dates (remote shards)
 * or the matches span more than CYS_TIMELINE_MAX_PERIODS periods. */
cys_status search_timeline(cys_searcher *s, const cys_mset *mset,
                           facet_tally *tally, const cys_search_options *o,
                           cys_results *r);

/* NULL accepted. */
void search_timeline_free(cys_timeline *t);

/* A CYS_SLOT_DATE sort key ("YYYYMMDD", unknown parts "00") as the date
 * it stands for ("2021-03-05", "2021-03", "2021"); "" for "" or NULL. */
void search_date_from_key(const char *key, char out[CYS_DATE_MAX]);

#endif
