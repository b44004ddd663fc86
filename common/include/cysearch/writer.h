/*
 * writer.h — turning articles into index documents: the high-level writer
 * cysearch-index uses.  It owns the analyzer and the Xapian writer, applies
 * the schema in schema.h, and keeps the article id as the identity: putting
 * an id again replaces that article, and an unchanged article is not
 * rewritten at all.
 */
#ifndef CYSEARCH_WRITER_H
#define CYSEARCH_WRITER_H

#include <stdint.h>

#include "cysearch/article.h"
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
cys_writer *cys_writer_new(void);

/* Frees without committing: work since the last commit is dropped, and the
 * index stays as it was at that commit. */
void cys_writer_free(cys_writer *writer);

/* Open (or create) the index at path.  language is the stemmer to use, or
 * NULL for the one the index already has (CYS_DEFAULT_LANGUAGE for a new
 * index); naming a different language than an existing index has gives
 * CYS_INVALID.  CYS_LOCKED when another writer has the index open. */
cys_status cys_writer_open(cys_writer *writer, const char *path,
                           const char *language);

const char *cys_writer_errmsg(const cys_writer *writer);

/* Also tag the entities of a MISP galaxy cluster file (see
 * cys_gazetteer_load_misp) in the articles put from now on.  They are kept
 * in the index, so later runs and searchers know them too. */
cys_status cys_writer_load_gazetteer(cys_writer *writer, const char *path);

/* Index one article.  article->id must be non-empty and the article must
 * have a title or a body (else CYS_BAD_INPUT); its strings must be valid
 * UTF-8 and article->date already normalised (cys_date_normalize) or NULL.
 * *outcome (may be NULL) says what happened. */
cys_status cys_writer_put(cys_writer *writer, const cys_article *article,
                          cys_put_outcome *outcome);

/* Remove the article with this id; CYS_NOT_FOUND when there is none. */
cys_status cys_writer_delete(cys_writer *writer, const char *id);

/* Make everything put so far durable and visible to searchers. */
cys_status cys_writer_commit(cys_writer *writer);

/* Articles in the index, as of the writer's view (uncommitted included). */
cys_status cys_writer_doccount(cys_writer *writer, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_WRITER_H */
