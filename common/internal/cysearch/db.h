/*
 * db.h — the C API over Xapian.  This is the only door to Xapian for C code:
 * opaque handles with create/free pairs (every free accepts NULL), status
 * codes, and the detailed message of the last error kept on the handle.
 * No C++ type or exception ever crosses it (see xapian_shim_internal.hh).
 *
 *   cys_db     a database opened for reading (searches)
 *   cys_wdb    a database opened for writing (one writer per index)
 *   cys_doc    a document being built for cys_wdb_replace()
 *   cys_query  an immutable query tree
 *   cys_mset   the result of one search
 *
 * Term, prefix and slot meanings are in schema.h; this layer does not know
 * them.  Terms are byte strings of at most CYS_TERM_MAX bytes.
 */
#ifndef CYSEARCH_DB_H
#define CYSEARCH_DB_H

#include <stddef.h>
#include <stdint.h>

#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CYS_TERM_MAX 245 /* Xapian's limit for the glass backend */

typedef uint32_t cys_docid;

/* ---- reading ----------------------------------------------------------- */

typedef struct cys_db cys_db;
typedef struct cys_query cys_query;
typedef struct cys_mset cys_mset;

/* NULL only when memory runs out.  Not usable until cys_db_open succeeds. */
cys_db *cys_db_new(void);
void cys_db_free(cys_db *db);

/* How cys_db_open_shards opens remote shards and treats failures.
 * Initialise with cys_db_open_params_init. */
typedef struct cys_db_open_params {
  unsigned timeout_ms;         /* each request to a remote shard (default
                                  10000; 0 = wait for ever) */
  unsigned connect_timeout_ms; /* connecting to one (default 10000) */
  int allow_partial;           /* 1: skip shards that cannot be opened
                                  (cys_db_unavailable lists them); an error
                                  only when none opens */
} cys_db_open_params;

void cys_db_open_params_init(cys_db_open_params *params);

/* Open n entries read-only as one database.  Each entry is an index
 * directory, a directory holding a Xapian stub file XAPIANDB, a stub file
 * ("auto PATH", "glass PATH", "remote HOST:PORT" lines; relative paths
 * from the stub's directory; stubs may name stubs), or HOST:PORT of an
 * xapian-tcpsrv.  params NULL: the defaults.  CYS_NOT_FOUND when a path
 * holds no index, CYS_NETWORK or CYS_TIMEOUT for a remote shard,
 * CYS_INVALID for a malformed stub, CYS_CORRUPT, CYS_VERSION, CYS_IO;
 * the message names the failing shard and its stub line.  Reopening an
 * open handle closes what it had. */
cys_status cys_db_open_shards(cys_db *db, const char *const *specs, size_t n,
                              const cys_db_open_params *params);

/* cys_db_open_shards with one entry and the default parameters. */
cys_status cys_db_open(cys_db *db, const char *path);

/* Open again everything the last cys_db_open_shards named, the same way:
 * after a remote shard failed, to go on without it (allow_partial) or to
 * find it back. */
cys_status cys_db_reconnect(cys_db *db);

/* Whether any shard is remote (features that need code of ours inside the
 * match, such as custom posting sources, cannot run there). */
int cys_db_is_remote(const cys_db *db);

/* Shards skipped under allow_partial: the i-th one's name (path or
 * HOST:PORT), and in *why (may be NULL) the reason; NULL past the end.
 * Strings live until the handle is reopened or freed. */
size_t cys_db_unavailable_count(const cys_db *db);
const char *cys_db_unavailable(const cys_db *db, size_t i, const char **why);

/* Move to the latest committed revision (after CYS_MODIFIED). */
cys_status cys_db_reopen(cys_db *db);

/* Message for the last error on this handle; "" when there was none. */
const char *cys_db_errmsg(const cys_db *db);

cys_status cys_db_doccount(cys_db *db, uint64_t *out);

/* Number of documents indexed by term (0 when absent). */
cys_status cys_db_termfreq(cys_db *db, const char *term, size_t len,
                           uint64_t *out);

