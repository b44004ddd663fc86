/*
 * cgi_link.c — hrefs for the current request with one change (see
 * cgi_link.h).  Everything is written through cgi_html's %q, so names and
 * values are %-encoded and safe inside an attribute.
 */
#include "cgi_link.h"

/* Write "?" before the first parameter and "&amp;" before the others. */
static void param(cgi_out *out, int *first, const char *name,
                  const char *value) {
  cgi_html(out, *first ? "%q=%q" : "&amp;%q=%q", name, value);
  *first = 0;
}

void cgi_link_href(cgi_out *out, const cgi_request *req,
                   const cgi_link *change) {
  int first = 1;
  cgi_html(out, "?");
  const char *q = change->q ? change->q : req->q;
  if (q[0])
    param(out, &first, "q", q);
  for (size_t i = 0; i < req->nfilters && !change->drop_filters; i++)
    if (&req->filters[i] != change->drop &&
        !(change->add && change->replace_kind &&
          req->filters[i].kind == change->add->kind))
      param(out, &first, cgi_filter_name(req->filters[i].kind),
            req->filters[i].value);
  if (change->add)
    param(out, &first, cgi_filter_name(change->add->kind), change->add->value);
  if (req->date_from[0] && !change->drop_from && !change->drop_filters)
    param(out, &first, "from", req->date_from);
  if (req->date_to[0] && !change->drop_to && !change->drop_filters)
    param(out, &first, "to", req->date_to);
  if (req->since && !change->drop_since && !change->drop_filters) {
    cgi_html(out, first ? "since=%llu" : "&amp;since=%llu",
             (unsigned long long)req->since);
    first = 0;
  }
  if (req->sort != CYS_SORT_RELEVANCE)
    param(out, &first, "sort", cys_sort_name(req->sort));
  if (req->per_page != CGI_DEFAULT_PER_PAGE) {
    cgi_html(out, first ? "per-page=%u" : "&amp;per-page=%u", req->per_page);
    first = 0;
  }
  if (req->exact || change->exact) {
    cgi_html(out, first ? "exact=1" : "&amp;exact=1");
    first = 0;
  }
  if (change->page > 1)
    cgi_html(out, first ? "page=%u" : "&amp;page=%u", change->page);
}
