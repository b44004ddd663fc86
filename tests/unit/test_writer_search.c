/*
 * test_writer_search.c — cys_writer and cys_searcher end to end in a
 * temporary directory: put outcomes (ADDED, REPLACED, UNCHANGED), delete,
 * bad input, locking, language checks, uncommitted work dropped, ranking,
 * exact totals, paging, snippets and the errors of a missing index.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "tempdir.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"

#define NFILLER 25

static const char *const hospital_body =
    "The ransomware gang hacked the hospital network and demanded a ransom. "
    "Hospital systems stayed down for days.";

/* Put an article and return the outcome, or -1 on error. */
static int put(cys_writer *w, const char *id, const char *title,
               const char *body) {
  cys_article a = {
      id, title, "2021-03-04", "Example.org", "https://example.org/x", body};
  cys_put_outcome o = (cys_put_outcome)-1;
  cys_status st = cys_writer_put(w, &a, &o);
  return st == CYS_OK ? (int)o : -1;
}

static void test_write(const char *path) {
  cys_writer *w = cys_writer_new();
  CHECK(w != NULL);
  if (!w)
    return;
  CHECK_INT(cys_writer_open(w, path, NULL), CYS_OK);
  uint64_t n = 99;
  CHECK_INT(cys_writer_doccount(w, &n), CYS_OK);
  CHECK_INT(n, 0);

  CHECK_INT(put(w, "a1", "Ransomware gang hits hospital", hospital_body),
            CYS_PUT_ADDED);
  /* one mention of "hospital" in a long body */
  char body[2048] = "A long weather report. ";
  for (int i = 0; i < 20; i++)
    strcat(body, "Rain and wind over the coast, then sun in the hills. ");
  strcat(body, "A hospital opened a new wing.");
  CHECK_INT(put(w, "a2", "Weather report", body), CYS_PUT_ADDED);
  for (int i = 0; i < NFILLER; i++) {
    char id[32], title[64], text[256];
    snprintf(id, sizeof id, "fw-%02d", i);
    snprintf(title, sizeof title, "Update number %d", i);
    snprintf(text, sizeof text, "Vendor %d ships a firmware update%s.", i,
             i % 3 ? " for routers" : "");
    CHECK_INT(put(w, id, title, text), CYS_PUT_ADDED);
  }
  CHECK_INT(put(w, "body-only", NULL, "Only a body about zebras"),
            CYS_PUT_ADDED);
  CHECK_INT(put(w, "title-only", "Only a title about zebras", NULL),
            CYS_PUT_ADDED);
  CHECK_INT(cys_writer_doccount(w, &n), CYS_OK);
  CHECK_INT(n, NFILLER + 4);

  /* the same id again: replaced (doccount unchanged); identical: unchanged */
  CHECK_INT(put(w, "a2", "Weather report", body), CYS_PUT_UNCHANGED);
  CHECK_INT(put(w, "a1", "Ransomware gang hits hospital", "Draft text"),
            CYS_PUT_REPLACED);
  CHECK_INT(put(w, "a1", "Ransomware gang hits hospital", hospital_body),
            CYS_PUT_REPLACED);
  CHECK_INT(put(w, "a1", "Ransomware gang hits hospital", hospital_body),
            CYS_PUT_UNCHANGED);
  CHECK_INT(cys_writer_doccount(w, &n), CYS_OK);
  CHECK_INT(n, NFILLER + 4);
  /* the outcome pointer may be NULL */
  cys_article plain = {
      "a1",          "Ransomware gang hits hospital", "2021-03-04",
      "Example.org", "https://example.org/x",         hospital_body};
  CHECK_INT(cys_writer_put(w, &plain, NULL), CYS_OK);

  /* bad input: no id, empty id, neither title nor body, too long an id */
  cys_article bad = {NULL, "t", NULL, NULL, NULL, "b"};
  CHECK_INT(cys_writer_put(w, &bad, NULL), CYS_BAD_INPUT);
  CHECK(strlen(cys_writer_errmsg(w)) > 0);
  bad.id = "";
  CHECK_INT(cys_writer_put(w, &bad, NULL), CYS_BAD_INPUT);
  cys_article empty = {"no-text", NULL, NULL, NULL, NULL, NULL};
  CHECK_INT(cys_writer_put(w, &empty, NULL), CYS_BAD_INPUT);
  CHECK(strstr(cys_writer_errmsg(w), "no-text") != NULL);
  empty.title = "";
  empty.body = "";
  CHECK_INT(cys_writer_put(w, &empty, NULL), CYS_BAD_INPUT);
  char long_id[300];
  memset(long_id, 'i', sizeof long_id - 1);
  long_id[sizeof long_id - 1] = '\0';
  cys_article big_id = {long_id, "t", NULL, NULL, NULL, NULL};
  CHECK_INT(cys_writer_put(w, &big_id, NULL), CYS_BAD_INPUT);
  CHECK_INT(cys_writer_doccount(w, &n), CYS_OK);
  CHECK_INT(n, NFILLER + 4);

  /* delete */
  CHECK_INT(put(w, "gone", "To be deleted", "soon gone"), CYS_PUT_ADDED);
  CHECK_INT(cys_writer_delete(w, "gone"), CYS_OK);
  CHECK_INT(cys_writer_delete(w, "gone"), CYS_NOT_FOUND);
  CHECK_INT(cys_writer_delete(w, "never-there"), CYS_NOT_FOUND);
  CHECK_INT(cys_writer_delete(w, ""), CYS_NOT_FOUND);
  CHECK_INT(cys_writer_doccount(w, &n), CYS_OK);
  CHECK_INT(n, NFILLER + 4);
  CHECK_INT(cys_writer_commit(w), CYS_OK);

  /* a second writer is locked out while this one is open */
  cys_writer *w2 = cys_writer_new();
  CHECK_INT(cys_writer_open(w2, path, NULL), CYS_LOCKED);
  CHECK(strlen(cys_writer_errmsg(w2)) > 0);
  cys_writer_free(w2);

  /* uncommitted work is dropped when the writer is freed */
  CHECK_INT(put(w, "temp", "Uncommitted", "never committed words"),
            CYS_PUT_ADDED);
  CHECK_INT(cys_writer_delete(w, "fw-00"), CYS_OK);
  cys_writer_free(w);
}

