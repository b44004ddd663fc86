/*
 * search.c — the shared search path (see search.h): opening an index or
 * its shards, options, running a search and filling the results.  Sort
 * orders, freshness, more like this and score explanations are in
 * search_rank.c, pseudo-relevance feedback in search_feedback.c, "did you
 * mean" in search_suggest.c.
 *
 * Ranking: Xapian's BM25 over the stem terms of title and body together
 * (one "flat" field, which on SciFact beats separate fields), plus the
 * title terms again at CYS_DEFAULT_TITLE_WEIGHT, added with AND_MAYBE so
 * they re-rank without matching anything new; pseudo-relevance feedback
 * from the top hit is there to switch on (--feedback 20), off by default
 * (below).  Every choice was measured on the
 * SciFact train split (809 queries; tests/eval/scifact.sh train; the test
 * split is only for reporting), nDCG@10 / Recall@100:
 *   k1 1.2 / b 0.75, flat                  0.6848
 *   + compounds also as their parts         0.69
 *     (stemming "E2Fs" like a word: +0.001 more; not done, identifiers
 *     are never stemmed)
 *   + title weight 0.3                     0.6935 (0.6 and 1.0 hurt)
 *   + acronym term at 0.25 (US -> KUS)     0.6980
 *   k1 1.0 / b 0.75                        0.6989 (0.9/0.4 0.6871,
 *                                          1.5/0.75 0.6857: a flat optimum)
 *   (the same, re-measured 2026-11-26      0.6980 / 0.933)
 *   + feedback: 20 stems of the top hit, together 0.3 times the query's
 *     words (search_feedback.c), title weight 0.2
 *                                          0.7129 / 0.935 (not default)
 * The last step, per query against the one before: nDCG@10 up on 80
 * queries, down on 48 (paired sign-flip test p < 0.001); Recall@100 up on
 * 8, down on 5.  Feedback from one document, not ten: Xapian's expand
 * weight favours stems found in several of the feedback documents, and
 * those are common words (for "A deficiency of vitamin B12 decreases
 * blood levels of homocysteine", 3 documents give "plasma", "ci", "p",
 * "high", "was"); from one document it picks the top hit's rare words,
 * the names of what it is about ("mthfr", "folat", "methyltetrahydrofol").
 * Measured on the way (title weight 0.2 unless said):
 *   feedback off                           0.7022 / 0.930 (title 0.3:
 *                                          0.6980; 0.1 0.6978, 0.25
 *                                          0.7005; the same shape at k1
 *                                          0.8-1.2 and b 0.85)
 *   the feedback share 0.1 / 0.2 / 0.4 / 0.5
 *                                          0.7061 / 0.7110 / 0.7129 /
 *                                          0.7118
 *   10 / 30 / 40 stems                     0.7094 / 0.7112 / 0.7106
 *   from 2 / 3 docs                        0.6767 / 0.6767 (R@100 0.938
 *                                          / 0.941)
 *   title weight 0.1 / 0.3                 0.7049 / 0.7069
 *   k1 0.9 / 1.2; b 0.6 / 0.9              0.7108 / 0.7076; 0.7090 /
 *                                          0.7088
 *   a fixed weight per stem instead (the best stem at w, the others in
 *   proportion), 20 stems of the top hit:
 *     w 0.1 / 0.2 / 0.3 / 0.4              0.7069 / 0.7110 / 0.7114 /
 *                                          0.7119; at 0.3 with title 0.3
 *                                          / 0.1: 0.7063 / 0.7043, with
 *                                          k1 0.9 / 1.2: 0.7095 / 0.7071
 *     10 stems at 0.1; 40 at 0.2, 0.3      0.7051; 0.7105, 0.7098
 *     every stem at 0.1                    0.7097
 *     title stems only, at 0.3 / 0.6       0.7079 / 0.7072 (as title
 *                                          terms: 0.7043 / 0.7057)
 *     2 docs, 20 at 0.1; 3 docs, 20 at 0.05 0.6920; 0.6981
 *     10 docs, 10 stems at 0.05            0.6991; with title 0.3, at
 *                                          0.05 / 0.1 / 0.2 / 0.3:
 *                                          0.6967 / 0.6960 / 0.6884 /
 *                                          0.6868, Recall@100 up to 0.942
 *     and a second round from 10 docs (20 at 0.1) on top: 0.7115 / 0.941
 *     (Recall@100 up on 5 queries, down on none; p = 0.06: not kept)
 *   The fixed weight scored as well here, but let 20 stems outweigh a
 *   two-word query more than ten to one; the share keeps short queries close to
 *   what was typed.  Feedback added with OR instead of AND_MAYBE: the
 *   same ranking (a claim's words match nearly every abstract anyway);
 *   AND_MAYBE is kept so that feedback never adds a match.
 * Off by default because they did not help: proximity pairs (0.03:
 * 0.6985, 0.3: 0.6574); BM25+ (delta 0.25 / 0.5 / 1: 0.6986 / 0.6980 /
 * 0.6943) and BM25's min_normlen (0 and 0.25: no change, 1: 0.6928),
 * which would need the shim; dropping numbers from the claims (0.6961).
 * Why feedback is nevertheless off by default (title weight 0.3, k1 1.0,
 * b 0.75: 0.6980 / 0.933 on train): on the test split (300 queries) it
 * scores 0.6944 / 0.923 against 0.6928 / 0.919 without it — nDCG@10 up
 * on 28 queries, down on 20 (p = 0.76, no significant change), Recall@100
 * up on 1 — so the train gain did not carry over to held-out queries,
 * while its cost is certain: a second, top-1 match and an expand set per
 * search, about 2x the match time (+3 ms a query on the news corpus, +9
 * ms of CPU at 100,000 articles with exact totals, where the added stems
 * also slow the main match), and over remote shards a few hundred round
 * trips per query.  The target (0.70 / 0.93 on test) is not
 * reached either way.  On news text, where articles run
 * from a paragraph to pages, full length normalisation (b = 0.75) keeps
 * long round-ups from crowding out focused stories.
 */
