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
 * An article's words are those the writer used.  The writers of a build
 * in segments kept them, with its signature, date and content hash, in a
 * file beside each segment (cys_writer_keep_words, dedup_kept.h), which
 * cys_writer_relink_kept reads back by docid; any other article (an index
 * written before, or an article replaced since its record was kept: its
 * content hash differs) has its stored title and body analysed again
 * (the termlist lacks some of the words, and the headline stems dedup.c
 * looks for must come in headline order).  Analysing every article again
 * was most of the relink (news corpus: 6 % of a one-thread build, of
 * 8.8 % for the whole relink).  A candidate that the thread's cache does
 * not hold is read from the kept files too, before its termlist (the
 * same words, by dedup_remember's rule).  Only a key that
 * changes is written, as two values (the collapse slot and the head of
 * the facet value, facet_value.h) of the document read from its own shard,
 * so Xapian rewrites no posting.  Keys depend only on the index, not on
 * what a previous relink did, so a second run changes nothing and an
 * interrupted one converges when run again.
 *
 * First, articles written before near-duplicate signatures existed (an
 * index of an earlier version) get their band terms (sign_unsigned), in
 * docid order on the writer's thread, and are committed: the later
 * articles find their copies through them.  Articles that have them are
 * only looked at (one termlist seek each; an article with a kept record,
 * signed as it was written, one value read).
 *
 * Then two passes.  Which earlier article is most like d (dedup_best) depends
 * on words, headline stems and dates, never on a key, and relinking
 * writes only keys; so the matches are found first, on several threads,
 * each reading the committed index through its own read-only handle
 * (cys_wdb_open_read) with its own analyzer and candidate cache.  Then,
 * in docid order, d takes its match's key, computed just before (the
 * match has a lower docid), else its own; that is the key dedup_key would
 * read back from the match, so the keys are those of one pass in order,
 * whatever the number of threads.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cysearch/schema.h"
#include "dedup_kept.h"
#include "facet_value.h"
#include "shard_docid.h"
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
static cys_status gather(cys_analyzer *an, const cys_article *a,
                         dedup_doc *d) {
  words_sink sink = {.doc = d, .title = 1};
  cys_status st = CYS_OK;
  dedup_reset(d);
  if (a->title)
    st = cys_analyze(an, a->title, strlen(a->title), on_word, &sink);
  sink.title = 0;
  if (!st && a->body)
    st = cys_analyze(an, a->body, strlen(a->body), on_word, &sink);
  return st;
}

/* Write key as document docid's collapse key (union numbering), and at the
 * head of its facet value. */
