/*
 * xapian_shim_weight.cc — the weighting every search uses (BM25), made
 * safe from a defect of Xapian 1.4's matcher.  Part of the C++ shim
 * (xapian_shim_internal.hh).
 *
 * The defect (Xapian 1.4.22, matcher/andmaybepostlist.cc,
 * AndMaybePostList::next): once the weight a document needs to enter the
 * top results exceeds what the left side of an AND_MAYBE can give, the
 * matcher turns the AND_MAYBE into an AND and skips to one past the
 * larger of the two sides' current documents.  When the right side is
 * already ahead, its current document has not been looked at yet, and it
 * is skipped: a document matching both sides, often one of the best, is
 * lost from the results.  AND_MAYBE is in every ranked query (the title
 * boost, search.c), and Xapian makes one out of an OR whenever one side
 * can no longer reach the top alone, so any query of two words or more
 * can lose hits; how many depends on check_at_least, which sets when the
 * matcher starts raising that weight: the top 10 of 'password' on the
 * news corpus lost its 10th hit with 200 or 500 matches examined and not
 * with 1, 1,000 or all (tests/unit/test_topn_stable.c).
 *
 * The cure here: each term's bound on the weight it can add
 * (Weight::get_maxpart) is reported as unreachable, so the matcher never
 * finds a side that cannot reach the top and never rewrites the query
 * tree; it still ranks by the same weights, keeps the same top results and
 * counts the same matches (those at or above the weight of the last one
 * kept), but reads every posting of the query's terms instead of skipping
 * some.  What that costs is in docs/performance.md ("Top results
 * whatever the matches examined").  Remote shards (xapian-tcpsrv) can only
 * rebuild Xapian's own weighting schemes, so they keep the plain BM25 and
 * the defect, which is Xapian's to fix.
 */
#include <xapian.h>

#include "xapian_shim_internal.hh"

namespace {

/* A bound no sum of term weights reaches (BM25 gives a term at most a few
 * tens), small enough that sums and differences of bounds stay exact. */
constexpr double UNREACHABLE = 1e12;

class UnprunedBM25 : public Xapian::BM25Weight {
public:
  UnprunedBM25(double k1, double b)
      : Xapian::BM25Weight(k1, 0.0, 1.0, b, 0.5), k1_(k1), b_(b) {}
  double get_maxpart() const override { return UNREACHABLE; }

private:
  /* The matcher weighs each term with a clone. */
  UnprunedBM25 *clone() const override { return new UnprunedBM25(k1_, b_); }
  double k1_, b_;
};

} /* namespace */

void set_ranking_weight(Xapian::Enquire &enquire, double k1, double b,
                        bool remote) {
  /* k2 = 0 and k3 = 1: query-term frequency counts linearly, and no
   * document-length correction term: the classic BM25. */
  if (remote)
    enquire.set_weighting_scheme(Xapian::BM25Weight(k1, 0.0, 1.0, b, 0.5));
  else
    enquire.set_weighting_scheme(UnprunedBM25(k1, b));
}
