/*
 * test_query.c — cys_query_parse: the query tree (through cys_query_describe)
 * for free words, phrases, =exact, +/-, title:, odd input (unbalanced quote,
 * lone signs, empty, 10 KB of random bytes), and the highlight term lists.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/query.h"

static cys_analyzer *analyzer;

/* Parse text and describe its query ("" on failure). */
static char *describe(const char *text, size_t len, cys_parsed_query **out) {
  cys_parsed_query *pq = NULL;
  char *desc = NULL;
  if (cys_query_parse(&(cys_query_context){.analyzer = analyzer}, text, len, &pq, NULL, 0) != CYS_OK || !pq->query ||
      cys_query_describe(pq->query, &desc) != CYS_OK) {
    cys_parsed_query_free(pq);
    pq = NULL;
    desc = calloc(1, 1);
  }
  if (out)
    *out = pq;
  else
    cys_parsed_query_free(pq);
  return desc;
}

/* The description of the query for `text` contains every fragment in the
 * NULL-terminated list, and none of the `absent` ones. */
static void expect(const char *text, const char *const *present,
                   const char *const *absent, int line) {
  char *desc = describe(text, strlen(text), NULL);
  int ok = desc && *desc;
  for (const char *const *p = present; ok && *p; p++)
    if (!strstr(desc, *p))
      ok = 0;
  for (const char *const *p = absent; ok && p && *p; p++)
    if (strstr(desc, *p))
      ok = 0;
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  (line %d: \"%s\" described as \"%s\")\n", line, text,
            desc ? desc : "(null)");
  free(desc);
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define EXPECT(text, present) expect(text, present, NULL, __LINE__)
#define EXPECT_NOT(text, present, absent)                                      \
  expect(text, present, absent, __LINE__)

static void test_trees(void) {
  /* free words: stems (Z), ORed */
  EXPECT("hacking", L("Query(Zhack@1)"));
  EXPECT("Hacked", L("Zhack@1"));
  EXPECT("ransomware gangs", L("Zransomwar@1", " OR ", "Zgang@2"));
  EXPECT_NOT("ransomware gangs", L("Zgang"), L("AND", "PHRASE"));
  /* quoted phrase: exact terms, in order */
  EXPECT("\"remote code execution\"",
         L("remote@1 PHRASE 3 code@2 PHRASE 3 execution@3"));
  EXPECT_NOT("\"Hacking Tools\"", L("hacking@1 PHRASE 2 tools@2"),
             L("Zhack", "Ztool"));
  /* a one-word phrase is the exact term */
  EXPECT_NOT("\"hacking\"", L("Query(hacking@1)"), L("Zhack", "PHRASE"));
  /* =word: the exact form */
  EXPECT_NOT("=Hacking", L("Query(hacking@1)"), L("Zhack"));
  EXPECT("=hacking attacks", L("hacking@1", "Zattack@2", " OR "));
  /* + and - */
  /* (identifiers such as log4j have no stem: their exact term serves) */
  EXPECT("+apache -log4j", L("Query((Zapach@1 AND_NOT log4j@2))"));
  EXPECT("+apache struts", L("Query((Zapach@1 AND_MAYBE Zstrut@2))"));
  EXPECT("+apache +struts", L("Zapach@1", " AND ", "Zstrut@2"));
  EXPECT_NOT("+apache +struts", L("Zstrut"), L("AND_MAYBE", " OR "));
  EXPECT("-log4j", L("Query((<alldocuments> AND_NOT log4j@1))"));
  EXPECT("+\"remote code\" -=exploits",
         L("remote@1 PHRASE 2 code@2", "AND_NOT exploits@3"));
  EXPECT("a -b c", L("Za@1", "Zc@3", "AND_NOT Zb@2"));
  /* title: */
  EXPECT("title:ransomware", L("Query(ZSransomwar@1)"));
  EXPECT("TITLE:Ransomware", L("Query(ZSransomwar@1)"));
  EXPECT("title:\"remote code\"", L("Sremote@1 PHRASE 2 Scode@2"));
  EXPECT("title:=Hacking", L("Query(Shacking@1)"));
  EXPECT("+title:breach -title:rumor", L("ZSbreach@1", "AND_NOT", "ZSrumor@2"));
  /* "title:" with nothing after it is just a word */
  EXPECT_NOT("title:", L("Ztitl@1"), L("ZS"));
  EXPECT_NOT("subtitle:x", L("Query(subtitle:x@1)"), L("ZS"));
  /* an unbalanced quote runs to the end */
  EXPECT("\"remote code", L("remote@1 PHRASE 2 code@2"));
  EXPECT("apache \"remote code", L("Zapach@1", "remote@2 PHRASE 2 code@3"));
  EXPECT("apache \"", L("Query(Zapach@1)"));
  /* signs with nothing to apply to are ignored */
  EXPECT("- foo", L("Query(Zfoo@1)"));
  EXPECT("foo +", L("Query(Zfoo@1)"));
  EXPECT("--foo", L("AND_NOT Zfoo@1"));
  /* punctuation is not searchable */
  EXPECT("hacking!!!", L("Query(Zhack@1)"));
  /* identifiers are one exact term; in a phrase, their parts */
  EXPECT("CVE-2017-0144", L("Query(cve-2017-0144@1)"));
  EXPECT("title:CVE-2017-0144", L("Query(Scve-2017-0144@1)"));
  EXPECT("\"CVE-2017-0144 exploit\"",
         L("cve@1 PHRASE 4 2017@2 PHRASE 4 0144@3 PHRASE 4 exploit@4"));
  /* a domain is also its "www." twin, and back; a URL also its host; a
   * path also the paths below it */
  EXPECT("evil[.]com", L("Query((evil.com@1 OR www.evil.com@2))"));
  EXPECT("www.evil.com", L("Query((www.evil.com@1 OR evil.com@2))"));
  EXPECT("hxxp://avsvmcloud[.]com",
         L("Query((http://avsvmcloud.com@1 OR (avsvmcloud.com@2 OR "
           "www.avsvmcloud.com@3)))"));
  EXPECT("https://user@www.evil.com:8443/a?b",
         L("(www.evil.com@2 OR evil.com@3)"));
  EXPECT("title:http://evil.com/x",
         L("Query((Shttp://evil.com/x@1 OR (Sevil.com@2 OR Swww.evil.com@3)))"));
  EXPECT("C:\\Windows\\System32",
         L("Query((c:\\x5cwindows\\x5csystem32@1 OR WILDCARD SYNONYM "
           "c:\\x5cwindows\\x5csystem32\\x5c))"));
  /* versions, addresses and file names have no twins */
  EXPECT("2.4.49", L("Query(2.4.49@1)"));
  EXPECT("1.2.3[.]4", L("Query(1.2.3.4@1)"));
  EXPECT("www.com", L("Query(www.com@1)"));
  /* typographic dashes read as '-' */
  EXPECT("CVE\xE2\x80\x93" "2017\xE2\x80\x93" "0144",
         L("Query(cve-2017-0144@1)"));
  EXPECT("APT 28", L("Query(apt28@1)"));
  EXPECT("APT-28", L("Query(apt28@1)"));
  /* acronyms: the case-sensitive K term (weighted down), or also the stem */
  EXPECT("US", L("Query((0.25 * KUS@1 OR Zus@2))"));
  EXPECT("=US", L("Query(KUS@1)"));
  EXPECT("us", L("Query(Zus@1)"));
}

/* Queries with nothing searchable in them: an empty (match-nothing) query. */
static void test_empty(void) {
  static const char *const texts[] = {"",           "   ",     "-",   "+",
                                      "- +",        "\"\"",    "\"",  "=",
                                      "title:\"\"", "!!! ...", "\t\n"};
  int bad = 0;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    cys_parsed_query *pq = NULL;
    cys_status st = cys_query_parse(&(cys_query_context){.analyzer = analyzer}, texts[i], strlen(texts[i]), &pq, NULL, 0);
    if (st != CYS_OK || !pq || !pq->query || !cys_query_is_empty(pq->query) ||
        pq->highlight.nstems || pq->highlight.nexacts) {
      bad++;
      fprintf(stderr, "  \"%s\" is not an empty query\n", texts[i]);
    }
    cys_parsed_query_free(pq);
  }
  CHECK_INT(bad, 0);
  cys_parsed_query_free(NULL);
}

