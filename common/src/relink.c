/*
 * relink.c — cys_writer_relink (writer.h): the collapse keys of a whole
 * index computed again, article by article in docid order.
 *
 * Why: dedup.c gives an article the key of the most similar article the
 * index already holds when it is written.  Shards built apart
 * (cys_writer_open_shard) each see only themselves, so two copies of one
 * story that hash to different shards get two keys.  Relinking replays
 * the writer's decision over the finished index: article d is compared,
 * by dedup_key with its bound `below`, with the articles of lower docid in
 * the view of all shards, whose keys were relinked just before — the keys
 * that writing the articles one after another in that order would give
 * (up to the candidates' ranking, which uses the statistics of the whole
 * index rather than of its first d - 1 articles).
 *
 * An article's words are those the writer used: its stored title and body
 * analysed again (the termlist lacks some of them, and the headline stems
 * dedup.c looks for must come in headline order).  Only a key that
 * changes is written, as two values (the collapse slot and the head of
 * the facet value, facet_value.h) of the document read from its own shard,
 * so Xapian rewrites no posting.  Keys depend only on the index, not on
 * what a previous relink did, so a second run changes nothing and an
 * interrupted one converges when run again.
 */
#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "facet_value.h"
#include "writer_internal.h"

typedef struct words_sink {
  dedup_doc *doc;
  int title;
} words_sink;

static int on_word(void *ctx, const cys_token *t) {
  words_sink *s = ctx;
  dedup_token(s->doc, t, s->title);
  return 0;
}

/* The words and headline stems of a stored article, as the writer's
 * analysis gathered them. */
static cys_status gather(cys_writer *w, const cys_article *a, dedup_doc *d) {
  words_sink sink = {.doc = d, .title = 1};
  cys_status st = CYS_OK;
  dedup_reset(d);
  if (a->title)
    st = cys_analyze(w->own.analyzer, a->title, strlen(a->title), on_word,
                     &sink);
  sink.title = 0;
  if (!st && a->body)
    st = cys_analyze(w->own.analyzer, a->body, strlen(a->body), on_word,
                     &sink);
  return st;
}

/* Write key as document docid's collapse key (union numbering), and at the
 * head of its facet value. */
static cys_status write_key(cys_writer *w, cys_docid docid,
                            const char key[DEDUP_KEY_LEN + 1]) {
  unsigned s = (docid - 1) % w->nshards;
  cys_docid local = (docid - 1) / w->nshards + 1;
  cys_wdb *wdb = w->shard[s];
  char *facets = NULL;
  size_t facets_len = 0;
  cys_status st =
      cys_wdb_get_value(wdb, local, CYS_SLOT_FACETS, &facets, &facets_len);
  if (st)
    return writer_fail(w, st, "relink: cannot read document %u: %s", docid,
                       cys_wdb_errmsg(wdb));
  size_t old = facet_value_key_len(facets, facets_len);
  buf value;
  buf_init(&value);
  buf_append(&value, key, DEDUP_KEY_LEN);
  if (facets_len)
    buf_append(&value, facets + old, facets_len - old);
  free(facets);
  if (value.failed) {
    buf_free(&value);
    return writer_fail(w, CYS_NOMEM, "out of memory");
  }
  const unsigned slots[2] = {CYS_SLOT_COLLAPSE, CYS_SLOT_FACETS};
  const char *values[2] = {key, value.data};
  const size_t lens[2] = {DEDUP_KEY_LEN, value.len};
  /* An article without a facet value (none is written without one)
   * gets only its collapse key. */
  st = cys_wdb_set_values(wdb, local, slots, values, lens, facets_len ? 2 : 1);
  buf_free(&value);
  return st ? writer_fail(w, st, "relink: cannot write document %u: %s",
                          docid, cys_wdb_errmsg(wdb))
            : CYS_OK;
}

