/*
 * search_suggest.c — "did you mean": a spelling suggestion computed at
 * query time from the index's own vocabulary, so indexing pays nothing and
 * the suggestions are always words the index holds.
 *
 * The words are those the parser read, from its record of the query
 * (query_internal.h), so the suggestion reads the text as the search did:
 * only the words of runs and phrases are checked (in any field: title:,
 * Title:, body:), never a filter, an identifier or indicator (a designator
 * typed apart, "TEMP 15", included), a prefix* or an operator, and a
 * replacement takes the byte range of its word in the text, so quotes,
 * signs, fields and spacing stay as typed.
 *
 * A word of the query's text (not an identifier or acronym, and at least
 * SUGGEST_MIN_LEN bytes) is suspect only when the index lacks
 * its exact form: a word the index holds, however rarely, is meant (a name
 * the index seldom sees, such as "clop", is not "com").  (Its exact form,
 * not its stem: "wannacri" is the stem of "wannacry", so it finds the
 * right articles, but people want to see the name written right.)  For a
 * suspect word the exact terms of the index that begin with the same
 * character are read (one allterms walk with that prefix; same first
 * letter is the usual shortcut: first letters are rarely the typo) and the
 * closest one in at least SUGGEST_MIN_DF articles wins, among equally
 * close ones the most frequent; close is one edit (insertion, deletion,
 * substitution, transposition of adjacent bytes) for words of fewer than
 * SUGGEST_LONG characters and two for longer ones (two edits make "hhvm"
 * "have" and "fiverr" "five": new names, not typos).  A winner with the
 * word's own stem is dropped when the word is an inflected form
 * ("settles" finds the articles about settling already).  The suggestion
 * is the query text with the winners in place of the suspects, so it can
 * be run as it is, and it is made only when it finds something with the
 * search's filters (a corrected phrase may not occur: "volt typhoon" is
 * not "vast typhoon").
 *
 * Measured with tests/eval/suggestions.py (the news corpus with 200
 * articles held out of the index): of 199 held-out titles as queries, 28
 * got a suggestion before these rules (a word in at most 2 articles was
 * suspect, two edits for any length; every one wrong), 5 after (names the
 * index lacks, one edit from a word it has: RedKit -> reddit, spar ->
 * spam); of 200 title words misspelt once, 183 are corrected before and
 * after.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "edit_distance.h"
#include "query_internal.h"
#include "search_filter.h"
#include "search_suggest.h"

#define SUGGEST_MIN_LEN 4   /* shorter words have too many neighbours */
#define SUGGEST_MAX_EDITS 2
#define SUGGEST_LONG 7      /* shorter words: one edit at most */
#define SUGGEST_MIN_DF 3    /* a replacement is in at least this many
                               articles */

/* Does the term look like a plain word (letters only, any script)? */
static int is_word(const char *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    if (c < 0x80 && !(c >= 'a' && c <= 'z'))
      return 0;
  }
  return n > 0;
}

typedef struct candidate {
  const char *word; /* the suspect */
  size_t len;
  uint64_t min_df; /* what a replacement needs */
  int max_edits;   /* how far a replacement may be */
  int dist;        /* best so far; max_edits + 1 when none */
  uint64_t df;
  char best[CYS_TERM_MAX + 1];
} candidate;

static int consider(void *ctx, const char *term, size_t len, uint64_t df) {
  candidate *c = ctx;
  if (df < c->min_df || !is_word(term, len) ||
      (len == c->len && memcmp(term, c->word, len) == 0))
    return 0;
  int d = edit_distance(c->word, c->len, term, len, c->max_edits);
  if (d > c->max_edits || d > c->dist || (d == c->dist && df <= c->df))
    return 0;
  c->dist = d;
  c->df = df;
  memcpy(c->best, term, len);
  c->best[len] = '\0';
  return 0;
}

/* One replacement in the text. */
typedef struct edit {
  size_t start, end;
  char word[CYS_TERM_MAX + 1];
} edit;

typedef struct scan {
  cys_searcher *s;
  edit *edits;
  size_t nedits, cap;
  cys_status status;
} scan;

static uint64_t freq(cys_searcher *s, const char *prefix, const char *w,
                     size_t n) {
  char term[CYS_TERM_MAX + 1];
  size_t p = strlen(prefix);
  uint64_t f = 0;
  if (p + n > CYS_TERM_MAX)
    return 0;
  memcpy(term, prefix, p);
  memcpy(term + p, w, n);
  if (cys_db_termfreq(s->db, term, p + n, &f) != CYS_OK)
    return 0;
  return f;
}

typedef struct stem_probe {
  const char *stem;
  int same;
} stem_probe;

static int compare_stem(void *ctx, const cys_token *t) {
  stem_probe *p = ctx;
  p->same = t->stem_len == strlen(p->stem) &&
            memcmp(t->stem, p->stem, t->stem_len) == 0;
  return 1; /* the first word is the whole candidate */
}

/* Does the word (a plain word) have the stem stem[0..n)? */
static int has_stem(cys_analyzer *a, const char *word, const char *stem,
                    size_t n) {
  char own[CYS_TOKEN_MAX + 1];
  memcpy(own, stem, n);
  own[n] = '\0';
  stem_probe p = {own, 0};
  cys_analyze(a, word, strlen(word), compare_stem, &p);
  return p.same;
}

