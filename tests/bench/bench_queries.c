/*
 * bench_queries.c — per-query latency of cys_search in one long-running
 * process, the way a server or the batch mode runs queries.
 *
 *   bench_queries --db DIR --queries FILE [--rounds N] [--warmup N]
 *                 [--and] [--only VARIANT,...] [--facet-sample N]
 *                 [--no-collapse] [--cpu] [--tsv FILE]
 *
 * Each query of FILE ('QID<TAB>QUERY' or 'QUERY' per line) is run top-10
 * in three variants, interleaved so that noise falls on all alike:
 *   bare      no snippets, no facets (the CLI's --no-snippets): the count
 *             is estimated, as by default
 *   full      the results page: snippets and every facet (--facets all),
 *             facets over the matches examined (the default)
 *   exact     the results page counting every match (--exact)
 * --and requires every word (each whitespace-separated word gets '+');
 * --only runs some variants (a comma-separated list, e.g. "bare,full";
 * one for profiling); --facet-sample sets the matches the full variant
 * examines at least (cys_search_options); --no-collapse shows copies of a
 * story as hits of their own, in every variant (what collapsing costs);
 * --cpu times each query in CPU time of the thread (which other work on a
 * busy machine disturbs less than wall time) instead of wall time.
 * Each timed call covers cys_search and cys_results_free.  With --tsv,
 * every timing is written as "engine variant qid round microseconds
 * total"; on stdout, one line per variant:
 *   "variant N p50_ms p95_ms p99_ms mean_ms max_ms".
 * Used by tests/bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cysearch/search.h"

enum { BARE, FULL, EXACT, VARIANTS };
static const char *const variant_names[VARIANTS] = {"bare", "full",
                                                    "exact"};

typedef struct query {
  char *qid, *text;
} query;

static clockid_t timer = CLOCK_MONOTONIC; /* --cpu: the thread's CPU time */

static double now(void) {
  struct timespec ts;
  clock_gettime(timer, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n);
  if (!p) {
    fprintf(stderr, "bench_queries: out of memory\n");
    exit(1);
  }
  return p;
}

static char *xstrdup(const char *s) {
  return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

/* "a b" -> "+a +b" */
static char *all_required(const char *text) {
  char *out = xrealloc(NULL, 2 * strlen(text) + 2), *o = out;
  int in_word = 0;
  for (const char *p = text; *p; p++) {
    int space = *p == ' ' || *p == '\t';
    if (!space && !in_word)
      *o++ = '+';
    in_word = !space;
    *o++ = *p;
  }
  *o = '\0';
  return out;
}

static size_t read_queries(const char *path, int and_mode, query **out) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "bench_queries: cannot open '%s'\n", path);
    exit(1);
  }
  query *qs = NULL;
  size_t n = 0, cap = 0, lineno = 0;
  char line[65536];
  while (fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (!*line)
      continue;
    char number[32];
    char *tab = strchr(line, '\t'), *text = line, *qid = number;
    if (tab) {
      *tab = '\0';
      qid = line;
      text = tab + 1;
    } else {
      snprintf(number, sizeof number, "%zu", lineno);
    }
    if (n == cap) {
      cap = cap ? 2 * cap : 256;
      qs = xrealloc(qs, cap * sizeof *qs);
    }
    qs[n].qid = xstrdup(qid);
    qs[n].text = and_mode ? all_required(text) : xstrdup(text);
    n++;
  }
  fclose(f);
  *out = qs;
  return n;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double percentile(const double *v, size_t n, double p) {
  size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
  if (k < 1)
    k = 1;
  if (k > n)
    k = n;
  return v[k - 1];
}

/* "full" or "bare,full": the set of variants, one bit each; 0 when a
 * name is not a variant. */
static unsigned parse_variants(const char *list) {
  unsigned set = 0;
  while (*list) {
    size_t len = strcspn(list, ",");
    unsigned bit = 0;
    for (int v = 0; v < VARIANTS; v++)
      if (strlen(variant_names[v]) == len &&
          !strncmp(list, variant_names[v], len))
        bit = 1u << v;
    if (!bit)
      return 0;
    set |= bit;
    list += len + (list[len] == ',');
  }
  return set;
}