#include "cysearch/search.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity_lib.h"
#include "cysearch/query.h"
#include "cysearch/schema.h"
#include "cysearch/store.h"
#include "facet_value.h"
#include "internal.h"
#include "search_internal.h"

/* A search that meets a writer's commit retries this many times. */
#define MODIFIED_RETRIES 3

cys_status search_error(cys_searcher *s, cys_status status, const char *fmt,
                        ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->message, sizeof s->message, fmt, ap);
  va_end(ap);
  return status;
}

cys_searcher *cys_searcher_new(void) {
  cys_searcher *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->bad_filter = -1;
  s->db = cys_db_new();
  if (!s->db) {
    free(s);
    return NULL;
  }
  return s;
}

void cys_searcher_free(cys_searcher *s) {
  if (!s)
    return;
  cys_db_free(s->db);
  cys_gazetteer_free(s->gazetteer);
  cys_analyzer_free(s->analyzer);
  free(s);
}

const char *cys_searcher_errmsg(const cys_searcher *s) { return s->message; }

long cys_searcher_bad_filter(const cys_searcher *s) { return s->bad_filter; }

const char *cys_searcher_language(const cys_searcher *s) {
  return s->analyzer ? cys_analyzer_language(s->analyzer) : "";
}

void cys_open_options_init(cys_open_options *o) {
  cys_db_open_params p;
  cys_db_open_params_init(&p);
  o->timeout = p.timeout_ms / 1000.0;
  o->connect_timeout = p.connect_timeout_ms / 1000.0;
  o->allow_partial = p.allow_partial;
}

/* Seconds to whole milliseconds, at least 1 unless 0 (no limit). */
static unsigned to_ms(double seconds) {
  if (!(seconds > 0.0))
    return 0;
  if (seconds > 4e6)
    return 4000000000u;
  unsigned ms = (unsigned)(seconds * 1000.0 + 0.5);
  return ms ? ms : 1;
}

cys_status cys_searcher_open(cys_searcher *s, const char *path) {
  return cys_searcher_open_shards(s, &path, 1, NULL);
}

