/*
 * search.c — running a search (see search.h): the plan (parsed text or
 * "more like this"), the match and filling the results.  The searcher
 * handle is in searcher.c, counts and facets in search_count.c, reading
 * hits in search_results.c, sort orders, freshness, more like this and
 * score explanations in search_rank.c, pseudo-relevance feedback in
 * search_feedback.c, "did you mean" in search_suggest.c.
 *
 * Ranking: Xapian's BM25 (k1 1.0, b 0.75) over the stem terms of title and
 * body as one flat field, plus the title terms again at
 * CYS_DEFAULT_TITLE_WEIGHT (0.3), added with AND_MAYBE so they re-rank and
 * never add a match; a word in capitals also matches its acronym term at
 * 0.25 (query_item.c).  Chosen on the SciFact train split: 0.6980 nDCG@10
 * / 0.933 Recall@100 (test split 0.6928 / 0.919).  Feedback (--feedback,
 * experimental) is off by default and proximity pairs were removed:
 * proximity lowered nDCG@10; feedback's train gain (+0.015) did not carry
 * over to the test split (+0.002, not significant) and it doubles the
 * match time.  Every measurement, and what was tried and dropped:
 * docs/ranking.md.
 */
#include "cysearch/search.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity_lib.h"
#include "cysearch/query.h"
#include "cysearch/schema.h"
#include "search_count.h"
#include "search_feedback.h"
#include "search_filter.h"
#include "search_rank.h"
#include "search_results.h"
#include "search_suggest.h"
#include "searcher.h"
#include "snippet.h"

/* A search that meets a writer's commit retries this many times. */
#define MODIFIED_RETRIES 3

void cys_search_options_init(cys_search_options *o) {
  memset(o, 0, sizeof *o);
  o->limit = 10;
  o->exact_total = CYS_DEFAULT_EXACT_TOTAL;
  o->snippet_bytes = 240;
  o->bm25_k1 = CYS_DEFAULT_BM25_K1;
  o->bm25_b = CYS_DEFAULT_BM25_B;
  o->facets = 0;
  o->facet_limit = 10;
  o->facet_sample = CYS_DEFAULT_FACET_SAMPLE;
  o->title_weight = CYS_DEFAULT_TITLE_WEIGHT;
  o->feedback_terms = CYS_DEFAULT_FEEDBACK_TERMS;
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
  o->timeline = CYS_TIMELINE_NONE;
  o->timeline_facet = -1;
  o->facet_dates = 0;
  o->brief = 0;
  o->docids = NULL;
  o->ndocids = 0;
}

/* The parsed query with its title boost, as the options ask: the main
 * query AND_MAYBE the scaled boost, so that it adds weight to the
 * documents the main query matches and matches nothing by itself. */
