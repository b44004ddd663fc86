/*
 * cgi_link.h — links back to the search page: the current request with one
 * change (another page, a filter left out or added), written as an href.
 * Pagination, the filter chips, the facet sidebar, the entity chips of the
 * hits and the spelling suggestion all link
 * through here, so every link keeps every parameter the same way.
 */
#ifndef CYSEARCH_CGI_LINK_H
#define CYSEARCH_CGI_LINK_H

#include "cgi_html.h"
#include "cgi_request.h"

typedef struct cgi_link {
  unsigned page;          /* the page to link to; 0 or 1 writes none */
  const char *q;          /* another query text (a suggestion), or NULL */
  const cgi_filter *drop; /* one of req->filters to leave out, or NULL */
  const cgi_filter *add;  /* a filter to add (facets), or NULL */
  int replace_kind;       /* with add: leave out the request's filters of
                             add's kind (a timeline's period) */
  int drop_from, drop_to; /* leave out a date */
  int drop_since;         /* leave out since= */
  int drop_filters;       /* leave out every filter, date and since= */
  int exact;              /* ask for exact counts (exact=1) */
} cgi_link;

/* Write the href value, e.g. "?q=a%20b&amp;country=China&amp;page=2",
 * already escaped for a double-quoted attribute.  Parameters come in one
 * order (q, filters, from, to, since, sort, per-page, exact,
 * page), defaults are left
 * out, and "?" alone is the front page.  Links that change the filters
 * should leave page at 0: a new filter starts again at page 1. */
void cgi_link_href(cgi_out *out, const cgi_request *req,
                   const cgi_link *change);

#endif
