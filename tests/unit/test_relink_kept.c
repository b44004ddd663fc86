/*
 * test_relink_kept.c — cys_writer_keep_words and cys_writer_relink_kept:
 * segments written with deferred keys, each keeping its articles' words,
 * merged (cys_index_merge) and relinked from the kept files, get the
 * collapse keys of one writer putting the same articles in order; an
 * article replaced after its record was kept, and files given in the wrong
 * order, fall back to analysing the stored text (same keys as
 * cys_writer_relink); a damaged or missing file is refused before any key
 * is written.  dedup_best finds the same matches whether a candidate's
 * words come from its termlist or from the kept records (dedup_set_source).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cysearch/db.h"
#include "cysearch/index.h"
#include "cysearch/schema.h"
#include "cysearch/writer.h"
#include "dedup.h"
#include "dedup_kept.h"
#include "tempdir.h"

#define NART 7

#define GATEWAY                                                              \
  "Researchers disclosed a critical flaw in the widely deployed Acme "       \
  "gateway firmware that lets unauthenticated attackers run arbitrary "      \
  "commands. The vendor shipped patched builds on Tuesday and urged every "  \
  "customer to update quickly, because exploitation attempts were already "  \
  "seen against exposed management interfaces across several regions."
#define HOSPITAL                                                             \
  "A ransomware gang encrypted the patient record systems of a regional "    \
  "hospital network overnight, forcing staff back to paper charts and "      \
  "diverting ambulances to neighbouring towns. Officials said backups "      \
  "were intact and that restoring the scheduling servers would take "        \
  "several days while forensic investigators examine the intrusion."
#define BULLETIN                                                             \
  "This bulletin lists the security updates released for the Widget "        \
  "platform: CVE-2017-0144 in the file sharing service, CVE-2017-0145 in "   \
  "the print spooler and CVE-2017-0146 in the remote desktop gateway. "      \
  "Administrators should apply the cumulative package and restart every "    \
  "affected server after installation to complete the remediation."

/* Written in this order by the reference writer; segment 0 holds the
 * first three, segment 1 the rest. */
static const cys_article articles[NART] = {
    {.id = "gateway-1", .title = "Critical Acme gateway flaw lets attackers "
                                 "run commands",
     .date = "2024-03-05", .source = "origin.example", .body = GATEWAY},
    {.id = "hospital-1", .title = "Ransomware cripples regional hospital "
                                  "network",
     .date = "2024-03-06", .source = "origin.example", .body = HOSPITAL},
    {.id = "bulletin-1", .title = "Widget platform security bulletin",
     .source = "vendor.example", .body = BULLETIN},
    {.id = "gateway-2", .title = "Critical Acme gateway flaw lets attackers "
                                 "run commands",
     .date = "2024-03-06", .source = "copy.example",
     .body = GATEWAY " Patch now."},
    {.id = "hospital-2", .title = "Regional hospital network crippled by "
                                  "ransomware gang",
     .date = "2024-03-07", .source = "copy.example",
     .body = HOSPITAL " Local police are assisting."},
    {.id = "bulletin-2", .title = "Widget platform security bulletin",
     .source = "mirror.example", .body = BULLETIN},
    {.id = "short-1", .title = "Acme ships firmware update",
     .date = "2024-03-08", .source = "origin.example",
     .body = "Acme ships a firmware update."},
};

/* The collapse keys of docids 1..NART of the index at path. */
static void keys_of(const char *path, char keys[NART][17]) {
  cys_wdb *wdb = cys_wdb_new();
  CHECK_INT(cys_wdb_open(wdb, path), CYS_OK);
  for (cys_docid d = 1; d <= NART; d++) {
    char *v = NULL;
    size_t n = 0;
    keys[d - 1][0] = '\0';
    if (cys_wdb_get_value(wdb, d, CYS_SLOT_COLLAPSE, &v, &n) == CYS_OK &&
        n == 16) {
      memcpy(keys[d - 1], v, 16);
      keys[d - 1][16] = '\0';
    }
    free(v);
  }
  cys_wdb_free(wdb);
}

static void check_same_keys(const char *a, const char *b) {
  char ka[NART][17], kb[NART][17];
  keys_of(a, ka);
  keys_of(b, kb);
  for (int i = 0; i < NART; i++)
    CHECK_STR(ka[i], kb[i]);
}

/* Articles [from, to) into a new index at path; keeping words in `words`
 * when it is not NULL; with deferred keys when asked. */