static cys_status ranking_query(const cys_parsed_query *pq,
                                const cys_search_options *o,
                                cys_query **out) {
  cys_query *q = NULL, *boost = NULL, *next = NULL;
  cys_status st = cys_query_new_combined(
      CYS_OP_AND, (cys_query *const[]){pq->query}, 1, 0, &q);
  if (st == CYS_OK && pq->title_boost && o->title_weight > 0) {
    st = cys_query_new_scaled(pq->title_boost, o->title_weight, &boost);
    if (st == CYS_OK)
      st = cys_query_new_combined(CYS_OP_AND_MAYBE,
                                  (cys_query *const[]){q, boost}, 2, 0, &next);
    cys_query_free(boost);
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

/* The matches the match examines at least (Xapian's check_at_least): what
 * the options ask to count exactly, and for facets their sample. */
static uint32_t matches_to_examine(const cys_search_options *o) {
  /* At least one: a page of no hits (limit 0) examines nothing else, and
   * Xapian's estimate of a filtered query can then be 0 while articles
   * match ("No articles match" would be false). */
  uint32_t n = o->exact_total > 0 ? o->exact_total : 1;
  if (o->facets && o->facet_sample > n)
    n = o->facet_sample;
  return n;
}

/* A search that ranks nothing and counts every match (a timeline, or
 * totals and facets alone) needs no weights: the query scaled to 0 makes
 * Xapian match it as a boolean query, computing no score per match.  The
 * same documents match.  *query is replaced. */
static cys_status unweighted(cys_query **query) {
  cys_query *boolean = NULL;
  cys_status st = cys_query_new_scaled(*query, 0.0, &boolean);
  if (st == CYS_OK) {
    cys_query_free(*query);
    *query = boolean;
  }
  return st;
}

/* A search that counts every match and also ranks a page (a timeline or
 * --exact with hits) runs two matches of the query: an unweighted one
 * that counts every match, as a search with no page does, into *counted,
 * and then the ranked one, which examines only what its page needs
 * (mp is changed for it).  One ranked match that counted every match also
 * kept every match as a candidate for the page (Xapian keeps
 * check_at_least of them), which cost more than the counting
 * (tests/bench/timeline.sh).  The page is the same: every ranked match
 * weighs every matching document (xapian_shim_weight.cc).  Not over
 * remote shards, whose ranking prunes (Xapian's own BM25): there counting
 * every match in the ranked match keeps the pruning off. */
static cys_status count_apart(cys_searcher *s, const cys_query *query,
                              cys_match_params *mp, cys_mset **counted) {
  cys_query *boolean = NULL;
  cys_status st = cys_query_new_scaled(query, 0.0, &boolean);
  if (st != CYS_OK)
    return st;
  cys_match_params counting = *mp;
  counting.first = 0;
  counting.max = 0;
  counting.collapse = 0;
  counting.sort_by_value = 0;
  st = cys_db_search(s->db, boolean, &counting, counted);
  cys_query_free(boolean);
  mp->count_values = 0;
  mp->check_at_least = 0;
  return st;
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
  mp.check_at_least = matches_to_examine(o);
  mp.bm25_k1 = o->bm25_k1;
  mp.bm25_b = o->bm25_b;
  /* One count serves facets, exact story totals and copies per story:
   * of the facet value (which leads with the collapse key) when facets are
   * asked for, else of the collapse key alone. */
  int timeline = o->timeline != CYS_TIMELINE_NONE;
  mp.count_values = o->facets != 0 || o->collapse || timeline;
  const int counts_values = mp.count_values; /* whichever match counts */
  mp.count_slot = o->facets || (timeline && o->timeline_facet >= 0)
                      ? CYS_SLOT_FACETS
                      : CYS_SLOT_COLLAPSE;
  /* A timeline counts the matches examined by date (search_timeline.c):
   * every match with exact_total CYS_COUNT_ALL. */
  mp.count_dated = timeline || (o->facets && o->facet_dates);
  mp.date_slot = CYS_SLOT_DATE;
  mp.time_limit = o->time_limit;
  double started = now_seconds();
  mp.sort_by_value = o->sort == CYS_SORT_DATE || o->sort == CYS_SORT_OLDEST;
  mp.sort_ascending = o->sort == CYS_SORT_OLDEST;
  mp.sort_slot = CYS_SLOT_DATE;
  mp.collapse = o->collapse;
  mp.collapse_slot = CYS_SLOT_COLLAPSE;
  cys_query *query = NULL;
  cys_status st = plan_query(s, p, o, &mp, &query);
  if (st == CYS_OK && o->sort == CYS_SORT_RECENT)
    st = search_add_recency(s, o, &mp, &query);
  if (st == CYS_OK && mp.max == 0 && o->exact_total == CYS_COUNT_ALL)
    st = unweighted(&query);
  if (st != CYS_OK) {
    cys_query_free(query);
    return st == CYS_NOMEM ? st
                           : search_error(s, st, "search failed: %s",
                                          cys_db_errmsg(s->db));
  }
  cys_mset *mset = NULL, *counted = NULL;
  if (o->time_limit > 0.0)
    mp.time_limit = time_left(o->time_limit, started);
  if (mp.max > 0 && mp.count_values && o->exact_total == CYS_COUNT_ALL &&
      !cys_db_is_remote(s->db)) {
    st = count_apart(s, query, &mp, &counted);
    if (o->time_limit > 0.0)
      mp.time_limit = time_left(o->time_limit, started);
  }
  if (st == CYS_OK)
    st = cys_db_search(s->db, query, &mp, &mset);
  if (st == CYS_OK && counted)
    cys_mset_adopt_counts(mset, counted);
  cys_mset_free(counted);
  if (st != CYS_OK) {
    cys_query_free(query);
    return search_error(s, st, "search failed: %s", cys_db_errmsg(s->db));
  }
  int stories_exact = 0;
  st = search_count(s, mset, counts_values, o, r, &stories_exact);
  size_t n = cys_mset_size(mset);
  if (st == CYS_OK && !(r->hits = calloc(n ? n : 1, sizeof *r->hits)))
    st = CYS_NOMEM;
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
    /* Copies among the ranked pool, or among the matches counted: both
     * are at least the story's copies, and the second is exact when every
     * match was counted (stories_exact). */
    h->duplicates = item.collapsed;
    if (item.collapse_key_len < sizeof h->story)
      memcpy(h->story, item.collapse_key, item.collapse_key_len);
    if (o->collapse && item.collapse_key_len > 0) {
      uint64_t copies = search_story_copies(mset, item.collapse_key,
                                            item.collapse_key_len);
      if (copies > 0 && (stories_exact || copies - 1 > h->duplicates))
        h->duplicates = copies - 1 > UINT32_MAX ? UINT32_MAX
                                                : (uint32_t)(copies - 1);
    }
    st = o->brief ? search_hit_read_brief(s, &item, h)
                  : search_hit_read(s, &item, h);
    /* Snippets are part of the search's time: past the limit, the
     * remaining hits come without one and the results say so. */
    if (st == CYS_OK && o->snippet_bytes > 0 && o->time_limit > 0.0 &&
        !*snippets_cut && now_seconds() - started >= o->time_limit)
      *snippets_cut = 1;
    if (st == CYS_OK && o->snippet_bytes > 0 && !o->brief &&
        !*snippets_cut) {
      const cys_article *a = &h->record->article;
      const char *text = a->body ? a->body : a->title ? a->title : "";
      st = cys_snippet_make(s->analyzer, highlight, text, strlen(text),
                            o->snippet_bytes, &h->snippet, &h->spans,
                            &h->nspans);
    }
    if (st == CYS_OK && o->explain)
      st = search_explain_hit(s, query, item.docid, &mp,
                              p->like ? NULL : pq, h);
  }
  cys_query_free(query);
  cys_mset_free(mset);
  return st;
}

static cys_status run_since(void *ctx, const char *when, uint64_t *run) {
  return searcher_run_since(ctx, when, run);
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
  if (!query)
    query = ""; /* nothing to search: the filters select */
  cys_search_options defaults;
  if (!o) {
    cys_search_options_init(&defaults);
    o = &defaults;
  }
  cys_status st = cys_searcher_check_options(s, o);
  if (st != CYS_OK)
    return st;
  s->bad_filter = -1;
  if ((o->facets || o->nfilters || strchr(query, ':')) &&
      (st = searcher_gazetteer(s)))
    return st;
  cys_query_context ctx = {.analyzer = s->analyzer,
                           .gazetteer = s->gazetteer,
                           .term_exists = term_exists,
                           .each_term = each_term,
                           .run_since = run_since,
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
  plan p = {.pq = pq};
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
    st = search_mark_partial(s, r);
  }
  /* A suggestion is a bonus: failing to find one is not an error. */
  if (st == CYS_OK && o->suggest && !o->like && pq->has_text &&
      search_suggest(s, &ctx, o, query, pq, &r->suggestion) == CYS_NOMEM)
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
