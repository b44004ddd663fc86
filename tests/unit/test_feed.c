/*
 * test_feed.c — the feed reader (indexer/feed.h) and its dates
 * (indexer/feed_date.h): RFC 822 dates with named and numeric zones, RFC
 * 3339 with offsets and fractions, moved to the day in UTC; the body
 * chosen (content before description and summary, Atom text not read as
 * HTML, scripts and styles dropped, CDATA and escaped HTML); ids from
 * guid/id, else the link, else a stable hash; links resolved against
 * xml:base and the channel link; the feed's title and link; entities of
 * the document never reaching outside it (XXE); feed_sniff.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "feed.h"
#include "feed_date.h"

static void check_date(const char *in, const char *want, int line) {
  char out[CYS_DATE_MAX];
  memset(out, 'X', sizeof out);
  int rc = feed_date_parse(in, out);
  int ok =
      want ? rc == 0 && strcmp(out, want) == 0 : rc == -1 && out[0] == '\0';
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  (line %d: \"%s\" gave %d, \"%.10s\")\n", line, in, rc,
            out);
}
#define DATE(in, want) check_date(in, want, __LINE__)

static void test_dates(void) {
  /* RFC 822 / 2822 */
  DATE("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05");
  DATE("Tue, 05 Mar 2024 23:30:00 EST", "2024-03-06");
  DATE("Tue, 05 Mar 2024 20:30:00 EDT", "2024-03-06");
  DATE("Tue, 05 Mar 2024 15:59 PST", "2024-03-05");
  DATE("Tue, 05 Mar 2024 16:00 PST", "2024-03-06");
  DATE("Wed, 06 Mar 2024 01:00:00 +0200", "2024-03-05");
  DATE("Wed, 06 Mar 2024 02:00:00 +0200", "2024-03-06");
  DATE("6 Mar 2024 22:00:00 -0300", "2024-03-07");
  DATE("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01");
  DATE("Fri, 31 Dec 1999 23:00:00 -0100", "2000-01-01");
  DATE("Thu, 29 Feb 2024 23:00:00 -0200", "2024-03-01");
  DATE("Mon, 01 Jan 2024 00:30:00 +0100", "2023-12-31");
  DATE("Tue, 05 Mar 2024", "2024-03-05");
  DATE("Tue, 05 Mar 2024 10:00:00 UT", "2024-03-05");
  /* RFC 3339 */
  DATE("2024-03-05T10:00:00Z", "2024-03-05");
  DATE("2024-03-05T23:30:00.123456-05:00", "2024-03-06");
  DATE("2024-03-06T01:15:00+02:00", "2024-03-05");
  DATE("2024-03-06t01:15:00.5+0200", "2024-03-05");
  DATE("2003-12-31T10:14:55Z", "2003-12-31");
  DATE("2024-12-31T22:00:00-03:00", "2025-01-01");
  DATE("2024-03-05T10:00:00", "2024-03-05"); /* no zone: as written */
  /* what loose dates read */
  DATE("2024-03", "2024-03");
  DATE("March 5, 2024", "2024-03-05");
  /* refused */
  DATE("2024-02-30T10:00:00Z", NULL);
  DATE("Tue, 32 Mar 2024 10:00:00 GMT", NULL);
  DATE("Tue, 05 Mar 2024 10:00:00 XYZ", NULL);
  DATE("yesterday", NULL);
  DATE("", NULL);
}

/* ---- reading feeds ------------------------------------------------------- */

#define MAX_ITEMS 8

