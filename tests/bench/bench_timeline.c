/*
 * bench_timeline.c — what a timeline costs beside facets (issue #19), in
 * one process, queries and variants interleaved so that noise on a shared
 * machine falls on all alike.
 *
 *   bench_timeline --db DIR --queries FILE [--rounds N] [--only VARIANT]
 *
 * Each query of FILE ('QID<TAB>QUERY' or 'QUERY' per line) runs with no
 * hits, snippets or suggestion, in these variants:
 *   facets-year           --facets year, as the CLI counts it (exactly up
 *                         to CYS_DEFAULT_EXACT_TOTAL matches, then stops)
 *   facets-year-10k       the same counting exactly up to 10,000 matches,
 *                         as --facets year did when issue #19 was filed
 *   facets-year-all       the same, every match counted (exact_total at
 *                         its maximum), as a timeline always counts
 *   timeline-year, timeline-month, timeline-week, timeline-day
 *   facets-actor-all      --facets actor --facet-limit 5, every match
 *   timeline-month-actor  --timeline month --facets actor --facet-limit 5
 *   matches-all           every match visited and nothing read or counted
 *                         (no collapsing): the floor of any exact count
 * --only runs one variant (for profiling).  Prints one line per variant:
 * "variant cpu_ms_per_query wall_ms_per_query" (CPU: the process's CPU
 * time over the calls).  Used by timeline.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cysearch/search.h"

enum {
  FACETS_YEAR,
  FACETS_YEAR_10K,
  FACETS_YEAR_ALL,
  TIMELINE_YEAR,
  TIMELINE_MONTH,
  TIMELINE_WEEK,
  TIMELINE_DAY,
  FACETS_ACTOR_ALL,
  TIMELINE_MONTH_ACTOR,
  MATCHES_ALL,
  VARIANTS
};
static const char *const names[VARIANTS] = {
    "facets-year",   "facets-year-10k", "facets-year-all", "timeline-year",
    "timeline-month", "timeline-week",  "timeline-day",
    "facets-actor-all", "timeline-month-actor", "matches-all"};

static double clock_seconds(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_variant(cys_search_options *o, int v) {
  cys_search_options_init(o);
  o->limit = 0;
  o->snippet_bytes = 0;
  o->suggest = 0;
  o->facet_limit = 5;
  if (v == FACETS_YEAR_10K)
    o->exact_total = 10000;
  else if (v != FACETS_YEAR)
    o->exact_total = UINT32_MAX;
  switch (v) {
  case FACETS_YEAR:
  case FACETS_YEAR_10K:
  case FACETS_YEAR_ALL: o->facets = 1u << CYS_FACET_YEAR; break;
  case TIMELINE_YEAR: o->timeline = CYS_TIMELINE_YEAR; break;
  case TIMELINE_MONTH: o->timeline = CYS_TIMELINE_MONTH; break;
  case TIMELINE_WEEK: o->timeline = CYS_TIMELINE_WEEK; break;
  case TIMELINE_DAY: o->timeline = CYS_TIMELINE_DAY; break;
  case FACETS_ACTOR_ALL: o->facets = 1u << CYS_ENTITY_ACTOR; break;
  case MATCHES_ALL: o->collapse = 0; break;
  default:
    o->timeline = CYS_TIMELINE_MONTH;
    o->facets = 1u << CYS_ENTITY_ACTOR;
    o->timeline_facet = CYS_ENTITY_ACTOR;
    break;
  }
}

int main(int argc, char **argv) {
  const char *db = NULL, *file = NULL;
  int rounds = 3, only = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--db") == 0)
      db = argv[i + 1];
    else if (strcmp(argv[i], "--queries") == 0)
      file = argv[i + 1];
    else if (strcmp(argv[i], "--rounds") == 0)
      rounds = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--only") == 0)
      for (only = VARIANTS; only-- > 0;) /* -2: no such variant */
        if (strcmp(argv[i + 1], names[only]) == 0 || only == 0) {
          only = strcmp(argv[i + 1], names[only]) == 0 ? only : -2;
          break;
        }
  }
  if (!db || !file || rounds < 1 || only == -2) {
    fprintf(stderr, "usage: bench_timeline --db DIR --queries FILE "
                    "[--rounds N] [--only VARIANT]\n");
    return 2;
  }
  FILE *f = fopen(file, "r");
  if (!f) {
    perror(file);
    return 1;
  }
  char **queries = NULL, line[4096];
  size_t n = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *text = strchr(line, '\t') ? strchr(line, '\t') + 1 : line;
    if (!*text)
      continue;
    queries = realloc(queries, (n + 1) * sizeof *queries);
    if (!queries || !(queries[n] = strdup(text)))
      return 1;
    n++;
  }
  fclose(f);
  cys_searcher *s = cys_searcher_new();
  if (!s || cys_searcher_open(s, db) != CYS_OK) {
    fprintf(stderr, "bench_timeline: %s\n", s ? cys_searcher_errmsg(s) : "");
    return 1;
  }
  double cpu[VARIANTS] = {0}, wall[VARIANTS] = {0};
  for (int r = 0; r < rounds; r++)
    for (size_t q = 0; q < n; q++)
      for (int v = 0; v < VARIANTS; v++) {
        if (only >= 0 && v != only)
          continue;
        cys_search_options o;
        set_variant(&o, v);
        cys_results *res = NULL;
        double c0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
        double w0 = clock_seconds(CLOCK_MONOTONIC);
        cys_status st = cys_search(s, queries[q], &o, &res);
        cys_results_free(res);
        cpu[v] += clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
        wall[v] += clock_seconds(CLOCK_MONOTONIC) - w0;
        if (st != CYS_OK) {
          fprintf(stderr, "bench_timeline: %s: %s\n", queries[q],
                  cys_searcher_errmsg(s));
          return 1;
        }
      }
  for (int v = 0; v < VARIANTS; v++)
    if (only < 0 || v == only)
      printf("%s %.3f %.3f\n", names[v], 1000 * cpu[v] / (double)(n * rounds),
           1000 * wall[v] / (double)(n * rounds));
  for (size_t q = 0; q < n; q++)
    free(queries[q]);
  free(queries);
  cys_searcher_free(s);
  return 0;
}
