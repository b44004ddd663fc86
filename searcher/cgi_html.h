/*
 * cgi_html.h — the one way cysearch.cgi writes HTML: an output buffer and
 * an escaping printf whose conversions name the context a value goes into.
 *
 * Every value that comes from the request or the index reaches the page
 * through cgi_html(); the format string itself is trusted markup, so it
 * must be a literal.  There is deliberately no conversion that copies a
 * string unescaped.
 */
#ifndef CYSEARCH_CGI_HTML_H
#define CYSEARCH_CGI_HTML_H

#include <stddef.h>

#include "byte_buf.h"

/* The page being written: the growable buffer of byte_buf.h.  Errors are
 * sticky: after one failure (out of memory, a bad conversion) later
 * writes do nothing and `failed` stays set; check it once at the end. */
typedef buf cgi_out;

static inline void cgi_out_init(cgi_out *out) { buf_init(out); }
/* Accepts a zeroed out. */
static inline void cgi_out_free(cgi_out *out) { buf_free(out); }
/* Empty it, clear `failed`. */
static inline void cgi_out_reset(cgi_out *out) { buf_reset(out); }
/* Append bytes as they are: for already-encoded bodies such as JSON, never
 * for HTML. */
static inline void cgi_out_append(cgi_out *out, const char *data,
                                  size_t len) {
  buf_append(out, data, len);
}

/* Write fmt to out.  Literal text is copied as is.  Conversions:
 *
 *   %s   a string as HTML text: & < > " ' become character references
 *   %a   a string as an attribute value, to sit between double quotes:
 *        like %s, and tab, CR and LF as references too
 *   %q   a string as one URL query component (a name or a value):
 *        everything but A-Z a-z 0-9 - . _ ~ is %-encoded, so the result
 *        needs no further escaping inside an attribute
 *   %h   a URL for href: written (escaped as %a) only when
 *        cgi_url_is_web() accepts it, otherwise nothing is written
 *   %.*s %.*a   the same for the first `int` bytes of the string
 *   %d %u %zu %llu   int, unsigned, size_t, unsigned long long
 *   %.Nf  a double with N (0-9) decimals
 *   %%   a percent sign
 *
 * Strings are UTF-8; a NULL string writes nothing.  Invalid UTF-8 and
 * control characters (other than tab, CR, LF) are written as U+FFFD, so
 * the page stays well-formed whatever the index holds.  An unknown
 * conversion is a programming error: out->failed is set. */
void cgi_html(cgi_out *out, const char *fmt, ...);

/* Whether url may become a link: an absolute http:// or https:// URL
 * (scheme in any case) with a host, and no spaces or control characters.
 * Anything else (javascript:, data:, relative or protocol-relative URLs)
 * is shown as text or not at all. */
int cgi_url_is_web(const char *url);

#endif
