/*
 * test_db.c — the C API over Xapian in a temporary directory: writing
 * documents (postings, values, data), commit, reading, term frequencies,
 * every query constructor, mset totals and items, error codes and messages
 * (missing index, second writer, unopened handles), dropping uncommitted
 * work on free, and *_free(NULL).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "tempdir.h"
#include "cysearch/db.h"
#include "cysearch/index.h"

/* ---- temporary directory ------------------------------------------------- */

#define T(s) s, strlen(s)

/* ---- helpers ------------------------------------------------------------- */

/* One document: unique id term "Q<id>", words as postings 1..n plus a "Z"
 * term per word, a date value in slot 0 and data "data-<id>". */
static cys_status add_doc(cys_wdb *w, cys_doc *doc, const char *id,
                          const char *words, const char *date) {
  char term[64];
  cys_status st = CYS_OK;
  cys_doc_clear(doc);
  char copy[256];
  snprintf(copy, sizeof copy, "%s", words);
  unsigned pos = 1;
  for (char *save = NULL, *w1 = strtok_r(copy, " ", &save); w1 && !st;
       w1 = strtok_r(NULL, " ", &save), pos++) {
    st = cys_doc_add_posting(doc, T(w1), pos);
    snprintf(term, sizeof term, "Z%s", w1);
    if (!st)
      st = cys_doc_add_term(doc, T(term), 1);
  }
  snprintf(term, sizeof term, "Q%s", id);
  if (!st)
    st = cys_doc_add_boolean_term(doc, T(term));
  if (!st && date)
    st = cys_doc_set_value(doc, 0, T(date));
  char data[64];
  snprintf(data, sizeof data, "data-%s", id);
  if (!st)
    st = cys_doc_set_data(doc, T(data));
  if (!st)
    st = cys_wdb_replace(w, T(term), doc);
  return st;
}

/* Run q and return the mset size (or -1), with its exact total in *total
 * and the data of the hits joined by ',' in hits. */
static long search(cys_db *db, const cys_query *q, uint32_t first, uint32_t max,
                   uint64_t *total, char *hits, size_t cap) {
  cys_match_params mp;
  cys_match_params_init(&mp);
  mp.first = first;
  mp.max = max;
  mp.check_at_least = 100;
  cys_mset *m = NULL;
  if (cys_db_search(db, q, &mp, &m) != CYS_OK)
    return -1;
  uint64_t est = 0, lo = 0, hi = 0;
  cys_mset_totals(m, &est, &lo, &hi);
  *total = (lo == hi && est == lo) ? est : (uint64_t)-1;
  hits[0] = '\0';
  size_t n = cys_mset_size(m);
  for (size_t i = 0; i < n; i++) {
    cys_mset_item it;
    if (cys_mset_item_get(m, i, &it) != CYS_OK || it.rank != first + i) {
      cys_mset_free(m);
      return -1;
    }
    size_t len = strlen(hits);
    snprintf(hits + len, cap - len, "%s%.*s", i ? "," : "", (int)it.data_len,
             (const char *)it.data);
  }
  cys_mset_free(m);
  return (long)n;
}

static cys_query *term(const char *t) {
  cys_query *q = NULL;
  return cys_query_new_term(T(t), 1, 0, &q) == CYS_OK ? q : NULL;
}

static cys_query *combine(cys_query_op op, cys_query *a, cys_query *b,
                          unsigned window) {
  cys_query *subs[2] = {a, b}, *q = NULL;
  cys_status st = cys_query_new_combined(op, subs, 2, window, &q);
  cys_query_free(a);
  cys_query_free(b);
  return st == CYS_OK ? q : NULL;
}

/* Search q (then free it), expecting `n` hits whose data is `want`. */
static void expect(cys_db *db, cys_query *q, long n, const char *want,
                   int line) {
  char hits[512];
  uint64_t total = 0;
  long got = q ? search(db, q, 0, 10, &total, hits, sizeof hits) : -2;
  int ok = got == n && total == (uint64_t)n && strcmp(hits, want) == 0;
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  (line %d: %ld hits \"%s\", total %lld)\n", line, got,
            got >= 0 ? hits : "", (long long)total);
  cys_query_free(q);
}

/* ---- the tests ----------------------------------------------------------- */

