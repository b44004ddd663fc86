/*
 * facet_sample.c — what answering from the matches examined changes,
 * against counting every match (cysearch --exact), query by query:
 *
 *   facet_sample --db DIR --queries FILE [--samples 250,1000,4000]
 *
 * For each query of FILE ('QID<TAB>QUERY' or 'QUERY' per line) it runs the
 * results page (top 10, every facet) once with CYS_COUNT_ALL and once per
 * facet sample size N (cys_search_options.facet_sample), and reports:
 *   - top-10: whether the hits (ids, in order) are the same, and how many
 *     hits' copy counts (`duplicates`) differ;
 *   - totals: how often the estimate is exact, its mean relative error,
 *     and how often the exact total lies outside the estimate's bounds;
 *   - facets, over every facet that has values when counted exactly: how
 *     often the top 5 values are the same set, and the same in order, and
 *     how many of the top 5 are among the sample's top 5 on average; the
 *     mean relative error of the counts shown for the exact top 5 (a value
 *     missing from the sample counts 0), as shown and scaled by the
 *     estimated total over the stories examined.
 * Queries whose matches were all examined count as exact everywhere.
 * --best N1,N2 adds the alternative of counting the facets over the N best
 * stories instead (their hits' entities, sources and years: what a count
 * over the top of the ranking would show), for comparison; the kev facets
 * are left out of those rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/search.h"

#define MAX_SAMPLES 8
#define TOP 5

typedef struct tally {
  size_t queries, same_top10, dup_differs, hits, total_exact, outside;
  double total_err;
  size_t facets, top5_set, top5_order, counts, overlap;
  double count_err, scaled_err;
} tally;

static cys_results *search(cys_searcher *s, const char *q, uint32_t exact,
                           uint32_t sample) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.snippet_bytes = 0;
  o.facets = (1u << CYS_FACETS) - 1;
  o.exact_total = exact;
  o.facet_sample = sample;
  cys_results *r = NULL;
  if (cys_search(s, q, &o, &r) != CYS_OK) {
    fprintf(stderr, "facet_sample: '%s': %s\n", q, cys_searcher_errmsg(s));
    return NULL;
  }
  return r;
}

static const cys_facet_value *find(const cys_results *r, unsigned f,
                                   const char *value) {
  for (size_t i = 0; i < r->facets[f].n; i++)
    if (strcmp(r->facets[f].values[i].value, value) == 0)
      return &r->facets[f].values[i];
  return NULL;
}

static void compare(const char *q, const cys_results *all,
                    const cys_results *got, tally *t) {
  t->queries++;
  int same = all->nhits == got->nhits;
  for (size_t i = 0; same && i < all->nhits; i++)
    same = strcmp(all->hits[i].record->article.id,
                  got->hits[i].record->article.id) == 0;
  t->same_top10 += same;
  if (!same)
  for (size_t i = 0; !same && i < all->nhits && i < got->nhits; i++)
    fprintf(stderr, "facet_sample: '%s': hit %zu: %s %.6f, %s %.6f\n", q, i,
            all->hits[i].record->article.id, all->hits[i].score,
            got->hits[i].record->article.id, got->hits[i].score);
  for (size_t i = 0; same && i < all->nhits; i++) {
    t->hits++;
    t->dup_differs += all->hits[i].duplicates != got->hits[i].duplicates;
  }
  t->total_exact += got->total_exact;
  if (all->total > 0)
    t->total_err += fabs((double)got->total - (double)all->total) /
                    (double)all->total;
  t->outside += all->total < got->total_lower || all->total > got->total_upper;
  /* stories examined, to scale the sample's counts to the estimate */
  double scale = got->facet_matches && got->total && !got->facets_exact
                     ? (double)got->total / (double)got->facet_matches
                     : 1.0;
  for (unsigned f = 0; f < CYS_FACETS; f++) {
    size_t n = all->facets[f].n < TOP ? all->facets[f].n : TOP;
    if (n == 0)
      continue;
    t->facets++;
    size_t m = got->facets[f].n < TOP ? got->facets[f].n : TOP;
    int in_order = n == m, as_set = n == m;
    for (size_t i = 0; i < n && as_set; i++) {
      const char *v = all->facets[f].values[i].value;
      in_order = in_order && strcmp(v, got->facets[f].values[i].value) == 0;
      int found = 0;
      for (size_t k = 0; k < m; k++)
        found |= strcmp(v, got->facets[f].values[k].value) == 0;
      as_set = found;
    }
    for (size_t i = 0; i < n; i++)
      for (size_t k = 0; k < m; k++)
        t->overlap += strcmp(all->facets[f].values[i].value,
                             got->facets[f].values[k].value) == 0;
    t->top5_set += as_set;
    t->top5_order += in_order;
    for (size_t i = 0; i < n; i++) {
      const cys_facet_value *want = &all->facets[f].values[i];
      const cys_facet_value *have = find(got, f, want->value);
      double c = have ? (double)have->count : 0.0;
      t->counts++;
      t->count_err += fabs(c - (double)want->count) / (double)want->count;
      t->scaled_err +=
          fabs(c * scale - (double)want->count) / (double)want->count;
    }
  }
}

