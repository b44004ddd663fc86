/*
 * search_timeline.c — timelines (search.h, cys_timeline): the stories of
 * every match per day, ISO week, month or year, from the dated counts of
 * the match (cys_match_params.count_dated: each match's CYS_SLOT_FACETS
 * or CYS_SLOT_COLLAPSE value with its CYS_SLOT_DATE value), so a timeline
 * costs one more value read per match, not a search per period.
 *
 * A story counts once in each period where one of its matching articles
 * is dated: exactly what the same search narrowed by that period's date
 * filters (cys_timeline_period_filters) counts as its total.  Articles
 * dated less precisely than the unit (a month in a timeline by week) are
 * in no period and counted apart, as are undated ones.
 *
 * Two passes over the counted values, which come in byte order and so one
 * story's values together (the collapse key leads each): the first finds
 * the range of periods (and the unit, for AUTO), the second counts each
 * (period, series) cell once per story, remembering in every cell the
 * last story that counted it.
 */
#include "search_timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facet_value.h"
#include "query_period.h"

/* Cells (periods times series plus one) a timeline may hold. */
#define MAX_CELLS 4000000u

static const char *const unit_names[] = {"none",  "day",  "week",
                                         "month", "year", "auto"};

cys_status cys_timeline_unit_parse(const char *name, cys_timeline_unit *out) {
  for (int u = CYS_TIMELINE_DAY; u <= CYS_TIMELINE_AUTO; u++)
    if (strcmp(name, unit_names[u]) == 0) {
      *out = (cys_timeline_unit)u;
      return CYS_OK;
    }
  return CYS_NOT_FOUND;
}

const char *cys_timeline_unit_name(cys_timeline_unit unit) {
  return (unsigned)unit <= CYS_TIMELINE_AUTO ? unit_names[unit] : "none";
}

_Static_assert(CYS_PERIOD_RANGE_MAX == PERIOD_RANGE_MAX &&
                   CYS_DATE_MAX == PERIOD_KEY_MAX &&
                   (int)CYS_TIMELINE_DAY == (int)PERIOD_DAY &&
                   (int)CYS_TIMELINE_YEAR == (int)PERIOD_YEAR,
               "search.h and query_period.h agree");

cys_status cys_timeline_period_filters(const char *period,
                                       cys_timeline_unit *unit,
                                       char ranges[2][CYS_PERIOD_RANGE_MAX],
                                       size_t *n) {
  period_unit u;
  if (!period || period_filters(period, &u, ranges, n) != 0)
    return CYS_INVALID;
  *unit = (cys_timeline_unit)u;
  return CYS_OK;
}

/* ---- counting ----------------------------------------------------------- */

/* One counted value of the match: the value, its date (NULL: undated) and
 * how many matches had it. */
typedef struct counted {
  const char *value;
  size_t len;
  const char *date;
  uint64_t count;
} counted;

static counted counted_get(const cys_mset *mset, size_t i) {
  counted c;
  cys_mset_count_get(mset, i, &c.value, &c.len, &c.count);
  c.date = facet_value_split_date(c.value, &c.len);
  return c;
}

/* The first pass: the range of periods of each unit, and how many
 * matches are dated precisely enough for it. */
typedef struct unit_range {
  long lo, hi;
  uint64_t precise;
} unit_range;

static void scan_ranges(const cys_mset *mset, unit_range range[5],
                        uint64_t *dated) {
  for (int u = 0; u < 5; u++)
    range[u] = (unit_range){0, -1, 0};
  *dated = 0;
  for (size_t i = 0, n = cys_mset_count_size(mset); i < n; i++) {
    counted c = counted_get(mset, i);
    period_date t;
    if (!c.date || !period_parse_key(c.date, &t))
      continue;
    *dated += c.count;
    for (int u = CYS_TIMELINE_DAY; u <= CYS_TIMELINE_YEAR; u++) {
      long p;
      if (!period_of((period_unit)u, &t, &p))
        continue;
      unit_range *r = &range[u];
      if (r->precise == 0 || p < r->lo)
        r->lo = p;
      if (r->precise == 0 || p > r->hi)
        r->hi = p;
      r->precise += c.count;
    }
  }
}

