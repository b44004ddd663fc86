/*
 * test_timeline_periods.c — the calendar of timelines (search_timeline.c):
 * a period's date filters (cys_timeline_period_filters), ISO weeks at
 * year ends and month ends, keys that are not periods, sort keys as dates,
 * and the date a dated count carries (facet_value_split_date).  The
 * calendar is query_period.c, reached through the public call.
 */
#include <string.h>

#include "cysearch/search.h"
#include "check.h"
#include "facet_value.h"
#include "query_period.h"

static void check_period(const char *period, cys_timeline_unit unit,
                         const char *first, const char *second) {
  char ranges[2][CYS_PERIOD_RANGE_MAX];
  cys_timeline_unit got = CYS_TIMELINE_NONE;
  size_t n = 0;
  CHECK_INT(cys_timeline_period_filters(period, &got, ranges, &n), CYS_OK);
  CHECK_INT(got, unit);
  CHECK_INT(n, second ? 2 : 1);
  if (n >= 1)
    CHECK_STR(ranges[0], first);
  if (n == 2 && second)
    CHECK_STR(ranges[1], second);
}

static void check_not_period(const char *period) {
  char ranges[2][CYS_PERIOD_RANGE_MAX];
  cys_timeline_unit unit;
  size_t n;
  CHECK_INT(cys_timeline_period_filters(period, &unit, ranges, &n),
            CYS_INVALID);
}

static void check_key(const char *key, const char *date) {
  char out[CYS_DATE_MAX];
  period_date_text(key, out);
  CHECK_STR(out, date);
}

int main(void) {
  check_period("2021", CYS_TIMELINE_YEAR, "2021", NULL);
  check_period("2021-03", CYS_TIMELINE_MONTH, "2021-03", NULL);
  check_period("2024-02-29", CYS_TIMELINE_DAY, "2024-02-29", NULL);
  /* ISO weeks: week 1 holds 4 January; 2020 has 53 weeks, 2021 52. */
  check_period("2021-W01", CYS_TIMELINE_WEEK, "2021-01-04..2021-01-10", NULL);
  check_period("2020-W53", CYS_TIMELINE_WEEK, "2020-12-28..2020-12-31",
               "2021-01-01..2021-01-03");
  check_period("2015-W01", CYS_TIMELINE_WEEK, "2014-12-29..2014-12-31",
               "2015-01-01..2015-01-04");
  /* A week over a month end is two ranges: "2021-04" sorts as 2021-04-00,
   * inside 2021-03-29..2021-04-04, and a week never counts it. */
  check_period("2021-W13", CYS_TIMELINE_WEEK, "2021-03-29..2021-03-31",
               "2021-04-01..2021-04-04");
  check_period("2021-W09", CYS_TIMELINE_WEEK, "2021-03-01..2021-03-07", NULL);
  check_not_period("2021-W53");
  check_not_period("2021-W00");
  check_not_period("2023-02-29");
  check_not_period("2021-13");
  check_not_period("2021-00");
  check_not_period("2021-03-00");
  check_not_period("21");
  check_not_period("2021-3");
  check_not_period("2021-W1");
  check_not_period("2021-03-05x");
  check_not_period("");
  check_not_period(NULL);

  check_key("20210305", "2021-03-05");
  check_key("20210300", "2021-03");
  check_key("20210000", "2021");
  check_key("", "");
  check_key("2021030", "");
  check_key("20211301", "");

  cys_timeline_unit unit;
  CHECK_INT(cys_timeline_unit_parse("week", &unit), CYS_OK);
  CHECK_INT(unit, CYS_TIMELINE_WEEK);
  CHECK_STR(cys_timeline_unit_name(unit), "week");
  CHECK_INT(cys_timeline_unit_parse("fortnight", &unit), CYS_NOT_FOUND);

  /* A dated count: the value, the date separator, the date. */
  const char dated[] = "0123456789abcdef\x1e"
                       "CN\x1d"
                       "20210305";
  size_t len = sizeof dated - 1;
  const char *date = facet_value_split_date(dated, &len);
  CHECK(date && memcmp(date, "20210305", 8) == 0);
  CHECK_INT(len, 19);
  CHECK_INT(facet_value_key_len(dated, sizeof dated - 1), 16);
  const char undated[] = "0123456789abcdef\x1d";
  len = sizeof undated - 1;
  CHECK(facet_value_split_date(undated, &len) == NULL);
  CHECK_INT(len, 16);
  const char plain[] = "0123456789abcdef\x1e"
                       "CN";
  len = sizeof plain - 1;
  CHECK(facet_value_split_date(plain, &len) == NULL);
  CHECK_INT(len, sizeof plain - 1);
  return check_done();
}