static void test_write(const char *path) {
  cys_wdb *w = cys_wdb_new();
  cys_doc *doc = cys_doc_new();
  CHECK(w && doc);
  if (!w || !doc)
    return;
  CHECK_STR(cys_wdb_errmsg(w), "");
  CHECK_INT(cys_wdb_open(w, path), CYS_OK);
  CHECK_INT(add_doc(w, doc, "1", "apache struts vulnerability", "20210304"),
            CYS_OK);
  CHECK_INT(add_doc(w, doc, "2", "apache log4j log4j", "20211210"), CYS_OK);
  CHECK_INT(add_doc(w, doc, "3", "struts apache", "20190101"), CYS_OK);
  CHECK_INT(cys_wdb_set_metadata(w, "cysearch.test", "value"), CYS_OK);

  uint64_t count = 0;
  CHECK_INT(cys_wdb_doccount(w, &count), CYS_OK);
  CHECK_INT(count, 3);
  cys_docid id = 99;
  CHECK_INT(cys_wdb_find(w, T("Q2"), &id), CYS_OK);
  CHECK_INT(id, 2);
  CHECK_INT(cys_wdb_find(w, T("Qnone"), &id), CYS_OK);
  CHECK_INT(id, 0);
  char *value = NULL;
  size_t vlen = 0;
  CHECK_INT(cys_wdb_get_value(w, 2, 0, &value, &vlen), CYS_OK);
  CHECK_STR(value, "20211210");
  CHECK_INT(vlen, 8);
  free(value);
  value = NULL;
  CHECK_INT(cys_wdb_get_value(w, 2, 7, &value, &vlen), CYS_OK);
  CHECK_STR(value, "");
  CHECK_INT(vlen, 0);
  free(value);
  value = NULL;
  CHECK_INT(cys_wdb_get_metadata(w, "cysearch.test", &value), CYS_OK);
  CHECK_STR(value, "value");
  free(value);

  /* a replace keeps one document per unique term */
  CHECK_INT(add_doc(w, doc, "3", "struts apache", "20190101"), CYS_OK);
  CHECK_INT(cys_wdb_doccount(w, &count), CYS_OK);
  CHECK_INT(count, 3);

  /* bad arguments */
  CHECK_INT(cys_doc_add_posting(doc, "", 0, 1), CYS_INVALID);
  char long_term[CYS_TERM_MAX + 2];
  memset(long_term, 't', sizeof long_term);
  CHECK_INT(cys_doc_add_term(doc, long_term, CYS_TERM_MAX + 1, 1), CYS_INVALID);
  CHECK_INT(cys_doc_add_term(doc, long_term, CYS_TERM_MAX, 1), CYS_OK);
  CHECK_INT(cys_wdb_replace(w, "", 0, doc), CYS_INVALID);

  /* a second writer on the same path is locked out */
  cys_wdb *w2 = cys_wdb_new();
  CHECK_INT(cys_wdb_open(w2, path), CYS_LOCKED);
  CHECK(strlen(cys_wdb_errmsg(w2)) > 0);
  CHECK_INT(cys_wdb_doccount(w2, &count), CYS_INVALID);
  cys_wdb_free(w2);

  CHECK_INT(cys_wdb_commit(w), CYS_OK);
  cys_doc_free(doc);
  cys_wdb_free(w);
}

