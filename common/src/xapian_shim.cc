/*
 * xapian_shim.cc — the implementation of db.h, and the only C++ in cysearch.
 *
 * Every extern "C" function is an exception firewall: it catches everything,
 * maps Xapian's exception classes (most-derived first) to a cys_status, and
 * keeps the message on the handle it was called on.  Nothing C++ escapes.
 */
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>

#include "cysearch/db.h"

namespace {

/* Map the exception in flight to a status and a message. */
cys_status classify(std::string &message) {
  try {
    throw;
  } catch (const Xapian::DatabaseNotFoundError &e) {
    message = e.get_description();
    return CYS_NOT_FOUND;
  } catch (const Xapian::DatabaseVersionError &e) {
    message = e.get_description();
    return CYS_VERSION;
  } catch (const Xapian::DatabaseLockError &e) {
    message = e.get_description();
    return CYS_LOCKED;
  } catch (const Xapian::DatabaseCorruptError &e) {
    message = e.get_description();
    return CYS_CORRUPT;
  } catch (const Xapian::DatabaseModifiedError &e) {
    message = e.get_description();
    return CYS_MODIFIED;
  } catch (const Xapian::DatabaseOpeningError &e) {
    message = e.get_description();
    return CYS_IO;
  } catch (const Xapian::DocNotFoundError &e) {
    message = e.get_description();
    return CYS_NOT_FOUND;
  } catch (const Xapian::NetworkTimeoutError &e) {
    message = e.get_description();
    return CYS_TIMEOUT;
  } catch (const Xapian::NetworkError &e) {
    message = e.get_description();
    return CYS_NETWORK;
  } catch (const Xapian::QueryParserError &e) {
    message = e.get_description();
    return CYS_BAD_QUERY;
  } catch (const Xapian::WildcardError &e) {
    message = e.get_description();
    return CYS_BAD_QUERY;
  } catch (const Xapian::DatabaseError &e) {
    message = e.get_description();
    return CYS_IO;
  } catch (const Xapian::InvalidArgumentError &e) {
    message = e.get_description();
    return CYS_INVALID;
  } catch (const Xapian::Error &e) {
    message = e.get_description();
    return CYS_INTERNAL;
  } catch (const std::bad_alloc &) {
    message = "out of memory";
    return CYS_NOMEM;
  } catch (const std::exception &e) {
    message = e.what();
    return CYS_INTERNAL;
  } catch (...) {
    message = "unknown C++ exception";
    return CYS_INTERNAL;
  }
}

/* For functions with no handle to keep a message on. */
cys_status classify_quietly() {
  std::string ignored;
  try {
    return classify(ignored);
  } catch (...) {
    return CYS_NOMEM; /* assigning the message itself failed */
  }
}

/* Record the exception in flight on a handle's message slot. */
cys_status fail(std::string &slot) {
  std::string message;
  cys_status status;
  try {
    status = classify(message);
    slot = std::move(message);
  } catch (...) {
    status = CYS_NOMEM;
    slot.clear();
  }
  return status;
}

char *dup_string(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) {
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
  }
  return p;
}

} // namespace

struct cys_db {
  Xapian::Database db;
  bool open = false;
  std::string error;
  /* How it was opened (cys_db_open_shards), to open it again the same way
   * (cys_db_reconnect), and what it holds. */
  std::vector<std::string> specs;
  cys_db_open_params params{10000, 10000, 0};
  size_t shards = 0;
  bool remote = false;
  std::vector<std::pair<std::string, std::string>> unavailable;
};

/* A part of a query that adds weight on its own (a term; a phrase, near
 * group or synonym as a whole; a posting source), with the product of the
 * scale factors above it.  Every cys_query keeps its parts, so that
 * cys_db_explain can weigh each of them alone: with BM25 (k2 = 0) a
 * document's score is the sum of its parts' weights. */
struct WeightUnit {
  double factor;
  Xapian::Query query;
  cys_unit_kind kind;
  std::string label; /* for sources; a wildcard's "prefix*" */
};

struct cys_query {
  Xapian::Query query;
  std::vector<WeightUnit> units;
};

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

/* Matches, without weight, the documents whose docid is lower than a
 * bound, numbered as in a union of n shards (document k of shard s is
 * (k - 1) * n + s + 1): the filter behind cys_wdb_match's bound, so that
 * relinking compares an article with earlier ones only.  The matcher
 * inits one clone per shard with that shard alone, and tells it neither
 * which shard it is nor (to a MatchDecider) the union's docids, so each
 * clone finds its shard by the database's UUID. */
class DocidBelowSource : public Xapian::PostingSource {
public:
  DocidBelowSource(const std::vector<std::string> &uuids, Xapian::docid below)
      : uuids_(uuids), below_(below) {}
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return last_; }
  Xapian::doccount get_termfreq_max() const override { return last_; }
  void init(const Xapian::Database &db) override {
    Xapian::docid n = Xapian::docid(uuids_.size() > 1 ? uuids_.size() : 1);
    Xapian::docid s = 0;
    if (n > 1) {
      std::string uuid = db.get_uuid();
      while (s < n && uuids_[s] != uuid)
        s++;
      if (s == n)
        throw Xapian::InvalidArgumentError(
            "a shard of the index is not one the writer opened");
    }
    /* the last k with (k - 1) * n + s + 1 < below */
    last_ = below_ >= s + 2 ? (below_ - s - 2) / n + 1 : 0;
    last_ = std::min(last_, db.get_lastdocid());
    cur_ = 0;
  }
  void next(double) override { cur_++; }
  void skip_to(Xapian::docid did, double) override {
    if (did > cur_)
      cur_ = did;
  }
  bool at_end() const override { return cur_ > last_; }
  Xapian::docid get_docid() const override { return cur_; }
  DocidBelowSource *clone() const override {
    return new DocidBelowSource(uuids_, below_);
  }
  std::string get_description() const override { return "docid below"; }

