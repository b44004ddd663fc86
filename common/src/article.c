/* article.c — validating article fields (see article.h). */
#include "cysearch/article.h"

#include <string.h>

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int days_in_month(int year, int month) {
  static const int days[12] = {31, 28, 31, 30, 31, 30,
                               31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 29;
  return days[month - 1];
}

cys_status cys_date_normalize(const char *in, char out[CYS_DATE_MAX]) {
  out[0] = '\0';
  if (!in)
    return CYS_BAD_INPUT;
  size_t n = strlen(in);
  /* Drop the time of an ISO 8601 date-time. */
  const char *t = memchr(in, 'T', n);
  if (!t)
    t = memchr(in, ' ', n);
  if (t && t - in == 10) {
    /* A date-time: the time must at least start as HH:MM. */
    const char *h = t + 1;
    if (strlen(h) < 5 || !digits(h, 2) || h[2] != ':' || !digits(h + 3, 2))
      return CYS_BAD_INPUT;
    n = 10;
  }
  if (!(n == 4 || n == 7 || n == 10) || !digits(in, 4))
    return CYS_BAD_INPUT;
  int year = (in[0] - '0') * 1000 + (in[1] - '0') * 100 +
             (in[2] - '0') * 10 + (in[3] - '0');
  if (year < 1000)
    return CYS_BAD_INPUT;
  if (n >= 7) {
    if (in[4] != '-' || !digits(in + 5, 2))
      return CYS_BAD_INPUT;
    int month = (in[5] - '0') * 10 + (in[6] - '0');
    if (month < 1 || month > 12)
      return CYS_BAD_INPUT;
    if (n == 10) {
      if (in[7] != '-' || !digits(in + 8, 2))
        return CYS_BAD_INPUT;
      int day = (in[8] - '0') * 10 + (in[9] - '0');
      if (day < 1 || day > days_in_month(year, month))
        return CYS_BAD_INPUT;
    }
  }
  memcpy(out, in, n);
  out[n] = '\0';
  return CYS_OK;
}

void cys_date_sortkey(const char *normalized, char out[9]) {
  memcpy(out, "00000000", 9);
  size_t n = normalized ? strlen(normalized) : 0;
  if (n >= 4)
    memcpy(out, normalized, 4);
  if (n >= 7)
    memcpy(out + 4, normalized + 5, 2);
  if (n >= 10)
    memcpy(out + 6, normalized + 8, 2);
}
