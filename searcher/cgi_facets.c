/*
 * cgi_facets.c — the links that refine a search (see cgi_page.h): the
 * facet sidebar (country, agency, actor, malware, source, year, kev, counted
 * over all matches) and the entity chips of each hit.  A value links to
 * the search with its filter added; a value already filtered on links to
 * the search without it.  Every href comes from cgi_link_href and every
 * value goes through cgi_html, like the rest of the page.
 */
#include <string.h>
#include <strings.h>

#include "cgi_link.h"
#include "cgi_page.h"

/* The filter a facet or entity type becomes. */
static cgi_filter_kind kind_of(unsigned facet) {
  switch (facet) {
  case CYS_ENTITY_COUNTRY: return CGI_FILTER_COUNTRY;
  case CYS_ENTITY_AGENCY: return CGI_FILTER_AGENCY;
  case CYS_ENTITY_ACTOR: return CGI_FILTER_ACTOR;
  case CYS_ENTITY_CVE: return CGI_FILTER_CVE;
  case CYS_ENTITY_MALWARE: return CGI_FILTER_MALWARE;
  case CYS_ENTITY_VENDOR: return CGI_FILTER_VENDOR;
  case CYS_FACET_SOURCE: return CGI_FILTER_SOURCE;
  case CYS_FACET_KEV: return CGI_FILTER_KEV;
  default: return CGI_FILTER_YEAR;
  }
}

/* The request's filter on this value (by canonical value or label, as
 * people type either, or by the value an alias resolved to), or NULL. */
static const cgi_filter *active(const cgi_request *req, cgi_filter_kind kind,
                                const char *value, const char *label) {
  for (size_t i = 0; i < req->nfilters; i++)
    if (req->filters[i].kind == kind &&
        (strcasecmp(req->filters[i].value, value) == 0 ||
         strcmp(req->filters[i].named, value) == 0 ||
         (label && strcasecmp(req->filters[i].value, label) == 0)))
      return &req->filters[i];
  return NULL;
}

/* Whether the request filters on this kind already: another value of it
 * is then ORed with those (cgi_request.h), so a link adding it widens the
 * search rather than narrowing it, and must not say "Only". */
static int kind_filtered(const cgi_request *req, cgi_filter_kind kind) {
  for (size_t i = 0; i < req->nfilters; i++)
    if (req->filters[i].kind == kind)
      return 1;
  return 0;
}

/* A filter to add; false when the value cannot be one (too long). */
static int make_filter(cgi_filter *f, cgi_filter_kind kind,
                       const char *value) {
  size_t n = strlen(value);
  if (n == 0 || n > CGI_MAX_VALUE)
    return 0;
  f->kind = kind;
  memcpy(f->value, value, n + 1);
  f->named[0] = f->named_label[0] = '\0';
  return 1;
}

/* One facet value: a link that adds or removes its filter, and its
 * count. */
static void render_value(cgi_out *out, const cgi_request *req,
                         cgi_filter_kind kind, const cys_facet_value *v) {
  const cgi_filter *on = active(req, kind, v->value, v->label);
  cgi_filter add;
  if (on) {
    cgi_link without = {.drop = on};
    cgi_html(out, "<li class=\"facet-on\"><a href=\"");
    cgi_link_href(out, req, &without);
    cgi_html(out, "\" aria-label=\"Remove %a: %a\">%s <span "
                  "aria-hidden=\"true\">×</span></a>",
             cgi_filter_label(kind), v->label, v->label);
  } else if (req->nfilters < CGI_MAX_FILTERS &&
             make_filter(&add, kind, v->value)) {
    cgi_link with = {.add = &add};
    cgi_html(out, "<li><a href=\"");
    cgi_link_href(out, req, &with);
    if (kind_filtered(req, kind))
      cgi_html(out, "\" title=\"Also articles with %a %a (the count is of "
                    "these matches only)", cgi_filter_label(kind), v->label);
    cgi_html(out, "\">%s</a>", v->label);
  } else {
    cgi_html(out, "<li>%s", v->label);
  }
  cgi_html(out, " <span class=\"facet-count\">%llu</span>",
           (unsigned long long)v->count);
  if (v->first[0] && kind != CGI_FILTER_YEAR && kind != CGI_FILTER_KEV)
    cgi_html(out, "<span class=\"facet-first\">first seen %s</span>",
             v->first);
  cgi_html(out, "</li>\n");
}