private:
  std::vector<std::string> uuids_;
  Xapian::docid below_, last_ = 0, cur_ = 0;
};

/* Distinct values with their counts, in byte order of the values, whose
 * bytes share one buffer: a search over 100,000 articles counts tens of
 * thousands of values, nearly all distinct (the collapse key leads
 * each), and a string and a hash node apiece made the count cost more
 * than the match (perf, tests/bench). */
struct CountedValues {
  struct Entry {
    size_t offset, len;
    Xapian::doccount count;
  };
  std::string bytes;
  std::vector<Entry> entries;

  void clear() {
    bytes.clear();
    entries.clear();
  }
  size_t size() const { return entries.size(); }
  /* Append value, which sorts after every value appended so far. */
  void append(const std::string &value, Xapian::doccount count) {
    entries.push_back({bytes.size(), value.size(), count});
    bytes.append(value);
  }
};

struct cys_mset {
  Xapian::MSet mset;
  cys_db *db; /* errors reading documents are reported here */
  /* The hits of the page: indices into mset, their ranks, the documents
   * of their collapse key among the ranked pool, and their keys. */
  std::vector<Xapian::doccount> page, ranks, copies;
  std::vector<std::string> keys;
  std::vector<std::string> data;
  std::vector<bool> fetched;
  /* params.count_values: the values counted, in byte order. */
  CountedValues counts;
  bool counted_all = false;
  bool requested = false; /* documents of the page asked for (remote) */
};

struct cys_wdb {
  Xapian::WritableDatabase db; /* unused in a union handle */
  Xapian::Database reader;     /* what reads go through: db itself, or the
                                  union of several writers' databases */
  bool open = false;           /* writes allowed */
  bool readable = false;       /* reads allowed */
  std::vector<std::string> uuids; /* a union's shards, in order */
  std::string error;
};

struct cys_doc {
  Xapian::Document doc;
};

/* ---- opening: index directories, stub files, remote shards -------------
 *
 * An entry (one --db, or one line of a stub file) is an index directory, a
 * directory holding a stub file XAPIANDB, a stub file, or HOST:PORT of an
 * xapian-tcpsrv.  Stub files are read here rather than by Xapian so that
 * remote lines get our timeouts (Xapian's own reader uses its defaults),
 * a failing shard is named, and --allow-partial can skip it.  The format
 * is Xapian's: "auto PATH", "glass PATH", "remote HOST:PORT" or
 * "remote :PROGRAM ARGS" lines, "#" comments, paths relative to the
 * stub's directory. */

namespace {

const int MAX_STUB_DEPTH = 8; /* stubs naming stubs; stops a loop */

/* A shard that failed to open: its status, and "why" (no name in it). */
struct ShardError {
  cys_status status;
  std::string why;
};

bool is_file(const std::string &p) {
  struct stat sb;
  return stat(p.c_str(), &sb) == 0 && S_ISREG(sb.st_mode);
}

/* "host:port", "[v6addr]:port" -> host and port (1..65535). */
bool parse_host_port(const std::string &s, std::string &host,
                     unsigned &port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
    return false;
  unsigned long v = 0;
  for (size_t i = colon + 1; i < s.size(); i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > 65535)
      return false;
  }
  if (v == 0)
    return false;
  host = s.substr(0, colon);
  if (host.find('/') != std::string::npos)
    return false; /* a path */
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  else if (host.find(':') != std::string::npos)
    return false; /* a bare IPv6 address needs brackets */
  port = static_cast<unsigned>(v);
  return !host.empty();
}

class Opener {
public:
  explicit Opener(cys_db &db) : db_(db) {}

  /* Add the databases of one top-level entry. */
  cys_status add_entry(const std::string &spec) {
    return add(spec, "'" + spec + "'", 0, true);
  }

private:
  cys_db &db_;

  /* label names the entry in messages: "'x'" for a top-level one,
   * "shard 'x' (line N of 'stub')" inside a stub. */
  cys_status add(const std::string &spec, const std::string &label, int depth,
                 bool top) {
    std::string host;
    unsigned port = 0;
    struct stat sb;
    if (stat(spec.c_str(), &sb) != 0) {
      if (parse_host_port(spec, host, port))
        return add_remote(spec, host, port, label, top);
      return shard_failed(spec, label, top,
                          {CYS_NOT_FOUND, "not found (no such file or "
                                          "directory; make an index with "
                                          "cysearch-index --db PATH, or give "
                                          "HOST:PORT of an xapian-tcpsrv)"});
    }
    if (S_ISDIR(sb.st_mode)) {
      if (is_file(spec + "/iamglass") || is_file(spec + "/iamchert"))
        return add_local(spec, label, top);
      if (is_file(spec + "/XAPIANDB"))
        return add_stub(spec + "/XAPIANDB", label, depth, top);
      return shard_failed(spec, label, top,
                          {CYS_NOT_FOUND, "the directory holds no index "
                                          "(build one with cysearch-index)"});
    }
    if (S_ISREG(sb.st_mode))
      return add_stub(spec, label, depth, top);
    return shard_failed(spec, label, top,
                        {CYS_NOT_FOUND, "not a directory or a file"});
  }

