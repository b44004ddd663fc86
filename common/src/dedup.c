/*
 * dedup.c — the near-duplicate collapse key (see dedup.h).
 *
 * Two articles tell the same story when
 *   - they were published within DEDUP_WINDOW_DAYS of each other (a
 *     month-only date counts as its whole month), and
 *   - their sets of distinct words (the analyzer's exact forms of title and
 *     body, as indexed) overlap by Jaccard J >= 0.65, or J >= 0.52 and
 *     their headlines share at least two content-word stems and a third of
 *     the shorter headline's (a copy under a headline of its own folds
 *     only at 0.65: on the news corpus that adds no pair; an article
 *     without headline content words is compared with none, as before);
 *   - with no date to agree on (either is undated or dated to the year
 *     only) the bodies must be near copies: J >= 0.85 over the words
 *     outside each headline, and their identifiers (words with a digit:
 *     "T1056", "CVE-2017-0144", "2.4.49") the same but for one, or one in
 *     three (DEDUP_ID_SHARE, dedup_words.c).  Reference pages share
 *     headlines and much wording without being one document: ATT&CK's
 *     enterprise and mobile "Input Capture" pages differ in a few words
 *     (0.80 outside the headline; they folded when 0.8 over all words
 *     was the rule) and in their technique ids; the undated news
 *     corpus's Palo Alto bulletins of February and May 2017 are 0.95
 *     alike, with 3 of 5 CVE ids apart, and a copy whose source dropped
 *     a paragraph 0.895, 5 of 15 apart
 *     (tests/unit/test_dedup.c, test_news_corpus.sh);
 *   - an article of under DEDUP_MIN_WORDS distinct words needs J >= 0.9
 *     (in a one-line item, one word is the story: "Vendor 3 ships a
 *     firmware update" and "Vendor 4 ..." are 0.8 alike).
 * A new article takes the key of the most similar earlier article of the
 * same story, otherwise a key of its own, a hash of its id.  Keys are
 * therefore chains: a third copy joins the first two through whichever it
 * resembles.  The earlier articles compared are found by signature
 * (dedup_sign.c): those that share one of its DEDUP_SIGN_BANDS band
 * terms, read from the first DEDUP_BAND_CAP postings of each term (the
 * index being written, which sees the uncommitted articles of the same
 * run), most shared bands first; the dates of at most DEDUP_DATES_READ are
 * read, and the first DEDUP_CANDIDATES inside the date window are compared
 * by the rule above.  So the work per article is bounded whatever the
 * size of the index: 24 posting-list reads of at most 64 entries, 64
 * values, 8 comparisons.  Until issue #18 the candidates were the 5 best
 * matches of a query for the headline's stems in the date window, whose
 * posting lists grow with the index (25% of indexing at 4,000 articles
 * and growing); on the news corpus the signature finds 9 of the 11 pairs
 * that query folded, and no other (docs/ranking.md).
 *
 * Why not a min-hash of shingles as the key itself: one hash value per
 * article makes a collision a matter of chance (probability J for one
 * min-hash, J^r for r of them), so it cannot both keep light rewrites
 * together and keep apart different stories with shared boilerplate.
 * Measured on the news corpus and the sample (Jaccard of word sets;
 * 3-word-shingle Jaccard in brackets):
 *   sample-014/015, one story rewritten         0.61  (0.24)
 *   syndicated copies (thn-f485dd438a49, ...)   0.91-0.99
 *   CIA "Vault 7" leaks AngelFire / CouchPotato 0.56  (0.32)  different
 *     stories: shared boilerplate, headlines share 2 stems of 10
 *   Palo Alto "disclosures" Feb / May 2017      0.94          different
 *     months of one template: kept apart by the date window
 *   Adobe patches April / May 2019              0.50          different
 * The thresholds sit between those (the signature only finds candidates;
 * these words decide).  The candidates' words come from a cache of
 * recently written articles (dedup_remember), for older ones from the
 * cache's source when it has one (the relink's kept words,
 * dedup_set_source), else from their termlists.  A sharded index is
 * searched as one (cys_wdb_new_union), so its keys are those of a single
 * index built from the same input; a shard built on its own
 * (cysearch-index --shard K) is searched alone, so its keys are computed
 * within that shard.
 * Limits: the key depends on what the index held when the article was
 * written (indexing order, and indexes built apart and merged, can split
 * a story in two); an article later replaced by a different story keeps
 * the others' key until they are re-indexed; a band term read only up to
 * its first DEDUP_BAND_CAP documents finds none of the later ones (a
 * story copied more often than that is still found through its other
 * bands and its first copies; boilerplate that many articles share costs
 * no more than that).  Relinking (relink.c) recomputes every key over
 * the whole index, each article compared with the articles of lower docid
 * only (dedup_key's `below`), as if they had been written one after
 * another in docid order; it joins again the copies of a story that
 * shards built apart had split.
 */
