/*
 * dedup_words.h — the word sets near-duplicate detection (dedup.c)
 * compares: 64-bit hashes of words and headline stems, sorted sets of
 * them, and their overlaps.  Pure functions: the same on any thread; the
 * caller owns every array.
 */
#ifndef CYSEARCH_DEDUP_WORDS_H
#define CYSEARCH_DEDUP_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* The hash of n bytes (a headline stem, an id term). */
uint64_t dedup_hash_bytes(const char *s, size_t n);

/* The hash of a word, its lowest bit set when the word has a digit (an
 * identifier: dedup_body_overlap compares those apart). */
uint64_t dedup_word_hash(const char *s, size_t n);

/* Append x to the growing array *v of *n values (*cap allocated); -1 when
 * memory runs out (*v is left as it was). */
int dedup_push(uint64_t **v, size_t *n, size_t *cap, uint64_t x);

/* Whether h is one of v[0, n) (unsorted: a headline's few hashes). */
int dedup_in_set(const uint64_t *v, size_t n, uint64_t h);

/* Sort v[0, n) and drop repeats; returns the values left. */
size_t dedup_sort_unique(uint64_t *v, size_t n);

/* |a ∩ b| / |a ∪ b| of two sorted sets (0 for two empty ones). */
double dedup_jaccard(const uint64_t *a, size_t na, const uint64_t *b,
                     size_t nb);

/* One side of a comparison: sorted distinct words, and the words of its
 * headline (a set of at most MAX_OTHER_TITLE, unsorted). */
typedef struct dedup_word_set {
  const uint64_t *words, *title;
  size_t nwords, ntitle;
} dedup_word_set;

/* For articles with no date to agree on: the Jaccard overlap of the words
 * outside each one's headline; *same_ids tells whether their identifiers
 * are the same but for one, or one in three. */
double dedup_body_overlap(dedup_word_set a, dedup_word_set b, int *same_ids);

#endif
