/*
 * search_runs.c — the run records of the index a searcher has open
 * (search.h, "Runs"; schema.h: CYS_META_RUN, CYS_META_RUN_RECORD), and
 * the run added-since: starts from.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/db.h"
#include "cysearch/schema.h"
#include "searcher.h"

cys_status cys_searcher_last_run(cys_searcher *s, uint64_t *out) {
  if (!s->db)
    return search_error(s, CYS_INVALID, "no index is open");
  char *value = NULL;
  cys_status st = cys_db_get_metadata(s->db, CYS_META_RUN, &value);
  if (st != CYS_OK)
    return search_error(s, st, "cannot read the run records: %s",
                        cys_db_errmsg(s->db));
  char *end = value;
  uint64_t run = *value ? strtoull(value, &end, 10) : 0;
  int bad = *end != '\0';
  free(value);
  if (bad)
    return search_error(s, CYS_CORRUPT,
                        "the index holds a damaged run number (metadata %s)",
                        CYS_META_RUN);
  *out = run;
  return CYS_OK;
}

cys_status cys_searcher_run_record(cys_searcher *s, uint64_t run,
                                   cys_run_record *out) {
  if (!s->db)
    return search_error(s, CYS_INVALID, "no index is open");
  char key[CYS_RUN_KEY_MAX], *value = NULL;
  cys_run_record_key(run, key);
  cys_status st = cys_db_get_metadata(s->db, key, &value);
  if (st != CYS_OK)
    return search_error(s, st, "cannot read the run records: %s",
                        cys_db_errmsg(s->db));
  size_t n = strlen(value);
  if (n == 0) {
    free(value);
    return search_error(s, CYS_NOT_FOUND, "the index records no run %" PRIu64,
                        run);
  }
  cys_run_record r = {.run = run};
  const char *space = strchr(value, ' ');
  size_t started = space ? (size_t)(space - value) : n;
  if (started >= sizeof r.started || (space && strlen(space + 1) >=
                                                   sizeof r.ended)) {
    free(value);
    return search_error(s, CYS_CORRUPT,
                        "the index holds a damaged record of run %" PRIu64,
                        run);
  }
  memcpy(r.started, value, started);
  if (space)
    strcpy(r.ended, space + 1);
  free(value);
  *out = r;
  return CYS_OK;
}

/* Runs start in order (the writer never lets a start time go back), so
 * the first one at or after `when` is found by bisection. */
cys_status searcher_run_since(cys_searcher *s, const char *when,
                              uint64_t *run) {
  uint64_t last = 0;
  cys_status st = cys_searcher_last_run(s, &last);
  uint64_t lo = 1, hi = last + 1; /* the answer is in [lo, hi] */
  while (st == CYS_OK && lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    cys_run_record r;
    st = cys_searcher_run_record(s, mid, &r);
    if (st == CYS_NOT_FOUND) { /* a run of a --shard job elsewhere */
      st = CYS_OK;
      lo = mid + 1;
      continue;
    }
    if (st == CYS_OK && strcmp(r.started, when) >= 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  if (st == CYS_OK)
    *run = lo;
  return st;
}