#include "dedup.h"
#include "dedup_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "dedup_sign.h"
#include "dedup_words.h"

#define DEDUP_WINDOW_DAYS 7
#define DEDUP_SAME 0.65            /* word overlap that makes a copy */
#define DEDUP_SAME_WITH_TITLE 0.52 /* ... with two headline words shared */
#define DEDUP_SAME_IMPRECISE 0.85  /* undated or year-only: the bodies */
#define DEDUP_SAME_SHORT 0.9       /* under DEDUP_MIN_WORDS words */
#define DEDUP_MIN_WORDS 25
#define DEDUP_CANDIDATES 8  /* candidates in the window compared */
#define DEDUP_BAND_CAP 64   /* postings read of each band term */
#define DEDUP_DATES_READ 64 /* candidates whose date is read */

/* The words and headline stems of recently written articles, as a
 * candidate's would be read back from its termlist (read_title,
 * read_term): comparing with them needs no termlist read, which was about
 * half of the cost of near-duplicate detection.  Direct-mapped by docid:
 * docids are handed out in order, so it holds the last CACHE_SLOTS
 * documents written, minus any of over CACHE_MAX_WORDS words (at most
 * CACHE_SLOTS * CACHE_MAX_WORDS * 8 bytes = 64 MiB). */
#define CACHE_SLOTS 8192
#define CACHE_MAX_WORDS 1024

typedef struct cached {
  cys_docid docid; /* 0: empty */
  uint64_t *words; /* sorted, distinct */
  size_t nwords;
  uint64_t title[MAX_OTHER_TITLE];
  size_t ntitle;
  uint64_t title_words[MAX_OTHER_TITLE];
  size_t ntitle_words;
} cached;

/* What c needs of d besides its words (c->words, the caller's): their
 * count and d's headline stems and words. */
static void as_candidate(cached *c, const dedup_doc *d) {
  c->nwords = d->nwords;
  memcpy(c->title, d->all_title, d->nall_title * sizeof *d->all_title);
  c->ntitle = d->nall_title;
  memcpy(c->title_words, d->title_words,
         d->ntitle_words * sizeof *d->title_words);
  c->ntitle_words = d->ntitle_words;
}

struct dedup {
  cached *cache;         /* CACHE_SLOTS entries */
  dedup_words_fn source; /* dedup_set_source, else NULL */
  void *source_ctx;
  dedup_doc *scratch; /* what source fills */
};

dedup *dedup_new(void) {
  dedup *d = calloc(1, sizeof(dedup));
  if (d && !(d->cache = calloc(CACHE_SLOTS, sizeof *d->cache))) {
    free(d);
    d = NULL;
  }
  return d;
}

void dedup_free(dedup *d) {
  if (!d)
    return;
  for (size_t i = 0; i < CACHE_SLOTS; i++)
    free(d->cache[i].words);
  free(d->cache);
  dedup_doc_free(d->scratch);
  free(d);
}