static void test_reopen(const char *dir, const char *path) {
  /* the language is the index's: another one is refused */
  cys_writer *w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, path, "french"), CYS_INVALID);
  CHECK(strstr(cys_writer_errmsg(w), "english") != NULL);
  cys_writer_free(w);
  w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, path, "english"), CYS_OK);
  uint64_t n = 0;
  CHECK_INT(cys_writer_doccount(w, &n), CYS_OK);
  CHECK_INT(n, NFILLER + 4); /* "temp" dropped, "fw-00" still there */
  /* unchanged across sessions too */
  CHECK_INT(put(w, "a1", "Ransomware gang hits hospital", hospital_body),
            CYS_PUT_UNCHANGED);
  cys_writer_free(w);

  /* an unknown language: CYS_NOT_FOUND, and nothing left on disk */
  char other[4096];
  snprintf(other, sizeof other, "%s/other-index", dir);
  w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, other, "klingon"), CYS_NOT_FOUND);
  CHECK(strstr(cys_writer_errmsg(w), "klingon") != NULL);
  cys_writer_free(w);
  struct stat st;
  CHECK(stat(other, &st) != 0);
  cys_writer_free(NULL);
}

/* The hit with this id, or NULL. */
static const cys_hit *find_hit(const cys_results *r, const char *id) {
  for (size_t i = 0; i < r->nhits; i++)
    if (r->hits[i].record && strcmp(r->hits[i].record->article.id, id) == 0)
      return &r->hits[i];
  return NULL;
}

static cys_results *search(cys_searcher *s, const char *q, size_t offset,
                           size_t limit, size_t snippet_bytes) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.offset = offset;
  o.limit = limit;
  o.snippet_bytes = snippet_bytes;
  cys_results *r = NULL;
  return cys_search(s, q, &o, &r) == CYS_OK ? r : NULL;
}

