/*
 * search_feedback.c — EXPERIMENTAL pseudo-relevance feedback
 * (options.feedback_terms, off by default): the stems that best tell the
 * top hit apart (Xapian's expand set) are added to the query, joined with
 * AND_MAYBE, so that they re-rank what it matches and never add a match
 * (filters, exclusions, totals and facets stay those of the query as
 * typed).  It stays an experiment because its gain on SciFact's train
 * split did not carry over to the held-out test split (no significant
 * change) while it doubles the match time (docs/ranking.md, once the
 * ranking log moves there from search.c).
 *
 * How much they weigh together is relative to the query: with w =
 * FEEDBACK_SHARE and a query of n words, the added stems share
 * w * n of query-word weight (each stem's BM25 weight scaled down), in
 * proportion to their expand weights.  A fixed weight per stem would let
 * 20 stems of the top hit outweigh a two-word query ten to one, turning
 * "log4j exploit" into "more like the first hit"; in proportion, a
 * sentence-long query gets the same help as before and a short one only
 * a nudge.  The words are the query's distinct stems and exact forms;
 * a wildcard counts each form it expands to, so at most
 * FEEDBACK_MAX_WORDS count.  The settings (20 stems of the top hit, w =
 * 0.3) and the numbers behind them are in that log.
 */
#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "search_feedback.h"

/* Feedback reads the top hit only: from 2 or 3 the expand set favours
 * words common to them, and SciFact train fell from 0.7129 to 0.6767
 * (below no feedback at all). */
#define FEEDBACK_DOCS 1u

/* What the added stems weigh together, per word of the query.  SciFact
 * train, nDCG@10 at 0.1 / 0.2 / 0.3 / 0.4 / 0.5: 0.7061 / 0.7110 /
 * 0.7129 / 0.7129 / 0.7118; of the two best, the smaller keeps short
 * queries closer to what was typed. */
#define FEEDBACK_SHARE 0.3

/* Longer than almost every SciFact claim (which count in full), short
 * enough that "ranso*" (up to 100 forms) is not read as 100 words. */
#define FEEDBACK_MAX_WORDS 32

cys_status search_add_feedback(cys_searcher *s, const cys_search_options *o,
                               const cys_match_params *mp, size_t words,
                               cys_query **query) {
  char **terms = NULL;
  double *weights = NULL;
  size_t n = 0;
  if (words == 0)
    return CYS_OK; /* nothing would weigh anything */
  cys_status st = cys_db_expand(s->db, *query, mp, FEEDBACK_DOCS,
                                o->feedback_terms, CYS_PREFIX_STEM, &terms,
                                &weights, &n);
  if (st != CYS_OK || n == 0 || !(weights[0] > 0)) {
    cys_expand_free(terms, weights, n);
    return st;
  }
  if (words > FEEDBACK_MAX_WORDS)
    words = FEEDBACK_MAX_WORDS;
  /* Expand weights are best first; the share of each is w / sum(w). */
  double sum = 0.0;
  for (size_t i = 0; i < n; i++)
    sum += weights[i];
  double scale = FEEDBACK_SHARE * (double)words / sum;
  cys_query **parts = calloc(n, sizeof *parts);
  cys_query *expansion = NULL, *combined = NULL;
  size_t k = 0;
  if (!parts)
    st = CYS_NOMEM;
  for (size_t i = 0; i < n && !st; i++) {
    cys_query *t = NULL;
    st = cys_query_new_term(terms[i], strlen(terms[i]), 1, 0, &t);
    if (!st) {
      st = cys_query_new_scaled(t, scale * weights[i], &parts[k]);
      cys_query_free(t);
      if (!st)
        k++;
    }
  }
  if (!st)
    st = cys_query_new_combined(CYS_OP_OR, parts, k, 0, &expansion);
  if (!st) {
    cys_query *pair[2] = {*query, expansion};
    st = cys_query_new_combined(CYS_OP_AND_MAYBE, pair, 2, 0, &combined);
  }
  if (!st) {
    cys_query_free(*query);
    *query = combined;
  }
  for (size_t i = 0; i < k; i++)
    cys_query_free(parts[i]);
  free(parts);
  cys_query_free(expansion);
  cys_expand_free(terms, weights, n);
  return st;
}
