/*
 * test_query_record.c — the parser's record of what it read
 * (query_internal.h): each item of the text with its kind, byte range,
 * sign, field and words, as "did you mean" and --explain use it.  Each
 * query is written down as the items it must give, "kind[start,end)flags",
 * and the words of its text items with their offsets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/query.h"
#include "query_internal.h"

static cys_analyzer *analyzer;
static cys_gazetteer *gazetteer;

static const char *const kind_names[] = {"words",  "id", "phrase", "wild",
                                         "filter", "op", "open",   "close"};

/* The record of text as "kind[start,end)" items (a '-', '+' or '=' after
 * the range for the flags), then " |" and the words as "exact@start". */
static void describe(const char *text, char *out, size_t size) {
  cys_query_context ctx = {.analyzer = analyzer, .gazetteer = gazetteer};
  cys_parsed_query *pq = NULL;
  char error[256];
  size_t n = 0;
  out[0] = '\0';
  if (cys_query_parse(&ctx, text, strlen(text), &pq, error, sizeof error) !=
      CYS_OK) {
    snprintf(out, size, "error: %s", error);
    return;
  }
  const query_record *r = pq->record;
  for (size_t i = 0; i < r->nitems && n < size; i++) {
    const query_item *it = &r->items[i];
    n += (size_t)snprintf(out + n, size - n, "%s%s[%zu,%zu)%s%s%s",
                          i ? " " : "", kind_names[it->kind], it->start,
                          it->end, it->flags & QUERY_ITEM_NEGATED ? "-" : "",
                          it->flags & QUERY_ITEM_REQUIRED ? "+" : "",
                          it->flags & QUERY_ITEM_EXACT ? "=" : "");
  }
  if (n < size)
    n += (size_t)snprintf(out + n, size - n, " |");
  for (size_t k = 0; k < r->nterms && n < size; k++) {
    const qword *w = &r->terms[k];
    n += (size_t)snprintf(out + n, size - n, " %.*s@%zu", (int)w->exact_len,
                          w->exact, w->start);
  }
  cys_parsed_query_free(pq);
}

static void expect(const char *text, const char *want) {
  char got[2048];
  describe(text, got, sizeof got);
  CHECK_STR(got, want);
  if (strcmp(got, want) != 0)
    fprintf(stderr, "  for '%s'\n", text);
}

/* Values and words of the items in a sentence with every kind. */
static void test_ranges(void) {
  const char *text = "NOT -hospitl AND title:(wannacry OR \"a b\"~3) "
                     "country:\"CN\" TEMP 15 ranso* =US";
  cys_query_context ctx = {.analyzer = analyzer, .gazetteer = gazetteer};
  cys_parsed_query *pq = NULL;
  char error[256];
  CHECK_INT(cys_query_parse(&ctx, text, strlen(text), &pq, error, sizeof error),
            CYS_OK);
  if (!pq)
    return;
  const query_record *r = pq->record;
  CHECK_INT(r->nitems, 12);
  for (size_t i = 0; i < r->nitems; i++) {
    const query_item *it = &r->items[i];
    /* the value lies inside the item */
    CHECK(it->start <= it->value_start && it->value_start <= it->value_end &&
          it->value_end <= it->end && it->end <= strlen(text));
    for (size_t k = 0; k < it->nterms; k++) {
      const qword *w = &r->terms[it->first_term + k];
      CHECK(it->value_start <= w->start && w->end <= it->value_end);
    }
  }
  if (r->nitems == 12) {
    const query_item *filter = &r->items[8];
    CHECK_INT(filter->kind, QUERY_ITEM_FILTER);
    CHECK_INT(filter->field, FILTER_COUNTRY);
    CHECK_INT(filter->value_end - filter->value_start, 2); /* CN */
    CHECK_INT(r->items[3].field, FIELD_TITLE);             /* title:( */
    CHECK_INT(r->items[4].field, FIELD_TITLE);             /* wannacry */
    CHECK_INT(r->items[6].value_start, 37);                /* a b */
  }
  cys_parsed_query_free(pq);
}

/* Bounded: words past CYS_QUERY_MAX_WORDS are not kept, items past
 * QUERY_RECORD_MAX_ITEMS neither. */
static void test_bounds(void) {
  size_t n = QUERY_RECORD_MAX_ITEMS + 100;
  char *text = malloc(2 * n);
  for (size_t i = 0; text && i < n; i++)
    memcpy(text + 2 * i, "x ", 2);
  cys_query_context ctx = {.analyzer = analyzer, .gazetteer = gazetteer};
  cys_parsed_query *pq = NULL;
  char error[256];
  CHECK(text &&
        cys_query_parse(&ctx, text, 2 * n, &pq, error, sizeof error) == CYS_OK);
  if (pq) {
    CHECK_INT(pq->record->nitems, QUERY_RECORD_MAX_ITEMS);
    CHECK_INT(pq->record->nterms, CYS_QUERY_MAX_WORDS);
    CHECK(pq->record->truncated);
  }
  cys_parsed_query_free(pq);
  free(text);
}

int main(void) {
  if (cys_analyzer_new(NULL, &analyzer) != CYS_OK ||
      cys_gazetteer_new(analyzer, &gazetteer) != CYS_OK)
    return 1;
  expect("ransomware hospitals", "words[0,10) words[11,20) | ransomware@0 "
                                 "hospitals@11");
  /* signs: -, +, NOT (twice is none), and '=' */
  expect("-a +b NOT c NOT -d NOT NOT e =f",
         "words[0,2)- words[3,5)+ op[6,9) words[10,11)- op[12,15) "
         "words[16,18) op[19,22) op[23,26) words[27,28) words[29,31)= | "
         "a@1 b@4 c@10 d@17 e@27 f@30");
  /* phrases (unclosed ones run to the end), ~N with them */
  expect("\"a b\"~5 \"c d", "phrase[0,7) phrase[8,12) | a@1 b@3 c@9 d@11");
  /* fields in any case; groups, their signs and fields */
  expect("Title:x -BODY:(y OR z) (w", "words[0,7) open[8,15)- words[15,16) "
                                      "op[17,19) words[20,21) close[21,22) "
                                      "open[23,24) words[24,25) | x@6 y@15 "
                                      "z@20 w@24");
  /* filters; a word before a colon that names no field is a word */
  expect("country:CN -year:2020 warning: x",
         "filter[0,10) filter[11,21)- words[22,30) words[31,32) | "
         "warning@22 x@31");
  /* identifiers and indicators, a designator typed apart, prefix* */
  expect("CVE-2017-0144 evil[.]com APT 28 ranso*",
         "id[0,13) id[14,24) id[25,31) wild[32,38) | cve-2017-0144@0 cve@0 "
         "2017@4 0144@9 evil.com@14 evil@14 com@21 apt28@25 ranso@32");
  /* operators: NEAR/N, stray ones, and stray ")" dropped */
  expect("AND a NEAR/3 b ) OR", "op[0,3) words[4,5) op[6,12) words[13,14) "
                                "op[17,19) | a@4 b@13");
  /* nothing searchable: an empty record */
  expect("", " |");
  test_ranges();
  test_bounds();
  cys_gazetteer_free(gazetteer);
  cys_analyzer_free(analyzer);
  return check_done();
}
