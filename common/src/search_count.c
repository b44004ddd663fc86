/*
 * search_count.c — what a match counted, as the results show it: facet
 * values with their labels, the total in stories when near-duplicates are
 * collapsed, and how many copies each story has.  One count of values
 * serves all three (facet_value.h): the facet value leads with the
 * collapse key.
 */
#include <stdlib.h>
#include <string.h>

#include "facet_value.h"
#include "query_period.h"
#include "search_count.h"
#include "search_timeline.h"

static const char *const facet_names[CYS_FACETS] = {
    "country", "agency", "actor", "cve", "malware", "vendor", "source",
    "year", "kev", "kev-ransomware"};

const char *cys_facet_name(unsigned facet) {
  return facet < CYS_FACETS ? facet_names[facet] : "unknown";
}

cys_status cys_facet_parse(const char *name, size_t len, unsigned *out) {
  for (unsigned f = 0; f < CYS_FACETS; f++)
    if (strlen(facet_names[f]) == len && memcmp(facet_names[f], name, len) == 0) {
      *out = f;
      return CYS_OK;
    }
  return CYS_NOT_FOUND;
}

cys_status search_facet_values(cys_searcher *s, facet_tally *tally,
                               unsigned f, size_t limit,
                               cys_facet_value **out, size_t *n_out) {
  const facet_count *counts;
  size_t n;
  *out = NULL;
  *n_out = 0;
  cys_status st = facet_tally_field(tally, f, limit, &counts, &n);
  if (st != CYS_OK)
    return st;
  cys_facet_value *values = calloc(n ? n : 1, sizeof *values);
  if (!values)
    return CYS_NOMEM;
  *out = values;
  for (size_t i = 0; i < n; i++) {
    cys_facet_value *fv = &values[i];
    fv->value = strdup(counts[i].value);
    if (!fv->value)
      return CYS_NOMEM;
    *n_out = i + 1;
    fv->count = counts[i].count;
    period_date_text(counts[i].first, fv->first);
    period_date_text(counts[i].last, fv->last);
    fv->label = fv->value;
    if (f < CYS_ENTITY_TYPES && s->gazetteer) {
      const cys_entity *e =
          cys_gazetteer_find(s->gazetteer, (cys_entity_type)f, fv->value);
      if (e)
        fv->label = e->label;
    }
  }
  return CYS_OK;
}

/* Copy each facet asked for, counted by the tally, into the results. */
static cys_status collect_facets(cys_searcher *s, facet_tally *tally,
                                 unsigned asked, size_t limit,
                                 cys_results *r) {
  for (unsigned f = 0; f < CYS_FACETS; f++) {
    cys_status st = asked & (1u << f)
                        ? search_facet_values(s, tally, f, limit,
                                              &r->facets[f].values,
                                              &r->facets[f].n)
                        : CYS_OK;
    if (st != CYS_OK)
      return st;
  }
  return CYS_OK;
}

/* The timeline o asks for, with its series: the top values of its facet
 * in the tally. */
static cys_status count_timeline(cys_searcher *s, const cys_mset *mset,
                                 facet_tally *tally,
                                 const cys_search_options *o,
                                 cys_results *r) {
  cys_facet_value *series = NULL;
  size_t nseries = 0;
  cys_status st = CYS_OK;
  if (o->timeline_facet >= 0 && o->timeline_facet < CYS_FACETS)
    st = search_facet_values(s, tally, (unsigned)o->timeline_facet,
                             o->facet_limit, &series, &nseries);
  if (st != CYS_OK) {
    for (size_t k = 0; k < nseries; k++)
      free(series[k].value);
    free(series);
    return st;
  }
  return search_timeline(s, mset, series, nseries, o, r);
}

