/*
 * xapian_top10.cc — plain Xapian's bare top 10, the yardstick of issue
 * #18's results page, in C++ so that no binding stands between the timer
 * and the matcher (bench.py's Python loop adds its own time, and a Python
 * weighting scheme would call into Python for every posting).  A
 * benchmark tool, not part of cysearch: the only C++ outside the shim,
 * because plain Xapian is what it measures.
 *
 *   xapian_top10 --db DIR --queries FILE [--rounds N] [--warmup N]
 *                [--cpu] [--tsv FILE]
 *
 * Each query ('QID<TAB>QUERY' or 'QUERY' a line) is parsed as bench.py
 * parses it (QueryParser, English stems STEM_SOME, title: as S, default
 * OR), weighed with BM25 at cysearch's k1 1.0 and b 0.75, and run
 * get_mset(0, 10) reading each hit's data, in two variants, interleaved:
 *   estimate   Xapian's BM25 and its default: it prunes, so the AND_MAYBE
 *              defect can drop a top hit (common/src/xapian_shim_weight.cc)
 *   unpruned   the same BM25 with each term's bound on its weight reported
 *              as unreachable, cysearch's cure: every posting is read and
 *              the top 10 is right
 * --cpu times in CPU time of the thread.  Output as bench_queries.c's:
 * "variant N p50_ms p95_ms p99_ms mean_ms max_ms" a line on stdout, and
 * with --tsv "xapian variant qid round microseconds total" a timing.
 */
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

/* As xapian_shim_weight.cc's: a bound no sum of term weights reaches. */
class UnprunedBM25 : public Xapian::BM25Weight {
public:
  UnprunedBM25() : Xapian::BM25Weight(1.0, 0.0, 1.0, 0.75, 0.5) {}
  double get_maxpart() const override { return 1e12; }

private:
  UnprunedBM25 *clone() const override { return new UnprunedBM25(); }
};

clockid_t timer = CLOCK_MONOTONIC;

double now() {
  timespec ts;
  clock_gettime(timer, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

/* Nearest rank, as bench_queries.c. */
double percentile(const std::vector<double> &v, double p) {
  size_t k = size_t(p / 100.0 * double(v.size()) + 0.999999);
  k = std::max<size_t>(1, std::min(k, v.size()));
  return v[k - 1];
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: xapian_top10 --db DIR --queries FILE "
                       "[--rounds N] [--warmup N] [--cpu] [--tsv FILE]\n");
  std::exit(2);
}

} // namespace

int main(int argc, char **argv) {
  const char *db_path = nullptr, *queries = nullptr, *tsv = nullptr;
  int rounds = 3, warmup = 1;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--db") && i + 1 < argc)
      db_path = argv[++i];
    else if (!std::strcmp(argv[i], "--queries") && i + 1 < argc)
      queries = argv[++i];
    else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--warmup") && i + 1 < argc)
      warmup = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--tsv") && i + 1 < argc)
      tsv = argv[++i];
    else if (!std::strcmp(argv[i], "--cpu"))
      timer = CLOCK_THREAD_CPUTIME_ID;
    else
      usage();
  }
  if (!db_path || !queries || rounds < 1 || warmup < 0)
    usage();
  std::vector<std::pair<std::string, std::string>> qs;
  std::ifstream in(queries);
  if (!in) {
    std::fprintf(stderr, "xapian_top10: cannot open '%s'\n", queries);
    return 1;
  }
  std::string line;
  for (size_t lineno = 1; std::getline(in, line); lineno++) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.empty())
      continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos)
      qs.emplace_back(std::to_string(lineno), line);
    else
      qs.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  if (qs.empty()) {
    std::fprintf(stderr, "xapian_top10: no queries in '%s'\n", queries);
    return 1;
  }
  std::FILE *out = nullptr;
  if (tsv && !(out = std::fopen(tsv, "w"))) {
    std::fprintf(stderr, "xapian_top10: cannot write '%s'\n", tsv);
    return 1;
  }
  try {
    Xapian::Database db(db_path);
    Xapian::Enquire enquire(db);
    Xapian::QueryParser qp;
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_database(db);
    qp.add_prefix("title", "S");
    qp.set_default_op(Xapian::Query::OP_OR);
    const char *const names[] = {"estimate", "unpruned"};
    const Xapian::BM25Weight stock(1.0, 0.0, 1.0, 0.75, 0.5);
    const UnprunedBM25 unpruned;
    std::vector<double> times[2];
    for (int r = -warmup; r < rounds; r++)
      for (const auto &q : qs)
        for (int v = 0; v < 2; v++) {
          double t0 = now();
          enquire.set_weighting_scheme(v == 0 ? stock : unpruned);
          enquire.set_query(qp.parse_query(q.second));
          Xapian::MSet mset = enquire.get_mset(0, 10);
          for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
            (void)it.get_document().get_data();
          double dt = now() - t0;
          if (r < 0)
            continue;
          times[v].push_back(dt * 1e3);
          if (out)
            std::fprintf(out, "xapian\t%s\t%s\t%d\t%.1f\t%u\n", names[v],
                         q.first.c_str(), r, dt * 1e6,
                         unsigned(mset.get_matches_estimated()));
        }
    for (int v = 0; v < 2; v++) {
      std::vector<double> &t = times[v];
      double sum = 0;
      for (double x : t)
        sum += x;
      std::sort(t.begin(), t.end());
      std::printf("%s %zu %.3f %.3f %.3f %.3f %.3f\n", names[v], t.size(),
                  percentile(t, 50), percentile(t, 95), percentile(t, 99),
                  sum / double(t.size()), t.back());
    }
  } catch (const Xapian::Error &e) {
    std::fprintf(stderr, "xapian_top10: %s\n", e.get_description().c_str());
    return 1;
  }
  if (out && std::fclose(out) != 0) {
    std::fprintf(stderr, "xapian_top10: cannot write '%s'\n", tsv);
    return 1;
  }
  return 0;
}
