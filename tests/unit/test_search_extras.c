/*
 * test_search_extras.c — the search options beyond plain ranking, end to
 * end through cys_writer and cys_searcher on a small made-up index: sort by
 * date and by freshness, near-duplicate collapsing (keys written by the
 * writer, counts and exact totals at search time), "did you mean",
 * articles like another, score explanations that add up to the score,
 * time limits, facets counted per story, which options an index can
 * run, and hits read briefly.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "tempdir.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"

/* One story, and a light rewrite of it (a syndicated copy). */
static const char *const story =
    "Researchers at Northwind Labs say a ransomware crew called Glass Heron "
    "broke into the network of a regional water utility in Ohio, encrypted "
    "billing servers and demanded four million dollars. The intruders used "
    "a stolen VPN password and a vulnerable file transfer appliance, then "
    "moved to domain controllers within hours. Operators switched pumps to "
    "manual control while engineers restored systems from offline backups. "
    "The utility said drinking water was never at risk and that customer "
    "payment data may have been copied before the encryption started.";
static const char *const rewrite =
    "Researchers at Northwind Labs report that a ransomware crew called "
    "Glass Heron broke into the network of a regional water utility in "
    "Ohio, encrypted billing servers and demanded four million dollars. The "
    "intruders used a stolen VPN password and a vulnerable file transfer "
    "appliance, then moved to domain controllers within hours. Staff "
    "switched pumps to manual control while engineers restored systems from "
    "offline backups. The utility said drinking water was never in danger "
    "and that customer payment data may have been copied before encryption.";
/* The same topic, another story: shares words, not the text. */
static const char *const other =
    "A second water utility, in Texas, disclosed a ransomware attack on "
    "Monday. Its chief executive said the attackers, who have not been "
    "named, disrupted the call centre and online payments for three days. "
    "No operational technology was affected, according to the statement, "
    "and the company is working with the FBI and outside investigators to "
    "find out how the attackers got in and what they took from its "
    "servers.";

typedef struct art {
  const char *id, *title, *date, *body;
} art;

static const art articles[] = {
    {"copy-a", "Ransomware crew Glass Heron hits Ohio water utility",
     "2024-01-10", NULL},
    {"copy-b", "Glass Heron ransomware attack hits Ohio water utility",
     "2024-01-11", NULL},
    {"other", "Texas water utility discloses ransomware attack", "2024-01-12",
     NULL},
    /* the story's text again, two years earlier: another event */
    {"old-copy", "Ransomware crew Glass Heron hits Ohio water utility",
     "2022-01-10", NULL},
    /* one-line items that differ in one word are different items */
    {"short-1", "Vendor 3 ships firmware", "2024-01-10",
     "Vendor 3 ships a firmware update for routers."},
    {"short-2", "Vendor 4 ships firmware", "2024-01-10",
     "Vendor 4 ships a firmware update for routers."},
    /* freshness: equally relevant, years apart */
    {"sat-fresh", "Satellite operator reports jamming", "2024-06-01",
     "A satellite operator reports jamming of its satellite links."},
    {"sat-stale", "Satellite operator reports jamming", "2015-06-01",
     "A satellite operator reports jamming of its satellite links."},
    {"sat-undated", "Satellite operator reports jamming", NULL,
     "A satellite operator reports jamming of its satellite links."},
    {"us-hackers", "US agencies warn of hackers", "2023-03-03",
     "The US and allied agencies warn that hackers target water systems. "
     "The advisory from US officials lists ransomware among the threats."},
    /* "hospital" and "ransomware" far apart, "clinic" next to "ransomware" */
    {"far-apart", "Clinic notes", "2023-04-04",
     "A hospital in the north opened a new wing for children this spring, "
     "with twelve beds, a garden, a library, a small cinema and a kitchen "
     "run by volunteers from the town and students from the college. In "
     "other news, clinic ransomware struck a dentist."},
    /* words that share their stems with the names of fields */
    {"sources", "Leak sources named", "2023-05-05",
     "Three sources named the titles of the leaked reports."},
};
#define NARTICLES (sizeof articles / sizeof *articles)

