/*
 * test_search_filters.c — filters given as structure
 * (cys_search_options.filters), end to end on a small made-up index: they
 * mean what the same field:value means in the query language (one field's
 * values OR, different fields AND), they select without changing scores,
 * and no query text — a stray NOT, a trailing OR, an unclosed quote or
 * parenthesis — can invert or drop them, as it could when the page
 * appended them to the text.  Unknown fields and values are errors that
 * say which filter of the list is at fault.  A list of documents
 * (options.docids, from the copies of stories found in one pass) filters
 * as story: does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_index.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"

typedef struct art {
  const char *id, *date, *source, *body;
} art;

/* Countries are tagged from the text (China, Russia, Brazil). */
static const art articles[] = {
    {"cn-ransom-old", "2019-03-01", "a.example",
     "A ransomware gang hit a water utility; investigators point to China."},
    {"cn-ransom-new", "2022-05-01", "b.example",
     "Ransomware returns: a hospital in China pays the ransom."},
    {"cn-spy", "2021-07-01", "a.example",
     "Espionage campaign from China targets telecoms."},
    {"ru-ransom", "2022-02-01", "b.example",
     "A ransomware crew from Russia leaks hospital records."},
    {"ru-spy", "2018-01-01", "a.example",
     "Espionage by Russia against diplomats in Europe."},
    {"br-ransom", "2021-11-01", "c.example",
     "Ransomware hits a water utility in Brazil."},
    {"none-ransom", "2020-01-01", "c.example",
     "Ransomware hits a small town's water utility."},
    {"none-other", "2020-06-01", "a.example",
     "A phishing wave against banks."},
};
#define NARTICLES (sizeof articles / sizeof *articles)