typedef struct got {
  size_t n;
  char *id[MAX_ITEMS], *title[MAX_ITEMS], *link[MAX_ITEMS], *body[MAX_ITEMS];
  char *author[MAX_ITEMS], *categories[MAX_ITEMS];
  char date[MAX_ITEMS][CYS_DATE_MAX];
} got;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int keep(void *ctx, const feed_item *it) {
  got *g = ctx;
  if (g->n < MAX_ITEMS) {
    g->id[g->n] = dup_or_null(it->id);
    g->title[g->n] = dup_or_null(it->title);
    g->link[g->n] = dup_or_null(it->link);
    g->body[g->n] = dup_or_null(it->body);
    g->author[g->n] = dup_or_null(it->author);
    g->categories[g->n] = dup_or_null(it->categories);
    memcpy(g->date[g->n], it->date, CYS_DATE_MAX);
  }
  g->n++;
  return 0;
}

static void got_free(got *g) {
  for (size_t i = 0; i < g->n && i < MAX_ITEMS; i++) {
    free(g->id[i]);
    free(g->title[i]);
    free(g->link[i]);
    free(g->body[i]);
    free(g->author[i]);
    free(g->categories[i]);
  }
  memset(g, 0, sizeof *g);
}

static feed_status read_feed(const char *xml, got *g, feed_report *r) {
  memset(g, 0, sizeof *g);
  return feed_read(xml, strlen(xml), "feeds/test.rss", keep, g, r);
}

static void test_rss(void) {
  got g;
  feed_report r;
  const char *rss =
      "<?xml version=\"1.0\"?>\n"
      "<rss version=\"2.0\" "
      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "<channel><title>Cozy &amp; Co</title><link>https://news.example/"
      "</link>\n"
      "<item><title>First</title><link>/2024/first</link>"
      "<guid isPermaLink=\"false\">tag:news,1</guid>"
      "<pubDate>Tue, 05 Mar 2024 23:30:00 EST</pubDate>"
      "<description>&lt;p&gt;Short&lt;/p&gt;</description>"
      "<content:encoded><![CDATA[<p>Long <b>body</b></p><script>bad()"
      "</script><style>p{}</style><p>Second</p>]]></content:encoded>"
      "<category>Ransomware</category><category>APT</category>"
      "<dc:creator>Jane Doe</dc:creator></item>\n"
      "<item><title>Second</title><link>https://other.example/2</link>"
      "<description>&lt;p&gt;Escaped &amp;amp; &lt;i&gt;HTML&lt;/i&gt;"
      "&lt;/p&gt;</description></item>\n"
      "<item><title>Third</title><description>No link</description>"
      "<pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate></item>\n"
      "</channel></rss>\n";
  CHECK_INT(read_feed(rss, &g, &r), FEED_OK);
  CHECK_STR(r.kind, "RSS 2.0");
  CHECK_INT(r.xml_errors, 0);
  CHECK_STR(r.feed_title, "Cozy & Co");
  CHECK_STR(r.feed_link, "https://news.example/");
  CHECK_INT(g.n, 3);
  /* guid is the id; the link is resolved against the channel link */
  CHECK_STR(g.id[0], "tag:news,1");
  CHECK_STR(g.link[0], "https://news.example/2024/first");
  CHECK_STR(g.date[0], "2024-03-06");
  /* content:encoded before description; scripts and styles dropped */
  CHECK_STR(g.body[0], "Long body\n\nSecond");
  CHECK_STR(g.author[0], "Jane Doe");
  CHECK_STR(g.categories[0], "Ransomware, APT");
  /* no guid: the link; escaped HTML made text, entities decoded */
  CHECK_STR(g.id[1], "https://other.example/2");
  CHECK_STR(g.body[1], "Escaped & HTML");
  /* neither: a hash of the feed link, title and date, "feed-" first */
  CHECK(g.id[2] && strncmp(g.id[2], "feed-", 5) == 0 && strlen(g.id[2]) == 21);
  char *third = g.id[2] ? strdup(g.id[2]) : NULL;
  CHECK(g.link[2] == NULL);
  got_free(&g);
  feed_report_free(&r);
  /* the same item read again has the same id */
  CHECK_INT(read_feed(rss, &g, &r), FEED_OK);
  CHECK_STR(g.id[2], third);
  free(third);
  got_free(&g);
  feed_report_free(&r);
}

