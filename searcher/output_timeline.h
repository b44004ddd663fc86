/*
 * output_timeline.h — timelines (cys_timeline) as text with a bar chart,
 * as JSON and as CSV; and hits as CSV (RFC 4180).
 */
#ifndef CYSEARCH_SEARCHER_OUTPUT_TIMELINE_H
#define CYSEARCH_SEARCHER_OUTPUT_TIMELINE_H

#include <jansson.h>
#include <stdio.h>

#include "cysearch/search.h"

/* The timeline as a table, one line per period with its bar, each series
 * a column, and what is not in a period said under it. */
void output_timeline_text(FILE *f, const cys_timeline *t);

/* {"unit", "exact", "undated", "imprecise", "periods": [{"period",
 * "count"}...], "facet", "series": [{"value", "label", "count",
 * "counts": [...]}...]}; NULL when memory runs out. */
json_t *output_timeline_json(const cys_timeline *t);

/* "period,stories" and a column per series (named by its label), then one
 * row per period, lines ending CRLF.  Returns -1 on a write error. */
int output_timeline_csv(FILE *f, const cys_timeline *t);

/* One row per hit: qid (NULL: "1"), rank, id, score, date, source, title,
 * url, duplicates, entities ("type:value" joined by "; "), snippet; the
 * header first when header is set (r NULL: the header alone).  Returns
 * -1 on a write error. */
int output_hits_csv(FILE *f, const char *qid, const cys_results *r, int header);

#endif
