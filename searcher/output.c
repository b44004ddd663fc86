/* output.c — see output.h.  JSON is built and escaped by jansson. */
#include "output.h"

#include <jansson.h>
#include <string.h>

#include "output_timeline.h"
#include "term_text.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"


/* Print a snippet with its spans in bold (or plain). */
static void print_snippet(FILE *f, const cys_hit *h, int color) {
  const char *s = h->snippet;
  size_t at = 0, len = strlen(s);
  for (size_t i = 0; i < h->nspans && color; i++) {
    term_write(f, s + at, h->spans[i].start - at);
    fputs(BOLD, f);
    term_write(f, s + h->spans[i].start, h->spans[i].end - h->spans[i].start);
    fputs(RESET, f);
    at = h->spans[i].end;
  }
  term_write(f, s + at, len - at);
}

/* "China (CN)", or "CN" when the label is the value. */
static void print_named(FILE *f, const char *label, const char *value) {
  if (strcmp(label, value) != 0) {
    term_puts(f, label);
    fputs(" (", f);
    term_puts(f, value);
    fputc(')', f);
  } else {
    term_puts(f, value);
  }
}

/* "country: China (CN), United States (US) | actor: APT28" */
static void print_entities(FILE *f, const cys_hit *h) {
  if (!h->nentities)
    return;
  fputs("     ", f);
  for (size_t k = 0; k < h->nentities; k++) {
    const cys_hit_entity *e = &h->entities[k];
    int new_type = k == 0 || h->entities[k - 1].type != e->type;
    if (new_type)
      fprintf(f, "%s%s: ", k ? " | " : "", cys_entity_type_name(e->type));
    else
      fputs(", ", f);
    print_named(f, e->label, e->value);
  }
  fputc('\n', f);
}

/* The KEV entry of CVE id cve among the hit's marks, NULL when none. */
static const cys_kev_entry *kev_of(const cys_hit *h, const char *cve) {
  for (size_t k = 0; k < h->nkev; k++)
    if (strcmp(h->kev[k].cve, cve) == 0)
      return &h->kev[k];
  return NULL;
}

/* "kev: CVE-2021-44228 (added 2021-12-10; Apache Log4j2; ransomware)" */
static void print_kev(FILE *f, const cys_hit *h) {
  if (!h->nkev)
    return;
  fputs("     kev: ", f);
  for (size_t k = 0; k < h->nkev; k++) {
    const cys_kev_entry *e = &h->kev[k];
    fputs(k ? ", " : "", f);
    term_puts(f, e->cve);
    fputs(" (added ", f);
    term_puts(f, e->date_added);
    fputs("; ", f);
    term_puts(f, e->vendor);
    fputc(' ', f);
    term_puts(f, e->product);
    fputs(e->ransomware ? "; ransomware)" : ")", f);
  }
  fputc('\n', f);
}

static void print_facets(FILE *f, const cys_results *r, unsigned facets) {
  if (facets && !r->facets_exact && r->total > 0)
    fprintf(f, "\nFacets of the %llu matches examined, not of all "
               "(--exact counts all):\n",
            (unsigned long long)r->facet_matches);
  for (unsigned k = 0; k < CYS_FACETS; k++) {
    if (!(facets & (1u << k)))
      continue;
    fprintf(f, "\n%s:", cys_facet_name(k));
    if (r->facets[k].n == 0)
      fputs(" (none)", f);
    for (size_t i = 0; i < r->facets[k].n; i++) {
      const cys_facet_value *v = &r->facets[k].values[i];
      fputs(i ? ", " : " ", f);
      print_named(f, v->label, v->value);
      fprintf(f, " %llu", (unsigned long long)v->count);
    }
    fputc('\n', f);
  }
}

/* "score 12.345 = 4.210 ransomware [text] + 0.920 ransomware [title]" */
static void print_explain(FILE *f, const cys_hit *h) {
  if (!h->explain)
    return;
  fprintf(f, "     score %.3f =", h->score);
  for (size_t k = 0; k < h->nexplain; k++) {
    fprintf(f, "%s %.3f ", k ? " +" : "", h->explain[k].weight);
    term_puts(f, h->explain[k].what);
    fprintf(f, " [%s]", h->explain[k].field);
  }
  if (h->nexplain == 0)
    fputs(" 0 (matched by filters only)", f);
  fputc('\n', f);
}

/* What was searched: "\"query\"", "like ID" or "like ID and \"query\"",
 * then " with FIELD:VALUE, ..." for the filters. */