static void test_search(const char *path) {
  cys_searcher *s = cys_searcher_new();
  CHECK(s != NULL);
  if (!s)
    return;
  cys_results *r = NULL;
  cys_search_options o;
  cys_search_options_init(&o);
  CHECK_INT(cys_search(s, "x", &o, &r), CYS_INVALID); /* not open */
  CHECK_INT(cys_searcher_open(s, path), CYS_OK);
  CHECK_STR(cys_searcher_language(s), "english");
  uint64_t n = 0;
  CHECK_INT(cys_searcher_doccount(s, &n), CYS_OK);
  CHECK_INT(n, NFILLER + 4);

  /* NULL options are the defaults (search.h) */
  r = NULL;
  CHECK_INT(cys_search(s, "hospital", NULL, &r), CYS_OK);
  CHECK(r && r->nhits == 2);
  cys_results_free(r);

  /* ranking: title and body mentions beat one mention in a long body */
  r = search(s, "hospital", 0, 10, 240);
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(r->total, 2);
    CHECK(r->total_exact);
    CHECK_INT(r->nhits, 2);
    if (r->nhits == 2) {
      CHECK_STR(r->hits[0].record->article.id, "a1");
      CHECK_STR(r->hits[1].record->article.id, "a2");
      CHECK(r->hits[0].score > r->hits[1].score);
      CHECK_INT(r->hits[0].rank, 1);
      CHECK_INT(r->hits[1].rank, 2);
      /* the stored article comes back whole */
      const cys_article *a = &r->hits[0].record->article;
      CHECK_STR(a->title, "Ransomware gang hits hospital");
      CHECK_STR(a->body, hospital_body);
      CHECK_STR(a->date, "2021-03-04");
      CHECK_STR(a->source, "Example.org");
      CHECK_STR(a->url, "https://example.org/x");
      /* snippets with spans on the matched words */
      for (size_t i = 0; i < 2; i++) {
        const cys_hit *h = &r->hits[i];
        CHECK(h->snippet != NULL && h->nspans >= 1);
        for (size_t k = 0; h->snippet && k < h->nspans; k++) {
          size_t len = h->spans[k].end - h->spans[k].start;
          CHECK(h->spans[k].end <= strlen(h->snippet));
          CHECK(len == 8 &&
                (strncmp(h->snippet + h->spans[k].start, "hospital", 8) == 0 ||
                 strncmp(h->snippet + h->spans[k].start, "Hospital", 8) == 0));
        }
      }
      CHECK_INT(r->hits[0].nspans, 2); /* "hospital", "Hospital" */
    }
    cys_results_free(r);
  }

  /* snippets off */
  r = search(s, "hospital", 0, 10, 0);
  CHECK(r && r->nhits == 2 && r->hits[0].snippet == NULL &&
        r->hits[0].nspans == 0);
  cys_results_free(r);

  /* a title-only and a body-only article; title: restricts */
  r = search(s, "zebra", 0, 10, 100);
  CHECK(r && r->total == 2 && find_hit(r, "body-only") &&
        find_hit(r, "title-only"));
  const cys_hit *h = r ? find_hit(r, "title-only") : NULL;
  CHECK(h && h->snippet && strstr(h->snippet, "zebras") && h->nspans == 1);
  cys_results_free(r);
  r = search(s, "title:zebras", 0, 10, 100);
  CHECK(r && r->total == 1 && r->nhits == 1 && find_hit(r, "title-only"));
  cys_results_free(r);

  /* the replaced text is gone, deleted and uncommitted articles absent */
  r = search(s, "draft", 0, 10, 0);
  CHECK(r && r->total == 0 && r->nhits == 0 && r->total_exact);
  cys_results_free(r);
  r = search(s, "gone uncommitted", 0, 10, 0);
  CHECK(r && r->total == 0);
  cys_results_free(r);

  /* paging: every match once, ranks continuing, the total always exact */
  int seen[NFILLER] = {0}, bad = 0;
  for (size_t offset = 0; offset < 30; offset += 10) {
    r = search(s, "firmware", offset, 10, 0);
    size_t want = offset + 10 <= NFILLER ? 10 : NFILLER - offset;
    if (!r || r->total != NFILLER || !r->total_exact || r->nhits != want) {
      bad++;
      cys_results_free(r);
      continue;
    }
    for (size_t i = 0; i < r->nhits; i++) {
      int k = -1;
      sscanf(r->hits[i].record->article.id, "fw-%d", &k);
      if (k < 0 || k >= NFILLER || seen[k]++ ||
          r->hits[i].rank != offset + i + 1)
        bad++;
      if (i > 0 && r->hits[i].score > r->hits[i - 1].score)
        bad++;
    }
    cys_results_free(r);
  }
  CHECK_INT(bad, 0);
  for (int k = 0; k < NFILLER; k++)
    CHECK_INT(seen[k], 1);
  r = search(s, "firmware", 100, 10, 0);
  CHECK(r && r->nhits == 0 && r->total == NFILLER);
  cys_results_free(r);
  r = search(s, "firmware routers", 0, 5, 0);
  CHECK(r && r->total == NFILLER && r->nhits == 5);
  /* the ones that also mention routers come first */
  for (size_t i = 0; r && i < r->nhits; i++)
    CHECK(strstr(r->hits[i].record->article.body, "routers") != NULL);
  cys_results_free(r);
  r = search(s, "+firmware +routers", 0, 100, 0);
  CHECK(r && r->total == 16 && r->nhits == 16); /* i % 3 != 0 */
  cys_results_free(r);

  /* nothing searchable, or nothing found */
  r = search(s, "", 0, 10, 100);
  CHECK(r && r->total == 0 && r->nhits == 0);
  cys_results_free(r);
  r = search(s, "nonexistentword", 0, 10, 100);
  CHECK(r && r->total == 0 && r->nhits == 0 && r->total_exact);
  cys_results_free(r);
  cys_searcher_free(s);
}

