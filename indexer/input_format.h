/*
 * input_format.h — which reader an input needs, decided from its name and
 * its first bytes, or forced with --format.  Pure functions, no I/O.
 */
#ifndef CYSEARCH_INDEXER_INPUT_FORMAT_H
#define CYSEARCH_INDEXER_INPUT_FORMAT_H

#include <stddef.h>

typedef enum input_format {
  INPUT_UNKNOWN, /* the name says nothing: the content decides */
  INPUT_JSONL,   /* JSON Lines: one article object per line */
  INPUT_JSON,    /* one JSON document: an article object or an array */
  INPUT_TXT,     /* a news page saved as text (text_page.h) */
  INPUT_HTML,    /* a news page in HTML (html_page.h) */
  INPUT_FEED     /* an RSS or Atom feed (feed.h) */
} input_format;

/* "jsonl", "json", "txt", "html" or "feed" to its format; INPUT_UNKNOWN for any
 * other name. */
input_format input_format_named(const char *name);

/* The name of a format, as --format takes it ("input" for UNKNOWN). */
const char *input_format_name(input_format format);

/* The format a file name announces: .jsonl and .ndjson, .json, .txt,
 * .html, .htm and .xhtml, .rss, .atom and .xml (a feed) (any case),
 * each possibly followed by .gz.
 * INPUT_UNKNOWN otherwise; *gz (may be NULL) says whether the name ends in
 * .gz — a compressed file of no other known kind is read all the same,
 * and its content decides its format. */
input_format input_format_from_name(const char *name, int *gz);

/* The format of an input from its first non-blank line (line[0..len),
 * without its newline and any byte order mark), given the format its name
 * announced (INPUT_UNKNOWN when none):
 *   - JSON Lines, and content with no name, that begin with '[' or with a
 *     line that is only '{' are a JSON document (a JSON Lines file keeps
 *     its format even when its first line is broken, so that one bad line
 *     never loses the others);
 *   - with no name, content that begins with '<' is HTML, and anything
 *     else JSON Lines (the historical default);
 *   - a .txt file that starts "<!doctype html" or "<html" is HTML;
 *   - JSON, HTML and feeds are kept (a JSON file may still hold JSON
 *     Lines: see input_json_is_lines; HTML that is really a feed is
 *     recognised once read whole, with feed_sniff). */
input_format input_format_refine(input_format announced, const char *line,
                                 size_t len);

/* Is the JSON file text[0..len) really JSON Lines: is its first non-blank
 * line a whole object "{...}" and does a second one begin with '{'?  (A
 * file of one object on one line is a JSON document: it may then take its
 * path as id.) */
int input_json_is_lines(const char *text, size_t len);

/* Offset of the first byte showing that buf[0..len) is binary data and
 * not text — a NUL byte, or the first control character when control
 * characters (other than tab, newline, CR, FF and VT) are more than one
 * byte in 16 of the first 4 KiB — or len for text. */
size_t input_binary_offset(const char *buf, size_t len);

#endif
