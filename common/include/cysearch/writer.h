/*
 * writer.h — turning articles into index documents: the high-level writer
 * cysearch-index uses.  It owns the analyzer and the Xapian writer, applies
 * the index schema (internal schema.h), and keeps the article id as the
 * identity: putting an id again replaces that article, and an unchanged
 * article is not rewritten at all.
 *
 * Ownership: the writer is made by cys_writer_new, opened by one of the
 * cys_writer_open* calls, freed by cys_writer_free (NULL accepted; work
 * not committed is dropped).  Workers and prepared articles likewise
 * (cys_writer_worker_new, cys_prepared_new, their _free).  Articles are
 * borrowed for the call.
 * Errors: every call returns a cys_status and keeps the message on the
 * writer (cys_writer_errmsg, until its next call): CYS_LOCKED when another
 * writer holds the index; CYS_INVALID for a request the index cannot take
 * (another language or shard count, a shard it does not hold) and for a
 * call on a writer that is not open; CYS_NOT_FOUND;
 * CYS_BAD_INPUT for an article the index cannot hold; CYS_INTERRUPTED;
 * CYS_IO, CYS_CORRUPT, CYS_VERSION about the index; CYS_NOMEM.  Some
 * messages about shards, languages and pruning still name cysearch-index's
 * options (--shards, --shard, --prune): a known debt, to be phrased in the
 * call's terms like the others.
 */
#ifndef CYSEARCH_WRITER_H
#define CYSEARCH_WRITER_H

#include <signal.h> /* sig_atomic_t */
#include <stddef.h>
#include <stdint.h>

#include "cysearch/article.h"
#include "cysearch/kev.h"
#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cys_writer cys_writer;

typedef enum cys_put_outcome {
  CYS_PUT_ADDED,
  CYS_PUT_REPLACED,
  CYS_PUT_UNCHANGED
} cys_put_outcome;

/* NULL only when memory runs out. */
CYS_API cys_writer *cys_writer_new(void);

/* Frees without committing: work since the last commit is dropped, and the
 * index stays as it was at that commit. */
CYS_API void cys_writer_free(cys_writer *writer);

/* Open (or create) the index at path.  language is the stemmer to use, or
 * NULL for the one the index already has ("english" for a new
 * index); naming a different language than an existing index has gives
 * CYS_INVALID.  CYS_LOCKED when another writer has the index open. */
CYS_API cys_status cys_writer_open(cys_writer *writer, const char *path,
                                   const char *language);

/* The same for a sharded index (see "Shards" below): nshards 0 opens
 * whatever is at path (its stub says how many shards; a plain index or a
 * new one is one); nshards >= 2 creates a sharded index at a new or empty
 * path, or opens one with that many shards (another number is
 * CYS_INVALID: the number is fixed when an index is made; build a new
 * index from the inputs, or merge the shards into a single index with
 * cys_index_merge).  nshards 1 is
 * a plain index.  A stub that lists a shard directory which is not there
 * (shards built apart on other machines, not yet copied together) gives
 * CYS_NOT_FOUND rather than an empty shard. */
CYS_API cys_status cys_writer_open_shards(cys_writer *writer, const char *path,
                                          const char *language,
                                          unsigned nshards);

/* Open only shard k (0-based) of the sharded index at path, to build it
 * apart from the others: N such writers can run at once, on one machine
 * or on several each holding its own copy of path (the other shard-NN
 * directories may be absent).  nshards 0 takes the count from the stub;
 * nshards >= 2 also creates path, its stub and shard k when path does not
 * exist yet (safe when several processes do so at once), and must match
 * an existing stub (else CYS_INVALID, with a message that says what to
 * do).  A plain index, a k past the last shard, or a new path without
 * nshards give CYS_INVALID.  Putting an article of another shard gives
 * CYS_INVALID (drop those first: cys_shard_of(id, cys_writer_shards())
 * != k), deleting one CYS_NOT_FOUND; prune and commit touch shard k only.
 * Collapse keys are computed within shard k alone: copies of one story in
 * two shards keep two keys until cys_writer_relink runs over all the
 * shards. */
CYS_API cys_status cys_writer_open_shard(cys_writer *writer, const char *path,
                                         const char *language, unsigned nshards,
                                         unsigned k);

/* Shards of the open index (1 for a plain index), also when only one of
 * them is open. */
CYS_API unsigned cys_writer_shards(const cys_writer *writer);

