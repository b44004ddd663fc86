/*
 * test_cgi_request.c — the CGI parameter parser (searcher/cgi_request.c) on
 * good and hostile input: methods, strict %-decoding, NUL and control
 * bytes, overlong and otherwise invalid UTF-8, repeated and unknown
 * parameters, the limits, and the filter list built for the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi_request.h"
#include "check.h"

/* Parse with GET into a fresh request; returns the status. */
static int parse(cgi_request *req, const char *qs) {
  cgi_request_init(req);
  return cgi_request_parse(req, "GET", qs);
}

static int status_of(const char *qs) {
  cgi_request req;
  return parse(&req, qs);
}

static void test_defaults_and_methods(void) {
  cgi_request req;
  CHECK_INT(parse(&req, NULL), 200);
  CHECK_STR(req.q, "");
  CHECK_INT(req.page, 1);
  CHECK_INT(req.per_page, 10);
  CHECK_INT(req.sort, CYS_SORT_RELEVANCE);
  CHECK_INT(req.format, CGI_FORMAT_HTML);
  CHECK_INT(req.nfilters, 0);
  CHECK_INT(req.head, 0);
  CHECK(!cgi_request_has_search(&req));
  CHECK_INT(parse(&req, ""), 200);

  cgi_request_init(&req);
  CHECK_INT(cgi_request_parse(&req, "HEAD", "q=x"), 200);
  CHECK_INT(req.head, 1);
  CHECK_STR(req.q, "x");

  const char *refused[] = {"POST", "PUT", "DELETE", "OPTIONS", "TRACE",
                           "PATCH", "get", "GET ", "CONNECT"};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
    cgi_request_init(&req);
    CHECK_INT(cgi_request_parse(&req, refused[i], "q=x"), 405);
    CHECK(req.error[0] != '\0');
    CHECK_STR(req.q, ""); /* nothing is parsed for a refused method */
  }
  cgi_request_init(&req);
  CHECK_INT(cgi_request_parse(&req, NULL, "q=x"), 400);
  cgi_request_init(&req);
  CHECK_INT(cgi_request_parse(&req, "", "q=x"), 400);
}

static void test_decoding(void) {
  cgi_request req;
  CHECK_INT(parse(&req, "q=a+b%20c"), 200);
  CHECK_STR(req.q, "a b c");
  CHECK(cgi_request_has_search(&req));
  CHECK_INT(parse(&req, "q=%41%62%2b%2B%25"), 200);
  CHECK_STR(req.q, "Ab++%");
  CHECK_INT(parse(&req, "q=%C3%A9t%C3%A9+%E2%80%94+%F0%9F%94%92"), 200);
  CHECK_STR(req.q, "\xC3\xA9t\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x94\x92");
  /* Raw (unencoded) UTF-8 in the query string is accepted too. */
  CHECK_INT(parse(&req, "q=caf\xC3\xA9"), 200);
  CHECK_STR(req.q, "caf\xC3\xA9");
  /* Tab, CR and LF are spaces. */
  CHECK_INT(parse(&req, "q=a%09b%0D%0Ac"), 200);
  CHECK_STR(req.q, "a b  c");
  /* Names are decoded too. */
  CHECK_INT(parse(&req, "%71=x&per%2Dpage=20"), 200);
  CHECK_STR(req.q, "x");
  CHECK_INT(req.per_page, 20);
  /* Whitespace-only queries are no search. */
  CHECK_INT(parse(&req, "q=+++"), 200);
  CHECK(!cgi_request_has_search(&req));
}

static void test_bad_escapes(void) {
  const char *bad[] = {"q=%",      "q=%4",       "q=abc%",    "q=%zz",
                       "q=%G1",    "q=%1G",      "q=%%41",    "q=%-1",
                       "q=% 1",    "%zz=1",      "q%=x",      "country=%E",
                       "x=%",      "q=ok&page=%"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cgi_request req;
    int st = parse(&req, bad[i]);
    CHECK_INT(st, 400);
    if (st != 400)
      fprintf(stderr, "  for %s\n", bad[i]);
  }
}

