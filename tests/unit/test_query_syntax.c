/*
 * test_query_syntax.c — the boolean query language of cys_query_parse, by
 * the Xapian description of the query each text gives: AND / OR / NOT and
 * their precedence, parentheses, filters inside groups, prefix* wildcards,
 * body:, NEAR and "phrase"~N, and hostile input (stray operators,
 * unbalanced parentheses, deep nesting, pasted paths and identifiers),
 * which must always parse.  Matching on a real index is in
 * test_query_match.c.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/query.h"

static cys_analyzer *analyzer;
static cys_gazetteer *gazetteer;

/* Parse text; NULL when it failed or gave no query. */
static cys_parsed_query *parse(const char *text, size_t len) {
  cys_query_context ctx = {.analyzer = analyzer, .gazetteer = gazetteer};
  cys_parsed_query *pq = NULL;
  char error[256];
  if (cys_query_parse(&ctx, text, len, &pq, error, sizeof error) != CYS_OK)
    return NULL;
  if (!pq->query) {
    cys_parsed_query_free(pq);
    return NULL;
  }
  return pq;
}

/* The description of text's query ("" when it failed). */
static char *describe(const char *text) {
  cys_parsed_query *pq = parse(text, strlen(text));
  char *desc = NULL;
  if (!pq || cys_query_describe(pq->query, &desc) != CYS_OK)
    desc = calloc(1, 1);
  cys_parsed_query_free(pq);
  return desc;
}

typedef struct row {
  const char *text;
  const char *want; /* the whole description */
} row;

static void check_rows(const row *rows, size_t n, const char *what) {
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    char *desc = describe(rows[i].text);
    if (!desc || strcmp(desc, rows[i].want) != 0) {
      bad++;
      fprintf(stderr, "  %s: \"%s\"\n    gave %s\n    want %s\n", what,
              rows[i].text, desc ? desc : "(null)", rows[i].want);
    }
    free(desc);
  }
  CHECK_INT(bad, 0);
}