/* The stemmer language of the open index ("english", ...): what a writer
 * of another index that joins it (cys_index_merge) must be opened with.
 * NULL when the writer is not open. */
CYS_API const char *cys_writer_language(const cys_writer *writer);

/* From now on, give each article put the collapse key of its own,
 * without looking for its near-duplicates (the search that dedup costs
 * per article), for a writer of an index whose keys cys_writer_relink
 * computes later over everything it joins: the segments of a build on
 * several threads. */
CYS_API void cys_writer_defer_keys(cys_writer *writer);

/* From now on, also keep in the file at path (created, or emptied) what
 * the near-duplicate comparison needs of each article added (its distinct
 * words, headline stems, signature, date and content hash: about 8 bytes
 * per distinct word), so that cys_writer_relink_kept, run by this process
 * over an index this one is merged into, reads them back instead of
 * analysing every stored article again.  The file is complete after
 * cys_writer_commit (and cys_writer_free); the caller removes it.
 * CYS_IO (and a message) when it cannot be created; a write that fails
 * later makes the next commit fail. */
CYS_API cys_status cys_writer_keep_words(cys_writer *writer,
                                         const char *path);

/* Recompute every article's collapse key (the key that makes copies of
 * one story one hit; internal schema.h: CYS_SLOT_COLLAPSE, and the key
 * that leads CYS_SLOT_FACETS) over all the open databases,
 * as if the articles had been written one after another in docid order
 * (the docids of the view of all shards, writer.h "Shards"): each takes
 * the key of its most similar earlier article (dedup.c), else its own.
 * Only the keys that change are written (the values, not the terms),
 * committing after every commit_every of them and at the end.  The
 * result depends only on what the index holds: a second run changes
 * nothing, and a run that stopped half-way converges when run again.
 * It commits what the writer holds first, then works in two passes:
 * each article's most similar earlier article is found on `threads`
 * threads (0 counts as 1), each with its own read-only handle on the
 * index and its own analyzer, over one contiguous block of docids; then,
 * in docid order on the calling thread, each article takes its match's
 * key and the changed keys are written.  The keys are the same for any
 * number of threads.
 * progress (may be NULL) is called on the calling thread: about ten times
 * a second during the first pass, with how many articles have been
 * matched, 0 and the total, then after each article of the second, with
 * how many were examined, how many keys changed so far and the total;
 * returning non-zero stops the relink (the keys of the articles matched
 * in order up to then are written, and what was changed is committed).
 * *examined and *changed receive the articles examined and the keys
 * changed, also on failure.  Needs every shard: CYS_INVALID after
 * cys_writer_open_shard. */
typedef int (*cys_relink_fn)(void *ctx, uint64_t examined, uint64_t changed,
                             uint64_t total);
CYS_API cys_status cys_writer_relink(cys_writer *writer,
                                     unsigned long commit_every,
                                     unsigned threads, cys_relink_fn progress,
                                     void *ctx, uint64_t *examined,
                                     uint64_t *changed);

/* cys_writer_relink, with the words kept by the writers of the indexes
 * that cys_index_merge joined into this one (cys_writer_keep_words), one
 * file per merged index in merge order (an index without documents counts
 * for nothing and has none): an article whose record is there and whose
 * content hash is the document's is compared from it; any other (written
 * before, or replaced since) is analysed again from its stored text, as
 * cys_writer_relink does.  The keys are the same either way.  A kept
 * file that cannot be read, or is damaged, gives CYS_IO or CYS_CORRUPT
 * before any key is written. */
CYS_API cys_status cys_writer_relink_kept(
    cys_writer *writer, const char *const *kept, size_t nkept,
    unsigned long commit_every, unsigned threads, cys_relink_fn progress,
    void *ctx, uint64_t *examined, uint64_t *changed);

CYS_API const char *cys_writer_errmsg(const cys_writer *writer);

/* Give up analysing an article once *flag is non-zero (a signal handler
 * sets it; NULL: never; it must outlive the writer): the put or prepare
 * under way returns CYS_INTERRUPTED within a few thousand words, however
 * large the article, and nothing of it is written.  Applies to the
 * workers made from now on (cys_writer_worker_new). */
CYS_API void cys_writer_set_interrupt(cys_writer *writer,
                                      const volatile sig_atomic_t *flag);

/* Mark every article with CVE tags from catalogue (kev.h; internal
 * schema.h: XKEV, XKRW, CYS_SLOT_KEV): its boolean terms and its value
 * are rewritten when they differ from what catalogue says, nothing else
 * (the text is not indexed again), over every open shard, and committed
 * at the end in one commit.  *examined receives the articles with CVE tags, *changed those
 * whose marks changed (also on failure; then nothing was committed).
 * cys_writer_put does not mark: an article written again loses its marks
 * until this runs. */
