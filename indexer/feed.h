/*
 * feed.h — an RSS or Atom feed to its items, with libxml2.  A pure
 * function over a byte buffer: no I/O and no network.  Safe against
 * hostile XML: libxml2 substitutes no entities (an external entity is
 * never read), loads no DTD and has network access off.
 *
 * Entities declared in the document itself are expanded one level deep,
 * at most 4 KiB of them per element.
 *
 * Read: RSS 0.90, 0.91, 0.92, 1.0 (RDF) and 2.0 (<item>s in <channel>
 * or, for RDF, beside it) and Atom 0.3 and 1.0 (<entry>s in <feed>).
 * Each item gives:
 *   id       guid (RSS; else rdf:about in RSS 1.0) or id (Atom); else
 *            the link; else "feed-" and a
 *            hash (FNV-1a, 64 bits) of the feed's link (or, without one,
 *            the base_id given), the item's title and its date as
 *            written: stable as long as those are;
 *   title    title (Atom title of type text, html or xhtml), else
 *            dc:title; HTML in it becomes text;
 *   link     link (RSS; else a guid that is a permalink URL) or the
 *            alternate link's href (Atom), resolved against xml:base and,
 *            in RSS, against the feed's own link;
 *   date     pubDate, dc:date, dcterms:issued (RSS); published, issued,
 *            updated, modified, created (Atom): see feed_date.h;
 *   author   author (its name in Atom), else dc:creator or dc:author;
 *   categories  category (Atom: its term), dc:subject and tags,
 *            ", "-joined;
 *   body     content:encoded (else an xhtml:body or a fullitem), or Atom
 *            content, else description or
 *            summary (else dc:description): HTML (escaped or in CDATA,
 *            or Atom xhtml) turned into text exactly as html_page.h does
 *            for a page's body; Atom type="text" taken as text; base64
 *            content (Atom mode="base64", or a type that is not text) is
 *            left out.
 * When an element is repeated, the first is read (the last, for dates).
 * In Atom, elements in the root element's namespace count as Atom's.
 * The feed's own title and link are given with every item.
 */
#ifndef CYSEARCH_INDEXER_FEED_H
#define CYSEARCH_INDEXER_FEED_H

#include <stddef.h>

#include "cysearch/article.h"

/* One item.  Strings are valid UTF-8 without control characters (the
 * body keeps its newlines), or NULL when absent; they live until the
 * callback returns. */
typedef struct feed_item {
  size_t number;      /* 1 for the first item of the feed */
  long line;          /* of its element in the document, 0 if unknown */
  const char *id;     /* never NULL */
  const char *title;
  const char *link;
  char date[CYS_DATE_MAX]; /* normalised, "" when none was read */
  const char *date_text;   /* the date as written, NULL when none */
  const char *author;
  const char *categories;
  const char *body;
  const char *feed_title; /* the channel's or feed's title */
  const char *feed_link;  /* its link (resolved like the items') */
} feed_item;

/* Called for each item in order; a non-zero return stops the reading. */
typedef int (*feed_item_fn)(void *ctx, const feed_item *item);

typedef enum feed_status {
  FEED_OK = 0,
  FEED_NOT_A_FEED, /* no document, or its root is not rss, RDF or feed */
  FEED_NO_MEMORY
} feed_status;

/* What feed_read says about the document as a whole. */
typedef struct feed_report {
  char kind[16];      /* "RSS 2.0", "RSS 1.0", "Atom 1.0", ... */
  char root[64];      /* the root element's name (for FEED_NOT_A_FEED) */
  size_t items;       /* items given to the callback */
  size_t xml_errors;  /* well-formedness errors libxml2 recovered from */
  char first_error[160]; /* the first of them, "line N: message" */
  char *feed_title;   /* the channel's or feed's title, or NULL */
  char *feed_link;    /* its link, or NULL */
} feed_report;

/* Read xml[0..len); base_id names the feed for ids made by hash (e.g.
 * its path).  Fills *report (free it with feed_report_free, whatever the
 * status) and calls each(ctx, item) per item. */
feed_status feed_read(const char *xml, size_t len, const char *base_id,
                      feed_item_fn each, void *ctx, feed_report *report);
void feed_report_free(feed_report *report);

/* Does text[0..len) look like a feed: after an XML declaration,
 * comments, processing instructions and a doctype, is its first element
 * rss, rdf:RDF (or RDF) or feed?  Reads no more than the first 64 KiB. */
int feed_sniff(const char *text, size_t len);

#endif