/* Metadata value for key; *out is malloc'd, "" when unset. */
cys_status cys_db_get_metadata(cys_db *db, const char *key, char **out);

/* How a search is run.  Initialise with cys_match_params_init. */
typedef struct cys_match_params {
  uint32_t first;          /* rank of the first hit returned (0-based) */
  uint32_t max;            /* hits returned at most */
  uint32_t check_at_least; /* the total is exact up to this many matches */
  double bm25_k1;          /* BM25 term-frequency saturation */
  double bm25_b;           /* BM25 document-length normalisation */
  double time_limit;       /* seconds; 0 = none.  After half of it the
                              match stops counting (totals become
                              estimates); a guarded query
                              (cys_query_new_guarded) still matching when it
                              has passed is stopped: CYS_TIMEOUT */
  int count_values;        /* 1: count the values of count_slot over the
                              matches seen (Xapian's ValueCountMatchSpy,
                              which also runs inside xapian-tcpsrv); all
                              matches when fewer than check_at_least were
                              seen (cys_mset_counted_all) */
  unsigned count_slot;
  int count_dated;         /* 1: count each match's count_slot value joined
                              to its date_slot value by CYS_DATE_SEPARATOR
                              (also when either is empty), so that counts
                              carry dates.  Local indexes only: over remote
                              shards the plain values are counted
                              (cys_mset_counted_dated says which) */
  unsigned date_slot;
  int sort_by_value;       /* 0: by score; 1: by the value in sort_slot,
                              highest first, then by score */
  unsigned sort_slot;
  int sort_ascending;      /* with sort_by_value: lowest first instead,
                              documents without a value still last */
  int collapse;            /* 1: only the best document of each value in
                              collapse_slot (documents without one are
                              never collapsed); the others among the best
                              ranked are counted in cys_mset_item.collapsed
                              and ranks count stories */
  unsigned collapse_slot;
} cys_match_params;

void cys_match_params_init(cys_match_params *params);

/* Run query.  *out is owned by the caller (cys_mset_free). */
cys_status cys_db_search(cys_db *db, const cys_query *query,
                         const cys_match_params *params, cys_mset **out);

/* Pseudo-relevance feedback: run query, take its top fb_docs hits as
 * relevant, and return up to max terms starting with prefix (and not in
 * the query) that best tell those documents apart, best first, with their
 * expand weights.  *terms and each term are malloc'd: free with
 * cys_expand_free. */
cys_status cys_db_expand(cys_db *db, const cys_query *query,
                         const cys_match_params *params, unsigned fb_docs,
                         unsigned max, const char *prefix, char ***terms,
                         double **weights, size_t *n);
void cys_expand_free(char **terms, double *weights, size_t n);

/* Terms and their counts, reported one at a time: return 0 to go on, any
 * other value to stop (the function still returns CYS_OK).  term is not
 * NUL-terminated and lives only during the call. */
typedef int (*cys_term_fn)(void *ctx, const char *term, size_t len,
                           uint64_t count);

/* Every term of the index that starts with prefix[0..len), in byte order,
 * with its document frequency.  (len 0 walks the whole vocabulary.) */
cys_status cys_db_terms(cys_db *db, const char *prefix, size_t len,
                        cys_term_fn fn, void *ctx);

/* The document indexed by term (e.g. a unique id term), 0 when none. */
cys_status cys_db_find(cys_db *db, const char *term, size_t len,
                       cys_docid *out);

/* Whether the index is one local database, whose docids are its own:
 * what cys_db_values and cys_query_new_docids need (a posting source
 * over several shards sees each shard's docids alone). */
int cys_db_is_single(const cys_db *db);

/* Values reported one at a time, in docid order: return 0 to go on, any
 * other value to stop.  value is not NUL-terminated and lives only during
 * the call. */
typedef int (*cys_value_fn)(void *ctx, cys_docid docid, const char *value,
                            size_t len);

/* Every document's value in slot (those that have one), in docid order:
 * one pass over the slot's value stream, no document read.  CYS_INVALID
 * unless cys_db_is_single. */