static void write_index(const char *path, const char *words, int defer,
                        int from, int to) {
  cys_writer *w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, path, NULL), CYS_OK);
  if (defer)
    cys_writer_defer_keys(w);
  if (words)
    CHECK_INT(cys_writer_keep_words(w, words), CYS_OK);
  for (int i = from; i < to; i++) {
    cys_put_outcome outcome;
    CHECK_INT(cys_writer_put(w, &articles[i], &outcome), CYS_OK);
    CHECK_INT(outcome, CYS_PUT_ADDED);
  }
  CHECK_INT(cys_writer_commit(w), CYS_OK);
  cys_writer_free(w);
}

/* The segments merged into path (a new directory). */
static void merge(const char *dir, const char *path) {
  char seg[2][4200];
  const char *paths[2] = {seg[0], seg[1]};
  for (int s = 0; s < 2; s++)
    snprintf(seg[s], sizeof seg[s], "%s/seg-%d", dir, s);
  char *error = NULL;
  CHECK_INT(cys_index_merge(paths, 2, path, &error), CYS_OK);
  free(error);
}

/* Open path, replace hospital-2 with a longer text when asked, and relink
 * from the kept files (n of them; plain cys_writer_relink when 0). */
static cys_status relink(const char *path, int replace,
                         const char *const *kept, size_t n,
                         char message[512]) {
  cys_writer *w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, path, NULL), CYS_OK);
  if (replace) {
    cys_article changed = articles[4];
    changed.body = HOSPITAL " Local police are assisting. A second hospital "
                            "in the same network reported no disruption.";
    cys_put_outcome outcome;
    CHECK_INT(cys_writer_put(w, &changed, &outcome), CYS_OK);
    CHECK_INT(outcome, CYS_PUT_REPLACED);
  }
  uint64_t examined = 0, changed = 0;
  cys_status st = n ? cys_writer_relink_kept(w, kept, n, 100, 2, NULL, NULL,
                                             &examined, &changed)
                    : cys_writer_relink(w, 100, 2, NULL, NULL, &examined,
                                        &changed);
  if (st == CYS_OK)
    CHECK_INT(examined, NART);
  snprintf(message, 512, "%s", cys_writer_errmsg(w));
  cys_writer_free(w);
  return st;
}

/* dedup_set_source's callback over the kept records. */
typedef struct source {
  const dedup_kept *kept;
  dedup_kept_cursor cursor;
} source;

static int kept_words(void *ctx, cys_docid docid, dedup_doc *out) {
  source *s = ctx;
  dedup_kept_facts facts;
  return dedup_kept_load(s->kept, &s->cursor, docid, out, &facts) == 1;
}

/* Each article of the index at path (written with its words kept in
 * words) matched against the earlier ones with an empty cache, so that
 * every candidate is read: from its termlist, then from the records.
 * The same matches, and the copies found. */
static void check_sources(const char *path, const char *words) {
  dedup_kept *kept = NULL;
  char why[600];
  const char *files[1] = {words};
  CHECK_INT(dedup_kept_open(files, 1, &kept, why, sizeof why), CYS_OK);
  cys_wdb *rdb = cys_wdb_new();
  CHECK_INT(cys_wdb_open(rdb, path), CYS_OK);
  dedup_doc *d = dedup_doc_new();
  source src = {kept, {0, 0}};
  dedup_kept_cursor own = {0, 0};
  int matched = 0;
  for (cys_docid docid = 1; kept && docid <= NART; docid++) {
    cys_docid best[2] = {0, 0};
    for (int way = 0; way < 2; way++) {
      dedup *cache = dedup_new();
      dedup_kept_facts facts;
      CHECK_INT(dedup_kept_load(kept, &own, docid, d, &facts), 1);
      if (way)
        CHECK_INT(dedup_set_source(cache, kept_words, &src), CYS_OK);
      CHECK_INT(dedup_best(cache, d, rdb, docid, docid,
                           *facts.date ? facts.date : NULL, &best[way]),
                CYS_OK);
      dedup_free(cache);
    }
    CHECK_INT(best[1], best[0]);
    matched += best[0] != 0;
  }
  CHECK_INT(matched, 3); /* gateway-2, hospital-2, bulletin-2 */
  dedup_kept_cursor_close(&own);
  dedup_kept_cursor_close(&src.cursor);
  dedup_doc_free(d);
  cys_wdb_free(rdb);
  dedup_kept_free(kept);
}