cys_status cys_searcher_open_shards(cys_searcher *s, const char *const *paths,
                                    size_t n, const cys_open_options *o) {
  char *schema = NULL, *language = NULL;
  uint64_t docs = 0;
  cys_open_options defaults;
  if (!o) {
    cys_open_options_init(&defaults);
    o = &defaults;
  }
  if (n == 0)
    return search_error(s, CYS_INVALID, "no index given");
  /* How the index is named in messages: the path, or the shards. */
  char what[256];
  if (n == 1)
    snprintf(what, sizeof what, "index '%s'", paths[0]);
  else
    snprintf(what, sizeof what, "the %zu indexes given", n);
  cys_db_open_params p = {.timeout_ms = to_ms(o->timeout),
                          .connect_timeout_ms = to_ms(o->connect_timeout),
                          .allow_partial = o->allow_partial};
  cys_analyzer_free(s->analyzer);
  s->analyzer = NULL;
  cys_gazetteer_free(s->gazetteer);
  s->gazetteer = NULL;
  cys_status st = cys_db_open_shards(s->db, paths, n, &p);
  if (st != CYS_OK) {
    search_error(s, st, "cannot open %s: %s", what, cys_db_errmsg(s->db));
    goto done;
  }
  if ((st = cys_db_get_metadata(s->db, CYS_META_SCHEMA, &schema)) ||
      (st = cys_db_get_metadata(s->db, CYS_META_LANGUAGE, &language)) ||
      (st = cys_db_doccount(s->db, &docs))) {
    search_error(s, st, "cannot read %s: %s", what, cys_db_errmsg(s->db));
    goto done;
  }
  if (*schema == '\0' && docs > 0) {
    st = search_error(s, CYS_VERSION,
                      "%s is a Xapian index but not a cysearch index", what);
    goto done;
  }
  if (*schema && strcmp(schema, CYS_SCHEMA_VERSION) != 0) {
    st = search_error(s, CYS_VERSION,
                      "%s has schema version %s, this cysearch reads "
                      "version %s: rebuild the index with this version",
                      what, schema, CYS_SCHEMA_VERSION);
    goto done;
  }
  st = cys_analyzer_new(*language ? language : NULL, &s->analyzer);
  if (st != CYS_OK)
    search_error(s, st, "%s uses stemmer '%s', which this build lacks", what,
                 language);
done:
  free(schema);
  free(language);
  return st;
}

int cys_searcher_is_remote(const cys_searcher *s) {
  return cys_db_is_remote(s->db);
}

size_t cys_searcher_unavailable_count(const cys_searcher *s) {
  return cys_db_unavailable_count(s->db);
}

const char *cys_searcher_unavailable(const cys_searcher *s, size_t i,
                                     const char **why) {
  return cys_db_unavailable(s->db, i, why);
}

/* Note in the results which shards were left out (allow_partial). */
static cys_status mark_partial(const cys_searcher *s, cys_results *r) {
  size_t n = cys_db_unavailable_count(s->db);
  if (n == 0)
    return CYS_OK;
  r->unavailable = calloc(n, sizeof *r->unavailable);
  if (!r->unavailable)
    return CYS_NOMEM;
  r->partial = 1;
  for (; r->nunavailable < n; r->nunavailable++) {
    const char *name = cys_db_unavailable(s->db, r->nunavailable, NULL);
    if (!(r->unavailable[r->nunavailable] = strdup(name ? name : "?")))
      return CYS_NOMEM;
  }
  return CYS_OK;
}

cys_status cys_searcher_doccount(cys_searcher *s, uint64_t *out) {
  cys_status st = cys_db_doccount(s->db, out);
  if (st)
    search_error(s, st, "%s", cys_db_errmsg(s->db));
  return st;
}

static const char *const facet_names[CYS_FACETS] = {
    "country", "agency", "actor", "cve", "malware", "vendor", "source",
    "year"};

const char *cys_facet_name(unsigned facet) {
  return facet < CYS_FACETS ? facet_names[facet] : "unknown";
}

cys_status cys_facet_parse(const char *name, size_t len, unsigned *out) {
  for (unsigned f = 0; f < CYS_FACETS; f++)
    if (strlen(facet_names[f]) == len && memcmp(facet_names[f], name, len) == 0) {
      *out = f;
      return CYS_OK;
    }
  return CYS_NOT_FOUND;
}

/* The gazetteer: the built-in one plus the entities the index's indexer
 * loaded from files.  Loaded on first use, so searches without filters or
 * facets never pay for it, and lazily (entity.h), so facet labels and
 * filters by canonical value (country:CN) do not pay for its alias
 * tables either. */
