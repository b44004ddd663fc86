/*
 * test_resolve.c — resolve_host (resolve.h) without DNS: numeric
 * addresses come back as they are (IPv6 without its brackets), localhost
 * is looked up (from /etc/hosts) to an IPv4 address, and bad arguments
 * are refused.  The time limit with a DNS server that never answers is
 * tests/integration/test_remote_dns.sh.
 */
#include <string.h>

#include "check.h"
#include "resolve.h"

static void test_numeric(void) {
  char num[RESOLVE_NUMERIC_SIZE], why[256];
  CHECK_INT(resolve_host("10.1.0.11", 1.0, num, sizeof num, why, sizeof why),
            CYS_OK);
  CHECK_STR(num, "10.1.0.11");
  CHECK_STR(why, "");
  CHECK_INT(resolve_host("::1", 1.0, num, sizeof num, why, sizeof why),
            CYS_OK);
  CHECK_STR(num, "::1");
  CHECK_INT(resolve_host("[2001:db8::7]", 1.0, num, sizeof num, why,
                         sizeof why),
            CYS_OK);
  CHECK_STR(num, "2001:db8::7");
  /* No time limit of ours (0): the same. */
  CHECK_INT(resolve_host("127.0.0.1", 0, num, sizeof num, why, sizeof why),
            CYS_OK);
  CHECK_STR(num, "127.0.0.1");
}

static void test_localhost(void) {
  char num[RESOLVE_NUMERIC_SIZE], why[256];
  cys_status st = resolve_host("localhost", 5.0, num, sizeof num, why,
                               sizeof why);
  CHECK_INT(st, CYS_OK);
  if (st != CYS_OK)
    fprintf(stderr, "  (%s)\n", why);
  else
    CHECK(strncmp(num, "127.", 4) == 0); /* IPv4, as Xapian 1.4 asks */
}

static void test_invalid(void) {
  char num[RESOLVE_NUMERIC_SIZE], why[256];
  CHECK_INT(resolve_host("", 1.0, num, sizeof num, why, sizeof why),
            CYS_INVALID);
  CHECK_STR(why, "no host name");
  CHECK_INT(resolve_host("[]", 1.0, num, sizeof num, why, sizeof why),
            CYS_INVALID);
  CHECK_INT(resolve_host(NULL, 1.0, num, sizeof num, why, sizeof why),
            CYS_INVALID);
  char small[8];
  CHECK_INT(resolve_host("127.0.0.1", 1.0, small, sizeof small, why,
                         sizeof why),
            CYS_INVALID);
  CHECK(strstr(why, "'127.0.0.1'") != NULL);
}

int main(void) {
  test_numeric();
  test_localhost();
  test_invalid();
  return check_done();
}