static void print_what(FILE *f, const output_opts *o) {
  if (o->like) {
    fputs("like ", f);
    term_puts(f, o->like);
  }
  if (o->like && *o->query)
    fputs(" and", f);
  if (!o->like || *o->query) {
    fputs(o->like ? " \"" : "\"", f);
    term_puts(f, o->query);
    fputc('"', f);
  }
  for (size_t k = 0; k < o->nfilters; k++) {
    fputs(k ? ", " : " with ", f);
    term_puts(f, o->filters[k].field);
    fputc(':', f);
    term_puts(f, o->filters[k].value);
  }
}

int output_text(FILE *f, const output_opts *o, const cys_results *r) {
  int color = o->color;
  if (r->total == 0) {
    fputs(o->like ? "No articles are " : "No articles match ", f);
    print_what(f, o);
    fputs(".\n", f);
  } else {
    fprintf(f, "%s%llu article%s", r->total_exact ? "" : "About ",
            (unsigned long long)r->total,
            o->like ? (r->total == 1 ? " is " : "s are ")
                    : (r->total == 1 ? " matches " : "s match "));
    print_what(f, o);
    if (r->nhits)
      fprintf(f, "; showing %u-%u", r->hits[0].rank,
              r->hits[r->nhits - 1].rank);
    fputs(".\n", f);
  }
  if (r->suggestion) {
    fputs("Did you mean: ", f);
    term_puts(f, r->suggestion);
    fputc('\n', f);
  }
  if (r->warning)
    fprintf(f, "Note: %s.\n", r->warning);
  if (r->partial) {
    fputs("Partial results: not searched:", f);
    for (size_t k = 0; k < r->nunavailable; k++) {
      fputs(k ? ", " : " ", f);
      term_puts(f, r->unavailable[k]);
    }
    fputc('\n', f);
  }
  for (size_t i = 0; i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    const cys_article *a = &h->record->article;
    fputc('\n', f);
    fprintf(f, "%3u. %s", h->rank, color ? BOLD : "");
    term_puts(f, a->title && *a->title ? a->title : "(untitled)");
    fputs(color ? RESET : "", f);
    if (h->duplicates)
      fprintf(f, " (+%u similar)", h->duplicates);
    fputs("\n     ", f);
    term_puts(f, a->date ? a->date : "undated");
    if (a->source) {
      fputs(" | ", f);
      term_puts(f, a->source);
    }
    fputs(" | id ", f);
    term_puts(f, a->id);
    fprintf(f, " | score %.3f\n", h->score);
    if (a->url) {
      fputs("     ", f);
      term_puts(f, a->url);
      fputc('\n', f);
    }
    if (h->snippet && *h->snippet) {
      fputs("     ", f);
      print_snippet(f, h, color);
      fputc('\n', f);
    }
    print_entities(f, h);
    print_kev(f, h);
    print_explain(f, h);
  }
  print_facets(f, r, o->facets);
  if (r->timeline)
    output_timeline_text(f, r->timeline);
  return ferror(f) ? -1 : 0;
}

static json_t *string_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

