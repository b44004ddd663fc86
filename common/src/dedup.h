/*
 * dedup.h — the near-duplicate collapse key (schema.h, CYS_SLOT_COLLAPSE),
 * computed by the writer as it indexes an article: articles that tell the
 * same story (syndicated copies, light rewrites of one report) get the
 * same key, so a search can show one of them and count the others.
 * dedup.c explains the rule and its numbers.
 */
#ifndef CYSEARCH_DEDUP_H
#define CYSEARCH_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/status.h"
#include "dedup_sign.h"

/* Bytes of a key: 16 lower-case hex digits. */
#define DEDUP_KEY_LEN 16

/* What one index keeps across articles (a cache of recent ones), used
 * by one thread at a time. */
typedef struct dedup dedup;

/* One article's words and headline, gathered as it is analysed (on any
 * thread), then given to dedup_key. */
typedef struct dedup_doc dedup_doc;

/* NULL when memory runs out; the frees accept NULL. */
dedup *dedup_new(void);
void dedup_free(dedup *d);
dedup_doc *dedup_doc_new(void);
void dedup_doc_free(dedup_doc *d);

/* Start a new article. */
void dedup_reset(dedup_doc *d);

/* Feed each token of the article, title tokens with in_title set. */
void dedup_token(dedup_doc *d, const cys_token *t, int in_title);

/* After the last dedup_token: add the article's signature, its band terms
 * (dedup_sign.h), to doc, which is to be written with the key; nothing
 * when the article has no signature.  Any thread. */
cys_status dedup_add_signature(dedup_doc *d, cys_doc *doc);

/* The same band terms, each DEDUP_SIGN_TERM_LEN bytes and a NUL, for a
 * document written without them (relink.c): how many (DEDUP_SIGN_BANDS,
 * or 0 when the article has no signature), -1 when memory ran out. */
int dedup_signature_terms(dedup_doc *d,
                          char terms[DEDUP_SIGN_BANDS][DEDUP_SIGN_TERM_LEN + 1]);

/* The article's key, given what the index already holds: the key of the
 * most similar article of the same story (see dedup.c), else one of its
 * own derived from its id term.  self is the article's current document
 * (0 when new), which is not compared with itself; below > 0 limits the
 * candidates to documents of lower docid (0: any); date is the article's
 * "YYYYMMDD" sort key or NULL.  key receives DEDUP_KEY_LEN bytes and a
 * NUL. */
cys_status dedup_key(dedup *cache, dedup_doc *d, cys_wdb *wdb,
                     cys_docid self, cys_docid below,
                     const char *idterm, size_t idterm_len, const char *date,
                     char key[DEDUP_KEY_LEN + 1]);

/* The choice behind dedup_key: *best receives the docid of the most
 * similar earlier article of the same story (0: none), whose key
 * dedup_key copies.  It reads band postings (the candidates), words,
 * headline stems and dates only, never a key, so it can run on a read-only handle of the index (one per
 * thread, each with its own cache).  Sorts d's words, as dedup_key does,
 * so dedup_remember may follow. */
cys_status dedup_best(dedup *cache, dedup_doc *d, cys_wdb *wdb,
                      cys_docid self, cys_docid below, const char *date,
                      cys_docid *best);

/* The key of an article that matches no earlier one: a hash of its id
 * term, DEDUP_KEY_LEN hex digits and a NUL. */
void dedup_own_key(const char *idterm, size_t idterm_len,
                   char key[DEDUP_KEY_LEN + 1]);

/* After dedup_key (or dedup_best): the article was written as document
 * docid of the index view that dedup_key searches, so a later article can
 * be compared with it without reading its terms back (a bounded cache of
 * recent documents; the result is the same either way). */
void dedup_remember(dedup *cache, const dedup_doc *d, cys_docid docid);

/* Where dedup_best finds a candidate's words when the cache does not
 * hold it, before reading its termlist: source fills out (a dedup_doc
 * reset and filled as after dedup_best) with the words of document docid
 * and returns 1, or returns 0 when it does not know them; it is called
 * on the thread of dedup_best.  relink.c reads them from the files the
 * writers kept (dedup_kept.h).  NULL: none.  CYS_NOMEM when memory runs
 * out. */
typedef int (*dedup_words_fn)(void *ctx, cys_docid docid, dedup_doc *out);
cys_status dedup_set_source(dedup *cache, dedup_words_fn source, void *ctx);

/* Document docid was deleted: forget what dedup_remember kept of it. */
void dedup_forget(dedup *d, cys_docid docid);

#endif
