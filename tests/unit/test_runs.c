/*
 * test_runs.c — indexing runs recorded in the index (writer.h and
 * search.h, "Runs"): numbers and records, the run slots of added,
 * replaced and unchanged articles, the filters indexed:, changed: and
 * added-since: (in the text and as structured filters), and --sort
 * oldest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"
#include "tempdir.h"

static char index_path[4096];

static cys_writer *open_writer(void) {
  cys_writer *w = cys_writer_new();
  if (w && cys_writer_open(w, index_path, NULL) != CYS_OK) {
    fprintf(stderr, "cannot open %s: %s\n", index_path, cys_writer_errmsg(w));
    cys_writer_free(w);
    w = NULL;
  }
  return w;
}

static void put(cys_writer *w, const char *id, const char *date,
                const char *body) {
  cys_article a = {id, NULL, date, "x.example", NULL, body};
  CHECK_INT(cys_writer_put(w, &a, NULL), CYS_OK);
}

/* How many articles (no collapsing) the query and filters select. */
static long count(const char *query, const cys_filter *filters, size_t n) {
  cys_searcher *s = cys_searcher_new();
  cys_results *r = NULL;
  long total = -1;
  cys_search_options o;
  cys_search_options_init(&o);
  o.collapse = 0;
  o.limit = 0;
  o.exact_total = CYS_COUNT_ALL; /* totals compared, not estimated */
  o.filters = filters;
  o.nfilters = n;
  if (s && cys_searcher_open(s, index_path) == CYS_OK &&
      cys_search(s, query, &o, &r) == CYS_OK)
    total = (long)r->total;
  else if (s)
    fprintf(stderr, "'%s': %s\n", query, cys_searcher_errmsg(s));
  cys_results_free(r);
  cys_searcher_free(s);
  return total;
}

static cys_status search_status(const char *query) {
  cys_searcher *s = cys_searcher_new();
  cys_results *r = NULL;
  cys_search_options o;
  cys_search_options_init(&o);
  cys_status st = cys_searcher_open(s, index_path);
  if (st == CYS_OK)
    st = cys_search(s, query, &o, &r);
  cys_results_free(r);
  cys_searcher_free(s);
  return st;
}

static void test_runs(void) {
  /* Run 1: three articles, the job finished. */
  cys_writer *w = open_writer();
  CHECK(w != NULL);
  if (!w)
    return;
  CHECK_INT((int)cys_writer_run(w), 1);
  put(w, "a", "2020-01-01", "ransomware in a hospital");
  put(w, "b", "2021-01-01", "ransomware in a school");
  put(w, "c", NULL, "ransomware in a bank, undated");
  CHECK_INT(cys_writer_end_run(w), CYS_OK);
  CHECK_INT(cys_writer_run_recorded(w), 1);
  cys_writer_free(w);

  /* A run that changes nothing records nothing: run 2 is not spent. */
  w = open_writer();
  CHECK_INT((int)cys_writer_run(w), 2);
  put(w, "a", "2020-01-01", "ransomware in a hospital");
  CHECK_INT(cys_writer_end_run(w), CYS_OK);
  CHECK_INT(cys_writer_run_recorded(w), 0);
  cys_writer_free(w);

  /* Run 2: b changes, d is new; the job stops before its end. */
  w = open_writer();
  CHECK_INT((int)cys_writer_run(w), 2);
  put(w, "b", "2021-01-01", "ransomware in a school, updated");
  put(w, "d", "2019-01-01", "ransomware in a port");
  CHECK_INT(cys_writer_commit(w), CYS_OK);
  cys_writer_free(w);

  cys_searcher *s = cys_searcher_new();
  CHECK_INT(cys_searcher_open(s, index_path), CYS_OK);
  uint64_t last = 0;
  CHECK_INT(cys_searcher_last_run(s, &last), CYS_OK);
  CHECK_INT((int)last, 2);
  cys_run_record r1, r2, r3;
  CHECK_INT(cys_searcher_run_record(s, 1, &r1), CYS_OK);
  CHECK_INT(cys_searcher_run_record(s, 2, &r2), CYS_OK);
  CHECK_INT(cys_searcher_run_record(s, 3, &r3), CYS_NOT_FOUND);
  CHECK_INT((int)strlen(r1.started), 20);
  CHECK_INT((int)strlen(r1.ended), 20); /* finished */
  CHECK_STR(r2.ended, "");               /* stopped: maybe under way */
  CHECK(strcmp(r1.started, r2.started) <= 0);
  cys_searcher_free(s);

  CHECK_INT(count("indexed:1", NULL, 0), 3);  /* a, b (kept), c */
  CHECK_INT(count("indexed:2", NULL, 0), 1);  /* d */
  CHECK_INT(count("indexed:2..", NULL, 0), 1);
  CHECK_INT(count("indexed:..1", NULL, 0), 3);
  CHECK_INT(count("changed:2", NULL, 0), 2);  /* b, d */
  CHECK_INT(count("changed:1..1", NULL, 0), 2); /* a, c */
  CHECK_INT(count("ransomware -indexed:1", NULL, 0), 1);
  CHECK_INT(count("added-since:2000-01-01", NULL, 0), 4);
  CHECK_INT(count("added-since:2999-01-01T00:00Z", NULL, 0), 0);
  const cys_filter since[] = {{"indexed", "2.."}};
  CHECK_INT(count("ransomware", since, 1), 1);
  const cys_filter changed[] = {{"changed", "2"}, {"changed", "1"}};
  CHECK_INT(count("", changed, 2), 4);
  CHECK_INT(search_status("indexed:two"), CYS_BAD_QUERY);
  CHECK_INT(search_status("indexed:5..2"), CYS_BAD_QUERY);
  CHECK_INT(search_status("added-since:yesterday"), CYS_BAD_QUERY);

  /* Run 3 closes run 2 ("-") and records its own end. */
  w = open_writer();
  CHECK_INT((int)cys_writer_run(w), 3);
  CHECK_INT(cys_writer_delete(w, "a"), CYS_OK);
  CHECK_INT(cys_writer_end_run(w), CYS_OK);
  cys_writer_free(w);
  s = cys_searcher_new();
  CHECK_INT(cys_searcher_open(s, index_path), CYS_OK);
  CHECK_INT(cys_searcher_run_record(s, 2, &r2), CYS_OK);
  CHECK_STR(r2.ended, "-");
  CHECK_INT(cys_searcher_run_record(s, 3, &r3), CYS_OK);
  CHECK_INT((int)strlen(r3.ended), 20);
  cys_searcher_free(s);
}

