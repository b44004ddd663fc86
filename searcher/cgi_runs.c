/*
 * cgi_runs.c — the run records the "new since" selector lists, and the
 * check of since= (see cgi_runs.h).  A handful of metadata reads: cheap
 * beside the search.
 */
#include "cgi_runs.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Lookups at most, so that an index whose first shard records few of
 * the runs (--shard jobs elsewhere) costs little. */
#define MAX_LOOKUPS (4 * CGI_SINCE_RUNS)

/* Append run's record to out->list; CYS_OK also when there is none. */
static cys_status add_run(cys_searcher *s, uint64_t run, cgi_runs *out) {
  cys_run_record r;
  cys_status st = cys_searcher_run_record(s, run, &r);
  if (st == CYS_NOT_FOUND)
    return CYS_OK;
  if (st == CYS_OK)
    out->list[out->n++] = r;
  return st;
}

int cgi_runs_load(cys_searcher *s, const cgi_request *req, int list,
                  cgi_runs *out, char *error, size_t esize) {
  memset(out, 0, sizeof *out);
  cys_status st = cys_searcher_last_run(s, &out->last);
  if (st != CYS_OK) {
    out->failure = st;
    return req->since ? 503 : 200;
  }
  if (req->since && out->last == 0) {
    snprintf(error, esize,
             "This index records no indexing runs (it is empty, or older "
             "than run records), so 'since' cannot narrow the search: "
             "remove it.");
    return 400;
  }
  if (req->since > out->last) {
    snprintf(error, esize,
             "The index's last indexing run is run %" PRIu64 "; 'since' is "
             "a run from 1 to %" PRIu64 ".",
             out->last, out->last);
    return 400;
  }
  uint64_t run = out->last;
  for (unsigned k = 0; list && st == CYS_OK && run >= 1 &&
                       out->n < CGI_SINCE_RUNS && k < MAX_LOOKUPS;
       k++, run--)
    st = add_run(s, run, out);
  if (list && st == CYS_OK && req->since && !cgi_runs_find(out, req->since))
    st = add_run(s, req->since, out);
  if (st != CYS_OK) { /* the selector is left out; the search goes on */
    out->n = 0;
    out->failure = st;
  }
  return 200;
}

const cys_run_record *cgi_runs_find(const cgi_runs *runs, uint64_t run) {
  for (size_t i = 0; runs && i < runs->n; i++)
    if (runs->list[i].run == run)
      return &runs->list[i];
  return NULL;
}

void cgi_run_label(const cys_run_record *r, char out[64]) {
  const char *t = r->started; /* "YYYY-MM-DDTHH:MM:SSZ" */
  if (strlen(t) >= 16 && t[10] == 'T')
    snprintf(out, 64, "run %" PRIu64 ", %.10s %.5s UTC", r->run, t, t + 11);
  else
    snprintf(out, 64, "run %" PRIu64, r->run);
}