static cys_status write_key(cys_writer *w, cys_docid docid,
                            const char key[DEDUP_KEY_LEN + 1]) {
  unsigned s = shard_docid_shard(docid, w->nshards);
  cys_docid local = shard_docid_local(docid, w->nshards);
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
  if ((st = writer_may_write(w, "a changed collapse key"))) {
    buf_free(&value);
    return st;
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

/* ---- phase 0: signatures for the articles written before them -------- */

/* Whether a document's first term from CYS_PREFIX_SIGNATURE on is one. */
static int signature_term(void *ctx, const char *term, size_t len,
                          uint64_t wdf) {
  int *has = ctx;
  size_t p = strlen(CYS_PREFIX_SIGNATURE);
  (void)wdf;
  *has = len > p && memcmp(term, CYS_PREFIX_SIGNATURE, p) == 0;
  return 1;
}

/* Does document docid of db have the content hash a kept record gives
 * (the article is as it was when its record was kept)?  1 yes, 0 no, -1
 * when the index cannot be read. */
static int hash_is(cys_wdb *db, cys_docid docid,
                   const unsigned char hash[DEDUP_KEPT_HASH]) {
  char *value = NULL;
  size_t len = 0;
  if (cys_wdb_get_value(db, docid, CYS_SLOT_HASH, &value, &len))
    return -1;
  int same = len == DEDUP_KEPT_HASH && memcmp(value, hash, len) == 0;
  free(value);
  return same;
}

/* Is document docid as its kept record describes it?  An error reading
 * either says no: the caller looks for itself. */
static int kept_as_written(cys_writer *w, const dedup_kept *kept,
                           dedup_kept_cursor *cursor, cys_docid docid) {
  unsigned char hash[DEDUP_KEPT_HASH];
  return kept && dedup_kept_hash(kept, cursor, docid, hash) == 1 &&
         hash_is(w->view, docid, hash) == 1;
}

/* Give the band terms of its signature (dedup_sign.h) to every document
 * that lacks them (an index, or part of one, written before signatures
 * existed), in docid order, so that phase 1 finds its articles as
 * candidates.  One termlist seek per document; only an unsigned one is
 * read and analysed again.  *signed_out counts the documents given
 * terms. */
static cys_status sign_unsigned(cys_writer *w, const dedup_kept *kept,
                                const cys_docid *docids, size_t n,
                                unsigned long commit_every,
                                uint64_t *signed_out) {
  dedup_doc *d = dedup_doc_new();
  cys_status st = d ? CYS_OK : writer_fail(w, CYS_NOMEM, "out of memory");
  unsigned long since_commit = 0;
  dedup_kept_cursor cursor = {0, 0};
  *signed_out = 0;
  for (size_t i = 0; i < n && !st; i++) {
    if (kept_as_written(w, kept, &cursor, docids[i]))
      continue; /* signed when written, if it has a signature at all */
    int has = 0;
    char *data = NULL;
    size_t data_len = 0;
    cys_record *rec = NULL;
    if ((st = cys_wdb_termlist(w->view, docids[i], CYS_PREFIX_SIGNATURE,
                               signature_term, &has))) {
      st = writer_fail(w, st, "relink: cannot read document %u: %s",
                       docids[i], cys_wdb_errmsg(w->view));
      break;
    }
    if (has)
      continue;
    if ((st = cys_wdb_get_data(w->view, docids[i], &data, &data_len)))
      st = writer_fail(w, st, "relink: cannot read document %u: %s",
                       docids[i], cys_wdb_errmsg(w->view));
    else if ((st = cys_store_decode(data, data_len, &rec)))
      st = writer_fail(w, st, "relink: document %u holds a damaged "
                       "article (%s): re-index it, or rebuild the index",
                       docids[i], cys_status_str(st));
    else if ((st = gather(w->own.analyzer, &rec->article, d)))
      st = writer_fail(w, st, "relink: cannot analyse document %u: %s",
                       docids[i], cys_status_str(st));
    free(data);
    cys_record_free(rec);
    if (st)
      break;
    char terms[DEDUP_SIGN_BANDS][DEDUP_SIGN_TERM_LEN + 1];
    const char *term[DEDUP_SIGN_BANDS];
    size_t len[DEDUP_SIGN_BANDS];
    int nterms = dedup_signature_terms(d, terms);
    if (nterms < 0) {
      st = writer_fail(w, CYS_NOMEM, "out of memory");
      break;
    }
    if (nterms == 0)
      continue; /* no word pair: no signature to add */
    for (int b = 0; b < nterms; b++) {
      term[b] = terms[b];
      len[b] = DEDUP_SIGN_TERM_LEN;
    }
    if ((st = writer_may_write(w, "an article's near-duplicate signature")))
      break;
    unsigned s = shard_docid_shard(docids[i], w->nshards);
    cys_wdb *wdb = w->shard[s];
    if ((st = cys_wdb_add_booleans(
             wdb, shard_docid_local(docids[i], w->nshards), term, len,
             (size_t)nterms))) {
      st = writer_fail(w, st, "relink: cannot write document %u: %s",
                       docids[i], cys_wdb_errmsg(wdb));
      break;
    }
    *signed_out += 1;
    if (++since_commit >= commit_every && commit_every) {
      st = cys_writer_commit(w);
      since_commit = 0;
    }
  }
  if (!st && since_commit)
    st = cys_writer_commit(w);
  dedup_kept_cursor_close(&cursor);
  dedup_doc_free(d);
  return st;
}

/* ---- phase 1: each article's match, on several threads ---------------- */

/* The docid list is cut into chunks of consecutive positions, which the
 * threads take in order, as each finishes one: the later articles cost
 * more (more earlier candidates), so equal shares per thread would leave
 * one thread working alone.  A thread goes through its chunk in order,
 * with its own read-only handle, analyzer and cache (none of them may be
 * shared between threads); the cache is only a shortcut (dedup.h), so
 * which thread did what does not change the result. */
typedef struct chunk {
  size_t from, to;
  atomic_size_t done; /* positions from `from` finished */
  cys_status st;
  char message[512];
} chunk;

typedef struct finder {
  cys_writer *w; /* read only: paths, nshards, the analyzer's language */
  const dedup_kept *kept; /* the articles' words, or NULL */
  const cys_docid *docids;
  cys_docid *best;                 /* [n]: each chunk's thread writes its */
  char (*keys)[DEDUP_KEY_LEN + 1]; /* [n]: own keys, likewise */
  chunk *chunks;
  size_t nchunks;
  atomic_size_t next; /* the next chunk to take */
  atomic_int stop;
  pthread_mutex_t lock; /* with `ended`: wakes the main thread */
  pthread_cond_t ended;
  unsigned nended;
} finder;

#if defined(__GNUC__)
static cys_status chunk_fail(chunk *c, cys_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif
static cys_status chunk_fail(chunk *c, cys_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->message, sizeof c->message, fmt, ap);
  va_end(ap);
  c->st = st;
  return st;
}

/* What a thread of phase 1 holds: none of it is shared. */
typedef struct reader {
  cys_wdb *rdb;
  cys_analyzer *an;
  dedup *cache;
  dedup_doc *d;
  dedup_kept_cursor cursor;     /* the articles' own records */
  dedup_kept_cursor candidates; /* ... and their candidates' */
} reader;

/* The kept record of document docid into d and f: 1 when there and its
 * content hash is the document's; else 0 (a document replaced since its
 * record was written, or none), or -1 when the index cannot be read. */
static int load_kept(const dedup_kept *kept, reader *r,
                     dedup_kept_cursor *cursor, cys_docid docid,
                     dedup_doc *d, dedup_kept_facts *f) {
  if (!kept || dedup_kept_load(kept, cursor, docid, d, f) != 1)
    return 0;
  return hash_is(r->rdb, docid, f->hash);
}

/* The words of document docid from the kept files into r->d, its own
 * key and date: 1; else 0 (the article is analysed again), or -1 (and
 * c's message) when the index cannot be read. */
static int from_kept(chunk *c, const dedup_kept *kept, reader *r,
                     cys_docid docid, char key[DEDUP_KEY_LEN + 1],
                     char date[9]) {
  dedup_kept_facts facts;
  int known = load_kept(kept, r, &r->cursor, docid, r->d, &facts);
  if (known < 0) {
    chunk_fail(c, CYS_IO, "relink: cannot read document %u: %s", docid,
               cys_wdb_errmsg(r->rdb));
    return -1;
  }
  if (known) {
    memcpy(key, facts.key, DEDUP_KEY_LEN + 1);
    memcpy(date, facts.date, 9);
  }
  return known;
}

/* dedup_words_fn over the kept files: a candidate's words, for
 * dedup_best (an error reading the index leaves it to the termlist,
 * which reports it). */
typedef struct candidates {
  const dedup_kept *kept;
  reader *r;
} candidates;

static int candidate_words(void *ctx, cys_docid docid, dedup_doc *out) {
  candidates *k = ctx;
  dedup_kept_facts facts;
  return load_kept(k->kept, k->r, &k->r->candidates, docid, out, &facts) ==
         1;
}

/* The words of document docid analysed again from its stored article
 * into r->d, its own key and date ("" when undated); else c's status. */
static cys_status analyse_stored(chunk *c, reader *r, cys_docid docid,
                                 char key[DEDUP_KEY_LEN + 1], char date[9]) {
  char *data = NULL;
  size_t data_len = 0;
  cys_record *rec = NULL;
  cys_status st = cys_wdb_get_data(r->rdb, docid, &data, &data_len);
  if (st) {
    chunk_fail(c, st, "relink: cannot read document %u: %s", docid,
               cys_wdb_errmsg(r->rdb));
    goto done;
  }
  if ((st = cys_store_decode(data, data_len, &rec))) {
    chunk_fail(c, st, "relink: document %u holds a damaged article (%s): "
               "re-index it, or rebuild the index", docid,
               cys_status_str(st));
    goto done;
  }
  const cys_article *a = &rec->article;
  if (!a->id || !*a->id || strlen(a->id) + 1 > CYS_TERM_MAX) {
    st = chunk_fail(c, CYS_CORRUPT, "relink: document %u has no usable "
                    "article id: rebuild the index", docid);
    goto done;
  }
  if ((st = gather(r->an, a, r->d))) {
    chunk_fail(c, st, "relink: cannot analyse article '%s': %s", a->id,
               cys_status_str(st));
    goto done;
  }
  char idterm[CYS_TERM_MAX + 1];
  size_t idterm_len = strlen(a->id) + 1;
  idterm[0] = CYS_PREFIX_ID[0];
  memcpy(idterm + 1, a->id, idterm_len - 1);
  dedup_own_key(idterm, idterm_len, key);
  *date = '\0';
  if (a->date)
    cys_date_sortkey(a->date, date);
done:
  free(data);
  cys_record_free(rec);
  return st;
}

/* The match of document docid (0: none) and its own key. */
static cys_status find_one(chunk *c, const dedup_kept *kept, reader *r,
                           cys_docid docid, cys_docid *best,
                           char key[DEDUP_KEY_LEN + 1]) {
  char date[9];
  int known = from_kept(c, kept, r, docid, key, date);
  if (known < 0)
    return c->st;
  if (!known && analyse_stored(c, r, docid, key, date))
    return c->st;
  cys_status st = dedup_best(r->cache, r->d, r->rdb, docid, docid,
                             *date ? date : NULL, best);
  if (st)
    return chunk_fail(c, st, "relink: cannot find the story of document "
                      "%u: %s", docid, *cys_wdb_errmsg(r->rdb)
                                           ? cys_wdb_errmsg(r->rdb)
                                           : cys_status_str(st));
  dedup_remember(r->cache, r->d, docid);
  return CYS_OK;
}

static void *find_run(void *arg) {
  finder *f = arg;
  reader r = {.rdb = cys_wdb_new(), .cache = dedup_new(),
              .d = dedup_doc_new()};
  cys_status st = CYS_OK;
  chunk *c = NULL;
  size_t k = atomic_fetch_add(&f->next, 1);
  if (k >= f->nchunks)
    goto done;
  c = &f->chunks[k];
  if (!r.rdb || !r.cache || !r.d) {
    chunk_fail(c, CYS_NOMEM, "relink: out of memory");
    goto done;
  }
  if ((st = cys_wdb_open_read(r.rdb, (const char *const *)f->w->paths,
                              f->w->nshards))) {
    chunk_fail(c, st, "relink: cannot open the index for reading: %s",
               cys_wdb_errmsg(r.rdb));
    goto done;
  }
  if ((st = cys_analyzer_new(cys_analyzer_language(f->w->own.analyzer),
                             &r.an))) {
    chunk_fail(c, st, "relink: cannot create analyzer: %s",
               cys_status_str(st));
    goto done;
  }
  candidates source = {f->kept, &r};
  if (f->kept && dedup_set_source(r.cache, candidate_words, &source)) {
    chunk_fail(c, CYS_NOMEM, "relink: out of memory");
    goto done;
  }
  while (!atomic_load(&f->stop)) {
    size_t i = c->from;
    for (; i < c->to && !atomic_load(&f->stop); i++) {
      if (find_one(c, f->kept, &r, f->docids[i], &f->best[i], f->keys[i]))
        break;
      atomic_store(&c->done, i + 1 - c->from);
    }
    if (i < c->to)
      break;
    if ((k = atomic_fetch_add(&f->next, 1)) >= f->nchunks)
      break;
    c = &f->chunks[k];
  }
done:
  if (c && c->st)
    atomic_store(&f->stop, 1); /* an error: the later articles wait */
  dedup_kept_cursor_close(&r.cursor);
  dedup_kept_cursor_close(&r.candidates);
  dedup_doc_free(r.d);
  dedup_free(r.cache);
  cys_analyzer_free(r.an);
  cys_wdb_free(r.rdb);
  pthread_mutex_lock(&f->lock);
  f->nended++;
  pthread_cond_signal(&f->ended);
  pthread_mutex_unlock(&f->lock);
  return NULL;
}

/* ---- phase 2: the keys, in docid order ------------------------------- */

/* The position of docid in docids[0, n), or n. */
static size_t position(const cys_docid *docids, size_t n, cys_docid docid) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (docids[mid] < docid)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && docids[lo] == docid ? lo : n;
}

/* Give the article at position i its key: its match's, computed just
 * before (the match has a lower docid), else its own; write it when it
 * changed. */
static cys_status settle(cys_writer *w, const cys_docid *docids, size_t i,
                         const cys_docid *best,
                         char (*keys)[DEDUP_KEY_LEN + 1], int *changed) {
  cys_docid docid = docids[i];
  char *old = NULL;
  size_t old_len = 0;
  *changed = 0;
  if (best[i]) {
    size_t p = position(docids, i, best[i]);
    if (p == i)
      return writer_fail(w, CYS_CORRUPT, "relink: document %u matched "
                         "document %u, which is not an earlier one", docid,
                         best[i]);
    memcpy(keys[i], keys[p], DEDUP_KEY_LEN + 1);
  }
  cys_status st =
      cys_wdb_get_value(w->view, docid, CYS_SLOT_COLLAPSE, &old, &old_len);
  if (st)
    return writer_fail(w, st, "relink: cannot read document %u: %s", docid,
                       cys_wdb_errmsg(w->view));
  int same = old_len == DEDUP_KEY_LEN &&
             memcmp(old, keys[i], DEDUP_KEY_LEN) == 0;
  free(old);
  if (same)
    return CYS_OK;
  if (!(st = write_key(w, docid, keys[i])))
    *changed = 1;
  return st;
}

/* The relink, with the kept words or without (kept NULL). */
static cys_status relink(cys_writer *w, const dedup_kept *kept,
                         unsigned long commit_every, unsigned threads,
                         cys_relink_fn progress, void *ctx,
                         uint64_t *examined, uint64_t *changed) {
  *examined = *changed = 0;
  if (!w->nshards)
    return writer_fail(w, CYS_INVALID, "the writer is not open");
  if (w->only >= 0)
    return writer_fail(w, CYS_INVALID,
                       "relinking needs every shard of the index, and only "
                       "shard %d is open: open the whole index on a "
                       "machine that holds all the shards", w->only);
  /* The threads read what is committed: commit what the writer holds. */
  cys_status st = cys_writer_commit(w);
  if (st)
    return st;
  cys_docid *docids = NULL, *best = NULL;
  char(*keys)[DEDUP_KEY_LEN + 1] = NULL;
  finder *f = NULL;
  size_t n = 0;
  if ((st = cys_wdb_docids(w->view, &docids, &n))) {
    writer_fail(w, st, "relink: %s", cys_wdb_errmsg(w->view));
    goto done;
  }
  if (n == 0)
    goto done;
  uint64_t signed_now = 0;
  if ((st = sign_unsigned(w, kept, docids, n, commit_every, &signed_now)))
    goto done;
  if (threads == 0)
    threads = 1;
  if (threads > n)
    threads = (unsigned)n;
  /* Chunks: about 8 a thread, from 1024 to 16384 articles. */
  size_t size = n / (8 * (size_t)threads);
  size = size < 1024 ? 1024 : size > 16384 ? 16384 : size;
  size_t nchunks = (n + size - 1) / size;
  if (threads > nchunks)
    threads = (unsigned)nchunks;
  best = calloc(n, sizeof *best);
  keys = calloc(n, sizeof *keys);
  f = calloc(1, sizeof *f);
  chunk *chunks = calloc(nchunks, sizeof *chunks);
  pthread_t *tid = calloc(threads, sizeof *tid);
  if (!best || !keys || !f || !chunks || !tid) {
    free(chunks);
    free(tid);
    st = writer_fail(w, CYS_NOMEM, "out of memory");
    goto done;
  }

  /* Phase 1: each article's match, found on `threads` threads. */
  for (size_t k = 0; k < nchunks; k++) {
    chunks[k].from = k * size;
    chunks[k].to = k + 1 < nchunks ? (k + 1) * size : n;
    atomic_init(&chunks[k].done, 0);
  }
  f->w = w;
  f->kept = kept;
  f->docids = docids;
  f->best = best;
  f->keys = keys;
  f->chunks = chunks;
  f->nchunks = nchunks;
  atomic_init(&f->next, 0);
  atomic_init(&f->stop, 0);
  pthread_mutex_init(&f->lock, NULL);
  pthread_cond_init(&f->ended, NULL);
  unsigned started = 0;
  for (; started < threads; started++)
    if (pthread_create(&tid[started], NULL, find_run, f))
      break;
  int stopped = 0;
  pthread_mutex_lock(&f->lock);
  while (f->nended < started) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&f->ended, &f->lock, &until);
    if (progress && !stopped && f->nended < started) {
      uint64_t sum = 0;
      for (size_t k = 0; k < nchunks; k++)
        sum += atomic_load(&chunks[k].done);
      pthread_mutex_unlock(&f->lock);
      if (progress(ctx, sum, 0, n)) {
        stopped = 1;
        atomic_store(&f->stop, 1);
      }
      pthread_mutex_lock(&f->lock);
    }
  }
  pthread_mutex_unlock(&f->lock);
  for (unsigned t = 0; t < started; t++)
    pthread_join(tid[t], NULL);
  free(tid);
  pthread_mutex_destroy(&f->lock);
  pthread_cond_destroy(&f->ended);

  /* The articles whose match is known: the chunks finished in full, then
   * what the first unfinished one did; the first error, by position. */
  size_t ready = 0, failed = nchunks;
  for (size_t k = 0; k < nchunks; k++) {
    size_t done = atomic_load(&chunks[k].done);
    ready += done;
    if (done < chunks[k].to - chunks[k].from)
      break;
  }
  for (size_t k = 0; k < nchunks && failed == nchunks; k++)
    if (chunks[k].st)
      failed = k;
  if (started == 0 && failed == nchunks)
    st = writer_fail(w, CYS_NOMEM, "relink: cannot start a thread");

  /* Phase 2: the keys, in docid order: each article's match comes before
   * it, so its key is known. */
  unsigned long since_commit = 0;
  cys_status st2 = CYS_OK;
  for (size_t i = 0; i < ready; i++) {
    int one = 0;
    if ((st2 = settle(w, docids, i, best, keys, &one)))
      break;
    *examined += 1;
    *changed += (uint64_t)one;
    since_commit += (unsigned long)one;
    if (since_commit >= commit_every && commit_every) {
      if ((st2 = cys_writer_commit(w)))
        break;
      since_commit = 0;
    }
    if (progress && !stopped && progress(ctx, *examined, *changed, n)) {
      stopped = 1;
      break;
    }
  }
  if (st2)
    st = st2;
  else if (failed < nchunks)
    st = writer_fail(w, chunks[failed].st, "%s", chunks[failed].message);
  if (!st)
    st = cys_writer_commit(w);
  free(chunks);
done:
  free(docids);
  free(best);
  free(keys);
  free(f);
  return st;
}

cys_status cys_writer_relink(cys_writer *w, unsigned long commit_every,
                             unsigned threads, cys_relink_fn progress,
                             void *ctx, uint64_t *examined,
                             uint64_t *changed) {
  return relink(w, NULL, commit_every, threads, progress, ctx, examined,
                changed);
}

cys_status cys_writer_relink_kept(cys_writer *w, const char *const *paths,
                                  size_t npaths, unsigned long commit_every,
                                  unsigned threads, cys_relink_fn progress,
                                  void *ctx, uint64_t *examined,
                                  uint64_t *changed) {
  *examined = *changed = 0;
  dedup_kept *kept = NULL;
  char why[600];
  cys_status st = dedup_kept_open(paths, npaths, &kept, why, sizeof why);
  if (st)
    return writer_fail(w, st, "relink: the kept words: %s", why);
  st = relink(w, kept, commit_every, threads, progress, ctx, examined,
              changed);
  dedup_kept_free(kept);
  return st;
}