static cys_status need_gazetteer(cys_searcher *s) {
  if (s->gazetteer)
    return CYS_OK;
  char *extra = NULL;
  cys_status st = cys_gazetteer_new_lazy(s->analyzer, &s->gazetteer);
  if (st)
    return search_error(s, st, "cannot load the gazetteers: %s",
                        cys_status_str(st));
  if ((st = cys_db_get_metadata(s->db, CYS_META_GAZETTEER, &extra)))
    return search_error(s, st, "cannot read index: %s", cys_db_errmsg(s->db));
  if (*extra && (st = cys_gazetteer_import_extra(s->gazetteer, extra)))
    search_error(s, st, "the index holds a damaged gazetteer: %s",
                 cys_gazetteer_errmsg(s->gazetteer));
  free(extra);
  return st;
}

cys_status cys_searcher_gazetteer(cys_searcher *s, const cys_gazetteer **out) {
  cys_status st = s->analyzer
                      ? need_gazetteer(s)
                      : search_error(s, CYS_INVALID, "no index is open");
  if (st == CYS_OK)
    *out = s->gazetteer;
  return st;
}

void cys_search_options_init(cys_search_options *o) {
  memset(o, 0, sizeof *o);
  o->limit = 10;
  o->exact_total = CYS_DEFAULT_EXACT_TOTAL;
  o->snippet_bytes = 240;
  o->bm25_k1 = CYS_DEFAULT_BM25_K1;
  o->bm25_b = CYS_DEFAULT_BM25_B;
  o->facets = 0;
  o->facet_limit = 10;
  o->title_weight = CYS_DEFAULT_TITLE_WEIGHT;
  o->proximity_weight = 0.0;
  o->feedback_terms = CYS_DEFAULT_FEEDBACK_TERMS;
  o->feedback_docs = CYS_DEFAULT_FEEDBACK_DOCS;
  o->feedback_weight = CYS_DEFAULT_FEEDBACK_WEIGHT;
  o->sort = CYS_SORT_RELEVANCE;
  o->half_life_days = CYS_DEFAULT_HALF_LIFE_DAYS;
  o->recency_weight = CYS_DEFAULT_RECENCY_WEIGHT;
  o->collapse = 1;
  o->suggest = 1;
  o->explain = 0;
  o->time_limit = 0.0;
  o->like = NULL;
  o->filters = NULL;
  o->nfilters = 0;
}

void cys_results_free(cys_results *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->nhits; i++) {
    cys_record_free(r->hits[i].record);
    free(r->hits[i].snippet);
    free(r->hits[i].spans);
    free(r->hits[i].entities);
    free(r->hits[i].kev);
    free(r->hits[i].kev_text);
    for (size_t k = 0; k < r->hits[i].nexplain; k++)
      free((char *)r->hits[i].explain[k].what);
    free(r->hits[i].explain);
  }
  free(r->hits);
  free(r->suggestion);
  for (size_t i = 0; i < r->nunavailable; i++)
    free(r->unavailable[i]);
  free(r->unavailable);
  for (unsigned f = 0; f < CYS_FACETS; f++) {
    for (size_t i = 0; i < r->facets[f].n; i++)
      free(r->facets[f].values[i].value);
    free(r->facets[f].values);
  }
  free(r);
}

/* The stored entity lines of a hit ("TYPE<TAB>VALUE<TAB>LABEL<TAB>COUNT"),
 * split into h->entities over one copy of the text. */
static cys_status hit_entities(cys_hit *h) {
  const char *text = h->record->entities;
  if (!text || !*text)
    return CYS_OK;
  size_t lines = 1, len = strlen(text);
  for (const char *p = text; *p; p++)
    lines += *p == '\n';
  /* One block: the array, then the text it points into. */
  cys_hit_entity *list = malloc(lines * sizeof *list + len + 1);
  if (!list)
    return CYS_NOMEM;
  char *copy = (char *)(list + lines);
  memcpy(copy, text, len + 1);
  size_t n = 0;
  for (char *line = copy; *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    char *f[4] = {line, NULL, NULL, NULL};
    for (int k = 1; k < 4 && f[k - 1]; k++) {
      char *tab = strchr(f[k - 1], '\t');
      if (tab) {
        *tab = '\0';
        f[k] = tab + 1;
      }
    }
    cys_entity_type type;
    if (f[3] && cys_entity_type_parse(f[0], strlen(f[0]), &type) == CYS_OK)
      list[n++] = (cys_hit_entity){type, f[1], f[2],
                                   (unsigned)strtoul(f[3], NULL, 10)};
    if (!nl)
      break;
    line = nl + 1;
  }
  h->entities = list;
  h->nentities = n;
  return CYS_OK;
}

