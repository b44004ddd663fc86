/*
 * query_period.h — the calendar of timelines (search_timeline.c) and of
 * the filter period: (query_filter.c), in query_period.c: dates as
 * CYS_SLOT_DATE writes them ("YYYYMMDD", unknown parts "00"), the period
 * of a unit that holds one, as an ordinal, the period's key, and the date
 * ranges that select exactly the articles a timeline counts in a period.
 * The proleptic Gregorian calendar; weeks are ISO 8601 weeks (Monday to
 * Sunday, numbered in the year of their Thursday).
 */
#ifndef CYSEARCH_QUERY_PERIOD_H
#define CYSEARCH_QUERY_PERIOD_H

#include <stddef.h>

/* The units, numbered as cys_timeline_unit (search.h) numbers them. */
typedef enum period_unit {
  PERIOD_DAY = 1,
  PERIOD_WEEK,
  PERIOD_MONTH,
  PERIOD_YEAR
} period_unit;

#define PERIOD_KEY_MAX 11   /* "2021-03-05" and its NUL */
#define PERIOD_RANGE_MAX 24 /* "2021-03-29..2021-03-31" and its NUL */

/* A date; m and d are 0 when unknown. */
typedef struct period_date {
  long y;
  unsigned m, d;
} period_date;

/* The date of sort key key[0..8); 0 when it is not one or names no real
 * day (then *out is unchanged). */
int period_parse_key(const char *key, period_date *out);

/* The key as the date it stands for ("2021-03-05", "2021-03", "2021");
 * "" for "", NULL or no date. */
void period_date_text(const char *key, char out[PERIOD_KEY_MAX]);

/* The ordinal of the period of unit u that holds t (consecutive periods,
 * consecutive ordinals); 0 when t is less precise than u. */
int period_of(period_unit u, const period_date *t, long *out);

/* The key of period p of unit u: "2021", "2021-03", "2021-W09",
 * "2021-03-05". */
void period_key(period_unit u, long p, char out[PERIOD_KEY_MAX]);

/* The date filter values (field "date", values of one field being
 * alternatives) that select period, a key as above: one range, or two for
 * a week over a month end (see cys_timeline_period_filters); *unit its
 * unit.  -1 when period is no key of a real period. */
int period_filters(const char *period, period_unit *unit,
                   char ranges[2][PERIOD_RANGE_MAX], size_t *n);

#endif
