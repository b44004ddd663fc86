/*
 * test_cgi_html.c — the CGI's escaping printf (searcher/cgi_html.c): each
 * context's escaping, what may become a link, invalid UTF-8 and control
 * bytes from the index, sticky errors; and the hrefs of cgi_link.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cgi_html.h"
#include "cgi_link.h"
#include "check.h"

/* The output of one cgi_html call, in a static buffer for CHECK_STR. */
#define RENDER(...)                                                          \
  do {                                                                       \
    cgi_out_reset(&out);                                                     \
    cgi_html(&out, __VA_ARGS__);                                             \
  } while (0)

static void test_contexts(void) {
  cgi_out out;
  cgi_out_init(&out);
  RENDER("<p>%s</p>", "<script>alert(1)</script> & \"x\" 'y'");
  CHECK_STR(out.data, "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                      "&quot;x&quot; &#39;y&#39;</p>");
  RENDER("<input value=\"%a\">", "\"><img src=x onerror=alert(1)>");
  CHECK_STR(out.data,
            "<input value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">");
  RENDER("%s|%a", "a\tb\nc", "a\tb\nc\rd");
  CHECK_STR(out.data, "a\tb\nc|a&#9;b&#10;c&#13;d");
  RENDER("?q=%q", "a b&c=d/é<>\"'+%#~._-");
  CHECK_STR(out.data,
            "?q=a%20b%26c%3Dd%2F%C3%A9%3C%3E%22%27%2B%25%23~._-");
  RENDER("%q", "javascript:alert(1)");
  CHECK_STR(out.data, "javascript%3Aalert%281%29");
  /* NULL writes nothing; literal text and %% pass through. */
  RENDER("[%s][%a][%q][%h] 100%%", (char *)NULL, (char *)NULL, (char *)NULL,
         (char *)NULL);
  CHECK_STR(out.data, "[][][][] 100%");
  CHECK(!out.failed);
  cgi_out_free(&out);
}

static void test_hrefs(void) {
  cgi_out out;
  cgi_out_init(&out);
  RENDER("<a href=\"%h\">", "https://a.example/x?y=1&z=\"2\"<b>");
  CHECK_STR(out.data,
            "<a href=\"https://a.example/x?y=1&amp;z=&quot;2&quot;&lt;b&gt;\">");
  RENDER("<a href=\"%h\">", "HTTP://A.EXAMPLE/");
  CHECK_STR(out.data, "<a href=\"HTTP://A.EXAMPLE/\">");
  const char *refused[] = {"javascript:alert(1)",
                           "JaVaScRiPt:alert(1)",
                           " javascript:alert(1)",
                           "\thttps://a.example/",
                           " https://a.example/",
                           "java\tscript:alert(1)",
                           "data:text/html,<script>alert(1)</script>",
                           "vbscript:msgbox(1)",
                           "//evil.example/",
                           "/relative/path",
                           "relative",
                           "https:/a.example",
                           "http://",
                           "https:///path",
                           "https://a.example/x y",
                           "https://a.example/\n",
                           "ftp://a.example/",
                           "mailto:a@example.org",
                           ""};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
    CHECK(!cgi_url_is_web(refused[i]));
    RENDER("<a href=\"%h\">", refused[i]);
    CHECK_STR(out.data, "<a href=\"\">");
  }
  CHECK(!cgi_url_is_web(NULL));
  CHECK(cgi_url_is_web("http://a.example"));
  CHECK(cgi_url_is_web("https://a.example:8443/p?q=1#f"));
  CHECK(cgi_url_is_web("https://xn--bcher-kva.example/"));
  cgi_out_free(&out);
}

static void test_bytes_from_the_index(void) {
  cgi_out out;
  cgi_out_init(&out);
  /* Valid UTF-8 passes whole; bad bytes and controls become U+FFFD. */
  RENDER("%s", "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x94\x92");
  CHECK_STR(out.data, "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x94\x92");
  RENDER("%s", "a\xC3<b");
  CHECK_STR(out.data, "a\xEF\xBF\xBD&lt;b");
  RENDER("%s", "\xC0\xAF<");
  CHECK_STR(out.data, "\xEF\xBF\xBD\xEF\xBF\xBD&lt;");
  RENDER("%s", "\xED\xA0\x80");
  CHECK_STR(out.data, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  RENDER("%a", "x\x01y\x7Fz\x1B[31m");
  CHECK_STR(out.data, "x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBD[31m");
  /* A multi-byte character cut by %.*s is repaired, never half-written. */
  RENDER("[%.*s]", 4, "caf\xC3\xA9");
  CHECK_STR(out.data, "[caf\xEF\xBF\xBD]");
  RENDER("[%.*s|%.*a]", 3, "<b>x", 0, "zzz");
  CHECK_STR(out.data, "[&lt;b&gt;|]");
  RENDER("[%.*s]", 99, "short");
  CHECK_STR(out.data, "[short]");
  cgi_out_free(&out);
}

static void test_numbers_and_errors(void) {
  cgi_out out;
  cgi_out_init(&out);
  RENDER("%d %u %zu %llu %.3f %.0f", -5, 7u, (size_t)42,
         (unsigned long long)18446744073709551615ull, 0.0125, 2.5);
  CHECK_STR(out.data, "-5 7 42 18446744073709551615 0.013 2");
#ifdef NDEBUG
  /* A conversion that does not exist fails, and stays failed (a debug
   * build stops on an assertion instead). */
  RENDER("a%xb", 1);
  CHECK(out.failed);
  cgi_html(&out, "more");
  CHECK(out.failed);
#endif
  /* Reset empties the buffer and clears a failure, in any build. */
  cgi_out_reset(&out);
  CHECK(!out.failed);
  cgi_out_append(&out, "raw", 3);
  CHECK_STR(out.data, "raw");
  /* A long document grows the buffer. */
  cgi_out_reset(&out);
  for (int i = 0; i < 5000; i++)
    cgi_html(&out, "<li>%s</li>", "&");
  CHECK_INT(out.len, 5000 * strlen("<li>&amp;</li>"));
  CHECK(!out.failed);
  cgi_out_free(&out);
  cgi_out_free(&out); /* a freed buffer is zeroed: freeing again is fine */
}

static void test_links(void) {
  cgi_out out;
  cgi_out_init(&out);
  cgi_request req;
  cgi_request_init(&req);
  cgi_link plain = {0};
  RENDER("");
  cgi_link_href(&out, &req, &plain);
  CHECK_STR(out.data, "?");

  CHECK_INT(cgi_request_parse(&req, "GET",
                              "q=%3Cb%3E+%22x%22&country=China&actor=A%26B"
                              "&from=2020&to=2021&sort=date&per-page=20"
                              "&page=3&format=html"),
            200);
  cgi_link next = {.page = 4};
  RENDER("");
  cgi_link_href(&out, &req, &next);
  CHECK_STR(out.data, "?q=%3Cb%3E%20%22x%22&amp;country=China&amp;actor=A%26B"
                      "&amp;from=2020&amp;to=2021&amp;sort=date"
                      "&amp;per-page=20&amp;page=4");
  /* Changing the filters starts again at page 1. */
  cgi_link drop = {.drop = &req.filters[0]};
  RENDER("");
  cgi_link_href(&out, &req, &drop);
  CHECK_STR(out.data, "?q=%3Cb%3E%20%22x%22&amp;actor=A%26B&amp;from=2020"
                      "&amp;to=2021&amp;sort=date&amp;per-page=20");
  cgi_filter add = {.kind = CGI_FILTER_SOURCE};
  strcpy(add.value, "b.example");
  cgi_link more = {.add = &add, .drop_from = 1};
  RENDER("");
  cgi_link_href(&out, &req, &more);
  CHECK_STR(out.data, "?q=%3Cb%3E%20%22x%22&amp;country=China&amp;actor=A%26B"
                      "&amp;source=b.example&amp;to=2021&amp;sort=date"
                      "&amp;per-page=20");
  cgi_link none = {.drop_filters = 1, .page = 1};
  RENDER("");
  cgi_link_href(&out, &req, &none);
  CHECK_STR(out.data, "?q=%3Cb%3E%20%22x%22&amp;sort=date&amp;per-page=20");
  /* A suggestion: another query, the filters kept, page 1. */
  cgi_link suggest = {.q = "ransomware \"x\""};
  RENDER("");
  cgi_link_href(&out, &req, &suggest);
  CHECK_STR(out.data, "?q=ransomware%20%22x%22&amp;country=China"
                      "&amp;actor=A%26B&amp;from=2020&amp;to=2021"
                      "&amp;sort=date&amp;per-page=20");
  cgi_request_init(&req);
  CHECK_INT(cgi_request_parse(&req, "GET", "q=a&sort=recent"), 200);
  RENDER("");
  cgi_link_href(&out, &req, &plain);
  CHECK_STR(out.data, "?q=a&amp;sort=recent");
  cgi_out_free(&out);
}

int main(void) {
  test_contexts();
  test_hrefs();
  test_bytes_from_the_index();
  test_numbers_and_errors();
  test_links();
  return check_done();
}