static int has(char **list, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

static void test_highlight(void) {
  cys_parsed_query *pq = NULL;
  const char *text =
      "hacking hacks =Exploits \"remote code\" title:breach -malware";
  char *desc = describe(text, strlen(text), &pq);
  free(desc);
  CHECK(pq != NULL);
  if (!pq)
    return;
  const cys_query_terms *t = &pq->highlight;
  /* stems once each, without prefixes; exacts of = and phrase terms */
  CHECK_INT(t->nstems, 3);
  CHECK(has(t->stems, t->nstems, "hack"));
  CHECK(has(t->stems, t->nstems, "breach"));
  CHECK(has(t->stems, t->nstems, "malwar"));
  CHECK_INT(t->nexacts, 3);
  CHECK(has(t->exacts, t->nexacts, "exploits"));
  CHECK(has(t->exacts, t->nexacts, "remote"));
  CHECK(has(t->exacts, t->nexacts, "code"));
  CHECK(!has(t->exacts, t->nexacts, "hacking"));
  cys_parsed_query_free(pq);

  pq = NULL;
  CHECK_INT(cys_query_parse(&(cys_query_context){.analyzer = analyzer}, "=Log4j log4j", 12, &pq, NULL, 0), CYS_OK);
  if (pq) {
    /* identifiers are highlighted by their exact form, once */
    CHECK_INT(pq->highlight.nexacts, 1);
    CHECK_INT(pq->highlight.nstems, 0);
    if (pq->highlight.nexacts)
      CHECK_STR(pq->highlight.exacts[0], "log4j");
    cys_parsed_query_free(pq);
  }
}

/* The length is respected, and invalid UTF-8 is tolerated: it separates
 * words, so an unquoted run holding it is the words around it. */
static void test_bytes(void) {
  char *desc = describe("hacking attacks", 7, NULL);
  CHECK_STR(desc, "Query(Zhack@1)");
  free(desc);
  desc = describe("hack\xFF"
                  "ers \xC3",
                  9, NULL);
  CHECK_STR(desc, "Query((Zhack@1 OR Zer@2))");
  free(desc);
  desc = describe("apache \xC3\xA9\xFF", 10, NULL);
  CHECK_STR(desc, "Query((Zapach@1 OR Z\xC3\xA9@2))");
  free(desc);
  desc = describe("a\0b", 3, NULL);
  CHECK_STR(desc, "Query((Za@1 OR Zb@2))");
  free(desc);
}

/* 10 KB of random bytes, plain and weighted towards the query syntax:
 * parsing never fails and always gives a describable query. */
static void test_random(void) {
  static const char syntax[] =
      "+-=\"\": \t\ntitle:TITLE:aZ09\xC3\xA9\xE2\x80\x99'.,";
  size_t len = 10 * 1024;
  char *text = malloc(len);
  if (!text) {
    CHECK(0);
    return;
  }
  unsigned long v = 20240601;
  int failed = 0;
  for (int round = 0; round < 24; round++) {
    for (size_t i = 0; i < len; i++) {
      v = v * 6364136223846793005ul + 1442695040888963407ul;
      unsigned r = (unsigned)(v >> 33);
      text[i] =
          (round % 2) ? syntax[r % (sizeof syntax - 1)] : (char)(r & 0xFF);
    }
    cys_parsed_query *pq = NULL;
    char *desc = NULL;
    if (cys_query_parse(&(cys_query_context){.analyzer = analyzer}, text, len, &pq, NULL, 0) != CYS_OK || !pq ||
        !pq->query || cys_query_describe(pq->query, &desc) != CYS_OK) {
      failed++;
      fprintf(stderr, "  random round %d failed\n", round);
    }
    free(desc);
    cys_parsed_query_free(pq);
  }
  CHECK_INT(failed, 0);
  free(text);
}

int main(void) {
  if (cys_analyzer_new("english", &analyzer) != CYS_OK) {
    CHECK(0);
    return check_done();
  }
  test_trees();
  test_empty();
  test_highlight();
  test_bytes();
  test_random();
  cys_analyzer_free(analyzer);
  return check_done();
}
