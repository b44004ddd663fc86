/*
 * query.c — the user's query text to a cys_query (see query.h).
 *
 * The text is read left to right as a list of items, each an optional sign
 * ('+' required, '-' excluded), an optional "title:" field, an optional '='
 * (exact form), then either a quoted phrase or a run of non-space
 * characters.  Each item is analysed with the index's analyzer:
 *   - one word, unquoted            -> its stem (Z / ZS term), ranked BM25
 *   - '=' word                      -> its exact form
 *   - a quoted phrase, or a run that analyses to several words (e.g.
 *     "CVE-2017-0144", "e-mail")    -> a phrase of exact forms
 * Items combine as  (AND of required) AND_MAYBE (OR of optional),
 * minus the OR of the excluded ones.  Nothing here can fail but memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/query.h"
#include "cysearch/schema.h"
#include "internal.h"
#include "query_internal.h"

/* Weight of the case-sensitive K term against the stem of an acronym. */
#define CYS_ACRONYM_WEIGHT 0.25

typedef struct qvec {
  cys_query **items;
  size_t n, cap;
} qvec;

typedef struct word {
  char exact[CYS_TOKEN_MAX + 1];
  char stem[CYS_TOKEN_MAX + 1];
  size_t exact_len, stem_len;
  size_t start, end;
  unsigned flags;
} word;

typedef struct parser {
  cys_analyzer *analyzer;
  qvec optional, required, excluded;
  qvec filters[FILTER_FIELDS]; /* OR within a field, AND across fields */
  qvec excluded_filters;
  cys_query_terms *terms;
  word *words; /* the words of the current item */
  size_t nwords, words_cap;
  unsigned qpos; /* query position of the next term */
  size_t nfilters;
  qvec title_terms; /* the free words again, as title terms */
  qvec near_words;  /* the free words' exact terms, in order */
  cys_status status; /* sticky */
} parser;

static void qvec_push(parser *p, qvec *v, cys_query *q) {
  if (p->status != CYS_OK) {
    cys_query_free(q);
    return;
  }
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    cys_query **bigger = realloc(v->items, cap * sizeof *bigger);
    if (!bigger) {
      cys_query_free(q);
      p->status = CYS_NOMEM;
      return;
    }
    v->items = bigger;
    v->cap = cap;
  }
  v->items[v->n++] = q;
}

static void qvec_free(qvec *v) {
  for (size_t i = 0; i < v->n; i++)
    cys_query_free(v->items[i]);
  free(v->items);
}

/* Remember a term for highlighting, once. */
static void remember(parser *p, char ***list, size_t *n, const char *s,
                     size_t len) {
  if (p->status != CYS_OK)
    return;
  for (size_t i = 0; i < *n; i++)
    if (strlen((*list)[i]) == len && memcmp((*list)[i], s, len) == 0)
      return;
  char **bigger = realloc(*list, (*n + 1) * sizeof *bigger);
  char *copy = malloc(len + 1);
  if (bigger)
    *list = bigger;
  if (!bigger || !copy) {
    free(copy);
    p->status = CYS_NOMEM;
    return;
  }
  memcpy(copy, s, len);
  copy[len] = '\0';
  (*list)[(*n)++] = copy;
}

static int collect_word(void *ctx, const cys_token *t) {
  parser *p = ctx;
  if (p->nwords == p->words_cap) {
    size_t cap = p->words_cap ? p->words_cap * 2 : 8;
    word *bigger = realloc(p->words, cap * sizeof *bigger);
    if (!bigger) {
      p->status = CYS_NOMEM;
      return 1;
    }
    p->words = bigger;
    p->words_cap = cap;
  }
  word *w = &p->words[p->nwords++];
  memcpy(w->exact, t->exact, t->exact_len);
  w->exact_len = t->exact_len;
  memcpy(w->stem, t->stem, t->stem_len);
  w->stem_len = t->stem_len;
  w->start = t->start;
  w->end = t->end;
  w->flags = t->flags;
  return 0;
}

