/*
 * output.h — printing search results as text for people, JSON for scripts
 * and TREC run lines for evaluation.
 */
#ifndef CYSEARCH_SEARCHER_OUTPUT_H
#define CYSEARCH_SEARCHER_OUTPUT_H

#include <stdio.h>

#include "cysearch/search.h"

typedef enum output_format {
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_TREC,
  FORMAT_STIX, /* output_stix.h */
  FORMAT_CSV   /* output_timeline.h: the timeline, else the hits */
} output_format;

/* What the results answer, and how to print them. */
typedef struct output_opts {
  const char *qid;   /* names the query in JSON and TREC output; NULL for a
                        single query from the command line */
  const char *query; /* the query text */
  const char *like;  /* the article id of --like, or NULL */
  const cys_filter *filters; /* the filters searched with (JSON says
                                them), or NULL */
  size_t nfilters;
  /* JSON: which urls may be published; the others are null (the CGI
   * publishes http(s) URLs only, never the file path on the indexing
   * machine that pages without a URL of their own have).  NULL: all. */
  int (*url_shown)(const char *url);
  unsigned facets;   /* the facets asked for (bits 1 << facet), printed
                        after the hits */
  int color;         /* text: ANSI bold for matches */
} output_opts;

/* Print the results of one query.  A hit's explanation is printed when
 * the results have one.  Returns -1 on a write error. */
int output_text(FILE *f, const output_opts *o, const cys_results *r);
int output_json(FILE *f, const output_opts *o, const cys_results *r);
int output_trec(FILE *f, const char *qid, const cys_results *r);

/* A query of a batch that failed, in place of its results:
 * {"qid": …, "query": …, "error": message}.  Returns -1 on a write error. */
int output_json_error(FILE *f, const output_opts *o, const char *message);

#endif
