/*
 * xapian_shim_match.cc — searching a cys_db: the match parameters and
 * weighting, counting the values of a slot over the matches, collapsing
 * near-duplicates on a ranked pool, and reading the cys_mset; also the
 * other uses of a match: expansion terms (cys_db_expand, cys_db_doc_terms)
 * and the explanation of a score (cys_db_explain).  Part of the C++ shim
 * (xapian_shim_internal.hh).
 */
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cysearch/schema.h"
#include "xapian_shim_internal.hh"

/* Matches exactly one document, with no weight: to weigh a query on just
 * that document. */
class OneDocSource : public Xapian::PostingSource {
public:
  explicit OneDocSource(Xapian::docid did) : did_(did) {}
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return 1; }
  Xapian::doccount get_termfreq_max() const override { return 1; }
  void init(const Xapian::Database &) override {
    cur_ = 0;
    ended_ = false;
  }
  void next(double) override {
    if (cur_ == 0)
      cur_ = did_;
    else
      ended_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    if (did > did_)
      ended_ = true;
    else
      cur_ = did_;
  }
  bool at_end() const override { return ended_; }
  Xapian::docid get_docid() const override { return cur_; }
  OneDocSource *clone() const override { return new OneDocSource(did_); }

private:
  Xapian::docid did_, cur_ = 0;
  bool ended_ = false;
};

