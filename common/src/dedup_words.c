/*
 * dedup_words.c — the word sets near-duplicate detection compares (see
 * dedup_words.h): hashes of words and headline stems, sorted sets of
 * them, and their overlaps.
 */
#include "dedup_words.h"

#include <stdlib.h>
#include <string.h>

#include "fnv1a.h"

#define DEDUP_ID_SHARE 3 /* 1 in 3 identifiers unshared still agree */

/* FNV-1a with a final mix: the same function on both sides of a
 * comparison, so only equality matters. */
uint64_t dedup_hash_bytes(const char *s, size_t n) {
  uint64_t h = fnv1a64(s, n);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

/* The hash of a word, its lowest bit set when it has a digit (an
 * identifier, for the comparison of undated articles). */
uint64_t dedup_word_hash(const char *s, size_t n) {
  uint64_t digit = 0;
  for (size_t i = 0; i < n && !digit; i++)
    digit = s[i] >= '0' && s[i] <= '9';
  return (dedup_hash_bytes(s, n) & ~(uint64_t)1) | digit;
}

int dedup_push(uint64_t **v, size_t *n, size_t *cap, uint64_t x) {
  if (*n == *cap) {
    size_t c = *cap ? 2 * *cap : 256;
    uint64_t *bigger = realloc(*v, c * sizeof *bigger);
    if (!bigger)
      return -1;
    *v = bigger;
    *cap = c;
  }
  (*v)[(*n)++] = x;
  return 0;
}

static int by_value(const void *p, const void *q) {
  uint64_t a = *(const uint64_t *)p, b = *(const uint64_t *)q;
  return a < b ? -1 : a > b;
}

/* Sort v[0, n) through tmp[0, n), a byte at a time from the lowest
 * (passes where all share the byte are skipped).  An article's few hundred
 * to few thousand word hashes sort 2.5 times quicker so than by qsort,
 * whose comparisons are calls; the sort was 1.5 % of a one-thread build
 * (perf, 20,000 articles of the c100k corpus). */
static void radix_sort(uint64_t *v, size_t n, uint64_t *tmp) {
  uint64_t *from = v, *to = tmp;
  for (unsigned shift = 0; shift < 64; shift += 8) {
    size_t count[256] = {0};
    for (size_t i = 0; i < n; i++)
      count[(from[i] >> shift) & 255]++;
    if (count[(from[0] >> shift) & 255] == n)
      continue;
    size_t sum = 0;
    for (unsigned b = 0; b < 256; b++) {
      size_t c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++)
      to[count[(from[i] >> shift) & 255]++] = from[i];
    uint64_t *t = from;
    from = to;
    to = t;
  }
  if (from != v)
    memcpy(v, from, n * sizeof *v);
}

#define RADIX_MIN 64 /* fewer values: qsort, without the passes' cost */

/* Sort and drop repeats. */
size_t dedup_sort_unique(uint64_t *v, size_t n) {
  if (n < 2)
    return n;
  uint64_t *tmp = n >= RADIX_MIN ? malloc(n * sizeof *tmp) : NULL;
  if (tmp)
    radix_sort(v, n, tmp);
  else
    qsort(v, n, sizeof *v, by_value);
  free(tmp);
  size_t m = 1;
  for (size_t i = 1; i < n; i++)
    if (v[i] != v[m - 1])
      v[m++] = v[i];
  return m;
}

double dedup_jaccard(const uint64_t *a, size_t na, const uint64_t *b,
                     size_t nb) {
  size_t i = 0, j = 0, both = 0;
  while (i < na && j < nb) {
    if (a[i] == b[j]) {
      both++;
      i++;
      j++;
    } else if (a[i] < b[j]) {
      i++;
    } else {
      j++;
    }
  }
  size_t all = na + nb - both;
  return all ? (double)both / (double)all : 0.0;
}

int dedup_in_set(const uint64_t *v, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i++)
    if (v[i] == h)
      return 1;
  return 0;
}

/* For articles with no date to agree on: the Jaccard overlap of the words
 * outside each one's headline, and whether their identifiers (word_hash's
 * digit bit) are the same but for one, or one in DEDUP_ID_SHARE. */
double dedup_body_overlap(dedup_word_set a, dedup_word_set b, int *same_ids) {
  size_t i = 0, j = 0, both = 0, all = 0, ids_both = 0, ids_apart = 0;
  while (i < a.nwords || j < b.nwords) {
    uint64_t x;
    int in_a = 0, in_b = 0;
    if (j == b.nwords || (i < a.nwords && a.words[i] <= b.words[j])) {
      x = a.words[i++];
      in_a = 1;
      if (j < b.nwords && b.words[j] == x) {
        j++;
        in_b = 1;
      }
    } else {
      x = b.words[j++];
      in_b = 1;
    }
    if (x & 1) {
      ids_both += in_a && in_b;
      ids_apart += !(in_a && in_b);
    }
    in_a &= !dedup_in_set(a.title, a.ntitle, x);
    in_b &= !dedup_in_set(b.title, b.ntitle, x);
    both += in_a && in_b;
    all += in_a || in_b;
  }
  *same_ids =
      ids_apart <= 1 || ids_apart * DEDUP_ID_SHARE <= ids_apart + ids_both;
  return all ? (double)both / (double)all : 0.0;
}
