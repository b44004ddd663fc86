/* loose_date.c — see loose_date.h.  Validation of the result (months,
 * leap years) is cys_date_normalize's. */
#include "loose_date.h"

#include <stdio.h>
#include <string.h>

#include "ascii_class.h"

#define MAX_TEXT 64

static const char *const months[12][2] = {
    {"january", "jan"}, {"february", "feb"}, {"march", "mar"},
    {"april", "apr"},   {"may", "may"},      {"june", "jun"},
    {"july", "jul"},    {"august", "aug"},   {"september", "sep"},
    {"october", "oct"}, {"november", "nov"}, {"december", "dec"}};

static const char *const weekdays[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "mon",     "tue",       "tues",     "wed",    "thu",
    "thur",   "thurs",   "fri",       "sat",      "sun",    NULL};

static const char *const fillers[] = {"published", "posted", "updated",
                                      "on",        "date",   NULL};

/* What may follow the year: a time and a zone. */
static const char *const after_year[] = {
    "am",   "pm",  "at",  "utc",  "gmt",  "z",   "est", "edt",  "cst",
    "cdt",  "mst", "mdt", "pst",  "pdt",  "bst", "cet", "cest", "eet",
    "eest", "ist", "jst", "aest", "aedt", "msk", NULL};


/* Is the token t[0..n) equal, ignoring case, to word? */
static int token_is(const char *t, size_t n, const char *word) {
  if (strlen(word) != n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (ascii_to_lower(t[i]) != word[i])
      return 0;
  return 1;
}

static int in_list(const char *t, size_t n, const char *const *list) {
  for (; *list; list++)
    if (token_is(t, n, *list))
      return 1;
  return 0;
}

/* 1..12 for a month name or abbreviation ("sept" too), else 0. */
static int month_of(const char *t, size_t n) {
  for (int m = 0; m < 12; m++)
    if (token_is(t, n, months[m][0]) || token_is(t, n, months[m][1]))
      return m + 1;
  return token_is(t, n, "sept") ? 9 : 0;
}

/* 1..31 for "5", "05", "5th", "21st", else 0. */
static int day_of(const char *t, size_t n) {
  size_t digits = 0;
  while (digits < n && ascii_is_digit(t[digits]))
    digits++;
  if (digits == 0 || digits > 2)
    return 0;
  if (digits < n &&
      !(n - digits == 2 &&
        (token_is(t + digits, 2, "st") || token_is(t + digits, 2, "nd") ||
         token_is(t + digits, 2, "rd") || token_is(t + digits, 2, "th"))))
    return 0;
  int d = t[0] - '0';
  if (digits == 2)
    d = d * 10 + (t[1] - '0');
  return d >= 1 && d <= 31 ? d : 0;
}

static int all_digits(const char *t, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!ascii_is_digit(t[i]))
      return 0;
  return 1;
}

/* "Tue, 05 Mar 2024 10:00 GMT", "March 5th, 2024", "March 2024". */
static int parse_words(const char *s, size_t len, char out[CYS_DATE_MAX]) {
  int month = 0, day = 0, year = 0;
  size_t i = 0;
  while (i < len) {
    char c = s[i];
    if ((unsigned char)c >= 0x80)
      return -1; /* no non-English names or odd separators */
    if (!ascii_is_digit(c) && !ascii_is_alpha(c)) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < len && (ascii_is_digit(s[i]) || ascii_is_alpha(s[i])))
      i++;
    const char *t = s + start;
    size_t n = i - start;
    if (year) {
      /* after the year: a time and a zone */
      if (!all_digits(t, n) && !in_list(t, n, after_year))
        return -1;
    } else if (n == 4 && all_digits(t, n)) {
      year = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 +
             (t[3] - '0');
    } else if (!month && month_of(t, n)) {
      month = month_of(t, n);
    } else if (!day && day_of(t, n)) {
      day = day_of(t, n);
    } else if (!in_list(t, n, weekdays) && !in_list(t, n, fillers)) {
      return -1;
    }
  }
  if (!year || !month)
    return -1;
  char iso[40];
  if (day)
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
  else
    snprintf(iso, sizeof iso, "%04d-%02d", year, month);
  return cys_date_normalize(iso, out) == CYS_OK ? 0 : -1;
}

int loose_date_parse(const char *s, size_t len, char out[CYS_DATE_MAX]) {
  out[0] = '\0';
  while (len > 0 && (*s == ' ' || *s == '\t'))
    s++, len--;
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  if (len == 0 || len > MAX_TEXT || memchr(s, '\0', len))
    return -1;
  char buf[MAX_TEXT + 1];
  memcpy(buf, s, len);
  buf[len] = '\0';
  if (cys_date_normalize(buf, out) == CYS_OK)
    return 0;
  /* YYYY/MM/DD and YYYY.MM.DD */
  if (len == 10 && (buf[4] == '/' || buf[4] == '.') && buf[7] == buf[4] &&
      all_digits(buf, 4) && all_digits(buf + 5, 2) && all_digits(buf + 8, 2)) {
    buf[4] = buf[7] = '-';
    return cys_date_normalize(buf, out) == CYS_OK ? 0 : -1;
  }
  if (parse_words(buf, len, out) == 0)
    return 0;
  out[0] = '\0';
  return -1;
}
