/*
 * test_suggest.c — "Did you mean" (common/src/search_suggest.c) on a small
 * made-up index: misspelt words the index lacks are corrected; a word the
 * index holds, however rare (a name such as "clop"), is never "corrected";
 * short words take one edit at most ("hhvm" is not "have", "fiverr" not
 * "five"); an inflected form is not corrected to another form of its stem;
 * and a suggestion that would find nothing — a phrase that does not occur,
 * or words the filters rule out — is not made.  The words checked are
 * the words the parser read (its record), where "did you mean" once had a
 * lexer of its own that read some queries otherwise (below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_index.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"

/* Filler articles, each with the common words a bad correction would
 * pick. */
#define FILLER 24

static int build(const char *path) {
  static const char *const special[][2] = {
      {"clop", "The Clop gang leaked files."},
      {"settle", "Regulators settle with the vendor. Firms settle fast. "
                 "Banks settle claims."},
      {"settle-2", "Two firms settle the case."},
      {"settle-3", "They settle out of court."},
      {"phrase", "Hospitalised ransomware victims in Germany wait for help."},
      {"wannacry", "WannaCry hit a hospital in Germany."},
      {"wannacry-2", "The WannaCry worm spread fast."},
      {"wannacry-3", "WannaCry used EternalBlue."},
  };
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  char id[32], body[512];
  for (int i = 0; ok && i < FILLER; i++) {
    snprintf(id, sizeof id, "filler-%d", i);
    snprintf(body, sizeof body,
             "Ransomware struck a hospital; five servers in %s have been "
             "restored, says example.com. Patients were hospitalized and "
             "a vast typhoon of alerts followed at a high tempo.",
             i % 2 ? "Canada" : "the United States");
    cys_article a = {id, NULL, "2024-01-01", "example.org", NULL, body};
    ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  for (size_t i = 0; ok && i < sizeof special / sizeof *special; i++) {
    cys_article a = {special[i][0], NULL, "2024-01-01", "example.org", NULL,
                     special[i][1]};
    ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

/* The suggestion for text with the filters ("" when there is none). */
static void expect(cys_searcher *s, const char *text,
                   const cys_filter *filters, size_t n, const char *want) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 0;
  o.filters = filters;
  o.nfilters = n;
  cys_results *r = NULL;
  cys_status st = cys_search(s, text, &o, &r);
  CHECK_INT(st, CYS_OK);
  const char *got = r && r->suggestion ? r->suggestion : "";
  CHECK_STR(got, want);
  if (strcmp(got, want) != 0)
    fprintf(stderr, "  for '%s'\n", text);
  cys_results_free(r);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-suggest-XXXXXX";
  cys_searcher *s = open_test_index(dir, build);
  CHECK(s != NULL);
  if (s) {
    /* Misspellings the index lacks are corrected. */
    expect(s, "ransomwre hospitl", NULL, 0, "ransomware hospital");
    expect(s, "wannacri", NULL, 0, "wannacry");
    /* A word the index holds is meant, however rare: the Clop gang is
     * in one article, "com" in every other one. */
    expect(s, "clop", NULL, 0, "");
    expect(s, "clop ransomwre", NULL, 0, "clop ransomware");
    /* Short words: one edit at most ("have" and "five" are two away). */
    expect(s, "hhvm", NULL, 0, "");
    expect(s, "fiverr", NULL, 0, "");
    expect(s, "fivr", NULL, 0, "five");
    /* "settles" finds the articles about settling through its stem. */
    expect(s, "settles", NULL, 0, "");
    /* A suggestion must find something: the phrase "vast ransomware"
     * does not occur, and no article is of 2023 (the filters in the list
     * or in the text rule every ransomware article out). */
    expect(s, "\"vast ransomwre\"", NULL, 0, "");
    expect(s, "\"hospitalised ransomwre\"", NULL, 0,
           "\"hospitalised ransomware\"");
    const cys_filter canada[] = {{"country", "CA"}};
    const cys_filter germany_only[] = {{"country", "DE"}, {"year", "2023"}};
    expect(s, "ransomwre", canada, 1, "ransomware");
    expect(s, "ransomwre", germany_only, 2, "");
    expect(s, "ransomwre country:DE year:2023", NULL, 0, "");

    /* Read as the parser reads them.  Field names in any case are
     * fields, so their words are words (the articles have no titles): */
    expect(s, "Body:ransomwre", NULL, 0, "Body:ransomware");
    expect(s, "BODY:\"ransomwre struck\"", NULL, 0,
           "BODY:\"ransomware struck\"");
    /* a field opens a group's first item too: */
    expect(s, "(title:ransomwre OR body:hospitl)", NULL, 0,
           "(title:ransomware OR body:hospital)");
    /* a word before a colon that names no field is a word: */
    expect(s, "hospitl: ransomwre", NULL, 0, "hospital: ransomware");
    /* a designator typed apart is one identifier ("temp15"), not the
     * word "temp" one edit from "tempo": */
    expect(s, "temp 15 ransomwre", NULL, 0, "temp 15 ransomware");
    /* signs, operators, prefix* and spacing stay as typed */
    expect(s, "+ransomwre  AND NOT\t-hospi*", NULL, 0,
           "+ransomware  AND NOT\t-hospi*");
  }
  cys_searcher_free(s);
  remove_tree(dir);
  return check_done();
}