static int build(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  for (size_t i = 0; ok && i < NARTICLES; i++) {
    const art *a = &articles[i];
    cys_article x = {a->id, NULL, a->date, a->source, NULL, a->body};
    ok = cys_writer_put(w, &x, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

/* Run text with the filters; NULL on failure (printed). */
static cys_results *run(cys_searcher *s, const char *text,
                        const cys_filter *filters, size_t n) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 100;
  o.suggest = 0;
  o.filters = filters;
  o.nfilters = n;
  cys_results *r = NULL;
  if (cys_search(s, text, &o, &r) != CYS_OK) {
    fprintf(stderr, "search '%s': %s\n", text ? text : "(NULL)",
            cys_searcher_errmsg(s));
    return NULL;
  }
  return r;
}

/* The same hits, in the same order, with the same scores. */
static int same_hits(const cys_results *a, const cys_results *b) {
  if (!a || !b || a->total != b->total || a->nhits != b->nhits)
    return 0;
  for (size_t i = 0; i < a->nhits; i++)
    if (strcmp(a->hits[i].record->article.id, b->hits[i].record->article.id) ||
        a->hits[i].score - b->hits[i].score > 1e-9 ||
        b->hits[i].score - a->hits[i].score > 1e-9)
      return 0;
  return 1;
}

static int has_entity(const cys_hit *h, const char *value) {
  for (size_t k = 0; k < h->nentities; k++)
    if (strcmp(h->entities[k].value, value) == 0)
      return 1;
  return 0;
}

/* text with filters finds exactly what the well-formed query `expected`
 * finds, and at least one article. */
static void check_as(cys_searcher *s, const char *text,
                     const cys_filter *filters, size_t n,
                     const char *expected) {
  cys_results *got = run(s, text, filters, n);
  cys_results *want = run(s, expected, NULL, 0);
  int ok = got && want && want->total > 0 && same_hits(got, want);
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  '%s' with %zu filters (%s:%s...): %lld hits, '%s': "
                    "%lld\n",
            text ? text : "(NULL)", n, filters[0].field, filters[0].value,
            got ? (long long)got->total : -1LL, expected,
            want ? (long long)want->total : -1LL);
  cys_results_free(got);
  cys_results_free(want);
}

/* Query text that trips the grammar, next to a country filter: the
 * filter still applies, exactly as written in a well-formed query. */
static void test_hostile_text(cys_searcher *s) {
  const cys_filter cn[] = {{"country", "CN"}};
  check_as(s, "", cn, 1, "country:CN");
  check_as(s, "NOT", cn, 1, "country:CN");
  check_as(s, "OR OR", cn, 1, "country:CN");
  check_as(s, "ransomware NOT", cn, 1, "ransomware country:CN");
  check_as(s, "ransomware OR", cn, 1, "ransomware country:CN");
  check_as(s, "ransomware AND", cn, 1, "ransomware country:CN");
  check_as(s, "\"ransomware", cn, 1, "ransomware country:CN");
  check_as(s, "(ransomware", cn, 1, "ransomware country:CN");
  check_as(s, "\"water utility", cn, 1, "\"water utility\" country:CN");
  check_as(s, "NOT ransomware", cn, 1, "-ransomware country:CN");
  check_as(s, "ransomware OR hospital", cn, 1,
           "(ransomware OR hospital) country:CN");
  /* A filter in the text and one in the list: both apply. */
  check_as(s, "ransomware after:2021", cn, 1,
           "ransomware after:2021 country:CN");
  const cys_filter after[] = {{"after", "2021-01"}};
  check_as(s, "ransomware OR", after, 1, "ransomware after:2021-01");
  check_as(s, "NOT", after, 1, "after:2021-01");

  /* Every hit carries the filter's entity; the unfiltered text finds
   * more (so the filter did something). */
  cys_results *f = run(s, "ransomware NOT", cn, 1);
  cys_results *all = run(s, "ransomware", NULL, 0);
  CHECK(f && all && f->total > 0 && f->total < all->total);
  for (size_t i = 0; f && i < f->nhits; i++)
    CHECK(has_entity(&f->hits[i], "CN"));
  /* Filters select without changing scores. */
  for (size_t i = 0; f && all && i < f->nhits; i++)
    for (size_t k = 0; k < all->nhits; k++)
      if (strcmp(f->hits[i].record->article.id,
                 all->hits[k].record->article.id) == 0)
        CHECK(f->hits[i].score == all->hits[k].score);
  cys_results_free(f);
  cys_results_free(all);
}

/* One field's values are alternatives, different fields all apply. */
static void test_combination(cys_searcher *s) {
  const cys_filter two_countries[] = {{"country", "CN"}, {"country", "RU"}};
  check_as(s, "ransomware", two_countries, 2,
           "ransomware (country:CN OR country:RU)");
  const cys_filter country_and_date[] = {{"country", "China"},
                                         {"date", "2021..2022"},
                                         {"country", "Russia"}};
  check_as(s, "NOT", country_and_date, 3,
           "(country:CN OR country:RU) date:2021..2022");
  const cys_filter sources[] = {{"source", "a.example"},
                                {"site", "c.example"}};
  check_as(s, "ransomware", sources, 2,
           "ransomware (source:a.example OR source:c.example)");
  const cys_filter before[] = {{"before", "2020"}, {"Country", "cn"}};
  check_as(s, "", before, 2, "before:2020 country:CN");
  /* No query text at all (NULL) is the empty text: the filters select. */
  check_as(s, NULL, two_countries, 2, "country:CN OR country:RU");
}

/* A value is taken whole: quotes and operators in it are not syntax. */
static void test_value_whole(cys_searcher *s) {
  const cys_filter spaced[] = {{"actor", "Fancy Bear"}};
  cys_results *r = run(s, "ransomware", spaced, 1);
  CHECK(r && r->total == 0);
  cys_results_free(r);
  const cys_filter injected[] = {{"country", "CN\" OR ransomware \""}};
  cys_results *bad = NULL;
  cys_search_options o;
  cys_search_options_init(&o);
  o.filters = injected;
  o.nfilters = 1;
  CHECK_INT(cys_search(s, "", &o, &bad), CYS_BAD_QUERY);
  CHECK(bad == NULL);
}

/* Unknown fields and values: CYS_BAD_QUERY, naming the filter. */
static void test_errors(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  cys_results *r = NULL;
  const cys_filter narnia[] = {{"country", "CN"}, {"country", "Narnia"}};
  o.filters = narnia;
  o.nfilters = 2;
  CHECK_INT(cys_search(s, "ransomware", &o, &r), CYS_BAD_QUERY);
  CHECK_INT(cys_searcher_bad_filter(s), 1);
  CHECK(strstr(cys_searcher_errmsg(s), "unknown country 'Narnia'") != NULL);

  const cys_filter colour[] = {{"colour", "red"}};
  o.filters = colour;
  o.nfilters = 1;
  CHECK_INT(cys_search(s, "ransomware", &o, &r), CYS_BAD_QUERY);
  CHECK_INT(cys_searcher_bad_filter(s), 0);
  CHECK(strstr(cys_searcher_errmsg(s), "unknown filter field 'colour'") !=
        NULL);

  const cys_filter no_field[] = {{NULL, "x"}};
  o.filters = no_field;
  CHECK_INT(cys_search(s, "ransomware", &o, &r), CYS_BAD_QUERY);
  CHECK_INT(cys_searcher_bad_filter(s), 0);

  const cys_filter year[] = {{"year", "2021-05"}};
  o.filters = year;
  CHECK_INT(cys_search(s, "ransomware", &o, &r), CYS_BAD_QUERY);
  CHECK(strstr(cys_searcher_errmsg(s), "not a year") != NULL);

  /* An error in the text is not a filter's: -1. */
  const cys_filter cn[] = {{"country", "CN"}};
  o.filters = cn;
  CHECK_INT(cys_search(s, "country:Narnia", &o, &r), CYS_BAD_QUERY);
  CHECK_INT(cys_searcher_bad_filter(s), -1);
  CHECK(r == NULL);
  /* ... and a search that works clears it. */
  CHECK_INT(cys_search(s, "ransomware", &o, &r), CYS_OK);
  CHECK_INT(cys_searcher_bad_filter(s), -1);
  cys_results_free(r);
}

/* The copies of stories found in one pass (cys_searcher_story_copies)
 * are the documents story:KEY,KEY selects (up to a run, as indexed:..N),
 * the documents of runs (cys_searcher_run_documents) those indexed:N..
 * selects, and options.docids restricts a search to a list as a filter
 * does; an empty list selects nothing. */
static void test_story_docids(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 100;
  o.suggest = 0;
  o.collapse = 0;
  cys_results *all = NULL;
  CHECK(cys_search(s, "ransomware", &o, &all) == CYS_OK);
  if (!all || all->nhits < 3) {
    CHECK(0);
    cys_results_free(all);
    return;
  }
  const char *keys[3] = {all->hits[0].story, all->hits[2].story,
                         "ffffffffffffffff"}; /* none has this one */
  if (strcmp(keys[0], keys[1]) > 0) {
    const char *t = keys[0];
    keys[0] = keys[1];
    keys[1] = t;
  }
  CHECK(keys[0][0] && strcmp(keys[0], keys[1]) < 0 &&
        strcmp(keys[1], keys[2]) < 0);
  cys_story_copy *copies = NULL;
  size_t ncopies = 0;
  CHECK(cys_searcher_story_copies(s, keys, 3, 0, &copies, &ncopies) ==
            CYS_OK &&
        ncopies == 0 && !copies); /* all were added by run 1 */
  CHECK(cys_searcher_story_copies(s, keys, 3, CYS_ANY_RUN, &copies,
                                  &ncopies) == CYS_OK);
  size_t nany = ncopies;
  free(copies);
  CHECK(cys_searcher_story_copies(s, keys, 3, 1, &copies, &ncopies) ==
            CYS_OK &&
        ncopies == nany);
  char both[64];
  snprintf(both, sizeof both, "%s,%s", keys[0], keys[1]);
  cys_filter story = {"story", both};
  cys_results *want = NULL, *got = NULL, *none = NULL;
  o.filters = &story;
  o.nfilters = 1;
  CHECK(cys_search(s, "", &o, &want) == CYS_OK);
  CHECK(want && want->total > 0 && ncopies == want->total);
  uint32_t docids[NARTICLES];
  for (size_t i = 0; i < ncopies && i < NARTICLES; i++) {
    CHECK(copies[i].story < 2 && (i == 0 || copies[i - 1].docid <
                                                copies[i].docid));
    docids[i] = copies[i].docid;
  }
  cys_results_free(want);
  want = NULL;
  uint32_t *added = NULL;
  size_t nadded = 0;
  CHECK(cys_searcher_run_documents(s, 1, &added, &nadded) == CYS_OK &&
        nadded == NARTICLES && added && added[0] < added[nadded - 1]);
  free(added);
  CHECK(cys_searcher_run_documents(s, 2, &added, &nadded) == CYS_OK &&
        nadded == 0 && !added);
  CHECK(cys_search(s, "ransomware", &o, &want) == CYS_OK);
  o.filters = NULL;
  o.nfilters = 0;
  o.docids = docids;
  o.ndocids = ncopies < NARTICLES ? ncopies : NARTICLES;
  CHECK(cys_search(s, "ransomware", &o, &got) == CYS_OK);
  CHECK(want && got && got->total > 0 && same_hits(got, want));
  o.ndocids = 0;
  CHECK(cys_search(s, "ransomware", &o, &none) == CYS_OK);
  CHECK(none && none->total == 0 && none->nhits == 0);
  free(copies);
  cys_results_free(all);
  cys_results_free(want);
  cys_results_free(got);
  cys_results_free(none);
}

/* Over two shards a posting source sees each shard's own docids: the
 * copies of stories, the documents of runs and options.docids are
 * refused, with a message. */
static void test_docids_refused_over_shards(const char *dir) {
  char path[4096], other[4096];
  snprintf(path, sizeof path, "%s/index", dir);
  snprintf(other, sizeof other, "%s/index2", dir);
  const char *paths[] = {path, other};
  cys_searcher *s = build(other) ? cys_searcher_new() : NULL;
  cys_status opened = s ? cys_searcher_open_shards(s, paths, 2, NULL)
                         : CYS_NOMEM;
  CHECK(opened == CYS_OK);
  if (opened != CYS_OK) {
    fprintf(stderr, "  shards: %s\n", s ? cys_searcher_errmsg(s) : "");
    cys_searcher_free(s);
    return;
  }
  const char *keys[] = {"0123456789abcdef"};
  cys_story_copy *copies = NULL;
  size_t n = 0;
  CHECK(cys_searcher_story_copies(s, keys, 1, CYS_ANY_RUN, &copies, &n) ==
            CYS_INVALID &&
        !copies && *cys_searcher_errmsg(s));
  uint32_t *added = NULL;
  CHECK(cys_searcher_run_documents(s, 1, &added, &n) == CYS_INVALID &&
        !added);
  uint32_t docids[] = {1};
  cys_search_options o;
  cys_search_options_init(&o);
  o.docids = docids;
  o.ndocids = 1;
  cys_results *r = NULL;
  CHECK(cys_search(s, "ransomware", &o, &r) == CYS_INVALID && !r &&
        strstr(cys_searcher_errmsg(s), "one local database"));
  cys_searcher_free(s);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-filters-XXXXXX";
  cys_searcher *s = open_test_index(dir, build);
  CHECK(s != NULL);
  if (s) {
    test_hostile_text(s);
    test_combination(s);
    test_value_whole(s);
    test_errors(s);
    test_story_docids(s);
    test_docids_refused_over_shards(dir);
  }
  cys_searcher_free(s);
  remove_tree(dir);
  return check_done();
}
