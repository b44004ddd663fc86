/*
 * test_relink.c — shards built apart (cys_writer_open_shard) and
 * cys_writer_relink: two copies of one story that hash to different
 * shards keep two collapse keys until the relink, which gives the later
 * one (by docid of the view of all shards) the key of the earlier, in the
 * collapse slot and at the head of the facet value; a second relink
 * changes nothing; the errors of a shard writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/db.h"
#include "cysearch/schema.h"
#include "cysearch/writer.h"
#include "tempdir.h"

#define BODY                                                                 \
  "Researchers disclosed a critical flaw in the widely deployed Acme "       \
  "gateway firmware that lets unauthenticated attackers run arbitrary "      \
  "commands. The vendor shipped patched builds on Tuesday and urged every "  \
  "customer to update quickly, because exploitation attempts were already "  \
  "seen against exposed management interfaces across several regions."

/* The collapse key of the article with this id, and whether the facet
 * value starts with it; "" when it is not in the shard. */
static void key_of(const char *dir, unsigned shard, const char *id,
                   char key[32], int *facets_agree) {
  char path[4096], term[256];
  key[0] = '\0';
  *facets_agree = 0;
  cys_index_shard_path(dir, shard, path, sizeof path);
  cys_wdb *wdb = cys_wdb_new();
  cys_docid docid = 0;
  snprintf(term, sizeof term, "Q%s", id);
  if (cys_wdb_open(wdb, path) == CYS_OK &&
      cys_wdb_find(wdb, term, strlen(term), &docid) == CYS_OK && docid) {
    char *v = NULL, *f = NULL;
    size_t vlen = 0, flen = 0;
    if (cys_wdb_get_value(wdb, docid, CYS_SLOT_COLLAPSE, &v, &vlen) ==
            CYS_OK &&
        vlen < 32) {
      memcpy(key, v, vlen);
      key[vlen] = '\0';
    }
    if (cys_wdb_get_value(wdb, docid, CYS_SLOT_FACETS, &f, &flen) == CYS_OK)
      *facets_agree = flen > vlen && memcmp(f, v, vlen) == 0 &&
                      f[vlen] == CYS_FIELD_SEPARATOR;
    free(v);
    free(f);
  }
  cys_wdb_free(wdb);
}

int main(void) {
  char dir[] = "/tmp/cysearch-relink-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  char index[4200];
  snprintf(index, sizeof index, "%s/news", dir);

  /* Two ids in different shards of 2. */
  char id[2][32];
  int found = 0;
  for (int i = 0; found < 2 && i < 100; i++) {
    char candidate[32];
    snprintf(candidate, sizeof candidate, "copy-%d", i);
    if (cys_shard_of(candidate, 2) == (unsigned)found)
      strcpy(id[found++], candidate);
  }
  CHECK_INT(found, 2);
  cys_article a[2];
  for (int s = 0; s < 2; s++)
    a[s] = (cys_article){.id = id[s],
                         .title = "Critical Acme gateway flaw lets attackers "
                                  "run commands",
                         .date = "2024-03-05",
                         .source = s ? "copy.example" : "origin.example",
                         .body = BODY};

  /* Both shards open at once, each by its own writer. */
  cys_writer *w[2];
  for (unsigned s = 0; s < 2; s++) {
    w[s] = cys_writer_new();
    CHECK_INT(cys_writer_open_shard(w[s], index, NULL, 2, s), CYS_OK);
    CHECK_INT(cys_writer_shards(w[s]), 2);
  }
  cys_put_outcome outcome;
  CHECK_INT(cys_writer_put(w[0], &a[1], &outcome), CYS_INVALID);
  CHECK(strstr(cys_writer_errmsg(w[0]), "belongs to shard 1") != NULL);
  CHECK_INT(cys_writer_delete(w[1], id[0]), CYS_NOT_FOUND);
  for (unsigned s = 0; s < 2; s++) {
    CHECK_INT(cys_writer_put(w[s], &a[s], &outcome), CYS_OK);
    CHECK_INT(outcome, CYS_PUT_ADDED);
    CHECK_INT(cys_writer_commit(w[s]), CYS_OK);
  }
  uint64_t examined = 0, changed = 0;
  CHECK_INT(cys_writer_relink(w[0], 10, 2, NULL, NULL, &examined, &changed),
            CYS_INVALID);
  for (unsigned s = 0; s < 2; s++)
    cys_writer_free(w[s]);

  /* Another shard count, a shard past the end, a new index without one. */
  cys_writer *bad = cys_writer_new();
  CHECK_INT(cys_writer_open_shard(bad, index, NULL, 3, 0), CYS_INVALID);
  cys_writer_free(bad);
  bad = cys_writer_new();
  CHECK_INT(cys_writer_open_shard(bad, index, NULL, 0, 2), CYS_INVALID);
  cys_writer_free(bad);
  char fresh[4200];
  snprintf(fresh, sizeof fresh, "%s/fresh", dir);
  bad = cys_writer_new();
  CHECK_INT(cys_writer_open_shard(bad, fresh, NULL, 0, 0), CYS_INVALID);
  cys_writer_free(bad);

  char before[2][32], after[2][32];
  int agree = 0;
  for (unsigned s = 0; s < 2; s++)
    key_of(index, s, id[s], before[s], &agree);
  CHECK_INT(strlen(before[0]), 16);
  CHECK(strcmp(before[0], before[1]) != 0); /* each shard saw one copy */

  cys_writer *all = cys_writer_new();
  CHECK_INT(cys_writer_open_shards(all, index, NULL, 0), CYS_OK);
  CHECK_INT(cys_writer_relink(all, 1, 2, NULL, NULL, &examined, &changed),
            CYS_OK);
  CHECK_INT(examined, 2);
  CHECK_INT(changed, 1);
  CHECK_INT(cys_writer_relink(all, 1, 2, NULL, NULL, &examined, &changed),
            CYS_OK);
  CHECK_INT(changed, 0);
  cys_writer_free(all);
  for (unsigned s = 0; s < 2; s++) {
    key_of(index, s, id[s], after[s], &agree);
    CHECK(agree);
  }
  /* Shard 0's article is docid 1 of the view, shard 1's docid 2. */
  CHECK_STR(after[0], before[0]);
  CHECK_STR(after[1], before[0]);

  remove_tree(dir);
  return check_done();
}
