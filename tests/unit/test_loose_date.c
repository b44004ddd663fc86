/*
 * test_loose_date.c — loose_date_parse: the date forms of pages and feeds
 * (ISO, slashes, English month names, RFC 2822) and the sentences,
 * impossible dates and foreign words it must refuse.
 */
#include <string.h>

#include "check.h"
#include "loose_date.h"

static void check_date(const char *in, const char *want, int line) {
  char out[CYS_DATE_MAX];
  memset(out, 'X', sizeof out);
  int rc = loose_date_parse(in, strlen(in), out);
  int ok =
      want ? rc == 0 && strcmp(out, want) == 0 : rc == -1 && out[0] == '\0';
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  (line %d: \"%s\" gave %d, \"%.10s\")\n", line, in, rc,
            out);
}

#define GOOD(in, want) check_date(in, want, __LINE__)
#define BAD(in) check_date(in, NULL, __LINE__)

int main(void) {
  GOOD("2024-03-05", "2024-03-05");
  GOOD("  2024-03  ", "2024-03");
  GOOD("2024-03-05T10:00:00+02:00", "2024-03-05");
  GOOD("2024/03/05", "2024-03-05");
  GOOD("2024.03.05", "2024-03-05");
  GOOD("March 5, 2024", "2024-03-05");
  GOOD("Mar. 5th 2024", "2024-03-05");
  GOOD("5 March 2024", "2024-03-05");
  GOOD("05 SEPT 2021", "2021-09-05");
  GOOD("March 2024", "2024-03");
  GOOD("Published: March 5, 2024", "2024-03-05");
  GOOD("Posted on Tuesday, March 5, 2024", "2024-03-05");
  GOOD("Tue, 05 Mar 2024 10:00:00 +0000", "2024-03-05");
  GOOD("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05");
  GOOD("March 5, 2024 at 10:00 am EST", "2024-03-05");
  GOOD("February 29, 2024", "2024-02-29");
  BAD("February 29, 2023"); /* no such day */
  BAD("2024/13/05");
  BAD("2024/03-05");
  BAD("March 32, 2024");
  BAD("5 March"); /* no year */
  GOOD("2024", "2024");
  BAD("On March 6, 2024 a patch followed.");
  BAD("By John Doe - March 5, 2024");
  BAD("March 2024 was a bad month");
  BAD("5 März 2024");
  BAD("March 5 6 2024"); /* two days */
  BAD("");
  BAD("   ");
  BAD("yesterday");
  return check_done();
}
