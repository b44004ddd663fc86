/*
 * query_period.c — the calendar of timelines and of the period: filter
 * (query_period.h): days, ISO weeks, months and years as ordinals, their
 * keys, and the date ranges that select exactly one period.
 */
#include "query_period.h"

#include <string.h>

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
 * more than PERIOD_KEY_MAX - 1 bytes. */
static void put_number(char **at, unsigned long v, int width) {
  for (int i = width - 1; i >= 0; i--, v /= 10)
    (*at)[i] = (char)('0' + v % 10);
  *at += width;
}

static void format_date(char out[PERIOD_KEY_MAX], long y, unsigned m,
                        unsigned d, unsigned week) {
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
int period_parse_key(const char *key, period_date *out) {
  long y, m, d;
  if (!digits(key, 4, &y) || !digits(key + 4, 2, &m) ||
      !digits(key + 6, 2, &d) || y < 1 || m > 12 || (m == 0 && d != 0) ||
      (m > 0 && d > month_days(y, (unsigned)m)))
    return 0;
  *out = (period_date){y, (unsigned)m, (unsigned)d};
  return 1;
}

void period_date_text(const char *key, char out[PERIOD_KEY_MAX]) {
  period_date t;
  out[0] = '\0';
  if (!key || !*key || !period_parse_key(key, &t))
    return;
  format_date(out, t.y, t.m, t.d, 0);
}

/* The ordinal of the period of unit u holding date t; 0 when t is less
 * precise than u. */
int period_of(period_unit u, const period_date *t, long *out) {
  switch (u) {
  case PERIOD_YEAR:
    *out = t->y;
    return 1;
  case PERIOD_MONTH:
    *out = t->y * 12 + (long)t->m - 1;
    return t->m > 0;
  case PERIOD_WEEK:
    *out = t->d ? day_number(t->y, t->m, t->d) / 7 : 0;
    return t->d > 0;
  default:
    *out = t->d ? day_number(t->y, t->m, t->d) : 0;
    return t->d > 0;
  }
}

void period_key(period_unit u, long p, char out[PERIOD_KEY_MAX]) {
  long y;
  unsigned m, d;
  switch (u) {
  case PERIOD_YEAR:
    format_date(out, p, 0, 0, 0);
    break;
  case PERIOD_MONTH:
    format_date(out, p / 12, (unsigned)(p % 12) + 1, 0, 0);
    break;
  case PERIOD_WEEK: /* numbered in the year of its Thursday */
    civil_from_day(p * 7 + 3, &y, &m, &d);
    format_date(out, y, 0, 0, (unsigned)((p * 7 - iso_week_one(y)) / 7) + 1);
    break;
  default:
    civil_from_day(p, &y, &m, &d);
    format_date(out, y, m, d, 0);
    break;
  }
}

static void day_text(long n, char out[PERIOD_KEY_MAX]) {
  period_key(PERIOD_DAY, n, out);
}

/* "FROM..TO" of two days ("YYYY-MM-DD"). */
static void join_range(char out[PERIOD_RANGE_MAX],
                       const char from[PERIOD_KEY_MAX],
                       const char to[PERIOD_KEY_MAX]) {
  memcpy(out, from, 10);
  memcpy(out + 10, "..", 2);
  memcpy(out + 12, to, 10);
  out[22] = '\0';
}

int period_filters(const char *period, period_unit *unit,
                   char ranges[2][PERIOD_RANGE_MAX], size_t *n) {
  size_t len = period ? strlen(period) : 0;
  long y, m, d, w;
  char key[9];
  period_date t;
  if (len < 4 || !digits(period, 4, &y) || y < 1)
    return -1;
  if (len == 8 && memcmp(period + 4, "-W", 2) == 0 &&
      digits(period + 6, 2, &w) && w >= 1 && w <= 53) {
    long monday = iso_week_one(y) + (w - 1) * 7;
    if (monday >= iso_week_one(y + 1))
      return -1; /* a year of 52 weeks */
    long sunday = monday + 6;
    period_date a, b;
    civil_from_day(monday, &a.y, &a.m, &a.d);
    civil_from_day(sunday, &b.y, &b.m, &b.d);
    char from[PERIOD_KEY_MAX], to[PERIOD_KEY_MAX];
    day_text(monday, from);
    day_text(sunday, to);
    if (a.m == b.m) {
      join_range(ranges[0], from, to);
      *n = 1;
    } else { /* split at the first of b's month */
      char last[PERIOD_KEY_MAX], first[PERIOD_KEY_MAX];
      long first_day = day_number(b.y, b.m, 1);
      day_text(first_day - 1, last);
      day_text(first_day, first);
      join_range(ranges[0], from, last);
      join_range(ranges[1], first, to);
      *n = 2;
    }
    *unit = PERIOD_WEEK;
    return 0;
  }
  int is_month = len == 7 && period[4] == '-' && digits(period + 5, 2, &m);
  int is_day = len == 10 && period[4] == '-' && period[7] == '-' &&
               digits(period + 5, 2, &m) && digits(period + 8, 2, &d);
  if (len != 4 && !is_month && !is_day)
    return -1;
  if (len > 4 && (m < 1 || m > 12))
    return -1;
  memcpy(key, period, 4);
  memcpy(key + 4, len > 4 ? period + 5 : "00", 2);
  memcpy(key + 6, is_day ? period + 8 : "00", 2);
  key[8] = '\0';
  if (!period_parse_key(key, &t) || (is_day && d == 0))
    return -1;
  memcpy(ranges[0], period, len + 1);
  *n = 1;
  *unit = is_day ? PERIOD_DAY : is_month ? PERIOD_MONTH : PERIOD_YEAR;
  return 0;
}
