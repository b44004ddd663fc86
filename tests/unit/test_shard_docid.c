/*
 * test_shard_docid.c — the numbering of documents across shards
 * (shard_docid.h) against Xapian's own: shards of unequal sizes opened as
 * one view, each document found in the view at the docid the helper
 * gives, and back; the bound relinking filters with, against its
 * definition.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/db.h"
#include "shard_docid.h"
#include "tempdir.h"

#define NSHARDS 3

static const unsigned docs_in[NSHARDS] = {4, 1, 3};

static void id_term(unsigned shard, unsigned local, char *out, size_t cap) {
  snprintf(out, cap, "Qs%u-d%u", shard, local);
}

/* Through a real view of NSHARDS shards of unequal sizes. */
static void test_against_xapian(void) {
  char dir[] = "/tmp/cys-shard-docid-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  cys_wdb *shard[NSHARDS] = {NULL};
  for (unsigned s = 0; s < NSHARDS; s++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/shard-%02u", dir, s);
    shard[s] = cys_wdb_new();
    CHECK_INT(cys_wdb_open(shard[s], path), CYS_OK);
    for (unsigned k = 1; k <= docs_in[s]; k++) {
      char term[64];
      id_term(s, k, term, sizeof term);
      cys_doc *doc = cys_doc_new();
      cys_docid got = 0;
      CHECK_INT(cys_doc_add_boolean_term(doc, term, strlen(term)), CYS_OK);
      CHECK_INT(cys_wdb_add(shard[s], doc, &got), CYS_OK);
      CHECK_INT(got, k);
      cys_doc_free(doc);
    }
  }
  cys_wdb *view = cys_wdb_new_union(shard, NSHARDS);
  CHECK(view != NULL);
  for (unsigned s = 0; view && s < NSHARDS; s++)
    for (unsigned k = 1; k <= docs_in[s]; k++) {
      char term[64];
      id_term(s, k, term, sizeof term);
      cys_docid in_view = 0;
      CHECK_INT(cys_wdb_find(view, term, strlen(term), &in_view), CYS_OK);
      CHECK_INT(shard_docid_to_view(k, s, NSHARDS), in_view);
      CHECK_INT(shard_docid_shard(in_view, NSHARDS), s);
      CHECK_INT(shard_docid_local(in_view, NSHARDS), k);
    }
  cys_wdb_free(view);
  for (unsigned s = 0; s < NSHARDS; s++)
    cys_wdb_free(shard[s]);
  remove_tree(dir);
}

/* One index is its own view; the mapping is a bijection for any n. */
static void test_round_trip(void) {
  for (unsigned n = 1; n <= 7; n++)
    for (uint32_t view = 1; view <= 100; view++) {
      unsigned s = shard_docid_shard(view, n);
      uint32_t local = shard_docid_local(view, n);
      CHECK(s < n);
      CHECK(local >= 1);
      CHECK_INT(shard_docid_to_view(local, s, n), view);
      if (n == 1)
        CHECK_INT(local, view);
    }
}

/* The last local docid of shard s whose view docid is below `below`. */
static void test_last_below(void) {
  for (unsigned n = 1; n <= 5; n++)
    for (unsigned s = 0; s < n; s++)
      for (uint32_t below = 0; below <= 40; below++) {
        uint32_t want = 0;
        for (uint32_t k = 1; k <= 40; k++)
          if (shard_docid_to_view(k, s, n) < below)
            want = k;
        CHECK_INT(shard_docid_last_below(below, s, n), want);
      }
}

int main(void) {
  test_against_xapian();
  test_round_trip();
  test_last_below();
  return check_done();
}