/* Tally the counted values of the search (facet_value.h). */
static cys_status tally_counts(const cys_mset *mset, unsigned asked,
                               int per_story, facet_tally **out) {
  facet_tally *t = facet_tally_new(asked, per_story);
  if (!t)
    return CYS_NOMEM;
  cys_status st = CYS_OK;
  for (size_t i = 0, n = cys_mset_count_size(mset); i < n && !st; i++) {
    const char *v;
    size_t len;
    uint64_t count;
    cys_mset_count_get(mset, i, &v, &len, &count);
    const char *date =
        cys_mset_counted_dated(mset) ? facet_value_split_date(v, &len) : NULL;
    st = facet_tally_add_dated(t, v, len, date, count);
  }
  if (st != CYS_OK) {
    facet_tally_free(t);
    return st;
  }
  *out = t;
  return CYS_OK;
}

/* The counted values are in byte order and lead with the key. */
uint64_t search_story_copies(const cys_mset *mset, const char *key,
                             size_t len) {
  size_t lo = 0, hi = cys_mset_count_size(mset);
  while (lo < hi) { /* the first value not below key */
    size_t mid = lo + (hi - lo) / 2;
    const char *v;
    size_t vlen;
    uint64_t count;
    cys_mset_count_get(mset, mid, &v, &vlen, &count);
    int c = memcmp(v, key, vlen < len ? vlen : len);
    if (c < 0 || (c == 0 && vlen < len))
      lo = mid + 1;
    else
      hi = mid;
  }
  uint64_t total = 0;
  for (size_t i = lo, n = cys_mset_count_size(mset); i < n; i++) {
    const char *v;
    size_t vlen;
    uint64_t count;
    cys_mset_count_get(mset, i, &v, &vlen, &count);
    if (facet_value_key_len(v, vlen) != len || memcmp(v, key, len) != 0)
      break;
    total += count;
  }
  return total;
}


cys_status search_count(cys_searcher *s, const cys_mset *mset, int counted,
                        const cys_search_options *o, cys_results *r,
                        int *stories_exact) {
  facet_tally *tally = NULL;
  cys_status st;
  /* A timeline's series are the top values of its facet. */
  unsigned tallied = o->facets;
  if (o->timeline != CYS_TIMELINE_NONE && o->timeline_facet >= 0 &&
      o->timeline_facet < CYS_FACETS)
    tallied |= 1u << o->timeline_facet;
  if (counted &&
      ((st = tally_counts(mset, tallied, o->collapse, &tally)) ||
       (st = collect_facets(s, tally, o->facets, o->facet_limit, r)) ||
       (o->timeline != CYS_TIMELINE_NONE &&
        (st = count_timeline(s, mset, tally, o, r))))) {
    facet_tally_free(tally);
    return st;
  }
  /* Every match was counted when the match saw them all: then facets and
   * copies per story are exact. */
  int counted_all = counted && cys_mset_counted_all(mset);
  *stories_exact = o->collapse && counted_all;
  uint64_t est, lo, hi;
  cys_mset_totals(mset, &est, &lo, &hi);
  r->total = est;
  r->total_lower = lo;
  r->total_upper = hi;
  r->total_exact = lo == hi;
  uint64_t matches = tally ? facet_tally_matches(tally) : 0;
  if (o->facets) {
    r->facets_exact = counted_all;
    r->facet_matches = matches;
  }
  if (o->collapse) {
    /* The total counts stories: exact when every match was counted, else
     * the estimated matches times the share of stories among the matches
     * counted (as Xapian estimates collapsed totals).  The stories
     * counted are a lower bound; every story has at least one match, so
     * the matches' upper bound stays one. */
    uint64_t stories = facet_tally_stories(tally);
    r->total_exact = *stories_exact;
    if (*stories_exact || matches == 0) {
      r->total = r->total_lower = stories;
      if (*stories_exact)
        r->total_upper = stories;
    } else {
      r->total = (uint64_t)((double)est * (double)stories / (double)matches +
                            0.5);
      r->total_lower = stories;
    }
    if (r->total < r->total_lower)
      r->total = r->total_lower;
    if (r->total > r->total_upper)
      r->total_upper = r->total;
  }
  facet_tally_free(tally);
  return CYS_OK;
}