cys_status cys_db_values(cys_db *db, unsigned slot, cys_value_fn fn,
                         void *ctx);

/* The highest value in slot over all documents (malloc'd; "" when no
 * document has one).  Exact for a freshly built index; after deletions
 * it may still be a deleted document's value. */
cys_status cys_db_value_max(cys_db *db, unsigned slot, char **out);

/* More like this: the up to max terms starting with prefix that best tell
 * document docid apart from the rest of the index (Xapian's expand set for
 * a relevance set of that one document), best first, with their weights.
 * Free with cys_expand_free.  CYS_NOT_FOUND when there is no such
 * document. */
cys_status cys_db_doc_terms(cys_db *db, cys_docid docid, unsigned max,
                            const char *prefix, char ***terms,
                            double **weights, size_t *n);

/* What a query's parts gave one document.  Every part that adds weight
 * on its own is one item: a term, a phrase or near group as a whole, a
 * weighting source; boolean parts (filters, exclusions) have none. */
typedef enum cys_unit_kind {
  CYS_UNIT_TERM,    /* terms: the term */
  CYS_UNIT_PHRASE,  /* terms: the phrase's terms, separated by spaces */
  CYS_UNIT_NEAR,    /* terms: the group's terms, separated by spaces */
  CYS_UNIT_SYNONYM, /* terms: the synonyms, separated by spaces */
  CYS_UNIT_SOURCE   /* terms: the name of the weighting source */
} cys_unit_kind;

typedef struct cys_explain_item {
  cys_unit_kind kind;
  char *terms;   /* see cys_unit_kind; prefixes kept */
  double weight; /* this part's share of the document's score, scale
                    factors applied; the items add up to the score */
} cys_explain_item;

/* The parts of query that match document docid, with the weight each
 * contributes under params' weighting (parts that give it nothing are left
 * out), in query order.  Free with cys_explain_free. */
cys_status cys_db_explain(cys_db *db, const cys_query *query, cys_docid docid,
                          const cys_match_params *params,
                          cys_explain_item **items, size_t *n);
void cys_explain_free(cys_explain_item *items, size_t n);

void cys_mset_free(cys_mset *mset);

/* Number of hits in this page. */
size_t cys_mset_size(const cys_mset *mset);

/* Matches in all: an estimate between lower and upper bounds, exact when
 * the two are equal.  Documents, not stories, even with collapse (count
 * the collapse slot to count stories). */
void cys_mset_totals(const cys_mset *mset, uint64_t *estimated,
                     uint64_t *lower, uint64_t *upper);

typedef struct cys_mset_item {
  cys_docid docid;
  uint32_t rank; /* 0-based, over the whole result */
  double score;
  uint32_t collapsed; /* documents collapsed into this one (at least) */
  const char *collapse_key; /* its value in collapse_slot (not
                               NUL-terminated; "" when it has none), also
                               without collapsing; lives as long as the
                               mset */
  size_t collapse_key_len;
  const void *data; /* document data; valid until the mset is freed */
  size_t data_len;
  const char *kev; /* its CYS_SLOT_KEV value (not NUL-terminated; "" when
                      unset); lives as long as the mset */
  size_t kev_len;
} cys_mset_item;

/* Number of distinct values counted (params.count_values). */
size_t cys_mset_count_size(const cys_mset *mset);

/* The i-th distinct value counted, in byte order, and the number of
 * matches that had it.  *value is not NUL-terminated and lives as long as
 * the mset. */
void cys_mset_count_get(const cys_mset *mset, size_t i, const char **value,
                        size_t *len, uint64_t *count);

/* 1 when the counted values cover every match: fewer than check_at_least
 * matches were seen, or as many as the matches' upper bound, and the time
 * limit did not cut the match short. */
int cys_mset_counted_all(const cys_mset *mset);

/* 1 when the counted values carry dates (params.count_dated, honoured:
 * the index is local). */
int cys_mset_counted_dated(const cys_mset *mset);