static void test_atom(void) {
  got g;
  feed_report r;
  const char *atom =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
      "xml:base=\"https://blog.example/posts/\">\n"
      "<title type=\"html\">Blog &lt;b&gt;Sec&lt;/b&gt;</title>"
      "<link rel=\"self\" href=\"/feed.atom\"/>"
      "<link href=\"https://blog.example/\"/>\n"
      "<entry><id>urn:1</id><title type=\"text\">a &lt; b &amp; "
      "&lt;c&gt;</title>"
      "<link rel=\"edit\" href=\"edit/1\"/>"
      "<link rel=\"alternate\" href=\"one.html\"/>"
      "<updated>2024-03-07T00:00:00Z</updated>"
      "<published>2024-03-06T01:00:00+02:00</published>"
      "<summary>Summary text</summary>"
      "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
      "<p>Para <em>one</em></p><p>Para two</p></div></content>"
      "<author><name>Ann</name><email>ann@blog.example</email></author>"
      "<category term=\"malware\" label=\"Malware\"/></entry>\n"
      "<entry><id>urn:2</id><title>Plain</title>"
      "<summary type=\"text\">&lt;p&gt; is text here</summary></entry>\n"
      "<entry xml:base=\"/other/\"><id>urn:3</id><link href=\"three\"/>"
      "<summary type=\"html\">&lt;p&gt;a&lt;/p&gt;&lt;p&gt;b&lt;/p&gt;"
      "</summary></entry>\n"
      "</feed>\n";
  CHECK_INT(read_feed(atom, &g, &r), FEED_OK);
  CHECK_STR(r.kind, "Atom 1.0");
  CHECK_STR(r.feed_title, "Blog Sec");
  CHECK_STR(r.feed_link, "https://blog.example/");
  CHECK_INT(g.n, 3);
  CHECK_STR(g.id[0], "urn:1");
  /* type text is text, never markup */
  CHECK_STR(g.title[0], "a < b & <c>");
  /* the alternate link, resolved against xml:base */
  CHECK_STR(g.link[0], "https://blog.example/posts/one.html");
  /* published before updated, in UTC */
  CHECK_STR(g.date[0], "2024-03-05");
  /* content before summary; xhtml made text */
  CHECK_STR(g.body[0], "Para one\n\nPara two");
  CHECK_STR(g.author[0], "Ann");
  CHECK_STR(g.categories[0], "malware");
  CHECK_STR(g.body[1], "<p> is text here");
  /* an entry's own xml:base */
  CHECK_STR(g.link[2], "https://blog.example/other/three");
  CHECK_STR(g.body[2], "a\n\nb");
  got_free(&g);
  feed_report_free(&r);
}

static void test_rdf(void) {
  got g;
  feed_report r;
  const char *rdf =
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<channel rdf:about=\"https://rdf.example/\"><title>RDF</title>"
      "<link>https://rdf.example/</link></channel>"
      "<item rdf:about=\"https://rdf.example/1\"><title>One</title>"
      "<link>https://rdf.example/1</link><dc:date>2024-03-05T10:00:00Z"
      "</dc:date><dc:subject>Phishing</dc:subject>"
      "<description>Body one</description></item>"
      "</rdf:RDF>";
  CHECK_INT(read_feed(rdf, &g, &r), FEED_OK);
  CHECK_STR(r.kind, "RSS 1.0");
  CHECK_INT(g.n, 1);
  CHECK_STR(g.id[0], "https://rdf.example/1");
  CHECK_STR(g.date[0], "2024-03-05");
  CHECK_STR(g.categories[0], "Phishing");
  CHECK_STR(g.body[0], "Body one");
  got_free(&g);
  feed_report_free(&r);
}