static void test_read(const char *path) {
  cys_db *db = cys_db_new();
  CHECK(db != NULL);
  if (!db)
    return;
  uint64_t n = 0;
  CHECK_INT(cys_db_doccount(db, &n), CYS_INVALID); /* not open yet */
  CHECK_INT(cys_db_open(db, path), CYS_OK);
  CHECK_STR(cys_db_errmsg(db), "");
  CHECK_INT(cys_db_doccount(db, &n), CYS_OK);
  CHECK_INT(n, 3);
  CHECK_INT(cys_db_termfreq(db, T("apache"), &n), CYS_OK);
  CHECK_INT(n, 3);
  CHECK_INT(cys_db_termfreq(db, T("log4j"), &n), CYS_OK);
  CHECK_INT(n, 1);
  CHECK_INT(cys_db_termfreq(db, T("Zstruts"), &n), CYS_OK);
  CHECK_INT(n, 2);
  CHECK_INT(cys_db_termfreq(db, T("absent"), &n), CYS_OK);
  CHECK_INT(n, 0);
  char *meta = NULL;
  CHECK_INT(cys_db_get_metadata(db, "cysearch.test", &meta), CYS_OK);
  CHECK_STR(meta, "value");
  free(meta);
  meta = NULL;
  CHECK_INT(cys_db_get_metadata(db, "unset.key", &meta), CYS_OK);
  CHECK_STR(meta, "");
  free(meta);

  /* terms and combinations */
  expect(db, term("log4j"), 1, "data-2", __LINE__);
  expect(db, term("absent"), 0, "", __LINE__);
  /* doc 3 is shorter than doc 1, so BM25 ranks it first */
  expect(db, combine(CYS_OP_AND, term("apache"), term("struts"), 0), 2,
         "data-3,data-1", __LINE__);
  expect(db, combine(CYS_OP_AND_NOT, term("apache"), term("log4j"), 0), 2,
         "data-3,data-1", __LINE__);
  expect(db, combine(CYS_OP_PHRASE, term("apache"), term("struts"), 0), 1,
         "data-1", __LINE__);
  expect(db, combine(CYS_OP_PHRASE, term("struts"), term("apache"), 0), 1,
         "data-3", __LINE__);
  expect(db, combine(CYS_OP_NEAR, term("struts"), term("apache"), 2), 2,
         "data-3,data-1", __LINE__);
  expect(db, combine(CYS_OP_FILTER, term("apache"), term("Q3"), 0), 1, "data-3",
         __LINE__);
  /* OR ranks the doc with log4j twice (a rare term) first */
  expect(db, combine(CYS_OP_OR, term("log4j"), term("struts"), 0), 3,
         "data-2,data-3,data-1", __LINE__);
  expect(db, combine(CYS_OP_AND_MAYBE, term("struts"), term("log4j"), 0), 2,
         "data-3,data-1", __LINE__);
  expect(db, combine(CYS_OP_SYNONYM, term("log4j"), term("struts"), 0), 3,
         "data-2,data-3,data-1", __LINE__);

  /* value ranges over slot 0 (bytewise, inclusive, open ends) */
  cys_query *q = NULL;
  CHECK_INT(cys_query_new_value_range(0, "20210101", "20211231", &q), CYS_OK);
  expect(db, q, 2, "data-1,data-2", __LINE__);
  CHECK_INT(cys_query_new_value_range(0, "20211210", NULL, &q), CYS_OK);
  expect(db, q, 1, "data-2", __LINE__);
  CHECK_INT(cys_query_new_value_range(0, NULL, "20200101", &q), CYS_OK);
  expect(db, q, 1, "data-3", __LINE__);
  CHECK_INT(cys_query_new_value_range(0, "2030", "2040", &q), CYS_OK);
  expect(db, q, 0, "", __LINE__);

  /* a boolean term matches with no weight; all / none */
  q = NULL;
  CHECK_INT(cys_query_new_boolean_term(T("Q1"), &q), CYS_OK);
  cys_match_params mp;
  cys_match_params_init(&mp);
  cys_mset *m = NULL;
  CHECK_INT(cys_db_search(db, q, &mp, &m), CYS_OK);
  cys_mset_item it;
  CHECK_INT(cys_mset_size(m), 1);
  CHECK_INT(cys_mset_item_get(m, 0, &it), CYS_OK);
  CHECK(it.score == 0.0);
  CHECK_INT(it.docid, 1);
  CHECK_INT(cys_mset_item_get(m, 1, &it), CYS_INVALID);
  cys_mset_free(m);
  cys_query_free(q);
  CHECK_INT(cys_query_new_all(&q), CYS_OK);
  CHECK(!cys_query_is_empty(q));
  expect(db, q, 3, "data-1,data-2,data-3", __LINE__);
  CHECK_INT(cys_query_new_none(&q), CYS_OK);
  CHECK(cys_query_is_empty(q));
  expect(db, q, 0, "", __LINE__);

  /* scaling changes scores, not matches */
  cys_query *base = term("apache"), *scaled = NULL;
  CHECK_INT(cys_query_new_scaled(base, 0.0, &scaled), CYS_OK);
  CHECK_INT(cys_query_new_scaled(base, -1.0, &q), CYS_INVALID);
  m = NULL;
  CHECK_INT(cys_db_search(db, scaled, &mp, &m), CYS_OK);
  CHECK_INT(cys_mset_size(m), 3);
  if (cys_mset_item_get(m, 0, &it) == CYS_OK)
    CHECK(it.score == 0.0);
  cys_mset_free(m);
  cys_query_free(scaled);
  cys_query_free(base);

  /* counted values: each distinct value once, in byte order, with its
   * count; short values (kept inside their std::string) included */
  cys_match_params counted;
  cys_match_params_init(&counted);
  counted.count_values = 1;
  counted.count_slot = 0;
  counted.check_at_least = 100;
  CHECK_INT(cys_query_new_all(&q), CYS_OK);
  m = NULL;
  CHECK_INT(cys_db_search(db, q, &counted, &m), CYS_OK);
  CHECK_INT(cys_mset_count_size(m), 3);
  static const char *const dates[] = {"20190101", "20210304", "20211210"};
  for (size_t i = 0; i < 3 && i < cys_mset_count_size(m); i++) {
    const char *v;
    size_t len;
    uint64_t count;
    cys_mset_count_get(m, i, &v, &len, &count);
    CHECK(len == 8 && memcmp(v, dates[i], 8) == 0);
    CHECK_INT(count, 1);
  }
  CHECK(cys_mset_counted_all(m));
  cys_mset_free(m);
  cys_query_free(q);
  q = term("log4j"); /* one value: 8 bytes, under std::string's SSO size */
  m = NULL;
  CHECK_INT(cys_db_search(db, q, &counted, &m), CYS_OK);
  CHECK_INT(cys_mset_count_size(m), 1);
  if (cys_mset_count_size(m) == 1) {
    const char *v;
    size_t len;
    uint64_t count;
    cys_mset_count_get(m, 0, &v, &len, &count);
    CHECK(len == 8 && memcmp(v, "20211210", 8) == 0);
    CHECK_INT(count, 1);
  }
  cys_mset_free(m);
  cys_query_free(q);
  q = term("absent");
  m = NULL;
  CHECK_INT(cys_db_search(db, q, &counted, &m), CYS_OK);
  CHECK_INT(cys_mset_count_size(m), 0);
  cys_mset_free(m);
  cys_query_free(q);

  /* paging: ranks are over the whole result */
  char hits[256];
  uint64_t total = 0;
  q = combine(CYS_OP_OR, term("log4j"), term("struts"), 0);
  CHECK_INT(search(db, q, 1, 1, &total, hits, sizeof hits), 1);
  CHECK_STR(hits, "data-3");
  CHECK_INT(total, 3);
  CHECK_INT(search(db, q, 3, 10, &total, hits, sizeof hits), 0);
  CHECK_INT(total, 3);
  char *desc = NULL;
  CHECK_INT(cys_query_describe(q, &desc), CYS_OK);
  CHECK(desc && strstr(desc, "log4j") && strstr(desc, "struts") &&
        strstr(desc, "OR"));
  free(desc);
  cys_query_free(q);

  /* query construction errors */
  q = NULL;
  CHECK_INT(cys_query_new_term("", 0, 1, 0, &q), CYS_INVALID);
  char long_term[CYS_TERM_MAX + 1];
  memset(long_term, 'x', sizeof long_term);
  CHECK_INT(cys_query_new_term(long_term, sizeof long_term, 1, 0, &q),
            CYS_INVALID);
  cys_query *null_sub[2] = {NULL, NULL};
  CHECK_INT(cys_query_new_combined(CYS_OP_AND, null_sub, 2, 0, &q),
            CYS_INVALID);
  CHECK_INT(cys_query_new_combined((cys_query_op)99, null_sub, 0, 0, &q),
            CYS_INVALID);
  CHECK(q == NULL);
  CHECK_INT(cys_db_search(db, NULL, &mp, &m), CYS_INVALID);
  cys_db_free(db);
}