/* Move the counted values of counted (what cys_mset_count_get,
 * cys_mset_counted_all and cys_mset_counted_dated tell) and its totals
 * into ranked, which had counted nothing: a search that counts every
 * match and also ranks a page runs them as two matches of one query, an
 * unweighted one that counts and a ranked one that examines no more than
 * its page needs (search.c).  counted keeps its page. */
void cys_mset_adopt_counts(cys_mset *ranked, cys_mset *counted);

/* The i-th hit of the page (0 <= i < size), reading its document data.
 * Errors (CYS_CORRUPT, CYS_MODIFIED, ...) are kept on the database handle
 * the mset came from. */
cys_status cys_mset_item_get(cys_mset *mset, size_t i, cys_mset_item *out);

/* ---- queries ----------------------------------------------------------- */

typedef enum cys_query_op {
  CYS_OP_AND,
  CYS_OP_OR,
  CYS_OP_AND_NOT,   /* first minus the union of the others */
  CYS_OP_AND_MAYBE, /* first, weighted up by the others */
  CYS_OP_FILTER,    /* first, restricted to the others; no weight change */
  CYS_OP_PHRASE,    /* subqueries in order within `window` positions */
  CYS_OP_NEAR,      /* subqueries in any order within `window` positions */
  CYS_OP_SYNONYM    /* the others scored as one term */
} cys_query_op;

/* A term with query frequency wqf (1 for most) and query position pos
 * (1-based order of the word in the query; 0 when irrelevant). */
cys_status cys_query_new_term(const char *term, size_t len, unsigned wqf,
                              unsigned pos, cys_query **out);

/* A term that matches but adds no weight (a filter). */
cys_status cys_query_new_boolean_term(const char *term, size_t len,
                                      cys_query **out);

/* Combine n subqueries (which the caller keeps and still frees).  window
 * is used by PHRASE and NEAR only (0 = number of subqueries). */
cys_status cys_query_new_combined(cys_query_op op, cys_query *const *subs,
                                  size_t n, unsigned window, cys_query **out);

/* query, checking the deadline of the match (cys_match_params.time_limit)
 * at each candidate document: for phrase and NEAR groups, whose position
 * checks Xapian's own time limit does not bound.  Matches and weighs as
 * query does.  Local indexes only: a remote shard (xapian-tcpsrv) cannot
 * run the guard, and the search fails. */
cys_status cys_query_new_guarded(const cys_query *query, cys_query **out);

/* Documents whose value in slot is within [lo, hi] (bytewise; NULL = open
 * end). */
cys_status cys_query_new_value_range(unsigned slot, const char *lo,
                                     const char *hi, cys_query **out);

/* Documents whose value in slot is one of the n strings values[i] (lens[i]
 * bytes): for values that select few documents among many (story keys),
 * checked on the documents the rest of the query matches, one value read
 * each, instead of walking the slot.  Code of ours inside the match:
 * local indexes only (a remote shard cannot run it; use
 * cys_query_new_value_range there). */
cys_status cys_query_new_value_set(unsigned slot, const char *const *values,
                                   const size_t *lens, size_t n,
                                   cys_query **out);

/* Documents docids[0..n) (ascending, no repeats), weightless: a filter
 * of documents known beforehand.  Its estimate is exact when every docid
 * is a document's (docids past the last one are dropped, deleted ones
 * widen its bounds), so a short list drives the match and the rest of the query is checked on its documents
 * only.  Code of ours inside the match, seeing one shard's docids: only
 * where cys_db_is_single. */
cys_status cys_query_new_docids(const cys_docid *docids, size_t n,
                                cys_query **out);

/* query with its weight multiplied by factor (>= 0). */
cys_status cys_query_new_scaled(const cys_query *query, double factor,
                                cys_query **out);

/* A weight for freshness, as a query that matches the documents with a
 * date in slot ("YYYYMMDD", "00" for an unknown month or day: read as the
 * middle of the month or year): max_weight for a document dated
 * reference ("YYYYMMDD") or later, halving every half_life_days before
 * it.  Combine it with CYS_OP_AND_MAYBE so that it re-ranks without
 * matching anything new. */