static int build(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  for (size_t i = 0; ok && i < NARTICLES; i++) {
    const art *a = &articles[i];
    const char *body = a->body                        ? a->body
                       : strcmp(a->id, "copy-b") == 0 ? rewrite
                       : strcmp(a->id, "other") == 0  ? other
                                                      : story;
    cys_article x = {a->id, a->title, a->date, "example.org", NULL, body};
    ok = cys_writer_put(w, &x, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

static cys_results *run(cys_searcher *s, const char *q,
                        const cys_search_options *o) {
  cys_results *r = NULL;
  cys_status st = cys_search(s, q, o, &r);
  if (st != CYS_OK)
    fprintf(stderr, "search '%s': %s\n", q, cys_searcher_errmsg(s));
  return st == CYS_OK ? r : NULL;
}

static const cys_hit *hit(const cys_results *r, const char *id) {
  for (size_t i = 0; r && i < r->nhits; i++)
    if (strcmp(r->hits[i].record->article.id, id) == 0)
      return &r->hits[i];
  return NULL;
}

static void test_collapse(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 50;
  CHECK_INT(o.collapse, 1); /* the default */
  cys_results *r = run(s, "glass heron ohio water", &o);
  CHECK(r != NULL);
  /* copy-a and copy-b are one story; old-copy (two years earlier) and
   * other (another story) are not folded into it */
  const cys_hit *a = hit(r, "copy-a"), *b = hit(r, "copy-b");
  CHECK((a != NULL) != (b != NULL));
  CHECK_INT(a ? a->duplicates : b ? b->duplicates : 99, 1);
  CHECK(hit(r, "old-copy") != NULL && hit(r, "other") != NULL);
  CHECK_INT(hit(r, "old-copy") ? hit(r, "old-copy")->duplicates : 9, 0);
  CHECK_INT(hit(r, "other") ? hit(r, "other")->duplicates : 9, 0);
  CHECK(r && r->total_exact);
  CHECK_INT(r ? r->total : 0, r ? r->nhits : 99);
  uint64_t collapsed_total = r ? r->total : 0;
  cys_results_free(r);

  o.collapse = 0;
  r = run(s, "glass heron ohio water", &o);
  CHECK(hit(r, "copy-a") && hit(r, "copy-b"));
  CHECK_INT(hit(r, "copy-a") ? hit(r, "copy-a")->duplicates : 9, 0);
  CHECK_INT(r ? r->total : 0, collapsed_total + 1);
  CHECK(r && r->total_exact);
  cys_results_free(r);

  /* an exact copy collapses even without a date to agree on */
  o.collapse = 1;
  r = run(s, "satellite jamming", &o);
  CHECK_INT(r ? r->total : 0, 2); /* fresh and stale: 9 years apart */
  CHECK_INT(hit(r, "sat-undated") ? 9 : 0, 0);
  cys_results_free(r);

  /* one-line items differing in one word stay apart */
  r = run(s, "firmware routers", &o);
  CHECK(hit(r, "short-1") && hit(r, "short-2"));
  CHECK_INT(r ? r->total : 0, 2);
  cys_results_free(r);

  /* facets count stories, as the total does */
  o.facets = 1u << CYS_FACET_YEAR;
  r = run(s, "glass heron", &o);
  uint64_t y2024 = 0;
  for (size_t i = 0; r && i < r->facets[CYS_FACET_YEAR].n; i++)
    if (strcmp(r->facets[CYS_FACET_YEAR].values[i].value, "2024") == 0)
      y2024 = r->facets[CYS_FACET_YEAR].values[i].count;
  CHECK_INT(y2024, 1); /* copy-a and copy-b: one story */
  cys_results_free(r);
}

static void test_sort(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 50;
  cys_sort sort;
  CHECK_INT(cys_sort_parse("date", &sort), CYS_OK);
  CHECK_INT(sort, CYS_SORT_DATE);
  CHECK_INT(cys_sort_parse("recent", &sort), CYS_OK);
  CHECK_INT(sort, CYS_SORT_RECENT);
  CHECK_INT(cys_sort_parse("newest", &sort), CYS_NOT_FOUND);
  CHECK_STR(cys_sort_name(CYS_SORT_RELEVANCE), "relevance");

  /* date: newest first, undated last, whatever the scores (no collapsing:
   * sat-undated is an exact copy, which collapses even without a date) */
  o.sort = CYS_SORT_DATE;
  o.collapse = 0;
  cys_results *r = run(s, "satellite ransomware water", &o);
  int ordered = r && r->nhits > 3;
  for (size_t i = 1; r && i < r->nhits; i++) {
    const char *prev = r->hits[i - 1].record->article.date;
    const char *cur = r->hits[i].record->article.date;
    if (!prev && cur)
      ordered = 0; /* an undated hit before a dated one */
    if (prev && cur && strcmp(prev, cur) < 0)
      ordered = 0;
  }
  CHECK(ordered);
  CHECK_STR(r && r->nhits ? r->hits[r->nhits - 1].record->article.id : "",
            "sat-undated");
  cys_results_free(r);

  /* relevance: the three satellite copies tie, index order decides; recent:
   * the fresh one first, the undated one last */
  o.sort = CYS_SORT_RELEVANCE;
  o.collapse = 0;
  r = run(s, "satellite jamming", &o);
  CHECK(r && r->nhits == 3);
  CHECK(r && r->nhits == 3 && fabs(r->hits[0].score - r->hits[2].score) < 1e-9);
  cys_results_free(r);
  o.sort = CYS_SORT_RECENT;
  r = run(s, "satellite jamming", &o);
  CHECK(r && r->nhits == 3);
  CHECK_STR(r && r->nhits == 3 ? r->hits[0].record->article.id : "",
            "sat-fresh");
  CHECK_STR(r && r->nhits == 3 ? r->hits[1].record->article.id : "",
            "sat-stale");
  /* the bonus: half the best score at the newest date (2024-06-01 is the
   * newest in the index), 2^(-9 years / 180 days) of it for the stale one */
  if (r && r->nhits == 3) {
    double base = r->hits[2].score; /* undated: no bonus */
    CHECK(fabs(r->hits[0].score - 1.5 * base) < 1e-6 * base);
    CHECK(r->hits[1].score > base && r->hits[1].score < base * 1.001);
  }
  cys_results_free(r);
  /* a longer half-life keeps more of the bonus for the old one */
  o.half_life_days = 10000;
  r = run(s, "satellite jamming", &o);
  CHECK(r && r->nhits == 3 && r->hits[1].score > r->hits[2].score * 1.2);
  cys_results_free(r);
}

static void test_suggest(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  cys_results *r = run(s, "ransomwre", &o);
  CHECK_STR(r ? r->suggestion : NULL, "ransomware");
  cys_results_free(r);
  /* signs, fields and filters stay as typed */
  r = run(s, "+ransomwre title:utilty year:2024", &o);
  CHECK_STR(r ? r->suggestion : NULL, "+ransomware title:utility year:2024");
  cys_results_free(r);
  /* words the index knows well: nothing to suggest */
  r = run(s, "ransomware water", &o);
  CHECK(r && r->suggestion == NULL);
  cys_results_free(r);
  /* nothing close enough */
  r = run(s, "qzxvbn", &o);
  CHECK(r && r->suggestion == NULL);
  cys_results_free(r);
  o.suggest = 0;
  r = run(s, "ransomwre", &o);
  CHECK(r && r->suggestion == NULL);
  cys_results_free(r);
}

static void test_like(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.like = "copy-a";
  o.collapse = 0;
  o.limit = 50;
  cys_results *r = run(s, "", &o);
  CHECK(r && r->nhits >= 2);
  CHECK(hit(r, "copy-a") == NULL); /* never the article itself */
  const char *first = r && r->nhits ? r->hits[0].record->article.id : "";
  CHECK(strcmp(first, "copy-b") == 0 || strcmp(first, "old-copy") == 0);
  CHECK(hit(r, "sat-fresh") == NULL); /* nothing in common */
  cys_results_free(r);
  /* a query narrows them */
  r = run(s, "year:2022", &o);
  CHECK(r && r->nhits == 1 && hit(r, "old-copy"));
  cys_results_free(r);
  /* an unknown id is an error that says so */
  o.like = "no-such-article";
  r = NULL;
  CHECK_INT(cys_search(s, "", &o, &r), CYS_NOT_FOUND);
  CHECK(r == NULL);
  CHECK(strstr(cys_searcher_errmsg(s), "no-such-article") != NULL);
}

/* The explanation of every hit adds up to its score. */
static int explained(const cys_results *r) {
  int ok = r != NULL;
  for (size_t i = 0; r && i < r->nhits; i++) {
    const cys_hit *h = &r->hits[i];
    double sum = 0;
    for (size_t k = 0; k < h->nexplain; k++)
      sum += h->explain[k].weight;
    if (fabs(sum - h->score) > 1e-9 + 1e-6 * h->score) {
      fprintf(stderr, "explain: %s: parts %.9f, score %.9f\n",
              h->record->article.id, sum, h->score);
      ok = 0;
    }
  }
  return ok;
}

static int has_part(const cys_hit *h, const char *what, const char *field) {
  for (size_t k = 0; h && k < h->nexplain; k++)
    if (strcmp(h->explain[k].what, what) == 0 &&
        strcmp(h->explain[k].field, field) == 0)
      return 1;
  return 0;
}

static void test_explain(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.explain = 1;
  o.limit = 50;
  cys_results *r = run(s, "ransomware water", &o);
  CHECK(r && r->nhits > 0 && explained(r));
  const cys_hit *h = hit(r, "other");
  CHECK(has_part(h, "water", "text") && has_part(h, "ransomware", "text"));
  CHECK(has_part(h, "water", "title")); /* the title weight */
  cys_results_free(r);
  r = run(s, "\"water utility\" US hackers", &o);
  CHECK(r && explained(r));
  h = hit(r, "us-hackers");
  CHECK(has_part(h, "US", "acronym") && has_part(h, "hackers", "text"));
  CHECK(has_part(hit(r, "copy-a") ? hit(r, "copy-a") : hit(r, "copy-b"),
                 "water utility", "phrase"));
  cys_results_free(r);
  o.sort = CYS_SORT_RECENT;
  r = run(s, "satellite jamming", &o);
  CHECK(r && explained(r));
  CHECK(has_part(hit(r, "sat-fresh"), "recency", "recency"));
  CHECK(!has_part(hit(r, "sat-undated"), "recency", "recency"));
  cys_results_free(r);
  /* NEAR groups and phrases that only add weight are checked for their
   * positions (Xapian 1.4.22 skipped that for them under an OR on the
   * right of AND_MAYBE: far-apart got the weight of "hospital NEAR
   * ransomware", and the parts did not add up) */
  o.sort = CYS_SORT_RELEVANCE;
  r = run(s, "+ransomware hospital NEAR ransomware clinic NEAR ransomware",
          &o);
  CHECK(r && explained(r));
  CHECK(hit(r, "far-apart") && !has_part(hit(r, "far-apart"),
                                         "hospital ransomware", "proximity"));
  CHECK(has_part(hit(r, "far-apart"), "clinic ransomware", "proximity"));
  cys_results_free(r);
  r = run(s, "+ransomware \"water utility\" hospital clinic", &o);
  CHECK(r && explained(r));
  cys_results_free(r);

  /* A stem is shown as the word of the query that has it, as the parser
   * read it: "sources", not the field name "source" before it. */
  r = run(s, "source:example.org sources", &o);
  CHECK(r && explained(r));
  CHECK(has_part(hit(r, "sources"), "sources", "text"));
  CHECK(!has_part(hit(r, "sources"), "source", "text"));
  cys_results_free(r);

  /* filters alone: a score of 0, nothing to explain */
  o.sort = CYS_SORT_RELEVANCE;
  r = run(s, "year:2015", &o);
  CHECK(r && r->nhits == 1 && r->hits[0].nexplain == 0 && explained(r));
  cys_results_free(r);
  /* off: no explanation */
  o.explain = 0;
  r = run(s, "ransomware", &o);
  CHECK(r && r->nhits > 0 && r->hits[0].explain == NULL);
  cys_results_free(r);
}

static void test_time_limit(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.time_limit = 2.0; /* far more than this index needs: totals exact */
  cys_results *r = run(s, "ransomware", &o);
  CHECK(r && r->total_exact && r->total > 0);
  cys_results_free(r);
}

/* What an index can do with the options: a local index everything (the
 * refusals over remote shards are in test_shards.sh); a searcher with no
 * index open nothing, and the message says so. */
static void test_check_options(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.sort = CYS_SORT_RECENT;
  o.explain = 1;
  CHECK_INT(cys_searcher_check_options(s, &o), CYS_OK);
  cys_searcher *closed = cys_searcher_new();
  CHECK(closed != NULL);
  if (closed) {
    CHECK_INT(cys_searcher_check_options(closed, &o), CYS_INVALID);
    CHECK(strstr(cys_searcher_errmsg(closed), "not open") != NULL);
  }
  cys_searcher_free(closed);
}

/* Hits read briefly (options.brief): the same hits, ranks, scores and
 * stories, with the id, title, date, source and url of the full record and
 * nothing after them. */
static void test_brief(cys_searcher *s) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 20;
  cys_results *full = NULL, *brief = NULL;
  CHECK_INT(cys_search(s, "ransomware", &o, &full), CYS_OK);
  o.brief = 1;
  CHECK_INT(cys_search(s, "ransomware", &o, &brief), CYS_OK);
  CHECK(full && brief && full->nhits > 1 && brief->nhits == full->nhits);
  for (size_t i = 0; full && brief && i < full->nhits && i < brief->nhits;
       i++) {
    const cys_hit *f = &full->hits[i], *b = &brief->hits[i];
    const cys_article *fa = &f->record->article, *ba = &b->record->article;
    CHECK_STR(ba->id, fa->id);
    CHECK(b->score == f->score && b->rank == f->rank &&
          b->duplicates == f->duplicates && strcmp(b->story, f->story) == 0);
    CHECK(!fa->title == !ba->title && (!fa->title ||
                                       strcmp(fa->title, ba->title) == 0));
    CHECK(!fa->date == !ba->date &&
          (!fa->date || strcmp(fa->date, ba->date) == 0));
    CHECK(!fa->source == !ba->source &&
          (!fa->source || strcmp(fa->source, ba->source) == 0));
    CHECK(fa->body && !ba->body && b->record->body_len == 0);
    CHECK(f->snippet && !b->snippet && b->nentities == 0);
  }
  cys_results_free(full);
  cys_results_free(brief);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-extras-XXXXXX";
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
    test_collapse(s);
    test_sort(s);
    test_suggest(s);
    test_like(s);
    test_explain(s);
    test_time_limit(s);
    test_check_options(s);
    test_brief(s);
  }
  cys_searcher_free(s);
  remove_tree(dir);
  return check_done();
}
