/*
 * xapian_shim_query.cc — building cys_query trees: terms, combinations,
 * value ranges, scaling, wildcards, and freshness (DateDecaySource); each
 * query keeps its weighing parts for cys_db_explain.  Part of the C++ shim
 * (xapian_shim_internal.hh).
 */
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <new>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "xapian_shim_internal.hh"

/* Days since 1970-01-01 of a "YYYYMMDD" value ("00" for an unknown month
 * or day: the middle of the year or month); false for anything else. */
static bool value_day(const std::string &v, double *out) {
  if (v.size() < 8)
    return false;
  int f[3] = {0, 0, 0}, width[3] = {4, 2, 2}, at = 0;
  for (int k = 0; k < 3; k++)
    for (int i = 0; i < width[k]; i++, at++) {
      if (v[at] < '0' || v[at] > '9')
        return false;
      f[k] = f[k] * 10 + (v[at] - '0');
    }
  int y = f[0], m = f[1], d = f[2];
  if (m < 1 || m > 12) {
    m = 7; /* unknown month: 1 July */
    d = 1;
  } else if (d < 1 || d > 31) {
    d = 15;
  }
  /* days_from_civil (Howard Hinnant's algorithm). */
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  *out = static_cast<double>(era) * 146097.0 + doe - 719468.0;
  return true;
}

/* Freshness: max_weight for documents dated on or after the reference
 * day, halving every half_life days before it; undated ones are not
 * matched (under AND_MAYBE: they get nothing). */
class DateDecaySource : public Xapian::ValuePostingSource {
public:
  DateDecaySource(Xapian::valueno slot, double reference, double half_life,
                  double max_weight)
      : Xapian::ValuePostingSource(slot), reference_(reference),
        half_life_(half_life), max_weight_(max_weight) {}
  void init(const Xapian::Database &db) override {
    Xapian::ValuePostingSource::init(db);
    set_maxweight(max_weight_);
  }
  double get_weight() const override {
    double day;
    if (!value_day(get_value(), &day))
      return 0.0;
    double age = reference_ - day;
    return age <= 0.0 ? max_weight_
                      : max_weight_ * std::exp2(-age / half_life_);
  }
  DateDecaySource *clone() const override {
    return new DateDecaySource(get_slot(), reference_, half_life_,
                               max_weight_);
  }
  std::string get_description() const override { return "recency"; }

private:
  double reference_, half_life_, max_weight_;
};

/* Documents whose value in a slot is one of a set of strings.  Its
 * estimate is every document with a value in the slot, so it never drives
 * a match: it is checked on the documents the rest of the query matches,
 * one value read and one hash look-up each (a watch list checks thousands
 * of stories this way; a binary search was a fifth of its time).  (A
 * Xapian value range of one value estimates almost none from the slot's
 * bounds, so an OR of them drives the match and walks the whole slot once
 * per value.) */
class ValueSetSource : public Xapian::ValuePostingSource {
public:
  ValueSetSource(Xapian::valueno slot, std::vector<std::string> values)
      : Xapian::ValuePostingSource(slot), values_(values.begin(),
                                                  values.end()) {}
  void init(const Xapian::Database &db) override {
    Xapian::ValuePostingSource::init(db);
    set_termfreq_min(0);
  }
  void next(double min_wt) override {
    Xapian::ValuePostingSource::next(min_wt);
    while (!at_end() && !wanted())
      Xapian::ValuePostingSource::next(min_wt);
  }
  void skip_to(Xapian::docid did, double min_wt) override {
    Xapian::ValuePostingSource::skip_to(did, min_wt);
    while (!at_end() && !wanted())
      Xapian::ValuePostingSource::next(min_wt);
  }
  bool check(Xapian::docid did, double min_wt) override {
    if (!Xapian::ValuePostingSource::check(did, min_wt))
      return false;
    return at_end() || wanted();
  }
  ValueSetSource *clone() const override {
    return new ValueSetSource(get_slot(), {values_.begin(), values_.end()});
  }
  std::string get_description() const override {
    return "ValueSetSource(" + std::to_string(get_slot()) + ", " +
           std::to_string(values_.size()) + " values)";
  }

private:
  bool wanted() const { return values_.count(get_value()) != 0; }
  std::unordered_set<std::string> values_;
};

/* A sorted list of docids: for a filter that selects few documents known
 * beforehand (the older copies of a watch's new stories).  Its estimate is
 * small (and exact when every docid is a document's), so it drives the
 * match: the rest of the query is
 * checked on its documents only, whatever it matches elsewhere. */