static void test_missing(const char *dir) {
  char missing[4096], want[4400];
  snprintf(missing, sizeof missing, "%s/no-such-index", dir);
  cys_searcher *s = cys_searcher_new();
  CHECK_INT(cys_searcher_open(s, missing), CYS_NOT_FOUND);
  snprintf(want, sizeof want,
           "cannot open index '%s': not found (no such file or directory; "
           "give the directory of an index, or HOST:PORT of an "
           "xapian-tcpsrv)",
           missing);
  CHECK_STR(cys_searcher_errmsg(s), want);
  CHECK_STR(cys_searcher_language(s), "");
  cys_search_options o;
  cys_search_options_init(&o);
  cys_results *r = NULL;
  CHECK_INT(cys_search(s, "hospital", &o, &r), CYS_INVALID);
  CHECK(r == NULL);
  cys_searcher_free(s);
  cys_searcher_free(NULL);
  cys_results_free(NULL);
}

/* Calls on a writer that was never opened say so (CYS_INVALID) rather
 * than reach for the index it does not have (put, delete, prune and
 * load_gazetteer crashed). */
static void test_writer_not_open(void) {
  cys_writer *w = cys_writer_new();
  CHECK(w != NULL);
  if (!w)
    return;
  cys_article a = {.id = "a1", .title = "t", .body = "b"};
  cys_prepared *p = cys_prepared_new();
  uint64_t deleted = 9, recorded = 9, n = 0;
  CHECK_INT(cys_writer_put(w, &a, NULL), CYS_INVALID);
  CHECK_STR(cys_writer_errmsg(w), "the writer is not open");
  CHECK_INT(cys_writer_put_from(w, &a, "/tmp/a.jsonl", NULL), CYS_INVALID);
  CHECK_INT(cys_writer_put_prepared(w, &a, NULL, p, NULL), CYS_INVALID);
  CHECK_INT(cys_writer_delete(w, "a1"), CYS_INVALID);
  CHECK_INT(cys_writer_prune(w, "/tmp", 1.0, &deleted, &recorded),
            CYS_INVALID);
  CHECK_INT(deleted, 0);
  CHECK_INT(cys_writer_load_gazetteer(w, "/nonexistent.json"), CYS_INVALID);
  CHECK_INT(cys_writer_commit(w), CYS_INVALID);
  CHECK_INT(cys_writer_doccount(w, &n), CYS_INVALID);
  CHECK_STR(cys_writer_errmsg(w), "the writer is not open");
  CHECK(cys_writer_worker_new(w) == NULL);
  cys_prepared_free(p);
  cys_writer_free(w);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-ws-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/index", dir);
  test_write(path);
  test_reopen(dir, path);
  test_search(path);
  test_missing(dir);
  test_writer_not_open();
  remove_tree(dir);
  struct stat st;
  CHECK(stat(dir, &st) != 0);
  return check_done();
}