#define ROWS(name, ...)                                                        \
  static const row name[] = {__VA_ARGS__};                                     \
  check_rows(name, sizeof name / sizeof *name, #name)

static void test_operators(void) {
  ROWS(operators,
       /* AND, OR, NOT; NOT > AND > OR */
       {"ransomware AND NOT lockbit",
        "Query((Zransomwar@1 AND_NOT Zlockbit@2))"},
       {"a AND b", "Query((Za@1 AND Zb@2))"},
       {"a OR b AND c", "Query((Za@1 OR (Zb@2 AND Zc@3)))"},
       {"a AND b OR c", "Query(((Za@1 AND Zb@2) OR Zc@3))"},
       {"a AND NOT b OR c", "Query(((Za@1 AND_NOT Zb@2) OR Zc@3))"},
       {"NOT a AND b", "Query((Zb@2 AND_NOT Za@1))"},
       {"NOT NOT a", "Query(Za@1)"},
       {"NOT (a OR b)", "Query((<alldocuments> AND_NOT (Za@1 OR Zb@2)))"},
       {"a OR NOT b", "Query((Za@1 OR (<alldocuments> AND_NOT Zb@2)))"},
       /* parentheses */
       {"a OR (b AND NOT c)", "Query((Za@1 OR (Zb@2 AND_NOT Zc@3)))"},
       {"(a OR b) AND c", "Query(((Za@1 OR Zb@2) AND Zc@3))"},
       {"-(x OR y) z", "Query((Zz@3 AND_NOT (Zx@1 OR Zy@2)))"},
       {"+(a b) c", "Query(((Za@1 OR Zb@2) AND_MAYBE Zc@3))"},
       /* juxtaposition binds loosest, and keeps its meaning */
       {"a b AND c d", "Query((Za@1 OR (Zb@2 AND Zc@3) OR Zd@4))"},
       {"x NOT y", "Query((Zx@1 AND_NOT Zy@2))"},
       {"+a b -c", "Query(((Za@1 AND_MAYBE Zb@2) AND_NOT Zc@3))"},
       /* inside an operator, - is NOT and + adds nothing */
       {"a AND -b", "Query((Za@1 AND_NOT Zb@2))"},
       {"a AND +b", "Query((Za@1 AND Zb@2))"},
       /* lower-case and/or/not are words */
       {"and or not", "Query((Zand@1 OR Zor@2 OR Znot@3))"},
       {"a and b", "Query((Za@1 OR Zand@2 OR Zb@3))"},
       /* title:( ... ) applies to the group */
       {"title:(a OR b)", "Query((ZSa@1 OR ZSb@2))"}, );
}

static void test_filters_in_groups(void) {
  ROWS(
      filters,
      /* a group of filters filters the rest */
      {"(country:CN OR country:RU) ransomware",
       "Query((Zransomwar@1 FILTER (0 * XCTYCN OR 0 * XCTYRU)))"},
      {"ransomware AND country:CN", "Query((Zransomwar@1 FILTER 0 * XCTYCN))"},
      {"ransomware AND NOT country:CN", "Query((Zransomwar@1 AND_NOT XCTYCN))"},
      {"NOT country:CN hack", "Query((Zhack@1 AND_NOT XCTYCN))"},
      /* in OR, a filter is one alternative (and adds no weight) */
      {"country:CN OR ransomware", "Query((0 * XCTYCN OR Zransomwar@1))"},
      /* filters alone, as before */
      {"country:CN", "Query((<alldocuments> FILTER 0 * XCTYCN))"},
      {"x (country:CN -country:RU)",
       "Query((Zx@1 FILTER ((<alldocuments> FILTER 0 * XCTYCN) AND_NOT "
       "XCTYRU)))"},
      /* typographic dashes in a CVE id read as '-', as in text */
      {"cve:CVE\xE2\x80\x93" "2017\xE2\x80\x93" "0144",
       "Query((<alldocuments> FILTER 0 * XCVECVE-2017-0144))"},
      {"cve:cve\xE2\x88\x92" "2017\xEF\xBC\x8D" "0144",
       "Query((<alldocuments> FILTER 0 * XCVECVE-2017-0144))"}, );
}

static void test_wildcards_fields_near(void) {
  ROWS(wildcards,
       /* exact forms, bounded expansion */
       {"ranso*", "Query(WILDCARD SYNONYM ranso)"},
       {"Ranso*", "Query(WILDCARD SYNONYM ranso)"},
       {"title:ransom*", "Query(WILDCARD SYNONYM Sransom)"},
       {"=hack*", "Query(WILDCARD SYNONYM hack)"},
       {"cve-2024*", "Query(WILDCARD SYNONYM cve-2024)"},
       {"C-termin*", "Query((Zc@1 OR WILDCARD SYNONYM termin))"},
       /* too short a prefix: the word itself; '*' alone: nothing */
       {"ab*", "Query(Zab@1)"}, {"a*", "Query(Za@1)"},
       {"title:a*", "Query(ZSa@1)"}, {"*", "Query()"}, {"***", "Query()"},
       /* not inside quotes */
       {"\"hack*\"", "Query(hack@1)"}, );
  ROWS(body,
       /* text terms without the title boost: the index has no body-only
        * terms */
       {"body:ransomware", "Query(Zransomwar@1)"},
       {"body:\"a b\"", "Query((a@1 PHRASE 2 b@2))"}, );
  ROWS(near,
       /* "..."~N: at most N other words inside the window */
       {"\"china hackers\"~5", "Query((china@1 NEAR 7 hackers@2))"},
       {"\"a b\"~0", "Query((a@1 NEAR 2 b@2))"},
       {"\"a b\"~", "Query((a@1 NEAR 12 b@2))"},
       {"\"a b\"~999", "Query((a@1 NEAR 102 b@2))"},
       {"title:\"a b\"~2", "Query((Sa@1 NEAR 4 Sb@2))"},
       {"\"a\"~3", "Query(a@1)"},
       /* NEAR between words: their exact forms */
       {"china NEAR hackers", "Query((china@3 NEAR 12 hackers@4))"},
       {"china NEAR/3 hackers", "Query((china@3 NEAR 5 hackers@4))"},
       {"a NEAR/0 b NEAR c", "Query((a@4 NEAR 13 b@5 NEAR 13 c@6))"},
       {"a NEAR/999 b", "Query((a@3 NEAR 102 b@4))"},
       /* NEAR with other than words is AND */
       {"a NEAR \"b c\"", "Query((Za@1 AND (b@2 PHRASE 2 c@3)))"},
       /* NEAR/x is no operator */
       {"a NEAR/x b",
        "Query((Za@1 OR (near/x@2 OR Znear@3 OR Zx@4) OR Zb@5))"}, );
}

static void test_hostile(void) {
  ROWS(hostile,
       /* stray and trailing operators */
       {"AND AND", "Query()"}, {"OR)", "Query()"}, {"NOT", "Query()"},
       {"NEAR/5", "Query()"}, {"a AND", "Query(Za@1)"},
       {"AND a", "Query(Za@1)"}, {"a NOT", "Query(Za@1)"},
       {"a OR OR b", "Query((Za@1 OR Zb@2))"},
       {"a AND AND b", "Query((Za@1 AND Zb@2))"}, {"NEAR a", "Query(Za@1)"},
       /* unbalanced parentheses */
       {"(", "Query()"}, {") (", "Query()"}, {"((((a", "Query(Za@1)"},
       {"a (b", "Query((Za@1 OR Zb@2))"}, {"(a))) b", "Query((Za@1 OR Zb@2))"},
       /* pasted text: identifiers in parentheses still match whole */
       {"(CVE-2024-3094)", "Query(cve-2024-3094@1)"},
       {"(APT 28)", "Query(apt28@1)"},
       {"C:\\Windows\\System32",
        "Query((c:\\x5cwindows\\x5csystem32@1 OR WILDCARD SYNONYM "
        "c:\\x5cwindows\\x5csystem32\\x5c))"},
       {"POL-358", "Query((pol-358@1 OR Zpol@2 OR 358@3))"},
       {"\xF0\x9F\xA6\x80 ransomware \xF0\x9F\xA6\x80", "Query(Zransomwar@1)"},
       /* parentheses in sentences change nothing */
       {"(E. coli) carries", "Query((Ze@1 OR Zcoli@2 OR Zcarri@3))"},
       {"25(OH)D levels",
        "Query(((25@1 OR (0.25 * KOH@2 OR Zoh@3) OR Zd@4) OR Zlevel@5))"},
       {"alpha (+)- thalassemia", "Query((Zalpha@1 OR Zthalassemia@2))"}, );
  /* parenthesised words mean what they mean without parentheses */
  static const char *const same[][2] = {
      {"kinase (AMPK) activation", "kinase AMPK activation"},
      {"(T6SS) effector in (E. coli)", "T6SS effector in E. coli"},
      {"nickel (II) ion", "nickel II ion"},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
    char *a = describe(same[i][0]), *b = describe(same[i][1]);
    if (!a || !b || strcmp(a, b) != 0 || !*a) {
      bad++;
      fprintf(stderr, "  \"%s\" gave %s, \"%s\" %s\n", same[i][0], a,
              same[i][1], b);
    }
    free(a);
    free(b);
  }
  CHECK_INT(bad, 0);
}

/* Deep nesting, long operator chains and 10 KB of syntax: always a query,
 * never a crash (the depth is bounded). */
static void test_deep(void) {
  size_t n = 20000;
  char *text = malloc(n + 16);
  if (!text) {
    CHECK(0);
    return;
  }
  const char *fills[] = {"(", "NOT ", "a OR ", "(a AND ", "-(", "\"", ")"};
  for (size_t f = 0; f < sizeof fills / sizeof *fills; f++) {
    size_t k = strlen(fills[f]), len = 0;
    while (len + k <= n) {
      memcpy(text + len, fills[f], k);
      len += k;
    }
    memcpy(text + len, "x", 1);
    len++;
    cys_parsed_query *pq = parse(text, len);
    char *desc = NULL;
    CHECK(pq && cys_query_describe(pq->query, &desc) == CYS_OK);
    free(desc);
    cys_parsed_query_free(pq);
  }
  /* past the depth bound, '(' is a character: the word still counts */
  size_t len = 0;
  for (int i = 0; i < CYS_QUERY_MAX_DEPTH + 5; i++)
    text[len++] = '(';
  memcpy(text + len, "ransomware", 10);
  len += 10;
  text[len] = '\0';
  char *desc = describe(text);
  CHECK_STR(desc, "Query(Zransomwar@1)");
  free(desc);
  free(text);
}

/* Random mixes of the syntax's characters and words, 10 KB each. */
static void test_random(void) {
  static const char *const pieces[] = {
      "AND ", "OR ",    "NOT ",       "NEAR ",       "NEAR/3 ", "(",
      ")",    "\"",     "~2 ",        "*",           "-",       "+",
      "=",    "title:", "body:",      "country:CN ", "a ",      "ransom",
      " ",    "\xC3",   "year:2020 ", "cve-2024-",   ")~"};
  size_t cap = 10 * 1024;
  char *text = malloc(cap + 32);
  if (!text) {
    CHECK(0);
    return;
  }
  unsigned long v = 6061;
  int failed = 0;
  for (int round = 0; round < 40; round++) {
    size_t len = 0;
    while (len < cap) {
      v = v * 6364136223846793005ul + 1442695040888963407ul;
      const char *s = pieces[(v >> 33) % (sizeof pieces / sizeof *pieces)];
      size_t k = strlen(s);
      memcpy(text + len, s, k);
      len += k;
    }
    cys_parsed_query *pq = parse(text, len);
    char *desc = NULL;
    if (!pq || cys_query_describe(pq->query, &desc) != CYS_OK) {
      failed++;
      fprintf(stderr, "  random round %d failed\n", round);
    }
    free(desc);
    cys_parsed_query_free(pq);
  }
  CHECK_INT(failed, 0);
  free(text);
}

static int has(char **list, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

/* Without an index to walk, a wildcard highlights its prefix; NEAR and
 * ~N groups their exact forms. */
static void test_highlight(void) {
  const char *text = "ransom* \"china hackers\"~4 attack NEAR/2 Servers";
  cys_parsed_query *pq = parse(text, strlen(text));
  CHECK(pq != NULL);
  if (!pq)
    return;
  const cys_query_terms *t = &pq->highlight;
  CHECK(has(t->exacts, t->nexacts, "ransom"));
  CHECK(has(t->exacts, t->nexacts, "china"));
  CHECK(has(t->exacts, t->nexacts, "hackers"));
  CHECK(has(t->exacts, t->nexacts, "attack"));
  CHECK(has(t->exacts, t->nexacts, "servers"));
  CHECK(pq->has_text);
  cys_parsed_query_free(pq);
}

int main(void) {
  if (cys_analyzer_new("english", &analyzer) != CYS_OK ||
      cys_gazetteer_new(analyzer, &gazetteer) != CYS_OK) {
    CHECK(0);
    return check_done();
  }
  test_operators();
  test_filters_in_groups();
  test_wildcards_fields_near();
  test_hostile();
  test_deep();
  test_random();
  test_highlight();
  cys_gazetteer_free(gazetteer);
  cys_analyzer_free(analyzer);
  return check_done();
}
