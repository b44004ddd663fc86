/*
 * cgi_page.c — the document around the results (see cgi_page.h): head,
 * header, the search form, the filter chips, and the front-page and error
 * states.  No inline script or style anywhere: the Content-Security-Policy
 * forbids both, and the page works fully without JavaScript.
 */
#include "cgi_page.h"

#include <stdio.h>

#include "cgi_link.h"
#include "cysearch/version.h"

const char *cgi_status_title(int status) {
  switch (status) {
  case 200: return "OK";
  case 400: return "Bad request";
  case 404: return "Not found";
  case 405: return "Method not allowed";
  case 414: return "Request too long";
  case 503: return "Search unavailable";
  default: return "Something went wrong";
  }
}

/* The page's icon, a magnifying glass, inline: a browser that finds no
 * icon link asks the server for /favicon.ico, which is not there. */
#define PAGE_ICON                                                           \
  "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'"          \
  "%20viewBox='0%200%2016%2016'%3E%3Ccircle%20cx='6.5'%20cy='6.5'%20r='4.5'" \
  "%20fill='none'%20stroke='%23234'%20stroke-width='2'/%3E%3Cpath%20"       \
  "d='M10%2010l4.5%204.5'%20stroke='%23234'%20stroke-width='2.5'%20"        \
  "stroke-linecap='round'/%3E%3C/svg%3E"

static void render_head(cgi_out *out, const cgi_page *p) {
  const cgi_request *req = p->req;
  cgi_html(out,
           "<!DOCTYPE html>\n"
           "<html lang=\"en\">\n"
           "<head>\n"
           "<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\">\n");
  if (p->status != 200 || p->results)
    cgi_html(out, "<meta name=\"robots\" content=\"noindex\">\n");
  if (p->status != 200)
    cgi_html(out, "<title>%s — cysearch</title>\n",
             cgi_status_title(p->status));
  else if (p->results && req->q[0])
    cgi_html(out, "<title>%s — cysearch</title>\n", req->q);
  else if (p->results)
    cgi_html(out, "<title>Filtered articles — cysearch</title>\n");
  else
    cgi_html(out, "<title>cysearch — search cybersecurity news</title>\n");
  cgi_html(out,
           "<link rel=\"icon\" href=\"%a\">\n"
           "<link rel=\"stylesheet\" href=\"%a\">\n"
           "</head>\n"
           "<body>\n"
           "<a class=\"skip\" href=\"#main\">Skip to the results</a>\n"
           "<header class=\"site\">\n"
           "<h1 class=\"brand\"><a href=\"?\">cysearch</a></h1>\n"
           "<p class=\"tagline\">Search cybersecurity news</p>\n"
           "</header>\n",
           PAGE_ICON, p->css_url);
}

/* A text input for adding one more value of a filter kind. */
static void render_filter_input(cgi_out *out, cgi_filter_kind kind,
                                const char *example) {
  cgi_html(out,
           "<p class=\"field\"><label for=\"f-%s\">%s</label>"
           "<input id=\"f-%s\" name=\"%s\" type=\"text\" maxlength=\"256\" "
           "placeholder=\"%a\"></p>\n",
           cgi_filter_name(kind), cgi_filter_label(kind),
           cgi_filter_name(kind), cgi_filter_name(kind), example);
}

static void render_date_input(cgi_out *out, const char *name,
                              const char *label, const char *value) {
  cgi_html(out,
           "<p class=\"field\"><label for=\"f-%s\">%s</label>"
           "<input id=\"f-%s\" name=\"%s\" type=\"text\" value=\"%a\" "
           "maxlength=\"10\" inputmode=\"numeric\" placeholder=\"YYYY-MM-DD\" "
           "pattern=\"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\" "
           "aria-describedby=\"date-hint\"></p>\n",
           name, label, name, name, value);
}

static void render_option(cgi_out *out, const char *value, const char *label,
                          int selected) {
  cgi_html(out, "<option value=\"%a\"%s>%s</option>", value,
           selected ? " selected" : "", label);
}

/* "New since": any time, then the index's last runs, newest first, each
 * with its start (UTC).  Left out for an index that records no runs,
 * unless the request names one (an error page keeps what was asked). */
