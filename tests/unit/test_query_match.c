/*
 * test_query_match.c — the query language on a small index, through
 * cys_search: which articles AND / OR / NOT, groups with filters, prefix*
 * wildcards, title: and body:, NEAR and "phrase"~N select, and that the
 * words a wildcard stands for are highlighted in snippets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"
#include "tempdir.h"

static const struct {
  const char *id, *title, *body;
} articles[] = {
    {"m1", "Ransomware gang hits hospital",
     "The ransomware attack encrypted patient files. LockBit claimed it."},
    {"m2", "Ransom demand at school",
     "A ransomware crew demanded a ransom from the school board."},
    {"m3", "State hackers",
     "Hackers from China breached a telecom operator in the region."},
    {"m4", "Telecom report",
     "China said nothing about the outage. Engineers restored the service "
     "over the weekend and customers were told to wait for updates until "
     "the operator finished the repairs; much later, hackers were blamed."},
    {"m5", "Weather", "Sunny weather all week along the coast."},
    {"m6", "Ransom notes", "Police studied the ransom notes left behind."},
    {"m7", "Moscow hackers", "Hackers in Russia attacked a bank in Moscow."},
    {"m8", "Brazil hackers", "Hackers in Brazil attacked a bank in Rio."},
};
#define NARTICLES (sizeof articles / sizeof *articles)

static int build(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  for (size_t i = 0; ok && i < NARTICLES; i++) {
    cys_article a = {articles[i].id, articles[i].title,
                     "2024-01-02",   "example.org",
                     NULL,           articles[i].body};
    ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

/* The ids the query finds, sorted and joined by spaces ("" for none,
 * "ERROR" when the search failed). */
static void ids_of(cys_searcher *s, const char *query, char *out, size_t size) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 50;
  o.snippet_bytes = 0;
  o.suggest = 0;
  cys_results *r = NULL;
  out[0] = '\0';
  if (cys_search(s, query, &o, &r) != CYS_OK) {
    snprintf(out, size, "ERROR");
    return;
  }
  const char *found[NARTICLES];
  size_t n = 0;
  for (size_t i = 0; i < r->nhits && n < NARTICLES; i++)
    found[n++] = r->hits[i].record->article.id;
  for (size_t i = 1; i < n; i++) /* insertion sort: a handful of ids */
    for (size_t j = i; j > 0 && strcmp(found[j - 1], found[j]) > 0; j--) {
      const char *t = found[j];
      found[j] = found[j - 1];
      found[j - 1] = t;
    }
  for (size_t i = 0; i < n; i++) {
    size_t used = strlen(out);
    snprintf(out + used, size - used, "%s%s", i ? " " : "", found[i]);
  }
  cys_results_free(r);
}

static void test_matches(cys_searcher *s) {
  static const struct {
    const char *query, *want;
  } rows[] = {
      {"ransomware", "m1 m2"},
      {"ransomware AND NOT lockbit", "m2"},
      {"ransomware NOT lockbit", "m2"},
      {"ransomware -lockbit", "m2"},
      {"ransomware and not lockbit", "m1 m2 m4"}, /* words: m4 has "and" */
      {"(hospital OR school) AND ransomware", "m1 m2"},
      {"hospital OR school", "m1 m2"},
      {"ransomware AND (hospital OR notes)", "m1"},
      {"-(ransomware OR ransom OR hackers)", "m5"},
      {"weather OR NOT hackers", "m1 m2 m5 m6"},
      /* wildcards: exact forms starting with the prefix */
      {"ranso*", "m1 m2 m6"},
      {"RANSOM*", "m1 m2 m6"},
      {"ransomw*", "m1 m2"},
      {"title:ransom*", "m1 m2 m6"},
      {"title:ransomw*", "m1"},
      {"hack* AND bank", "m7 m8"},
      {"zzz*", ""},
      /* body: the article's text (title and body) */
      {"body:weather", "m5"},
      /* proximity */
      {"china AND hackers", "m3 m4"},
      {"\"china hackers\"~3", "m3"},
      {"\"hackers china\"~1", "m3"},
      {"\"china hackers\"~60", "m3 m4"},
      {"china NEAR/3 hackers", "m3"},
      {"china NEAR hackers", "m3"},
      {"china NEAR/60 hackers", "m3 m4"},
      /* filters in groups */
      {"(country:CN OR country:RU) hackers", "m3 m4 m7"},
      {"hackers AND NOT (country:CN OR country:RU)", "m8"},
      {"hackers -country:BR -country:CN", "m7"},
      /* pasted text */
      {"(ransomware", "m1 m2"},
      {"ransomware) AND AND", "m1 m2"},
      {"NOT", ""},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    char got[256];
    ids_of(s, rows[i].query, got, sizeof got);
    if (strcmp(got, rows[i].want) != 0) {
      bad++;
      fprintf(stderr, "  \"%s\" found [%s], want [%s]\n", rows[i].query, got,
              rows[i].want);
    }
  }
  CHECK_INT(bad, 0);
}

/* ranso* highlights "Ransomware", "ransomware" and "ransom" in snippets. */
static void test_highlight(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 10;
  o.suggest = 0;
  if (o.snippet_bytes == 0)
    o.snippet_bytes = 200;
  cys_results *r = NULL;
  CHECK_INT(cys_search(s, "ranso*", &o, &r), CYS_OK);
  if (!r)
    return;
  CHECK_INT(r->nhits, 3);
  int spans = 0, bad = 0;
  for (size_t i = 0; i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    CHECK(h->snippet != NULL && h->nspans > 0);
    for (size_t k = 0; h->snippet && k < h->nspans; k++) {
      const char *w = h->snippet + h->spans[k].start;
      spans++;
      if (h->spans[k].end - h->spans[k].start < 6 ||
          strncasecmp(w, "ransom", 6) != 0)
        bad++;
    }
  }
  CHECK(spans >= 4);
  CHECK_INT(bad, 0);
  cys_results_free(r);
}

int main(void) {
  char dir[] = "/tmp/cys-query-match-XXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(0);
    return check_done();
  }
  char path[sizeof dir + 8];
  snprintf(path, sizeof path, "%s/db", dir);
  CHECK(build(path));
  cys_searcher *s = cys_searcher_new();
  if (s && cys_searcher_open(s, path) == CYS_OK) {
    test_matches(s);
    test_highlight(s);
  } else {
    CHECK(0);
    fprintf(stderr, "  %s\n", s ? cys_searcher_errmsg(s) : "out of memory");
  }
  cys_searcher_free(s);
  remove_tree(dir);
  return check_done();
}