/* Facets counted over the hits of a search of the n best stories. */
static cys_results *best_stories(cys_searcher *s, const char *q, size_t n) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.snippet_bytes = 0;
  o.limit = n;
  o.suggest = 0;
  cys_results *r = NULL;
  if (cys_search(s, q, &o, &r) != CYS_OK)
    return NULL;
  size_t cap[CYS_FACETS] = {0};
  for (size_t i = 0; i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    char year[5] = "";
    const char *vals[64];
    unsigned fs[64];
    size_t nv = 0;
    for (size_t k = 0; k < h->nentities && nv < 62; k++) {
      int dup = 0;
      for (size_t j = 0; j < nv; j++)
        dup |= fs[j] == (unsigned)h->entities[k].type &&
               strcmp(vals[j], h->entities[k].value) == 0;
      if (!dup) {
        fs[nv] = (unsigned)h->entities[k].type;
        vals[nv++] = h->entities[k].value;
      }
    }
    const cys_article *a = &h->record->article;
    if (a->source && *a->source) {
      fs[nv] = CYS_FACET_SOURCE;
      vals[nv++] = a->source;
    }
    if (a->date && strlen(a->date) >= 4) {
      memcpy(year, a->date, 4);
      fs[nv] = CYS_FACET_YEAR;
      vals[nv++] = year;
    }
    for (size_t j = 0; j < nv; j++) {
      unsigned f = fs[j];
      cys_facet_value *v = (cys_facet_value *)find(r, f, vals[j]);
      if (!v) {
        if (r->facets[f].n == cap[f]) {
          cap[f] = cap[f] ? 2 * cap[f] : 64;
          r->facets[f].values = realloc(r->facets[f].values,
                                        cap[f] * sizeof *v);
        }
        v = &r->facets[f].values[r->facets[f].n++];
        v->value = strdup(vals[j]);
        v->label = v->value;
        v->count = 0;
      }
      v->count++;
    }
  }
  for (unsigned f = 0; f < CYS_FACETS; f++) /* most frequent first */
    for (size_t i = 1; i < r->facets[f].n; i++)
      for (size_t k = i; k > 0 && r->facets[f].values[k].count >
                                      r->facets[f].values[k - 1].count; k--) {
        cys_facet_value t = r->facets[f].values[k];
        r->facets[f].values[k] = r->facets[f].values[k - 1];
        r->facets[f].values[k - 1] = t;
      }
  r->facet_matches = r->nhits;
  return r;
}