/* Work that is never committed is gone; a reader sees commits on reopen. */
static void test_uncommitted(const char *path) {
  cys_db *db = cys_db_new();
  CHECK_INT(cys_db_open(db, path), CYS_OK);
  cys_wdb *w = cys_wdb_new();
  cys_doc *doc = cys_doc_new();
  CHECK_INT(cys_wdb_open(w, path), CYS_OK);
  CHECK_INT(add_doc(w, doc, "9", "uncommitted words", NULL), CYS_OK);
  uint64_t n = 0;
  CHECK_INT(cys_wdb_doccount(w, &n), CYS_OK);
  CHECK_INT(n, 4);
  cys_wdb_free(w); /* no commit */

  w = cys_wdb_new();
  CHECK_INT(cys_wdb_open(w, path), CYS_OK); /* the lock was released */
  CHECK_INT(cys_wdb_doccount(w, &n), CYS_OK);
  CHECK_INT(n, 3);
  cys_docid id = 1;
  CHECK_INT(cys_wdb_find(w, T("Q9"), &id), CYS_OK);
  CHECK_INT(id, 0);

  /* delete one, add one, commit: the open reader sees it after reopen */
  CHECK_INT(cys_wdb_delete(w, T("Q1")), CYS_OK);
  CHECK_INT(add_doc(w, doc, "4", "fresh words", NULL), CYS_OK);
  CHECK_INT(cys_wdb_commit(w), CYS_OK);
  CHECK_INT(cys_db_reopen(db), CYS_OK);
  CHECK_INT(cys_db_termfreq(db, T("Q9"), &n), CYS_OK);
  CHECK_INT(n, 0);
  CHECK_INT(cys_db_termfreq(db, T("Q1"), &n), CYS_OK);
  CHECK_INT(n, 0);
  CHECK_INT(cys_db_termfreq(db, T("fresh"), &n), CYS_OK);
  CHECK_INT(n, 1);
  CHECK_INT(cys_db_doccount(db, &n), CYS_OK);
  CHECK_INT(n, 3);
  cys_doc_free(doc);
  cys_wdb_free(w);
  cys_db_free(db);
}

