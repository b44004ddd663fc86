/*
 * output.h — printing search results as text for people, JSON for scripts
 * and TREC run lines for evaluation.
 */
#ifndef CYSEARCH_SEARCHER_OUTPUT_H
#define CYSEARCH_SEARCHER_OUTPUT_H

#include <stdio.h>

#include "cysearch/search.h"

typedef enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_TREC } output_format;

/* Print the results of one query.  qid names the query in JSON and TREC
 * output (NULL for a single query from the command line).  Text uses ANSI
 * bold for matches when color is set.  Returns -1 on a write error. */
/* facets: the facets asked for (bits 1 << facet), printed after the hits. */
int output_text(FILE *f, const char *query, const cys_results *r, int color,
                unsigned facets);
int output_json(FILE *f, const char *qid, const char *query,
                const cys_results *r, unsigned facets);
int output_trec(FILE *f, const char *qid, const cys_results *r);

#endif