/* AUTO: the finest unit with at most CYS_TIMELINE_AUTO_PERIODS periods
 * that dates at least half of the dated matches precisely enough. */
static cys_timeline_unit pick_unit(const unit_range range[5], uint64_t dated) {
  for (int u = CYS_TIMELINE_DAY; u < CYS_TIMELINE_YEAR; u++)
    if (range[u].precise * 2 >= dated && range[u].precise > 0 &&
        range[u].hi - range[u].lo < (long)CYS_TIMELINE_AUTO_PERIODS)
      return (cys_timeline_unit)u;
  return CYS_TIMELINE_YEAR;
}

/* The series' values in byte order, for finding a match's values. */
typedef struct series_index {
  const cys_facet_value *values;
  const cys_facet_value **sorted;
  size_t n;
} series_index;

static int by_value(const void *a, const void *b) {
  return strcmp((*(const cys_facet_value *const *)a)->value,
                (*(const cys_facet_value *const *)b)->value);
}

/* The series holding value[0..len), or -1. */
static long find_series(const series_index *x, const char *value, size_t len) {
  size_t lo = 0, hi = x->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *v = x->sorted[mid]->value;
    int c = strncmp(v, value, len);
    if (c == 0)
      c = v[len] != '\0'; /* v is longer */
    if (c == 0)
      return (long)(x->sorted[mid] - x->values);
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* The bytes of field f of a facet value (after its collapse key); 0 when
 * the value has no such field. */
static int field_of(const char *value, size_t len, unsigned f,
                    const char **start, const char **end) {
  const char *at = value + facet_value_key_len(value, len);
  const char *stop = value + len;
  for (unsigned k = 0;; k++) {
    if (at >= stop)
      return 0;
    at++; /* the separator */
    const char *fe = memchr(at, CYS_FIELD_SEPARATOR, (size_t)(stop - at));
    if (!fe)
      fe = stop;
    if (k == f) {
      *start = at;
      *end = fe;
      return 1;
    }
    at = fe;
  }
}

/* Counting cells once per story: count[i] goes up when stamp[i] is not
 * the current story. */
typedef struct cells {
  uint64_t *count, *stamp;
  uint64_t story; /* 1-based */
  int per_story;
} cells;

static void count_cell(cells *c, size_t i, uint64_t matches) {
  if (!c->per_story)
    c->count[i] += matches;
  else if (c->stamp[i] != c->story) {
    c->stamp[i] = c->story;
    c->count[i]++;
  }
}

void search_timeline_free(cys_timeline *t) {
  if (!t)
    return;
  free(t->periods);
  free(t->counts);
  for (size_t k = 0; k < t->nseries; k++)
    free(t->series[k].value);
  free(t->series);
  free(t); /* series_counts lies in the block of counts */
}

/* The second pass: every counted value into its cells. */
static void count_periods(const cys_mset *mset, const unit_range *range,
                          const series_index *series, int facet,
                          cys_timeline *t, cells *c) {
  size_t np = t->nperiods;
  uint64_t undated_stamp = 0, imprecise_stamp = 0;
  const char *last_key = NULL;
  size_t last_len = 0;
  c->story = 0;
  for (size_t i = 0, n = cys_mset_count_size(mset); i < n; i++) {
    counted v = counted_get(mset, i);
    size_t key_len = facet_value_key_len(v.value, v.len);
    if (!last_key || key_len != last_len ||
        memcmp(last_key, v.value, key_len) != 0) {
      c->story++;
      last_key = v.value;
      last_len = key_len;
    }
    period_date d;
    long p;
    if (!v.date || !period_parse_key(v.date, &d)) {
      if (!c->per_story)
        t->undated += v.count;
      else if (undated_stamp != c->story && (undated_stamp = c->story))
        t->undated++;
      continue;
    }
    if (!period_of((period_unit)t->unit, &d, &p)) {
      if (!c->per_story)
        t->imprecise += v.count;
      else if (imprecise_stamp != c->story && (imprecise_stamp = c->story))
        t->imprecise++;
      continue;
    }
    size_t at = (size_t)(p - range->lo);
    count_cell(c, at, v.count);
    const char *f, *fend;
    if (facet < 0 || !field_of(v.value, v.len, (unsigned)facet, &f, &fend))
      continue;
    while (f < fend) {
      const char *sep = memchr(f, CYS_VALUE_SEPARATOR, (size_t)(fend - f));
      if (!sep)
        sep = fend;
      long k = find_series(series, f, (size_t)(sep - f));
      if (k >= 0)
        count_cell(c, np * (size_t)(k + 1) + at, v.count);
      f = sep < fend ? sep + 1 : sep;
    }
  }
}

cys_status search_timeline(cys_searcher *s, const cys_mset *mset,
                           cys_facet_value *series, size_t nseries,
                           const cys_search_options *o, cys_results *r) {
  if (!cys_mset_counted_dated(mset)) {
    for (size_t k = 0; k < nseries; k++)
      free(series[k].value);
    free(series);
    return search_error(s, CYS_INVALID,
                        "a timeline needs the dates of the matches, which "
                        "remote shards do not count; use a local copy");
  }
  unit_range range[5];
  uint64_t dated;
  scan_ranges(mset, range, &dated);
  cys_timeline *t = calloc(1, sizeof *t);
  if (!t) {
    for (size_t k = 0; k < nseries; k++)
      free(series[k].value);
    free(series);
    return CYS_NOMEM;
  }
  t->unit =
      o->timeline == CYS_TIMELINE_AUTO ? pick_unit(range, dated) : o->timeline;
  t->exact = cys_mset_counted_all(mset);
  t->facet = o->timeline_facet >= 0 && o->timeline_facet < CYS_FACETS
                 ? o->timeline_facet
                 : -1;
  const unit_range *ur = &range[t->unit];
  t->nperiods = ur->precise ? (size_t)(ur->hi - ur->lo + 1) : 0;
  cys_status st = CYS_OK;
  t->series = series; /* the timeline's now, whatever happens */
  t->nseries = nseries;
  size_t ncells = t->nperiods * (t->nseries + 1);
  if (st == CYS_OK &&
      (t->nperiods > CYS_TIMELINE_MAX_PERIODS || ncells > MAX_CELLS)) {
    st = search_error(s, CYS_INVALID,
                      "the matches span %zu periods of a %s, more than a "
                      "timeline shows (%u, or %u periods times series); "
                      "count by a longer unit or narrow the dates",
                      t->nperiods, cys_timeline_unit_name(t->unit),
                      CYS_TIMELINE_MAX_PERIODS, MAX_CELLS);
  }
  cells c = {.per_story = o->collapse};
  const cys_facet_value **sorted = NULL;
  if (st == CYS_OK &&
      (!(t->periods = calloc(t->nperiods + 1, sizeof *t->periods)) ||
       !(c.count = calloc(ncells + 1, sizeof *c.count)) ||
       !(c.stamp = calloc(ncells + 1, sizeof *c.stamp)) ||
       !(sorted = calloc(t->nseries + 1, sizeof *sorted))))
    st = CYS_NOMEM;
  if (st == CYS_OK) {
    for (size_t p = 0; p < t->nperiods; p++)
      period_key((period_unit)t->unit, ur->lo + (long)p, t->periods[p]);
    series_index series = {t->series, sorted, t->nseries};
    for (size_t k = 0; k < t->nseries; k++)
      sorted[k] = &t->series[k];
    qsort(sorted, t->nseries, sizeof *sorted, by_value);
    count_periods(mset, ur, &series, t->facet, t, &c);
    /* The counts of the whole, then of each series. */
    t->counts = c.count;
    t->series_counts = c.count + t->nperiods;
    c.count = NULL;
  }
  free(sorted);
  free(c.stamp);
  free(c.count);
  if (st != CYS_OK) {
    search_timeline_free(t);
    return st == CYS_NOMEM ? search_error(s, st, "out of memory") : st;
  }
  r->timeline = t;
  return CYS_OK;
}