class DocidListSource : public Xapian::PostingSource {
public:
  explicit DocidListSource(std::vector<Xapian::docid> docids)
      : docids_(std::move(docids)) {
    set_maxweight(0.0);
    end_ = docids_.cend();
    min_ = est_ = max_ = Xapian::doccount(docids_.size());
  }
  /* Docids past the last document are dropped, and a docid at or below
   * it may be a deleted article's (a list kept from before): the bounds
   * say so, so that an estimated total stays within the index. */
  void init(const Xapian::Database &db) override {
    end_ = std::upper_bound(docids_.cbegin(), docids_.cend(),
                            db.get_lastdocid());
    Xapian::doccount listed = Xapian::doccount(end_ - docids_.cbegin());
    Xapian::doccount holes = db.get_lastdocid() - db.get_doccount();
    min_ = listed > holes ? listed - holes : 0;
    max_ = std::min(listed, db.get_doccount());
    est_ = max_;
    pos_ = end_;
    started_ = false;
  }
  Xapian::doccount get_termfreq_min() const override { return min_; }
  Xapian::doccount get_termfreq_est() const override { return est_; }
  Xapian::doccount get_termfreq_max() const override { return max_; }
  void next(double) override {
    pos_ = started_ ? pos_ + 1 : docids_.cbegin();
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    if (!started_)
      pos_ = docids_.cbegin();
    started_ = true;
    pos_ = std::lower_bound(pos_, end_, did);
  }
  bool at_end() const override { return started_ && pos_ == end_; }
  Xapian::docid get_docid() const override { return *pos_; }
  DocidListSource *clone() const override {
    return new DocidListSource(docids_);
  }
  std::string get_description() const override {
    return "DocidListSource(" + std::to_string(docids_.size()) + " docs)";
  }

private:
  std::vector<Xapian::docid> docids_;
  std::vector<Xapian::docid>::const_iterator end_;
  Xapian::doccount min_, est_, max_;
  std::vector<Xapian::docid>::const_iterator pos_;
  bool started_ = false;
};

extern "C" {

/* ---- queries ----------------------------------------------------------- */

static cys_status wrap_query(Xapian::Query &&q, cys_query **out,
                             std::vector<WeightUnit> &&units = {}) {
  cys_query *result = new (std::nothrow) cys_query();
  if (!result)
    return CYS_NOMEM;
  result->query = std::move(q);
  result->units = std::move(units);
  *out = result;
  return CYS_OK;
}

cys_status cys_query_new_term(const char *term, size_t len, unsigned wqf,
                              unsigned pos, cys_query **out) {
  if (!term || !out || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    Xapian::Query q(std::string(term, len), wqf, pos);
    std::vector<WeightUnit> units{{1.0, q, CYS_UNIT_TERM, std::string()}};
    return wrap_query(std::move(q), out, std::move(units));
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_boolean_term(const char *term, size_t len,
                                      cys_query **out) {
  if (!term || !out || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    Xapian::Query t(std::string(term, len));
    return wrap_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, t, 0.0),
                      out);
  } catch (...) {
    return classify_quietly();
  }
}

static Xapian::Query::op map_op(cys_query_op op) {
  switch (op) {
  case CYS_OP_AND:
    return Xapian::Query::OP_AND;
  case CYS_OP_OR:
    return Xapian::Query::OP_OR;
  case CYS_OP_AND_NOT:
    return Xapian::Query::OP_AND_NOT;
  case CYS_OP_AND_MAYBE:
    return Xapian::Query::OP_AND_MAYBE;
  case CYS_OP_FILTER:
    return Xapian::Query::OP_FILTER;
  case CYS_OP_PHRASE:
    return Xapian::Query::OP_PHRASE;
  case CYS_OP_NEAR:
    return Xapian::Query::OP_NEAR;
  case CYS_OP_SYNONYM:
    return Xapian::Query::OP_SYNONYM;
  }
  return Xapian::Query::OP_OR;
}

/* Does the query weigh a phrase or near group inside something else (an
 * OR)?  Then it must not be the weighting side of an AND_MAYBE as it is. */
static bool nested_positional(const cys_query *q) {
  if (q->units.size() == 1 && q->units[0].factor == 1.0)
    return false; /* the positional query itself, if it is one */
  for (const WeightUnit &u : q->units)
    if (u.kind == CYS_UNIT_PHRASE || u.kind == CYS_UNIT_NEAR)
      return true;
  return false;
}

/* first AND_MAYBE each weighing part of rest, one at a time.  Xapian
 * 1.4.22 gives a phrase or NEAR group under an OR on the right of
 * AND_MAYBE its weight without checking positions (documents where the
 * words are pages apart got the proximity boost); a chain of AND_MAYBE
 * with one part each checks them.  The weight is the same: the right side
 * of AND_MAYBE only adds the weights of its matching parts. */
static Xapian::Query and_maybe_each(Xapian::Query q, const cys_query *rest) {
  for (const WeightUnit &u : rest->units) {
    Xapian::Query part =
        u.factor == 1.0
            ? u.query
            : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, u.query, u.factor);
    q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, part);
  }
  return q;
}

