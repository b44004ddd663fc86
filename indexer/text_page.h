/*
 * text_page.h — a news page saved as plain text (as a scraper writes it)
 * to its title, category, date and body.  A pure function over a byte
 * buffer: no I/O, any bytes accepted.
 *
 * The layout, all parts but the title and body optional:
 *
 *   Home Kripto China Accuses US of ...     breadcrumb: "Home", the
 *   Kripto                                  category, the title
 *                                           category
 *   China Accuses US of ...                 title
 *   China Accuses US of ...                 the title again (dropped)
 *   March 5, 2025                           a date line
 *   Body paragraph.                         body: paragraphs separated by
 *                                           blank lines, including
 *   Author's Opinion                        sections such as an author's
 *   Opinion paragraph.                      opinion
 *
 *   Related Articles                        the related-articles block, to
 *   Other headline                          the end of the page (dropped)
 *   Kripto
 *   Other headline
 *   Teaser...
 *
 * A title is at most TEXT_PAGE_TITLE_MAX bytes: a longer line is body.
 * Without a breadcrumb the first line is the title, the rest the body.  The
 * related block begins at a line such as "Related Articles", "Related Posts",
 * "You May Also Like" or "Read More" on its own, or — when the category is
 * known — at the first "card" (a line, the category line, the same line again).
 */
#ifndef CYSEARCH_INDEXER_TEXT_PAGE_H
#define CYSEARCH_INDEXER_TEXT_PAGE_H

#include <stddef.h>

#include "cysearch/article.h"

/* The longest first line taken as a title when there is no breadcrumb. */
#define TEXT_PAGE_TITLE_MAX 300

/* The parts of a page.  Strings are malloc'd, valid UTF-8, without
 * control characters except the newlines of the body, or NULL when the
 * page has no such part. */
typedef struct text_page {
  char *title;
  char *category;
  char date[CYS_DATE_MAX]; /* normalised, "" when none was found */
  char *body;              /* paragraphs separated by blank lines */
  size_t utf8_repairs;     /* invalid UTF-8 bytes replaced by U+FFFD */
} text_page;

/* Parse text[0..len).  Returns 0 and fills *page (free it with
 * text_page_free), or -1 when memory runs out (then *page holds nothing
 * to free).  A page with neither title nor body is not an error: both are
 * NULL. */
int text_page_parse(const char *text, size_t len, text_page *page);
void text_page_free(text_page *page);

#endif
