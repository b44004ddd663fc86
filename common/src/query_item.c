/*
 * query_item.c — one item of a query (a word, a run of characters, a
 * quoted phrase, a prefix*, a "phrase"~N) analysed with the index's
 * analyzer into its query, with the terms to highlight:
 *   - one word, unquoted            -> its stem (Z / ZS term), ranked BM25
 *   - '=' word                      -> its exact form
 *   - a quoted phrase, or a run that analyses to several words (e.g.
 *     "CVE-2017-0144", "e-mail")    -> a phrase of exact forms, or the
 *                                      whole identifier
 *   - prefix*                       -> the exact forms starting with it
 *                                      (OP_WILDCARD, bounded)
 *   - "a b"~N                       -> the exact forms within a window
 * Free words (not title:/body:) are also remembered for the title and
 * proximity boosts (query.h).  The grammar around items is in query.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "ascii_class.h"
#include "query_internal.h"

/* Weight of the case-sensitive K term against the stem of an acronym. */
#define CYS_ACRONYM_WEIGHT 0.25

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

static void remember_exact(parser *p, const char *s, size_t len) {
  remember(p, &p->terms->exacts, &p->terms->nexacts, s, len);
}

static int collect_word(void *ctx, const cys_token *t) {
  parser *p = ctx;
  if (p->nwords == p->words_cap) {
    size_t cap = p->words_cap ? p->words_cap * 2 : 8;
    qword *bigger = realloc(p->words, cap * sizeof *bigger);
    if (!bigger) {
      p->status = CYS_NOMEM;
      return 1;
    }
    p->words = bigger;
    p->words_cap = cap;
  }
  qword *w = &p->words[p->nwords++];
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
    qword *w = &p->words[i];
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
  cys_status st =
      cys_query_new_term(term, pl + n, 1, positioned ? ++p->qpos : 0, &q);
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
static cys_query *acronym_query(parser *p, const qword *w, int exact) {
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

/* A free word also counts in the optional boost, as a title term. */
static void remember_boosts(parser *p, const qword *w, text_field field) {
  if (field != FIELD_ANY)
    return;
  int id = (w->flags & CYS_TOKEN_IDENTIFIER) != 0;
  qvec_push(p, &p->title_terms,
            new_term(p, id ? CYS_PREFIX_TITLE : CYS_PREFIX_TITLE_STEM,
                     id ? w->exact : w->stem, id ? w->exact_len : w->stem_len,
                     0));
}

/* Is this whole identifier one to match exactly (CVE, GHSA, CWE and MS
 * ids; addresses, domains, URLs, paths, versions: anything with '.', '@',
 * ':' or '\\')?  Other compounds ("HIV-1", "TCP/IP", "POL-358") also match
 * through their parts, ranked below the whole. */
static int strict_whole(const qword *w) {
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
static cys_query *word_query(parser *p, const qword *w, text_field field,
                             int exact) {
  int title = field == FIELD_TITLE;
  if (w->flags & CYS_TOKEN_IDENTIFIER) {
    remember_exact(p, w->exact, w->exact_len);
    return make_term(p, title ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT, w->exact,
                     w->exact_len);
  }
  if ((w->flags & CYS_TOKEN_ACRONYM) && !title)
    return acronym_query(p, w, exact);
  if (exact) {
    remember_exact(p, w->exact, w->exact_len);
    return make_term(p, title ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT, w->exact,
                     w->exact_len);
  }
  remember(p, &p->terms->stems, &p->terms->nstems, w->stem, w->stem_len);
  return make_term(p, title ? CYS_PREFIX_TITLE_STEM : CYS_PREFIX_STEM, w->stem,
                   w->stem_len);
}

/* Words as alternatives, each ranked on its own (OR). */
static cys_query *any_of(parser *p, const qword *words, size_t n,
                         text_field field) {
  cys_query **parts = calloc(n ? n : 1, sizeof *parts);
  cys_query *q = NULL;
  size_t k = 0;
  if (!parts) {
    p->status = CYS_NOMEM;
    return NULL;
  }
  for (size_t i = 0; i < n && p->status == CYS_OK; i++) {
    remember_boosts(p, &words[i], field);
    cys_query *one = word_query(p, &words[i], field, 0);
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

cys_query *guard_positional(parser *p, cys_query *q) {
  cys_query *guarded = NULL;
  if (!q || p->status != CYS_OK || !p->ctx->guard_positional)
    return q;
  cys_status st = cys_query_new_guarded(q, &guarded);
  if (st != CYS_OK)
    p->status = st;
  cys_query_free(q);
  return guarded;
}

/* The operator for a positional group of n words: op itself while the
 * bounds of query.h allow (counting its words), else AND. */
static cys_query_op bounded_op(parser *p, cys_query_op op, size_t n) {
  if (n > CYS_QUERY_MAX_GROUP_WORDS) {
    p->limits |= CYS_LIMIT_GROUP_WORDS;
    return CYS_OP_AND;
  }
  if (p->positional_seen + n > CYS_QUERY_MAX_POSITIONAL_WORDS) {
    p->limits |= CYS_LIMIT_POSITIONAL_WORDS;
    return CYS_OP_AND;
  }
  p->positional_seen += n;
  return op;
}

/* parts[0..n) as a positional group (op within window), or as their AND
 * past the bounds; guarded. */
static cys_query *bounded_group(parser *p, cys_query_op op, cys_query **parts,
                                size_t n, unsigned window) {
  cys_query *q = NULL;
  if (p->status != CYS_OK)
    return NULL;
  cys_query_op bounded = bounded_op(p, op, n);
  cys_status st =
      cys_query_new_combined(bounded, parts, n, bounded == op ? window : 0, &q);
  if (st != CYS_OK) {
    p->status = st;
    return NULL;
  }
  return bounded == op ? guard_positional(p, q) : q;
}

/* The item's words in order (PHRASE, window = their number) or in any
 * order within a window (NEAR), as exact terms. */
static cys_query *positional_query(parser *p, text_field field, cys_query_op op,
                                   unsigned window) {
  cys_query **parts = calloc(p->nwords, sizeof *parts);
  if (!parts) {
    p->status = CYS_NOMEM;
    return NULL;
  }
  for (size_t i = 0; i < p->nwords; i++) {
    qword *w = &p->words[i];
    remember_exact(p, w->exact, w->exact_len);
    parts[i] =
        make_term(p, field == FIELD_TITLE ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT,
                  w->exact, w->exact_len);
  }
  cys_query *q = bounded_group(p, op, parts, p->nwords, window);
  for (size_t i = 0; i < p->nwords; i++)
    cys_query_free(parts[i]);
  free(parts);
  return q;
}

cys_query *near_query(parser *p, const near_word *words, size_t n,
                      unsigned window) {
  cys_query **parts = calloc(n ? n : 1, sizeof *parts);
  cys_query *q = NULL;
  if (!parts) {
    p->status = CYS_NOMEM;
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    remember_exact(p, words[i].exact, words[i].len);
    parts[i] =
        make_term(p, words[i].title ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT,
                  words[i].exact, words[i].len);
  }
  q = bounded_group(p, CYS_OP_NEAR, parts, n, window);
  for (size_t i = 0; i < n; i++)
    cys_query_free(parts[i]);
  free(parts);
  return q;
}

/* ---- wildcards --------------------------------------------------------- */

/* The most frequent terms under a prefix, for highlighting: the same ones
 * that Xapian's WILDCARD_LIMIT_MOST_FREQUENT expands to (ties aside). */
typedef struct expansion {
  char *terms[CYS_WILDCARD_MAX_EXPANSION];
  uint64_t counts[CYS_WILDCARD_MAX_EXPANSION];
  size_t n;
  size_t skip; /* bytes of field prefix to drop */
  int failed;
} expansion;

static int keep_frequent(void *ctx, const char *term, size_t len,
                         uint64_t count) {
  expansion *e = ctx;
  size_t slot = e->n;
  if (len <= e->skip)
    return 0;
  if (e->n == CYS_WILDCARD_MAX_EXPANSION) {
    slot = 0; /* replace the rarest, if this one is more frequent */
    for (size_t i = 1; i < e->n; i++)
      if (e->counts[i] < e->counts[slot])
        slot = i;
    if (count <= e->counts[slot])
      return 0;
    free(e->terms[slot]);
  } else {
    e->n++;
  }
  e->terms[slot] = malloc(len - e->skip + 1);
  if (!e->terms[slot]) {
    e->terms[slot] = NULL;
    e->counts[slot] = 0;
    e->failed = 1;
    return 1;
  }
  memcpy(e->terms[slot], term + e->skip, len - e->skip);
  e->terms[slot][len - e->skip] = '\0';
  e->counts[slot] = count;
  return 0;
}

/* Highlight what prefix (with its field prefix, skip bytes) stands for:
 * the prefix itself and, when the context can walk the index, the terms
 * it expands to. */
static void remember_expansion(parser *p, const char *term, size_t len,
                               size_t skip) {
  remember_exact(p, term + skip, len - skip);
  const cys_query_context *ctx = p->ctx;
  if (!ctx->each_term || p->status != CYS_OK)
    return;
  expansion e = {.skip = skip};
  cys_status st = ctx->each_term(ctx->term_ctx, term, len, keep_frequent, &e);
  if (e.failed)
    st = CYS_NOMEM;
  for (size_t i = 0; i < e.n; i++) {
    if (e.terms[i] && st == CYS_OK)
      remember_exact(p, e.terms[i], strlen(e.terms[i]));
    free(e.terms[i]);
  }
  /* Highlighting is a bonus: only running out of memory is an error. */
  if (st == CYS_NOMEM && p->status == CYS_OK)
    p->status = st;
}

static size_t utf8_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* prefix*: the exact forms starting with the word's exact form (exact
 * forms, not stems: "hack*" is hack, hacker, hackers, hacking, ...; the
 * analyzer has folded case, so the prefix is lower case like the terms).
 * A prefix shorter than CYS_WILDCARD_MIN_CHARS is the word itself. */
static cys_query *wildcard_query(parser *p, const qword *w, text_field field) {
  if (utf8_chars(w->exact, w->exact_len) < CYS_WILDCARD_MIN_CHARS)
    return word_query(p, w, field, 0);
  char term[CYS_TERM_MAX + 1];
  const char *prefix =
      field == FIELD_TITLE ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT;
  size_t pl = strlen(prefix);
  memcpy(term, prefix, pl);
  memcpy(term + pl, w->exact, w->exact_len);
  cys_query *q = NULL;
  cys_status st = cys_query_new_wildcard(term, pl + w->exact_len,
                                         CYS_WILDCARD_MAX_EXPANSION, &q);
  if (st != CYS_OK) {
    p->status = st;
    return NULL;
  }
  p->qpos++;
  remember_expansion(p, term, pl + w->exact_len, pl);
  return q;
}

/* The words of a run ending in '*': the prefix is its identifier whole
 * ("cve-2024*") or its last word; words before that are read as usual. */
static cys_query *wildcard_item(parser *p, text_field field) {
  if (p->words[0].flags & CYS_TOKEN_WHOLE)
    return wildcard_query(p, &p->words[0], field);
  select_words(p, 0);
  if (p->nwords == 1)
    return wildcard_query(p, &p->words[0], field);
  cys_query *rest = any_of(p, p->words, p->nwords - 1, field);
  return either(p, rest, wildcard_query(p, &p->words[p->nwords - 1], field));
}

/* ---- indicators ---------------------------------------------------------- */

/* A copy of w that stands for another exact form of it. */
static qword other_form(const qword *w, const char *exact, size_t len) {
  qword o = *w;
  memcpy(o.exact, exact, len);
  o.exact_len = len;
  memcpy(o.stem, exact, len);
  o.stem_len = len;
  return o;
}

/* A domain, or the host of a URL, with its "www." twin (query_ioc.c). */
static cys_query *domain_query(parser *p, const qword *w, text_field field) {
  char twin[CYS_TOKEN_MAX + 1];
  cys_query *q = word_query(p, w, field, 0);
  size_t n = ioc_www_twin(w->exact, w->exact_len, twin, sizeof twin);
  if (n) {
    qword o = other_form(w, twin, n);
    q = either(p, q, word_query(p, &o, field, 0));
  }
  return q;
}

/* An IPv4 block as written and the addresses of the index inside it,
 * scored as one term (query_ioc.c); a cut expansion is noted. */
static cys_query *block_query(parser *p, const qword *w, text_field field,
                              const ioc_block *b) {
  ioc_terms t;
  cys_status st = ioc_block_terms(
      p->ctx, field == FIELD_TITLE ? CYS_PREFIX_TITLE : CYS_PREFIX_EXACT, b,
      CYS_WILDCARD_MAX_EXPANSION, &t);
  cys_query **parts = calloc(t.n + 1, sizeof *parts), *q = NULL;
  size_t k = 0;
  if (st != CYS_OK || !parts) {
    p->status = st != CYS_OK ? st : CYS_NOMEM;
    goto done;
  }
  if (t.cut)
    p->limits |= CYS_LIMIT_ADDRESS_BLOCK;
  parts[k++] = word_query(p, w, field, 0);
  for (size_t i = 0; i < t.n && p->status == CYS_OK; i++) {
    size_t len = strlen(t.terms[i]);
    if (len > CYS_TOKEN_MAX ||
        (len == w->exact_len && memcmp(t.terms[i], w->exact, len) == 0))
      continue;
    qword o = other_form(w, t.terms[i], len);
    parts[k++] = word_query(p, &o, field, 0);
  }
  if (p->status == CYS_OK &&
      (st = cys_query_new_combined(CYS_OP_SYNONYM, parts, k, 0, &q)))
    p->status = st;
done:
  for (size_t i = 0; i < k; i++)
    cys_query_free(parts[i]);
  free(parts);
  ioc_terms_free(&t);
  return q;
}

/* A strict identifier whole and the other forms it stands for: a URL also
 * its host, a domain its "www." twin, a path the paths below it, an
 * address block the addresses in it. */
static cys_query *indicator_query(parser *p, const qword *w, text_field field) {
  char alt[CYS_TOKEN_MAX + 1];
  ioc_block block;
  if (ioc_block_parse(w->exact, w->exact_len, &block))
    return block_query(p, w, field, &block);
  size_t n = ioc_url_host(w->exact, w->exact_len, alt, sizeof alt);
  cys_query *q;
  if (n) {
    qword host = other_form(w, alt, n);
    q = word_query(p, w, field, 0); /* first: query positions in order */
    return either(p, q, domain_query(p, &host, field));
  }
  if (ioc_is_path(w->exact, w->exact_len) && w->exact_len < CYS_TOKEN_MAX) {
    memcpy(alt, w->exact, w->exact_len);
    alt[w->exact_len] = '\\';
    qword below = other_form(w, alt, w->exact_len + 1);
    q = word_query(p, w, field, 0);
    return either(p, q, wildcard_query(p, &below, field));
  }
  return domain_query(p, w, field);
}

/* ---- items ------------------------------------------------------------- */

/* The item was one plain word: keep it for NEAR. */
static void note_single(const qword *w, text_field field, item_result *out) {
  memcpy(out->word.exact, w->exact, w->exact_len);
  out->word.len = w->exact_len;
  out->word.title = field == FIELD_TITLE;
}

/* The query for the words of one item:
 *   quoted, or '='   -> the exact words (a phrase when several)
 *   "…"~N            -> the exact words within a window
 *   prefix*          -> see wildcard_item
 *   a strict identifier whole ("CVE-2017-0144", "1.2.3.4") -> it alone
 *   another whole ("HIV-1", "POL-358") -> it or any of its parts
 *   several words ("C-terminal", "U.S.-China") -> any of them
 *   one word         -> its stem (or acronym, or identifier) */
static cys_query *item_query(parser *p, const item_spec *s, item_result *out) {
  text_field field = s->field;
  if (p->nwords == 0 || p->status != CYS_OK)
    return NULL;
  if (s->wildcard && !s->phrase)
    return wildcard_item(p, field);
  if (s->phrase || s->exact) {
    select_words(p, 1);
    if (p->nwords == 1) {
      if (!s->exact)
        remember_boosts(p, &p->words[0], field);
      note_single(&p->words[0], field, out);
      return word_query(p, &p->words[0], field, 1);
    }
    if (!p->nwords)
      return NULL;
    if (s->near)
      return positional_query(p, field, CYS_OP_NEAR,
                              (unsigned)p->nwords + s->gap);
    return positional_query(p, field, CYS_OP_PHRASE, 0);
  }
  size_t all = p->nwords;
  qword *w = &p->words[0];
  if (w->flags & CYS_TOKEN_WHOLE) {
    if (strict_whole(w) || all == 1) {
      remember_boosts(p, w, field);
      if (all == 1)
        note_single(w, field, out);
      return indicator_query(p, w, field);
    }
    /* The whole and its parts (the tokens after it inside its span). */
    size_t n = 1;
    while (n < all && p->words[n].end <= w->end)
      n++;
    return any_of(p, p->words, n, field);
  }
  select_words(p, 0);
  if (p->nwords == 1) {
    remember_boosts(p, &p->words[0], field);
    note_single(&p->words[0], field, out);
    return word_query(p, &p->words[0], field, 0);
  }
  return any_of(p, p->words, p->nwords, field);
}

/* "C:/Windows/System32" (query_ioc.c): the path "c:\windows\system32"
 * and the paths below it, or the words as written, as a phrase.  The
 * record holds the item once, as the phrase written: the backslash form
 * is not the query's own text. */
static void drive_path_item(parser *p, const item_spec *spec,
                            const char *path, size_t len, item_result *out) {
  item_spec as_path = *spec, as_written = *spec;
  item_result written;
  as_path.text = path;
  as_path.len = len;
  as_written.phrase = 1;
  query_record *record = p->record;
  p->record = NULL;
  item_build(p, &as_path, out);
  p->record = record;
  item_build(p, &as_written, &written);
  if (out->query && written.query)
    out->query = either(p, out->query, written.query);
  else if (!out->query)
    out->query = written.query;
  out->word.len = 0;
}

/* The item and its words, as the analyzer gave them, in the record. */
static void record_text_item(parser *p, const item_spec *s) {
  query_item it = {.kind = QUERY_ITEM_WORDS,
                   .flags = s->flags,
                   .start = s->start,
                   .end = s->end,
                   .value_start = s->value_start,
                   .value_end = s->value_end,
                   .field = (int)s->field};
  if (s->phrase)
    it.kind = QUERY_ITEM_PHRASE;
  else if (s->wildcard)
    it.kind = QUERY_ITEM_WILDCARD;
  else if (s->at == SIZE_MAX ||
           (p->nwords && (p->words[0].flags & CYS_TOKEN_WHOLE)))
    it.kind = QUERY_ITEM_IDENTIFIER;
  record_item(p, &it, 1, s->at);
}

void item_build(parser *p, const item_spec *spec, item_result *out) {
  char path[CYS_TOKEN_MAX * 4];
  memset(out, 0, sizeof *out);
  p->nwords = 0;
  if (p->status != CYS_OK)
    return;
  size_t n = spec->phrase || spec->exact || spec->wildcard
                 ? 0
                 : ioc_drive_path(spec->text, spec->len, path, sizeof path);
  if (n) {
    drive_path_item(p, spec, path, n, out);
    return;
  }
  cys_status st =
      cys_analyze(p->ctx->analyzer, spec->text, spec->len, collect_word, p);
  if (st != CYS_OK && p->status == CYS_OK)
    p->status = st;
  /* Past CYS_QUERY_MAX_WORDS, words are ignored. */
  size_t room = CYS_QUERY_MAX_WORDS - p->words_seen;
  if (p->nwords > room) {
    p->nwords = room;
    p->limits |= CYS_LIMIT_WORDS;
  }
  p->words_seen += p->nwords;
  record_text_item(p, spec);
  out->query = item_query(p, spec, out);
  if (!out->query)
    out->word.len = 0;
}

size_t join_designator(const char *text, size_t len, size_t start, size_t end,
                       char *buf, size_t cap) {
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
  while (i < len && ascii_is_space(text[i]))
    i++;
  for (digits = 0;
       i + digits < len && text[i + digits] >= '0' && text[i + digits] <= '9';
       digits++)
    ;
  if (digits == 0 || digits > 6 || n + digits >= cap ||
      (i + digits < len && !ascii_is_space(text[i + digits]) &&
       text[i + digits] != ')'))
    return 0;
  memcpy(buf, text + start, n);
  memcpy(buf + n, text + i, digits);
  buf[n + digits] = '\0';
  return i + digits;
}
