/* output.c — see output.h.  JSON is built and escaped by jansson. */
#include "output.h"

#include <jansson.h>
#include <string.h>

#define BOLD "\033[1m"
#define RESET "\033[0m"


/* Print a snippet with its spans in bold (or plain). */
static void print_snippet(FILE *f, const cys_hit *h, int color) {
  const char *s = h->snippet;
  size_t at = 0, len = strlen(s);
  for (size_t i = 0; i < h->nspans && color; i++) {
    fwrite(s + at, 1, h->spans[i].start - at, f);
    fputs(BOLD, f);
    fwrite(s + h->spans[i].start, 1, h->spans[i].end - h->spans[i].start, f);
    fputs(RESET, f);
    at = h->spans[i].end;
  }
  fwrite(s + at, 1, len - at, f);
}

int output_text(FILE *f, const char *query, const cys_results *r, int color) {
  if (r->total == 0) {
    fprintf(f, "No articles match \"%s\".\n", query);
  } else {
    fprintf(f, "%s%llu article%s \"%s\"", r->total_exact ? "" : "About ",
            (unsigned long long)r->total,
            r->total == 1 ? " matches" : "s match", query);
    if (r->nhits)
      fprintf(f, "; showing %u-%u", r->hits[0].rank,
              r->hits[r->nhits - 1].rank);
    fputs(".\n", f);
  }
  for (size_t i = 0; i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    const cys_article *a = &h->record->article;
    fputc('\n', f);
    fprintf(f, "%3u. %s%s%s\n", h->rank, color ? BOLD : "",
            a->title && *a->title ? a->title : "(untitled)", color ? RESET : "");
    fprintf(f, "     %s", a->date ? a->date : "undated");
    if (a->source)
      fprintf(f, " | %s", a->source);
    fprintf(f, " | id %s | score %.3f\n", a->id, h->score);
    if (a->url)
      fprintf(f, "     %s\n", a->url);
    if (h->snippet && *h->snippet) {
      fputs("     ", f);
      print_snippet(f, h, color);
      fputc('\n', f);
    }
  }
  return ferror(f) ? -1 : 0;
}

static json_t *string_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

int output_json(FILE *f, const char *qid, const char *query,
                const cys_results *r) {
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
  json_object_set_new(root, "total", json_integer((json_int_t)r->total));
  json_object_set_new(root, "total_exact", json_boolean(r->total_exact));
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
    json_object_set_new(hit, "url", string_or_null(a->url));
    json_object_set_new(hit, "snippet", string_or_null(h->snippet));
    json_t *spans = json_array();
    for (size_t k = 0; k < h->nspans; k++)
      json_array_append_new(spans,
                            json_pack("[I,I]", (json_int_t)h->spans[k].start,
                                      (json_int_t)h->spans[k].end));
    json_object_set_new(hit, "highlights", spans);
    json_array_append_new(hits, hit);
  }
  json_object_set_new(root, "hits", hits);
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
