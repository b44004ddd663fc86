/*
 * test_text_page.c — text_page_parse on crafted pages in the scraped-page
 * layout (breadcrumb, category, repeated title, body, author's opinion,
 * related-articles block) and on pages that bend it: no breadcrumb, no
 * category line, a date line, other related-block headers, related cards
 * without a header, CRLF, byte order marks and no-break spaces, invalid
 * UTF-8, control characters, empty input, a first line too long to be a
 * title.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text_page.h"

static text_page parse(const char *text) {
  text_page page;
  CHECK_INT(text_page_parse(text, strlen(text), &page), 0);
  return page;
}

static int contains(const char *hay, const char *needle) {
  return hay && strstr(hay, needle) != NULL;
}

/* The layout of the scraped pages, with every part present. */
static void test_full_layout(void) {
  text_page p =
      parse("Home Threats Lazarus Group Targets Payment Processors\n"
            "Threats\n"
            "\n"
            "Lazarus Group Targets Payment Processors\n"
            "\n"
            "Lazarus Group Targets Payment Processors\n"
            "\n"
            "North Korean operators breached two payment processors.\n"
            "\n"
            "The intrusions used trojanised installers.\n"
            "\n"
            "Author\xe2\x80\x99s Opinion\n"
            "\n"
            "Defenders should watch installer supply chains.\n"
            "\n"
            "Related Articles\n"
            "\n"
            "Quokka Botnet Grows Again\n"
            "Threats\n"
            "\n"
            "Quokka Botnet Grows Again\n"
            "\n"
            "The botnet added thousands of routers...\n");
  CHECK_STR(p.title, "Lazarus Group Targets Payment Processors");
  CHECK_STR(p.category, "Threats");
  CHECK_STR(p.date, "");
  CHECK_STR(p.body,
            "North Korean operators breached two payment processors.\n\n"
            "The intrusions used trojanised installers.\n\n"
            "Author\xe2\x80\x99s Opinion\n\n"
            "Defenders should watch installer supply chains.");
  CHECK(!contains(p.body, "Quokka"));
  CHECK(!contains(p.body, "Related"));
  CHECK(!contains(p.body, "Home"));
  CHECK_INT(p.utf8_repairs, 0);
  text_page_free(&p);
}

/* Related cards (headline, category, headline) end the body even with no
 * "Related Articles" line before them. */
static void test_cards_without_header(void) {
  text_page p = parse("Home Cloud Misconfigured Buckets Leak Records\n"
                      "Cloud\n"
                      "Misconfigured Buckets Leak Records\n"
                      "A storage bucket exposed records.\n"
                      "\n"
                      "Wombat Ransomware Returns\n"
                      "Cloud\n"
                      "\n"
                      "Wombat Ransomware Returns\n"
                      "The gang is back...\n");
  CHECK_STR(p.title, "Misconfigured Buckets Leak Records");
  CHECK_STR(p.category, "Cloud");
  CHECK_STR(p.body, "A storage bucket exposed records.");
  text_page_free(&p);
}

/* Other names for the related block, in any case, with a colon. */
static void test_related_markers(void) {
  static const char *const markers[] = {"You May Also Like:", "READ MORE",
                                        "Related Posts", "related"};
  for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
    char page[512];
    snprintf(page, sizeof page,
             "A Title\n\nBody paragraph one.\n\n%s\n\nOther headline here\n",
             markers[i]);
    text_page p = parse(page);
    CHECK_STR(p.title, "A Title");
    CHECK_STR(p.body, "Body paragraph one.");
    text_page_free(&p);
  }
  /* a line that only begins with "Related" is body text */
  text_page p = parse("T\n\nRelated: the earlier breach.\nMore text.\n");
  CHECK_STR(p.body, "Related: the earlier breach.\nMore text.");
  text_page_free(&p);
}

/* No breadcrumb: the first line is the title; lines of one paragraph
 * keep their newlines. */
static void test_no_breadcrumb(void) {
  text_page p = parse("Patch Tuesday Fixes 60 Flaws\n"
                      "Patch Tuesday Fixes 60 Flaws\n"
                      "\n"
                      "Microsoft fixed sixty flaws,\n"
                      "two of them exploited.\n"
                      "\n\n\n"
                      "Admins should patch.\n");
  CHECK_STR(p.title, "Patch Tuesday Fixes 60 Flaws");
  CHECK(p.category == NULL);
  CHECK_STR(p.body, "Microsoft fixed sixty flaws,\ntwo of them exploited.\n\n"
                    "Admins should patch.");
  text_page_free(&p);
}

/* A breadcrumb without a category line: the category is its middle. */
static void test_category_from_breadcrumb(void) {
  text_page p =
      parse("Home \xc2\xbb Data Breach \xc2\xbb Retailer Loses Cards\n"
            "Retailer Loses Cards\n"
            "Card data was skimmed.\n");
  CHECK_STR(p.title, "Retailer Loses Cards");
  CHECK_STR(p.category, "Data Breach");
  CHECK_STR(p.body, "Card data was skimmed.");
  text_page_free(&p);
}