/* A hit's CYS_SLOT_KEV value split into h->kev. */
static cys_status hit_kev(cys_hit *h, const char *value, size_t len) {
  if (!len)
    return CYS_OK;
  long n = cys_kev_value_split(value, len, NULL, 0, &h->kev_text);
  free(h->kev_text);
  h->kev_text = NULL;
  if (n < 0 || !(h->kev = calloc((size_t)n ? (size_t)n : 1, sizeof *h->kev)))
    return CYS_NOMEM;
  n = cys_kev_value_split(value, len, h->kev, (size_t)n, &h->kev_text);
  if (n < 0)
    return CYS_NOMEM;
  h->nkev = (size_t)n;
  return CYS_OK;
}

/* Copy each facet asked for, counted by the tally, into the results. */
static cys_status collect_facets(cys_searcher *s, facet_tally *tally,
                                 unsigned asked, size_t limit,
                                 cys_results *r) {
  for (unsigned f = 0; f < CYS_FACETS; f++) {
    if (!(asked & (1u << f)))
      continue;
    const facet_count *counts;
    size_t n;
    cys_status st = facet_tally_field(tally, f, &counts, &n);
    if (st != CYS_OK)
      return st;
    if (n > limit)
      n = limit;
    r->facets[f].values = calloc(n ? n : 1, sizeof *r->facets[f].values);
    if (!r->facets[f].values)
      return CYS_NOMEM;
    for (size_t i = 0; i < n; i++) {
      cys_facet_value *fv = &r->facets[f].values[r->facets[f].n];
      fv->value = strdup(counts[i].value);
      if (!fv->value)
        return CYS_NOMEM;
      fv->count = counts[i].count;
      fv->label = fv->value;
      if (f < CYS_ENTITY_TYPES && s->gazetteer) {
        const cys_entity *e =
            cys_gazetteer_find(s->gazetteer, (cys_entity_type)f, fv->value);
        if (e)
          fv->label = e->label;
      }
      r->facets[f].n++;
    }
  }
  return CYS_OK;
}

/* Tally the counted values of the search (facet_value.h). */
static cys_status tally_counts(const cys_mset *mset, unsigned asked,
                               int per_story, facet_tally **out) {
  facet_tally *t = facet_tally_new(asked, per_story);
  if (!t)
    return CYS_NOMEM;
  cys_status st = CYS_OK;
  for (size_t i = 0, n = cys_mset_count_size(mset); i < n && !st; i++) {
    const char *v;
    size_t len;
    uint64_t count;
    cys_mset_count_get(mset, i, &v, &len, &count);
    st = facet_tally_add(t, v, len, count);
  }
  if (st != CYS_OK) {
    facet_tally_free(t);
    return st;
  }
  *out = t;
  return CYS_OK;
}

/* The matches whose collapse key is key[0..len): from the counted values,
 * which are in byte order and lead with the key. */
static uint64_t story_matches(const cys_mset *mset, const char *key,
                              size_t len) {
  size_t lo = 0, hi = cys_mset_count_size(mset);
  while (lo < hi) { /* the first value not below key */
    size_t mid = lo + (hi - lo) / 2;
    const char *v;
    size_t vlen;
    uint64_t count;
    cys_mset_count_get(mset, mid, &v, &vlen, &count);
    int c = memcmp(v, key, vlen < len ? vlen : len);
    if (c < 0 || (c == 0 && vlen < len))
      lo = mid + 1;
    else
      hi = mid;
  }
  uint64_t total = 0;
  for (size_t i = lo, n = cys_mset_count_size(mset); i < n; i++) {
    const char *v;
    size_t vlen;
    uint64_t count;
    cys_mset_count_get(mset, i, &v, &vlen, &count);
    if (facet_value_key_len(v, vlen) != len || memcmp(v, key, len) != 0)
      break;
    total += count;
  }
  return total;
}

/* The parsed query with its boosts, as the options ask: the main query,
 * AND_MAYBE the scaled title boost, AND_MAYBE the scaled proximity boost,
 * so that they add weight to the documents the main query matches and
 * match nothing by themselves.  (The shim splits a right-hand side with
 * phrases or NEAR pairs under an OR into one AND_MAYBE each: Xapian
 * 1.4.22 would weigh them without checking positions; see
 * and_maybe_each in xapian_shim_query.cc.) */