static void render_since(cgi_out *out, const cgi_request *req,
                         const cgi_runs *runs) {
  size_t n = runs ? runs->n : 0;
  if (n == 0 && !req->since)
    return;
  char label[64];
  cgi_html(out, "<p class=\"field\"><label for=\"f-since\">New since</label>"
                "<select id=\"f-since\" name=\"since\">");
  render_option(out, "", "any time", req->since == 0);
  for (size_t i = 0; i < n; i++) {
    char value[24];
    snprintf(value, sizeof value, "%llu",
             (unsigned long long)runs->list[i].run);
    cgi_run_label(&runs->list[i], label);
    render_option(out, value, label, runs->list[i].run == req->since);
  }
  if (req->since && !cgi_runs_find(runs, req->since)) {
    char value[24];
    snprintf(value, sizeof value, "%llu", (unsigned long long)req->since);
    cgi_run_label(&(cys_run_record){.run = req->since}, label);
    render_option(out, value, label, 1);
  }
  cgi_html(out, "</select></p>\n");
}

/* The form: the query, the active filters carried as hidden fields (so a
 * new query keeps them), and inputs to add filters.  It has no page field:
 * every submission starts at page 1. */
static void render_form(cgi_out *out, const cgi_request *req,
                        const cgi_runs *runs) {
  /* Open when a setting differs that the chips do not show. */
  int open = req->sort != CYS_SORT_RELEVANCE ||
             req->per_page != CGI_DEFAULT_PER_PAGE;
  cgi_html(out,
           "<form class=\"search\" role=\"search\" method=\"get\">\n"
           "<div class=\"search-row\">\n"
           "<label for=\"q\">Search articles</label>\n"
           "<input id=\"q\" name=\"q\" type=\"search\" value=\"%a\" "
           "maxlength=\"1024\">\n"
           "<button type=\"submit\">Search</button>\n"
           "</div>\n",
           req->q);
  for (size_t i = 0; i < req->nfilters; i++)
    cgi_html(out, "<input type=\"hidden\" name=\"%a\" value=\"%a\">\n",
             cgi_filter_name(req->filters[i].kind), req->filters[i].value);
  cgi_html(out,
           "<details class=\"filters\"%s>\n"
           "<summary>Filters and sorting</summary>\n"
           "<div class=\"filter-grid\">\n",
           open ? " open" : "");
  render_filter_input(out, CGI_FILTER_COUNTRY, "e.g. China");
  render_filter_input(out, CGI_FILTER_AGENCY, "e.g. CISA");
  render_filter_input(out, CGI_FILTER_ACTOR, "e.g. Lazarus Group");
  render_filter_input(out, CGI_FILTER_SOURCE, "e.g. thehackernews.com");
  render_date_input(out, "from", "From date", req->date_from);
  render_date_input(out, "to", "To date", req->date_to);
  render_since(out, req, runs);
  cgi_html(out, "<p class=\"field\"><label for=\"f-sort\">Sort by</label>"
                "<select id=\"f-sort\" name=\"sort\">");
  render_option(out, "relevance", "Best match",
                req->sort == CYS_SORT_RELEVANCE);
  render_option(out, "date", "Newest first", req->sort == CYS_SORT_DATE);
  render_option(out, "oldest", "Oldest first", req->sort == CYS_SORT_OLDEST);
  render_option(out, "recent", "Best and recent",
                req->sort == CYS_SORT_RECENT);
  cgi_html(out, "</select></p>\n"
                "<p class=\"field\"><label for=\"f-per-page\">Results per "
                "page</label><select id=\"f-per-page\" name=\"per-page\">");
  render_option(out, "10", "10", req->per_page == 10);
  render_option(out, "20", "20", req->per_page == 20);
  render_option(out, "50", "50", req->per_page == 50);
  cgi_html(out,
           "</select></p>\n"
           "</div>\n"
           "<p class=\"hint\" id=\"date-hint\">Dates are YYYY, YYYY-MM or "
           "YYYY-MM-DD. A filter you add is kept until you remove it.</p>\n"
           "<p><button type=\"submit\">Apply</button></p>\n"
           "</details>\n"
           "</form>\n");
}

static void render_chip(cgi_out *out, const cgi_request *req,
                        const char *label, const char *value,
                        const cgi_link *without) {
  cgi_html(out,
           "<li class=\"chip\"><span class=\"chip-label\">%s:</span> %s "
           "<a class=\"chip-remove\" href=\"",
           label, value);
  cgi_link_href(out, req, without);
  cgi_html(out, "\" aria-label=\"Remove %a: %a\">×</a></li>\n", label, value);
}

