/*
 * cgi_results.c — the results area of the search page (see cgi_page.h):
 * the count and time, a spelling suggestion, the timeline chart
 * (cgi_timeline.c), one list item per hit (title
 * linked to the article when its URL is http or https, source, date, how
 * many similar articles were folded into it, the snippet with <mark>ed
 * matches, its entities as chips), the facet sidebar, the pager, and the
 * no-match state with tips.
 */
#include <stdio.h>
#include <string.h>

#include "cgi_link.h"
#include "cgi_page.h"

/* "12,345": n with thousands separators. */
static void group_digits(uint64_t n, char out[32]) {
  char digits[24];
  int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
  int o = 0;
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      out[o++] = ',';
    out[o++] = digits[i];
  }
  out[o] = '\0';
}

/* The snippet, with each highlight span as <mark>.  Spans that do not fit
 * the snippet or overlap the previous one are ignored. */
static void render_snippet(cgi_out *out, const cys_hit *h) {
  const char *s = h->snippet;
  size_t len = strlen(s), at = 0;
  cgi_html(out, "<p class=\"hit-snippet\">");
  for (size_t i = 0; i < h->nspans; i++) {
    cys_span sp = h->spans[i];
    if (sp.start < at || sp.end <= sp.start || sp.end > len)
      continue;
    cgi_html(out, "%.*s<mark>%.*s</mark>", (int)(sp.start - at), s + at,
             (int)(sp.end - sp.start), s + sp.start);
    at = sp.end;
  }
  cgi_html(out, "%s</p>\n", s + at);
}

static void render_hit(cgi_out *out, const cgi_request *req,
                       const cys_results *r, const cys_hit *h) {
  const cys_article *a = &h->record->article;
  const char *title = a->title && *a->title ? a->title : "(untitled)";
  cgi_html(out, "<li class=\"hit\">\n<h3 class=\"hit-title\">");
  /* Only http(s) URLs become links: a javascript: or data: URL from the
   * index must never be one.  %h checks again. */
  if (cgi_url_is_web(a->url))
    cgi_html(out, "<a href=\"%h\">%s</a>", a->url, title);
  else
    cgi_html(out, "%s", title);
  cgi_html(out, "</h3>\n<p class=\"hit-meta\">");
  if (a->source && *a->source)
    cgi_html(out, "<span class=\"hit-source\">%s</span> ", a->source);
  if (a->date && *a->date)
    cgi_html(out, "<time datetime=\"%a\">%s</time>", a->date, a->date);
  else
    cgi_html(out, "<span class=\"hit-undated\">undated</span>");
  if (h->duplicates)
    cgi_html(out, " <span class=\"hit-dups\">(+%u similar)</span>",
             h->duplicates);
  cgi_html(out, "</p>\n");
  if (h->snippet && *h->snippet)
    render_snippet(out, h);
  cgi_entities_render(out, req, r, h);
  cgi_html(out, "</li>\n");
}

/* "Did you mean: <a>…</a>?" — the suggestion is for q (cys_search saw
 * q alone; the filters went beside it), so it replaces q and the link
 * keeps the filters. */
static void render_suggestion(cgi_out *out, const cgi_page *p) {
  const cgi_request *req = p->req;
  const char *q = p->results->suggestion;
  if (!q || !*q || !req->q[0])
    return;
  cgi_link to = {.q = q};
  cgi_html(out, "<p class=\"suggestion\">Did you mean: <a href=\"");
  cgi_link_href(out, req, &to);
  cgi_html(out, "\">%s</a>?</p>\n", q);
}

static void page_link(cgi_out *out, const cgi_request *req, unsigned page,
                      const char *rel, const char *text) {
  cgi_link to = {.page = page};
  cgi_html(out, "<li><a");
  if (rel)
    cgi_html(out, " rel=\"%a\"", rel);
  cgi_html(out, " href=\"");
  cgi_link_href(out, req, &to);
  cgi_html(out, "\">%s</a></li>\n", text);
}

/* Previous, the first page, the pages around this one, the last, Next. */
static void render_pager(cgi_out *out, const cgi_request *req,
                         unsigned last) {
  unsigned page = req->page;
  if (last <= 1)
    return;
  unsigned lo = page > 2 ? page - 2 : 1, hi = page + 2 < last ? page + 2 : last;
  cgi_html(out, "<nav class=\"pager\" aria-label=\"Result pages\">\n<ul>\n");
  if (page > 1)
    page_link(out, req, page - 1, "prev", "← Previous");
  if (lo > 1)
    page_link(out, req, 1, NULL, "1");
  if (lo > 2)
    cgi_html(out, "<li class=\"gap\" aria-hidden=\"true\">…</li>\n");
  for (unsigned n = lo; n <= hi; n++) {
    char label[16];
    snprintf(label, sizeof label, "%u", n);
    if (n == page)
      cgi_html(out, "<li><span aria-current=\"page\">%u</span></li>\n", n);
    else
      page_link(out, req, n, NULL, label);
  }
  if (hi + 1 < last)
    cgi_html(out, "<li class=\"gap\" aria-hidden=\"true\">…</li>\n");
  if (hi < last) {
    char label[16];
    snprintf(label, sizeof label, "%u", last);
    page_link(out, req, last, NULL, label);
  }
  if (page < last)
    page_link(out, req, page + 1, "next", "Next →");
  cgi_html(out, "</ul>\n</nav>\n");
}