static cys_status ranking_query(const cys_parsed_query *pq,
                                const cys_search_options *o,
                                cys_query **out) {
  cys_query *q = NULL, *boost = NULL, *next = NULL;
  cys_status st = cys_query_new_combined(
      CYS_OP_AND, (cys_query *const[]){pq->query}, 1, 0, &q);
  const cys_query *boosts[2] = {pq->title_boost, pq->proximity_boost};
  const double weights[2] = {o->title_weight, o->proximity_weight};
  for (int k = 0; k < 2 && st == CYS_OK; k++) {
    if (!boosts[k] || !(weights[k] > 0))
      continue;
    st = cys_query_new_scaled(boosts[k], weights[k], &boost);
    if (st == CYS_OK)
      st = cys_query_new_combined(CYS_OP_AND_MAYBE,
                                  (cys_query *const[]){q, boost}, 2, 0, &next);
    cys_query_free(boost);
    boost = NULL;
    if (st == CYS_OK) {
      cys_query_free(q);
      q = next;
    }
  }
  if (st == CYS_OK)
    *out = q;
  else
    cys_query_free(q);
  return st;
}

/* What one search runs: the parsed text, and for options.like the query
 * of articles like that one, with its stems to highlight. */
typedef struct plan {
  const cys_parsed_query *pq;
  const char *text;
  cys_query *like;
  cys_query_terms like_terms;
} plan;

/* The query to run, before the freshness weight: the like query narrowed
 * by the text, or the text's query with its boosts and feedback. */
static cys_status plan_query(cys_searcher *s, const plan *p,
                             const cys_search_options *o,
                             const cys_match_params *mp, cys_query **out) {
  const cys_parsed_query *pq = p->pq;
  if (p->like && cys_query_is_empty(pq->query))
    return cys_query_new_combined(CYS_OP_AND, (cys_query *const[]){p->like},
                                  1, 0, out);
  if (p->like)
    return cys_query_new_combined(CYS_OP_AND,
                                  (cys_query *const[]){p->like, pq->query}, 2,
                                  0, out);
  cys_status st = ranking_query(pq, o, out);
  if (st == CYS_OK && o->feedback_terms > 0 && pq->has_text)
    st = search_add_feedback(
        s, o, mp, pq->highlight.nstems + pq->highlight.nexacts, out);
  return st;
}

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* What is left of the time limit for the last match, after the ones that
 * prepared it (feedback, the best score for recency) took their share:
 * the limit bounds the whole search.  Never 0, which is no limit. */
static double time_left(double limit, double started) {
  double left = limit - (now_seconds() - started);
  return left > 1e-9 ? left : 1e-9;
}

/* One attempt at the search; CYS_MODIFIED means the caller may reopen and
 * try again. */