dedup_doc *dedup_doc_new(void) {
  dedup_doc *d = calloc(1, sizeof(dedup_doc));
  if (d)
    d->signature = -1;
  return d;
}

void dedup_doc_free(dedup_doc *d) {
  if (!d)
    return;
  free(d->words);
  dedup_sign_clear(&d->sign);
  free(d);
}

void dedup_reset(dedup_doc *d) {
  d->nwords = 0;
  d->sorted = 0;
  d->ntitle = 0;
  d->nall_title = 0;
  d->ntitle_words = 0;
  d->uncacheable = 0;
  d->failed = 0;
  dedup_sign_reset(&d->sign);
  d->signature = -1;
}

/* Add h to the set v[0..*n) of at most MAX_OTHER_TITLE; 0 when it is
 * full (h is not added). */
static int add_once(uint64_t *v, size_t *n, uint64_t h) {
  if (dedup_in_set(v, *n, h))
    return 1;
  if (*n == MAX_OTHER_TITLE)
    return 0;
  v[(*n)++] = h;
  return 1;
}

/* Function words that headlines share without sharing a story. */
static int stopword(const char *w, size_t n) {
  static const char *const words[] = {
      "the",  "and",   "for",  "from", "with", "are",  "was",   "were", "been",
      "has",  "have",  "had",  "its",  "this", "that", "after", "over", "into",
      "new",  "says",  "said", "how",  "why",  "what", "who",   "not",  "more",
      "than", "about", "your", "you",  "our",  "they", "their", "his",  "her",
      "can",  "will",  "now",  "just", "out",  "all",  "but",   "via",  "amid"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
      return 1;
  return 0;
}

/* What the index will hold of the token for a later comparison: an
 * unprefixed term for its exact form (read back only when it does not
 * start with a capital, which prefixes use), an "S" term for a title word
 * and a "ZS" term for a title stem. */
static void note_as_candidate(dedup_doc *d, const cys_token *t, int in_title) {
  unsigned char c = (unsigned char)t->exact[0];
  if ((c >= 'A' && c <= 'Z') || t->exact_len > CYS_TERM_MAX)
    d->uncacheable = 1;
  if (in_title && (t->exact_len + 1 > CYS_TERM_MAX ||
                   !add_once(d->title_words, &d->ntitle_words,
                             dedup_word_hash(t->exact, t->exact_len))))
    d->uncacheable = 1; /* read_title_words would not see the same */
  if (!in_title || (t->flags & CYS_TOKEN_IDENTIFIER) ||
      t->stem_len + 2 > CYS_TERM_MAX)
    return;
  c = (unsigned char)t->stem[0];
  if (c >= 'A' && c <= 'Z') {
    d->uncacheable = 1; /* read_title would stop short of it */
    return;
  }
  if (!add_once(d->all_title, &d->nall_title,
                dedup_hash_bytes(t->stem, t->stem_len)))
    d->uncacheable = 1; /* read_title keeps the first 64 in byte order */
}

void dedup_token(dedup_doc *d, const cys_token *t, int in_title) {
  if (d->failed)
    return;
  if (dedup_push(&d->words, &d->nwords, &d->cap,
                 dedup_word_hash(t->exact, t->exact_len))) {
    d->failed = 1;
    return;
  }
  d->sorted = 0;
  note_as_candidate(d, t, in_title);
  dedup_sign_word(&d->sign, t->exact, t->exact_len);
  if (!in_title || (t->flags & CYS_TOKEN_IDENTIFIER) || t->exact_len < 3 ||
      stopword(t->exact, t->exact_len) || d->ntitle == MAX_TITLE)
    return;
  uint64_t h = dedup_hash_bytes(t->stem, t->stem_len);
  if (!dedup_in_set(d->title_hash, d->ntitle, h))
    d->title_hash[d->ntitle++] = h;
}

/* ---- dates ------------------------------------------------------------ */

static long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

/* The days a "YYYYMMDD" sort key covers; precision 2 day, 1 month,
 * 0 year; -1 for no date. */
static int key_days(const char *k, long *first, long *last) {
  if (!k || strlen(k) < 8)
    return -1;
  unsigned v[3] = {0, 0, 0};
  const int width[3] = {4, 2, 2};
  for (int f = 0, at = 0; f < 3; f++)
    for (int i = 0; i < width[f]; i++, at++) {
      if (k[at] < '0' || k[at] > '9')
        return -1;
      v[f] = v[f] * 10 + (unsigned)(k[at] - '0');
    }
  long y = (long)v[0];
  if (v[1] < 1 || v[1] > 12) {
    *first = days_from_civil(y, 1, 1);
    *last = days_from_civil(y, 12, 31);
    return 0;
  }
  if (v[2] < 1 || v[2] > 31) {
    *first = days_from_civil(y, v[1], 1);
    *last =
        days_from_civil(v[1] == 12 ? y + 1 : y, v[1] == 12 ? 1 : v[1] + 1, 1) -
        1;
    return 1;
  }
  *first = *last = days_from_civil(y, v[1], v[2]);
  return 2;
}

/* ---- an indexed article ----------------------------------------------- */

typedef struct other {
  uint64_t *words;
  size_t nwords, cap;
  uint64_t title[64];
  size_t ntitle;
  uint64_t title_words[MAX_OTHER_TITLE];
  size_t ntitle_words;
  char idterm[CYS_TERM_MAX + 1];
  size_t idlen;
  int failed;
} other;

/* The headline stems ("ZS" terms), read first: they are few. */
static int read_title(void *ctx, const char *term, size_t len, uint64_t wdf) {
  other *o = ctx;
  (void)wdf;
  if (len < 3 || term[0] != 'Z' || term[1] != 'S')
    return 1; /* past them */
  if (!(term[2] >= 'A' && term[2] <= 'Z') && o->ntitle < 64)
    o->title[o->ntitle++] = dedup_hash_bytes(term + 2, len - 2);
  return 0;
}

/* The headline's words ("S" terms), for undated comparisons. */
static int read_title_words(void *ctx, const char *term, size_t len,
                            uint64_t wdf) {
  other *o = ctx;
  (void)wdf;
  if (len < 2 || term[0] != CYS_PREFIX_TITLE[0] ||
      o->ntitle_words == MAX_OTHER_TITLE)
    return 1; /* past them */
  o->title_words[o->ntitle_words++] = dedup_word_hash(term + 1, len - 1);
  return 0;
}

/* The id term ("Q..."), read alone. */
static int read_id(void *ctx, const char *term, size_t len, uint64_t wdf) {
  other *o = ctx;
  (void)wdf;
  if (term[0] == CYS_PREFIX_ID[0] && len <= CYS_TERM_MAX) {
    memcpy(o->idterm, term, len);
    o->idlen = len;
  }
  return 1;
}

/* The words: unprefixed terms, which sort before "A" (digits) or after
 * "Z" (letters are case-folded); the prefixed ones in between are
 * skipped (read_words is called for the two ranges apart). */
static int read_term(void *ctx, const char *term, size_t len, uint64_t wdf) {
  other *o = ctx;
  (void)wdf;
  unsigned char c = (unsigned char)term[0];
  if (c >= 'A' && c <= 'Z')
    return 1; /* the prefixed range: stop */
  if (dedup_push(&o->words, &o->nwords, &o->cap, dedup_word_hash(term, len))) {
    o->failed = 1;
    return 1;
  }
  return 0;
}

static void hex_key(uint64_t h, char key[DEDUP_KEY_LEN + 1]) {
  snprintf(key, DEDUP_KEY_LEN + 1, "%016llx", (unsigned long long)h);
}

/* shared: headline stems in common; shorter: stems of the shorter
 * headline; precise: both dated to the month or day (else j is
 * dedup_body_overlap's and same_ids its verdict); small: one has under
 * DEDUP_MIN_WORDS distinct words. */
static int same_story(double j, size_t shared, size_t shorter, int precise,
                      int same_ids, int small) {
  if (!precise)
    return same_ids && j >= DEDUP_SAME_IMPRECISE;
  if (small)
    return j >= DEDUP_SAME_SHORT;
  if (shared == 0)
    return j >= DEDUP_SAME;
  return j >= DEDUP_SAME || (j >= DEDUP_SAME_WITH_TITLE && shared >= 2 &&
                             10 * shared >= 3 * shorter);
}

/* The signature of d, made once (on the thread that analysed it, or
 * here); 0 when it has none, -1 when memory ran out. */
static int signature(dedup_doc *d) {
  if (d->signature < 0)
    d->signature = dedup_sign_bands(&d->sign, d->bands);
  return d->signature;
}

int dedup_doc_ready(dedup_doc *d) {
  if (d->failed)
    return -1;
  if (!d->sorted) {
    d->nwords = dedup_sort_unique(d->words, d->nwords);
    d->sorted = 1;
  }
  return signature(d);
}

int dedup_signature_terms(
    dedup_doc *d, char terms[DEDUP_SIGN_BANDS][DEDUP_SIGN_TERM_LEN + 1]) {
  int made = signature(d);
  for (size_t b = 0; made > 0 && b < DEDUP_SIGN_BANDS; b++)
    dedup_sign_term(d->bands[b], terms[b]);
  return made > 0 ? DEDUP_SIGN_BANDS : made;
}

cys_status dedup_add_signature(dedup_doc *d, cys_doc *doc) {
  char terms[DEDUP_SIGN_BANDS][DEDUP_SIGN_TERM_LEN + 1];
  int n = dedup_signature_terms(d, terms);
  if (n < 0)
    return CYS_NOMEM;
  cys_status st = CYS_OK;
  for (int b = 0; b < n && !st; b++)
    st = cys_doc_add_boolean_term(doc, terms[b], DEDUP_SIGN_TERM_LEN);
  return st;
}

cys_status dedup_set_source(dedup *cache, dedup_words_fn source, void *ctx) {
  if (source && !cache->scratch && !(cache->scratch = dedup_doc_new()))
    return CYS_NOMEM;
  cache->source = source;
  cache->source_ctx = ctx;
  return CYS_OK;
}

/* A candidate that is not in the cache, from the cache's source into
 * *tmp (whose words stay the source's): NULL when the source has no such
 * article, or one that its termlist would not give the same words
 * (dedup_remember's rule). */
static const cached *from_source(dedup *cache, cys_docid docid, cached *tmp) {
  dedup_doc *k = cache->scratch;
  if (!cache->source || cache->source(cache->source_ctx, docid, k) != 1 ||
      !k->sorted || k->failed || k->uncacheable)
    return NULL;
  tmp->docid = docid;
  tmp->words = k->words;
  as_candidate(tmp, k);
  return tmp;
}

/* A document sharing bands with the article, and how many. */
typedef struct vote {
  cys_docid docid;
  unsigned bands;
} vote;

static int by_docid(const void *p, const void *q) {
  cys_docid a = *(const cys_docid *)p, b = *(const cys_docid *)q;
  return a < b ? -1 : a > b;
}

/* Most bands first, then the latest. */
static int by_votes(const void *p, const void *q) {
  const vote *a = p, *b = q;
  if (a->bands != b->bands)
    return a->bands > b->bands ? -1 : 1;
  return a->docid > b->docid ? -1 : a->docid < b->docid;
}

/* The documents (other than self, and below `below` when it is not 0)
 * that share a band term with d, most shared bands first: the first
 * DEDUP_BAND_CAP postings of each band, so at most DEDUP_SIGN_BANDS *
 * DEDUP_BAND_CAP reads whatever the size of the index.  *out (malloc'd)
 * receives *n of them. */
static cys_status band_candidates(const dedup_doc *d, cys_wdb *wdb,
                                  cys_docid self, cys_docid below, vote **out,
                                  size_t *n) {
  cys_docid *all = malloc(DEDUP_SIGN_BANDS * DEDUP_BAND_CAP * sizeof *all);
  vote *v = NULL;
  size_t nall = 0, nv = 0;
  cys_status st = all ? CYS_OK : CYS_NOMEM;
  for (size_t b = 0; b < DEDUP_SIGN_BANDS && !st; b++) {
    char term[DEDUP_SIGN_TERM_LEN + 1];
    size_t got = 0;
    dedup_sign_term(d->bands[b], term);
    st = cys_wdb_postings(wdb, term, DEDUP_SIGN_TERM_LEN, below, DEDUP_BAND_CAP,
                          all + nall, &got);
    nall += got;
  }
  if (!st && nall && !(v = malloc(nall * sizeof *v)))
    st = CYS_NOMEM;
  if (!st) {
    qsort(all, nall, sizeof *all, by_docid);
    for (size_t i = 0; i < nall; i++) {
      if (all[i] == self)
        continue;
      if (nv && v[nv - 1].docid == all[i])
        v[nv - 1].bands++;
      else
        v[nv++] = (vote){all[i], 1};
    }
    if (nv > 1)
      qsort(v, nv, sizeof *v, by_votes);
  }
  free(all);
  if (st) {
    free(v);
    v = NULL;
    nv = 0;
  }
  *out = v;
  *n = nv;
  return st;
}

cys_status dedup_best(dedup *cache, dedup_doc *d, cys_wdb *wdb, cys_docid self,
                      cys_docid below, const char *date,
                      cys_docid *best_docid) {
  *best_docid = 0;
  int made = dedup_doc_ready(d);
  if (made < 0)
    return CYS_NOMEM;
  if (d->ntitle == 0 || made == 0)
    return CYS_OK; /* no headline, or no word pair: compared with none */
  long first = 0, last = 0;
  int precision = key_days(date, &first, &last);
  vote *found = NULL;
  size_t nfound = 0, compared = 0;
  cys_status st = band_candidates(d, wdb, self, below, &found, &nfound);
  if (nfound > DEDUP_DATES_READ)
    nfound = DEDUP_DATES_READ;
  other o = {0};
  double best = 0.0;
  for (size_t i = 0; i < nfound && compared < DEDUP_CANDIDATES && !st; i++) {
    cys_docid docid = found[i].docid;
    char *value = NULL;
    size_t vlen = 0;
    long ofirst = 0, olast = 0;
    if ((st = cys_wdb_get_value(wdb, docid, CYS_SLOT_DATE, &value, &vlen)))
      break;
    int oprecision = key_days(value, &ofirst, &olast);
    free(value);
    int precise = precision >= 1 && oprecision >= 1;
    if (precise && (ofirst - last > DEDUP_WINDOW_DAYS ||
                    first - olast > DEDUP_WINDOW_DAYS))
      continue;
    compared++;
    const cached *c = &cache->cache[docid % CACHE_SLOTS];
    cached tmp;
    if (c->docid != docid)
      c = from_source(cache, docid, &tmp);
    const uint64_t *otitle = c ? c->title : o.title;
    o.nwords = o.ntitle = o.ntitle_words = o.idlen = 0;
    if (!c && (st = cys_wdb_termlist(wdb, docid, CYS_PREFIX_TITLE_STEM,
                                     read_title, &o)))
      break;
    size_t ontitle = c ? c->ntitle : o.ntitle;
    size_t shared = 0;
    for (size_t a = 0; a < d->ntitle; a++)
      for (size_t b = 0; b < ontitle; b++)
        shared += d->title_hash[a] == otitle[b];
    if (!c && ((st = cys_wdb_termlist(wdb, docid, NULL, read_term, &o)) ||
               (st = cys_wdb_termlist(wdb, docid, "[", read_term, &o))))
      break;
    if (o.failed) {
      st = CYS_NOMEM;
      break;
    }
    if (!c)
      o.nwords = dedup_sort_unique(o.words, o.nwords);
    const uint64_t *owords = c ? c->words : o.words;
    size_t onwords = c ? c->nwords : o.nwords;
    int small = d->nwords < DEDUP_MIN_WORDS || onwords < DEDUP_MIN_WORDS;
    int same_ids = 1;
    double j;
    if (precise) {
      j = dedup_jaccard(d->words, d->nwords, owords, onwords);
    } else {
      if (!c && (st = cys_wdb_termlist(wdb, docid, CYS_PREFIX_TITLE,
                                       read_title_words, &o)))
        break;
      dedup_word_set mine = {d->words, d->title_words, d->nwords,
                             d->ntitle_words};
      dedup_word_set theirs = {owords, c ? c->title_words : o.title_words,
                               onwords, c ? c->ntitle_words : o.ntitle_words};
      j = dedup_body_overlap(mine, theirs, &same_ids);
    }
    size_t shorter = d->ntitle < ontitle ? d->ntitle : ontitle;
    if (!same_story(j, shared, shorter, precise, same_ids, small) || j <= best)
      continue;
    best = j;
    *best_docid = docid;
  }
  free(o.words);
  free(found);
  if (st)
    *best_docid = 0;
  return st;
}

void dedup_own_key(const char *idterm, size_t idterm_len,
                   char key[DEDUP_KEY_LEN + 1]) {
  hex_key(dedup_hash_bytes(idterm, idterm_len), key);
}

cys_status dedup_key(dedup *cache, dedup_doc *d, cys_wdb *wdb, cys_docid self,
                     cys_docid below, const char *idterm, size_t idterm_len,
                     const char *date, char key[DEDUP_KEY_LEN + 1]) {
  if (d->failed)
    return CYS_NOMEM;
  dedup_own_key(idterm, idterm_len, key);
  cys_docid best = 0;
  cys_status st = dedup_best(cache, d, wdb, self, below, date, &best);
  if (st || !best)
    return st;
  char *value = NULL;
  size_t vlen = 0;
  if ((st = cys_wdb_get_value(wdb, best, CYS_SLOT_COLLAPSE, &value, &vlen)))
    return st;
  if (vlen == DEDUP_KEY_LEN) {
    memcpy(key, value, DEDUP_KEY_LEN + 1);
  } else {
    /* Written before keys existed: the key it would have had. */
    other o = {0};
    st = cys_wdb_termlist(wdb, best, CYS_PREFIX_ID, read_id, &o);
    if (!st && o.idlen)
      dedup_own_key(o.idterm, o.idlen, key);
  }
  free(value);
  return st;
}

void dedup_remember(dedup *cache, const dedup_doc *d, cys_docid docid) {
  cached *c = &cache->cache[docid % CACHE_SLOTS];
  c->docid = 0;
  /* dedup_key sorted the words; a failed or odd article is left to the
   * termlist. */
  if (docid == 0 || d->failed || d->uncacheable || d->nwords > CACHE_MAX_WORDS)
    return;
  if (!c->words && !(c->words = malloc(CACHE_MAX_WORDS * sizeof *c->words)))
    return;
  memcpy(c->words, d->words, d->nwords * sizeof *d->words);
  as_candidate(c, d);
  c->docid = docid;
}

void dedup_forget(dedup *d, cys_docid docid) {
  cached *c = &d->cache[docid % CACHE_SLOTS];
  if (c->docid == docid)
    c->docid = 0;
}