cys_status cys_query_new_date_decay(unsigned slot, const char *reference,
                                    double half_life_days, double max_weight,
                                    cys_query **out);

/* Every term that starts with prefix[0..len) (an empty prefix is refused:
 * CYS_INVALID), scored as one term (Xapian's OP_WILDCARD over OP_SYNONYM).
 * Expansion is bounded: when more than max_expansion terms start with it,
 * only the max_expansion most frequent are used, so a short prefix never
 * fails; 0 means no bound.  The expansion happens when the query runs. */
cys_status cys_query_new_wildcard(const char *prefix, size_t len,
                                  unsigned max_expansion, cys_query **out);

/* A query matching every document, or none. */
cys_status cys_query_new_all(cys_query **out);
cys_status cys_query_new_none(cys_query **out);

int cys_query_is_empty(const cys_query *query);

/* Xapian's description of the tree (malloc'd), for --explain and tests. */
cys_status cys_query_describe(const cys_query *query, char **out);

void cys_query_free(cys_query *query);

/* ---- writing ----------------------------------------------------------- */

typedef struct cys_wdb cys_wdb;
typedef struct cys_doc cys_doc;

cys_wdb *cys_wdb_new(void);
/* Frees without committing: changes since the last commit are dropped. */
void cys_wdb_free(cys_wdb *wdb);

/* Open the index at path for writing, creating it when absent.
 * CYS_LOCKED when another writer has it open. */
cys_status cys_wdb_open(cys_wdb *wdb, const char *path);
const char *cys_wdb_errmsg(const cys_wdb *wdb);

/* Document id of the document indexed by unique term, 0 when none. */
cys_status cys_wdb_find(cys_wdb *wdb, const char *term, size_t len,
                        cys_docid *out);

/* Value in slot of document docid; *out malloc'd ("" when unset). */
cys_status cys_wdb_get_value(cys_wdb *wdb, cys_docid docid, unsigned slot,
                             char **out, size_t *out_len);

/* Store doc as the one document indexed by unique term, replacing any
 * other documents indexed by it. */
cys_status cys_wdb_replace(cys_wdb *wdb, const char *term, size_t len,
                           const cys_doc *doc);

/* The top max documents for query, best first (BM25 with Xapian's
 * defaults), including changes not yet committed; with below > 0, only
 * documents whose docid is lower than below.  docids holds max entries;
 * *n is set to how many were found. */
cys_status cys_wdb_match(cys_wdb *wdb, const cys_query *query, uint32_t max,
                         cys_docid below, cys_docid *docids, size_t *n);

/* The first max documents indexed by term, by ascending docid (a posting
 * list read directly, no weighting), including changes not yet committed;
 * with below > 0, only those whose docid is lower.  docids holds max
 * entries; *n is set to how many were found.  Reads at most max postings,
 * however long the list. */
cys_status cys_wdb_postings(cys_wdb *wdb, const char *term, size_t len,
                            cys_docid below, uint32_t max,
                            cys_docid *docids, size_t *n);

/* The document data of docid; *out malloc'd ("" when none). */
cys_status cys_wdb_get_data(cys_wdb *wdb, cys_docid docid, char **out,
                            size_t *out_len);

/* Every document's id, ascending: *out (malloc'd) receives *n of them. */
cys_status cys_wdb_docids(cys_wdb *wdb, cys_docid **out, size_t *n);

/* Set the values of n slots of document docid (an empty value removes
 * one), keeping its terms and data: only the values are rewritten, not
 * the postings. */
cys_status cys_wdb_set_values(cys_wdb *wdb, cys_docid docid,
                              const unsigned *slots,
                              const char *const *values, const size_t *lens,
                              size_t n);

/* The terms of document docid from the first one >= from (NULL or "":
 * all of them), in byte order, with their wdf. */
cys_status cys_wdb_termlist(cys_wdb *wdb, cys_docid docid, const char *from,
                            cys_term_fn fn, void *ctx);

