/*
 * output_timeline.c — see output_timeline.h.  CSV follows RFC 4180: a
 * field holding a comma, a double quote, CR or LF is quoted, its quotes
 * doubled, and every record ends with CRLF.
 */
#include "output_timeline.h"

#include <stdlib.h>
#include <string.h>

#include "term_text.h"

/* Characters of the longest bar. */
#define BAR_WIDTH 40

/* What the periods leave out, one sentence each. */
static void print_apart(FILE *f, const cys_timeline *t) {
  if (t->undated)
    fprintf(f, "Not in a period: %llu undated.\n",
            (unsigned long long)t->undated);
  if (t->imprecise)
    fprintf(f, "Not in a period: %llu dated less precisely than a %s.\n",
            (unsigned long long)t->imprecise, cys_timeline_unit_name(t->unit));
  if (!t->exact)
    fputs("The time limit cut the count short: counts are partial.\n", f);
}

void output_timeline_text(FILE *f, const cys_timeline *t) {
  uint64_t max = 0;
  for (size_t p = 0; p < t->nperiods; p++)
    if (t->counts[p] > max)
      max = t->counts[p];
  fprintf(f, "\nTimeline by %s (stories per %s",
          cys_timeline_unit_name(t->unit), cys_timeline_unit_name(t->unit));
  if (t->unit == CYS_TIMELINE_WEEK)
    fputs(", ISO weeks", f);
  fputs("):\n", f);
  if (t->nperiods == 0)
    fputs("  (no dated matches)\n", f);
  if (t->nseries) {
    fprintf(f, "%-10s %8s", "", "all");
    for (size_t k = 0; k < t->nseries; k++) {
      fputc(' ', f);
      term_puts(f, t->series[k].label);
    }
    fputc('\n', f);
  }
  for (size_t p = 0; p < t->nperiods; p++) {
    fprintf(f, "%-10s %8llu", t->periods[p], (unsigned long long)t->counts[p]);
    for (size_t k = 0; k < t->nseries; k++)
      fprintf(f, " %*llu",
              (int)strlen(t->series[k].label) > 0
                  ? (int)strlen(t->series[k].label)
                  : 1,
              (unsigned long long)t->series_counts[k * t->nperiods + p]);
    size_t bar = max ? (size_t)((t->counts[p] * BAR_WIDTH + max - 1) / max) : 0;
    if (bar)
      fputc(' ', f);
    for (size_t i = 0; i < bar; i++)
      fputc('#', f);
    fputc('\n', f);
  }
  print_apart(f, t);
}

json_t *output_timeline_json(const cys_timeline *t) {
  json_t *root = json_object(), *periods = json_array();
  if (!root || !periods) {
    json_decref(root);
    json_decref(periods);
    return NULL;
  }
  json_object_set_new(root, "unit",
                      json_string(cys_timeline_unit_name(t->unit)));
  json_object_set_new(root, "exact", json_boolean(t->exact));
  json_object_set_new(root, "undated", json_integer((json_int_t)t->undated));
  json_object_set_new(root, "imprecise",
                      json_integer((json_int_t)t->imprecise));
  for (size_t p = 0; p < t->nperiods; p++)
    json_array_append_new(periods,
                          json_pack("{s:s, s:I}", "period", t->periods[p],
                                    "count", (json_int_t)t->counts[p]));
  json_object_set_new(root, "periods", periods);
  if (t->facet >= 0) {
    json_t *series = json_array();
    for (size_t k = 0; k < t->nseries; k++) {
      const cys_facet_value *v = &t->series[k];
      json_t *counts = json_array();
      for (size_t p = 0; p < t->nperiods; p++)
        json_array_append_new(
            counts,
            json_integer((json_int_t)t->series_counts[k * t->nperiods + p]));
      json_array_append_new(series,
                            json_pack("{s:s, s:s, s:I, s:o}", "value", v->value,
                                      "label", v->label, "count",
                                      (json_int_t)v->count, "counts", counts));
    }
    json_object_set_new(root, "facet",
                        json_string(cys_facet_name((unsigned)t->facet)));
    json_object_set_new(root, "series", series);
  }
  return root;
}

/* One CSV field, quoted when it must be. */
static void csv_field(FILE *f, const char *s, int first) {
  if (!first)
    fputc(',', f);
  if (!s)
    return;
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void csv_number(FILE *f, uint64_t n) {
  fprintf(f, ",%llu", (unsigned long long)n);
}

int output_timeline_csv(FILE *f, const cys_timeline *t) {
  csv_field(f, "period", 1);
  csv_field(f, "stories", 0);
  for (size_t k = 0; k < t->nseries; k++)
    csv_field(f, t->series[k].label, 0);
  fputs("\r\n", f);
  for (size_t p = 0; p < t->nperiods; p++) {
    csv_field(f, t->periods[p], 1);
    csv_number(f, t->counts[p]);
    for (size_t k = 0; k < t->nseries; k++)
      csv_number(f, t->series_counts[k * t->nperiods + p]);
    fputs("\r\n", f);
  }
  return ferror(f) ? -1 : 0;
}

int output_hits_csv(FILE *f, const char *qid, const cys_results *r,
                    int header) {
  static const char *const columns[] = {
      "qid",   "rank", "id",         "score",    "date",   "source",
      "title", "url",  "duplicates", "entities", "snippet"};
  if (header) {
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++)
      csv_field(f, columns[i], i == 0);
    fputs("\r\n", f);
  }
  for (size_t i = 0; r && i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    const cys_article *a = &h->record->article;
    csv_field(f, qid ? qid : "1", 1);
    fprintf(f, ",%u", h->rank);
    csv_field(f, a->id, 0);
    fprintf(f, ",%.6f", h->score);
    csv_field(f, a->date, 0);
    csv_field(f, a->source, 0);
    csv_field(f, a->title, 0);
    csv_field(f, a->url, 0);
    fprintf(f, ",%u", h->duplicates);
    /* "actor:APT28; country:RU" */
    size_t len = 1;
    for (size_t k = 0; k < h->nentities; k++)
      len += strlen(cys_entity_type_name(h->entities[k].type)) +
             strlen(h->entities[k].value) + 3;
    char *entities = malloc(len);
    if (!entities)
      return -1;
    entities[0] = '\0';
    for (size_t k = 0; k < h->nentities; k++) {
      if (k)
        strcat(entities, "; ");
      strcat(entities, cys_entity_type_name(h->entities[k].type));
      strcat(entities, ":");
      strcat(entities, h->entities[k].value);
    }
    csv_field(f, entities, 0);
    free(entities);
    csv_field(f, h->snippet, 0);
    fputs("\r\n", f);
  }
  return ferror(f) ? -1 : 0;
}
