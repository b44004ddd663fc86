/*
 * html_page.h — a news page in HTML to its title, date, url, source and
 * article text, with libxml2's forgiving HTML parser.  A pure function
 * over a byte buffer: no I/O, no network, any bytes accepted.
 *
 *   title   og:title, else twitter:title, else <title>, else the first <h1>
 *   date    article:published_time, itemprop datePublished, <meta name=
 *           "date"> and its kin (pubdate, dc.date, ...), else the first
 *           <time datetime>; any form loose_date.h reads
 *   url     og:url, else <link rel="canonical">; only absolute URLs
 *   source  the host of url, lower case, without "www."
 *   body    the text of the largest <article> (articles nested in it
 *           left out), else of <main>, else of <body>; nav, header,
 *           footer, aside, script, style, noscript, form, template,
 *           iframe, svg, button, select, textarea, object, embed, canvas
 *           and elements with a hidden attribute are removed.  Block
 *           elements make paragraphs, separated by blank lines; <br> a
 *           line break; white space is collapsed.  A first paragraph equal
 *           to the title is dropped.
 *
 * Nesting: libxml2 stops reading a page nested more than 256 elements
 * deep.  Such a page is read again without its inline tags that only set
 * the look of text (font, b, i, u, s, strike, big, small, tt, em, strong,
 * span; not those marked hidden), which old pages leave unclosed by the
 * thousand; if it still nests too deep, cut_short says that the text
 * after that point is missing.
 *
 * Encoding: a page that is valid UTF-8 is read as UTF-8, whatever it
 * declares.  Otherwise a declared charset (<meta charset>, http-equiv)
 * other than UTF-8 is honoured; without one, invalid bytes become U+FFFD.
 */
#ifndef CYSEARCH_INDEXER_HTML_PAGE_H
#define CYSEARCH_INDEXER_HTML_PAGE_H

#include <stddef.h>

#include "cysearch/article.h"

/* The parts of a page.  Strings are malloc'd, valid UTF-8, without
 * control characters except the newlines of the body, or NULL when the
 * page has no such part. */
typedef struct html_page {
  char *title;
  char *url;
  char *source;
  char date[CYS_DATE_MAX]; /* normalised, "" when none was found */
  char *body;
  size_t utf8_repairs; /* invalid UTF-8 bytes replaced by U+FFFD */
  int cut_short; /* libxml2 stopped reading early: text after it is lost */
} html_page;

/* Parse html[0..len).  Returns 0 and fills *page (free it with
 * html_page_free), or -1 when memory runs out (then *page holds nothing
 * to free).  Input that is not HTML at all still parses, as text. */
int html_page_parse(const char *html, size_t len, html_page *page);
void html_page_free(html_page *page);

#endif