/* Add doc as a new document; *out (may be NULL) receives its id.  For a
 * document whose unique term the caller has just looked up and found
 * absent: cheaper than cys_wdb_replace, which looks it up again. */
cys_status cys_wdb_add(cys_wdb *wdb, const cys_doc *doc, cys_docid *out);

/* Store doc as document docid (which the caller found by its unique
 * term), replacing what it held. */
cys_status cys_wdb_replace_docid(cys_wdb *wdb, cys_docid docid,
                                 const cys_doc *doc);

/* A read-only view of n open writers' databases as one (the shards of a
 * sharded index), for cys_wdb_find, _get_value, _match, _termlist,
 * _get_metadata and _doccount; writes through it give CYS_INVALID.  It
 * sees the writers' uncommitted changes.  Document k of shard s (0-based)
 * is document (k - 1) * n + s + 1 of the view.  The shards must outlive
 * it; free it with cys_wdb_free.  NULL when memory runs out or a shard is
 * not open. */
cys_wdb *cys_wdb_new_union(cys_wdb *const *shards, size_t n);

/* Open wdb (from cys_wdb_new) for reading only, as the union of the
 * committed databases at paths[0..n) (n = 1: the one database), numbered
 * as cys_wdb_new_union numbers the writers opened on the same paths, so
 * cys_wdb_match's bound means the same.  It sees what was committed when
 * it was opened, and is used by one thread at a time (relink.c opens one
 * per thread). */
cys_status cys_wdb_open_read(cys_wdb *wdb, const char *const *paths,
                             size_t n);

/* Document docid with the boolean term old_term replaced by new_term
 * (either may be empty: len 0), everything else kept. */
cys_status cys_wdb_retag(cys_wdb *wdb, cys_docid docid, const char *old_term,
                         size_t old_len, const char *new_term,
                         size_t new_len);

/* Document docid with n boolean terms terms[i][0..lens[i]) added,
 * everything else kept. */
cys_status cys_wdb_add_booleans(cys_wdb *wdb, cys_docid docid,
                                const char *const *terms, const size_t *lens,
                                size_t n);

/* Every term starting with prefix[0..len), in byte order, with the number
 * of documents it indexes, including changes not yet committed. */
cys_status cys_wdb_terms(cys_wdb *wdb, const char *prefix, size_t len,
                         cys_term_fn fn, void *ctx);

/* Delete the documents indexed by term. */
cys_status cys_wdb_delete(cys_wdb *wdb, const char *term, size_t len);

cys_status cys_wdb_set_metadata(cys_wdb *wdb, const char *key,
                                const char *value);
cys_status cys_wdb_get_metadata(cys_wdb *wdb, const char *key, char **out);
cys_status cys_wdb_doccount(cys_wdb *wdb, uint64_t *out);

/* Make every change so far durable and visible to new readers, atomically. */
cys_status cys_wdb_commit(cys_wdb *wdb);

/* Commit n writers (the shards of an index), each on a thread of its own.
 * Each handle keeps its own error; the first failure's status is
 * returned. */
cys_status cys_wdb_commit_all(cys_wdb *const *wdbs, size_t n);

cys_doc *cys_doc_new(void);
void cys_doc_free(cys_doc *doc);
/* Forget everything added, to build the next document. */
void cys_doc_clear(cys_doc *doc);

/* Add term at position pos (1-based), increasing its wdf by 1. */
cys_status cys_doc_add_posting(cys_doc *doc, const char *term, size_t len,
                               unsigned pos);
/* Add term without a position, increasing its wdf by wdf_inc. */
cys_status cys_doc_add_term(cys_doc *doc, const char *term, size_t len,
                            unsigned wdf_inc);
/* Add a filter term (wdf 0: it never affects document length). */
cys_status cys_doc_add_boolean_term(cys_doc *doc, const char *term,
                                    size_t len);
cys_status cys_doc_set_value(cys_doc *doc, unsigned slot, const void *value,
                             size_t len);
cys_status cys_doc_set_data(cys_doc *doc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_DB_H */