static void test_nul_and_controls(void) {
  const char *bad[] = {"q=a%00b", "q=%00",    "%00=x",   "country=%00",
                       "q=%01",   "q=a%1Fb",  "q=%7F",   "q=a\x01",
                       "from=%00", "zzz=%00", "q=%1B%5B31m"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cgi_request req;
    int st = parse(&req, bad[i]);
    CHECK_INT(st, 400);
    if (st != 400)
      fprintf(stderr, "  for %s\n", bad[i]);
  }
}

static void test_bad_utf8(void) {
  const char *bad[] = {
      "q=%C0%AF",          /* overlong '/' */
      "q=%C1%BF",          /* overlong */
      "q=%E0%80%AF",       /* overlong, 3 bytes */
      "q=%F0%80%80%AF",    /* overlong, 4 bytes */
      "q=%C0%80",          /* overlong NUL */
      "q=%ED%A0%80",       /* UTF-16 surrogate */
      "q=%F4%90%80%80",    /* above U+10FFFF */
      "q=%F8%88%80%80%80", /* 5-byte form */
      "q=%80",             /* lone continuation */
      "q=%C3",             /* truncated */
      "q=%E2%80",          /* truncated */
      "q=%FF",             "q=%FE",
      "q=caf\xC3",         /* raw truncated */
      "q=\xC0\xAF",        /* raw overlong */
      "%C0%AF=1",          /* in a name */
      "actor=%C0%AF",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cgi_request req;
    int st = parse(&req, bad[i]);
    CHECK_INT(st, 400);
    if (st != 400)
      fprintf(stderr, "  for %s\n", bad[i]);
  }
}

static void test_repeated_and_unknown(void) {
  cgi_request req;
  CHECK_INT(parse(&req, "q=a&q=b"), 400);
  CHECK_STR(req.q, "a"); /* what was parsed before the error stays */
  CHECK_INT(parse(&req, "q=a&q=a"), 400);
  CHECK_INT(parse(&req, "q=&q=a"), 400);
  CHECK_INT(parse(&req, "page=1&page=2"), 400);
  CHECK_INT(parse(&req, "per-page=10&per-page=10"), 400);
  CHECK_INT(parse(&req, "sort=date&sort=date"), 400);
  CHECK_INT(parse(&req, "format=json&format=html"), 400);
  CHECK_INT(parse(&req, "from=2020&from=2021"), 400);
  CHECK_INT(parse(&req, "to=2020&to=2021"), 400);
  /* The message names the parameter (the form has one of each). */
  CHECK_INT(parse(&req, "since=&since=2"), 400);
  CHECK_STR(req.error, "The parameter 'since' is given more than once.");
  CHECK_INT(parse(&req, "q=a&per-page=10&per-page=20"), 400);
  CHECK_STR(req.error, "The parameter 'per-page' is given more than once.");

  /* Filters repeat; the same value twice is one filter. */
  CHECK_INT(parse(&req, "country=China&country=Russia&country=China"), 200);
  CHECK_INT(req.nfilters, 2);
  CHECK_INT(req.filters[0].kind, CGI_FILTER_COUNTRY);
  CHECK_STR(req.filters[0].value, "China");
  CHECK_STR(req.filters[1].value, "Russia");
  CHECK_INT(parse(&req, "actor=APT28&agency=NSA&source=a.example&actor=APT29"),
            200);
  CHECK_INT(req.nfilters, 4);
  CHECK_INT(req.filters[1].kind, CGI_FILTER_AGENCY);
  CHECK_INT(req.filters[2].kind, CGI_FILTER_SOURCE);
  CHECK_STR(req.filters[3].value, "APT29");
  CHECK(cgi_request_has_search(&req));
  /* Empty and blank filter values (empty form fields) are no filter. */
  CHECK_INT(parse(&req, "q=x&country=&agency=+&actor=&source="), 200);
  CHECK_INT(req.nfilters, 0);
  /* Values are trimmed; the same value after trimming is a duplicate. */
  CHECK_INT(parse(&req, "country=+China+&country=China"), 200);
  CHECK_INT(req.nfilters, 1);
  CHECK_STR(req.filters[0].value, "China");

  /* Unknown parameters are ignored, but must still be well-formed. */
  CHECK_INT(parse(&req, "utm_source=x&q=a&submit=Search&Q=zz&x"), 200);
  CHECK_STR(req.q, "a");
  CHECK_INT(parse(&req, "&&q=a&&&=b&"), 200);
  CHECK_STR(req.q, "a");
  CHECK_INT(parse(&req, "q"), 200);
  CHECK_STR(req.q, "");
  CHECK_INT(parse(&req, "q=a=b"), 200);
  CHECK_STR(req.q, "a=b");
  CHECK_INT(parse(&req, "q=a;b"), 200); /* ';' is no separator */
  CHECK_STR(req.q, "a;b");
}

