/*
 * test_neardup.c — near-duplicates found by signature (dedup.c,
 * dedup_sign.c), end to end through cys_writer: among twelve different
 * stories under one headline, in one week, a syndicated copy of the last
 * one folds into it (a search of the headline's words finds them all
 * alike: the copy's original is not among its best matches) and the
 * stories stay apart; a copy under a new headline folds; every article
 * with a word pair holds its band terms.  Relinking: shards built apart
 * join the copies, a second relink changes nothing, and an index whose
 * articles lack band terms (written before signatures) gets them and the
 * same keys.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/db.h"
#include "cysearch/schema.h"
#include "cysearch/writer.h"
#include "dedup_sign.h"
#include "tempdir.h"

#define STORIES 12

/* A made-up story: 90 words of a made-up language, a different draw for
 * each seed (stories share a few words, as unrelated news does). */
static void story(unsigned seed, char *out, size_t cap) {
  static const char *const syllables[] = {"ba", "ko", "ri", "du", "ne", "sa",
                                          "tel", "mor", "vin", "qua", "lo",
                                          "pe", "zu", "gar", "fi", "hom"};
  uint32_t x = seed * 2654435761u + 12345u;
  size_t at = 0;
  for (int w = 0; w < 90 && at + 16 < cap; w++) {
    x = x * 1103515245u + 12345u;
    int n = 2 + (int)((x >> 16) % 2);
    for (int s = 0; s < n; s++) {
      x = x * 1103515245u + 12345u;
      at += (size_t)snprintf(out + at, cap - at, "%s",
                             syllables[(x >> 16) % 16]);
    }
    out[at++] = (w % 15 == 14) ? '.' : ' ';
    if (w % 15 == 14)
      out[at++] = ' ';
  }
  out[at] = '\0';
}

static char bodies[STORIES][2048], copy_body[2300], retitled_body[2300];

static cys_article article(int i, const char *id, const char *date) {
  return (cys_article){.id = id, .title = "Weekly security roundup",
                       .date = date, .source = "example.org",
                       .body = bodies[i]};
}

/* The collapse key of id in the index (or shard) at path; "" when it is
 * not there. */
static void key_of(const char *path, const char *id, char key[32]) {
  char term[64];
  cys_wdb *wdb = cys_wdb_new();
  cys_docid docid = 0;
  key[0] = '\0';
  snprintf(term, sizeof term, "Q%s", id);
  if (cys_wdb_open(wdb, path) == CYS_OK &&
      cys_wdb_find(wdb, term, strlen(term), &docid) == CYS_OK && docid) {
    char *v = NULL;
    size_t vlen = 0;
    if (cys_wdb_get_value(wdb, docid, CYS_SLOT_COLLAPSE, &v, &vlen) ==
            CYS_OK && vlen < 32) {
      memcpy(key, v, vlen);
      key[vlen] = '\0';
    }
    free(v);
  }
  cys_wdb_free(wdb);
}

typedef struct counter {
  int n;
} counter;

static int count_band(void *ctx, const char *term, size_t len, uint64_t wdf) {
  counter *c = ctx;
  (void)wdf;
  if (len < 4 || memcmp(term, CYS_PREFIX_SIGNATURE, 4) != 0)
    return 1;
  c->n++;
  return 0;
}

/* Band terms of id in the index at path. */
static int bands_of(const char *path, const char *id) {
  char term[64];
  counter c = {0};
  cys_wdb *wdb = cys_wdb_new();
  cys_docid docid = 0;
  snprintf(term, sizeof term, "Q%s", id);
  if (cys_wdb_open(wdb, path) == CYS_OK &&
      cys_wdb_find(wdb, term, strlen(term), &docid) == CYS_OK && docid)
    cys_wdb_termlist(wdb, docid, CYS_PREFIX_SIGNATURE, count_band, &c);
  cys_wdb_free(wdb);
  return c.n;
}

/* The twelve stories, the copy of the last and the retitled copy of the
 * first, through writer w (all of them or those of its shard). */
static int put_all(cys_writer *w, unsigned shard, unsigned nshards) {
  char ids[STORIES][16];
  int ok = 1;
  for (int i = 0; i < STORIES && ok; i++) {
    snprintf(ids[i], sizeof ids[i], "story-%02d", i);
    cys_article a = article(i, ids[i], "2024-03-04");
    if (nshards == 0 || cys_shard_of(a.id, nshards) == shard)
      ok = cys_writer_put(w, &a, NULL) == CYS_OK;
  }
  cys_article copy = article(STORIES - 1, "wire-copy", "2024-03-06");
  copy.body = copy_body;
  copy.source = "wire.example";
  cys_article retitled = {.id = "retitled", .title = "Gateway makers patch",
                          .date = "2024-03-05", .source = "other.example",
                          .body = retitled_body};
  if (ok && (nshards == 0 || cys_shard_of(copy.id, nshards) == shard))
    ok = cys_writer_put(w, &copy, NULL) == CYS_OK;
  if (ok && (nshards == 0 || cys_shard_of(retitled.id, nshards) == shard))
    ok = cys_writer_put(w, &retitled, NULL) == CYS_OK;
  return ok && cys_writer_commit(w) == CYS_OK;
}

/* The key of id in the index dir, however it is laid out. */
typedef void (*key_fn)(const char *dir, const char *id, char key[32]);

static void plain_key(const char *dir, const char *id, char key[32]) {
  key_of(dir, id, key);
}