static cys_status run(cys_searcher *s, const plan *p,
                      const cys_search_options *o, cys_results *r,
                      int *snippets_cut) {
  const cys_parsed_query *pq = p->pq;
  cys_match_params mp;
  cys_match_params_init(&mp);
  mp.first = o->offset > UINT32_MAX ? UINT32_MAX : (uint32_t)o->offset;
  mp.max = o->limit > UINT32_MAX ? UINT32_MAX : (uint32_t)o->limit;
  mp.check_at_least = o->exact_total;
  mp.bm25_k1 = o->bm25_k1;
  mp.bm25_b = o->bm25_b;
  /* One count serves facets, exact story totals and copies per story:
   * of the facet value (which leads with the collapse key) when facets are
   * asked for, else of the collapse key alone. */
  mp.count_values = o->facets != 0 || o->collapse;
  mp.count_slot = o->facets ? CYS_SLOT_FACETS : CYS_SLOT_COLLAPSE;
  mp.time_limit = o->time_limit;
  double started = now_seconds();
  mp.sort_by_value = o->sort == CYS_SORT_DATE;
  mp.sort_slot = CYS_SLOT_DATE;
  mp.collapse = o->collapse;
  mp.collapse_slot = CYS_SLOT_COLLAPSE;
  cys_query *query = NULL;
  cys_status st = plan_query(s, p, o, &mp, &query);
  if (st == CYS_OK && o->sort == CYS_SORT_RECENT)
    st = search_add_recency(s, o, &mp, &query);
  if (st != CYS_OK) {
    cys_query_free(query);
    return st == CYS_NOMEM ? st
                           : search_error(s, st, "search failed: %s",
                                          cys_db_errmsg(s->db));
  }
  cys_mset *mset = NULL;
  if (o->time_limit > 0.0)
    mp.time_limit = time_left(o->time_limit, started);
  st = cys_db_search(s->db, query, &mp, &mset);
  if (st != CYS_OK) {
    cys_query_free(query);
    return search_error(s, st, "search failed: %s", cys_db_errmsg(s->db));
  }
  facet_tally *tally = NULL;
  if (mp.count_values &&
      ((st = tally_counts(mset, o->facets, o->collapse, &tally)) ||
       (st = collect_facets(s, tally, o->facets, o->facet_limit, r)))) {
    facet_tally_free(tally);
    cys_query_free(query);
    cys_mset_free(mset);
    return st;
  }
  /* With collapsing, the total counts stories: exact when every match was
   * counted, else the estimated matches times the share of stories among
   * the matches counted. */
  int stories_exact = o->collapse && cys_mset_counted_all(mset);
  uint64_t est, lo, hi;
  cys_mset_totals(mset, &est, &lo, &hi);
  r->total = est;
  r->total_exact = lo == hi;
  if (o->collapse) {
    uint64_t stories = facet_tally_stories(tally);
    uint64_t matches = facet_tally_matches(tally);
    r->total_exact = stories_exact;
    r->total = stories_exact || matches == 0
                   ? stories
                   : (uint64_t)((double)est * (double)stories /
                                    (double)matches +
                                0.5);
  }
  facet_tally_free(tally);
  size_t n = cys_mset_size(mset);
  r->hits = calloc(n ? n : 1, sizeof *r->hits);
  if (!r->hits) {
    cys_query_free(query);
    cys_mset_free(mset);
    return CYS_NOMEM;
  }
  const cys_query_terms *highlight = p->like ? &p->like_terms : &pq->highlight;
  for (size_t i = 0; i < n && st == CYS_OK; i++) {
    cys_mset_item item;
    cys_hit *h = &r->hits[i];
    st = cys_mset_item_get(mset, i, &item);
    if (st != CYS_OK) {
      search_error(s, st, "cannot read a result: %s", cys_db_errmsg(s->db));
      break;
    }
    r->nhits = i + 1;
    h->rank = item.rank + 1;
    h->score = item.score;
    h->duplicates = item.collapsed;
    if (stories_exact) {
      uint64_t copies = story_matches(mset, item.collapse_key,
                                      item.collapse_key_len);
      if (copies > 0)
        h->duplicates = (uint32_t)(copies - 1);
    }
    st = cys_store_decode(item.data, item.data_len, &h->record);
    if (st == CYS_CORRUPT) {
      search_error(s, st,
                   "index is corrupt: the stored article of document %u is "
                   "damaged (check the index; rebuild or restore it)",
                   (unsigned)item.docid);
      break;
    }
    if (st == CYS_OK)
      st = hit_entities(h);
    if (st == CYS_OK)
      st = hit_kev(h, item.kev, item.kev_len);
    /* Snippets are part of the search's time: past the limit, the
     * remaining hits come without one and the results say so. */
    if (st == CYS_OK && o->snippet_bytes > 0 && o->time_limit > 0.0 &&
        !*snippets_cut && now_seconds() - started >= o->time_limit)
      *snippets_cut = 1;
    if (st == CYS_OK && o->snippet_bytes > 0 && !*snippets_cut) {
      const cys_article *a = &h->record->article;
      const char *text = a->body ? a->body : a->title ? a->title : "";
      st = cys_snippet_make(s->analyzer, highlight, text, strlen(text),
                            o->snippet_bytes, &h->snippet, &h->spans,
                            &h->nspans);
    }
    if (st == CYS_OK && o->explain)
      st = search_explain_hit(s, query, item.docid, &mp,
                              p->like ? NULL : p->text, h);
  }
  cys_query_free(query);
  cys_mset_free(mset);
  return st;
}

static int term_exists(void *ctx, const char *term, size_t len) {
  cys_searcher *s = ctx;
  uint64_t n = 0;
  return cys_db_termfreq(s->db, term, len, &n) == CYS_OK && n > 0;
}

