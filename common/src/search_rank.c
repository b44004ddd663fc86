/*
 * search_rank.c — the orders and views of a search beyond plain BM25:
 * sort names, the freshness weight of "recent", more like this, and the
 * per-hit explanation of a score.
 *
 * Freshness ("--sort recent").  Each hit gains
 *     bonus = R * S * 2^(-age / H)
 * where S is the best score of the query without the bonus, R =
 * CYS_DEFAULT_RECENCY_WEIGHT (0.5), H = CYS_DEFAULT_HALF_LIFE_DAYS (180)
 * and age is the number of days between the hit's date and the newest date
 * in the index.  It is a Xapian PostingSource over the date slot, added
 * with AND_MAYBE, so it re-ranks the matches and never adds one; undated
 * articles get no bonus.
 *   - Relative to S, because BM25 scores have no fixed scale: one rare
 *     word scores 5, a five-word query 25; a fixed bonus would swamp the
 *     first and vanish in the second.  With R = 0.5, an article of the
 *     newest date outranks an equally relevant one a year older (which
 *     keeps 0.125 S) and one that is up to about 1.4 times as relevant;
 *     two stories from the same month still rank by relevance.
 *   - Relative to the newest article in the index, not to today: an index
 *     is often an archive (the news corpus ends in 2021), and measured from
 *     today every article of it would be ten half-lives old and the order
 *     would be plain relevance.  For an index fed daily the newest article
 *     is today anyway, and results do not change with the clock, so tests
 *     and bookmarks are reproducible.
 *   - 180 days: security news stays relevant for months (a campaign, a
 *     vulnerability being exploited), not for days; half a year means last
 *     month's report keeps ~90% of the bonus and last year's ~25%.
 */
#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "query_internal.h"
#include "search_rank.h"

/* Stems asked of Xapian's expand set for "like": enough to describe a
 * story (its names, products, techniques), few enough to stay specific. */
#define LIKE_TERMS 20

static const char *const sort_names[] = {"relevance", "date", "recent",
                                         "oldest"};

cys_status cys_sort_parse(const char *name, cys_sort *out) {
  for (unsigned i = 0; i < sizeof sort_names / sizeof *sort_names; i++)
    if (strcmp(name, sort_names[i]) == 0) {
      *out = (cys_sort)i;
      return CYS_OK;
    }
  return CYS_NOT_FOUND;
}

const char *cys_sort_name(cys_sort sort) {
  return (unsigned)sort < sizeof sort_names / sizeof *sort_names
             ? sort_names[sort]
             : "unknown";
}

cys_status search_add_recency(cys_searcher *s, const cys_search_options *o,
                              const cys_match_params *mp, cys_query **query) {
  char *newest = NULL;
  cys_mset *top = NULL;
  cys_query *decay = NULL, *combined = NULL;
  cys_status st = cys_db_value_max(s->db, CYS_SLOT_DATE, &newest);
  if (st != CYS_OK || strlen(newest) < 8)
    goto done; /* no dated article: nothing to be fresh about */
  /* The best score without the bonus: one hit, nothing counted. */
  cys_match_params best;
  cys_match_params_init(&best);
  best.max = 1;
  best.bm25_k1 = mp->bm25_k1;
  best.bm25_b = mp->bm25_b;
  best.time_limit = mp->time_limit;
  if ((st = cys_db_search(s->db, *query, &best, &top)))
    goto done;
  double score = 0.0;
  cys_mset_item item;
  if (cys_mset_size(top) > 0 && (st = cys_mset_item_get(top, 0, &item)))
    goto done;
  if (cys_mset_size(top) > 0)
    score = item.score;
  if (score <= 0.0)
    score = 1.0; /* only filters: freshness alone orders the matches */
  if ((st = cys_query_new_date_decay(CYS_SLOT_DATE, newest, o->half_life_days,
                                     o->recency_weight * score, &decay)))
    goto done;
  cys_query *pair[2] = {*query, decay};
  if ((st = cys_query_new_combined(CYS_OP_AND_MAYBE, pair, 2, 0, &combined)))
    goto done;
  cys_query_free(*query);
  *query = combined;
done:
  if (st != CYS_OK && st != CYS_NOMEM)
    search_error(s, st, "cannot rank by freshness: %s", cys_db_errmsg(s->db));
  cys_query_free(decay);
  cys_mset_free(top);
  free(newest);
  return st;
}