/* The active filters, each with a link that removes it (back to page 1). */
static void render_chips(cgi_out *out, const cgi_request *req,
                         const cgi_runs *runs) {
  size_t n = req->nfilters + !!req->date_from[0] + !!req->date_to[0] +
             !!req->since;
  if (n == 0)
    return;
  cgi_html(out, "<ul class=\"chips\" aria-label=\"Active filters\">\n");
  for (size_t i = 0; i < req->nfilters; i++) {
    cgi_link without = {.drop = &req->filters[i]};
    render_chip(out, req, cgi_filter_label(req->filters[i].kind),
                cgi_filter_shown(&req->filters[i]), &without);
  }
  if (req->date_from[0]) {
    cgi_link without = {.drop_from = 1};
    render_chip(out, req, "From", req->date_from, &without);
  }
  if (req->date_to[0]) {
    cgi_link without = {.drop_to = 1};
    render_chip(out, req, "To", req->date_to, &without);
  }
  if (req->since) {
    const cys_run_record *r = cgi_runs_find(runs, req->since);
    char label[64];
    cgi_run_label(r ? r : &(cys_run_record){.run = req->since}, label);
    cgi_link without = {.drop_since = 1};
    render_chip(out, req, "New since", label, &without);
  }
  if (n > 1) {
    cgi_link none = {.drop_filters = 1};
    cgi_html(out, "<li class=\"chip-clear\"><a href=\"");
    cgi_link_href(out, req, &none);
    cgi_html(out, "\">Clear all filters</a></li>\n");
  }
  cgi_html(out, "</ul>\n");
}

/* One example query of the help list, as a link that runs it.  Each
 * must find articles in the sample corpus and in the news corpus (the
 * tests run every one: test_cgi_golden.sh, test_news_corpus.sh). */
static void render_example(cgi_out *out, const char *query,
                           const char *meaning) {
  cgi_html(out, "<dt><a href=\"?q=%q\"><code>%s</code></a></dt><dd>%s</dd>\n",
           query, query, meaning);
}

static void render_front(cgi_out *out, const cgi_page *p) {
  cgi_html(out, "<section class=\"intro\" aria-labelledby=\"intro-h\">\n"
                "<h2 id=\"intro-h\">Search ");
  if (p->doccount)
    cgi_html(out, "%llu articles of ", (unsigned long long)p->doccount);
  cgi_html(out, "cybersecurity news</h2>\n"
                "<p>Type what you are looking for: words match in any form "
                "(<code>hacking</code> finds <em>hacked</em>), and the best "
                "matches come first.</p>\n"
                "<dl class=\"syntax\">\n");
  render_example(out, "china espionage",
                 "either word, the articles with both first");
  render_example(out, "\"remote code execution\"", "the exact phrase");
  render_example(out, "+ransomware hospital",
                 "must contain ransomware; hospital ranks higher");
  render_example(out, "ransomware -bitcoin", "without bitcoin");
  render_example(out, "=hacking", "this exact form only");
  render_example(out, "title:lazarus", "in the title only");
  render_example(out, "CVE-2017-0144", "an identifier, as written");
  cgi_html(out, "</dl>\n</section>\n");
}

static void render_error(cgi_out *out, const cgi_page *p) {
  cgi_html(out,
           "<section class=\"error\" role=\"alert\" "
           "aria-labelledby=\"error-h\">\n"
           "<h2 id=\"error-h\">%s</h2>\n"
           "<p>%s</p>\n"
           "<p><a href=\"?\">Start a new search</a></p>\n"
           "</section>\n",
           cgi_status_title(p->status), p->error);
}

void cgi_page_render(cgi_out *out, const cgi_page *p) {
  render_head(out, p);
  cgi_html(out, "<main id=\"main\">\n");
  render_form(out, p->req, p->runs);
  /* Chips on error pages too: a filter the engine refused must be
   * removable, or every new search would carry it along. */
  render_chips(out, p->req, p->runs);
  if (p->status != 200)
    render_error(out, p);
  else if (p->results)
    cgi_results_render(out, p);
  else
    render_front(out, p);
  cgi_html(out,
           "</main>\n"
           "<footer class=\"site\"><p>cysearch %s</p></footer>\n"
           "</body>\n"
           "</html>\n",
           CYS_VERSION_STRING);
}