/* What the query's bounds changed (a phrase searched without its word
 * order, words ignored), so that results are never silently different
 * from what was typed. */
static void render_warning(cgi_out *out, const cys_results *r) {
  if (r->warning)
    cgi_html(out, "<p class=\"note\">Note: %s.</p>\n", r->warning);
}

/* "match <q>text</q>" or "match the filters". */
static void render_what(cgi_out *out, const cgi_request *req) {
  if (req->q[0])
    cgi_html(out, " <q>%s</q>", req->q);
  else
    cgi_html(out, " the filters");
}

static void render_empty(cgi_out *out, const cgi_page *p) {
  const cgi_request *req = p->req;
  int filtered =
      req->nfilters || req->date_from[0] || req->date_to[0] || req->since;
  cgi_html(out, "<section class=\"empty\" aria-labelledby=\"empty-h\">\n"
                "<h2 id=\"empty-h\">No articles match");
  render_what(out, req);
  cgi_html(out, "</h2>\n");
  render_suggestion(out, p);
  render_warning(out, p->results);
  cgi_html(out, "<p>Some things to try:</p>\n<ul>\n");
  if (req->q[0])
    cgi_html(out, "<li>Check the spelling, or use other words for the same "
                  "thing.</li>\n"
                  "<li>Use fewer words: each <code>+word</code>, "
                  "<code>\"phrase\"</code> or <code>title:</code> narrows "
                  "the search.</li>\n");
  if (filtered)
    cgi_html(out, "<li>Remove a filter above.</li>\n");
  cgi_html(out, "<li>Words match in any form: <code>hack</code> also finds "
                "<em>hacked</em> and <em>hacking</em>.</li>\n"
                "</ul>\n</section>\n");
}

void cgi_results_render(cgi_out *out, const cgi_page *p) {
  const cgi_request *req = p->req;
  const cys_results *r = p->results;
  if (r->total == 0) {
    render_empty(out, p);
    return;
  }
  uint64_t pages = (r->total + req->per_page - 1) / req->per_page;
  unsigned last = pages > CGI_MAX_PAGE ? CGI_MAX_PAGE : (unsigned)pages;
  char total[32];
  group_digits(r->total, total);
  cgi_html(out, "<div class=\"layout\">\n"
                "<section class=\"results\" aria-labelledby=\"results-h\">\n"
                "<h2 id=\"results-h\">%s%s article%s match%s",
           r->total_exact ? "" : "About ", total, r->total == 1 ? "" : "s",
           r->total == 1 ? "es" : "");
  render_what(out, req);
  cgi_html(out, "</h2>\n");
  if (!r->total_exact) {
    /* Xapian's estimate from the matches examined; exact=1 counts all. */
    char lower[32], upper[32];
    cgi_link exact = {.page = req->page, .exact = 1};
    group_digits(r->total_lower, lower);
    group_digits(r->total_upper, upper);
    cgi_html(out, "<p class=\"note estimate\">An estimate from the matches "
                  "examined: between %s and %s. <a href=\"", lower, upper);
    cgi_link_href(out, req, &exact);
    cgi_html(out, "\">Count them all</a> (and draw the timeline)</p>\n");
  }
  render_suggestion(out, p);
  render_warning(out, p->results);
  cgi_timeline_render(out, p);
  if (r->nhits == 0) {
    cgi_link first = {.page = 1};
    cgi_html(out, "<p class=\"note\">Page %u is past the last result. "
                  "<a href=\"", req->page);
    cgi_link_href(out, req, &first);
    cgi_html(out, "\">Go to the first page</a>.</p>\n</section>\n");
    cgi_facets_render(out, p);
    cgi_html(out, "</div>\n");
    return;
  }
  uint32_t first = r->hits[0].rank, last_rank = r->hits[r->nhits - 1].rank;
  if (first == last_rank)
    cgi_html(out, "<p class=\"summary\">Showing %u", first);
  else
    cgi_html(out, "<p class=\"summary\">Showing %u–%u", first, last_rank);
  cgi_html(out, ", %s first (%.3f seconds).</p>\n",
           req->sort == CYS_SORT_DATE     ? "newest"
           : req->sort == CYS_SORT_OLDEST ? "oldest"
           : req->sort == CYS_SORT_RECENT ? "best and most recent matches"
                                          : "best matches",
           p->seconds);
  cgi_html(out, "<ol class=\"hits\" start=\"%u\">\n", r->hits[0].rank);
  for (size_t i = 0; i < r->nhits; i++)
    render_hit(out, req, r, &r->hits[i]);
  cgi_html(out, "</ol>\n");
  if (req->page == last && pages > CGI_MAX_PAGE)
    cgi_html(out, "<p class=\"note\">Only the first %u pages can be shown: "
                  "add words or filters to narrow the search.</p>\n",
             (unsigned)CGI_MAX_PAGE);
  render_pager(out, req, last);
  cgi_html(out, "</section>\n");
  cgi_facets_render(out, p);
  cgi_html(out, "</div>\n");
}