static void usage(void) {
  fprintf(stderr,
          "usage: bench_queries --db DIR --queries FILE [--rounds N] "
          "[--warmup N] [--and] [--only VARIANT,...] [--facet-sample N] "
          "[--no-collapse] [--cpu] [--tsv FILE]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *db = NULL, *queries = NULL, *tsv = NULL;
  int rounds = 3, warmup = 1, and_mode = 0, collapse = 1;
  unsigned only = (1u << VARIANTS) - 1; /* the variants to run */
  long facet_sample = -1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--db") && i + 1 < argc)
      db = argv[++i];
    else if (!strcmp(argv[i], "--queries") && i + 1 < argc)
      queries = argv[++i];
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--warmup") && i + 1 < argc)
      warmup = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--tsv") && i + 1 < argc)
      tsv = argv[++i];
    else if (!strcmp(argv[i], "--facet-sample") && i + 1 < argc)
      facet_sample = atol(argv[++i]);
    else if (!strcmp(argv[i], "--and"))
      and_mode = 1;
    else if (!strcmp(argv[i], "--no-collapse"))
      collapse = 0;
    else if (!strcmp(argv[i], "--cpu"))
      timer = CLOCK_THREAD_CPUTIME_ID;
    else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
      only = parse_variants(argv[++i]);
      if (only == 0)
        usage();
    }
    else
      usage();
  }
  if (!db || !queries || rounds < 1 || warmup < 0)
    usage();

  query *qs;
  size_t nq = read_queries(queries, and_mode, &qs);
  if (nq == 0) {
    fprintf(stderr, "bench_queries: no queries in '%s'\n", queries);
    return 1;
  }
  cys_searcher *s = cys_searcher_new();
  if (!s || cys_searcher_open(s, db) != CYS_OK) {
    fprintf(stderr, "bench_queries: %s\n",
            s ? cys_searcher_errmsg(s) : "out of memory");
    return 1;
  }
  cys_search_options opts[VARIANTS];
  for (int v = 0; v < VARIANTS; v++) {
    cys_search_options_init(&opts[v]);
    opts[v].collapse = collapse;
  }
  opts[BARE].snippet_bytes = 0;
  opts[FULL].facets = (1u << CYS_FACETS) - 1;
  if (facet_sample >= 0)
    opts[FULL].facet_sample = (uint32_t)facet_sample;
  opts[EXACT].facets = (1u << CYS_FACETS) - 1;
  opts[EXACT].exact_total = CYS_COUNT_ALL;

  FILE *out = NULL;
  if (tsv && !(out = fopen(tsv, "w"))) {
    fprintf(stderr, "bench_queries: cannot write '%s'\n", tsv);
    return 1;
  }
  size_t nsamples = nq * (size_t)rounds;
  double *times[VARIANTS];
  for (int v = 0; v < VARIANTS; v++)
    times[v] = xrealloc(NULL, nsamples * sizeof(double));
  int errors = 0;
  for (int r = -warmup; r < rounds; r++) {
    for (size_t q = 0; q < nq; q++) {
      for (int v = 0; v < VARIANTS; v++) {
        if (!(only & (1u << v)))
          continue;
        cys_results *res = NULL;
        double t0 = now();
        cys_status st = cys_search(s, qs[q].text, &opts[v], &res);
        uint64_t total = st == CYS_OK ? res->total : 0;
        cys_results_free(res);
        double dt = now() - t0;
        if (st != CYS_OK && r == -warmup) {
          fprintf(stderr, "bench_queries: query %s '%s': %s\n", qs[q].qid,
                  qs[q].text, cys_searcher_errmsg(s));
          errors++;
        }
        if (r < 0)
          continue;
        times[v][(size_t)r * nq + q] = dt * 1e3;
        if (out)
          fprintf(out, "cysearch\t%s\t%s\t%d\t%.1f\t%llu\n", variant_names[v],
                  qs[q].qid, r, dt * 1e6, (unsigned long long)total);
      }
    }
  }
  for (int v = 0; v < VARIANTS; v++) {
    if (!(only & (1u << v))) {
      free(times[v]);
      continue;
    }
    double sum = 0;
    for (size_t i = 0; i < nsamples; i++)
      sum += times[v][i];
    qsort(times[v], nsamples, sizeof(double), cmp_double);
    printf("%s %zu %.3f %.3f %.3f %.3f %.3f\n", variant_names[v], nsamples,
           percentile(times[v], nsamples, 50), percentile(times[v], nsamples, 95),
           percentile(times[v], nsamples, 99), sum / (double)nsamples,
           times[v][nsamples - 1]);
    free(times[v]);
  }
  if (out && fclose(out) != 0) {
    fprintf(stderr, "bench_queries: cannot write '%s'\n", tsv);
    return 1;
  }
  cys_searcher_free(s);
  for (size_t q = 0; q < nq; q++) {
    free(qs[q].qid);
    free(qs[q].text);
  }
  free(qs);
  return errors ? 1 : 0;
}
