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

#include "search_count.h"

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

/* ---- the calendar: proleptic Gregorian, day 0 = 0001-01-01, a Monday --- */

static const unsigned short days_before_month[12] = {
    0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

static int is_leap(long y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(long y, unsigned m) {
  static const unsigned char len[12] = {31, 28, 31, 30, 31, 30,
                                        31, 31, 30, 31, 30, 31};
  return len[m - 1] + (m == 2 && is_leap(y));
}

static long day_number(long y, unsigned m, unsigned d) {
  long p = y - 1;
  return p * 365 + p / 4 - p / 100 + p / 400 + days_before_month[m - 1] +
         (m > 2 && is_leap(y)) + (long)d - 1;
}

static void civil_from_day(long n, long *y, unsigned *m, unsigned *d) {
  long year = n / 366 + 1; /* never past the answer */
  while (day_number(year + 1, 1, 1) <= n)
    year++;
  long doy = n - day_number(year, 1, 1);
  unsigned month = 12;
  while (month > 1 &&
         days_before_month[month - 1] + (month > 2 && is_leap(year)) > doy)
    month--;
  *y = year;
  *m = month;
  long before = days_before_month[month - 1] + (month > 2 && is_leap(year));
  *d = (unsigned)(doy - before + 1);
}

/* The Monday of ISO week 1 of year y: the week holding 4 January. */
static long iso_week_one(long y) {
  long jan4 = day_number(y, 1, 4);
  return jan4 - jan4 % 7;
}

/* ---- dates and periods -------------------------------------------------- */

typedef struct ymd {
  long y;
  unsigned m, d; /* 0: unknown */
} ymd;

static int digits(const char *s, size_t n, long *out) {
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 1;
}

/* Write a date or period as text: the year, then "-" and each part that
 * is not 0 (week: "-Www" instead of the month).  Fixed widths, so never
 * more than CYS_DATE_MAX - 1 bytes. */
static void put_number(char **at, unsigned long v, int width) {
  for (int i = width - 1; i >= 0; i--, v /= 10)
    (*at)[i] = (char)('0' + v % 10);
  *at += width;
}

static void format_date(char out[CYS_DATE_MAX], long y, unsigned m, unsigned d,
                        unsigned week) {
  char *at = out;
  put_number(&at, (unsigned long)(y % 10000), 4);
  if (week) {
    memcpy(at, "-W", 2);
    at += 2;
    put_number(&at, week % 100, 2);
  }
  if (m) {
    *at++ = '-';
    put_number(&at, m % 100, 2);
  }
  if (m && d) {
    *at++ = '-';
    put_number(&at, d % 100, 2);
  }
  *at = '\0';
}

/* A sort key "YYYYMMDD"; 0 when it is not one (or names no real day). */
static int parse_key(const char *key, ymd *out) {
  long y, m, d;
  if (!digits(key, 4, &y) || !digits(key + 4, 2, &m) ||
      !digits(key + 6, 2, &d) || y < 1 || m > 12 || (m == 0 && d != 0) ||
      (m > 0 && d > month_days(y, (unsigned)m)))
    return 0;
  *out = (ymd){y, (unsigned)m, (unsigned)d};
  return 1;
}

void search_date_from_key(const char *key, char out[CYS_DATE_MAX]) {
  ymd t;
  out[0] = '\0';
  if (!key || !*key || !parse_key(key, &t))
    return;
  format_date(out, t.y, t.m, t.d, 0);
}

/* The ordinal of the period of unit u holding date t; 0 when t is less
 * precise than u. */
static int period_of(cys_timeline_unit u, const ymd *t, long *out) {
  switch (u) {
  case CYS_TIMELINE_YEAR:
    *out = t->y;
    return 1;
  case CYS_TIMELINE_MONTH:
    *out = t->y * 12 + (long)t->m - 1;
    return t->m > 0;
  case CYS_TIMELINE_WEEK:
    *out = t->d ? day_number(t->y, t->m, t->d) / 7 : 0;
    return t->d > 0;
  default:
    *out = t->d ? day_number(t->y, t->m, t->d) : 0;
    return t->d > 0;
  }
}

static void period_key(cys_timeline_unit u, long p, char out[CYS_DATE_MAX]) {
  long y;
  unsigned m, d;
  switch (u) {
  case CYS_TIMELINE_YEAR:
    format_date(out, p, 0, 0, 0);
    break;
  case CYS_TIMELINE_MONTH:
    format_date(out, p / 12, (unsigned)(p % 12) + 1, 0, 0);
    break;
  case CYS_TIMELINE_WEEK: /* numbered in the year of its Thursday */
    civil_from_day(p * 7 + 3, &y, &m, &d);
    format_date(out, y, 0, 0, (unsigned)((p * 7 - iso_week_one(y)) / 7) + 1);
    break;
  default:
    civil_from_day(p, &y, &m, &d);
    format_date(out, y, m, d, 0);
    break;
  }
}

static void day_text(long n, char out[CYS_DATE_MAX]) {
  period_key(CYS_TIMELINE_DAY, n, out);
}

/* "FROM..TO" of two days ("YYYY-MM-DD"). */
static void join_range(char out[CYS_PERIOD_RANGE_MAX],
                       const char from[CYS_DATE_MAX],
                       const char to[CYS_DATE_MAX]) {
  memcpy(out, from, 10);
  memcpy(out + 10, "..", 2);
  memcpy(out + 12, to, 10);
  out[22] = '\0';
}

cys_status cys_timeline_period_filters(const char *period,
                                       cys_timeline_unit *unit,
                                       char ranges[2][CYS_PERIOD_RANGE_MAX],
                                       size_t *n) {
  size_t len = period ? strlen(period) : 0;
  long y, m, d, w;
  char key[9];
  ymd t;
  if (len < 4 || !digits(period, 4, &y) || y < 1)
    return CYS_INVALID;
  if (len == 8 && memcmp(period + 4, "-W", 2) == 0 &&
      digits(period + 6, 2, &w) && w >= 1 && w <= 53) {
    long monday = iso_week_one(y) + (w - 1) * 7;
    if (monday >= iso_week_one(y + 1))
      return CYS_INVALID; /* a year of 52 weeks */
    long sunday = monday + 6;
    ymd a, b;
    civil_from_day(monday, &a.y, &a.m, &a.d);
    civil_from_day(sunday, &b.y, &b.m, &b.d);
    char from[CYS_DATE_MAX], to[CYS_DATE_MAX];
    day_text(monday, from);
    day_text(sunday, to);
    if (a.m == b.m) {
      join_range(ranges[0], from, to);
      *n = 1;
    } else { /* split at the first of b's month */
      char last[CYS_DATE_MAX], first[CYS_DATE_MAX];
      long first_day = day_number(b.y, b.m, 1);
      day_text(first_day - 1, last);
      day_text(first_day, first);
      join_range(ranges[0], from, last);
      join_range(ranges[1], first, to);
      *n = 2;
    }
    *unit = CYS_TIMELINE_WEEK;
    return CYS_OK;
  }
  int is_month = len == 7 && period[4] == '-' && digits(period + 5, 2, &m);
  int is_day = len == 10 && period[4] == '-' && period[7] == '-' &&
               digits(period + 5, 2, &m) && digits(period + 8, 2, &d);
  if (len != 4 && !is_month && !is_day)
    return CYS_INVALID;
  if (len > 4 && (m < 1 || m > 12))
    return CYS_INVALID;
  memcpy(key, period, 4);
  memcpy(key + 4, len > 4 ? period + 5 : "00", 2);
  memcpy(key + 6, is_day ? period + 8 : "00", 2);
  key[8] = '\0';
  if (!parse_key(key, &t) || (is_day && d == 0))
    return CYS_INVALID;
  memcpy(ranges[0], period, len + 1);
  *n = 1;
  *unit = is_day     ? CYS_TIMELINE_DAY
          : is_month ? CYS_TIMELINE_MONTH
                     : CYS_TIMELINE_YEAR;
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
    ymd t;
    if (!c.date || !parse_key(c.date, &t))
      continue;
    *dated += c.count;
    for (int u = CYS_TIMELINE_DAY; u <= CYS_TIMELINE_YEAR; u++) {
      long p;
      if (!period_of((cys_timeline_unit)u, &t, &p))
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
    ymd d;
    long p;
    if (!v.date || !parse_key(v.date, &d)) {
      if (!c->per_story)
        t->undated += v.count;
      else if (undated_stamp != c->story && (undated_stamp = c->story))
        t->undated++;
      continue;
    }
    if (!period_of(t->unit, &d, &p)) {
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
                           facet_tally *tally, const cys_search_options *o,
                           cys_results *r) {
  if (!cys_mset_counted_dated(mset))
    return search_error(s, CYS_INVALID,
                        "a timeline needs the dates of the matches, which "
                        "remote shards do not count; use a local copy");
  unit_range range[5];
  uint64_t dated;
  scan_ranges(mset, range, &dated);
  cys_timeline *t = calloc(1, sizeof *t);
  if (!t)
    return CYS_NOMEM;
  t->unit =
      o->timeline == CYS_TIMELINE_AUTO ? pick_unit(range, dated) : o->timeline;
  t->exact = cys_mset_counted_all(mset);
  t->facet = o->timeline_facet >= 0 && o->timeline_facet < CYS_FACETS
                 ? o->timeline_facet
                 : -1;
  const unit_range *ur = &range[t->unit];
  t->nperiods = ur->precise ? (size_t)(ur->hi - ur->lo + 1) : 0;
  cys_status st = CYS_OK;
  if (t->facet >= 0)
    st = search_facet_values(s, tally, (unsigned)t->facet, o->facet_limit,
                             &t->series, &t->nseries);
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
      period_key(t->unit, ur->lo + (long)p, t->periods[p]);
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
