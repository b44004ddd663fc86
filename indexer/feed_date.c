/* feed_date.c — see feed_date.h.  The calendar arithmetic moves a date
 * by at most one day; validation is cys_date_normalize's. */
#include "feed_date.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ascii_class.h"
#include "loose_date.h"


/* n digits at *p as a number, moving *p; -1 if they are not there. */
static int digits(const char **p, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!ascii_is_digit((*p)[i]))
      return -1;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  return v;
}

static int days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30,
                               31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

/* Write y-m-d, moved by the minutes of the time of day minus the zone's
 * offset when that crosses midnight, through cys_date_normalize. */
static int put_utc(int y, int m, int d, int minutes, int offset,
                   char out[CYS_DATE_MAX]) {
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return -1;
  int utc = minutes - offset;
  if (utc < 0 && --d < 1) {
    if (--m < 1)
      m = 12, y--;
    d = days_in_month(y, m);
  } else if (utc >= 24 * 60 && ++d > days_in_month(y, m)) {
    d = 1;
    if (++m > 12)
      m = 1, y++;
  }
  char iso[16];
  if (y < 1 || y > 9999)
    return -1;
  snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
  return cys_date_normalize(iso, out) == CYS_OK ? 0 : -1;
}

/* "hh:mm[:ss[.frac]]" at *p: minutes of the day, or -1. */
static int time_of_day(const char **p) {
  int h = digits(p, 2);
  if (h < 0 || h > 24 || **p != ':')
    return -1;
  (*p)++;
  int mi = digits(p, 2);
  if (mi < 0 || mi > 59)
    return -1;
  if (**p == ':') {
    (*p)++;
    if (digits(p, 2) < 0)
      return -1;
    if (**p == '.' || **p == ',')
      for ((*p)++; ascii_is_digit(**p);)
        (*p)++;
  }
  return h * 60 + mi;
}

/* A numeric zone "+hh:mm", "+hhmm" or "+hh" at *p: its offset in
 * minutes in *offset; -1 if it is not one. */
static int numeric_zone(const char **p, int *offset) {
  int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0;
  if (!sign)
    return -1;
  (*p)++;
  int h = digits(p, 2), mi = 0;
  if (h < 0 || h > 23)
    return -1;
  if (**p == ':')
    (*p)++;
  if (ascii_is_digit(**p) && (mi = digits(p, 2)) < 0)
    return -1;
  *offset = sign * (h * 60 + mi);
  return 0;
}

/* RFC 3339: "YYYY-MM-DDThh:mm[:ss[.f]](Z|+hh:mm)". */
static int parse_rfc3339(const char *s, char out[CYS_DATE_MAX]) {
  const char *p = s;
  int y = digits(&p, 4);
  if (y < 0 || *p++ != '-')
    return -1;
  int m = digits(&p, 2);
  if (m < 0 || *p++ != '-')
    return -1;
  int d = digits(&p, 2);
  if (d < 0 || (*p != 'T' && *p != 't' && *p != ' '))
    return -1;
  p++;
  int minutes = time_of_day(&p), offset = 0;
  if (minutes < 0)
    return -1;
  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p && numeric_zone(&p, &offset) != 0)
    return -1;
  while (ascii_is_white(*p))
    p++;
  return *p ? -1 : put_utc(y, m, d, minutes, offset, out);
}

static const struct {
  const char *name;
  int offset; /* minutes east of UTC */
} zones[] = {{"UT", 0},         {"UTC", 0},        {"GMT", 0},
             {"Z", 0},          {"EST", -5 * 60},  {"EDT", -4 * 60},
             {"CST", -6 * 60},  {"CDT", -5 * 60},  {"MST", -7 * 60},
             {"MDT", -6 * 60},  {"PST", -8 * 60},  {"PDT", -7 * 60}};

static const char *const month_names[12] = {"jan", "feb", "mar", "apr",
                                            "may", "jun", "jul", "aug",
                                            "sep", "oct", "nov", "dec"};

static const char *skip_space(const char *p) {
  while (ascii_is_white(*p))
    p++;
  return p;
}

/* RFC 822: "[Wkd,] D Mon YYYY hh:mm[:ss] [zone]". */
static int parse_rfc822(const char *s, char out[CYS_DATE_MAX]) {
  const char *p = skip_space(s);
  if (((*p | 32) >= 'a' && (*p | 32) <= 'z')) {
    while ((*p | 32) >= 'a' && (*p | 32) <= 'z')
      p++;
    if (*p == ',')
      p++;
    p = skip_space(p);
  }
  int d = ascii_is_digit(p[0]) && ascii_is_digit(p[1]) ? digits(&p, 2)
                                                       : digits(&p, 1);
  if (d < 0 || !ascii_is_white(*p))
    return -1;
  p = skip_space(p);
  int m = 0;
  for (int i = 0; i < 12 && !m; i++)
    if (strncasecmp(p, month_names[i], 3) == 0)
      m = i + 1;
  if (!m)
    return -1;
  while ((*p | 32) >= 'a' && (*p | 32) <= 'z')
    p++;
  if (*p == '.')
    p++;
  p = skip_space(p);
  int y = ascii_is_digit(p[0]) && ascii_is_digit(p[1]) && ascii_is_digit(p[2])
              ? digits(&p, 4)
              : digits(&p, 2);
  if (y < 0)
    return -1;
  if (y < 50)
    y += 2000;
  else if (y < 100)
    y += 1900;
  p = skip_space(p);
  if (!*p)
    return put_utc(y, m, d, 12 * 60, 0, out);
  int minutes = time_of_day(&p), offset = 0;
  if (minutes < 0)
    return -1;
  p = skip_space(p);
  if (*p == '+' || *p == '-') {
    if (numeric_zone(&p, &offset) != 0)
      return -1;
  } else if (*p) {
    size_t n = 0;
    while ((p[n] | 32) >= 'a' && (p[n] | 32) <= 'z')
      n++;
    int known = 0;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0] && !known; i++)
      if (strlen(zones[i].name) == n && strncasecmp(p, zones[i].name, n) == 0)
        known = 1, offset = zones[i].offset;
    if (!known)
      return -1;
    p += n;
  }
  p = skip_space(p);
  return *p ? -1 : put_utc(y, m, d, minutes, offset, out);
}

int feed_date_parse(const char *s, char out[CYS_DATE_MAX]) {
  out[0] = '\0';
  s = skip_space(s);
  if (parse_rfc3339(s, out) == 0 || parse_rfc822(s, out) == 0)
    return 0;
  out[0] = '\0';
  return loose_date_parse(s, strlen(s), out);
}
