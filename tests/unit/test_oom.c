/*
 * test_oom.c — allocation failure: every allocation our C code makes is
 * failed in turn (malloc, calloc and realloc are wrapped at link time, see
 * tests/CMakeLists.txt), and each operation must return CYS_NOMEM (or
 * succeed, when the failed allocation had a fallback) — never crash, never
 * abort.  Run under AddressSanitizer, this also proves the failure paths
 * free what they took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "failing_alloc.h"
#include "cysearch/analyze.h"
#include "cysearch/entity.h"
#include "cysearch/query.h"
#include "cysearch/store.h"
#include "cysearch/utf8.h"
#include "snippet.h"


static const char *const text =
    "Hackers linked to China exploited CVE-2021-44228 at hxxps://evil[.]com "
    "and 1.2.3[.]4, said the U.S. NSA; APT 28 (Fancy Bear) used WannaCry.";

static int count_token(void *ctx, const cys_token *t) {
  (void)t;
  ++*(int *)ctx;
  return 0;
}

static cys_status op_analyze(void) {
  cys_analyzer *a = NULL;
  cys_status st = cys_analyzer_new(NULL, &a);
  int n = 0;
  if (st == CYS_OK)
    st = cys_analyze(a, text, strlen(text), count_token, &n);
  cys_analyzer_free(a);
  return st;
}

static cys_status op_store(void) {
  cys_article art = {.id = "x", .title = "T", .body = text};
  unsigned char *data = NULL;
  size_t len = 0;
  cys_record *rec = NULL;
  cys_status st = cys_store_encode(&art, "country\tCN\tChina\t1\n", &data, &len);
  if (st == CYS_OK)
    st = cys_store_decode(data, len, &rec);
  free(data);
  cys_record_free(rec);
  return st;
}

static cys_status op_utf8(void) {
  char *out = NULL;
  cys_status st = cys_utf8_repair("a\xff" "b", 3, &out, NULL, NULL);
  free(out);
  return st;
}

static cys_analyzer *shared_analyzer;
static cys_gazetteer *shared_gazetteer;

static cys_status op_query(void) {
  cys_query_context ctx = {.analyzer = shared_analyzer,
                           .gazetteer = shared_gazetteer};
  const char *q = "\"china hackers\" +ransomware -lazarus title:apt28 "
                  "country:CN actor:\"Fancy Bear\" date:2020..2021 HIV-1 US";
  cys_parsed_query *pq = NULL;
  char error[256];
  cys_status st = cys_query_parse(&ctx, q, strlen(q), &pq, error, sizeof error);
  cys_parsed_query_free(pq);
  return st;
}

static cys_status op_snippet(void) {
  char *stems[] = {"hacker", "exploit"};
  char *exacts[] = {"cve-2021-44228"};
  cys_query_terms terms = {stems, 2, exacts, 1};
  char *snippet = NULL;
  cys_span *spans = NULL;
  size_t n = 0;
  cys_status st = cys_snippet_make(shared_analyzer, &terms, text, strlen(text),
                                   60, &snippet, &spans, &n);
  free(snippet);
  free(spans);
  return st;
}

static cys_status op_extract(void) {
  cys_extractor *x = NULL;
  cys_status st = cys_extractor_new(shared_gazetteer, &x);
  if (st == CYS_OK)
    st = cys_extractor_field(x, shared_analyzer, 1, text, strlen(text));
  cys_extractor_free(x);
  return st;
}

static cys_status op_gazetteer(void) {
  cys_gazetteer *g = NULL;
  cys_status st = cys_gazetteer_new(shared_analyzer, &g);
  cys_gazetteer_free(g);
  return st;
}

/* Fail allocation 1, 2, 3, ... of op until it makes no more. */
static void fail_each(const char *name, cys_status (*op)(void), long max) {
  long n;
  int bad = 0;
  for (n = 1; n <= max; n++) {
    allocations = 0;
    fail_at = n;
    cys_status st = op();
    fail_at = -1;
    if (st != CYS_OK && st != CYS_NOMEM) {
      fprintf(stderr, "%s: failing allocation %ld gave %s\n", name, n,
              cys_status_str(st));
      bad++;
    }
    if (allocations < n)
      break; /* op no longer reaches the failing allocation */
  }
  CHECK_INT(bad, 0);
  CHECK(n > 1); /* op did allocate */
  printf("%s: failed each of its %ld allocations in turn\n", name, n - 1);
}

int main(void) {
  CHECK_INT(op_analyze(), CYS_OK);
  CHECK_INT(op_store(), CYS_OK);
  CHECK_INT(cys_analyzer_new(NULL, &shared_analyzer), CYS_OK);
  CHECK_INT(cys_gazetteer_new(shared_analyzer, &shared_gazetteer), CYS_OK);
  CHECK_INT(op_query(), CYS_OK);
  fail_each("analyzer", op_analyze, 1000);
  fail_each("store", op_store, 1000);
  fail_each("utf8 repair", op_utf8, 1000);
  fail_each("query parser", op_query, 5000);
  fail_each("snippet", op_snippet, 1000);
  fail_each("extractor", op_extract, 1000);
  /* The gazetteer makes ~20,000 allocations: fail a spread of them. */
  fail_each("gazetteer (first 300)", op_gazetteer, 300);
  cys_gazetteer_free(shared_gazetteer);
  cys_analyzer_free(shared_analyzer);
  return check_done();
}
