/*
 * cgi_runs.h — the indexing runs behind the page's "new since" selector
 * (cysearch/search.h, "Runs"): the records of the last runs the index
 * holds, newest first, and the check of since=N against them, done once
 * the index is open (cgi_request.c checks only that N is a number from 1).
 */
#ifndef CYSEARCH_CGI_RUNS_H
#define CYSEARCH_CGI_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "cgi_request.h"
#include "cysearch/search.h"

#define CGI_SINCE_RUNS 10 /* runs the selector lists */

typedef struct cgi_runs {
  uint64_t last; /* the index's last run; 0 when it records none */
  /* The last CGI_SINCE_RUNS recorded runs, newest first, then the run
   * since= names when it is older than those (so the selector can show
   * it selected and its chip its date).  Runs an index does not record
   * (those of a --shard job written elsewhere) are left out. */
  cys_run_record list[CGI_SINCE_RUNS + 1];
  size_t n;
  /* CYS_OK, or why a record could not be read (cys_searcher_errmsg
   * says more): the list is then empty, and the page shows no selector
   * rather than failing a search that does not need it. */
  cys_status failure;
} cgi_runs;

/* Check req->since against the index s has open and, with list set, read
 * the records the selector lists into *out: 200, or 400 with a message
 * for the page in error[0..esize) when since= names a run above the last
 * one or the index records no runs at all, or 503 when since= is given
 * and the last run cannot be read (out->failure says why).
 * With list 0, only the last run is read (out->n is 0). */
int cgi_runs_load(cys_searcher *s, const cgi_request *req, int list,
                  cgi_runs *out, char *error, size_t esize);

/* The record of run `run` in runs (which may be NULL), or NULL. */
const cys_run_record *cgi_runs_find(const cgi_runs *runs, uint64_t run);

/* "run 7, 2026-12-07 06:00 UTC" (r's start, to the minute), or "run 7"
 * when its start is not a time. */
void cgi_run_label(const cys_run_record *r, char out[64]);

#endif
