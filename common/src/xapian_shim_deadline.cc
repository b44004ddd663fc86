/*
 * xapian_shim_deadline.cc — a time limit that really stops a match.
 *
 * Xapian's own limit (Enquire::set_time_limit) only stops counting
 * matches once enough have been found; a phrase or NEAR group whose
 * words are common but rarely close together finds few, and checks the
 * positions of every candidate without ever looking at the clock: a 1 KB
 * `"the of and to in ..."~100` ran 4 s past a 1-second limit, a NEAR
 * chain of 1,000 words 20 s.  A guarded query carries a posting source
 * that matches every document, ANDed beside the positional group: Xapian
 * applies the position check over the AND of the group's terms and the
 * guard, so the guard is asked about each candidate before its positions
 * are read, and throws MatchTimeout once the deadline of the match on
 * this thread has passed.  A search with a time limit also guards its
 * whole query, so that work without positions (thousands of terms from
 * wildcards) is stopped between candidates too.  Part of the C++ shim
 * (xapian_shim_internal.hh).
 */
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "xapian_shim_internal.hh"

namespace {

/* The deadline of this thread's match, in steady-clock nanoseconds; 0 is
 * none. */
thread_local long long deadline_end = 0;

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/* The message of a match stopped by its deadline. */
[[noreturn]] void throw_timeout() {
  throw MatchTimeout("the search took longer than its time limit and was "
                     "stopped: use fewer, rarer or more specific words "
                     "(phrases, NEAR groups and wildcards of common words "
                     "cost the most)");
}

/* What a guard calls itself: a query's description shows its guards as
 * "PostingSource(deadline)" (could_run_long looks for them). */
constexpr const char *GUARD_NAME = "deadline";

/* Matches every document id of the database and weighs nothing; each
 * step checks the deadline of the match, taken from this thread's when
 * the match starts (init), every 16th step: reading the clock costs
 * about as much as skipping to a document.  The deadline and the count
 * are members, not read from the thread-local variables at each step:
 * in a shared library each such read is a call (__tls_get_addr), and
 * guarding the whole query cost a third of the match at 1,000,000
 * articles. */
class DeadlineGuard : public Xapian::PostingSource {
public:
  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void init(const Xapian::Database &db) override {
    last_ = db.get_lastdocid();
    count_ = db.get_doccount();
    cur_ = 0;
    end_ = deadline_end;
    steps_ = 0;
  }
  void next(double) override {
    ++cur_;
    check_clock();
  }
  void skip_to(Xapian::docid did, double) override {
    if (did > cur_)
      cur_ = did;
    check_clock();
  }
  bool at_end() const override { return cur_ > last_; }
  Xapian::docid get_docid() const override { return cur_; }
  DeadlineGuard *clone() const override { return new DeadlineGuard(); }
  std::string get_description() const override { return GUARD_NAME; }

private:
  void check_clock() {
    if (end_ != 0 && (++steps_ & 15u) == 0 && now_ns() >= end_)
      throw_timeout();
  }
  Xapian::docid last_ = 0, cur_ = 0;
  Xapian::doccount count_ = 0;
  long long end_ = 0; /* steady-clock nanoseconds; 0: none */
  unsigned steps_ = 0;
};

} // namespace

MatchDeadline::MatchDeadline(double seconds) : saved_end_(deadline_end) {
  deadline_end =
      seconds > 0.0 ? now_ns() + static_cast<long long>(seconds * 1e9) : 0;
}

MatchDeadline::~MatchDeadline() { deadline_end = saved_end_; }

Xapian::Query guarded_query(const Xapian::Query &query) {
  return Xapian::Query(Xapian::Query::OP_FILTER, query,
                       Xapian::Query((new DeadlineGuard())->release()));
}

/* Postings a match may read unguarded: a few tenths of a second of
 * matching, far below any time limit a page sets (the CGI's is 2 s).
 * Guarding a whole query ANDs every candidate with the guard: it cost a
 * third of the CPU of a page at 1,000,000 articles (11 ms of 38 for a
 * query of two or three words), a tenth at 100,000. */
static constexpr double UNGUARDED_POSTINGS_MAX = 2e6;

/* Adds to postings what matching query could read, and says whether that
 * passed UNGUARDED_POSTINGS_MAX or the query has a wildcard.  Every leaf
 * counts, not every unique term: an OR of one word repeated reads its
 * postings once per copy.  MatchAll (a query of exclusions only), a value
 * range and a posting source (ValueSetSource walks its whole slot) count
 * the whole database, but for the guards of phrase and NEAR groups and a
 * posting source on the right of AND_MAYBE (the freshness bonus), which
 * are only checked on other parts' candidates. */
static bool over_budget(const Xapian::Database &db, const Xapian::Query &q,
                        bool bonus, double &postings) {
  switch (q.get_type()) {
  case Xapian::Query::OP_WILDCARD:
    return true;
  case Xapian::Query::LEAF_TERM:
    for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t)
      postings += db.get_termfreq(*t);
    break;
  case Xapian::Query::LEAF_POSTING_SOURCE:
    if (!bonus && q.get_description().find(std::string("(") + GUARD_NAME +
                                           ")") == std::string::npos)
      postings += db.get_doccount();
    break;
  case Xapian::Query::LEAF_MATCH_ALL:
  case Xapian::Query::OP_VALUE_RANGE:
  case Xapian::Query::OP_VALUE_GE:
  case Xapian::Query::OP_VALUE_LE:
    postings += db.get_doccount();
    break;
  default:
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
      if (over_budget(db, q.get_subquery(i),
                      bonus || (q.get_type() == Xapian::Query::OP_AND_MAYBE &&
                                i > 0),
                      postings))
        return true;
    break;
  }
  return postings > UNGUARDED_POSTINGS_MAX;
}

bool could_run_long(const Xapian::Database &db, const Xapian::Query &query) {
  double postings = 0.0;
  return over_budget(db, query, false, postings);
}

extern "C" {

cys_status cys_query_new_guarded(const cys_query *query, cys_query **out) {
  if (!query || !out)
    return CYS_INVALID;
  try {
    Xapian::Query q = guarded_query(query->query);
    /* A positional group is weighed as one part; that part is now the
     * guarded group, so that weighing it alone (AND_MAYBE chains,
     * cys_db_explain) is guarded too. */
    std::vector<WeightUnit> units = query->units;
    if (units.size() == 1 && units[0].factor == 1.0 &&
        (units[0].kind == CYS_UNIT_PHRASE || units[0].kind == CYS_UNIT_NEAR))
      units[0].query = q;
    cys_query *result = new cys_query();
    result->query = std::move(q);
    result->units = std::move(units);
    *out = result;
    return CYS_OK;
  } catch (...) {
    return classify_quietly();
  }
}

} /* extern "C" */