static void test_hostile_and_broken(void) {
  got g;
  feed_report r;
  /* an external entity is never read; an internal one is, once */
  const char *xxe =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE rss [\n"
      "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
      "<!ENTITY tag \"tag:example,\">\n"
      "]>\n"
      "<rss version=\"2.0\"><channel><item><guid>&tag;1</guid>"
      "<title>A&xxe;B</title><description>x &xxe; y</description>"
      "</item></channel></rss>";
  CHECK_INT(read_feed(xxe, &g, &r), FEED_OK);
  CHECK_INT(g.n, 1);
  CHECK_STR(g.id[0], "tag:example,1");
  CHECK_STR(g.title[0], "AB");
  CHECK_STR(g.body[0], "x y");
  got_free(&g);
  feed_report_free(&r);
  /* a billion laughs: each reference expands once, within a budget */
  const char *laughs =
      "<!DOCTYPE rss [<!ENTITY a \"hahahahahahahaha\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
      "<rss><channel><item><guid>l</guid><title>&c;&c;&c;</title>"
      "</item></channel></rss>";
  CHECK_INT(read_feed(laughs, &g, &r), FEED_OK);
  CHECK_INT(g.n, 1);
  CHECK(!g.title[0] || strlen(g.title[0]) < 4096);
  got_free(&g);
  feed_report_free(&r);
  /* broken XML: what libxml2 recovers, and the errors counted */
  const char *broken = "<rss><channel><item><guid>b1</guid><title>One"
                       "</title></item><item><guid>b2</guid><title>Two <b>";
  CHECK_INT(read_feed(broken, &g, &r), FEED_OK);
  CHECK(r.xml_errors > 0);
  CHECK(strncmp(r.first_error, "line 1: ", 8) == 0);
  CHECK_INT(g.n, 2);
  CHECK_STR(g.id[1], "b2");
  got_free(&g);
  feed_report_free(&r);
  /* bytes that are not UTF-8 (libxml2 recovers and passes them on): every
   * field is valid UTF-8, the bad bytes U+FFFD; the error is one line */
  const char *latin = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel>"
                      "<item><guid>a\xff\xfe" "b</guid><author>c\xff" "d</author>"
                      "</item></channel></rss>";
  CHECK_INT(read_feed(latin, &g, &r), FEED_OK);
  CHECK_INT(g.n, 1);
  CHECK_STR(g.id[0], "a\xef\xbf\xbd\xef\xbf\xbd" "b");
  CHECK_STR(g.author[0], "c\xef\xbf\xbd" "d");
  CHECK(r.xml_errors > 0);
  CHECK(strchr(r.first_error, '\n') == NULL);
  got_free(&g);
  feed_report_free(&r);
  /* not a feed */
  CHECK_INT(read_feed("<html><body>x</body></html>", &g, &r),
            FEED_NOT_A_FEED);
  CHECK_STR(r.root, "html");
  feed_report_free(&r);
  CHECK_INT(read_feed("", &g, &r), FEED_NOT_A_FEED);
  feed_report_free(&r);
}

#define SNIFF(s) feed_sniff(s, strlen(s))

static void test_sniff(void) {
  CHECK(SNIFF("<rss version=\"2.0\">"));
  CHECK(SNIFF("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- c -->\n"
              "<?xml-stylesheet href=\"a.xsl\"?>\n<feed xmlns=\"x\">"));
  CHECK(SNIFF("<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"r\">"));
  CHECK(SNIFF("<!DOCTYPE rss [<!ENTITY a \"b\">]>\n<rss>"));
  CHECK(!SNIFF("<!DOCTYPE html><html><body>rss</body></html>"));
  CHECK(!SNIFF("<feedback>"));
  CHECK(!SNIFF("{\"id\": 1}"));
  CHECK(!SNIFF("<!-- unterminated"));
}

int main(void) {
  test_dates();
  test_rss();
  test_atom();
  test_rdf();
  test_hostile_and_broken();
  test_sniff();
  return check_done();
}