/* The facet value of the matches for an entity of a hit, or NULL. */
static const cys_facet_value *facet_value_of(const cys_results *r,
                                             cys_entity_type type,
                                             const char *value) {
  for (size_t i = 0; r && i < r->facets[type].n; i++)
    if (strcmp(r->facets[type].values[i].value, value) == 0)
      return &r->facets[type].values[i];
  return NULL;
}

void cgi_facets_render(cgi_out *out, const cgi_page *p) {
  static const unsigned order[] = {CYS_ENTITY_COUNTRY, CYS_ENTITY_AGENCY,
                                   CYS_ENTITY_ACTOR, CYS_ENTITY_MALWARE,
                                   CYS_FACET_SOURCE, CYS_FACET_YEAR,
                                   CYS_FACET_KEV};
  const cys_results *r = p->results;
  int any = 0;
  for (size_t k = 0; k < sizeof order / sizeof *order; k++)
    any |= r->facets[order[k]].n > 0;
  if (!any)
    return;
  cgi_html(out, "<aside class=\"facets\" aria-labelledby=\"facets-h\">\n"
                "<h2 id=\"facets-h\">Refine</h2>\n");
  if (!r->facets_exact) {
    cgi_link exact = {.page = p->req->page, .exact = 1};
    cgi_html(out, "<p class=\"note estimate\">Counted over the %llu "
                  "matches examined, not all. <a href=\"",
             (unsigned long long)r->facet_matches);
    cgi_link_href(out, p->req, &exact);
    cgi_html(out, "\">Count all</a></p>\n");
  }
  for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
    unsigned f = order[k];
    if (r->facets[f].n == 0)
      continue;
    cgi_filter_kind kind = kind_of(f);
    cgi_html(out, "<section class=\"facet\" aria-labelledby=\"facet-%s\">\n"
                  "<h3 id=\"facet-%s\">%s</h3>\n<ul>\n",
             cgi_filter_name(kind), cgi_filter_name(kind),
             cgi_filter_label(kind));
    for (size_t i = 0; i < r->facets[f].n; i++)
      render_value(out, p->req, kind, &r->facets[f].values[i]);
    cgi_html(out, "</ul>\n</section>\n");
  }
  cgi_html(out, "</aside>\n");
}

/* Entity chips shown per type and per hit: the most mentioned first. */
#define CHIPS_PER_TYPE 3
#define CHIPS_PER_HIT 10

void cgi_entities_render(cgi_out *out, const cgi_request *req,
                         const cys_results *r, const cys_hit *h) {
  size_t shown = 0, of_type = 0;
  for (size_t k = 0; k < h->nentities && shown < CHIPS_PER_HIT; k++) {
    const cys_hit_entity *e = &h->entities[k];
    of_type = k > 0 && h->entities[k - 1].type == e->type ? of_type + 1 : 0;
    if (of_type >= CHIPS_PER_TYPE)
      continue;
    cgi_filter_kind kind = kind_of(e->type);
    cgi_filter add;
    if (shown++ == 0)
      cgi_html(out, "<ul class=\"entities\" aria-label=\"Mentioned in this "
                    "article\">\n");
    const cys_facet_value *seen = facet_value_of(r, e->type, e->value);
    int linked = !active(req, kind, e->value, e->label) &&
                 req->nfilters < CGI_MAX_FILTERS &&
                 make_filter(&add, kind, e->value);
    if (linked) {
      cgi_link with = {.add = &add};
      cgi_html(out, "<li><a class=\"entity entity-%s\" href=\"",
               cgi_filter_name(kind));
      cgi_link_href(out, req, &with);
      cgi_html(out, "\" title=\"%s articles with %a %a\">%s",
               kind_filtered(req, kind) ? "Also" : "Only",
               cgi_filter_label(kind), e->label, e->label);
    } else {
      cgi_html(out, "<li><span class=\"entity entity-%s\">%s",
               cgi_filter_name(kind), e->label);
    }
    if (seen && seen->first[0])
      cgi_html(out, " <span class=\"entity-first\">first seen %s</span>",
               seen->first);
    if (linked)
      cgi_html(out, "</a></li>\n");
    else
      cgi_html(out, "</span></li>\n");
  }
  if (shown)
    cgi_html(out, "</ul>\n");
}