/* A date line under the title is the date, not body. */
static void test_date_line(void) {
  text_page p = parse("Home News Router Flaw Exploited\n"
                      "News\n"
                      "Router Flaw Exploited\n"
                      "Published: March 5, 2024\n"
                      "Attackers exploit a router flaw.\n"
                      "On March 6, 2024 a patch followed.\n");
  CHECK_STR(p.title, "Router Flaw Exploited");
  CHECK_STR(p.date, "2024-03-05");
  CHECK_STR(p.body, "Attackers exploit a router flaw.\n"
                    "On March 6, 2024 a patch followed.");
  text_page_free(&p);
}

/* CRLF and CR line ends, a byte order mark, no-break spaces and tabs
 * around lines. */
static void test_line_ends_and_spaces(void) {
  text_page p = parse("\xef\xbb\xbf  Title Here \t\r\n"
                      "\r\n"
                      "\xc2\xa0"
                      "First line.\xc2\xa0\r"
                      "Second line.\r\n"
                      "\r\n"
                      "\tThird.\n");
  CHECK_STR(p.title, "Title Here");
  CHECK_STR(p.body, "First line.\nSecond line.\n\nThird.");
  text_page_free(&p);
}

/* Invalid UTF-8 becomes U+FFFD; control characters become spaces. */
static void test_bad_bytes(void) {
  const char text[] = "Caf\xe9 News\n\nBad \xff byte and a\x01"
                      "control\x7fhere.\n";
  text_page p;
  CHECK_INT(text_page_parse(text, sizeof text - 1, &p), 0);
  CHECK_STR(p.title, "Caf\xef\xbf\xbd News");
  CHECK_STR(p.body, "Bad \xef\xbf\xbd byte and a control here.");
  CHECK_INT(p.utf8_repairs, 2);
  text_page_free(&p);
  /* NUL bytes are not string ends */
  const char nul[] = "Title\0with NUL\n\nBody\0text\n";
  CHECK_INT(text_page_parse(nul, sizeof nul - 1, &p), 0);
  CHECK_STR(p.title, "Title with NUL");
  CHECK_STR(p.body, "Body text");
  text_page_free(&p);
}

/* Nothing there: no parts, and no error. */
static void test_empty(void) {
  text_page p;
  CHECK_INT(text_page_parse("", 0, &p), 0);
  CHECK(p.title == NULL && p.body == NULL && p.category == NULL);
  text_page_free(&p);
  p = parse(" \n\t\n\r\n\xc2\xa0\n");
  CHECK(p.title == NULL && p.body == NULL && p.category == NULL);
  text_page_free(&p);
  p = parse("Home\n");
  CHECK(p.title == NULL && p.body == NULL);
  text_page_free(&p);
  p = parse("Only A Title\n");
  CHECK_STR(p.title, "Only A Title");
  CHECK(p.body == NULL);
  text_page_free(&p);
}

/* A first line longer than a title can be is body. */
static void test_long_first_line(void) {
  char page[TEXT_PAGE_TITLE_MAX + 64];
  memset(page, 'w', TEXT_PAGE_TITLE_MAX + 1);
  strcpy(page + TEXT_PAGE_TITLE_MAX + 1, "\n\nSecond.\n");
  text_page p = parse(page);
  CHECK(p.title == NULL);
  CHECK(p.body && strlen(p.body) == TEXT_PAGE_TITLE_MAX + 1 + 2 + 7);
  text_page_free(&p);
  /* ... after a breadcrumb too */
  char crumbed[TEXT_PAGE_TITLE_MAX + 64];
  strcpy(crumbed, "Home News\n");
  memset(crumbed + 10, 'w', TEXT_PAGE_TITLE_MAX + 1);
  strcpy(crumbed + 10 + TEXT_PAGE_TITLE_MAX + 1, "\n");
  p = parse(crumbed);
  CHECK(p.title == NULL);
  CHECK(p.body && strlen(p.body) == TEXT_PAGE_TITLE_MAX + 1);
  text_page_free(&p);
}

/* A breadcrumb "Homeland ..." is not "Home". */
static void test_not_a_breadcrumb(void) {
  text_page p = parse("Homeland Security Warns Utilities\n\nThe body.\n");
  CHECK_STR(p.title, "Homeland Security Warns Utilities");
  CHECK_STR(p.body, "The body.");
  text_page_free(&p);
}

int main(void) {
  test_full_layout();
  test_cards_without_header();
  test_related_markers();
  test_no_breadcrumb();
  test_category_from_breadcrumb();
  test_date_line();
  test_line_ends_and_spaces();
  test_bad_bytes();
  test_empty();
  test_long_first_line();
  test_not_a_breadcrumb();
  return check_done();
}