static void sharded_key(const char *dir, const char *id, char key[32]) {
  char path[4300];
  cys_index_shard_path(dir, cys_shard_of(id, 2), path, sizeof path);
  key_of(path, id, key);
}

/* The copies fold into their originals, the stories stay apart. */
static void check_folds(const char *dir, key_fn key) {
  char k[STORIES][32], copy[32], retitled[32];
  for (int i = 0; i < STORIES; i++) {
    char id[16];
    snprintf(id, sizeof id, "story-%02d", i);
    key(dir, id, k[i]);
    CHECK_INT(strlen(k[i]), 16);
    for (int j = 0; j < i; j++)
      CHECK(strcmp(k[i], k[j]) != 0); /* different stories stay apart */
  }
  key(dir, "wire-copy", copy);
  key(dir, "retitled", retitled);
  CHECK_STR(copy, k[STORIES - 1]);
  CHECK_STR(retitled, k[0]);
}

/* Remove every band term of the documents of the index at path, as an
 * index written before signatures lacks them. */
typedef struct terms_seen {
  char term[DEDUP_SIGN_BANDS + 8][64];
  size_t n;
} terms_seen;

static int keep_band(void *ctx, const char *term, size_t len, uint64_t wdf) {
  terms_seen *t = ctx;
  (void)wdf;
  if (len < 4 || memcmp(term, CYS_PREFIX_SIGNATURE, 4) != 0 || len > 63 ||
      t->n == sizeof t->term / sizeof *t->term)
    return 1;
  memcpy(t->term[t->n], term, len);
  t->term[t->n++][len] = '\0';
  return 0;
}

static int strip_bands(const char *path) {
  cys_wdb *wdb = cys_wdb_new();
  cys_docid *docids = NULL;
  size_t n = 0;
  int ok = cys_wdb_open(wdb, path) == CYS_OK &&
           cys_wdb_docids(wdb, &docids, &n) == CYS_OK;
  for (size_t i = 0; ok && i < n; i++) {
    terms_seen t = {.n = 0};
    ok = cys_wdb_termlist(wdb, docids[i], CYS_PREFIX_SIGNATURE, keep_band,
                          &t) == CYS_OK;
    for (size_t k = 0; ok && k < t.n; k++)
      ok = cys_wdb_retag(wdb, docids[i], t.term[k], strlen(t.term[k]), NULL,
                         0) == CYS_OK;
  }
  ok = ok && cys_wdb_commit(wdb) == CYS_OK;
  free(docids);
  cys_wdb_free(wdb);
  return ok;
}

int main(void) {
  for (int i = 0; i < STORIES; i++)
    story((unsigned)i + 1, bodies[i], sizeof bodies[i]);
  snprintf(copy_body, sizeof copy_body,
           "(Wire) - %s This story first appeared on wire.example.",
           bodies[STORIES - 1]);
  snprintf(retitled_body, sizeof retitled_body, "%s Reporting by staff.",
           bodies[0]);
  char dir[] = "/tmp/cysearch-neardup-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  char plain[4200], sharded[4200];
  snprintf(plain, sizeof plain, "%s/plain", dir);
  snprintf(sharded, sizeof sharded, "%s/sharded", dir);

  /* One index, written in order. */
  cys_writer *w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, plain, NULL), CYS_OK);
  CHECK(put_all(w, 0, 0));
  cys_writer_free(w);
  check_folds(plain, plain_key);
  CHECK_INT(bands_of(plain, "story-00"), DEDUP_SIGN_BANDS);
  CHECK_INT(bands_of(plain, "wire-copy"), DEDUP_SIGN_BANDS);
  uint64_t examined = 0, changed = 0;
  w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, plain, NULL), CYS_OK);
  CHECK_INT(cys_writer_relink(w, 100, 2, NULL, NULL, &examined, &changed),
            CYS_OK);
  CHECK_INT(examined, STORIES + 2);
  CHECK_INT(changed, 0); /* the writer's keys are the relink's */
  cys_writer_free(w);

  /* Written before signatures: no band terms, so nothing is found until
   * a relink gives them back. */
  CHECK(strip_bands(plain));
  CHECK_INT(bands_of(plain, "story-00"), 0);
  w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, plain, NULL), CYS_OK);
  CHECK_INT(cys_writer_relink(w, 5, 2, NULL, NULL, &examined, &changed),
            CYS_OK);
  CHECK_INT(changed, 0);
  cys_writer_free(w);
  CHECK_INT(bands_of(plain, "story-00"), DEDUP_SIGN_BANDS);
  check_folds(plain, plain_key);

  /* Two shards built apart: the copies' originals are elsewhere, until
   * the relink. */
  for (unsigned s = 0; s < 2; s++) {
    w = cys_writer_new();
    CHECK_INT(cys_writer_open_shard(w, sharded, NULL, 2, s), CYS_OK);
    CHECK(put_all(w, s, 2));
    cys_writer_free(w);
  }
  w = cys_writer_new();
  CHECK_INT(cys_writer_open_shards(w, sharded, NULL, 0), CYS_OK);
  CHECK_INT(cys_writer_relink(w, 100, 2, NULL, NULL, &examined, &changed),
            CYS_OK);
  CHECK_INT(examined, STORIES + 2);
  CHECK_INT(cys_writer_relink(w, 100, 2, NULL, NULL, &examined, &changed),
            CYS_OK);
  CHECK_INT(changed, 0);
  cys_writer_free(w);
  check_folds(sharded, sharded_key);

  remove_tree(dir);
  return check_done();
}