/* Keep the words an item means: for a phrase, every word but the wholes
 * (their parts are consecutive); otherwise every word not inside a whole
 * kept before it (so "CVE-2017-0144" is one term, not four). */
static void select_words(parser *p, int phrase) {
  size_t kept = 0, whole_end = 0;
  int in_whole = 0;
  for (size_t i = 0; i < p->nwords; i++) {
    word *w = &p->words[i];
    int keep;
    if (phrase) {
      keep = !(w->flags & CYS_TOKEN_WHOLE);
    } else if (in_whole && w->end <= whole_end) {
      keep = 0;
    } else {
      keep = 1;
      in_whole = (w->flags & CYS_TOKEN_WHOLE) != 0;
      whole_end = w->end;
    }
    if (keep)
      p->words[kept++] = *w;
  }
  p->nwords = kept;
}

/* A term query; `positioned` terms take the next query position. */
static cys_query *new_term(parser *p, const char *prefix, const char *s,
                           size_t n, int positioned) {
  char term[CYS_TERM_MAX + 1];
  size_t pl = strlen(prefix);
  cys_query *q = NULL;
  if (p->status != CYS_OK)
    return NULL;
  memcpy(term, prefix, pl);
  memcpy(term + pl, s, n);
  cys_status st = cys_query_new_term(term, pl + n, 1,
                                     positioned ? ++p->qpos : 0, &q);
  if (st != CYS_OK)
    p->status = st;
  return q;
}

static cys_query *make_term(parser *p, const char *prefix, const char *s,
                            size_t n) {
  return new_term(p, prefix, s, n, 1);
}

/* Two alternatives as one query (OR). */
static cys_query *either(parser *p, cys_query *x, cys_query *y) {
  cys_query *pair[2] = {x, y}, *q = NULL;
  if (x && y && p->status == CYS_OK) {
    cys_status st = cys_query_new_combined(CYS_OP_OR, pair, 2, 0, &q);
    if (st != CYS_OK)
      p->status = st;
  }
  cys_query_free(x);
  cys_query_free(y);
  return q;
}

/* The query for an acronym: its case-sensitive K term, and (unless exact)
 * its stem, so that "US" ranks the United States first without losing
 * text that does not write it in capitals. */
