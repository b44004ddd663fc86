/*
 * test_collapse_pool.c — collapsing near-duplicates (xapian_shim_match.cc,
 * collapse_match) through cys_search, both ways it runs: in the match by
 * Xapian's collapser, and on a ranked pool (remote shards, or more than
 * 10,000 matches examined) that must grow until the page holds enough
 * stories when the copies of one story outrank every other.  Pages count
 * stories; both ways give the same hits, pages and sort orders; totals
 * and copy counts are exact when every match was counted, estimates (and
 * labelled so) when not; facets count each story once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tempdir.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"

#define COPIES 200 /* more than the first pool of a 3-hit page (160) */

static const char *const story =
    "Glass Heron operators pushed a malicious update to a billing vendor, "
    "and the update reached dozens of water utilities across Ohio before "
    "the vendor noticed. Investigators said the ransomware spread through "
    "the vendor's remote support channel and encrypted servers at night. "
    "Several utilities switched to manual operation while they restored "
    "their systems from offline backups, and none reported danger to the "
    "drinking water supply.";

/* Other stories: they match "ransomware" once, so they rank below the
 * copies, which also carry it in the title. */
static const char *const others[] = {
    "A hospital in Texas lost access to patient records for two days after "
    "a ransomware infection spread from a contractor laptop to its network.",
    "Police in Rotterdam arrested two suspects over a ransomware scheme that "
    "targeted shipping firms, seizing servers and cryptocurrency wallets.",
    "A university in Scotland postponed exams when ransomware encrypted its "
    "learning platform; the institution refused to pay the criminals.",
    "Researchers published a free decryptor for a ransomware strain that "
    "reused one key for every victim, helping companies in Brazil recover.",
};
#define NOTHERS (sizeof others / sizeof *others)

/* Stories of their own that mention Ohio once, each longer than the one
 * before (so each weighs less for "ohio"): with the copies, more stories
 * than the collapsing match keeps in hand (40). */
#define FILLERS 300
static const char *const filler_words[] = {
    "audit",  "budget", "council", "debate", "estate", "festival",
    "garden", "harbor", "island",  "jury",   "kiosk",  "library"};

static void filler(int i, char *out, size_t size) {
  size_t at = (size_t)snprintf(out, size, "Ohio filler story %d:", i);
  for (int k = 0; k < 8 + i && at + 24 < size; k++)
    at += (size_t)snprintf(out + at, size - at, " %s%d",
                           filler_words[(i + k) % 12], (i * 31 + k) % 997);
}