int main(int argc, char **argv) {
  const char *db = NULL, *queries = NULL, *list = "250,1000,4000",
             *best_list = "";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--db"))
      db = argv[i + 1];
    else if (!strcmp(argv[i], "--queries"))
      queries = argv[i + 1];
    else if (!strcmp(argv[i], "--samples"))
      list = argv[i + 1];
    else if (!strcmp(argv[i], "--best"))
      best_list = argv[i + 1];
    else
      db = NULL, i = argc;
  }
  uint32_t samples[MAX_SAMPLES], best[MAX_SAMPLES];
  size_t ns = 0, nb = 0;
  for (char *p = (char *)list; *p && ns < MAX_SAMPLES;) {
    samples[ns++] = (uint32_t)strtoul(p, &p, 10);
    if (*p == ',')
      p++;
  }
  for (char *p = (char *)best_list; *p && nb < MAX_SAMPLES;) {
    best[nb++] = (uint32_t)strtoul(p, &p, 10);
    if (*p == ',')
      p++;
  }
  if (!db || !queries || ns == 0) {
    fprintf(stderr, "usage: facet_sample --db DIR --queries FILE "
                    "[--samples 250,1000,4000]\n");
    return 2;
  }
  cys_searcher *s = cys_searcher_new();
  FILE *f = fopen(queries, "r");
  if (!s || cys_searcher_open(s, db) != CYS_OK || !f) {
    fprintf(stderr, "facet_sample: cannot open '%s' or '%s'\n", db, queries);
    return 1;
  }
  tally t[MAX_SAMPLES], tb[MAX_SAMPLES];
  memset(t, 0, sizeof t);
  memset(tb, 0, sizeof tb);
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *tab = strchr(line, '\t'), *q = tab ? tab + 1 : line;
    if (!*q)
      continue;
    cys_results *all = search(s, q, CYS_COUNT_ALL, 0);
    for (size_t k = 0; all && k < ns; k++) {
      cys_results *got = search(s, q, CYS_DEFAULT_EXACT_TOTAL, samples[k]);
      if (got)
        compare(q, all, got, &t[k]);
      cys_results_free(got);
    }
    for (size_t k = 0; all && k < nb; k++) {
      cys_results *got = best_stories(s, q, best[k]);
      if (got) {
        for (unsigned f = CYS_FACET_KEV; f < CYS_FACETS; f++)
          all->facets[f].n = 0; /* not counted from hits */
        got->total_exact = got->facets_exact =
            got->nhits < best[k]; /* every story seen */
        compare(q, all, got, &tb[k]);
      }
      cys_results_free(got);
    }
    cys_results_free(all);
  }
  fclose(f);
  printf("| sample N | queries | same top 10 | copies differ | total exact "
         "| total error | outside bounds | facet top 5 same (set) | (order) "
         "| top 5 shared | count error, shown | scaled |\n|---|---|---|---|"
         "---|---|---|---|---|---|---|---|\n");
  for (size_t k = 0; k < ns; k++) {
    const tally *x = &t[k];
    double q = x->queries ? (double)x->queries : 1.0;
    double fa = x->facets ? (double)x->facets : 1.0;
    double c = x->counts ? (double)x->counts : 1.0;
    printf("| %u | %zu | %.1f%% | %zu of %zu | %.1f%% | %.1f%% | %zu "
           "| %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n",
           samples[k], x->queries, 100.0 * (double)x->same_top10 / q,
           x->dup_differs, x->hits, 100.0 * (double)x->total_exact / q,
           100.0 * x->total_err / q, x->outside,
           100.0 * (double)x->top5_set / fa, 100.0 * (double)x->top5_order / fa,
           100.0 * (double)x->overlap / c, 100.0 * x->count_err / c,
           100.0 * x->scaled_err / c);
  }
  for (size_t k = 0; k < nb; k++) {
    const tally *x = &tb[k];
    double fa = x->facets ? (double)x->facets : 1.0;
    double c = x->counts ? (double)x->counts : 1.0;
    printf("| best %u stories | %zu | | | | | | %.1f%% | %.1f%% | %.1f%% "
           "| %.1f%% | |\n",
           best[k], x->queries, 100.0 * (double)x->top5_set / fa,
           100.0 * (double)x->top5_order / fa,
           100.0 * (double)x->overlap / c, 100.0 * x->count_err / c);
  }
  cys_searcher_free(s);
  return 0;
}
