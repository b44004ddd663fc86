/*
 * test_docids_hostile.c — options.docids (a list of documents that drives
 * the match) against lists that break its contract or stretch it:
 * unsorted, repeated, docid 0, docids past the last document or of
 * deleted articles, an empty list, a long list; and the list combined
 * with the rest of the options; story keys out of order.  A list that breaks the contract is
 * refused with a message naming the list (CYS_INVALID), never matched
 * wrongly; the rest match what the same search filtered otherwise does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"
#include "test_index.h"

static const char *const bodies[] = {
    "Ransomware hits a water utility in China.",
    "Ransomware returns: a hospital pays the ransom.",
    "Espionage campaign targets telecoms with ransomware lures.",
    "A ransomware crew leaks hospital records.",
    "Espionage against diplomats in Europe.",
    "Ransomware hits a water utility in Brazil.",
    "Phishing wave against banks, then ransomware.",
    "A phishing wave against banks.",
};
#define NARTICLES (sizeof bodies / sizeof *bodies)

static int build(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  for (size_t i = 0; ok && i < NARTICLES; i++) {
    char id[16], date[16];
    snprintf(id, sizeof id, "a%zu", i);
    snprintf(date, sizeof date, "202%zu-01-01", i % 4);
    cys_article x = {id, NULL, date, "a.example", NULL, bodies[i]};
    ok = cys_writer_put(w, &x, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

static void init(cys_search_options *o) {
  cys_search_options_init(o);
  o->limit = 100;
  o->suggest = 0;
  o->collapse = 0;
  o->exact_total = CYS_COUNT_ALL;
}

/* The search of text over the list; NULL when refused (status in *st). */
static cys_results *over(cys_searcher *s, const char *text,
                         const uint32_t *list, size_t n, cys_status *st) {
  cys_search_options o;
  init(&o);
  o.docids = list;
  o.ndocids = n;
  cys_results *r = NULL;
  *st = cys_search(s, text, &o, &r);
  return r;
}

static int same_ids(const cys_results *a, const cys_results *b) {
  if (!a || !b || a->nhits != b->nhits || a->total != b->total)
    return 0;
  for (size_t i = 0; i < a->nhits; i++)
    if (strcmp(a->hits[i].record->article.id, b->hits[i].record->article.id))
      return 0;
  return 1;
}

/* Lists that break the contract (ascending, no repeats, no 0) are
 * refused with a message about the list. */
static void test_bad_lists(cys_searcher *s) {
  static const uint32_t unsorted[] = {5, 1, 3};
  static const uint32_t repeated[] = {1, 1, 3};
  static const uint32_t zero[] = {0, 1, 3};
  const struct {
    const uint32_t *list;
    size_t n;
  } bad[] = {{unsorted, 3}, {repeated, 3}, {zero, 3}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cys_status st;
    cys_results *r = over(s, "ransomware", bad[i].list, bad[i].n, &st);
    CHECK(st == CYS_INVALID && !r &&
          strstr(cys_searcher_errmsg(s), "docids"));
    if (st != CYS_INVALID)
      fprintf(stderr, "  bad list %zu: status %d, %zu hits\n", i, (int)st,
              r ? r->nhits : 0);
    cys_results_free(r);
  }
}

/* Story keys out of order or repeated are refused too: the one pass
 * looks each value up by bisection, and would miss copies. */
static void test_bad_keys(cys_searcher *s) {
  cys_search_options o;
  init(&o);
  o.limit = 2;
  cys_results *r = NULL;
  CHECK(cys_search(s, "ransomware", &o, &r) == CYS_OK && r && r->nhits == 2);
  if (!r || r->nhits < 2 || !strcmp(r->hits[0].story, r->hits[1].story)) {
    cys_results_free(r);
    return;
  }
  int first_low = strcmp(r->hits[0].story, r->hits[1].story) < 0;
  const char *unsorted[] = {r->hits[first_low].story,
                            r->hits[!first_low].story};
  const char *repeated[] = {r->hits[0].story, r->hits[0].story};
  const char *const *bad[] = {unsorted, repeated};
  for (size_t i = 0; i < 2; i++) {
    cys_story_copy *copies = NULL;
    size_t n = 0;
    cys_status st =
        cys_searcher_story_copies(s, bad[i], 2, CYS_ANY_RUN, &copies, &n);
    CHECK(st == CYS_INVALID && !copies &&
          strstr(cys_searcher_errmsg(s), "keys"));
    if (st != CYS_INVALID)
      fprintf(stderr, "  bad keys %zu: status %d, %zu copies\n", i, (int)st,
              n);
    free(copies);
  }
  cys_results_free(r);
}