/* --sort oldest: oldest date first, undated last. */
static void test_sort_oldest(void) {
  cys_sort sort;
  CHECK_INT(cys_sort_parse("oldest", &sort), CYS_OK);
  CHECK_INT(sort, CYS_SORT_OLDEST);
  CHECK_STR(cys_sort_name(CYS_SORT_OLDEST), "oldest");
  cys_searcher *s = cys_searcher_new();
  cys_results *r = NULL;
  cys_search_options o;
  cys_search_options_init(&o);
  o.sort = CYS_SORT_OLDEST;
  o.collapse = 0;
  CHECK_INT(cys_searcher_open(s, index_path), CYS_OK);
  CHECK_INT(cys_search(s, "ransomware", &o, &r), CYS_OK);
  CHECK_INT((int)r->nhits, 3); /* a was deleted */
  if (r->nhits == 3) {
    CHECK_STR(r->hits[0].record->article.id, "d");
    CHECK_STR(r->hits[1].record->article.id, "b");
    CHECK_STR(r->hits[2].record->article.id, "c");
  }
  /* story:KEY: the article with that key (each is its own story here),
   * alone, with text, and ORed with another. */
  char q[128];
  if (r->nhits == 3) {
    CHECK_INT((int)strlen(r->hits[0].story), 16);
    snprintf(q, sizeof q, "story:%s", r->hits[0].story);
    CHECK_INT(count(q, NULL, 0), 1);
    snprintf(q, sizeof q, "ransomware story:%s", r->hits[1].story);
    CHECK_INT(count(q, NULL, 0), 1);
    snprintf(q, sizeof q, "bank story:%s", r->hits[1].story);
    CHECK_INT(count(q, NULL, 0), 0);
    const cys_filter stories[] = {{"story", r->hits[0].story},
                                  {"story", r->hits[2].story}};
    CHECK_INT(count("ransomware", stories, 2), 2);
    snprintf(q, sizeof q, "story:%s,%s", r->hits[0].story, r->hits[1].story);
    CHECK_INT(count(q, NULL, 0), 2);
  }
  CHECK_INT(search_status("story:0123"), CYS_BAD_QUERY);
  CHECK_INT(search_status("story:0123456789abcdef,"), CYS_BAD_QUERY);
  cys_results_free(r);
  cys_searcher_free(s);
}

int main(void) {
  char dir[] = "/tmp/cysearch-runs-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(index_path, sizeof index_path, "%s/index", dir);
  test_runs();
  test_sort_oldest();
  remove_tree(dir);
  return check_done();
}