static int build(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  char id[32];
  for (int i = 0; ok && i < COPIES; i++) {
    snprintf(id, sizeof id, "copy-%02d", i);
    cys_article a = {id, "Ransomware reaches Ohio water utilities",
                     "2024-02-01", "copies.example", NULL, story};
    ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  for (size_t i = 0; ok && i < NOTHERS; i++) {
    snprintf(id, sizeof id, "other-%zu", i);
    cys_article a = {id, "Incident report", "2024-03-01", "others.example",
                     NULL, others[i]};
    ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  static char body[8192];
  for (int i = 0; ok && i < FILLERS; i++) {
    snprintf(id, sizeof id, "filler-%03d", i);
    filler(i, body, sizeof body);
    char date[16];
    snprintf(date, sizeof date, "2023-%02d-%02d", 1 + i % 12, 1 + i % 28);
    cys_article a = {id, "Local notes", date, "fillers.example", NULL, body};
    ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

static cys_results *search_for(cys_searcher *s, const char *text,
                               const cys_search_options *o) {
  cys_results *r = NULL;
  if (cys_search(s, text, o, &r) != CYS_OK) {
    fprintf(stderr, "search: %s\n", cys_searcher_errmsg(s));
    return NULL;
  }
  return r;
}

static cys_results *search(cys_searcher *s, const cys_search_options *o) {
  return search_for(s, "ransomware", o);
}

static int is_copy(const cys_hit *h) {
  return strncmp(h->record->article.id, "copy-", 5) == 0;
}

static void test_page_of_stories(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 3;
  o.snippet_bytes = 0;
  cys_results *r = search(s, &o);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK_INT(r->nhits, 3);
  CHECK(r->total_exact);
  CHECK_INT(r->total, 1 + NOTHERS);
  if (r->nhits == 3) {
    CHECK(is_copy(&r->hits[0]));
    CHECK_INT(r->hits[0].duplicates, COPIES - 1);
    CHECK(!is_copy(&r->hits[1]) && !is_copy(&r->hits[2]));
    CHECK_INT(r->hits[1].duplicates, 0);
    CHECK_INT(r->hits[1].rank, 2);
    CHECK_INT(r->hits[2].rank, 3);
  }
  cys_results_free(r);

  /* The second page starts at the second story. */
  o.offset = 1;
  o.limit = 2;
  r = search(s, &o);
  CHECK(r && r->nhits == 2);
  for (size_t i = 0; r && i < r->nhits; i++) {
    CHECK(!is_copy(&r->hits[i]));
    CHECK_INT(r->hits[i].rank, 2 + i);
  }
  cys_results_free(r);

  /* Past the last story: nothing, and the total still counts stories. */
  o.offset = 1 + NOTHERS;
  r = search(s, &o);
  CHECK(r && r->nhits == 0 && r->total == 1 + NOTHERS);
  cys_results_free(r);
}

static void test_facets_per_story(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.snippet_bytes = 0;
  o.facets = 1u << CYS_FACET_SOURCE;
  cys_results *r = search(s, &o);
  CHECK(r != NULL);
  if (!r)
    return;
  const cys_facet_value *v = r->facets[CYS_FACET_SOURCE].values;
  size_t n = r->facets[CYS_FACET_SOURCE].n;
  CHECK_INT(n, 2);
  if (n == 2) { /* four stories from one source, one (60 copies) from the other */
    CHECK_STR(v[0].value, "others.example");
    CHECK_INT(v[0].count, NOTHERS);
    CHECK_STR(v[1].value, "copies.example");
    CHECK_INT(v[1].count, 1);
  }
  cys_results_free(r);

  o.collapse = 0; /* every article counts */
  r = search(s, &o);
  CHECK(r && r->total == COPIES + NOTHERS && r->total_exact);
  if (r && r->facets[CYS_FACET_SOURCE].n == 2)
    CHECK_INT(r->facets[CYS_FACET_SOURCE].values[0].count, COPIES);
  cys_results_free(r);
}

static void test_estimated(cys_searcher *s) {
  /* By default the match examines what the page needs: the copies fill
   * the first place, and of the 300 fillers behind them the lightest are
   * never examined once 40 stories are in hand.  The total is an
   * estimate, labelled so, whose bounds hold the true number of stories;
   * copies are a lower bound. */
  const uint64_t stories = 1 + FILLERS;
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 1;
  o.snippet_bytes = 0;
  cys_results *r = search_for(s, "ohio", &o);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK(!r->total_exact);
  CHECK(r->total_lower <= r->total && r->total <= r->total_upper);
  CHECK(r->total_lower <= stories && stories <= r->total_upper);
  CHECK_INT(r->nhits, 1);
  if (r->nhits == 1) {
    CHECK(is_copy(&r->hits[0]));
    CHECK(r->hits[0].duplicates >= 1 && r->hits[0].duplicates <= COPIES - 1);
  }
  cys_results_free(r);

  /* CYS_COUNT_ALL counts every match: the same page, exact numbers. */
  o.exact_total = CYS_COUNT_ALL;
  r = search_for(s, "ohio", &o);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK(r->total_exact);
  CHECK_INT(r->total, stories);
  CHECK_INT(r->total_lower, stories);
  CHECK_INT(r->total_upper, stories);
  CHECK_INT(r->nhits, 1);
  if (r->nhits == 1) {
    CHECK(is_copy(&r->hits[0]));
    CHECK_INT(r->hits[0].duplicates, COPIES - 1);
  }
  cys_results_free(r);

  /* A match that had to see every match to fill its page (three stories
   * lie behind all the copies) is exact whatever it was asked to count. */
  o.exact_total = 10;
  o.limit = 3;
  r = search(s, &o);
  CHECK(r && r->total_exact && r->total == 1 + NOTHERS);
  cys_results_free(r);
}

/* The two ways of collapsing give the same pages: in the match (facets
 * over the default sample) and on a pool (facets over 20,000 matches, more
 * than the collapsing match takes), pages of 10 from the first to past
 * the last story, by relevance and by date. */
static void test_same_pages(cys_searcher *s) {
  const cys_sort sorts[] = {CYS_SORT_RELEVANCE, CYS_SORT_DATE};
  int compared = 0, differ = 0;
  for (size_t k = 0; k < sizeof sorts / sizeof *sorts; k++)
    for (size_t offset = 0; offset <= 1 + FILLERS; offset += 37) {
      cys_search_options o;
      cys_search_options_init(&o);
      o.snippet_bytes = 0;
      o.limit = 10;
      o.offset = offset;
      o.sort = sorts[k];
      o.facets = 1u << CYS_FACET_SOURCE;
      cys_results *in_match = search_for(s, "ohio", &o);
      o.facet_sample = 20000;
      cys_results *pool = search_for(s, "ohio", &o);
      CHECK(in_match && pool);
      if (!in_match || !pool) {
        cys_results_free(in_match);
        cys_results_free(pool);
        return;
      }
      compared++;
      int same = in_match->nhits == pool->nhits;
      for (size_t i = 0; same && i < in_match->nhits; i++)
        same = strcmp(in_match->hits[i].record->article.id,
                      pool->hits[i].record->article.id) == 0 &&
               in_match->hits[i].rank == pool->hits[i].rank;
      if (!same) {
        differ++;
        fprintf(stderr, "sort %d offset %zu: %zu hits in the match, %zu "
                "on a pool\n", (int)sorts[k], offset, in_match->nhits,
                pool->nhits);
      }
      cys_results_free(in_match);
      cys_results_free(pool);
    }
  CHECK(compared > 10);
  CHECK_INT(differ, 0);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-collapse-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/index", dir);
  CHECK(build(path));
  cys_searcher *s = cys_searcher_new();
  CHECK(s && cys_searcher_open(s, path) == CYS_OK);
  if (s) {
    test_page_of_stories(s);
    test_facets_per_story(s);
    test_estimated(s);
    test_same_pages(s);
  }
  cys_searcher_free(s);
  remove_tree(dir);
  return check_done();
}
