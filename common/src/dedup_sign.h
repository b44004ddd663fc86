/*
 * dedup_sign.h — an article's near-duplicate signature: a min-hash of its
 * word pairs cut into bands, each band written as one boolean term
 * (schema.h, CYS_PREFIX_SIGNATURE), so that the earlier copies of an
 * article are the documents that share one of its band terms — a few
 * short posting lists, whatever the size of the index.  dedup_sign.c
 * explains the choice of features, rows and bands, with its numbers.
 * Pure functions of the article's words: the same on any thread.
 */
#ifndef CYSEARCH_DEDUP_SIGN_H
#define CYSEARCH_DEDUP_SIGN_H

#include <stddef.h>
#include <stdint.h>

/* Bands of a signature, and min-hashes per band. */
#define DEDUP_SIGN_BANDS 24
#define DEDUP_SIGN_ROWS 2
/* Bytes of a band term: the prefix and 6 characters (36 bits). */
#define DEDUP_SIGN_TERM_LEN 10

/* The word pairs of one article, gathered token by token.  Zero it (or
 * dedup_sign_reset) before the first use; dedup_sign_clear frees it. */
typedef struct dedup_sign {
  uint64_t *pairs; /* hashes of consecutive content words */
  size_t npairs, cap;
  uint64_t previous; /* the last content word's hash */
  int have_previous;
  int failed; /* memory ran out: no signature */
} dedup_sign;

/* Start a new article (keeps the memory). */
void dedup_sign_reset(dedup_sign *s);
/* Free what s holds; s may then be reset and used again. */
void dedup_sign_clear(dedup_sign *s);

/* Feed the exact form of each token, in text order (title, then body).
 * Function words and words under 3 bytes are left out. */
void dedup_sign_word(dedup_sign *s, const char *word, size_t len);

/* The band values of the article: 1 with DEDUP_SIGN_BANDS values in
 * bands, 0 when it has no word pair (no signature: it is compared with
 * nothing), -1 when memory ran out while gathering.  Sorts s's pairs. */
int dedup_sign_bands(dedup_sign *s, uint64_t bands[DEDUP_SIGN_BANDS]);

/* The boolean term of a band value: DEDUP_SIGN_TERM_LEN bytes and a
 * NUL. */
void dedup_sign_term(uint64_t band, char term[DEDUP_SIGN_TERM_LEN + 1]);

#endif