CYS_API cys_status cys_writer_mark_kev(cys_writer *writer,
                                       const cys_kev_catalogue *catalogue,
                                       uint64_t *examined, uint64_t *changed);

/* Also tag the entities of a MISP galaxy cluster file (see
 * cys_gazetteer_load_misp) in the articles put from now on.  They are kept
 * in the index, so later runs and searchers know them too. */
CYS_API cys_status cys_writer_load_gazetteer(cys_writer *writer,
                                             const char *path);

/* CYS_OK when cys_writer_put would accept the article (its id and its
 * title or body, not its text); else CYS_BAD_INPUT and why in
 * message[0..cap), the words cys_writer_put would keep as its message. */
CYS_API cys_status cys_writer_check_article(const cys_article *article,
                                            char *message, size_t cap);

/* Index one article.  article->id must be non-empty and the article must
 * have a title or a body (else CYS_BAD_INPUT); its strings must be valid
 * UTF-8 and article->date already normalised (cys_date_normalize) or NULL.
 * *outcome (may be NULL) says what happened. */
CYS_API cys_status cys_writer_put(cys_writer *writer,
                                  const cys_article *article,
                                  cys_put_outcome *outcome);

/* ---- Analysis on other threads ------------------------------------------
 * cys_writer_put in two steps, for analysing articles on several threads
 * while one thread writes them in input order.  The index comes out the
 * same as with cys_writer_put (docids, terms, values, collapse keys): the
 * analysis depends only on the article, the rest is done in order.
 *
 *   worker:  cys_writer_prepare(worker, article, prepared)   (any thread)
 *   writer:  cys_writer_put_prepared(writer, article, origin, prepared,
 *                                    &outcome)                (in order)
 *
 * A worker is used by one thread at a time; it holds its own analyzer and
 * gazetteers (those of the writer, --gazetteer files included, as they
 * are when the worker is made), and must outlive the articles it
 * prepared.  The writer is used by one thread at a time. */
typedef struct cys_writer_worker cys_writer_worker;
typedef struct cys_prepared cys_prepared;

/* After cys_writer_open and any cys_writer_load_gazetteer.  NULL when
 * memory runs out or the writer is not open. */
CYS_API cys_writer_worker *cys_writer_worker_new(cys_writer *writer);
CYS_API void cys_writer_worker_free(cys_writer_worker *worker);

/* Room for one analysed article; reusable.  NULL when memory runs out. */
CYS_API cys_prepared *cys_prepared_new(void);
CYS_API void cys_prepared_free(cys_prepared *prepared);

/* Analyse article into prepared.  A failure (CYS_BAD_INPUT for an article
 * cys_writer_put would refuse) is kept in prepared and reported again by
 * cys_writer_put_prepared, with its message, in order. */
CYS_API cys_status cys_writer_prepare(cys_writer_worker *worker,
                                      const cys_article *article,
                                      cys_prepared *prepared);

/* Write the article prepared from article (the same article, still
 * alive), as cys_writer_put_from would. */
CYS_API cys_status cys_writer_put_prepared(cys_writer *writer,
                                           const cys_article *article,
                                           const char *origin,
                                           cys_prepared *prepared,
                                           cys_put_outcome *outcome);

/* cys_writer_put for an article read from a file: origin is the file's
 * absolute path (NULL: not from a file, e.g. standard input), recorded
 * for cys_writer_prune.  An unchanged article read from another file than
 * last time stays unchanged, but the file it records is updated. */
CYS_API cys_status cys_writer_put_from(cys_writer *writer,
                                       const cys_article *article,
                                       const char *origin,
                                       cys_put_outcome *outcome);

/* Remove every article read from a file under the directory dir (an
 * absolute path) that no longer exists; *deleted receives how many, and
 * *recorded how many articles were read from files under dir in all.  A
 * file that exists is never a reason to remove anything, whatever
 * happened when it was read.  When more than max_share (0 to 1; 1 allows
 * all) of the recorded articles would go — an unmounted disk or an
 * emptied directory looks just like files deleted on purpose — nothing
 * is removed and CYS_INVALID is returned, with *deleted and *recorded
 * set as they would have been.  (A failed delete after some others
 * leaves those uncommitted: free the writer to drop them.) */