/* Docids past the last document match nothing more; an empty list
 * matches nothing; a long list matches what the whole index does. */
static void test_edges(cys_searcher *s) {
  cys_status st;
  static const uint32_t past[] = {1, 3, NARTICLES + 1, 4000000000u};
  static const uint32_t within[] = {1, 3};
  cys_results *a = over(s, "ransomware", past, 4, &st);
  cys_results *b = over(s, "ransomware", within, 2, &st);
  CHECK(a && b && same_ids(a, b) && a->total_exact &&
        a->total_upper == a->total);
  cys_results_free(a);
  cys_results_free(b);
  a = over(s, "", past, 4, &st);
  CHECK(st == CYS_OK && a && a->total == 2);
  cys_results_free(a);
  a = over(s, "ransomware", within, 0, &st);
  CHECK(st == CYS_OK && a && a->total == 0 && a->nhits == 0);
  cys_results_free(a);
  size_t n = 1000000;
  uint32_t *all = malloc(n * sizeof *all);
  for (size_t i = 0; all && i < n; i++)
    all[i] = (uint32_t)i + 1;
  a = over(s, "ransomware", all, n, &st);
  b = over(s, "ransomware", NULL, 0, &st);
  CHECK(a && b && same_ids(a, b));
  cys_results_free(a);
  cys_results_free(b);
  free(all);
}

/* A list mostly past the last document, or of deleted articles (a list
 * kept from an older index): an estimated total stays within its bounds
 * and within the index. */
static void test_estimates(cys_searcher *s, size_t documents) {
  size_t n = 1002;
  uint32_t *list = malloc(n * sizeof *list);
  CHECK(list != NULL);
  if (!list)
    return;
  list[0] = 1;
  list[1] = 3;
  for (size_t i = 2; i < n; i++)
    list[i] = (uint32_t)(NARTICLES + i);
  const char *texts[] = {"", "ransomware"};
  for (size_t t = 0; t < 2; t++)
    for (int collapse = 0; collapse < 2; collapse++) {
      cys_search_options o;
      init(&o);
      o.exact_total = CYS_DEFAULT_EXACT_TOTAL;
      o.limit = 1;
      o.collapse = collapse;
      o.docids = list;
      o.ndocids = n;
      cys_results *r = NULL;
      CHECK(cys_search(s, texts[t], &o, &r) == CYS_OK && r);
      if (!r)
        continue;
      CHECK(r->total_lower <= r->total && r->total <= r->total_upper &&
            r->total_upper <= documents);
      if (r->total_upper > documents || r->total_lower > r->total_upper)
        fprintf(stderr, "  '%s' collapse %d: total %llu in [%llu, %llu]\n",
                texts[t], collapse, (unsigned long long)r->total,
                (unsigned long long)r->total_lower,
                (unsigned long long)r->total_upper);
      cys_results_free(r);
    }
  free(list);
}

/* With every other option: the same hits as the whole index's. */
static void test_with_options(cys_searcher *s) {
  uint32_t *docs = NULL;
  size_t n = 0;
  CHECK(cys_searcher_run_documents(s, 1, &docs, &n) == CYS_OK &&
        n == NARTICLES);
  cys_filter f = {"after", "2021"};
  for (int variant = 0; variant < 6; variant++) {
    cys_search_options o;
    init(&o);
    o.filters = &f;
    o.nfilters = variant == 0;
    o.collapse = variant == 1;
    o.sort = variant == 2   ? CYS_SORT_DATE
             : variant == 3 ? CYS_SORT_RECENT
                            : CYS_SORT_RELEVANCE;
    o.facets = variant == 4 ? ~0u : 0;
    o.facet_limit = 5;
    o.offset = variant == 5 ? 1 : 0;
    o.limit = variant == 5 ? 2 : 100;
    o.brief = variant % 2;
    o.snippet_bytes = 200;
    o.explain = variant == 4;
    o.feedback_terms = variant == 5 ? 5 : 0;
    cys_results *want = NULL, *got = NULL;
    CHECK(cys_search(s, "ransomware hospital", &o, &want) == CYS_OK);
    o.docids = docs;
    o.ndocids = n;
    CHECK(cys_search(s, "ransomware hospital", &o, &got) == CYS_OK);
    CHECK(same_ids(want, got));
    if (!same_ids(want, got))
      fprintf(stderr, "  variant %d differs\n", variant);
    cys_results_free(want);
    cys_results_free(got);
  }
  free(docs);
}