/* A query string "NAME=" followed by n copies of c. */
static char *repeat(const char *name, char c, size_t n) {
  size_t len = strlen(name);
  char *s = malloc(len + 1 + n + 1);
  memcpy(s, name, len);
  s[len] = '=';
  memset(s + len + 1, c, n);
  s[len + 1 + n] = '\0';
  return s;
}

static void test_limits(void) {
  cgi_request req;
  char *s;
  /* QUERY_STRING: 8192 bytes pass, 8193 are 414. */
  s = repeat("x", 'a', 8190);
  CHECK_INT(strlen(s), 8192);
  CHECK_INT(status_of(s), 200);
  free(s);
  s = repeat("x", 'a', 8191);
  CHECK_INT(status_of(s), 414);
  free(s);
  s = repeat("q", 'a', 100000);
  CHECK_INT(status_of(s), 414);
  free(s);

  /* q: 1024 bytes after decoding. */
  s = repeat("q", 'a', 1024);
  CHECK_INT(parse(&req, s), 200);
  CHECK_INT(strlen(req.q), 1024);
  free(s);
  s = repeat("q", 'a', 1025);
  CHECK_INT(status_of(s), 400);
  free(s);
  s = repeat("q", '+', 2000);
  CHECK_INT(status_of(s), 400);
  free(s);

  /* Other values: 256 bytes. */
  s = repeat("country", 'a', 256);
  CHECK_INT(parse(&req, s), 200);
  CHECK_INT(strlen(req.filters[0].value), 256);
  free(s);
  s = repeat("actor", 'a', 257);
  CHECK_INT(status_of(s), 400);
  free(s);
  s = repeat("from", '1', 300);
  CHECK_INT(status_of(s), 400);
  free(s);

  /* 20 filter values in all, of any kinds. */
  char qs[1024];
  size_t n = 0;
  for (int i = 0; i < 20; i++)
    n += (size_t)snprintf(qs + n, sizeof qs - n, "%s%s=v%d", i ? "&" : "",
                          cgi_filter_name((cgi_filter_kind)(i % 4)), i);
  CHECK_INT(parse(&req, qs), 200);
  CHECK_INT(req.nfilters, 20);
  snprintf(qs + n, sizeof qs - n, "&source=one-more");
  CHECK_INT(parse(&req, qs), 400);
  CHECK_INT(req.nfilters, 20);
}

