/*
 * test_article.c — cys_date_normalize (the three date forms, ISO 8601
 * date-times, leap years, impossible months and days, garbage; out is ""
 * after a failure) and cys_date_sortkey.
 */
#include <string.h>

#include "check.h"
#include "cysearch/article.h"
#include "cysearch/schema.h"

/* Normalise in; expect `want` (NULL: CYS_BAD_INPUT and out ""). */
static void check_date(const char *in, const char *want, int line) {
  char out[CYS_DATE_MAX];
  memset(out, 'X', sizeof out); /* a failure must still clear it */
  cys_status st = cys_date_normalize(in, out);
  int ok = want ? (st == CYS_OK && strcmp(out, want) == 0)
                : (st == CYS_BAD_INPUT && out[0] == '\0');
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  (line %d: \"%s\" gave status %d, out \"%.*s\")\n",
            line, in ? in : "(null)", (int)st, CYS_DATE_MAX - 1, out);
}

#define GOOD(in, want) check_date(in, want, __LINE__)
#define BAD(in) check_date(in, NULL, __LINE__)

static void test_forms(void) {
  GOOD("2021", "2021");
  GOOD("2021-03", "2021-03");
  GOOD("2021-03-04", "2021-03-04");
  GOOD("1999-12-31", "1999-12-31");
  GOOD("2021-01-31", "2021-01-31");
  GOOD("2021-04-30", "2021-04-30");
  GOOD("2021-12-01", "2021-12-01");
  /* ISO 8601 date-times: the time is dropped */
  GOOD("2021-03-04T10:00:00Z", "2021-03-04");
  GOOD("2021-03-04T23:59:59+02:00", "2021-03-04");
  GOOD("2021-03-04T10:00:00.123456Z", "2021-03-04");
  GOOD("2024-02-29T00:00:00Z", "2024-02-29");
}

static void test_leap_years(void) {
  GOOD("2024-02-29", "2024-02-29"); /* divisible by 4 */
  GOOD("2000-02-29", "2000-02-29"); /* divisible by 400 */
  GOOD("2023-02-28", "2023-02-28");
  BAD("2023-02-29");
  BAD("1900-02-29"); /* divisible by 100, not 400 */
  BAD("2100-02-29");
  BAD("2024-02-30");
  BAD("2023-02-29T10:00:00Z"); /* the date part is still checked */
}

static void test_bad_months_and_days(void) {
  BAD("2021-00");
  BAD("2021-13");
  BAD("2021-99");
  BAD("2021-00-10");
  BAD("2021-13-01");
  BAD("2021-01-00");
  BAD("2021-01-32");
  BAD("2021-04-31");
  BAD("2021-06-31");
  BAD("2021-09-31");
  BAD("2021-11-31");
  BAD("2021-03-99");
}

static void test_garbage(void) {
  BAD(NULL);
  BAD("");
  BAD("abcd");
  BAD("202");
  BAD("20210");
  BAD("202a");
  BAD("21-03-04");
  BAD("2021/03/04");
  BAD("2021.03.04");
  BAD("2021-3-4");
  BAD("2021-3");
  BAD("2021-03-4");
  BAD("2021-0a");
  BAD("2021-03-0a");
  BAD("2021-03-");
  BAD("2021-03-04x");
  BAD("2021-03-04-05");
  BAD("20210304");
  BAD(" 2021");
  BAD("2021 ");
  BAD("-2021");
  BAD("+2021-03-04");
  BAD("2021-03T10:00:00Z"); /* a date-time needs the full date */
  BAD("March 4, 2021");
  BAD("04/03/2021");
  BAD("T2021-03-04");
  BAD("2021-03-04Tgarbage"); /* not a date-time: the time must be one */
  BAD("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
}

static void check_key(const char *in, const char *want, int line) {
  char out[9];
  memset(out, 'X', sizeof out);
  cys_date_sortkey(in, out);
  int ok = out[8] == '\0' && strcmp(out, want) == 0;
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  (line %d: sortkey of \"%s\" is \"%.8s\")\n", line,
            in ? in : "(null)", out);
}

static void test_sortkey(void) {
  check_key("2021", "20210000", __LINE__);
  check_key("2021-03", "20210300", __LINE__);
  check_key("2021-03-04", "20210304", __LINE__);
  check_key("1999-12-31", "19991231", __LINE__);
  check_key("", "00000000", __LINE__);
  check_key(NULL, "00000000", __LINE__);

  /* Keys sort as the dates do, a month before its days. */
  char a[9], b[9], c[9];
  cys_date_sortkey("2021-03", a);
  cys_date_sortkey("2021-03-01", b);
  cys_date_sortkey("2021-04", c);
  CHECK(strcmp(a, b) < 0);
  CHECK(strcmp(b, c) < 0);

  /* Round trip: every normalised date gives its digits. */
  char norm[CYS_DATE_MAX], key[9];
  CHECK_INT(cys_date_normalize("2021-03-04T10:00:00Z", norm), CYS_OK);
  cys_date_sortkey(norm, key);
  CHECK_STR(key, "20210304");
}

int main(void) {
  test_forms();
  test_leap_years();
  test_bad_months_and_days();
  test_garbage();
  test_sortkey();
  return check_done();
}
