/*
 * segments.h — a new index written in segments, on --threads N threads
 * (one included).
 *
 * With one writer, Xapian's add_document and commits (61% of indexing,
 * tests/bench/profile.sh) run on one core whatever the number of
 * analysis threads (pipeline.h), and cost more as the index grows: each
 * article's postings go into a buffer of all the uncommitted ones, and
 * each commit merges them into the posting lists already written.  When
 * the index holds no article yet, the run is cut instead into chunks of
 * consecutive articles; each of N threads analyses and writes whole
 * chunks, each into an index of its own (a segment) in a directory
 * beside the index, DB.build-PID.  At
 * the end Xapian's compactor merges the index's own (empty) database
 * and the segments, in input order, into one new index there
 * (cys_index_merge: docids numbered one segment after the other, so
 * every article gets the docid one writer would have given it; metadata
 * from the index first); the articles whose id came earlier in the run
 * are put then, in order, replacing or leaving unchanged the earlier
 * copy as one writer would; the collapse keys are computed over the
 * whole of it (cys_writer_relink, whose matching runs on N threads); and
 * the new index is exchanged with the empty one in one step
 * (index_replace_locked).  A failure or an interruption before that
 * leaves the index as it was, and removes the build directory.
 */
#ifndef CYSEARCH_INDEXER_SEGMENTS_H
#define CYSEARCH_INDEXER_SEGMENTS_H

#include "cysearch/article.h"
#include "job.h"

typedef struct segments segments;

/* Can this job write in segments: the whole of a plain index (no
 * --shards, --shard) that is writable, in a directory that is writable
 * (for the build directory and the exchange), and holds no article yet,
 * whatever the number of threads (with one, a small new index per chunk
 * and the merge cost less CPU than one growing index:
 * docs/performance.md), unless one thread is asked to commit more often
 * than every 100 articles (segments commit only at the end)?  Otherwise,
 * or when the environment variable CYSEARCH_ONE_WRITER is set to anything
 * but "" or "0" (to compare the two ways: the index is the same), the job
 * writes through one writer. */
int segments_apply(job *j);

/* Start j->opt.threads writers for the job, whose writer is open and
 * holds its --gazetteer files; chunk articles per segment.  NULL (and
 * why on standard error) when the build directory, memory or threads
 * cannot be had. */
segments *segments_new(job *j, unsigned long chunk);

/* Take a copy of an article that cys_writer_check_article accepts.
 * 1: it goes to a segment (a new article); 0: its id came earlier in the
 * run, so it is put at the merge; -1: the job must stop (a writer failed,
 * memory ran out; why is on standard error). */
int segments_put(segments *s, const cys_article *article, const char *where,
                 const char *origin);

/* Articles written into segments so far (any thread may call). */
unsigned long segments_written(segments *s);

/* Wait for the writers, merge, put the later copies (counted in
 * j->count as replaced or unchanged), relink and exchange the new index
 * with the job's (empty) one: j->writer is freed and set to NULL, to be
 * opened again on the new index.  -1 (why on standard error) when the
 * index is left as it was. */
int segments_finish(segments *s);

/* The job is one run of the index: make w, the index's writer opened
 * again after segments_finish, carry on the run the job's first writer
 * began, as changed when the segments wrote anything, so that its
 * commits record it (cys_writer_resume_run).  -1 (why on standard error)
 * when the index has recorded another run meanwhile. */
int segments_resume_run(segments *s, cys_writer *w);

/* Stop the writers (the articles not written are dropped) and remove the
 * build directory.  NULL is accepted. */
void segments_free(segments *s);

/* Remove the build directory only, while the writers may still be
 * running: for a process about to end at once (cys_on_abort).
 * NULL is accepted. */
void segments_abandon(segments *s);

#endif
