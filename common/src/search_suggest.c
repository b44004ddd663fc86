/*
 * search_suggest.c — "did you mean": a spelling suggestion computed at
 * query time from the index's own vocabulary, so indexing pays nothing and
 * the suggestions are always words the index holds.
 *
 * A word of the query's text (not a filter value, identifier or acronym,
 * and at least SUGGEST_MIN_LEN bytes) is suspect when its exact form is
 * rare: found in at most 2 articles, or in fewer than one in SUGGEST_RARE.
 * (Not its stem: "wannacri" is the stem of "wannacry", so it finds the
 * right articles, but people want to see the name written right.)  For a
 * suspect word the exact terms of the index that begin
 * with the same character are read (one allterms walk with that prefix;
 * same first letter is the usual shortcut: first letters are rarely the
 * typo) and the closest one within SUGGEST_MAX_EDITS edits (insertions,
 * deletions, substitutions, transpositions of adjacent bytes) that is in
 * at least SUGGEST_MIN_DF articles and SUGGEST_RATIO times as many as the
 * word wins; among equally close ones, the most frequent.  A winner with
 * the word's own stem is dropped unless the word is absent altogether (a
 * rare form of a common stem already finds what it means).  The suggestion
 * is the query text with the winners in place of the suspects, so it can
 * be run as it is.  Measured on the news corpus (3,796 articles):
 * ransomwre -> ransomware, wannacri -> wannacry, vulnerabilty ->
 * vulnerability; correctly spelt words are left alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search_internal.h"

#define SUGGEST_MIN_LEN 4   /* shorter words have too many neighbours */
#define SUGGEST_MAX_EDITS 2
#define SUGGEST_RARE 1000   /* rare: in under 1/1000 of the articles */
#define SUGGEST_RATIO 20    /* a replacement is this many times as common */
#define SUGGEST_MIN_DF 3    /* ... and in at least this many articles */

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
  int dist;        /* best so far; SUGGEST_MAX_EDITS + 1 when none */
  uint64_t df;
  char best[CYS_TERM_MAX + 1];
} candidate;

static int consider(void *ctx, const char *term, size_t len, uint64_t df) {
  candidate *c = ctx;
  if (df < c->min_df || !is_word(term, len) ||
      (len == c->len && memcmp(term, c->word, len) == 0))
    return 0;
  int d = edit_distance(c->word, c->len, term, len, SUGGEST_MAX_EDITS);
  if (d > SUGGEST_MAX_EDITS || d > c->dist || (d == c->dist && df <= c->df))
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
  uint64_t docs;
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
  const cys_token *word;
  int same;
} stem_probe;

static int compare_stem(void *ctx, const cys_token *t) {
  stem_probe *p = ctx;
  p->same = t->stem_len == p->word->stem_len &&
            memcmp(t->stem, p->word->stem, t->stem_len) == 0;
  return 1; /* the first word is the whole candidate */
}

/* Does candidate (a plain word) stem like the query word? */
static int same_stem(cys_analyzer *a, const char *candidate,
                     const cys_token *word) {
  stem_probe p = {word, 0};
  cys_analyze(a, candidate, strlen(candidate), compare_stem, &p);
  return p.same;
}

static int check_word(void *ctx, const cys_token *t) {
  scan *sc = ctx;
  unsigned skip = CYS_TOKEN_IDENTIFIER | CYS_TOKEN_ACRONYM | CYS_TOKEN_WHOLE |
                  CYS_TOKEN_PART;
  if ((t->flags & skip) || t->exact_len < SUGGEST_MIN_LEN ||
      !is_word(t->exact, t->exact_len))
    return 0;
  uint64_t df = freq(sc->s, "", t->exact, t->exact_len);
  if (df > 2 && df * SUGGEST_RARE >= sc->docs)
    return 0; /* common enough to be meant */
  candidate c = {.word = t->exact, .len = t->exact_len,
                 .min_df = df * SUGGEST_RATIO, .dist = SUGGEST_MAX_EDITS + 1};
  if (c.min_df < SUGGEST_MIN_DF)
    c.min_df = SUGGEST_MIN_DF;
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
  if (c.dist > SUGGEST_MAX_EDITS)
    return 0;
  /* A rare form of a common stem ("hospitalised") finds what it means
   * already; only a form the index lacks altogether ("wannacri", the
   * stem of "wannacry") is worth correcting to its usual spelling. */
  if (df > 0 && same_stem(sc->s->analyzer, c.best, t))
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
  return 0;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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
    while (i < len && is_space(text[i]))
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
      while (i < len && !is_space(text[i]))
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

cys_status search_suggest(cys_searcher *s, const char *text, char **out) {
  scan sc = {.s = s};
  *out = NULL;
  cys_status st = cys_db_doccount(s->db, &sc.docs);
  if (st != CYS_OK)
    return st;
  size_t len = strlen(text);
  scan_text(&sc, text, len);
  if (sc.status == CYS_OK && sc.nedits > 0) {
    size_t cap = len + 1;
    for (size_t k = 0; k < sc.nedits; k++)
      cap += strlen(sc.edits[k].word);
    char *r = malloc(cap);
    if (!r) {
      sc.status = CYS_NOMEM;
    } else {
      size_t at = 0, n = 0;
      for (size_t k = 0; k < sc.nedits; k++) {
        const edit *e = &sc.edits[k];
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
      *out = r;
    }
  }
  free(sc.edits);
  return sc.status;
}
