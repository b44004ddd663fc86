/*
 * cgi_timeline.c — the timeline above the hits (see cgi_page.h): the
 * stories of all matches per period (cys_timeline, unit chosen by
 * CYS_TIMELINE_AUTO) as an inline SVG bar chart drawn here, each bar a
 * link that narrows the search to its period (the `period` filter; q is
 * never edited).  No script and no style attribute: the colours come from
 * cysearch.css, so the Content-Security-Policy stays as it is.
 */
#include <string.h>

#include "cgi_link.h"
#include "cgi_page.h"

/* The chart's coordinates (the SVG scales to the column's width). */
#define CHART_WIDTH 600
#define CHART_HEIGHT 96

/* Whether a bar's link is a request the CGI takes: its period in place
 * of the request's periods within CGI_MAX_FILTERS values (as the facets
 * link no value past the limit). */
static int bars_link(const cgi_request *req) {
  size_t kept = 0;
  for (size_t i = 0; i < req->nfilters; i++)
    kept += req->filters[i].kind != CGI_FILTER_PERIOD;
  return kept < CGI_MAX_FILTERS;
}

/* One bar: a link to the search narrowed to its period, replacing any
 * period filter the request had (or, when linked is 0, the bar alone);
 * empty periods are drawn as nothing. */
static void render_bar(cgi_out *out, const cgi_request *req,
                       const cys_timeline *t, size_t p, uint64_t max,
                       int linked) {
  uint64_t n = t->counts[p];
  if (n == 0)
    return;
  /* Bars in tenths of a unit, so a year of days still fits 600 wide. */
  unsigned long slot = CHART_WIDTH * 10ul / t->nperiods;
  unsigned long x = p * CHART_WIDTH * 10ul / t->nperiods;
  unsigned long w = slot > 20 ? slot - slot / 8 : slot;
  unsigned long h = n * (CHART_HEIGHT - 2) * 10ul / max;
  if (h < 10)
    h = 10; /* a story is always visible */
  cgi_filter add = {.kind = CGI_FILTER_PERIOD};
  memcpy(add.value, t->periods[p], strlen(t->periods[p]) + 1);
  cgi_link to = {.add = &add, .replace_kind = 1};
  if (linked) {
    cgi_html(out, "<a href=\"");
    cgi_link_href(out, req, &to);
    cgi_html(out, "\"");
  } else {
    cgi_html(out, "<g role=\"img\"");
  }
  cgi_html(out,
           " aria-label=\"%a: %llu stor%s\"><title>%s: %llu stor%s</title>"
           "<rect x=\"%llu.%llu\" y=\"%llu.%llu\" width=\"%llu.%llu\" "
           "height=\"%llu.%llu\"/>",
           t->periods[p], (unsigned long long)n, n == 1 ? "y" : "ies",
           t->periods[p], (unsigned long long)n, n == 1 ? "y" : "ies",
           (unsigned long long)(x / 10), (unsigned long long)(x % 10),
           (unsigned long long)((CHART_HEIGHT * 10ul - h) / 10),
           (unsigned long long)((CHART_HEIGHT * 10ul - h) % 10),
           (unsigned long long)(w / 10), (unsigned long long)(w % 10),
           (unsigned long long)(h / 10), (unsigned long long)(h % 10));
  cgi_html(out, linked ? "</a>\n" : "</g>\n");
}

void cgi_timeline_render(cgi_out *out, const cgi_page *page) {
  const cys_timeline *t = page->results->timeline;
  if (!t || t->nperiods < 2)
    return; /* one bar says nothing the total does not */
  if (!t->exact && !page->req->exact)
    return; /* a sample's chart would mislead: "Count them all" draws it */
  uint64_t max = 0;
  for (size_t p = 0; p < t->nperiods; p++)
    if (t->counts[p] > max)
      max = t->counts[p];
  cgi_html(out,
           "<figure class=\"timeline\" aria-labelledby=\"timeline-h\">\n"
           "<figcaption id=\"timeline-h\">Stories per %s%s, %s to %s",
           cys_timeline_unit_name(t->unit),
           t->unit == CYS_TIMELINE_WEEK ? " (ISO)" : "", t->periods[0],
           t->periods[t->nperiods - 1]);
  if (t->undated || t->imprecise)
    cgi_html(out, " (not shown: %llu dated less precisely, %llu undated)",
             (unsigned long long)t->imprecise, (unsigned long long)t->undated);
  if (!t->exact)
    cgi_html(out, " — partial: the count ran out of time");
  int linked = bars_link(page->req);
  cgi_html(out,
           ". %s</figcaption>\n"
           "<svg class=\"timeline-chart\" viewBox=\"0 0 %u %u\" "
           "preserveAspectRatio=\"none\" role=\"group\" "
           "aria-label=\"Stories per %s\">\n"
           "<line class=\"timeline-axis\" x1=\"0\" y1=\"%u\" x2=\"%u\" "
           "y2=\"%u\"/>\n",
           linked ? "Choose a bar to narrow the search to it."
                  : "Remove a filter to narrow the search to a bar.",
           CHART_WIDTH, CHART_HEIGHT, cys_timeline_unit_name(t->unit),
           CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT);
  for (size_t p = 0; p < t->nperiods; p++)
    render_bar(out, page->req, t, p, max, linked);
  cgi_html(out,
           "</svg>\n"
           "<p class=\"timeline-ends\"><span>%s</span><span>highest: %llu"
           "</span><span>%s</span></p>\n"
           "</figure>\n",
           t->periods[0], (unsigned long long)max, t->periods[t->nperiods - 1]);
}