static void test_errors(const char *dir) {
  char missing[4096];
  snprintf(missing, sizeof missing, "%s/no-such-index", dir);
  cys_db *db = cys_db_new();
  CHECK_INT(cys_db_open(db, missing), CYS_NOT_FOUND);
  CHECK(strlen(cys_db_errmsg(db)) > 0);
  uint64_t n = 0;
  CHECK_INT(cys_db_doccount(db, &n), CYS_INVALID);
  CHECK_INT(cys_db_reopen(db), CYS_INVALID);
  CHECK_INT(cys_db_open(db, NULL), CYS_INVALID);
  cys_db_free(db);

  /* a file where a directory should be */
  char file[4096];
  snprintf(file, sizeof file, "%s/plain-file", dir);
  FILE *f = fopen(file, "w");
  CHECK(f != NULL);
  if (f) {
    fputs("not an index\n", f);
    fclose(f);
    db = cys_db_new();
    cys_status st = cys_db_open(db, file);
    CHECK(st != CYS_OK);
    CHECK(strlen(cys_db_errmsg(db)) > 0);
    cys_db_free(db);
    cys_wdb *w = cys_wdb_new();
    CHECK(cys_wdb_open(w, file) != CYS_OK);
    CHECK(strlen(cys_wdb_errmsg(w)) > 0);
    cys_wdb_free(w);
  }

  /* calls on handles that never opened */
  cys_wdb *w = cys_wdb_new();
  CHECK_INT(cys_wdb_commit(w), CYS_INVALID);
  CHECK_INT(cys_wdb_set_metadata(w, "k", "v"), CYS_INVALID);
  cys_wdb_free(w);
  CHECK_STR(cys_db_errmsg(NULL), "no database handle");

  /* every free accepts NULL */
  cys_db_free(NULL);
  cys_wdb_free(NULL);
  cys_doc_free(NULL);
  cys_doc_clear(NULL);
  cys_query_free(NULL);
  cys_mset_free(NULL);
  CHECK_INT(cys_mset_size(NULL), 0);
  CHECK(cys_query_is_empty(NULL));
}

/* index.h: an index looked after as a whole.  No index at a path is
 * CYS_NOT_FOUND for each call, with the reason in the message. */
