/*
 * test_html_page.c — html_page_parse on crafted pages: where the title,
 * date, url and source come from and in which order of preference; which
 * element gives the body and what is removed from it; paragraphs, line
 * breaks and white space; and hostile or broken HTML — unclosed tags,
 * script content holding "</p>", entities, invalid UTF-8, a declared
 * legacy charset, NUL bytes, huge attributes, very deep nesting, input
 * that is not HTML at all.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "html_page.h"
#include "byte_buf.h"

static html_page parse_n(const char *html, size_t len) {
  html_page page;
  CHECK_INT(html_page_parse(html, len, &page), 0);
  return page;
}

static html_page parse(const char *html) { return parse_n(html, strlen(html)); }

static void add(buf *b, const char *s) { buf_append(b, s, strlen(s)); }

static int contains(const char *hay, const char *needle) {
  return hay && strstr(hay, needle) != NULL;
}

/* A typical article page: every part from its preferred source. */
static void test_full_page(void) {
  html_page p = parse(
      "<!DOCTYPE html><html><head>\n"
      "<title>Ignored Title | Example News</title>\n"
      "<meta property=\"og:title\" content=\" Botnet &amp;\n Its  Masters \">\n"
      "<meta name=\"twitter:title\" content=\"Twitter title\">\n"
      "<meta property=\"og:url\" "
      "content=\"https://WWW.Example.COM:443/a/b?c#d\">\n"
      "<link rel=\"canonical\" href=\"https://other.example/x\">\n"
      "<meta name=\"date\" content=\"2019-01-01\">\n"
      "<meta property=\"article:published_time\" "
      "content=\"2024-03-05T10:00:00+02:00\">\n"
      "<style>p { color: red }</style>\n"
      "</head><body>\n"
      "<nav><a href=\"/\">navword</a></nav>\n"
      "<header><h1>Example News</h1></header>\n"
      "<article>\n"
      "  <h1>Botnet &amp; Its Masters</h1>\n"
      "  <time datetime=\"2018-02-02\">Feb 2</time>\n"
      "  <p>The   botnet\n   grew <b>fast</b>, said <a "
      "href=\"#\">analysts</a>.</p>\n"
      "  <p>Second<br>line two.</p>\n"
      "  <ul><li>one</li><li>two</li></ul>\n"
      "  <aside>asideword</aside>\n"
      "  <form><input value=\"formword\"><button>buttonword</button></form>\n"
      "  <noscript>noscriptword</noscript>\n"
      "  <div hidden>hiddenword</div>\n"
      "  <article><p>nested commentword</p></article>\n"
      "  <script>document.write('scriptword')</script>\n"
      "</article>\n"
      "<footer>footerword</footer>\n"
      "</body></html>\n");
  CHECK_STR(p.title, "Botnet & Its Masters");
  CHECK_STR(p.url, "https://WWW.Example.COM:443/a/b?c#d");
  CHECK_STR(p.source, "example.com");
  CHECK_STR(p.date, "2024-03-05");
  CHECK_STR(p.body, "Feb 2\n\n"
                    "The botnet grew fast, said analysts.\n\n"
                    "Second\nline two.\n\n"
                    "one\n\ntwo");
  static const char *const gone[] = {
      "navword",    "Example News", "asideword",  "formword",
      "buttonword", "noscriptword", "hiddenword", "commentword",
      "scriptword", "footerword",   "color"};
  for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
    CHECK(!contains(p.body, gone[i]));
  CHECK_INT(p.utf8_repairs, 0);
  html_page_free(&p);
}

/* Each fallback, when the better sources are missing. */
static void test_fallbacks(void) {
  html_page p = parse("<html><head><title>\n  Plain   Title\n</title>"
                      "<link rel=\"Alternate CANONICAL\" "
                      "href=\"http://user:pw@news.example.org/p\">"
                      "<meta name=\"DC.date.issued\" content=\"2020/07/08\">"
                      "</head><body><main><p>Main text.</p></main>"
                      "<p>outside main</p></body></html>");
  CHECK_STR(p.title, "Plain Title");
  CHECK_STR(p.url, "http://user:pw@news.example.org/p");
  CHECK_STR(p.source, "news.example.org");
  CHECK_STR(p.date, "2020-07-08");
  CHECK_STR(p.body, "Main text.");
  html_page_free(&p);

  /* no <title>: the first <h1> outside nav and the like; <time> */
  p = parse("<body><header><h1>Site Name</h1></header>"
            "<h1>The <em>Real</em> Headline</h1>"
            "<time datetime=\"2021-11-30T08:00:00Z\">yesterday</time>"
            "<p>Body text.</p></body>");
  CHECK_STR(p.title, "The Real Headline");
  CHECK_STR(p.date, "2021-11-30");
  CHECK(p.url == NULL && p.source == NULL);
  /* the first paragraph repeats the title: dropped */
  CHECK_STR(p.body, "yesterday\n\nBody text.");
  html_page_free(&p);

  /* a <time> with only its shown text; a relative canonical is no url */
  p = parse("<title>T</title><link rel=canonical href=\"/relative/path\">"
            "<p>Posted <time>March 9, 2022</time></p>");
  CHECK_STR(p.date, "2022-03-09");
  CHECK(p.url == NULL);
  html_page_free(&p);

  /* a date not understood is no date */
  p = parse("<meta property=\"article:published_time\" content=\"soon\">"
            "<p>x</p>");
  CHECK_STR(p.date, "");
  html_page_free(&p);
}