/* The index's terms under a prefix, for the words a wildcard stands for. */
static cys_status each_term(void *ctx, const char *prefix, size_t len,
                            cys_term_fn fn, void *fn_ctx) {
  cys_searcher *s = ctx;
  return cys_db_terms(s->db, prefix, len, fn, fn_ctx);
}

cys_status cys_search(cys_searcher *s, const char *query,
                      const cys_search_options *o, cys_results **out) {
  if (!s->analyzer)
    return search_error(s, CYS_INVALID, "the index is not open");
  /* Both weigh documents with code of ours (a posting source) that a
   * stock xapian-tcpsrv cannot unserialise. */
  if (cys_db_is_remote(s->db) && o->sort == CYS_SORT_RECENT)
    return search_error(s, CYS_INVALID,
                        "sorting by recency is not available with remote "
                        "shards (xapian-tcpsrv cannot run the freshness "
                        "weight); sort by date or by relevance");
  if (cys_db_is_remote(s->db) && o->explain)
    return search_error(s, CYS_INVALID,
                        "explanations are not available with remote shards "
                        "(xapian-tcpsrv cannot weigh one document alone); "
                        "explain on a local copy of the index");
  cys_status st = CYS_OK;
  s->bad_filter = -1;
  if ((o->facets || o->nfilters || strchr(query, ':')) &&
      (st = need_gazetteer(s)))
    return st;
  cys_query_context ctx = {.analyzer = s->analyzer,
                           .gazetteer = s->gazetteer,
                           .term_exists = term_exists,
                           .each_term = each_term,
                           .term_ctx = s,
                           .guard_positional = !cys_db_is_remote(s->db)};
  cys_parsed_query *pq = NULL;
  char error[512];
  st = cys_query_parse(&ctx, query, strlen(query), &pq, error, sizeof error);
  if (st != CYS_OK)
    return search_error(s, st, "%s", error);
  if ((st = search_apply_filters(s, &ctx, o, pq)) != CYS_OK) {
    cys_parsed_query_free(pq);
    return st == CYS_NOMEM ? search_error(s, st, "out of memory") : st;
  }
  plan p = {.pq = pq, .text = query};
  if (o->like &&
      (st = search_like_query(s, o->like, &p.like, &p.like_terms.stems,
                              &p.like_terms.nstems))) {
    cys_parsed_query_free(pq);
    return st;
  }
  cys_results *r = NULL;
  int reconnected = 0, snippets_cut = 0;
  for (int attempt = 0; attempt <= MODIFIED_RETRIES; attempt++) {
    cys_results_free(r);
    r = calloc(1, sizeof *r);
    if (!r) {
      st = CYS_NOMEM;
      break;
    }
    snippets_cut = 0;
    st = run(s, &p, o, r, &snippets_cut);
    if ((st == CYS_NETWORK || st == CYS_TIMEOUT) && !reconnected &&
        cys_db_is_remote(s->db)) {
      /* A remote shard failed after it was opened: open every shard
       * again, once.  One still down is then named (or, with
       * allow_partial, left out and the results say so). */
      reconnected = 1;
      cys_status rc = cys_db_reconnect(s->db);
      if (rc != CYS_OK) {
        st = search_error(s, rc, "a shard failed during the search: %s",
                          cys_db_errmsg(s->db));
        break;
      }
      continue;
    }
    if (st != CYS_MODIFIED)
      break;
    /* A writer committed underneath us: move to its revision and retry. */
    if (cys_db_reopen(s->db) != CYS_OK)
      break;
  }
  if (st == CYS_OK) {
    r->warning = cys_query_limits_note(
        pq->limits | (snippets_cut ? CYS_LIMIT_SNIPPET_TIME : 0u));
    st = mark_partial(s, r);
  }
  /* A suggestion is a bonus: failing to find one is not an error. */
  if (st == CYS_OK && o->suggest && !o->like && pq->has_text &&
      search_suggest(s, &ctx, o, query, &r->suggestion) == CYS_NOMEM)
    st = CYS_NOMEM;
  cys_parsed_query_free(pq);
  cys_query_free(p.like);
  for (size_t i = 0; i < p.like_terms.nstems; i++)
    free(p.like_terms.stems[i]);
  free(p.like_terms.stems);
  if (st != CYS_OK) {
    if (st == CYS_NOMEM)
      search_error(s, st, "out of memory");
    cys_results_free(r);
    return st;
  }
  *out = r;
  return CYS_OK;
}