static void test_index_calls(const char *dir, const char *path) {
  char missing[4096], empty[4096], copy[4096];
  snprintf(missing, sizeof missing, "%s/no-such-index", dir);
  snprintf(empty, sizeof empty, "%s/empty-dir", dir);
  snprintf(copy, sizeof copy, "%s/compacted", dir);
  CHECK(mkdir(empty, 0700) == 0);
  char *report = NULL;
  CHECK_INT(cys_index_check(path, &report), CYS_OK);
  CHECK(report && strstr(report, "checked"));
  free(report);
  const char *absent[] = {missing, empty};
  for (size_t i = 0; i < 2; i++) {
    report = NULL;
    CHECK_INT(cys_index_check(absent[i], &report), CYS_NOT_FOUND);
    CHECK(report && strlen(report) > 0);
    free(report);
    char *error = NULL;
    CHECK_INT(cys_index_compact(absent[i], copy, &error), CYS_NOT_FOUND);
    CHECK(error && strlen(error) > 0);
    free(error);
  }
  CHECK_INT(cys_index_check(NULL, NULL), CYS_INVALID);

  /* Every failure comes with its message, a NULL argument too. */
  char *error = NULL;
  CHECK_INT(cys_index_check(NULL, &error), CYS_INVALID);
  CHECK(error && strstr(error, "path"));
  free(error);
  error = NULL;
  CHECK_INT(cys_index_compact(path, NULL, &error), CYS_INVALID);
  CHECK(error && strlen(error) > 0);
  free(error);
  error = NULL;
  CHECK_INT(cys_index_merge(NULL, 0, copy, &error), CYS_INVALID);
  CHECK(error && strlen(error) > 0);
  free(error);

  /* Compacting or merging into a directory that holds something is
   * refused and writes nothing there: an index is not written over. */
  char used[4096], mark[4200];
  snprintf(used, sizeof used, "%s/used-dir", dir);
  snprintf(mark, sizeof mark, "%s/keep.txt", used);
  CHECK(mkdir(used, 0700) == 0);
  FILE *f = fopen(mark, "w");
  CHECK(f && fputs("keep\n", f) >= 0 && fclose(f) == 0);
  error = NULL;
  CHECK_INT(cys_index_compact(path, used, &error), CYS_EXISTS);
  CHECK(error && strstr(error, "not empty"));
  free(error);
  const char *one[] = {path};
  error = NULL;
  CHECK_INT(cys_index_merge(one, 1, used, &error), CYS_EXISTS);
  CHECK(error && strstr(error, "not empty"));
  free(error);
  DIR *d = opendir(used);
  size_t entries = 0;
  for (struct dirent *e; d && (e = readdir(d)) != NULL;)
    entries += e->d_name[0] != '.';
  if (d)
    closedir(d);
  CHECK_INT(entries, 1);
  /* An empty directory is fine. */
  error = NULL;
  CHECK_INT(cys_index_compact(path, empty, &error), CYS_OK);
  CHECK(error == NULL);
}

/* A damaged revision file (iamglass) makes check and compact say the
 * index is damaged; Xapian alone reads outside its buffers on some such
 * files (glass_revision.h), which crashed both.  Each 4-byte run after the
 * header of a copy of the index is set to 0x7F in turn. */
static void test_index_calls_damaged(const char *dir, const char *path) {
  char version[4200], copy[4200], saved[1024];
  snprintf(version, sizeof version, "%s/iamglass", path);
  snprintf(copy, sizeof copy, "%s/compacted-damaged", dir);
  FILE *f = fopen(version, "rb");
  CHECK(f != NULL);
  if (!f)
    return;
  size_t len = fread(saved, 1, sizeof saved, f);
  fclose(f);
  int refused = 0;
  for (size_t at = 32; at + 4 <= len; at++) {
    unsigned char damaged[1024];
    memcpy(damaged, saved, len);
    memset(damaged + at, 0x7F, 4);
    f = fopen(version, "wb");
    CHECK(f != NULL);
    if (!f)
      break;
    fwrite(damaged, 1, len, f);
    fclose(f);
    char *report = NULL;
    cys_status st = cys_index_check(path, &report);
    CHECK(st == CYS_OK || st == CYS_CORRUPT);
    free(report);
    remove_tree(copy);
    char *error = NULL;
    cys_status cst = cys_index_compact(path, copy, &error);
    CHECK(cst == CYS_OK || cst == CYS_CORRUPT);
    refused += st == CYS_CORRUPT && cst == CYS_CORRUPT;
    free(error);
  }
  CHECK(refused > 0);
  f = fopen(version, "wb");
  CHECK(f != NULL);
  if (f) {
    fwrite(saved, 1, len, f);
    fclose(f);
  }
  remove_tree(copy);
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-db-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/index", dir);
  test_write(path);
  test_read(path);
  test_uncommitted(path);
  test_errors(dir);
  test_index_calls(dir, path);
  test_index_calls_damaged(dir, path);
  remove_tree(dir);
  struct stat st;
  CHECK(stat(dir, &st) != 0); /* cleaned up */
  return check_done();
}