/* The largest <article> wins over small ones (cards in a list). */
static void test_largest_article(void) {
  html_page p = parse("<body><article><p>Card one.</p></article>"
                      "<article><p>The real story, which is much longer than "
                      "the cards around it.</p></article>"
                      "<article><p>Card two.</p></article>"
                      "<aside><article>" /* removed: never chosen */
                      "<p>An aside article longer than everything else on "
                      "this page, by a wide margin indeed.</p>"
                      "</article></aside></body>");
  CHECK_STR(p.body, "The real story, which is much longer than the cards "
                    "around it.");
  html_page_free(&p);
}

/* Tables, <pre>, comments, CDATA-like content, entities. */
static void test_text_shapes(void) {
  html_page p = parse(
      "<body><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
      "<pre>line 1\nline 2</pre><!-- commentword -->"
      "<p>&lt;tag&gt; &quot;q&quot; &#233;&#x2014;&eacute; caf&eacute;"
      "&nbsp;&nbsp;x &unknownentity; AT&T</p></body>");
  CHECK_STR(p.body, "a b\n\nc\n\nline 1\nline 2\n\n"
                    "<tag> \"q\" \xc3\xa9\xe2\x80\x94\xc3\xa9 caf\xc3\xa9 x "
                    "&unknownentity; AT&T");
  html_page_free(&p);
}

/* Unclosed and misnested tags, stray end tags, "</p>" inside a script. */
static void test_broken_markup(void) {
  html_page p =
      parse("<html><head><title>Broken <b>page</title><body>"
            "<p>one <b>bold <i>both</b> italic?"
            "<script>var s = \"</p><p>scriptword</p>\"; if (a < b) {}</script>"
            "<p>two</div></span></p></p>"
            "<p>three <style>.x{}</style>"
            "<div><p>four");
  CHECK(p.title != NULL);
  CHECK(contains(p.body, "one bold both italic?"));
  CHECK(contains(p.body, "two"));
  CHECK(contains(p.body, "three"));
  CHECK(contains(p.body, "four"));
  CHECK(!contains(p.body, "scriptword"));
  CHECK(!contains(p.body, "</p>"));
  CHECK(!contains(p.body, ".x{}"));
  html_page_free(&p);

  /* an attribute that never closes swallows the rest, without a crash */
  p = parse("<p title=\"unterminated>text<p>more text");
  html_page_free(&p);
  p = parse("<<<>>><p<<a>>b</p></></ >< / p>");
  html_page_free(&p);
}

/* Invalid UTF-8 with no charset declared: U+FFFD. */
static void test_invalid_utf8(void) {
  const char html[] = "<title>Caf\xe9</title><p>bad \xff\xfe bytes "
                      "caf\xc3\xa9</p>";
  html_page p = parse_n(html, sizeof html - 1);
  CHECK_STR(p.title, "Caf\xef\xbf\xbd");
  CHECK_STR(p.body, "bad \xef\xbf\xbd\xef\xbf\xbd bytes caf\xc3\xa9");
  CHECK_INT(p.utf8_repairs, 3);
  html_page_free(&p);

  /* a page that says it is UTF-8 gets the same treatment */
  const char said[] = "<meta charset=\"utf-8\"><p>caf\xc3\xa9 \xff</p>";
  p = parse_n(said, sizeof said - 1);
  CHECK_STR(p.body, "caf\xc3\xa9 \xef\xbf\xbd");
  html_page_free(&p);
}

/* A declared legacy charset is honoured when the bytes are not UTF-8;
 * valid UTF-8 is read as UTF-8 whatever the page says. */