/* Look for a replacement of the word t of the query, and note it. */
static void check_word(scan *sc, const qword *t) {
  unsigned skip = CYS_TOKEN_IDENTIFIER | CYS_TOKEN_ACRONYM | CYS_TOKEN_WHOLE |
                  CYS_TOKEN_PART;
  if ((t->flags & skip) || t->exact_len < SUGGEST_MIN_LEN ||
      !is_word(t->exact, t->exact_len))
    return;
  if (freq(sc->s, "", t->exact, t->exact_len) > 0)
    return; /* in the index: meant (a name the index rarely sees) */
  size_t chars = 0;
  for (size_t k = 0; k < t->exact_len; k++)
    chars += ((unsigned char)t->exact[k] & 0xC0) != 0x80;
  int max_edits = chars < SUGGEST_LONG ? 1 : SUGGEST_MAX_EDITS;
  candidate c = {.word = t->exact, .len = t->exact_len,
                 .min_df = SUGGEST_MIN_DF, .max_edits = max_edits,
                 .dist = max_edits + 1};
  /* The first character, whole (1 to 4 bytes of UTF-8). */
  size_t first = 1;
  while (first < t->exact_len &&
         ((unsigned char)t->exact[first] & 0xC0) == 0x80)
    first++;
  cys_status st = cys_db_terms(sc->s->db, t->exact, first, consider, &c);
  if (st != CYS_OK) {
    sc->status = st;
    return;
  }
  if (c.dist > c.max_edits)
    return;
  /* Another form of the word's own stem: an inflected form ("settles",
   * "manipulative") finds what it means already through its stem, so
   * "settle" is no correction; only a bare stem typed as a word
   * ("wannacri", the stem of "wannacry") is worth writing as the index
   * usually does. */
  int inflected = t->stem_len != t->exact_len ||
                  memcmp(t->stem, t->exact, t->exact_len) != 0;
  if (inflected && has_stem(sc->s->analyzer, c.best, t->stem, t->stem_len))
    return;
  if (sc->nedits > 0 && t->start < sc->edits[sc->nedits - 1].end)
    return; /* inside the last one replaced */
  if (sc->nedits == sc->cap) {
    size_t cap = sc->cap ? 2 * sc->cap : 4;
    edit *bigger = realloc(sc->edits, cap * sizeof *bigger);
    if (!bigger) {
      sc->status = CYS_NOMEM;
      return;
    }
    sc->edits = bigger;
    sc->cap = cap;
  }
  edit *e = &sc->edits[sc->nedits++];
  e->start = t->start;
  e->end = t->end;
  strcpy(e->word, c.best);
}

/* Check the words of the items that can be misspelt: runs of words and
 * phrases. */
static void check_items(scan *sc, const query_record *r) {
  for (size_t i = 0; i < r->nitems && sc->status == CYS_OK; i++) {
    const query_item *it = &r->items[i];
    if (it->kind != QUERY_ITEM_WORDS && it->kind != QUERY_ITEM_PHRASE)
      continue;
    for (size_t k = 0; k < it->nterms && sc->status == CYS_OK; k++)
      check_word(sc, &r->terms[it->first_term + k]);
  }
}

/* The text with the edits made (malloc'd), or NULL for memory. */
static char *apply_edits(const char *text, size_t len, const edit *edits,
                         size_t nedits) {
  size_t cap = len + 1;
  for (size_t k = 0; k < nedits; k++)
    cap += strlen(edits[k].word);
  char *r = malloc(cap);
  if (!r)
    return NULL;
  size_t at = 0, n = 0;
  for (size_t k = 0; k < nedits; k++) {
    const edit *e = &edits[k];
    memcpy(r + n, text + at, e->start - at);
    n += e->start - at;
    size_t wl = strlen(e->word);
    memcpy(r + n, e->word, wl);
    n += wl;
    at = e->end;
  }
  memcpy(r + n, text + at, len - at);
  n += len - at;
  r[n] = '\0';
  return r;
}

/* Does text, with the search's filters, match any article?  (A phrase
 * with a replaced word may not: "volt typhoon" -> "vast typhoon".) */
static cys_status finds_any(cys_searcher *s, const cys_query_context *ctx,
                            const cys_search_options *o, const char *text,
                            int *any) {
  cys_parsed_query *pq = NULL;
  cys_mset *mset = NULL;
  char error[512];
  *any = 0;
  cys_status st = cys_query_parse(ctx, text, strlen(text), &pq, error,
                                  sizeof error);
  if (st == CYS_OK)
    st = search_apply_filters(s, ctx, o, pq);
  if (st == CYS_OK && !cys_query_is_empty(pq->query)) {
    cys_match_params mp;
    cys_match_params_init(&mp);
    mp.max = 1;
    mp.check_at_least = 1;
    mp.time_limit = o->time_limit;
    st = cys_db_search(s->db, pq->query, &mp, &mset);
  }
  if (st == CYS_OK && mset)
    *any = cys_mset_size(mset) > 0;
  cys_mset_free(mset);
  cys_parsed_query_free(pq);
  return st == CYS_BAD_QUERY ? CYS_OK : st;
}

cys_status search_suggest(cys_searcher *s, const cys_query_context *ctx,
                          const cys_search_options *o, const char *text,
                          const cys_parsed_query *pq, char **out) {
  scan sc = {.s = s};
  *out = NULL;
  size_t len = strlen(text);
  check_items(&sc, pq->record);
  char *r = NULL;
  int any = 0;
  if (sc.status == CYS_OK && sc.nedits > 0 &&
      !(r = apply_edits(text, len, sc.edits, sc.nedits)))
    sc.status = CYS_NOMEM;
  if (r && sc.status == CYS_OK)
    sc.status = finds_any(s, ctx, o, r, &any);

  if (sc.status == CYS_OK && any)
    *out = r;
  else
    free(r);
  free(sc.edits);
  return sc.status;
}
