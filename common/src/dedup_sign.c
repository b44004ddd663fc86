/*
 * dedup_sign.c — the near-duplicate signature (see dedup_sign.h).
 *
 * Features: pairs of consecutive content words (the exact forms of title
 * then body, function words and words under 3 bytes left out).  Finding
 * an article's copies must cost the same in a big index as in a small
 * one, so a band must be shared by its copies and by almost nothing else;
 * how often two unrelated articles share a band grows with the overlap of
 * their features, so the features should overlap little between unrelated
 * articles and much between copies.  On the news corpus (3,796 articles;
 * 40,000 random pairs; the 10 pairs dedup.c folds, checked by hand):
 *
 *   features            unrelated pairs: median  99.9%   E[J^2]   folded pairs
 *   distinct words                       0.117   0.219            0.45-0.99
 *   content words                        0.050   0.159   3.3e-3   0.37-0.99
 *   word pairs                           0.013   0.042   2.2e-4   0.19-0.98
 *   content-word pairs                   0.000   0.027   9.1e-6   0.15-0.98
 *   word triples                         0.000   0.012   4.8e-6   0.13-0.98
 *
 * With R min-hashes per band two articles share a band with probability
 * J^R (J: the Jaccard overlap of their feature sets), so a band term's
 * posting list holds about N * E[J^R] unrelated articles of an index of N:
 * with content-word pairs and R = 2, 9 at a million articles and 90 at
 * ten million (word sets would give 3,300 at a million); and with B = 32
 * bands a pair is found with probability 1 - (1 - J^2)^32: 0.80 at
 * J = 0.22, 0.90 at 0.26, 0.97 at 0.32, all but certain above 0.45 —
 * syndicated copies are 0.85-0.98, light rewrites of one story (new
 * headline and lead, as in the pairs above) 0.22-0.6.  Whatever the
 * lists' length, dedup.c reads at most the first DEDUP_BAND_CAP postings
 * of each (a band that boilerplate makes common costs no more), and
 * decides with the words themselves: the signature only finds the
 * candidates.
 *
 * The min-hashes are DEDUP_SIGN_BANDS * DEDUP_SIGN_ROWS mixes of each
 * pair's hash with a fixed seed (a 64-bit finaliser, not a permutation:
 * only which pair is smallest matters); a band's value is a hash of its
 * rows and its number, so a term never matches another band's.
 */
#include "dedup_sign.h"

#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "fnv1a.h"

#define HASHES (DEDUP_SIGN_BANDS * DEDUP_SIGN_ROWS)

/* A 64-bit finaliser (MurmurHash3's): every input bit moves every output
 * bit. */
static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/* Function words: they pair with anything, so they are skipped.  Looked
 * up for every word of every article: by binary search over the list, in
 * byte order (a scan of it took 3.7% of indexing's CPU). */
static int function_word(const char *w, size_t n) {
  static const char *const words[] = {
      "about", "above", "after", "again", "against", "all", "also", "am",
      "among", "and", "any", "are", "because", "been", "before", "being",
      "below", "between", "both", "but", "can", "could", "did", "does",
      "doing", "down", "during", "each", "few", "for", "from", "further",
      "had", "has", "have", "having", "her", "here", "hers", "herself",
      "him", "himself", "his", "how", "into", "its", "itself", "just",
      "may", "might", "more", "most", "must", "nor", "not", "now", "off",
      "once", "only", "other", "our", "ours", "out", "over", "own", "said",
      "same", "says", "she", "should", "some", "such", "than", "that",
      "the", "their", "theirs", "them", "then", "there", "these", "they",
      "this", "those", "through", "too", "under", "until", "upon", "very",
      "was", "were", "what", "when", "where", "which", "while", "who",
      "whom", "why", "will", "with", "would", "yet", "you", "your"};
  if (n > 8)
    return 0;
  size_t lo = 0, hi = sizeof words / sizeof *words;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2, len = strlen(words[mid]);
    int c = memcmp(w, words[mid], n < len ? n : len);
    if (c == 0 && n == len)
      return 1;
    if (c < 0 || (c == 0 && n < len))
      hi = mid;
    else
      lo = mid + 1;
  }
  return 0;
}

void dedup_sign_reset(dedup_sign *s) {
  s->npairs = 0;
  s->have_previous = 0;
  s->failed = 0;
}

void dedup_sign_clear(dedup_sign *s) {
  free(s->pairs);
  memset(s, 0, sizeof *s);
}

void dedup_sign_word(dedup_sign *s, const char *word, size_t len) {
  if (s->failed || len < 3 || function_word(word, len))
    return;
  uint64_t h = mix(fnv1a64(word, len));
  if (s->have_previous) {
    if (s->npairs == s->cap) {
      size_t cap = s->cap ? 2 * s->cap : 256;
      uint64_t *bigger = realloc(s->pairs, cap * sizeof *bigger);
      if (!bigger) {
        s->failed = 1;
        return;
      }
      s->pairs = bigger;
      s->cap = cap;
    }
    /* Ordered: "remote code" is not "code remote". */
    s->pairs[s->npairs++] = mix(s->previous * 0x9e3779b97f4a7c15ULL ^ h);
  }
  s->previous = h;
  s->have_previous = 1;
}

static int by_value(const void *p, const void *q) {
  uint64_t a = *(const uint64_t *)p, b = *(const uint64_t *)q;
  return a < b ? -1 : a > b;
}

int dedup_sign_bands(dedup_sign *s, uint64_t bands[DEDUP_SIGN_BANDS]) {
  if (s->failed)
    return -1;
  if (s->npairs == 0)
    return 0;
  /* Repeated pairs change no minimum: drop them to mix fewer. */
  qsort(s->pairs, s->npairs, sizeof *s->pairs, by_value);
  size_t n = 1;
  for (size_t i = 1; i < s->npairs; i++)
    if (s->pairs[i] != s->pairs[n - 1])
      s->pairs[n++] = s->pairs[i];
  s->npairs = n;
  uint64_t least[HASHES];
  for (size_t k = 0; k < HASHES; k++) {
    uint64_t seed = mix(0x5eed0000ULL + k), m = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
      uint64_t v = mix(s->pairs[i] ^ seed);
      if (v < m)
        m = v;
    }
    least[k] = m;
  }
  for (size_t b = 0; b < DEDUP_SIGN_BANDS; b++) {
    uint64_t h = mix(0xba5dULL + b);
    for (size_t r = 0; r < DEDUP_SIGN_ROWS; r++)
      h = mix(h ^ least[b * DEDUP_SIGN_ROWS + r]);
    bands[b] = h;
  }
  return 1;
}

/* Base64url digits: printable, like every other term. */
void dedup_sign_term(uint64_t band, char term[DEDUP_SIGN_TERM_LEN + 1]) {
  static const char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  memcpy(term, CYS_PREFIX_SIGNATURE, 4);
  for (int i = 0; i < 6; i++)
    term[4 + i] = digits[(band >> (6 * i)) & 63];
  term[DEDUP_SIGN_TERM_LEN] = '\0';
}
