/*
 * snippet.c — the passage of an article that best shows a query's terms,
 * found with the same analyzer that indexed the article, so that every
 * highlighted word is one the query really matched (stems, identifiers and
 * exact forms alike).
 */
#include <stdlib.h>
#include <string.h>

#include "analyze_internal.h"
#include "cysearch/utf8.h"
#include "byte_buf.h"
#include "snippet.h"

/* How much of an article's text a snippet analyses at most (256 KiB:
 * about 40,000 words; analysing 9 MB took 0.6 s of CPU). */
#define SNIPPET_SCAN_BYTES ((size_t)256 * 1024)

typedef struct match {
  size_t start, end;
  size_t term; /* index into stems, then exacts */
} match;

typedef struct match_list {
  const cys_query_terms *terms;
  size_t *lens; /* strlen of each stem, then of each exact form: computed
                   once, not for every token of the article */
  match *items;
  size_t n, cap;
  int failed;
} match_list;

static int term_index(const cys_query_terms *t, const size_t *lens,
                      const cys_token *tok, size_t *out) {
  for (size_t i = 0; tok->stem && i < t->nstems; i++)
    if (lens[i] == tok->stem_len &&
        memcmp(t->stems[i], tok->stem, tok->stem_len) == 0) {
      *out = i;
      return 1;
    }
  for (size_t i = 0; i < t->nexacts; i++)
    if (lens[t->nstems + i] == tok->exact_len &&
        memcmp(t->exacts[i], tok->exact, tok->exact_len) == 0) {
      *out = t->nstems + i;
      return 1;
    }
  return 0;
}

static int on_token(void *ctx, const cys_token *tok) {
  match_list *m = ctx;
  size_t term;
  if (!term_index(m->terms, m->lens, tok, &term))
    return 0;
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 16;
    match *bigger = realloc(m->items, cap * sizeof *bigger);
    if (!bigger) {
      m->failed = 1;
      return 1;
    }
    m->items = bigger;
    m->cap = cap;
  }
  m->items[m->n++] = (match){tok->start, tok->end, term};
  return 0;
}

/* By start, the longest first. */
static int by_start(const void *x, const void *y) {
  const match *a = x, *b = y;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return a->end > b->end ? -1 : a->end < b->end ? 1 : 0;
}

/* Order the matches and drop those inside another (a matched part of a
 * matched whole identifier). */
static void order_matches(match_list *m) {
  if (m->n < 2)
    return;
  qsort(m->items, m->n, sizeof *m->items, by_start);
  size_t kept = 0;
  for (size_t i = 0; i < m->n; i++)
    if (kept == 0 || m->items[i].start >= m->items[kept - 1].end)
      m->items[kept++] = m->items[i];
  m->n = kept;
}