cys_status cys_query_new_combined(cys_query_op op, cys_query *const *subs,
                                  size_t n, unsigned window, cys_query **out) {
  if (!out || (n && !subs) || op < CYS_OP_AND || op > CYS_OP_SYNONYM)
    return CYS_INVALID;
  try {
    std::vector<Xapian::Query> parts;
    std::vector<WeightUnit> units;
    parts.reserve(n);
    bool split = false;
    for (size_t i = 0; i < n; i++) {
      if (!subs[i])
        return CYS_INVALID;
      parts.push_back(subs[i]->query);
      /* FILTER and AND_NOT weigh by their first subquery only. */
      if (i == 0 || (op != CYS_OP_FILTER && op != CYS_OP_AND_NOT))
        units.insert(units.end(), subs[i]->units.begin(),
                     subs[i]->units.end());
      split |= op == CYS_OP_AND_MAYBE && i > 0 && nested_positional(subs[i]);
    }
    Xapian::Query q(map_op(op), parts.begin(), parts.end(), window);
    if (split) {
      q = subs[0]->query;
      for (size_t i = 1; i < n; i++)
        q = nested_positional(subs[i])
                ? and_maybe_each(q, subs[i])
                : Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                                subs[i]->query);
    }
    /* A phrase, near group or synonym is weighed as a whole. */
    if ((op == CYS_OP_PHRASE || op == CYS_OP_NEAR || op == CYS_OP_SYNONYM) &&
        !units.empty()) {
      cys_unit_kind kind = op == CYS_OP_PHRASE ? CYS_UNIT_PHRASE
                           : op == CYS_OP_NEAR ? CYS_UNIT_NEAR
                                               : CYS_UNIT_SYNONYM;
      units.assign(1, WeightUnit{1.0, q, kind, std::string()});
    }
    return wrap_query(std::move(q), out, std::move(units));
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_value_range(unsigned slot, const char *lo,
                                     const char *hi, cys_query **out) {
  if (!out)
    return CYS_INVALID;
  try {
    if (lo && hi)
      return wrap_query(
          Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi), out);
    if (lo)
      return wrap_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo),
                        out);
    if (hi)
      return wrap_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi),
                        out);
    return wrap_query(Xapian::Query(Xapian::Query::MatchAll), out);
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_value_set(unsigned slot, const char *const *values,
                                   const size_t *lens, size_t n,
                                   cys_query **out) {
  if (!values || !lens || !out)
    return CYS_INVALID;
  try {
    std::vector<std::string> set;
    for (size_t i = 0; i < n; i++)
      set.emplace_back(values[i], lens[i]);
    Xapian::Query q((new ValueSetSource(slot, std::move(set)))->release());
    return wrap_query(std::move(q), out);
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_docids(const cys_docid *docids, size_t n,
                                cys_query **out) {
  if ((!docids && n) || !out)
    return CYS_INVALID;
  try {
    std::vector<Xapian::docid> list(docids, docids + n);
    Xapian::Query q((new DocidListSource(std::move(list)))->release());
    return wrap_query(std::move(q), out);
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_scaled(const cys_query *query, double factor,
                                cys_query **out) {
  if (!query || !out || !(factor >= 0.0))
    return CYS_INVALID;
  try {
    std::vector<WeightUnit> units;
    if (factor > 0.0) {
      units = query->units;
      for (auto &u : units)
        u.factor *= factor;
    }
    return wrap_query(
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query->query, factor),
        out, std::move(units));
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_date_decay(unsigned slot, const char *reference,
                                    double half_life_days, double max_weight,
                                    cys_query **out) {
  double day;
  if (!out || !reference || !value_day(reference, &day) ||
      !(half_life_days > 0.0) || !(max_weight >= 0.0))
    return CYS_INVALID;
  try {
    Xapian::Query q(
        (new DateDecaySource(slot, day, half_life_days, max_weight))
            ->release());
    std::vector<WeightUnit> units{{1.0, q, CYS_UNIT_SOURCE, "recency"}};
    return wrap_query(std::move(q), out, std::move(units));
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_wildcard(const char *prefix, size_t len,
                                  unsigned max_expansion, cys_query **out) {
  if (!prefix || !out || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    Xapian::Query q(Xapian::Query::OP_WILDCARD, std::string(prefix, len),
                    max_expansion,
                    Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    std::vector<WeightUnit> units{
        {1.0, q, CYS_UNIT_SYNONYM, std::string(prefix, len) + "*"}};
    return wrap_query(std::move(q), out, std::move(units));
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_all(cys_query **out) {
  if (!out)
    return CYS_INVALID;
  try {
    return wrap_query(Xapian::Query(Xapian::Query::MatchAll), out);
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_query_new_none(cys_query **out) {
  if (!out)
    return CYS_INVALID;
  try {
    return wrap_query(Xapian::Query(Xapian::Query::MatchNothing), out);
  } catch (...) {
    return classify_quietly();
  }
}

int cys_query_is_empty(const cys_query *query) {
  return !query || query->query.empty();
}

cys_status cys_query_describe(const cys_query *query, char **out) {
  if (!query || !out)
    return CYS_INVALID;
  try {
    char *s = dup_string(query->query.get_description());
    if (!s)
      return CYS_NOMEM;
    *out = s;
    return CYS_OK;
  } catch (...) {
    return classify_quietly();
  }
}

void cys_query_free(cys_query *query) { delete query; }

} /* extern "C" */