int main(void) {
  char dir[] = "/tmp/cysearch-relink-kept-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  char path[12][4200], message[512];
  for (int i = 0; i < 12; i++)
    snprintf(path[i], sizeof path[i], "%s/p%d", dir, i);
  char f0[4200], f1[4200], s0[4200], s1[4200];
  snprintf(f0, sizeof f0, "%s/seg-0.words", dir);
  snprintf(f1, sizeof f1, "%s/seg-1.words", dir);
  snprintf(s0, sizeof s0, "%s/seg-0", dir);
  snprintf(s1, sizeof s1, "%s/seg-1", dir);
  const char *kept[2] = {f0, f1}, *swapped[2] = {f1, f0};

  /* The reference: one writer, keys as it goes; the copies fold. */
  char all_words[4200];
  snprintf(all_words, sizeof all_words, "%s/all.words", dir);
  write_index(path[0], all_words, 0, 0, NART);
  char ref[NART][17];
  keys_of(path[0], ref);
  CHECK_STR(ref[3], ref[0]); /* gateway-2 is gateway-1's story */
  CHECK_STR(ref[4], ref[1]); /* hospital-2, hospital-1's */
  CHECK_STR(ref[5], ref[2]); /* the undated bulletin's copy */
  CHECK(strcmp(ref[1], ref[0]) != 0);
  CHECK(strcmp(ref[6], ref[0]) != 0);
  check_sources(path[0], all_words);

  /* Two segments with deferred keys: each article keeps its own key
   * until the relink. */
  write_index(s0, f0, 1, 0, 3);
  write_index(s1, f1, 1, 3, NART);
  merge(dir, path[1]);
  char own[NART][17];
  keys_of(path[1], own);
  CHECK(strcmp(own[3], own[0]) != 0);
  CHECK_INT(relink(path[1], 0, kept, 2, message), CYS_OK);
  check_same_keys(path[1], path[0]);

  /* A replaced article (its record is stale), relinked from the files
   * and from the stored text alone: the same keys. */
  merge(dir, path[2]);
  merge(dir, path[3]);
  CHECK_INT(relink(path[2], 1, kept, 2, message), CYS_OK);
  CHECK_INT(relink(path[3], 1, NULL, 0, message), CYS_OK);
  check_same_keys(path[2], path[3]);

  /* The files in the wrong order: no record matches its document's
   * content hash, so every article is analysed; keys as before. */
  merge(dir, path[4]);
  CHECK_INT(relink(path[4], 0, swapped, 2, message), CYS_OK);
  check_same_keys(path[4], path[0]);

  /* Words kept on a full disk (/dev/full takes the file, then fails
   * every write with ENOSPC): the commit fails and says why in the
   * system's words, not only "input/output error". */
  if (access("/dev/full", W_OK) == 0) {
    cys_writer *w = cys_writer_new();
    CHECK_INT(cys_writer_open(w, path[11], NULL), CYS_OK);
    cys_writer_defer_keys(w);
    CHECK_INT(cys_writer_keep_words(w, "/dev/full"), CYS_OK);
    cys_status st = CYS_OK;
    for (int i = 0; i < NART && st == CYS_OK; i++)
      st = cys_writer_put(w, &articles[i], NULL);
    if (st == CYS_OK)
      st = cys_writer_commit(w);
    CHECK_INT(st, CYS_IO);
    CHECK(strstr(cys_writer_errmsg(w), "No space left on device") != NULL);
    if (!strstr(cys_writer_errmsg(w), "No space left on device"))
      fprintf(stderr, "full disk: %s\n", cys_writer_errmsg(w));
    cys_writer_free(w);
  }

  /* A file cut inside a record, and one missing: refused, no key
   * written. */
  char cut[4200];
  snprintf(cut, sizeof cut, "%s/cut.words", dir);
  FILE *in = fopen(f1, "rb"), *out = fopen(cut, "wb");
  CHECK(in && out);
  char buf[100];
  size_t got = in ? fread(buf, 1, sizeof buf, in) : 0;
  CHECK_INT(got, sizeof buf);
  if (out)
    fwrite(buf, 1, got, out);
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  const char *damaged[2] = {f0, cut};
  merge(dir, path[5]);
  CHECK_INT(relink(path[5], 0, damaged, 2, message), CYS_CORRUPT);
  CHECK(strstr(message, "cut.words") != NULL);
  char after[NART][17];
  keys_of(path[5], after);
  for (int i = 0; i < NART; i++)
    CHECK_STR(after[i], own[i]);
  char missing[4200];
  snprintf(missing, sizeof missing, "%s/none.words", dir);
  const char *absent[2] = {f0, missing};
  CHECK_INT(relink(path[5], 0, absent, 2, message), CYS_IO);
  CHECK(strstr(message, "none.words") != NULL);
  remove_tree(dir);
  return check_done();
}