extern "C" {

void cys_match_params_init(cys_match_params *params) {
  params->first = 0;
  params->max = 10;
  params->check_at_least = 0;
  params->bm25_k1 = 1.0; /* Xapian's own defaults; callers choose theirs */
  params->bm25_b = 0.5;
  params->time_limit = 0.0;
  params->count_values = 0;
  params->count_slot = 0;
  params->count_dated = 0;
  params->date_slot = 0;
  params->sort_by_value = 0;
  params->sort_slot = 0;
  params->sort_ascending = 0;
  params->collapse = 0;
  params->collapse_slot = 0;
}

/* The weighting and order every search uses. */
static void configure(const cys_db *db, Xapian::Enquire &enquire,
                      const cys_match_params *params) {
  set_ranking_weight(enquire, params->bm25_k1, params->bm25_b, db->remote);
  /* Equal scores keep index order (docid), so results are stable. */
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
}

/* A match whose document is missing means the postings and the documents
 * disagree: a damaged index, reported as such rather than as "not
 * found".  matched_value and matched_data read the document of a match. */
[[noreturn]] static void missing_match(const Xapian::MSetIterator &it,
                                       const Xapian::DocNotFoundError &e) {
  throw Xapian::DatabaseCorruptError(
      "the index is corrupt: document " + std::to_string(*it) +
      " is matched but missing (" + e.get_msg() + ")");
}

static std::string matched_value(const Xapian::MSetIterator &it,
                                 Xapian::valueno slot) {
  try {
    return it.get_document().get_value(slot);
  } catch (const Xapian::DocNotFoundError &e) {
    missing_match(it, e);
  }
}

static std::string matched_data(const Xapian::MSetIterator &it) {
  try {
    return it.get_document().get_data();
  } catch (const Xapian::DocNotFoundError &e) {
    missing_match(it, e);
  }
}

/* Run the match for ranks [first, first + count) of the order set on
 * enquire, counting params.count_slot if asked. */
static Xapian::MSet counted_match(const cys_db *db, Xapian::Enquire &enquire,
                                  const cys_match_params *params,
                                  Xapian::doccount first,
                                  Xapian::doccount count, cys_mset *result) {
  std::unique_ptr<Xapian::ValueCountMatchSpy> stock;
  std::unique_ptr<MatchCounter> local;
  enquire.clear_matchspies();
  if (params->count_values && db->remote) {
    stock.reset(new Xapian::ValueCountMatchSpy(params->count_slot));
    enquire.add_matchspy(stock.get());
  } else if (params->count_values) {
    local.reset(new MatchCounter(db->db, params->count_slot,
                                 params->count_dated != 0, params->date_slot));
    enquire.add_matchspy(local.get());
  }
  auto t0 = std::chrono::steady_clock::now();
  Xapian::MSet mset = enquire.get_mset(
      first, count, std::max<Xapian::doccount>(params->check_at_least, count));
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
  enquire.clear_matchspies();
  result->counts.clear();
  Xapian::doccount seen = 0;
  if (stock) {
    for (Xapian::TermIterator it = stock->values_begin();
         it != stock->values_end(); ++it)
      result->counts.append(*it, it.get_termfreq());
    seen = stock->get_total();
  } else if (local) {
    local->take_counts(result->counts);
    seen = local->seen();
  }
  /* Every match was seen when fewer than check_at_least were, or as many
   * as there can be matches, or (collapsing in the match) when the match
   * never held first + count stories: only then does Xapian raise the
   * weight a candidate needs, and it then gives the stories it holds as
   * its bounds.  Unless the time limit cut the match short (it cannot
   * have before it passed). */
  const bool held_every_story =
      result->collapsed_in_match &&
      uint64_t(mset.get_matches_upper_bound()) < uint64_t(first) + count;
  result->counted_all =
      params->count_values &&
      (seen < params->check_at_least || held_every_story ||
       seen >= (result->collapsed_in_match
                    ? mset.get_uncollapsed_matches_upper_bound()
                    : mset.get_matches_upper_bound())) &&
      (params->time_limit <= 0.0 || took.count() < params->time_limit / 2);
  result->counted_dated = local && params->count_dated;
  return mset;
}

static void plain_match(const cys_db *db, Xapian::Enquire &enquire,
                        const cys_match_params *params, cys_mset *result) {
  result->mset = counted_match(db, enquire, params, params->first,
                               params->max, result);
  for (Xapian::doccount i = 0; i < result->mset.size(); i++) {
    result->page.push_back(i);
    result->ranks.push_back(params->first + i);
    result->copies.push_back(1);
    result->keys.emplace_back();
  }
}

/* The value in slot of every document of mset, in rank order, into keys.
 * Locally from the slot's value stream, in docid order: reading each
 * document instead costs a look-up per document (and the pool of a
 * collapsed search holds thousands when a story has many copies).
 * Remote shards have no value streams: their documents are fetched in one
 * request each. */
static void read_pool_keys(const cys_db *db, Xapian::MSet &mset,
                           Xapian::valueno slot,
                           std::vector<std::string> &keys) {
  keys.assign(mset.size(), std::string());
  if (db->remote) {
    mset.fetch();
    for (Xapian::doccount i = 0; i < mset.size(); i++)
      keys[i] = matched_value(mset[i], slot);
    return;
  }
  std::vector<std::pair<Xapian::docid, Xapian::doccount>> order;
  order.reserve(mset.size());
  for (Xapian::doccount i = 0; i < mset.size(); i++)
    order.emplace_back(*mset[i], i);
  std::sort(order.begin(), order.end());
  StreamReader stream(db->db, slot);
  for (const auto &o : order)
    keys[o.second] = stream.value_of(o.first);
}

/* Collapsing near-duplicates in the match itself, by Xapian's collapser
 * (Enquire::set_collapse_key, one document a key): one pass, whatever
 * the number of copies.  The hits are the best document of each story,
 * as pool_collapse_match gives them (same weights, ties by docid), and a
 * story's copies are 1 + the documents Xapian collapsed into its best
 * one (those that reached the weight a candidate needed when it met
 * them: a lower bound, as the pool's count is; the caller has exact
 * numbers when every match was counted).  Documents without a key are
 * never collapsed.  The match spy sees every candidate before it is
 * collapsed, and the weight a candidate needs is that of the last story
 * the match holds, so the match holds at least SAMPLE_STORIES: the more
 * it holds, the more matches the counts behind estimated totals, facets
 * and copies see, and the more it costs.  Measured at 100,000 and
 * 1,000,000 articles against the pool's first 160 documents (200 and 60
 * news queries, CPU ms of the bare top 10 / the page; at 100k, median
 * relative error of the estimated stories, bare / page, and the hits
 * whose copies equal the exact count):
 *          100k bare / page   1M bare / page   error        copies exact
 *   pool   4.1 / 6.3          60.4 / 69.7      0.88 / 1.16  78%
 *   10     3.6 / 5.7          28.4 / 31.1      0.51 / 1.62  65%
 *   40     4.4 / 6.7          32.4 / 37.9      0.50 / 1.28  84%
 *   160    5.9 / 9.5          39.1 / 46.3      0.51 / 0.79  94%
 *   40, all seen below 160 (below): 4.3 / 6.7 at 100k, error 0.68 / 1.28
 * 40 costs what the pool did at 100,000 articles and about half of it at
 * 1,000,000; its estimates are better but for the page's (a tenth
 * worse), its copies closer.  And the weight is raised only once
 * SEE_ALL_BELOW stories were met (check_at_least), so that a search of
 * fewer matches counts them all and its totals are exact, as the pool of
 * 160 made them (on the news corpus 12 of the pool's 23 exact totals
 * were estimates without it; no cost measured). */
static void in_match_collapse(const cys_db *db, Xapian::Enquire &enquire,
                              const cys_match_params *params,
                              cys_mset *result) {
  constexpr Xapian::doccount SAMPLE_STORIES = 40, SEE_ALL_BELOW = 160;
  cys_match_params sampled = *params;
  sampled.check_at_least =
      std::max<uint32_t>(params->check_at_least, SEE_ALL_BELOW);
  enquire.set_collapse_key(params->collapse_slot, 1);
  result->collapsed_in_match = true;
  result->mset =
      counted_match(db, enquire, &sampled, params->first,
                    std::max(params->max, SAMPLE_STORIES), result);
  enquire.set_collapse_key(Xapian::BAD_VALUENO);
  for (Xapian::doccount i = 0; i < result->mset.size() && i < params->max;
       i++) {
    Xapian::MSetIterator it = result->mset[i];
    result->page.push_back(i);
    result->ranks.push_back(params->first + i);
    result->copies.push_back(1 + it.get_collapse_count());
    result->keys.push_back(it.get_collapse_key());
  }
}

/* Collapsing near-duplicates on a ranked pool: the pool of the best
 * documents is read in rank order and a document whose key was met before
 * is a copy of that story; the pool grows until it holds the page's
 * stories or every match, running the whole match again each time.  A
 * story's copies are counted within the pool (the caller has exact
 * numbers from the counted keys when every match was counted).  Documents
 * without a key are stories of their own.  Used where collapse_match says
 * why the match's own collapser is not: remote shards, sort by date,
 * deep pages, and matches that examine more than COLLAPSE_IN_MATCH_MAX
 * (Xapian's collapser keeps the key of every candidate it holds, which
 * with check_at_least in the tens of thousands made a top-10 search on
 * 100,000 articles several times slower than the match itself). */
static void pool_collapse_match(const cys_db *db, Xapian::Enquire &enquire,
                                const cys_match_params *params,
                                cys_mset *result) {
  const Xapian::doccount want =
      params->first > Xapian::doccount(-1) - params->max
          ? Xapian::doccount(-1)
          : params->first + params->max;
  /* The first pool is at least FIRST_POOL: on syndicated news a pool of
   * twice the page (40 for 10 hits) lacked the page's stories for 148 of
   * 200 queries at 100,000 articles, and growing it runs the whole match
   * again, counting included; starting at 160 cut the page's CPU to 0.73×
   * (p99 0.5×), same hits, and the sampled counts, seeing more matches,
   * came closer to the exact ones (tests/bench, docs/performance.md). */
  const Xapian::doccount FIRST_POOL = 160;
  Xapian::doccount pool =
      want < 1000 ? std::max(want * 2 + 20, FIRST_POOL) : want + want / 4;
  std::vector<Xapian::doccount> leaders; /* pool index of each story */
  std::vector<std::string> leader_keys;
  std::unordered_map<std::string, Xapian::doccount> story_of;
  std::vector<std::string> pool_keys;
  for (;;) {
    result->mset = counted_match(db, enquire, params, 0, pool, result);
    read_pool_keys(db, result->mset, params->collapse_slot, pool_keys);
    leaders.clear();
    leader_keys.clear();
    story_of.clear();
    result->copies.clear();
    for (Xapian::doccount i = 0; i < result->mset.size(); i++) {
      std::string &key = pool_keys[i];
      auto found = key.empty() ? story_of.end() : story_of.find(key);
      if (found != story_of.end()) {
        result->copies[found->second]++;
        continue;
      }
      if (!key.empty())
        story_of.emplace(key, Xapian::doccount(leaders.size()));
      leaders.push_back(i);
      leader_keys.push_back(std::move(key));
      result->copies.push_back(1);
    }
    if (leaders.size() >= want || result->mset.size() < pool ||
        pool == Xapian::doccount(-1))
      break;
    pool = pool > Xapian::doccount(-1) / 4 ? Xapian::doccount(-1) : pool * 4;
  }
  std::vector<Xapian::doccount> copies;
  for (Xapian::doccount k = params->first;
       k < leaders.size() && k - params->first < params->max; k++) {
    result->page.push_back(leaders[k]);
    result->ranks.push_back(k);
    result->keys.push_back(std::move(leader_keys[k]));
    copies.push_back(result->copies[k]);
  }
  result->copies = std::move(copies);
}

/* Pool collapsing reruns the whole match whenever its pool lacks the
 * page's stories, and on syndicated news it lacks them more often the
 * larger the index: at 1,000,000 articles the top 10 cost 1.8x, the page
 * 1.9x what they cost collapsed by Xapian (docs/performance.md).  Sorted
 * by date, the pool stays: Xapian's collapser then drops candidates that
 * sort below its last story before the match spy sees them, so totals
 * that were exact (every match counted) would become estimates. */
static constexpr Xapian::doccount COLLAPSE_IN_MATCH_MAX = 10000;
/* Deep pages stay on the pool too: Xapian's collapser looks through every
 * story it holds (first + max) for the one a better copy replaces, and at
 * 100,000 articles a page at offset 5,000 cost 6x the pool's (at 1,000,
 * 0.7x; review of a45d0ec).  A pool of a thousand documents and more also
 * tends to hold every match, and so to make the totals exact. */
static constexpr uint64_t IN_MATCH_RANKS_MAX = 1000;

static void collapse_match(const cys_db *db, Xapian::Enquire &enquire,
                           const cys_match_params *params, cys_mset *result) {
  if (!db->remote && !params->sort_by_value &&
      params->check_at_least <= COLLAPSE_IN_MATCH_MAX &&
      uint64_t(params->first) + params->max < IN_MATCH_RANKS_MAX)
    in_match_collapse(db, enquire, params, result);
  else
    pool_collapse_match(db, enquire, params, result);
}

cys_status cys_db_search(cys_db *db, const cys_query *query,
                         const cys_match_params *params, cys_mset **out) {
  if (!db || !db->open || !query || !params || !out)
    return CYS_INVALID;
  cys_mset *result = nullptr;
  try {
    Xapian::Enquire enquire(db->db);
    /* The guards of phrase and NEAR groups stop their position checks;
     * this one stops the rest between candidates, when the rest could
     * run long (not remotely: xapian-tcpsrv cannot run it). */
    enquire.set_query(params->time_limit > 0.0 && !db->remote &&
                              could_run_long(db->db, query->query)
                          ? guarded_query(query->query)
                          : query->query);
    configure(db, enquire, params);
    /* Lowest first: a document without a value sorts as the highest
     * possible value, so that it still comes last. */
    Xapian::MultiValueKeyMaker ascending;
    ascending.add_value(params->sort_slot, false, std::string(64, '\xff'));
    if (params->sort_by_value && params->sort_ascending)
      enquire.set_sort_by_key_then_relevance(&ascending, false);
    else if (params->sort_by_value)
      enquire.set_sort_by_value_then_relevance(params->sort_slot, true);
    /* Counting stops at half the limit, so that a match that has its
     * page by then can end before the guards stop it. */
    if (params->time_limit > 0.0)
      enquire.set_time_limit(params->time_limit / 2);
    MatchDeadline deadline(params->time_limit);
    result = new cys_mset();
    result->db = db;
    result->key_slot = params->collapse_slot;
    result->collapsed = params->collapse != 0;
    try {
      if (params->collapse)
        collapse_match(db, enquire, params, result);
      else
        plain_match(db, enquire, params, result);
    } catch (const Xapian::DocNotFoundError &e) {
      /* A search looks up no document by id: a matched one that is
       * missing (while matching, counting or fetching) is damage. */
      throw Xapian::DatabaseCorruptError(
          "the index is corrupt: a matched document is missing (" +
          e.get_msg() + ")");
    }
    result->data.resize(result->page.size());
    result->kev.resize(result->page.size());
    result->fetched.assign(result->page.size(), false);
    *out = result;
    return CYS_OK;
  } catch (...) {
    delete result;
    return fail(db->error);
  }
}

/* Terms of one prefix: "Z" takes "Zhack" but not "ZShack". */
class PrefixDecider : public Xapian::ExpandDecider {
public:
  explicit PrefixDecider(std::string prefix) : prefix_(std::move(prefix)) {}
  bool operator()(const std::string &term) const override {
    return term.size() > prefix_.size() &&
           term.compare(0, prefix_.size(), prefix_) == 0 &&
           !(term[prefix_.size()] >= 'A' && term[prefix_.size()] <= 'Z');
  }

private:
  std::string prefix_;
};

/* Copy up to max terms of eset, best first, leaving out those in skip,
 * into malloc'd arrays for the caller (cys_expand_free frees them). */
static void eset_to_arrays(const Xapian::ESet &eset, size_t max,
                           const std::vector<std::string> &skip,
                           char ***terms, double **weights, size_t *n) {
  char **t = static_cast<char **>(std::calloc(eset.size() + 1, sizeof *t));
  double *w = static_cast<double *>(std::calloc(eset.size() + 1, sizeof *w));
  size_t count = 0;
  if (!t || !w) {
    cys_expand_free(t, w, 0);
    throw std::bad_alloc();
  }
  for (Xapian::ESetIterator it = eset.begin();
       it != eset.end() && count < max; ++it) {
    std::string term = *it;
    if (std::find(skip.begin(), skip.end(), term) != skip.end())
      continue;
    t[count] = dup_string(term);
    if (!t[count]) {
      cys_expand_free(t, w, count);
      throw std::bad_alloc();
    }
    w[count++] = it.get_weight();
  }
  *terms = t;
  *weights = w;
  *n = count;
}

cys_status cys_db_expand(cys_db *db, const cys_query *query,
                         const cys_match_params *params, unsigned fb_docs,
                         unsigned max, const char *prefix, char ***terms,
                         double **weights, size_t *n) {
  if (!db || !db->open || !query || !params || !prefix || !terms ||
      !weights || !n)
    return CYS_INVALID;
  try {
    Xapian::Enquire enquire(db->db);
    enquire.set_query(query->query);
    set_ranking_weight(enquire, params->bm25_k1, params->bm25_b, db->remote);
    MatchDeadline deadline(params->time_limit);
    Xapian::MSet top = enquire.get_mset(0, fb_docs);
    Xapian::RSet rset;
    for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it)
      rset.add_document(*it);
    *terms = nullptr;
    *weights = nullptr;
    *n = 0;
    if (rset.empty())
      return CYS_OK;
    std::vector<std::string> in_query(query->query.get_terms_begin(),
                                      query->query.get_terms_end());
    PrefixDecider decider(prefix);
    Xapian::ESet eset =
        enquire.get_eset(max + static_cast<unsigned>(in_query.size()), rset,
                         Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    eset_to_arrays(eset, max, in_query, terms, weights, n);
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

void cys_expand_free(char **terms, double *weights, size_t n) {
  if (terms)
    for (size_t i = 0; i < n; i++)
      std::free(terms[i]);
  std::free(terms);
  std::free(weights);
}

cys_status cys_db_doc_terms(cys_db *db, cys_docid docid, unsigned max,
                            const char *prefix, char ***terms,
                            double **weights, size_t *n) {
  if (!db || !db->open || !prefix || !terms || !weights || !n || !docid)
    return CYS_INVALID;
  try {
    db->db.get_document(docid); /* DocNotFoundError: CYS_NOT_FOUND */
    Xapian::Enquire enquire(db->db);
    Xapian::RSet rset;
    rset.add_document(docid);
    PrefixDecider decider(prefix);
    /* Exact term frequencies: over shards Xapian otherwise estimates
     * them, and the terms (so the results) would differ from one index's. */
    Xapian::ESet eset = enquire.get_eset(
        max, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    eset_to_arrays(eset, max, {}, terms, weights, n);
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

/* The terms of a query in query order (get_terms_begin sorts them),
 * separated by spaces. */
static void append_terms(const Xapian::Query &q, std::string &out) {
  size_t n = q.get_num_subqueries();
  if (n == 0) {
    for (Xapian::TermIterator it = q.get_terms_begin();
         it != q.get_terms_end(); ++it) {
      if (!out.empty())
        out += ' ';
      out += *it;
    }
    return;
  }
  for (size_t i = 0; i < n; i++)
    append_terms(q.get_subquery(i), out);
}

static std::string unit_terms(const WeightUnit &u) {
  if (u.kind == CYS_UNIT_SOURCE || !u.label.empty())
    return u.label; /* a source's name, or a wildcard's "prefix*" */
  std::string out;
  append_terms(u.query, out);
  return out;
}

cys_status cys_db_explain(cys_db *db, const cys_query *query, cys_docid docid,
                          const cys_match_params *params,
                          cys_explain_item **items, size_t *n) {
  if (!db || !db->open || !query || !params || !items || !n)
    return CYS_INVALID;
  cys_explain_item *list = nullptr;
  size_t count = 0;
  try {
    list = static_cast<cys_explain_item *>(
        std::calloc(query->units.size() + 1, sizeof *list));
    if (!list)
      throw std::bad_alloc();
    OneDocSource only(docid);
    Xapian::Query just_doc(&only);
    for (const WeightUnit &u : query->units) {
      Xapian::Enquire enquire(db->db);
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, u.query,
                                      just_doc));
      configure(db, enquire, params);
      Xapian::MSet m = enquire.get_mset(0, 1);
      double weight = m.empty() ? 0.0 : m.begin().get_weight() * u.factor;
      if (weight <= 0.0)
        continue;
      list[count].terms = dup_string(unit_terms(u));
      if (!list[count].terms)
        throw std::bad_alloc();
      list[count].kind = u.kind;
      list[count++].weight = weight;
    }
    *items = list;
    *n = count;
    return CYS_OK;
  } catch (...) {
    cys_explain_free(list, count);
    return fail(db->error);
  }
}

void cys_explain_free(cys_explain_item *items, size_t n) {
  if (items)
    for (size_t i = 0; i < n; i++)
      std::free(items[i].terms);
  std::free(items);
}

void cys_mset_free(cys_mset *mset) { delete mset; }

size_t cys_mset_count_size(const cys_mset *mset) {
  return mset ? mset->counts.size() : 0;
}

void cys_mset_count_get(const cys_mset *mset, size_t i, const char **value,
                        size_t *len, uint64_t *count) {
  const CountedValues::Entry &entry = mset->counts.entries[i];
  *value = mset->counts.bytes.data() + entry.offset;
  *len = entry.len;
  *count = entry.count;
}

int cys_mset_counted_all(const cys_mset *mset) {
  return mset && mset->counted_all;
}

int cys_mset_counted_dated(const cys_mset *mset) {
  return mset && mset->counted_dated;
}

size_t cys_mset_size(const cys_mset *mset) {
  return mset ? mset->page.size() : 0;
}

void cys_mset_adopt_counts(cys_mset *ranked, cys_mset *counted) {
  ranked->counts = std::move(counted->counts);
  counted->counts.clear();
  ranked->counted_all = counted->counted_all;
  ranked->counted_dated = counted->counted_dated;
  cys_mset_totals(counted, &ranked->estimated, &ranked->lower,
                  &ranked->upper);
  ranked->adopted_totals = true;
}

void cys_mset_totals(const cys_mset *mset, uint64_t *estimated,
                     uint64_t *lower, uint64_t *upper) {
  if (mset->adopted_totals) {
    if (estimated)
      *estimated = mset->estimated;
    if (lower)
      *lower = mset->lower;
    if (upper)
      *upper = mset->upper;
    return;
  }
  const Xapian::MSet &m = mset->mset;
  const bool in_match = mset->collapsed_in_match; /* articles, not stories */
  if (estimated)
    *estimated = in_match ? m.get_uncollapsed_matches_estimated()
                          : m.get_matches_estimated();
  if (lower)
    *lower = in_match ? m.get_uncollapsed_matches_lower_bound()
                      : m.get_matches_lower_bound();
  if (upper)
    *upper = in_match ? m.get_uncollapsed_matches_upper_bound()
                      : m.get_matches_upper_bound();
}

cys_status cys_mset_item_get(cys_mset *mset, size_t i, cys_mset_item *out) {
  if (!mset || !out || i >= mset->page.size())
    return CYS_INVALID;
  try {
    /* From remote shards, ask for every document of the page at once:
     * one round trip to each shard instead of one per hit.  Only for an
     * MSet that starts at rank 0: Xapian 1.4's MSet::fetch indexes its
     * items wrongly when get_firstitem() > 0 (ASan: a read out of
     * bounds), so later pages fetch one document at a time. */
    if (!mset->requested && mset->db->remote &&
        mset->mset.get_firstitem() == 0)
      for (Xapian::doccount k : mset->page)
        mset->mset.fetch(mset->mset[k]);
    mset->requested = true;
    Xapian::MSetIterator it = mset->mset[mset->page[i]];
    if (!mset->fetched[i]) {
      mset->data[i] = matched_data(it);
      mset->kev[i] = matched_value(it, CYS_SLOT_KEV);
      if (!mset->collapsed)
        mset->keys[i] = matched_value(it, mset->key_slot);
      mset->fetched[i] = true;
    }
    out->docid = *it;
    out->rank = mset->ranks[i];
    out->score = it.get_weight();
    out->collapsed = mset->copies[i] - 1;
    out->collapse_key = mset->keys[i].data();
    out->collapse_key_len = mset->keys[i].size();
    out->data = mset->data[i].data();
    out->data_len = mset->data[i].size();
    out->kev = mset->kev[i].data();
    out->kev_len = mset->kev[i].size();
    return CYS_OK;
  } catch (...) {
    return fail(mset->db->error);
  }
}

} /* extern "C" */