/* "Q" + id, the article's unique term; 0 when the id cannot be one. */
static size_t id_term(const char *id, char out[CYS_TERM_MAX + 1]) {
  size_t n = strlen(id);
  if (n == 0 || n + 1 > CYS_TERM_MAX)
    return 0;
  out[0] = CYS_PREFIX_ID[0];
  memcpy(out + 1, id, n);
  return n + 1;
}

cys_status search_like_query(cys_searcher *s, const char *id, cys_query **out,
                             char ***stems, size_t *nstems) {
  char idterm[CYS_TERM_MAX + 1];
  size_t idlen = id_term(id, idterm);
  cys_docid docid = 0;
  char **terms = NULL;
  double *weights = NULL;
  size_t n = 0, k = 0;
  cys_query **parts = NULL, *any = NULL, *self = NULL;
  char **words = NULL;
  cys_status st = idlen ? cys_db_find(s->db, idterm, idlen, &docid) : CYS_OK;
  if (st != CYS_OK)
    return search_error(s, st, "cannot look up article '%s': %s", id,
                        cys_db_errmsg(s->db));
  if (!docid)
    return search_error(s, CYS_NOT_FOUND, "no article with id '%s' in the "
                                          "index", id);
  st = cys_db_doc_terms(s->db, docid, LIKE_TERMS, CYS_PREFIX_STEM, &terms,
                        &weights, &n);
  if (st != CYS_OK)
    return search_error(s, st, "cannot read article '%s': %s", id,
                        cys_db_errmsg(s->db));
  parts = calloc(n + 1, sizeof *parts);
  words = calloc(n + 1, sizeof *words);
  if (!parts || !words)
    st = CYS_NOMEM;
  size_t plen = strlen(CYS_PREFIX_STEM);
  for (; k < n && st == CYS_OK; k++) {
    st = cys_query_new_term(terms[k], strlen(terms[k]), 1, 0, &parts[k]);
    if (st == CYS_OK && !(words[k] = strdup(terms[k] + plen)))
      st = CYS_NOMEM;
  }
  /* An article with no stems at all (only identifiers) matches nothing. */
  if (st == CYS_OK)
    st = n ? cys_query_new_combined(CYS_OP_OR, parts, n, 0, &any)
           : cys_query_new_none(&any);
  if (st == CYS_OK)
    st = cys_query_new_term(idterm, idlen, 1, 0, &self);
  if (st == CYS_OK)
    st = cys_query_new_combined(CYS_OP_AND_NOT,
                                (cys_query *const[]){any, self}, 2, 0, out);
  for (size_t i = 0; i < k; i++)
    cys_query_free(parts[i]);
  free(parts);
  cys_query_free(any);
  cys_query_free(self);
  cys_expand_free(terms, weights, n);
  if (st == CYS_OK) {
    *stems = words;
    *nstems = n;
  } else {
    for (size_t i = 0; words && i < n; i++)
      free(words[i]);
    free(words);
    search_error(s, st, "cannot build the query for articles like '%s'", id);
  }
  return st;
}

/* ---- explain ---------------------------------------------------------- */

/* The first word of the query's text items with this stem, copied to
 * word, or NULL: a matched stem is shown as the word typed ("hospital",
 * not "hospit").  The words are those of the parser's record, r (NULL for
 * more like this): not the names of fields, filter values or operators. */
