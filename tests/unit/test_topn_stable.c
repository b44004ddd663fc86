/*
 * test_topn_stable.c — the top results do not depend on how many matches
 * a search examines (cys_search_options.exact_total, Xapian's
 * check_at_least): the same hits, in the same order, with the same scores
 * as the first ten of the ranking of every match (a search of as many
 * hits as there are articles), for queries of one word and of several,
 * with and without collapsing, and counting every match or not.  Xapian 1.4's matcher loses a hit when it
 * turns an AND_MAYBE into an AND (xapian_shim_weight.cc says how and what
 * keeps it from happening); on this index, built so that such
 * rewrites happen, one-word and two-word queries lost hits with 200, 300
 * or 500 matches examined before the fix.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"
#include "tempdir.h"
#include "test_index.h"

#define ARTICLES 600
#define WORDS 200

/* A fixed pseudo-random sequence (so the index is the same every run). */
static uint32_t state = 1;
static uint32_t next_random(void) {
  state = state * 1103515245u + 12345u;
  return (state & 0x7fffffffu) >> 8;
}

/* The i-th word of the vocabulary: two made-up syllables, so that the
 * analyzer takes each as one plain word. */
static void vocabulary_word(unsigned i, char *out) {
  static const char consonants[] = "bdfgklmnprstvz";
  static const char vowels[] = "aeiou";
  unsigned c = sizeof consonants - 1, v = sizeof vowels - 1;
  snprintf(out, 8, "%c%c%c%c%c", consonants[i % c], vowels[i / c % v],
           consonants[i / (c * v) % c], vowels[i % v], 'n');
}

/* Frequent words are likelier (roughly Zipf), as in real text. */
static void append_word(char *text, size_t size) {
  char word[8];
  unsigned rank = next_random() % (next_random() % WORDS + 1);
  vocabulary_word(rank, word);
  size_t len = strlen(text);
  snprintf(text + len, size - len, "%s%s", len ? " " : "", word);
}

static int build(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  for (int i = 0; ok && i < ARTICLES; i++) {
    char id[16], title[128] = "", body[2048] = "";
    unsigned body_words = 20 + next_random() % 120;
    for (unsigned k = 0; k < body_words; k++)
      append_word(body, sizeof body);
    unsigned title_words = 2 + next_random() % 5;
    for (unsigned k = 0; k < title_words; k++)
      append_word(title, sizeof title);
    snprintf(id, sizeof id, "d%04d", i);
    cys_article a = {id, title, NULL, NULL, NULL, body};
    ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

static cys_results *top(cys_searcher *s, const char *query, uint32_t examine,
                        int collapse, size_t limit) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = limit;
  o.snippet_bytes = 0;
  o.suggest = 0;
  o.collapse = collapse;
  o.exact_total = examine;
  cys_results *r = NULL;
  if (cys_search(s, query, &o, &r) != CYS_OK)
    fprintf(stderr, "'%s': %s\n", query, cys_searcher_errmsg(s));
  return r;
}

/* 1 when got has all's first hits, in order, with their scores. */
static int same_top(const cys_results *all, const cys_results *got) {
  if (!all || !got || got->nhits != 10 || all->nhits < got->nhits)
    return 0;
  for (size_t i = 0; i < got->nhits; i++)
    if (strcmp(all->hits[i].record->article.id,
               got->hits[i].record->article.id) != 0 ||
        all->hits[i].score != got->hits[i].score)
      return 0;
  return 1;
}

int main(void) {
  char dir[] = "/tmp/cysearch-topn-XXXXXX";
  cys_searcher *s = open_test_index(dir, build);
  CHECK(s != NULL);
  char query[64], a[8], b[8];
  /* Words of every frequency, alone and in pairs. */
  static const unsigned words[][2] = {{0, WORDS}, {1, WORDS},  {3, WORDS},
                                      {10, WORDS}, {25, WORDS}, {60, WORDS},
                                      {0, 1},      {2, 7},      {4, 50},
                                      {30, 31},    {5, 120},    {1, 90}};
  static const uint32_t examined[] = {1,   10,  50,   100,
                                      200, 300, 500, 1000, CYS_COUNT_ALL};
  size_t compared = 0;
  for (size_t q = 0; s && q < sizeof words / sizeof *words; q++) {
    vocabulary_word(words[q][0], a);
    if (words[q][1] < WORDS) {
      vocabulary_word(words[q][1], b);
      snprintf(query, sizeof query, "%s %s", a, b);
    } else {
      snprintf(query, sizeof query, "%s", a);
    }
    for (int collapse = 0; collapse <= 1; collapse++) {
      cys_results *all = top(s, query, CYS_COUNT_ALL, collapse, ARTICLES);
      CHECK(all != NULL && all->nhits >= 10);
      for (size_t e = 0; e < sizeof examined / sizeof *examined; e++) {
        cys_results *got = top(s, query, examined[e], collapse, 10);
        int same = same_top(all, got);
        if (!same)
          fprintf(stderr, "'%s' (collapse %d): the top 10 with %u matches "
                          "examined differs from the top 10 of all\n",
                  query, collapse, (unsigned)examined[e]);
        CHECK(same);
        compared++;
        cys_results_free(got);
      }
      cys_results_free(all);
    }
  }
  CHECK_INT(compared, 12 * 2 * 9);
  cys_searcher_free(s);
  remove_tree(dir);
  return check_done();
}