static cys_query *acronym_query(parser *p, const word *w, int exact) {
  char upper[CYS_TOKEN_MAX];
  for (size_t i = 0; i < w->exact_len; i++) {
    char c = w->exact[i];
    upper[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  remember(p, &p->terms->stems, &p->terms->nstems, w->stem, w->stem_len);
  cys_query *k = make_term(p, CYS_PREFIX_ACRONYM, upper, w->exact_len);
  if (exact)
    return k;
  /* The case-sensitive term ranks the acronym's documents first without
   * swamping the rest of the query (0.25: measured on SciFact train). */
  cys_query *scaled = NULL;
  if (k && cys_query_new_scaled(k, CYS_ACRONYM_WEIGHT, &scaled) != CYS_OK)
    p->status = CYS_NOMEM;
  cys_query_free(k);
  return either(p, scaled, make_term(p, CYS_PREFIX_STEM, w->stem, w->stem_len));
}

/* A free word also counts in the optional boosts: as a title term, and in
 * proximity pairs with its neighbours. */
static void remember_boosts(parser *p, const word *w) {
  int id = (w->flags & CYS_TOKEN_IDENTIFIER) != 0;
  qvec_push(p, &p->title_terms,
            new_term(p, id ? CYS_PREFIX_TITLE : CYS_PREFIX_TITLE_STEM,
                     id ? w->exact : w->stem, id ? w->exact_len : w->stem_len,
                     0));
  qvec_push(p, &p->near_words,
            new_term(p, CYS_PREFIX_EXACT, w->exact, w->exact_len, 0));
}

/* Is this whole identifier one to match exactly (CVE, GHSA, CWE and MS
 * ids; addresses, domains, URLs, paths, versions: anything with '.', '@',
 * ':' or '\\')?  Other compounds ("HIV-1", "TCP/IP", "POL-358") also match
 * through their parts, ranked below the whole. */
static int strict_whole(const word *w) {
  const char *s = w->exact;
  size_t n = w->exact_len;
  /* A joined form such as "apt28" (from "APT-28" or "APT 28"). */
  if (!memchr(s, '-', n) && !memchr(s, '/', n))
    return 1;
  if (memchr(s, '.', n) || memchr(s, '@', n) || memchr(s, ':', n) ||
      memchr(s, '\\', n))
    return 1;
  static const char *const strict_prefixes[] = {"cve-", "ghsa-", "cwe-"};
  for (size_t i = 0; i < sizeof strict_prefixes / sizeof *strict_prefixes;
       i++) {
    size_t k = strlen(strict_prefixes[i]);
    if (n > k && memcmp(s, strict_prefixes[i], k) == 0)
      return 1;
  }
  /* Microsoft bulletins: ms17-010 */
  return n >= 7 && s[0] == 'm' && s[1] == 's' && s[2] >= '0' && s[2] <= '9' &&
         s[3] >= '0' && s[3] <= '9' && s[4] == '-';
}

/* The query for one word of an item. */
static cys_query *word_query(parser *p, const word *w, int title, int exact) {
  if (w->flags & CYS_TOKEN_IDENTIFIER) {
    remember(p, &p->terms->exacts, &p->terms->nexacts, w->exact,
             w->exact_len);
    return make_term(p, title ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT, w->exact,
                     w->exact_len);
  }
  if ((w->flags & CYS_TOKEN_ACRONYM) && !title)
    return acronym_query(p, w, exact);
  if (exact) {
    remember(p, &p->terms->exacts, &p->terms->nexacts, w->exact,
             w->exact_len);
    return make_term(p, title ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT, w->exact,
                     w->exact_len);
  }
  remember(p, &p->terms->stems, &p->terms->nstems, w->stem, w->stem_len);
  return make_term(p, title ? CYS_PREFIX_TITLE_STEM : CYS_PREFIX_STEM,
                   w->stem, w->stem_len);
}

/* Words as alternatives, each ranked on its own (OR). */
static cys_query *any_of(parser *p, const word *words, size_t n, int title) {
  cys_query **parts = calloc(n ? n : 1, sizeof *parts);
  cys_query *q = NULL;
  size_t k = 0;
  if (!parts) {
    p->status = CYS_NOMEM;
    return NULL;
  }
  for (size_t i = 0; i < n && p->status == CYS_OK; i++) {
    if (!title)
      remember_boosts(p, &words[i]);
    cys_query *one = word_query(p, &words[i], title, 0);
    if (one)
      parts[k++] = one;
  }
  if (p->status == CYS_OK && k) {
    cys_status st = cys_query_new_combined(CYS_OP_OR, parts, k, 0, &q);
    if (st)
      p->status = st;
  }
  for (size_t i = 0; i < k; i++)
    cys_query_free(parts[i]);
  free(parts);
  return q;
}

/* A phrase of the exact forms of the item's words. */
static cys_query *phrase_query(parser *p, int title) {
  cys_query **parts = calloc(p->nwords, sizeof *parts);
  if (!parts) {
    p->status = CYS_NOMEM;
    return NULL;
  }
  for (size_t i = 0; i < p->nwords; i++) {
    word *w = &p->words[i];
    remember(p, &p->terms->exacts, &p->terms->nexacts, w->exact, w->exact_len);
    parts[i] = make_term(p, title ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT,
                         w->exact, w->exact_len);
  }
  cys_query *q = NULL;
  if (p->status == CYS_OK) {
    cys_status st = cys_query_new_combined(CYS_OP_PHRASE, parts, p->nwords,
                                           0, &q);
    if (st != CYS_OK)
      p->status = st;
  }
  for (size_t i = 0; i < p->nwords; i++)
    cys_query_free(parts[i]);
  free(parts);
  return q;
}

/* The query for the words of one item:
 *   quoted, or '='   -> the exact words (a phrase when several)
 *   a strict identifier whole ("CVE-2017-0144", "1.2.3.4") -> it alone
 *   another whole ("HIV-1", "POL-358") -> it or any of its parts
 *   several words ("C-terminal", "U.S.-China") -> any of them
 *   one word         -> its stem (or acronym, or identifier) */
static cys_query *item_query(parser *p, int title, int exact, int phrase) {
  if (p->nwords == 0 || p->status != CYS_OK)
    return NULL;
  if (phrase || exact) {
    select_words(p, 1);
    if (p->nwords == 1) {
      if (!title && !exact)
        remember_boosts(p, &p->words[0]);
      return word_query(p, &p->words[0], title, 1);
    }
    return p->nwords ? phrase_query(p, title) : NULL;
  }
  size_t all = p->nwords;
  word *w = &p->words[0];
  if (w->flags & CYS_TOKEN_WHOLE) {
    if (strict_whole(w) || all == 1) {
      if (!title)
        remember_boosts(p, w);
      return word_query(p, w, title, 0);
    }
    /* The whole and its parts (the tokens after it inside its span). */
    size_t n = 1;
    while (n < all && p->words[n].end <= w->end)
      n++;
    return any_of(p, p->words, n, title);
  }
  select_words(p, 0);
  if (p->nwords == 1) {
    if (!title)
      remember_boosts(p, &p->words[0]);
    return word_query(p, &p->words[0], title, 0);
  }
  return any_of(p, p->words, p->nwords, title);
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

static int starts_with_field(const char *s, size_t n, const char *field) {
  size_t f = strlen(field);
  if (n <= f)
    return 0;
  for (size_t i = 0; i < f; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    if (c != field[i])
      return 0;
  }
  return !is_space(s[f]);
}

/* "APT 28" typed apart: if text[start..end) is a threat-group designator
 * word and the next item is a number, write them joined ("apt28", the form
 * the analyzer gives "APT28", "APT-28" and "APT 28" in text) into buf and
 * return the end of the number; else return 0. */
static size_t join_designator(const char *text, size_t len, size_t start,
                              size_t end, char *buf, size_t cap) {
  static const char *const words[] = {"apt", "fin", "ta", "unc", "temp"};
  size_t n = end - start, i = end, digits;
  int known = 0;
  for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
    if (strlen(words[w]) != n)
      continue;
    known = 1;
    for (size_t k = 0; k < n && known; k++)
      known = (text[start + k] | 0x20) == words[w][k];
    if (known)
      break;
  }
  if (!known)
    return 0;
  while (i < len && is_space(text[i]))
    i++;
  for (digits = 0; i + digits < len && text[i + digits] >= '0' &&
                   text[i + digits] <= '9';
       digits++)
    ;
  if (digits == 0 || digits > 6 || n + digits >= cap ||
      (i + digits < len && !is_space(text[i + digits])))
    return 0;
  memcpy(buf, text + start, n);
  memcpy(buf + n, text + i, digits);
  buf[n + digits] = '\0';
  return i + digits;
}

/* *q = *q OP (the OR of items[0..n)), freeing the old *q on success. */
static cys_status attach(cys_query **q, cys_query_op op,
                         cys_query *const *items, size_t n) {
  cys_query *any = NULL, *joined = NULL;
  cys_status st = cys_query_new_combined(CYS_OP_OR, items, n, 0, &any);
  if (!st) {
    cys_query *pair[2] = {*q, any};
    st = cys_query_new_combined(op, pair, 2, 0, &joined);
  }
  if (!st) {
    cys_query_free(*q);
    *q = joined;
  }
  cys_query_free(any);
  return st;
}

/* Combine the lists into the final query: the required words AND_MAYBE
 * the optional ones, filtered by each field's filters, minus the excluded
 * words and filters. */
static cys_query *combine(parser *p) {
  cys_query *q = NULL;
  cys_status st = CYS_OK;
  if (p->required.n) {
    st = cys_query_new_combined(CYS_OP_AND, p->required.items, p->required.n,
                                0, &q);
    if (!st && p->optional.n)
      st = attach(&q, CYS_OP_AND_MAYBE, p->optional.items, p->optional.n);
  } else if (p->optional.n) {
    st = cys_query_new_combined(CYS_OP_OR, p->optional.items, p->optional.n,
                                0, &q);
  } else if (p->excluded.n || p->nfilters) {
    st = cys_query_new_all(&q); /* only "-word" or filters: all, then */
  } else {
    st = cys_query_new_none(&q);
  }
  /* Filters select without weighting: OR within a field, AND across. */
  for (int f = 0; f < FILTER_FIELDS && !st; f++)
    if (p->filters[f].n)
      st = attach(&q, CYS_OP_FILTER, p->filters[f].items, p->filters[f].n);
  if (!st && p->excluded_filters.n)
    st = attach(&q, CYS_OP_AND_NOT, p->excluded_filters.items,
                p->excluded_filters.n);
  if (!st && p->excluded.n)
    st = attach(&q, CYS_OP_AND_NOT, p->excluded.items, p->excluded.n);
  if (st) {
    cys_query_free(q);
    p->status = st;
    return NULL;
  }
  return q;
}

/* The boosts of parsed queries (see query.h): title matches of the free
 * words, and their adjacent pairs found near each other. */
static void build_boosts(parser *p, cys_parsed_query *r) {
  cys_status st = CYS_OK;
  if (p->title_terms.n)
    st = cys_query_new_combined(CYS_OP_OR, p->title_terms.items,
                                p->title_terms.n, 0, &r->title_boost);
  if (!st && p->near_words.n >= 2) {
    qvec pairs = {0};
    for (size_t i = 0; i + 1 < p->near_words.n && !st; i++) {
      cys_query *pair = NULL;
      st = cys_query_new_combined(CYS_OP_NEAR, p->near_words.items + i, 2,
                                  CYS_PROXIMITY_WINDOW, &pair);
      if (!st)
        qvec_push(p, &pairs, pair);
    }
    if (!st && p->status == CYS_OK)
      st = cys_query_new_combined(CYS_OP_OR, pairs.items, pairs.n, 0,
                                  &r->proximity_boost);
    qvec_free(&pairs);
  }
  if (st && p->status == CYS_OK)
    p->status = st;
}

/* The value after "field:": a quoted string (quotes dropped; an unclosed
 * quote runs to the end) or a run of non-space characters.  Copied to
 * value (truncated to its size); returns the offset after it. */
static size_t read_value(const char *text, size_t len, size_t i, char *value,
                         size_t size) {
  size_t start, end, next;
  if (text[i] == '"') {
    start = i + 1;
    end = start;
    while (end < len && text[end] != '"')
      end++;
    next = end < len ? end + 1 : end;
  } else {
    start = i;
    end = i;
    while (end < len && !is_space(text[end]))
      end++;
    next = end;
  }
  size_t n = end - start < size - 1 ? end - start : size - 1;
  memcpy(value, text + start, n);
  value[n] = '\0';
  return next;
}

/* Handle "field:value" at text[i]; returns the offset after it, or 0 when
 * the item is to be read as text instead. */
static size_t parse_filter(parser *p, const cys_query_context *ctx,
                           const char *text, size_t len, size_t i, char sign,
                           char *error, size_t error_size) {
  filter_field field;
  size_t name_len = filter_field_at(text + i, len - i, &field);
  if (!name_len)
    return 0;
  char value[256];
  size_t next = read_value(text, len, i + name_len, value, sizeof value);
  cys_query *q = NULL;
  cys_status st = filter_query(ctx, field, value, &q, error, error_size);
  if (st == CYS_BAD_QUERY && field == FILTER_SITE) {
    error[0] = '\0';
    return 0; /* a pasted "site:x" that we do not index: just words */
  }
  if (st != CYS_OK) {
    p->status = st;
    return next;
  }
  qvec_push(p, sign == '-' ? &p->excluded_filters : &p->filters[field], q);
  p->nfilters++;
  return next;
}

cys_status cys_query_parse(const cys_query_context *ctx, const char *text,
                           size_t len, cys_parsed_query **out, char *error,
                           size_t error_size) {
  cys_analyzer *analyzer = ctx->analyzer;
  if (error_size)
    error[0] = '\0';
  cys_parsed_query *result = calloc(1, sizeof *result);
  if (!result)
    return CYS_NOMEM;
  parser p = {.analyzer = analyzer, .terms = &result->highlight};
  size_t i = 0;
  while (i < len && p.status == CYS_OK) {
    while (i < len && is_space(text[i]))
      i++;
    if (i >= len)
      break;
    char sign = 0;
    if ((text[i] == '+' || text[i] == '-') && i + 1 < len &&
        !is_space(text[i + 1]))
      sign = text[i++];
    size_t after = parse_filter(&p, ctx, text, len, i, sign, error,
                                error_size);
    if (after) {
      i = after;
      continue;
    }
    int title = 0, exact = 0, phrase = 0;
    if (starts_with_field(text + i, len - i, "title:")) {
      title = 1;
      i += 6;
    }
    if (text[i] == '=' && i + 1 < len && !is_space(text[i + 1])) {
      exact = 1;
      i++;
    }
    size_t start, end;
    if (text[i] == '"') {
      phrase = 1;
      start = ++i;
      while (i < len && text[i] != '"')
        i++;
      end = i;
      if (i < len)
        i++; /* the closing quote; an unclosed one runs to the end */
    } else {
      start = i;
      while (i < len && !is_space(text[i]))
        i++;
      end = i;
    }
    p.nwords = 0;
    char joined[16];
    size_t joined_end = 0;
    if (!phrase && !exact)
      joined_end =
          join_designator(text, len, start, end, joined, sizeof joined);
    cys_status st;
    if (joined_end) {
      st = cys_analyze(analyzer, joined, strlen(joined), collect_word, &p);
      i = joined_end;
    } else {
      st = cys_analyze(analyzer, text + start, end - start, collect_word, &p);
    }
    if (st != CYS_OK && p.status == CYS_OK)
      p.status = st;
    cys_query *q = item_query(&p, title, exact, phrase);
    if (q)
      qvec_push(&p, sign == '+' ? &p.required
                    : sign == '-' ? &p.excluded
                                  : &p.optional,
                q);
  }
  result->has_text = p.optional.n || p.required.n;
  if (p.status == CYS_OK)
    build_boosts(&p, result);
  result->has_filters = p.nfilters > 0;
  if (p.status == CYS_OK)
    result->query = combine(&p);
  qvec_free(&p.optional);
  qvec_free(&p.required);
  qvec_free(&p.excluded);
  for (int f = 0; f < FILTER_FIELDS; f++)
    qvec_free(&p.filters[f]);
  qvec_free(&p.excluded_filters);
  qvec_free(&p.title_terms);
  qvec_free(&p.near_words);
  free(p.words);
  if (p.status != CYS_OK) {
    if (p.status == CYS_NOMEM && error_size)
      snprintf(error, error_size, "out of memory");
    cys_parsed_query_free(result);
    return p.status;
  }
  *out = result;
  return CYS_OK;
}

static void free_list(char **list, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(list[i]);
  free(list);
}

void cys_parsed_query_free(cys_parsed_query *parsed) {
  if (!parsed)
    return;
  cys_query_free(parsed->query);
  cys_query_free(parsed->title_boost);
  cys_query_free(parsed->proximity_boost);
  free_list(parsed->highlight.stems, parsed->highlight.nstems);
  free_list(parsed->highlight.exacts, parsed->highlight.nexacts);
  free(parsed);
}