static void test_page_and_choices(void) {
  cgi_request req;
  CHECK_INT(parse(&req, "page=1"), 200);
  CHECK_INT(req.page, 1);
  CHECK_INT(parse(&req, "page=100"), 200);
  CHECK_INT(req.page, 100);
  CHECK_INT(parse(&req, "page=007"), 200);
  CHECK_INT(req.page, 7);
  CHECK_INT(parse(&req, "page="), 200);
  CHECK_INT(req.page, 1);
  const char *bad_pages[] = {"page=0",   "page=101", "page=-1", "page=+1",
                             "page=1e2", "page=abc", "page=1.5", "page=+",
                             "page=0x10", "page=4294967297", "page=1000"};
  for (size_t i = 0; i < sizeof bad_pages / sizeof *bad_pages; i++)
    CHECK_INT(status_of(bad_pages[i]), 400);

  CHECK_INT(parse(&req, "per-page=20"), 200);
  CHECK_INT(req.per_page, 20);
  CHECK_INT(parse(&req, "per-page=50"), 200);
  CHECK_INT(req.per_page, 50);
  CHECK_INT(status_of("per-page=11"), 400);
  CHECK_INT(status_of("per-page=100"), 400);
  CHECK_INT(status_of("per-page=010"), 400);
  CHECK_INT(status_of("per-page=10000000"), 400);

  CHECK_INT(parse(&req, "sort=date"), 200);
  CHECK_INT(req.sort, CYS_SORT_DATE);
  CHECK_INT(parse(&req, "sort=relevance"), 200);
  CHECK_INT(req.sort, CYS_SORT_RELEVANCE);
  CHECK_INT(parse(&req, "sort=recent"), 200);
  CHECK_INT(req.sort, CYS_SORT_RECENT);
  CHECK_INT(parse(&req, "sort=oldest"), 200); /* cysearch --sort oldest */
  CHECK_INT(req.sort, CYS_SORT_OLDEST);
  CHECK_INT(status_of("sort=Date"), 400);
  CHECK_INT(status_of("sort=Oldest"), 400);
  CHECK_INT(status_of("sort=%3Cscript%3E"), 400);

  CHECK_INT(parse(&req, "format=json"), 200);
  CHECK_INT(req.format, CGI_FORMAT_JSON);
  CHECK_INT(parse(&req, "format=html"), 200);
  CHECK_INT(req.format, CGI_FORMAT_HTML);
  CHECK_INT(status_of("format=xml"), 400);
  /* An error before format=json is still answered in JSON: format is
   * found wherever it stands (it used to be HTML). */
  CHECK_INT(parse(&req, "page=0&format=json"), 400);
  CHECK_INT(req.format, CGI_FORMAT_JSON);
  CHECK_INT(parse(&req, "q=%zz&format=%6Ason"), 400);
  CHECK_INT(req.format, CGI_FORMAT_JSON);
  cgi_request_init(&req);
  CHECK_INT(cgi_request_parse(&req, "POST", "q=x&format=json"), 405);
  CHECK_INT(req.format, CGI_FORMAT_JSON);
  CHECK_INT(parse(&req, "page=0&format=xml"), 400);
  CHECK_INT(req.format, CGI_FORMAT_HTML);
  CHECK_INT(parse(&req, "page=0&format=json%zz"), 400);
  CHECK_INT(req.format, CGI_FORMAT_HTML);

  /* The first error stops the parse; good fields before it are kept. */
  CHECK_INT(parse(&req, "q=abc&page=0&per-page=50"), 400);
  CHECK_STR(req.q, "abc");
  CHECK_INT(req.per_page, 10);
}

static void test_dates(void) {
  cgi_request req;
  CHECK_INT(parse(&req, "from=2021&to=2021-03"), 200);
  CHECK_STR(req.date_from, "2021");
  CHECK_STR(req.date_to, "2021-03");
  CHECK(cgi_request_has_search(&req));
  CHECK_INT(parse(&req, "from=+2021-03-04+"), 200);
  CHECK_STR(req.date_from, "2021-03-04");
  CHECK_INT(parse(&req, "from=2021-03-04T10:00:00Z"), 200);
  CHECK_STR(req.date_from, "2021-03-04");
  CHECK_INT(parse(&req, "from=&to="), 200);
  CHECK_STR(req.date_from, "");
  CHECK(!cgi_request_has_search(&req));
  /* The same day or month at both ends is fine. */
  CHECK_INT(parse(&req, "from=2021-03-05&to=2021-03"), 200);
  CHECK_INT(parse(&req, "from=2021&to=2021-01-01"), 200);
  const char *bad[] = {"from=2021-13",   "from=2021-02-30", "to=21",
                       "to=yesterday",   "from=2021/03/04", "from=%3Cscript%3E",
                       "to=2021-03-04x", "from=2022&to=2021-12-31",
                       "from=2021-03-05&to=2021-03-04"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int st = status_of(bad[i]);
    CHECK_INT(st, 400);
    if (st != 400)
      fprintf(stderr, "  for %s\n", bad[i]);
  }
}

/* The filters as "field: value" lines, to compare in one string. */
static void filters_text(const cgi_request *req, char *out, size_t size) {
  cgi_search_filters f;
  cgi_request_filters(req, &f);
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < f.n && n < size; i++)
    n += (size_t)snprintf(out + n, size - n, "%s: %s\n", f.list[i].field,
                          f.list[i].value);
}

/* The filter parameters reach the search as a list of fields and values,
 * and q as sent: nothing is appended to the query text, so no text in q
 * can change what a filter does. */
