/*
 * held_article.h — an article kept after the reader's call returns, for
 * --threads (pipeline.c, segments.c): copies of its strings, of `where`
 * (its name in messages) and of origin (its file, or NULL), owned.
 */
#ifndef CYSEARCH_INDEXER_HELD_ARTICLE_H
#define CYSEARCH_INDEXER_HELD_ARTICLE_H

#include "cysearch/article.h"

typedef struct held_article {
  cys_article article;
  char *where;
  char *origin; /* NULL when not from a file */
} held_article;

/* Copy article, where and origin into h; -1 when memory runs out (h is
 * then empty). */
int held_article_copy(held_article *h, const cys_article *article,
                      const char *where, const char *origin);

/* Free what h holds; h is empty after. */
void held_article_clear(held_article *h);

#endif