  cys_status add_local(const std::string &path, const std::string &label,
                       bool top) {
    try {
      db_.db.add_database(Xapian::Database(path));
      db_.shards++;
      return CYS_OK;
    } catch (...) {
      ShardError e;
      e.status = classify(e.why);
      return shard_failed(path, label, top, e);
    }
  }

  cys_status add_remote(const std::string &spec, const std::string &host,
                        unsigned port, const std::string &label, bool top) {
    try {
      db_.db.add_database(Xapian::Remote::open(
          host, port, db_.params.timeout_ms, db_.params.connect_timeout_ms));
      db_.shards++;
      db_.remote = true;
      return CYS_OK;
    } catch (...) {
      ShardError e;
      e.status = classify(e.why);
      if (e.status == CYS_TIMEOUT)
        e.why = "xapian-tcpsrv did not answer in time (" + e.why + ")";
      else if (e.status == CYS_NETWORK)
        e.why = "cannot reach xapian-tcpsrv (" + e.why + ")";
      return shard_failed(spec, label, top, e);
    }
  }

  cys_status add_remote_prog(const std::string &prog, const std::string &args,
                             const std::string &label, bool top) {
    try {
      db_.db.add_database(
          Xapian::Remote::open(prog, args, db_.params.timeout_ms));
      db_.shards++;
      db_.remote = true;
      return CYS_OK;
    } catch (...) {
      ShardError e;
      e.status = classify(e.why);
      return shard_failed(":" + prog, label, top, e);
    }
  }

  /* Every database a stub file lists.  A malformed stub is an error even
   * with allow_partial: it is the cluster's configuration, not a shard. */
  cys_status add_stub(const std::string &file, const std::string &label,
                      int depth, bool top) {
    if (depth >= MAX_STUB_DEPTH)
      return fail_with(CYS_INVALID, label + ": stub files nest more than " +
                                        std::to_string(MAX_STUB_DEPTH) +
                                        " deep (a loop?)");
    std::ifstream in(file);
    if (!in)
      return shard_failed(file, label, top,
                          {CYS_IO, "cannot read the stub file"});
    std::string dir = file.substr(0, file.rfind('/') + 1);
    std::string line;
    unsigned lineno = 0, listed = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (line.empty() || line[0] == '#')
        continue;
      size_t sp = line.find(' ');
      std::string type = line.substr(0, sp);
      std::string arg = sp == std::string::npos ? "" : line.substr(sp + 1);
      std::string where = "line " + std::to_string(lineno) + " of '" +
                          file + "'";
      if (top && listed == 0 && !known_type(type))
        /* Not a stub at all: say what the user gave us. */
        return fail_with(CYS_NOT_FOUND,
                         top_name(label) +
                             "it is a file, not an index directory or a "
                             "stub file listing shards");
      if (!known_type(type) || arg.empty())
        return fail_with(CYS_INVALID,
                         label + ": " + where +
                             ": not a stub line (auto PATH, glass PATH, "
                             "remote HOST:PORT)");
      listed++;
      cys_status st;
      std::string host;
      unsigned port = 0;
      if (type == "remote" && arg[0] == ':') {
        size_t s2 = arg.find(' ');
        std::string prog = arg.substr(1, s2 == std::string::npos
                                             ? std::string::npos
                                             : s2 - 1);
        std::string args = s2 == std::string::npos ? "" : arg.substr(s2 + 1);
        st = add_remote_prog(prog, args,
                             "shard '" + arg + "' (" + where + ")", false);
      } else if (type == "remote") {
        if (!parse_host_port(arg, host, port))
          return fail_with(CYS_INVALID, label + ": " + where +
                                            ": '" + arg +
                                            "' is not HOST:PORT");
        st = add_remote(arg, host, port,
                        "shard '" + arg + "' (" + where + ")", false);
      } else {
        std::string path = arg[0] == '/' ? arg : dir + arg;
        st = add(path, "shard '" + path + "' (" + where + ")", depth + 1,
                 false);
      }
      if (st != CYS_OK)
        return st;
    }
    if (listed == 0)
      return fail_with(CYS_NOT_FOUND,
                       (top ? top_name(label) : label + ": ") +
                           "the stub file '" + file + "' lists no shards");
    return CYS_OK;
  }

  static bool known_type(const std::string &t) {
    return t == "auto" || t == "glass" || t == "remote";
  }

  /* A shard could not be opened: skip it with allow_partial, else fail
   * with a message that names it (top-level entries are named by the
   * caller). */
  cys_status shard_failed(const std::string &shard, const std::string &label,
                          bool top, const ShardError &e) {
    /* (A single top-level entry that fails leaves nothing to search.) */
    if (db_.params.allow_partial && (!top || db_.specs.size() > 1)) {
      db_.unavailable.emplace_back(shard, e.why);
      return CYS_OK;
    }
    return fail_with(e.status, top ? top_name(label) + e.why
                                   : label + ": " + e.why);
  }

  /* Top-level entries are named by the caller when there is only one. */
  std::string top_name(const std::string &label) const {
    return db_.specs.size() > 1 ? label + ": " : std::string();
  }

  cys_status fail_with(cys_status status, std::string message) {
    db_.error = std::move(message);
    return status;
  }
};

} // namespace

