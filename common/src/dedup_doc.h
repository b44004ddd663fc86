/*
 * dedup_doc.h — what dedup.h's dedup_doc holds of one article, shared by
 * the two files that read or fill it: dedup.c (gathers it from the
 * analyser's tokens and compares it) and dedup_kept.c (writes it to a
 * file at indexing time and reads it back for a relink, so that the
 * stored article need not be analysed again).  Nobody else looks inside.
 */
#ifndef CYSEARCH_DEDUP_DOC_H
#define CYSEARCH_DEDUP_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "dedup.h"
#include "dedup_sign.h"

#define MAX_TITLE 24       /* headline stems kept */
#define MAX_OTHER_TITLE 64 /* headline stems read of an indexed article */

struct dedup_doc {
  uint64_t *words; /* hashes of the distinct exact forms, once sorted */
  size_t nwords, cap;
  int sorted;                     /* words sorted and distinct */
  uint64_t title_hash[MAX_TITLE]; /* headline content stems, hashed */
  size_t ntitle;
  /* The article as a later candidate: all its headline stems (the "ZS"
   * terms) and words (the "S" terms), and whether its word set is exactly
   * its unprefixed terms. */
  uint64_t all_title[MAX_OTHER_TITLE];
  size_t nall_title;
  uint64_t title_words[MAX_OTHER_TITLE];
  size_t ntitle_words;
  int uncacheable;
  int failed;
  dedup_sign sign;                  /* the word pairs, then ... */
  uint64_t bands[DEDUP_SIGN_BANDS]; /* ... the signature */
  int signature;                    /* 1 made, 0 none (no pairs), -1 not
                                       made yet */
};

/* After the last token: sort d's words (once) and make its signature
 * (once); 1 when it has one, 0 when none (no word pair), -1 when memory
 * ran out (or d->failed). */
int dedup_doc_ready(dedup_doc *d);

#endif
