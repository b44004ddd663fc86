/*
 * search_suggest.c — "did you mean": a spelling suggestion computed at
 * query time from the index's own vocabulary, so indexing pays nothing and
 * the suggestions are always words the index holds.
 *
 * A word of the query's text (not a filter value, identifier or acronym,
 * and at least SUGGEST_MIN_LEN bytes) is suspect only when the index lacks
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

#include "ascii_class.h"
#include "search_internal.h"

#define SUGGEST_MIN_LEN 4   /* shorter words have too many neighbours */
#define SUGGEST_MAX_EDITS 2
#define SUGGEST_LONG 7      /* shorter words: one edit at most */
#define SUGGEST_MIN_DF 3    /* a replacement is in at least this many
                               articles */

/* Restricted Damerau-Levenshtein (optimal string alignment) distance of
 * a[0..n) and b[0..m), or max + 1 when it is larger than max. */
static int edit_distance(const char *a, size_t n, const char *b, size_t m,
                         int max) {
  int rows[3][CYS_TERM_MAX + 2];
  int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  if (n > CYS_TERM_MAX || m > CYS_TERM_MAX)
    return max + 1;
  if ((n > m ? n - m : m - n) > (size_t)max)
    return max + 1;
  for (size_t j = 0; j <= m; j++)
    prev[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    cur[0] = (int)i;
    int row_min = cur[0];
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] != b[j - 1];
      int d = prev[j] + 1;
      if (cur[j - 1] + 1 < d)
        d = cur[j - 1] + 1;
      if (prev[j - 1] + cost < d)
        d = prev[j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          prev2[j - 2] + 1 < d)
        d = prev2[j - 2] + 1;
      cur[j] = d;
      if (d < row_min)
        row_min = d;
    }
    if (row_min > max)
      return max + 1;
    int *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

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
  /* An inflected form ("settles"): its stem, to drop the replacement
   * when it is another form of that stem; "" otherwise. */
  char stem[CYS_TERM_MAX + 1];
} edit;

typedef struct scan {
  cys_searcher *s;
  size_t base; /* offset of the analysed segment in the text */
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

/* Does the word (a plain word) have this stem?  Not to be called while
 * the analyzer is analysing something else: it has one state. */
static int has_stem(cys_analyzer *a, const char *word, const char *stem) {
  stem_probe p = {stem, 0};
  cys_analyze(a, word, strlen(word), compare_stem, &p);
  return p.same;
}

static int check_word(void *ctx, const cys_token *t) {
  scan *sc = ctx;
  unsigned skip = CYS_TOKEN_IDENTIFIER | CYS_TOKEN_ACRONYM | CYS_TOKEN_WHOLE |
                  CYS_TOKEN_PART;
  if ((t->flags & skip) || t->exact_len < SUGGEST_MIN_LEN ||
      !is_word(t->exact, t->exact_len))
    return 0;
  if (freq(sc->s, "", t->exact, t->exact_len) > 0)
    return 0; /* in the index: meant (a name the index rarely sees) */
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
    return 1;
  }
  if (c.dist > c.max_edits)
    return 0;
  if (sc->nedits == sc->cap) {
    size_t cap = sc->cap ? 2 * sc->cap : 4;
    edit *bigger = realloc(sc->edits, cap * sizeof *bigger);
    if (!bigger) {
      sc->status = CYS_NOMEM;
      return 1;
    }
    sc->edits = bigger;
    sc->cap = cap;
  }
  edit *e = &sc->edits[sc->nedits++];
  e->start = sc->base + t->start;
  e->end = sc->base + t->end;
  strcpy(e->word, c.best);
  /* Checked once the analysis is over (drop_stem_forms). */
  int inflected = t->stem_len != t->exact_len ||
                  memcmp(t->stem, t->exact, t->exact_len) != 0;
  size_t n = inflected && t->stem_len <= CYS_TERM_MAX ? t->stem_len : 0;
  memcpy(e->stem, t->stem, n);
  e->stem[n] = '\0';
  return 0;
}

static int is_field_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Walk the items of the query text as query.c reads them (sign, field:,
 * quoted or bare value) and check the words of those that are text: no
 * field, or title:. */
static void scan_text(scan *sc, const char *text, size_t len) {
  size_t i = 0;
  while (i < len && sc->status == CYS_OK) {
    while (i < len && ascii_is_white(text[i]))
      i++;
    while (i < len && (text[i] == '+' || text[i] == '-' || text[i] == '='))
      i++;
    size_t j = i;
    while (j < len && is_field_char(text[j]))
      j++;
    int text_item = 1;
    if (j > i && j < len && text[j] == ':') {
      text_item = (j - i == 5 && memcmp(text + i, "title", 5) == 0) ||
                  (j - i == 4 && memcmp(text + i, "body", 4) == 0);
      i = j + 1;
      if (i < len && text[i] == '=')
        i++;
    }
    size_t start, end;
    if (i < len && text[i] == '"') {
      start = i + 1;
      const char *close = memchr(text + start, '"', len - start);
      end = close ? (size_t)(close - text) : len;
      i = close ? end + 1 : len;
    } else {
      start = i;
      while (i < len && !ascii_is_white(text[i]))
        i++;
      end = i;
      if (end > start && text[end - 1] == '*')
        text_item = 0; /* a prefix*, not a misspelt word */
    }
    if (text_item && end > start) {
      sc->base = start;
      cys_status st =
          cys_analyze(sc->s->analyzer, text + start, end - start, check_word,
                      sc);
      if (st != CYS_OK && sc->status == CYS_OK)
        sc->status = st;
    }
    if (i == start && i < len)
      i++; /* nothing consumed (a lone quote): move on */
  }
}

/* Another form of the word's own stem: an inflected form ("settles",
 * "manipulative") finds what it means already through its stem, so
 * "settle" is no correction; only a bare stem typed as a word
 * ("wannacri", the stem of "wannacry") is worth writing as the index
 * usually does. */
static void drop_stem_forms(scan *sc) {
  size_t kept = 0;
  for (size_t k = 0; k < sc->nedits; k++) {
    const edit *e = &sc->edits[k];
    if (*e->stem && has_stem(sc->s->analyzer, e->word, e->stem))
      continue;
    sc->edits[kept++] = *e;
  }
  sc->nedits = kept;
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
                          char **out) {
  scan sc = {.s = s};
  *out = NULL;
  size_t len = strlen(text);
  scan_text(&sc, text, len);
  drop_stem_forms(&sc);
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