extern "C" {

void cys_db_open_params_init(cys_db_open_params *params) {
  params->timeout_ms = 10000; /* Xapian's defaults */
  params->connect_timeout_ms = 10000;
  params->allow_partial = 0;
}

cys_status cys_db_open_shards(cys_db *db, const char *const *specs, size_t n,
                              const cys_db_open_params *params) {
  if (!db || !specs || n == 0)
    return CYS_INVALID;
  try {
    std::vector<std::string> list(specs, specs + n);
    cys_db_open_params p;
    if (params)
      p = *params;
    else
      cys_db_open_params_init(&p);
    db->specs = std::move(list);
    db->params = p;
    return cys_db_reconnect(db);
  } catch (...) {
    db->open = false;
    return fail(db->error);
  }
}

cys_status cys_db_open(cys_db *db, const char *path) {
  if (!db || !path)
    return CYS_INVALID;
  return cys_db_open_shards(db, &path, 1, nullptr);
}

cys_status cys_db_reconnect(cys_db *db) {
  if (!db || db->specs.empty())
    return CYS_INVALID;
  try {
    db->error.clear();
    db->open = false;
    db->db = Xapian::Database();
    db->shards = 0;
    db->remote = false;
    db->unavailable.clear();
    Opener opener(*db);
    for (const std::string &spec : db->specs) {
      cys_status st = opener.add_entry(spec);
      if (st != CYS_OK) {
        db->db = Xapian::Database();
        return st;
      }
    }
    if (db->shards == 0) {
      /* allow_partial, and nothing could be opened. */
      std::string why = "no shard could be opened";
      for (const auto &u : db->unavailable)
        why += "; '" + u.first + "': " + u.second;
      db->error = why;
      return CYS_NETWORK;
    }
    db->open = true;
    return CYS_OK;
  } catch (...) {
    db->db = Xapian::Database();
    return fail(db->error);
  }
}

size_t cys_db_shard_count(const cys_db *db) { return db ? db->shards : 0; }

int cys_db_is_remote(const cys_db *db) { return db && db->remote; }

size_t cys_db_unavailable_count(const cys_db *db) {
  return db ? db->unavailable.size() : 0;
}

const char *cys_db_unavailable(const cys_db *db, size_t i, const char **why) {
  if (!db || i >= db->unavailable.size())
    return nullptr;
  if (why)
    *why = db->unavailable[i].second.c_str();
  return db->unavailable[i].first.c_str();
}

} // extern "C"

