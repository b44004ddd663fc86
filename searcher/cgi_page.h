/*
 * cgi_page.h — the HTML search page of cysearch.cgi: one document with the
 * search form, the active filters as chips, and one of four states (the
 * front page, results, no results, an error).  All markup is written with
 * cgi_html(), so every value is escaped for where it lands.
 *
 * Layout: <header>, then <main> holding the form, the chips, and a
 * results area: the hits (cgi_results.c) and, next to them, the facet
 * sidebar (cgi_facets.c), whose values link with cgi_link's `add`.
 */
#ifndef CYSEARCH_CGI_PAGE_H
#define CYSEARCH_CGI_PAGE_H

#include <stdint.h>

#include "cgi_html.h"
#include "cgi_request.h"
#include "cgi_runs.h"
#include "cysearch/search.h"

typedef struct cgi_page {
  const cgi_request *req;
  const char *css_url; /* the stylesheet */
  /* 200, or the error status; then `error` is the message shown (it may
   * quote the request: it is escaped like everything else) and `results`
   * is NULL. */
  int status;
  const char *error;
  /* For a 200: the results of the search, or NULL for the front page
   * (no query, no filter). */
  const cys_results *results;
  double seconds;    /* how long the search took */
  uint64_t doccount; /* articles in the index, for the front page */
  /* The index's runs for the "new since" selector and chip, or NULL when
   * the index was not read (a malformed request): the selector then
   * shows only what since= says. */
  const cgi_runs *runs;
} cgi_page;

/* Write the whole document. */
void cgi_page_render(cgi_out *out, const cgi_page *page);

/* The results area (cgi_results.c): summary, hits, pager, or the no-match
 * state.  page->results is not NULL. */
void cgi_results_render(cgi_out *out, const cgi_page *page);

/* The facets the page shows, for cys_search_options.facets, and how many
 * values of each. */
#define CGI_FACETS                                                          \
  ((1u << CYS_ENTITY_COUNTRY) | (1u << CYS_ENTITY_AGENCY) |                 \
   (1u << CYS_ENTITY_ACTOR) | (1u << CYS_ENTITY_MALWARE) |                  \
   (1u << CYS_FACET_SOURCE) | (1u << CYS_FACET_YEAR) | (1u << CYS_FACET_KEV))
#define CGI_FACET_LIMIT 8

/* The facet sidebar (cgi_facets.c); nothing when no facet has values. */
void cgi_facets_render(cgi_out *out, const cgi_page *page);

/* The entity chips of one hit, each a link adding its filter, with the
 * date each was first seen in the matches when the facets of r say. */
void cgi_entities_render(cgi_out *out, const cgi_request *req,
                         const cys_results *r, const cys_hit *hit);

/* The timeline chart above the hits (cgi_timeline.c); nothing when the
 * results have no timeline of two periods or more. */
void cgi_timeline_render(cgi_out *out, const cgi_page *page);

/* The short title of an HTTP status ("Bad request", ...). */
const char *cgi_status_title(int status);

#endif