static int is_blank(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* The window [*from, *to) holding the most distinct terms (then the most
 * matches) within `target` bytes. */
static void best_window(const match_list *m, size_t nterms, size_t len,
                        size_t target, size_t *from, size_t *to) {
  size_t best_first = 0, best_last = 0;
  double best_score = -1.0;
  unsigned char *seen = calloc(nterms ? nterms : 1, 1);
  for (size_t i = 0; i < m->n; i++) {
    size_t distinct = 0, count = 0, last = i;
    if (seen)
      memset(seen, 0, nterms ? nterms : 1);
    for (size_t j = i;
         j < m->n && m->items[j].end - m->items[i].start <= target; j++) {
      if (seen && !seen[m->items[j].term]) {
        seen[m->items[j].term] = 1;
        distinct++;
      }
      count++;
      last = j;
    }
    double score = (double)distinct + 0.01 * (double)count;
    if (score > best_score) {
      best_score = score;
      best_first = i;
      best_last = last;
    }
  }
  free(seen);
  if (m->n == 0) { /* nothing matched: the lead */
    *from = 0;
    *to = len < target ? len : target;
  } else {
    /* Centre the matches in the window, starting a little before them. */
    size_t first = m->items[best_first].start;
    size_t span = m->items[best_last].end - first;
    size_t lead = span < target ? (target - span) / 3 : 0;
    *from = first > lead ? first - lead : 0;
    *to = *from + target < len ? *from + target : len;
    if (*to < m->items[best_last].end)
      *to = m->items[best_last].end;
  }
}

cys_status cys_snippet_make(cys_analyzer *analyzer,
                            const cys_query_terms *terms, const char *text,
                            size_t len, size_t target, char **snippet,
                            cys_span **spans, size_t *nspans) {
  match_list m = {.terms = terms};
  size_t nterms = terms->nstems + terms->nexacts;
  if (!(m.lens = malloc((nterms ? nterms : 1) * sizeof *m.lens)))
    return CYS_NOMEM;
  for (size_t i = 0; i < terms->nstems; i++)
    m.lens[i] = strlen(terms->stems[i]);
  for (size_t i = 0; i < terms->nexacts; i++)
    m.lens[terms->nstems + i] = strlen(terms->exacts[i]);
  /* A huge article is looked at only in its first SNIPPET_SCAN_BYTES:
   * the cost of a snippet is bounded, and a match past them shows the
   * lead instead. */
  size_t scan =
      len > SNIPPET_SCAN_BYTES ? cys_utf8_floor(text, SNIPPET_SCAN_BYTES) : len;
  /* Words no query stem can come from are not stemmed (English only:
   * analyze_internal.h says why). */
  unsigned char first[32] = {0};
  int english = strcmp(cys_analyzer_language(analyzer), "english") == 0;
  for (size_t i = 0; english && i < terms->nstems; i++)
    first[(unsigned char)terms->stems[i][0] >> 3] |=
        (unsigned char)(1u << (terms->stems[i][0] & 7));
  if (english)
    analyzer_stem_only_first(analyzer, first);
  cys_status st = cys_analyze(analyzer, text, scan, on_token, &m);
  analyzer_stem_only_first(analyzer, NULL);
  if (st == CYS_OK && m.failed)
    st = CYS_NOMEM;
  free(m.lens);
  if (st != CYS_OK) {
    free(m.items);
    return st;
  }
  order_matches(&m);
  size_t from, to;
  best_window(&m, terms->nstems + terms->nexacts, len, target, &from, &to);
  /* Snap to word boundaries: move the start forward past a partial word,
   * and the end back to the last blank, unless that would lose a match. */
  if (from > 0 && !is_blank(text[from - 1])) {
    size_t f = from;
    while (f < to && !is_blank(text[f]))
      f++;
    size_t first_match = to;
    for (size_t i = 0; i < m.n; i++)
      if (m.items[i].start >= from) {
        first_match = m.items[i].start;
        break;
      }
    if (f <= first_match)
      from = f;
  }
  if (to < len) {
    size_t t = to;
    while (t > from && !is_blank(text[t - 1]))
      t--;
    size_t last_match_end = from;
    for (size_t i = 0; i < m.n; i++)
      if (m.items[i].start < to && m.items[i].end > last_match_end)
        last_match_end = m.items[i].end;
    if (t > from && t >= last_match_end)
      to = t;
  }
  /* Never start or end inside a UTF-8 character. */
  while (from < to && ((unsigned char)text[from] & 0xC0) == 0x80)
    from++;
  to = from + cys_utf8_floor(text + from, to - from);

  buf out;
  buf_init(&out);
  cys_span *sp = calloc(m.n ? m.n : 1, sizeof *sp);
  size_t nsp = 0, mi = 0;
  if (!sp)
    out.failed = 1;
  while (mi < m.n && m.items[mi].start < from)
    mi++;
  while (from < to && is_blank(text[from]))
    from++;
  if (from > 0)
    buf_append_str(&out, "\xE2\x80\xA6 "); /* … */
  int in_blank = 0;
  for (size_t i = from; i < to; i++) {
    if (mi < m.n && m.items[mi].start == i && m.items[mi].end <= to && sp)
      sp[nsp].start = out.len;
    if (is_blank(text[i])) {
      if (!in_blank)
        buf_append(&out, " ", 1);
      in_blank = 1;
    } else {
      buf_append(&out, text + i, 1);
      in_blank = 0;
    }
    if (mi < m.n && m.items[mi].end == i + 1) {
      if (sp && m.items[mi].start >= from && m.items[mi].end <= to)
        sp[nsp++].end = out.len;
      mi++;
    }
  }
  while (out.len > 0 && out.data[out.len - 1] == ' ')
    out.data[--out.len] = '\0';
  if (to < len)
    buf_append_str(&out, " \xE2\x80\xA6");
  free(m.items);
  char *s = buf_take(&out);
  if (!s || !sp) {
    free(s);
    free(sp);
    return CYS_NOMEM;
  }
  *snippet = s;
  *spans = sp;
  *nspans = nsp;
  return CYS_OK;
}