extern "C" {

/* ---- reading ----------------------------------------------------------- */

cys_db *cys_db_new(void) { return new (std::nothrow) cys_db(); }

void cys_db_free(cys_db *db) { delete db; }

const char *cys_db_errmsg(const cys_db *db) {
  return db ? db->error.c_str() : "no database handle";
}

cys_status cys_db_check(const char *path, char **report) {
  if (report)
    *report = nullptr;
  if (!path)
    return CYS_INVALID;
  std::ostringstream out;
  cys_status status;
  try {
    size_t errors = Xapian::Database::check(path, Xapian::DBCHECK_SHOW_STATS,
                                            &out);
    status = errors ? CYS_CORRUPT : CYS_OK;
  } catch (...) {
    std::string message;
    status = classify(message);
    out << message << "\n";
  }
  if (report)
    *report = dup_string(out.str());
  return status;
}

cys_status cys_db_compact(const char *src, const char *dst, char **error) {
  if (error)
    *error = nullptr;
  if (!src || !dst)
    return CYS_INVALID;
  try {
    Xapian::Database db(src, Xapian::DB_BACKEND_GLASS);
    db.compact(dst);
    return CYS_OK;
  } catch (...) {
    std::string message;
    cys_status status = classify(message);
    if (error)
      *error = dup_string(message);
    return status;
  }
}

cys_status cys_db_reopen(cys_db *db) {
  if (!db || !db->open)
    return CYS_INVALID;
  try {
    db->db.reopen();
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

cys_status cys_db_doccount(cys_db *db, uint64_t *out) {
  if (!db || !db->open || !out)
    return CYS_INVALID;
  try {
    *out = db->db.get_doccount();
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

cys_status cys_db_termfreq(cys_db *db, const char *term, size_t len,
                           uint64_t *out) {
  if (!db || !db->open || !term || !out)
    return CYS_INVALID;
  try {
    *out = db->db.get_termfreq(std::string(term, len));
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

cys_status cys_db_get_metadata(cys_db *db, const char *key, char **out) {
  if (!db || !db->open || !key || !out)
    return CYS_INVALID;
  try {
    char *value = dup_string(db->db.get_metadata(key));
    if (!value)
      return CYS_NOMEM;
    *out = value;
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

void cys_match_params_init(cys_match_params *params) {
  params->first = 0;
  params->max = 10;
  params->check_at_least = 0;
  params->bm25_k1 = 1.0; /* Xapian's own defaults; callers choose theirs */
  params->bm25_b = 0.5;
  params->time_limit = 0.0;
  params->count_values = 0;
  params->count_slot = 0;
  params->sort_by_value = 0;
  params->sort_slot = 0;
  params->collapse = 0;
  params->collapse_slot = 0;
}

/* The weighting and order every search uses. */
static void configure(Xapian::Enquire &enquire,
                      const cys_match_params *params) {
  /* k2 = 0 and k3 = 1: query-term frequency counts linearly, and no
   * document-length correction term: the classic BM25. */
  enquire.set_weighting_scheme(
      Xapian::BM25Weight(params->bm25_k1, 0.0, 1.0, params->bm25_b, 0.5));
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

/* Counts the values of one slot over the matches, as
 * Xapian::ValueCountMatchSpy does, without a std::map: each value is
 * appended to one buffer, and the buffer is sorted and its equal values
 * merged once the match is over (see CountedValues).  Used for local
 * databases; over remote shards only Xapian's own spy runs in
 * xapian-tcpsrv, and the two give the same counts. */
class ValueListSpy : public Xapian::MatchSpy {
public:
  explicit ValueListSpy(Xapian::valueno slot) : slot_(slot) {}
  void operator()(const Xapian::Document &doc, double) override {
    ++total_;
    const std::string value = doc.get_value(slot_);
    if (value.empty())
      return;
    seen_.push_back({leading_bytes(value), bytes_.size(), value.size()});
    bytes_.append(value);
  }
  Xapian::doccount get_total() const { return total_; }
  /* Move the counts, in byte order of the values, into out. */
  void take_counts(CountedValues &out) {
    const char *base = bytes_.data();
    std::sort(seen_.begin(), seen_.end(),
              [base](const Seen &a, const Seen &b) {
                if (a.lead != b.lead)
                  return a.lead < b.lead;
                int c = std::memcmp(base + a.offset, base + b.offset,
                                    std::min(a.len, b.len));
                return c != 0 ? c < 0 : a.len < b.len;
              });
    out.clear();
    out.entries.reserve(seen_.size());
    for (size_t i = 0; i < seen_.size(); i++) {
      const Seen &v = seen_[i];
      if (!out.entries.empty()) {
        CountedValues::Entry &last = out.entries.back();
        if (last.len == v.len &&
            std::memcmp(base + last.offset, base + v.offset, v.len) == 0) {
          last.count++;
          continue;
        }
      }
      out.entries.push_back({v.offset, v.len, 1});
    }
    /* Only now: a short string's bytes live inside it, and move with it. */
    out.bytes.swap(bytes_);
    seen_.clear();
  }

private:
  struct Seen {
    uint64_t lead; /* the first 8 bytes, big-endian, zero-padded */
    size_t offset, len;
  };
  static uint64_t leading_bytes(const std::string &value) {
    uint64_t lead = 0;
    for (size_t i = 0; i < 8; i++)
      lead = lead << 8 | (i < value.size() ? (unsigned char)value[i] : 0);
    return lead;
  }
  Xapian::valueno slot_;
  Xapian::doccount total_ = 0;
  std::string bytes_;
  std::vector<Seen> seen_;
};

/* Run the match for ranks [first, first + count) of the order set on
 * enquire, counting params.count_slot if asked. */
static Xapian::MSet counted_match(const cys_db *db, Xapian::Enquire &enquire,
                                  const cys_match_params *params,
                                  Xapian::doccount first,
                                  Xapian::doccount count, cys_mset *result) {
  std::unique_ptr<Xapian::ValueCountMatchSpy> stock;
  std::unique_ptr<ValueListSpy> local;
  enquire.clear_matchspies();
  if (params->count_values && db->remote) {
    stock.reset(new Xapian::ValueCountMatchSpy(params->count_slot));
    enquire.add_matchspy(stock.get());
  } else if (params->count_values) {
    local.reset(new ValueListSpy(params->count_slot));
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
    seen = local->get_total();
  }
  /* Every match was seen when fewer than check_at_least were, unless the
   * time limit cut the match short (it cannot have before it passed). */
  result->counted_all =
      params->count_values && seen < params->check_at_least &&
      (params->time_limit <= 0.0 || took.count() < params->time_limit);
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

/* Collapsing near-duplicates, done here on a ranked pool rather than by
 * Enquire::set_collapse_key: Xapian's collapser keeps every key it meets
 * while counting matches exactly (check_at_least), which made a top-10
 * search on 100,000 articles several times slower than the match itself
 * (tests/bench).  The pool of the best documents is read in rank order and
 * a document whose key was met before is a copy of that story; the pool
 * grows until it holds the page's stories or every match.  A story's
 * copies are counted within the pool (the caller has exact numbers from
 * the counted keys when every match was counted).  Documents without a
 * key are stories of their own. */
static void collapse_match(const cys_db *db, Xapian::Enquire &enquire,
                           const cys_match_params *params, cys_mset *result) {
  const Xapian::doccount want =
      params->first > Xapian::doccount(-1) - params->max
          ? Xapian::doccount(-1)
          : params->first + params->max;
  Xapian::doccount pool = want < 1000 ? want * 2 + 20 : want + want / 4;
  std::vector<Xapian::doccount> leaders; /* pool index of each story */
  std::vector<std::string> leader_keys;
  std::unordered_map<std::string, Xapian::doccount> story_of;
  for (;;) {
    result->mset = counted_match(db, enquire, params, 0, pool, result);
    result->mset.fetch();
    leaders.clear();
    leader_keys.clear();
    story_of.clear();
    result->copies.clear();
    for (Xapian::doccount i = 0; i < result->mset.size(); i++) {
      std::string key = matched_value(result->mset[i], params->collapse_slot);
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

cys_status cys_db_search(cys_db *db, const cys_query *query,
                         const cys_match_params *params, cys_mset **out) {
  if (!db || !db->open || !query || !params || !out)
    return CYS_INVALID;
  cys_mset *result = nullptr;
  try {
    Xapian::Enquire enquire(db->db);
    enquire.set_query(query->query);
    configure(enquire, params);
    if (params->sort_by_value)
      enquire.set_sort_by_value_then_relevance(params->sort_slot, true);
    if (params->time_limit > 0.0)
      enquire.set_time_limit(params->time_limit);
    result = new cys_mset();
    result->db = db;
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
    enquire.set_weighting_scheme(
        Xapian::BM25Weight(params->bm25_k1, 0.0, 1.0, params->bm25_b, 0.5));
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

/* Report the terms of db under prefix to fn (cys_db_terms,
 * cys_wdb_terms); errors go to error. */
static cys_status walk_terms(const Xapian::Database &db, const char *prefix,
                             size_t len, cys_term_fn fn, void *ctx,
                             std::string &error) {
  try {
    std::string p(prefix ? prefix : "", len);
    for (Xapian::TermIterator it = db.allterms_begin(p),
                              end = db.allterms_end(p);
         it != end; ++it) {
      std::string term = *it;
      if (fn(ctx, term.data(), term.size(), it.get_termfreq()))
        break;
    }
    return CYS_OK;
  } catch (...) {
    return fail(error);
  }
}

cys_status cys_db_terms(cys_db *db, const char *prefix, size_t len,
                        cys_term_fn fn, void *ctx) {
  if (!db || !db->open || (!prefix && len) || !fn)
    return CYS_INVALID;
  return walk_terms(db->db, prefix, len, fn, ctx, db->error);
}

cys_status cys_db_find(cys_db *db, const char *term, size_t len,
                       cys_docid *out) {
  if (!db || !db->open || !term || !out)
    return CYS_INVALID;
  try {
    std::string t(term, len);
    Xapian::PostingIterator p = db->db.postlist_begin(t);
    *out = p == db->db.postlist_end(t) ? 0 : *p;
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

cys_status cys_db_value_max(cys_db *db, unsigned slot, char **out) {
  if (!db || !db->open || !out)
    return CYS_INVALID;
  try {
    char *v = dup_string(db->db.get_value_upper_bound(slot));
    if (!v)
      return CYS_NOMEM;
    *out = v;
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
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
      configure(enquire, params);
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

size_t cys_mset_size(const cys_mset *mset) {
  return mset ? mset->page.size() : 0;
}

void cys_mset_totals(const cys_mset *mset, uint64_t *estimated,
                     uint64_t *lower, uint64_t *upper) {
  if (estimated)
    *estimated = mset->mset.get_matches_estimated();
  if (lower)
    *lower = mset->mset.get_matches_lower_bound();
  if (upper)
    *upper = mset->mset.get_matches_upper_bound();
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
    return CYS_OK;
  } catch (...) {
    return fail(mset->db->error);
  }
}

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

/* ---- writing ----------------------------------------------------------- */

cys_wdb *cys_wdb_new(void) { return new (std::nothrow) cys_wdb(); }

/* The writer always works inside a flushed Xapian transaction (begun in
 * cys_wdb_open and again after each commit), so destroying it cancels the
 * transaction and drops uncommitted changes, as db.h promises, instead of
 * committing them as a plain WritableDatabase destructor would. */
void cys_wdb_free(cys_wdb *wdb) { delete wdb; }

const char *cys_wdb_errmsg(const cys_wdb *wdb) {
  return wdb ? wdb->error.c_str() : "no database handle";
}

cys_status cys_wdb_open(cys_wdb *wdb, const char *path) {
  if (!wdb || !path)
    return CYS_INVALID;
  try {
    wdb->error.clear();
    wdb->db = Xapian::WritableDatabase(
        path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    wdb->db.begin_transaction(true);
    wdb->reader = wdb->db; /* the same database: sees uncommitted changes */
    wdb->open = wdb->readable = true;
    return CYS_OK;
  } catch (...) {
    wdb->open = wdb->readable = false;
    return fail(wdb->error);
  }
}

cys_wdb *cys_wdb_new_union(cys_wdb *const *shards, size_t n) {
  if (!shards || n == 0)
    return nullptr;
  cys_wdb *u = new (std::nothrow) cys_wdb();
  if (!u)
    return nullptr;
  try {
    for (size_t i = 0; i < n; i++) {
      if (!shards[i] || !shards[i]->readable) {
        delete u;
        return nullptr;
      }
      u->reader.add_database(shards[i]->reader);
      u->uuids.push_back(shards[i]->reader.get_uuid());
    }
    u->readable = true;
    return u;
  } catch (...) {
    delete u;
    return nullptr;
  }
}

cys_status cys_wdb_add(cys_wdb *wdb, const cys_doc *doc, cys_docid *out) {
  if (!wdb || !wdb->open || !doc)
    return CYS_INVALID;
  try {
    Xapian::docid id = wdb->db.add_document(doc->doc);
    if (out)
      *out = id;
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_replace_docid(cys_wdb *wdb, cys_docid docid,
                                 const cys_doc *doc) {
  if (!wdb || !wdb->open || !doc || docid == 0)
    return CYS_INVALID;
  try {
    wdb->db.replace_document(docid, doc->doc);
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_merge(const char *const *paths, size_t n, const char *dst,
                         char **error) {
  if (error)
    *error = nullptr;
  if (!paths || n == 0 || !dst)
    return CYS_INVALID;
  try {
    Xapian::Database all;
    for (size_t i = 0; i < n; i++)
      all.add_database(Xapian::Database(paths[i], Xapian::DB_BACKEND_GLASS));
    all.compact(dst);
    return CYS_OK;
  } catch (...) {
    std::string message;
    cys_status status = classify(message);
    if (error)
      *error = dup_string(message);
    return status;
  }
}

cys_status cys_wdb_find(cys_wdb *wdb, const char *term, size_t len,
                        cys_docid *out) {
  if (!wdb || !wdb->readable || !term || !out)
    return CYS_INVALID;
  try {
    Xapian::PostingIterator p = wdb->reader.postlist_begin(std::string(term, len));
    *out = (p == wdb->reader.postlist_end(std::string(term, len))) ? 0 : *p;
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_get_value(cys_wdb *wdb, cys_docid docid, unsigned slot,
                             char **out, size_t *out_len) {
  if (!wdb || !wdb->readable || !out)
    return CYS_INVALID;
  try {
    std::string v = wdb->reader.get_document(docid).get_value(slot);
    char *s = dup_string(v);
    if (!s)
      return CYS_NOMEM;
    *out = s;
    if (out_len)
      *out_len = v.size();
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_replace(cys_wdb *wdb, const char *term, size_t len,
                           const cys_doc *doc) {
  if (!wdb || !wdb->open || !term || !doc || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    wdb->db.replace_document(std::string(term, len), doc->doc);
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_match(cys_wdb *wdb, const cys_query *query, uint32_t max,
                         cys_docid below, cys_docid *docids, size_t *n) {
  if (!wdb || !wdb->readable || !query || (max && !docids) || !n)
    return CYS_INVALID;
  try {
    Xapian::Enquire enquire(wdb->reader);
    if (below) {
      DocidBelowSource *earlier = new DocidBelowSource(wdb->uuids, below);
      enquire.set_query(Xapian::Query(
          Xapian::Query::OP_FILTER, query->query,
          Xapian::Query(earlier->release())));
    } else {
      enquire.set_query(query->query);
    }
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    Xapian::MSet m = enquire.get_mset(0, max);
    size_t count = 0;
    for (Xapian::MSetIterator it = m.begin(); it != m.end() && count < max;
         ++it)
      docids[count++] = *it;
    *n = count;
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_get_data(cys_wdb *wdb, cys_docid docid, char **out,
                            size_t *out_len) {
  if (!wdb || !wdb->readable || !out)
    return CYS_INVALID;
  try {
    std::string v = wdb->reader.get_document(docid).get_data();
    char *s = dup_string(v);
    if (!s)
      return CYS_NOMEM;
    *out = s;
    if (out_len)
      *out_len = v.size();
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_docids(cys_wdb *wdb, cys_docid **out, size_t *n) {
  if (!wdb || !wdb->readable || !out || !n)
    return CYS_INVALID;
  try {
    std::vector<cys_docid> all;
    all.reserve(wdb->reader.get_doccount());
    for (Xapian::PostingIterator p = wdb->reader.postlist_begin("");
         p != wdb->reader.postlist_end(""); ++p)
      all.push_back(*p);
    cys_docid *copy = static_cast<cys_docid *>(
        std::malloc((all.empty() ? 1 : all.size()) * sizeof *copy));
    if (!copy)
      return CYS_NOMEM;
    std::copy(all.begin(), all.end(), copy);
    *out = copy;
    *n = all.size();
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

/* The document is read from the database it is written back to, with its
 * terms untouched: glass then rewrites only its values (1.4's
 * replace_document compares a document read from the same database and
 * skips the postings when no term changed). */
cys_status cys_wdb_set_values(cys_wdb *wdb, cys_docid docid,
                              const unsigned *slots,
                              const char *const *values, const size_t *lens,
                              size_t n) {
  if (!wdb || !wdb->open || !docid || (n && (!slots || !values || !lens)))
    return CYS_INVALID;
  try {
    Xapian::Document doc = wdb->db.get_document(docid);
    for (size_t i = 0; i < n; i++)
      doc.add_value(slots[i], std::string(values[i], lens[i]));
    wdb->db.replace_document(docid, doc);
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_termlist(cys_wdb *wdb, cys_docid docid, const char *from,
                            cys_term_fn fn, void *ctx) {
  if (!wdb || !wdb->readable || !fn)
    return CYS_INVALID;
  try {
    Xapian::TermIterator it = wdb->reader.termlist_begin(docid),
                         end = wdb->reader.termlist_end(docid);
    if (from && *from)
      it.skip_to(from);
    for (; it != end; ++it) {
      std::string term = *it;
      if (fn(ctx, term.data(), term.size(), it.get_wdf()))
        break;
    }
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_retag(cys_wdb *wdb, cys_docid docid, const char *old_term,
                         size_t old_len, const char *new_term,
                         size_t new_len) {
  if (!wdb || !wdb->open || !docid || (old_len && !old_term) ||
      (new_len && !new_term) || old_len > CYS_TERM_MAX ||
      new_len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    Xapian::Document doc = wdb->db.get_document(docid);
    if (old_len)
      doc.remove_term(std::string(old_term, old_len));
    if (new_len)
      doc.add_boolean_term(std::string(new_term, new_len));
    wdb->db.replace_document(docid, doc);
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_terms(cys_wdb *wdb, const char *prefix, size_t len,
                         cys_term_fn fn, void *ctx) {
  if (!wdb || !wdb->readable || !fn || (len && !prefix))
    return CYS_INVALID;
  return walk_terms(wdb->reader, prefix, len, fn, ctx, wdb->error);
}

cys_status cys_wdb_delete(cys_wdb *wdb, const char *term, size_t len) {
  if (!wdb || !wdb->open || !term || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    wdb->db.delete_document(std::string(term, len));
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_set_metadata(cys_wdb *wdb, const char *key,
                                const char *value) {
  if (!wdb || !wdb->open || !key || !value)
    return CYS_INVALID;
  try {
    wdb->db.set_metadata(key, value);
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_get_metadata(cys_wdb *wdb, const char *key, char **out) {
  if (!wdb || !wdb->readable || !key || !out)
    return CYS_INVALID;
  try {
    char *value = dup_string(wdb->reader.get_metadata(key));
    if (!value)
      return CYS_NOMEM;
    *out = value;
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_doccount(cys_wdb *wdb, uint64_t *out) {
  if (!wdb || !wdb->readable || !out)
    return CYS_INVALID;
  try {
    *out = wdb->reader.get_doccount();
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
  }
}

cys_status cys_wdb_commit(cys_wdb *wdb) {
  if (!wdb || !wdb->open)
    return CYS_INVALID;
  try {
    wdb->db.commit_transaction();
    wdb->db.begin_transaction(true);
    return CYS_OK;
  } catch (...) {
    /* The failed transaction's changes are gone and none is in progress:
     * the handle must not be used for more writes. */
    wdb->open = false;
    return fail(wdb->error);
  }
}

cys_status cys_wdb_commit_all(cys_wdb *const *wdbs, size_t n) {
  if (!wdbs || n == 0)
    return CYS_INVALID;
  std::vector<cys_status> status(n, CYS_OK);
  std::vector<std::thread> threads;
  size_t started = 0;
  try {
    for (size_t i = 1; i < n; i++, started++)
      threads.emplace_back(
          [&status, wdbs, i] { status[i] = cys_wdb_commit(wdbs[i]); });
  } catch (...) {
    /* No thread to be had: commit the rest here, one after the other. */
  }
  for (size_t i = started + 1; i < n; i++)
    status[i] = cys_wdb_commit(wdbs[i]);
  status[0] = cys_wdb_commit(wdbs[0]);
  for (std::thread &t : threads)
    t.join();
  for (size_t i = 0; i < n; i++)
    if (status[i] != CYS_OK)
      return status[i];
  return CYS_OK;
}

cys_doc *cys_doc_new(void) { return new (std::nothrow) cys_doc(); }

void cys_doc_free(cys_doc *doc) { delete doc; }

void cys_doc_clear(cys_doc *doc) {
  if (!doc)
    return;
  try {
    doc->doc = Xapian::Document();
  } catch (...) {
    /* A fresh Document allocates nothing that can fail in practice; if it
     * did, the old one stays and the next add reports the problem. */
  }
}

cys_status cys_doc_add_posting(cys_doc *doc, const char *term, size_t len,
                               unsigned pos) {
  if (!doc || !term || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    doc->doc.add_posting(std::string(term, len), pos);
    return CYS_OK;
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_doc_add_term(cys_doc *doc, const char *term, size_t len,
                            unsigned wdf_inc) {
  if (!doc || !term || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    doc->doc.add_term(std::string(term, len), wdf_inc);
    return CYS_OK;
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_doc_add_boolean_term(cys_doc *doc, const char *term,
                                    size_t len) {
  if (!doc || !term || len == 0 || len > CYS_TERM_MAX)
    return CYS_INVALID;
  try {
    doc->doc.add_boolean_term(std::string(term, len));
    return CYS_OK;
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_doc_set_value(cys_doc *doc, unsigned slot, const void *value,
                             size_t len) {
  if (!doc || (!value && len))
    return CYS_INVALID;
  try {
    doc->doc.add_value(slot,
                       std::string(static_cast<const char *>(value), len));
    return CYS_OK;
  } catch (...) {
    return classify_quietly();
  }
}

cys_status cys_doc_set_data(cys_doc *doc, const void *data, size_t len) {
  if (!doc || (!data && len))
    return CYS_INVALID;
  try {
    doc->doc.set_data(std::string(static_cast<const char *>(data), len));
    return CYS_OK;
  } catch (...) {
    return classify_quietly();
  }
}

} /* extern "C" */