/* Brief hits with every output asked for: the record's head, no body. */
static void test_brief(cys_searcher *s) {
  cys_search_options o;
  init(&o);
  o.brief = 1;
  o.snippet_bytes = 300;
  o.explain = 1;
  o.facets = ~0u;
  o.facet_limit = 5;
  o.facet_dates = 1;
  o.timeline = CYS_TIMELINE_YEAR;
  o.collapse = 1;
  cys_results *r = NULL;
  CHECK(cys_search(s, "ransomware", &o, &r) == CYS_OK && r && r->nhits > 0);
  for (size_t i = 0; r && i < r->nhits; i++)
    CHECK(r->hits[i].record->article.id && !r->hits[i].record->article.body);
  cys_results_free(r);
  o.like = "a0";
  CHECK(cys_search(s, "", &o, &r) == CYS_OK && r);
  cys_results_free(r);
}

/* A deleted article's docid in the list matches nothing. */
static void test_deleted(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/index", dir);
  cys_writer *w = cys_writer_new();
  CHECK(w && cys_writer_open(w, path, NULL) == CYS_OK &&
        cys_writer_delete(w, "a0") == CYS_OK && cys_writer_commit(w) == CYS_OK);
  cys_writer_free(w);
  cys_searcher *s = cys_searcher_new();
  CHECK(s && cys_searcher_open(s, path) == CYS_OK);
  static const uint32_t list[] = {1, 2};
  cys_status st;
  cys_results *r = over(s, "", list, 2, &st);
  CHECK(st == CYS_OK && r && r->total == 1 && r->nhits == 1);
  cys_results_free(r);
  test_estimates(s, NARTICLES - 1);
  uint32_t *docs = NULL;
  size_t n = 0;
  CHECK(cys_searcher_run_documents(s, 1, &docs, &n) == CYS_OK &&
        n == NARTICLES - 1 && docs[0] == 2);
  free(docs);
  cys_searcher_free(s);
}

static int build_empty(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK &&
           cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

static void test_empty_index(void) {
  char dir[] = "/tmp/cysearch-test-docids-empty-XXXXXX";
  cys_searcher *s = open_test_index(dir, build_empty);
  CHECK(s != NULL);
  if (s) {
    const char *keys[] = {"0123456789abcdef"};
    cys_story_copy *copies = NULL;
    uint32_t *docs = NULL;
    size_t n = 1;
    CHECK(cys_searcher_story_copies(s, keys, 1, CYS_ANY_RUN, &copies, &n) ==
              CYS_OK && !copies && n == 0);
    n = 1;
    CHECK(cys_searcher_run_documents(s, 1, &docs, &n) == CYS_OK && !docs &&
          n == 0);
    static const uint32_t list[] = {1};
    cys_status st;
    cys_results *r = over(s, "ransomware", list, 1, &st);
    CHECK(st == CYS_OK && r && r->total == 0);
    cys_results_free(r);
  }
  cys_searcher_free(s);
  remove_tree(dir);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-docids-XXXXXX";
  cys_searcher *s = open_test_index(dir, build);
  CHECK(s != NULL);
  if (s) {
    test_bad_lists(s);
    test_bad_keys(s);
    test_edges(s);
    test_estimates(s, NARTICLES);
    test_with_options(s);
    test_brief(s);
  }
  cys_searcher_free(s);
  if (s)
    test_deleted(dir);
  test_empty_index();
  remove_tree(dir);
  return check_done();
}