/* Relink document docid; *changed is set when its key changed. */
static cys_status relink_one(cys_writer *w, dedup_doc *d, cys_docid docid,
                             int *changed) {
  char *data = NULL, *old = NULL;
  size_t data_len = 0, old_len = 0;
  cys_record *rec = NULL;
  *changed = 0;
  cys_status st = cys_wdb_get_data(w->view, docid, &data, &data_len);
  if (st) {
    writer_fail(w, st, "relink: cannot read document %u: %s", docid,
                cys_wdb_errmsg(w->view));
    goto done;
  }
  if ((st = cys_store_decode(data, data_len, &rec))) {
    writer_fail(w, st, "relink: document %u holds a damaged article (%s): "
                "re-index it, or rebuild the index", docid,
                cys_status_str(st));
    goto done;
  }
  const cys_article *a = &rec->article;
  if (!a->id || !*a->id || strlen(a->id) + 1 > CYS_TERM_MAX) {
    st = writer_fail(w, CYS_CORRUPT, "relink: document %u has no usable "
                     "article id: rebuild the index", docid);
    goto done;
  }
  if ((st = gather(w, a, d))) {
    writer_fail(w, st, "relink: cannot analyse article '%s': %s", a->id,
                cys_status_str(st));
    goto done;
  }
  char idterm[CYS_TERM_MAX + 1], datekey[9], key[DEDUP_KEY_LEN + 1];
  size_t idterm_len = strlen(a->id) + 1;
  idterm[0] = CYS_PREFIX_ID[0];
  memcpy(idterm + 1, a->id, idterm_len - 1);
  if (a->date)
    cys_date_sortkey(a->date, datekey);
  if ((st = dedup_key(w->dedup, d, w->view, docid, docid, idterm, idterm_len,
                      a->date ? datekey : NULL, key))) {
    writer_fail(w, st, "relink: cannot find the story of article '%s': %s",
                a->id, *cys_wdb_errmsg(w->view) ? cys_wdb_errmsg(w->view)
                                                : cys_status_str(st));
    goto done;
  }
  dedup_remember(w->dedup, d, docid);
  if ((st = cys_wdb_get_value(w->view, docid, CYS_SLOT_COLLAPSE, &old,
                              &old_len))) {
    writer_fail(w, st, "relink: cannot read document %u: %s", docid,
                cys_wdb_errmsg(w->view));
    goto done;
  }
  if (old_len == DEDUP_KEY_LEN && memcmp(old, key, DEDUP_KEY_LEN) == 0)
    goto done;
  if (!(st = write_key(w, docid, key)))
    *changed = 1;
done:
  free(data);
  free(old);
  cys_record_free(rec);
  return st;
}

cys_status cys_writer_relink(cys_writer *w, unsigned long commit_every,
                             cys_relink_fn progress, void *ctx,
                             uint64_t *examined, uint64_t *changed) {
  *examined = *changed = 0;
  if (!w->nshards)
    return writer_fail(w, CYS_INVALID, "the writer is not open");
  if (w->only >= 0)
    return writer_fail(w, CYS_INVALID,
                       "relinking needs every shard of the index, and only "
                       "shard %d is open: run it without --shard on a "
                       "machine that holds all the shards", w->only);
  cys_docid *docids = NULL;
  size_t n = 0;
  dedup_doc *d = dedup_doc_new();
  cys_status st = d ? cys_wdb_docids(w->view, &docids, &n) : CYS_NOMEM;
  if (st) {
    writer_fail(w, st, "relink: %s",
                d ? cys_wdb_errmsg(w->view) : "out of memory");
    goto done;
  }
  unsigned long since_commit = 0;
  for (size_t i = 0; i < n && !st; i++) {
    int one = 0;
    if ((st = relink_one(w, d, docids[i], &one)))
      break;
    *examined += 1;
    *changed += (uint64_t)one;
    since_commit += (unsigned long)one;
    if (since_commit >= commit_every && commit_every) {
      if ((st = cys_writer_commit(w)))
        break;
      since_commit = 0;
    }
    if (progress && progress(ctx, *examined, *changed, n))
      break;
  }
  if (!st)
    st = cys_writer_commit(w);
done:
  free(docids);
  dedup_doc_free(d);
  return st;
}