int output_json(FILE *f, const output_opts *o, const cys_results *r) {
  const char *qid = o->qid, *query = o->query;
  unsigned facets = o->facets;
  json_t *root = json_object();
  json_t *hits = json_array();
  if (!root || !hits) {
    json_decref(root);
    json_decref(hits);
    return -1;
  }
  if (qid)
    json_object_set_new(root, "qid", json_string(qid));
  json_object_set_new(root, "query", json_string(query));
  if (o->nfilters) {
    json_t *filters = json_array();
    for (size_t k = 0; k < o->nfilters; k++)
      json_array_append_new(filters,
                            json_pack("{s:s, s:s}", "field",
                                      o->filters[k].field, "value",
                                      o->filters[k].value));
    json_object_set_new(root, "filters", filters);
  }
  if (o->like)
    json_object_set_new(root, "like", json_string(o->like));
  json_object_set_new(root, "total", json_integer((json_int_t)r->total));
  json_object_set_new(root, "total_exact", json_boolean(r->total_exact));
  json_object_set_new(root, "total_lower",
                      json_integer((json_int_t)r->total_lower));
  json_object_set_new(root, "total_upper",
                      json_integer((json_int_t)r->total_upper));
  json_object_set_new(root, "suggestion", string_or_null(r->suggestion));
  if (r->warning) /* only when the query's bounds changed it */
    json_object_set_new(root, "warning", json_string(r->warning));
  if (r->partial) {
    /* Only when shards were left out: complete results have neither. */
    json_t *missing = json_array();
    for (size_t k = 0; k < r->nunavailable; k++)
      json_array_append_new(missing, json_string(r->unavailable[k]));
    json_object_set_new(root, "partial", json_true());
    json_object_set_new(root, "unavailable", missing);
  }
  for (size_t i = 0; i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    const cys_article *a = &h->record->article;
    json_t *hit = json_object();
    json_object_set_new(hit, "rank", json_integer(h->rank));
    json_object_set_new(hit, "id", json_string(a->id));
    json_object_set_new(hit, "score", json_real(h->score));
    json_object_set_new(hit, "title", string_or_null(a->title));
    json_object_set_new(hit, "date", string_or_null(a->date));
    json_object_set_new(hit, "source", string_or_null(a->source));
    json_object_set_new(hit, "url",
                        string_or_null(!o->url_shown || o->url_shown(a->url)
                                           ? a->url
                                           : NULL));
    json_object_set_new(hit, "snippet", string_or_null(h->snippet));
    json_t *spans = json_array();
    for (size_t k = 0; k < h->nspans; k++)
      json_array_append_new(spans,
                            json_pack("[I,I]", (json_int_t)h->spans[k].start,
                                      (json_int_t)h->spans[k].end));
    json_object_set_new(hit, "highlights", spans);
    json_t *entities = json_array();
    for (size_t k = 0; k < h->nentities; k++) {
      const cys_hit_entity *e = &h->entities[k];
      json_t *entity = json_pack("{s:s, s:s, s:s, s:i}", "type",
                                 cys_entity_type_name(e->type), "value",
                                 e->value, "label", e->label, "count",
                                 (int)e->count);
      const cys_kev_entry *kev =
          e->type == CYS_ENTITY_CVE ? kev_of(h, e->value) : NULL;
      if (entity && kev)
        json_object_set_new(
            entity, "kev",
            json_pack("{s:s, s:s, s:s, s:b}", "date_added", kev->date_added,
                      "vendor", kev->vendor, "product", kev->product,
                      "ransomware", kev->ransomware));
      json_array_append_new(entities, entity);
    }
    json_object_set_new(hit, "entities", entities);
    json_object_set_new(hit, "duplicates", json_integer(h->duplicates));
    if (h->story[0]) /* its near-duplicate key: story:KEY finds its copies */
      json_object_set_new(hit, "story", json_string(h->story));
    if (h->explain) {
      json_t *parts = json_array();
      for (size_t k = 0; k < h->nexplain; k++)
        json_array_append_new(
            parts, json_pack("{s:s, s:s, s:f}", "term", h->explain[k].what,
                             "field", h->explain[k].field, "weight",
                             h->explain[k].weight));
      json_object_set_new(hit, "explain", parts);
    }
    json_array_append_new(hits, hit);
  }
  json_object_set_new(root, "hits", hits);
  if (facets) {
    json_t *all = json_object();
    for (unsigned f = 0; f < CYS_FACETS; f++) {
      if (!(facets & (1u << f)))
        continue;
      json_t *list = json_array();
      for (size_t k = 0; k < r->facets[f].n; k++) {
        const cys_facet_value *v = &r->facets[f].values[k];
        json_t *value = json_pack("{s:s, s:s, s:I}", "value", v->value,
                                  "label", v->label, "count",
                                  (json_int_t)v->count);
        if (value && v->first[0]) { /* facet_dates */
          json_object_set_new(value, "first", json_string(v->first));
          json_object_set_new(value, "last", json_string(v->last));
        }
        json_array_append_new(list, value);
      }
      json_object_set_new(all, cys_facet_name(f), list);
    }
    json_object_set_new(root, "facets", all);
    json_object_set_new(root, "facets_exact", json_boolean(r->facets_exact));
    json_object_set_new(root, "facet_matches",
                        json_integer((json_int_t)r->facet_matches));
  }
  if (r->timeline)
    json_object_set_new(root, "timeline", output_timeline_json(r->timeline));
  int rc = json_dumpf(root, f, JSON_COMPACT | JSON_REAL_PRECISION(10));
  json_decref(root);
  fputc('\n', f);
  return (rc || ferror(f)) ? -1 : 0;
}

int output_trec(FILE *f, const char *qid, const cys_results *r) {
  for (size_t i = 0; i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    fprintf(f, "%s Q0 %s %u %.6f cysearch\n", qid ? qid : "1",
            h->record->article.id, h->rank, h->score);
  }
  return ferror(f) ? -1 : 0;
}

int output_json_error(FILE *f, const output_opts *o, const char *message) {
  json_t *root = json_object();
  if (!root)
    return -1;
  if (o->qid)
    json_object_set_new(root, "qid", json_string(o->qid));
  json_object_set_new(root, "query", json_string(o->query));
  json_object_set_new(root, "error", json_string(message));
  int rc = json_dumpf(root, f, JSON_COMPACT);
  json_decref(root);
  fputc('\n', f);
  return (rc || ferror(f)) ? -1 : 0;
}