static void test_declared_charset(void) {
  const char latin[] = "<html><head><meta http-equiv=\"Content-Type\" "
                       "content=\"text/html; charset=windows-1252\"></head>"
                       "<body><p>caf\xe9 \x93quoted\x94</p></body></html>";
  html_page p = parse_n(latin, sizeof latin - 1);
  CHECK_STR(p.body, "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
  CHECK_INT(p.utf8_repairs, 0);
  html_page_free(&p);

  const char mislabelled[] = "<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9</p>";
  p = parse_n(mislabelled, sizeof mislabelled - 1);
  CHECK_STR(p.body, "caf\xc3\xa9");
  html_page_free(&p);
}

/* NUL bytes inside the page end nothing early and never reach output. */
static void test_nul_bytes(void) {
  const char html[] = "<title>A\0B</title><p>x\0y</p><p>after</p>";
  html_page p = parse_n(html, sizeof html - 1);
  CHECK_STR(p.title, "A B");
  CHECK_STR(p.body, "x y\n\nafter");
  html_page_free(&p);
}

/* A 1 MB attribute and 100,000 nested elements. */
static void test_huge_inputs(void) {
  size_t big = 1u << 20;
  char *html = malloc(big + 256);
  CHECK(html != NULL);
  if (!html)
    return;
  strcpy(html, "<meta property=\"og:title\" content=\"");
  size_t at = strlen(html);
  memset(html + at, 'A', big);
  at += big;
  strcpy(html + at, "\"><p>after the attribute</p>");
  html_page p = parse(html);
  CHECK(p.title && strlen(p.title) == big);
  CHECK_STR(p.body, "after the attribute");
  html_page_free(&p);
  free(html);

  /* libxml2 stops reading at 256 levels (its guard against such pages):
   * the text before is kept, nothing overflows, and the page says that
   * it was cut short */
  size_t depth = 100000;
  html = malloc(depth * 5 + 64);
  CHECK(html != NULL);
  if (!html)
    return;
  strcpy(html, "<p>shallow text</p>");
  at = strlen(html);
  for (size_t i = 0; i < depth; i++) {
    memcpy(html + at, "<div>", 5);
    at += 5;
  }
  strcpy(html + at, "deep text");
  p = parse(html);
  CHECK(contains(p.body, "shallow text"));
  CHECK_INT(p.cut_short, 1);
  html_page_free(&p);
  free(html);
}

/* Old pages leave <font> (and <b>, <i>, ...) unclosed by the thousand:
 * the text after them is kept (issue #16), in its paragraphs. */
static void test_unclosed_font(void) {
  buf html = BUF_INIT;
  add(&html, "<html><head><title>Deep</title></head><body>"
                        "<p>first paragraph</p>");
  for (int i = 0; i < 1000; i++)
    add(&html, i % 2 ? "<FONT face=\"Arial\" size=2>"
                                : "<b><i><span class='x>y'>");
  add(&html, "<p>the uniquedeepword after them</p>"
                        "<p>last <span hidden>concealed</span></p>");
  html_page p = parse_n(html.data, html.len);
  CHECK_INT(p.cut_short, 0);
  CHECK_STR(p.title, "Deep");
  CHECK(contains(p.body, "first paragraph\n\nthe uniquedeepword after them"));
  CHECK(contains(p.body, "last"));
  CHECK(!contains(p.body, "concealed"));
  html_page_free(&p);
  buf_free(&html);

  /* well nested pages are read once, as before */
  p = parse("<p>a <font color=red>red</font> word</p>");
  CHECK_STR(p.body, "a red word");
  CHECK_INT(p.cut_short, 0);
  html_page_free(&p);
}

/* Nothing, white space, plain text. */
static void test_not_much(void) {
  html_page p;
  CHECK_INT(html_page_parse("", 0, &p), 0);
  CHECK(!p.title && !p.body && !p.url && !p.source && !p.date[0]);
  html_page_free(&p);
  p = parse("   \n\t ");
  CHECK(!p.title && !p.body);
  html_page_free(&p);
  p = parse("just some text, no markup");
  CHECK(p.title == NULL);
  CHECK_STR(p.body, "just some text, no markup");
  html_page_free(&p);
  p = parse("<html><head><title> </title></head><body> </body></html>");
  CHECK(!p.title && !p.body);
  html_page_free(&p);
}

/* Hosts: IPv6, ports, "www." only at the start, upper case. */
static void test_hosts(void) {
  static const struct {
    const char *url, *host;
  } cases[] = {
      {"https://[2001:db8::1]:8443/x", "[2001:db8::1]"},
      {"http://Example.org:8080", "example.org"},
      {"https://wwwx.example.net/", "wwwx.example.net"},
      {"//cdn.example.com/a", NULL}, /* no scheme: not absolute here */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char html[256];
    snprintf(html, sizeof html,
             "<meta property=\"og:url\" content=\"%s\"><p>x</p>", cases[i].url);
    html_page p = parse(html);
    if (cases[i].host)
      CHECK_STR(p.source, cases[i].host);
    else
      CHECK(p.source == NULL);
    html_page_free(&p);
  }
}

int main(void) {
  test_full_page();
  test_fallbacks();
  test_largest_article();
  test_text_shapes();
  test_broken_markup();
  test_invalid_utf8();
  test_declared_charset();
  test_nul_bytes();
  test_huge_inputs();
  test_unclosed_font();
  test_not_much();
  test_hosts();
  return check_done();
}
