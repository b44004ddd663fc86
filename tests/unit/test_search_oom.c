/*
 * test_search_oom.c — allocation failure in the search path and in the
 * writer's collapse key: every allocation our C code makes while searching
 * (with freshness, facets, explanations, a spelling suggestion, collapsing,
 * a timeline)
 * or looking for articles like another, and while writing an article that
 * has a near-duplicate, is failed in turn (malloc, calloc and realloc are
 * wrapped at link time, see tests/CMakeLists.txt).  Each operation must
 * return CYS_NOMEM or succeed — never crash, never report another error;
 * under AddressSanitizer this also proves the failure paths free what they
 * took.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "failing_alloc.h"
#include "tempdir.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"


static const char *const body =
    "Researchers say the ransomware crew Glass Heron broke into a water "
    "utility in Ohio, encrypted billing servers and demanded four million "
    "dollars after using a stolen VPN password. Operators switched pumps to "
    "manual control while engineers restored systems from offline backups, "
    "and the US agencies CISA and FBI are investigating the attack.";

static char index_path[4096];
static cys_searcher *searcher;
static cys_writer *writer;

static cys_status put(const char *id, const char *date, const char *url) {
  cys_article a = {id, "Glass Heron ransomware hits Ohio water utility", date,
                   "example.org", url, body};
  return cys_writer_put(writer, &a, NULL);
}

static cys_status op_search(void) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.explain = 1;
  o.sort = CYS_SORT_RECENT;
  o.facets = (1u << CYS_FACETS) - 1;
  const cys_filter filters[] = {
      {"country", "US"}, {"after", "2020"}, {"country", "CN"}};
  o.filters = filters;
  o.nfilters = 3;
  cys_results *r = NULL;
  cys_status st =
      cys_search(searcher, "ransomwre \"water utility\" US country:US", &o, &r);
  cys_results_free(r);
  return st;
}

static cys_status op_like(void) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.like = "a";
  o.explain = 1;
  o.sort = CYS_SORT_DATE;
  cys_results *r = NULL;
  cys_status st = cys_search(searcher, "year:2024", &o, &r);
  cys_results_free(r);
  return st;
}

/* A timeline by week, one series per country, facets with their first
 * and last dates (search_timeline.c). */
static cys_status op_timeline(void) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.facets = 1u << CYS_ENTITY_COUNTRY;
  o.facet_dates = 1;
  o.timeline = CYS_TIMELINE_WEEK;
  o.timeline_facet = CYS_ENTITY_COUNTRY;
  o.exact_total = CYS_COUNT_ALL;
  cys_results *r = NULL;
  cys_status st = cys_search(searcher, "ransomware", &o, &r);
  if (st == CYS_OK && (!r->timeline || r->timeline->nperiods < 2 ||
                       r->timeline->nseries < 1))
    st = CYS_INVALID; /* reported as another error */
  cys_results_free(r);
  return st;
}

/* Writing an article whose near-duplicate is in the index: the collapse
 * key reads the candidate's terms.  Each run puts the same id again with
 * another url (so it is REPLACED, never UNCHANGED): every run does the
 * same work. */
static int generation;
static cys_status op_put(void) {
  char url[64];
  snprintf(url, sizeof url, "https://example.org/%d", generation++);
  return put("b", "2024-01-11", url);
}

static void fail_each(const char *name, cys_status (*op)(void), long max) {
  long n;
  int bad = 0;
  for (n = 1; n <= max; n++) {
    fail_at = n;
    allocations = 0;
    cys_status st = op();
    long used = allocations;
    fail_at = -1;
    if (st != CYS_OK && st != CYS_NOMEM) {
      fprintf(stderr, "%s: allocation %ld failed: status %s\n", name, n,
              cys_status_str(st));
      bad++;
    }
    if (used < n) /* every allocation has been failed once */
      break;
  }
  CHECK_INT(bad, 0);
  CHECK(n <= max); /* the loop ended by running out of allocations */
  printf("%s: %ld allocations failed in turn\n", name, n - 1);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-soom-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(index_path, sizeof index_path, "%s/index", dir);
  writer = cys_writer_new();
  CHECK(writer && cys_writer_open(writer, index_path, NULL) == CYS_OK);
  CHECK_INT(put("a", "2024-01-10", NULL), CYS_OK);
  CHECK_INT(put("c", "2019-05-01", NULL), CYS_OK);
  CHECK_INT(op_put(), CYS_OK);
  fail_each("writer with a near-duplicate", op_put, 20000);
  CHECK_INT(cys_writer_commit(writer), CYS_OK);
  cys_writer_free(writer);

  searcher = cys_searcher_new();
  CHECK(searcher && cys_searcher_open(searcher, index_path) == CYS_OK);
  CHECK_INT(op_search(), CYS_OK);
  CHECK_INT(op_like(), CYS_OK);
  fail_each("search", op_search, 20000);
  fail_each("like", op_like, 20000);
  CHECK_INT(op_timeline(), CYS_OK);
  fail_each("timeline", op_timeline, 20000);
  cys_searcher_free(searcher);
  remove_tree(dir);
  return check_done();
}
