/*
 * bench_analyzer.c — analyzer throughput on a JSONL(.gz) corpus: the title
 * and body of every article, analysed in one thread, best of N rounds.
 * Prints one line: "analyzer MB SECONDS MB/s TOKENS".  Used by
 * analyzer_vs_termgenerator.sh, which runs Xapian's TermGenerator on the
 * same text in the same run.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "cysearch/analyze.h"

typedef struct texts {
  char **items;
  size_t *lens;
  size_t n, cap, bytes;
} texts;

static void add_text(texts *t, const char *s) {
  if (!s || !*s)
    return;
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 1024;
    t->items = realloc(t->items, t->cap * sizeof *t->items);
    t->lens = realloc(t->lens, t->cap * sizeof *t->lens);
    if (!t->items || !t->lens) {
      fprintf(stderr, "out of memory\n");
      exit(1);
    }
  }
  t->lens[t->n] = strlen(s);
  t->items[t->n] = strdup(s);
  t->bytes += t->lens[t->n];
  t->n++;
}

static int count_token(void *ctx, const cys_token *tok) {
  (void)tok;
  ++*(size_t *)ctx;
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_analyzer FILE.jsonl[.gz] [ROUNDS]\n");
    return 2;
  }
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  gzFile f = gzopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "bench_analyzer: cannot open %s\n", argv[1]);
    return 1;
  }
  texts t = {0};
  static char line[16 << 20];
  while (gzgets(f, line, sizeof line)) {
    json_t *o = json_loads(line, 0, NULL);
    if (!o)
      continue;
    add_text(&t, json_string_value(json_object_get(o, "title")));
    add_text(&t, json_string_value(json_object_get(o, "body")));
    json_decref(o);
  }
  gzclose(f);
  cys_analyzer *a;
  if (cys_analyzer_new(NULL, &a) != CYS_OK)
    return 1;
  double best = 1e30;
  size_t tokens = 0;
  for (int r = 0; r < rounds; r++) {
    tokens = 0;
    double t0 = now();
    for (size_t i = 0; i < t.n; i++)
      cys_analyze(a, t.items[i], t.lens[i], count_token, &tokens);
    double dt = now() - t0;
    if (dt < best)
      best = dt;
  }
  printf("analyzer %.3f %.4f %.2f %zu\n", t.bytes / 1e6, best,
         t.bytes / 1e6 / best, tokens);
  cys_analyzer_free(a);
  for (size_t i = 0; i < t.n; i++)
    free(t.items[i]);
  free(t.items);
  free(t.lens);
  return 0;
}