CYS_API cys_status cys_writer_prune(cys_writer *writer, const char *dir,
                                    double max_share, uint64_t *deleted,
                                    uint64_t *recorded);

/* Remove the article with this id; CYS_NOT_FOUND when there is none. */
CYS_API cys_status cys_writer_delete(cys_writer *writer, const char *id);

/* Make everything put so far durable and visible to searchers. */
CYS_API cys_status cys_writer_commit(cys_writer *writer);

/* Articles in the index, as of the writer's view (uncommitted included). */
CYS_API cys_status cys_writer_doccount(cys_writer *writer, uint64_t *out);

/* ---- Runs ----------------------------------------------------------------
 * Each opening of a writer is one indexing run, numbered 1, 2, ... per
 * index, with its start time (UTC).  The run is recorded in the index
 * only when it changes something: the first commit after an article is
 * written or removed records it, and every article written gets the run
 * that added it (kept when a changed article is replaced) and the run
 * that last changed it (internal schema.h: CYS_META_RUN,
 * CYS_SLOT_ADDED_RUN, CYS_SLOT_CHANGED_RUN), which the filters indexed:
 * and changed: select on.  A run that changes nothing leaves no trace,
 * and the next run takes its number.  A writer over the whole index
 * records its run in every shard; cys_writer_open_shard's writer in its
 * shard alone, numbered after that shard's last run. */

/* This writer's run number (from opening on; 0 before). */
CYS_API uint64_t cys_writer_run(const cys_writer *writer);
/* 1 once a commit has recorded the run (it changed something). */
CYS_API int cys_writer_run_recorded(const cys_writer *writer);
/* Its start time, "YYYY-MM-DDTHH:MM:SSZ"; lives as long as the writer. */
CYS_API const char *cys_writer_run_started(const cys_writer *writer);
/* The job is done: commit, recording the run's end time with it (when
 * the run is recorded).  A run that stops without this keeps no end time:
 * searchers read it as possibly under way until the next run closes it. */
CYS_API cys_status cys_writer_end_run(cys_writer *writer);

/* A new index built in parallel segments then merged (cysearch-index
 * --threads N) is one run of that index.  cys_writer_join_run makes
 * part, a writer of a segment or of the merge, a part of whole's run:
 * the articles it writes get whole's run number, and it records no run
 * of its own.  whole is only read (parts may join from other threads).
 * cys_writer_resume_run, on the index's writer reopened over the merged
 * index, carries on the run begun at started (whole's
 * cys_writer_run_started): the run counts as changed, so the next commit
 * records it with that start.  CYS_INVALID, saying why, when writer's run
 * is not number run (something else recorded a run in between). */
CYS_API void cys_writer_join_run(cys_writer *part, const cys_writer *whole);
CYS_API cys_status cys_writer_resume_run(cys_writer *writer, uint64_t run,
                                         const char *started);

/* ---- Shards -----------------------------------------------------------
 * A sharded index is a directory holding N ordinary cysearch indexes,
 * DIR/shard-00 ... DIR/shard-(N-1) (two digits), each with the same
 * metadata, and a Xapian stub file DIR/XAPIANDB with one "auto shard-NN"
 * line per shard, so Xapian opens DIR as one database.  An article lives
 * in shard cys_shard_of(id, N).  Collapse keys are computed over all the
 * shards at once, so they are the same as in a single index built from
 * the same input in the same order — except for shards built apart
 * (cys_writer_open_shard), whose keys are per shard until
 * cys_writer_relink. */

#define CYS_MAX_SHARDS 100

/* The stable 64-bit hash of an article id that places it (FNV-1a over the
 * id's bytes, offset basis 0xcbf29ce484222325, prime 0x100000001b3). */
CYS_API uint64_t cys_shard_hash(const char *id);

/* The shard of an article: cys_shard_hash(id) % nshards (0 for one). */
CYS_API unsigned cys_shard_of(const char *id, unsigned nshards);

/* *nshards receives the number of shards listed in DIR/XAPIANDB, 0 when
 * DIR has no stub (a plain index, or none).  CYS_CORRUPT when the stub is
 * not one cysearch wrote; CYS_IO when it cannot be read. */
CYS_API cys_status cys_index_shards(const char *dir, unsigned *nshards);

/* The path of shard i of DIR ("DIR/shard-II") into out[cap];
 * CYS_INVALID when it does not fit. */
CYS_API cys_status cys_index_shard_path(const char *dir, unsigned i, char *out,
                                        size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_WRITER_H */
