/*
 * pipeline.h — --threads N: articles analysed on N worker threads and
 * handed back in input order, so that one thread writes them exactly as
 * it would have without workers (cysearch/writer.h, "Analysis on other
 * threads").  The calling thread puts articles in (each copied) and takes
 * them out in the same order, analysed; the pipeline holds at most `depth`
 * articles at a time.
 */
#ifndef CYSEARCH_INDEXER_PIPELINE_H
#define CYSEARCH_INDEXER_PIPELINE_H

#include "cysearch/article.h"
#include "cysearch/writer.h"

typedef struct pipeline pipeline;

/* Start `threads` workers for writer (opened, gazetteers loaded).  NULL
 * when memory or threads run out. */
pipeline *pipeline_new(cys_writer *writer, unsigned threads, unsigned depth);

/* Stop the workers and drop whatever was not taken out. */
void pipeline_free(pipeline *p);

/* Is there no room for another article? */
int pipeline_full(const pipeline *p);

/* Articles put in and not yet taken out. */
unsigned pipeline_pending(const pipeline *p);

/* Queue a copy of the article, of `where` (its name in messages) and of
 * origin (its file, or NULL).  -1 when memory runs out (nothing
 * queued). */
int pipeline_put(pipeline *p, const cys_article *article, const char *where,
                 const char *origin);

/* The oldest article put in, once analysed: waits for it when wait is
 * set, else returns 0 when it is not ready (or there is none).  Returns 1
 * with *article, *where, *origin and *prepared, valid until
 * pipeline_done. */
int pipeline_next(pipeline *p, int wait, const cys_article **article,
                  const char **where, const char **origin,
                  cys_prepared **prepared);

/* Done with the article pipeline_next gave. */
void pipeline_done(pipeline *p);

#endif