static const char *typed_word(const query_record *r, const char *stem,
                              char word[CYS_TOKEN_MAX + 1]) {
  size_t n = strlen(stem);
  for (size_t i = 0; r && i < r->nitems; i++) {
    const query_item *it = &r->items[i];
    for (size_t k = 0; k < it->nterms; k++) {
      const qword *w = &r->terms[it->first_term + k];
      if (w->stem_len == n && memcmp(w->stem, stem, n) == 0) {
        memcpy(word, w->exact, w->exact_len);
        word[w->exact_len] = '\0';
        return word;
      }
    }
  }
  return NULL;
}

/* The term without its prefix (prefixes are upper-case ASCII; words are
 * case-folded), and the field that prefix stands for. */
static const char *strip_prefix(const char *term, const char **field) {
  if (strncmp(term, CYS_PREFIX_TITLE_STEM, 2) == 0) {
    *field = "title";
    return term + 2;
  }
  switch (term[0]) {
  case 'S':
    *field = "title";
    return term + 1;
  case 'K':
    *field = "acronym";
    return term + 1;
  case 'Z':
    *field = "text";
    return term + 1;
  default:
    *field = "text";
    return term;
  }
}

/* One explanation: what was matched, as people write it.  With the query
 * text known (have_text), a stem that none of its words has was added by
 * pseudo-relevance feedback. */
static char *describe(const cys_explain_item *it, const query_record *r,
                      int have_text, const char **field) {
  const char *terms = it->terms;
  if (it->kind == CYS_UNIT_SOURCE) {
    *field = "recency"; /* the only source */
    return strdup(terms);
  }
  size_t cap = strlen(terms) + 1, len = 0;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  const char *f = "text";
  int added = 0;
  for (const char *p = terms; *p;) {
    const char *sp = strchr(p, ' ');
    size_t n = sp ? (size_t)(sp - p) : strlen(p);
    char term[CYS_TERM_MAX + 1];
    if (n > CYS_TERM_MAX)
      n = CYS_TERM_MAX;
    memcpy(term, p, n);
    term[n] = '\0';
    const char *word = strip_prefix(term, &f);
    char typed[CYS_TOKEN_MAX + 1];
    if (term[0] == 'Z') { /* a stem: the query word it came from */
      const char *from = typed_word(r, word, typed);
      if (from)
        word = from;
      else if (have_text && it->kind == CYS_UNIT_TERM &&
               strcmp(f, "text") == 0)
        added = 1;
    }
    size_t wl = strlen(word);
    if (len + wl + 2 > cap) {
      char *bigger = realloc(out, len + wl + 2);
      if (!bigger) {
        free(out);
        return NULL;
      }
      out = bigger;
      cap = len + wl + 2;
    }
    if (len)
      out[len++] = ' ';
    memcpy(out + len, word, wl);
    len += wl;
    p += n;
    while (*p == ' ')
      p++;
  }
  out[len] = '\0';
  if (it->kind == CYS_UNIT_PHRASE)
    *field = strcmp(f, "title") == 0 ? "title" : "phrase";
  else if (it->kind == CYS_UNIT_NEAR)
    *field = "proximity";
  else
    *field = added ? "feedback" : f;
  return out;
}

cys_status search_explain_hit(cys_searcher *s, const cys_query *query,
                              cys_docid docid, const cys_match_params *mp,
                              const cys_parsed_query *pq, cys_hit *h) {
  cys_explain_item *items = NULL;
  size_t n = 0;
  cys_status st = cys_db_explain(s->db, query, docid, mp, &items, &n);
  if (st != CYS_OK) {
    search_error(s, st, "cannot explain a hit: %s", cys_db_errmsg(s->db));
    return st;
  }
  h->explain = calloc(n ? n : 1, sizeof *h->explain);
  if (!h->explain)
    st = CYS_NOMEM;
  for (size_t i = 0; i < n && st == CYS_OK; i++) {
    cys_explain *e = &h->explain[i];
    char *what =
        describe(&items[i], pq ? pq->record : NULL, pq != NULL, &e->field);
    if (!what) {
      st = CYS_NOMEM;
      break;
    }
    e->what = what;
    e->weight = items[i].weight;
    h->nexplain = i + 1;
  }
  cys_explain_free(items, n);
  return st;
}