static void test_filters(void) {
  cgi_request req;
  char t[1024];
  CHECK_INT(parse(&req, "q=ransomware+NOT&country=China"
                        "&actor=Fancy+%22Bear%22&from=2020&to=2021-06"
                        "&sort=date&page=2"),
            200);
  CHECK_STR(req.q, "ransomware NOT");
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "country: China\nactor: Fancy \"Bear\"\n"
               "date: 2020..2021-06\n");
  CHECK_STR(cgi_request_filter_param(&req, 0), "country");
  CHECK_STR(cgi_request_filter_param(&req, 1), "actor");
  CHECK_STR(cgi_request_filter_param(&req, 2), "from");
  CHECK_STR(cgi_request_filter_param(&req, 3), "");
  CHECK_STR(cgi_request_filter_param(&req, -1), "");

  CHECK_INT(parse(&req, "source=a.example&to=2019"), 200);
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "source: a.example\ndate: ..2019\n");
  CHECK_STR(cgi_request_filter_param(&req, 1), "to");

  CHECK_INT(parse(&req, "q=%22x&from=2019-05"), 200);
  CHECK_STR(req.q, "\"x");
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "date: 2019-05..\n");

  CHECK_INT(parse(&req, ""), 200);
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "");

  /* The kinds the facet sidebar and the entity chips add. */
  CHECK_INT(parse(&req, "q=x&malware=WannaCry&year=2017&cve=CVE-2017-0144"
                        "&vendor=Microsoft&year=2018"),
            200);
  CHECK_INT(req.nfilters, 5);
  CHECK_STR(cgi_filter_name(req.filters[4].kind), "year");
  CHECK_STR(cgi_filter_label(req.filters[0].kind), "Malware");
  CHECK(cgi_request_has_search(&req));
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "malware: WannaCry\nyear: 2017\ncve: CVE-2017-0144\n"
               "vendor: Microsoft\nyear: 2018\n");
}

/* since=N: a run number from 1, given once; it reaches the search as the
 * filter indexed:N.. beside q, after the other filters.  Whether the index
 * has run N is checked once it is open (test_cgi_since.sh). */
static void test_since(void) {
  cgi_request req;
  char t[1024];
  CHECK_INT(parse(&req, "since=3"), 200);
  CHECK(req.since == 3);
  CHECK(cgi_request_has_search(&req)); /* "what is new", without a query */
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "indexed: 3..\n");
  CHECK_STR(cgi_request_filter_param(&req, 0), "since");
  CHECK_STR(cgi_request_filter_param(&req, 1), "");

  CHECK_INT(parse(&req, "q=a+NOT+indexed%3A3..&country=CN&from=2020"
                        "&since=9999999999"),
            200);
  CHECK_STR(req.q, "a NOT indexed:3..");
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "country: CN\ndate: 2020..\nindexed: 9999999999..\n");
  CHECK_STR(cgi_request_filter_param(&req, 1), "from");
  CHECK_STR(cgi_request_filter_param(&req, 2), "since");
  CHECK_INT(parse(&req, "country=CN&since=2"), 200);
  CHECK_STR(cgi_request_filter_param(&req, 1), "since");

  CHECK_INT(parse(&req, "since="), 200); /* the selector's "any time" */
  CHECK(req.since == 0);
  CHECK(!cgi_request_has_search(&req));
  filters_text(&req, t, sizeof t);
  CHECK_STR(t, "");

  const char *bad[] = {"since=0", "since=-1", "since=abc", "since=1e3",
                       "since=+3", "since=%203", "since=3.", "since=0x10",
                       "since=12345678901", "since=%3Cscript%3E",
                       "since=2&since=2", "since=99999999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int st = parse(&req, bad[i]);
    CHECK_INT(st, 400);
    if (st != 400)
      fprintf(stderr, "  for %s\n", bad[i]);
    CHECK(req.since == 0 || strstr(bad[i], "&since="));
  }
  CHECK_INT(parse(&req, "since=abc"), 400);
  CHECK(strstr(req.error, "'since'") != NULL);
}

int main(void) {
  test_defaults_and_methods();
  test_decoding();
  test_bad_escapes();
  test_nul_and_controls();
  test_bad_utf8();
  test_repeated_and_unknown();
  test_limits();
  test_page_and_choices();
  test_dates();
  test_filters();
  test_since();
  return check_done();
}
