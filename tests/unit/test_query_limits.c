/*
 * test_query_limits.c — the bounds on the work one query asks for
 * (query.h): a phrase or NEAR group past CYS_QUERY_MAX_GROUP_WORDS, or
 * past CYS_QUERY_MAX_POSITIONAL_WORDS in all, is searched as an AND of its
 * words; words past CYS_QUERY_MAX_WORDS are ignored (in the title boost
 * too); each change is reported in cys_parsed_query.limits; groups are guarded for the time
 * limit when the context asks.  By the Xapian description of the query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/query.h"

static cys_analyzer *analyzer;

/* The description of text's query, and its limits bits; "" when it
 * failed.  boost (may be NULL): the description of its title boost. */
static char *describe(const char *text, int guard, unsigned *limits,
                      char **boost) {
  cys_query_context ctx = {.analyzer = analyzer, .guard_positional = guard};
  cys_parsed_query *pq = NULL;
  char error[256], *desc = NULL;
  *limits = ~0u;
  if (cys_query_parse(&ctx, text, strlen(text), &pq, error, sizeof error) ==
      CYS_OK) {
    *limits = pq->limits;
    if (cys_query_describe(pq->query, &desc) != CYS_OK)
      desc = NULL;
    if (boost && pq->title_boost &&
        cys_query_describe(pq->title_boost, boost) != CYS_OK)
      *boost = NULL;
  }
  cys_parsed_query_free(pq);
  return desc ? desc : calloc(1, 1);
}

/* n words w1 w2 ... wn between before and after, in a new string. */
static char *words(const char *before, size_t n, const char *sep,
                   const char *after) {
  size_t cap = strlen(before) + strlen(after) + n * (8 + strlen(sep)) + 1;
  char *s = malloc(cap);
  size_t len = (size_t)snprintf(s, cap, "%s", before);
  for (size_t i = 1; i <= n; i++)
    len += (size_t)snprintf(s + len, cap - len, "%sw%zu", i > 1 ? sep : "", i);
  snprintf(s + len, cap - len, "%s", after);
  return s;
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

static void test_group_words(void) {
  unsigned limits;
  char *text = words("\"", CYS_QUERY_MAX_GROUP_WORDS, " ", "\"");
  char *desc = describe(text, 0, &limits, NULL);
  CHECK(strstr(desc, "PHRASE 32") != NULL);
  CHECK_INT(limits, 0);
  free(desc);
  free(text);

  text = words("\"", CYS_QUERY_MAX_GROUP_WORDS + 1, " ", "\"~5");
  desc = describe(text, 0, &limits, NULL);
  CHECK(strstr(desc, "NEAR") == NULL && strstr(desc, " AND ") != NULL);
  CHECK(strstr(desc, "w33@33") != NULL); /* every word is still there */
  CHECK_INT(limits, CYS_LIMIT_GROUP_WORDS);
  CHECK(cys_query_limits_note(limits) != NULL);
  free(desc);
  free(text);

  text = words("", CYS_QUERY_MAX_GROUP_WORDS + 1, " NEAR ", "");
  desc = describe(text, 0, &limits, NULL);
  CHECK(strstr(desc, "NEAR") == NULL && strstr(desc, " AND ") != NULL);
  CHECK_INT(limits, CYS_LIMIT_GROUP_WORDS);
  free(desc);
  free(text);
}

/* Three groups of 32: the first two are positional, the third is not. */
static void test_positional_words(void) {
  unsigned limits;
  char *group = words("\"", CYS_QUERY_MAX_GROUP_WORDS, " ", "\"~3 ");
  size_t len = strlen(group);
  char *text = malloc(3 * len + 1);
  for (int i = 0; i < 3; i++)
    memcpy(text + i * len, group, len);
  text[3 * len] = '\0';
  char *desc = describe(text, 0, &limits, NULL);
  CHECK_INT(count(desc, "NEAR 35 w2@"),
            CYS_QUERY_MAX_POSITIONAL_WORDS / CYS_QUERY_MAX_GROUP_WORDS);
  CHECK_INT(limits, CYS_LIMIT_POSITIONAL_WORDS);
  free(desc);
  free(text);
  free(group);
}

static void test_words(void) {
  unsigned limits;
  char *text = words("", CYS_QUERY_MAX_WORDS + 44, " ", "");
  char *boost = NULL;
  char *desc = describe(text, 0, &limits, &boost);
  CHECK(strstr(desc, "w256@") != NULL);
  CHECK(strstr(desc, "w257") == NULL && strstr(desc, "w300") == NULL);
  CHECK_INT(limits, CYS_LIMIT_WORDS);
  CHECK(boost != NULL);
  if (boost)
    CHECK(strstr(boost, "w256") != NULL && strstr(boost, "w257") == NULL);
  CHECK(cys_query_limits_note(CYS_LIMIT_WORDS | CYS_LIMIT_GROUP_WORDS) != NULL);
  CHECK(cys_query_limits_note(0) == NULL);
  free(boost);
  free(desc);
  free(text);
}

/* Guarded groups carry the deadline's posting source; others do not. */
static void test_guard(void) {
  unsigned limits;
  char *desc = describe("\"china hackers\" a NEAR b", 1, &limits, NULL);
  CHECK_INT(count(desc, "deadline"), 2);
  free(desc);
  desc = describe("\"china hackers\" a NEAR b", 0, &limits, NULL);
  CHECK_INT(count(desc, "deadline"), 0);
  free(desc);
}

int main(void) {
  if (cys_analyzer_new("english", &analyzer) != CYS_OK) {
    CHECK(0);
    return check_done();
  }
  test_group_words();
  test_positional_words();
  test_words();
  test_guard();
  cys_analyzer_free(analyzer);
  return check_done();
}
