/*
 * xapian_shim_internal.hh — shared by the files of the C++ shim, which
 * implements db.h and is the only C++ in cysearch:
 *   xapian_shim_open.cc   opening a cys_db (index directories, stub files,
 *                         remote shards) and reading it: metadata, counts,
 *                         terms
 *   xapian_shim_query.cc  building cys_query trees, and the posting source
 *                         they weigh freshness with
 *   xapian_shim_match.cc  searching a cys_db: match parameters, counting
 *                         values, collapsing, cys_mset; expansion terms
 *                         and the explanation of a score
 *   xapian_shim_weight.cc  the weighting every search uses (BM25, safe
 *                         from a defect of Xapian 1.4's matcher)
 *   xapian_shim_deadline.cc  the deadline of a match, and the guard that
 *                         stops a guarded query past it (MatchDeadline)
 *   xapian_shim_write.cc  cys_wdb and cys_doc: writing, union views of
 *                         several writers, and the reads relinking uses
 *
 * Every extern "C" function is an exception firewall: it catches everything,
 * maps Xapian's exception classes (most-derived first) to a cys_status, and
 * keeps the message on the handle it was called on.  Nothing C++ escapes.
 * Nothing but these files includes this header.
 */
#ifndef CYSEARCH_XAPIAN_SHIM_INTERNAL_HH
#define CYSEARCH_XAPIAN_SHIM_INTERNAL_HH

#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cysearch/db.h"
#include "glass_revision.h"

/* Thrown from inside a match by a guarded query (cys_query_new_guarded)
 * once the match's deadline has passed: CYS_TIMEOUT. */
struct MatchTimeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/* The deadline of the match running on this thread, which the guards of
 * guarded queries check: set for the life of a MatchDeadline (seconds > 0;
 * 0 sets none), restored to the one before when it ends.  The match runs
 * on the calling thread (Xapian 1.4 has no threads of its own), so each
 * thread's searches have their own. */
class MatchDeadline {
public:
  explicit MatchDeadline(double seconds);
  ~MatchDeadline();
  MatchDeadline(const MatchDeadline &) = delete;
  MatchDeadline &operator=(const MatchDeadline &) = delete;

private:
  long long saved_end_;
};

/* Before Xapian opens the index directory dir: throw DatabaseCorruptError
 * (CYS_CORRUPT), saying what to do, when its revision file is damaged in
 * a way that would crash Xapian (glass_revision.h). */
inline void check_revision_file(const std::string &dir) {
  char why[4096 + 200];
  if (glass_revision_check(dir.c_str(), why, sizeof why) == 0)
    return;
  throw Xapian::DatabaseCorruptError(
      std::string(why) + "; check the index " + dir +
      " for details, then restore it from a backup or rebuild it");
}

/* index.h's calls (xapian_shim_open.cc): every failure comes with a
 * message.  invalid_argument returns CYS_INVALID with why in *error (when
 * error is not NULL); new_index_dir returns CYS_OK when dir does not exist
 * or is an empty directory, where the compactor may write a new index, and
 * CYS_EXISTS (or the error that kept it from looking) with a message
 * otherwise, so that no index or other file there is written over. */
cys_status invalid_argument(char **error, const char *why);
cys_status new_index_dir(const char *dir, char **error);

/* query, checking this thread's match deadline at each candidate
 * (xapian_shim_deadline.cc; local databases only). */
Xapian::Query guarded_query(const Xapian::Query &query);

/* Whether matching query on db could outlast a time limit without a guard
 * on its whole query: a wildcard, or more than UNGUARDED_POSTINGS_MAX
 * postings to read, counting each term leaf and the whole database for a
 * match-all, value range or posting source (its phrase and NEAR groups
 * carry guards of their own). */
bool could_run_long(const Xapian::Database &db, const Xapian::Query &query);

/* Rank enquire's matches by BM25 with these k1 and b, safe from Xapian
 * 1.4's AND_MAYBE defect on local databases (xapian_shim_weight.cc). */
void set_ranking_weight(Xapian::Enquire &enquire, double k1, double b,
                        bool remote);

/* Map the exception in flight to a status and a message. */
inline cys_status classify(std::string &message) {
  try {
    throw;
  } catch (const MatchTimeout &e) {
    message = e.what();
    return CYS_TIMEOUT;
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
inline cys_status classify_quietly() {
  std::string ignored;
  try {
    return classify(ignored);
  } catch (...) {
    return CYS_NOMEM; /* assigning the message itself failed */
  }
}

/* Record the exception in flight on a handle's message slot. */
inline cys_status fail(std::string &slot) {
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

inline char *dup_string(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) {
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
  }
  return p;
}

/* v copied into *out (malloc'd, NUL-terminated) and its length into
 * *out_len (when not NULL): CYS_OK, or CYS_NOMEM with *out untouched. */
inline cys_status copy_out(const std::string &v, char **out, size_t *out_len) {
  char *s = dup_string(v);
  if (!s)
    return CYS_NOMEM;
  *out = s;
  if (out_len)
    *out_len = v.size();
  return CYS_OK;
}

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

/* A slot's value stream of a local database read forward, docid after
 * docid (xapian_shim_count.cc): reading values this way decodes each
 * chunk once, where Document::get_value finds its chunk in the B-tree and
 * decodes it from its start for every value. */
class StreamReader {
public:
  StreamReader(const Xapian::Database &db, Xapian::valueno slot);
  /* The value of did ("" when it has none), valid until the next call;
   * dids must not go down. */
  std::string_view value_of(Xapian::docid did);

private:
  Xapian::ValueIterator it_, end_;
  std::string value_;
};

/* Counting a slot's values over a local match (xapian_shim_count.cc): a
 * spy that sees every match the matcher meets and then gives, into out,
 * the distinct values of slot (joined by CYS_DATE_SEPARATOR to
 * date_slot's value when dated; an empty value not dated is not counted)
 * in byte order with their counts.  db is the database searched. */
class MatchCounter : public Xapian::MatchSpy {
public:
  MatchCounter(const Xapian::Database &db, Xapian::valueno slot, bool dated,
               Xapian::valueno date_slot);
  ~MatchCounter() override;
  void operator()(const Xapian::Document &doc, double) override;
  Xapian::doccount seen() const; /* matches seen */
  void take_counts(CountedValues &out);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct cys_mset {
  Xapian::MSet mset;
  cys_db *db; /* errors reading documents are reported here */
  /* The hits of the page: indices into mset, their ranks, the documents
   * of their collapse key among the ranked pool, and their keys. */
  std::vector<Xapian::doccount> page, ranks, copies;
  std::vector<std::string> keys;
  std::vector<std::string> data;
  std::vector<std::string> kev; /* CYS_SLOT_KEV of each hit */
  std::vector<bool> fetched;
  /* params.count_values: the values counted, in byte order. */
  CountedValues counts;
  bool counted_all = false;
  bool counted_dated = false; /* params.count_dated honoured (not remote) */
  /* Totals taken with the counts of another match (cys_mset_adopt_counts),
   * which cys_mset_totals gives instead of mset's. */
  bool adopted_totals = false;
  uint64_t estimated = 0, lower = 0, upper = 0;
  bool requested = false; /* documents of the page asked for (remote) */
  /* Without collapsing, a hit's key is read with its document from this
   * slot (params.collapse_slot), so that every hit says its story. */
  Xapian::valueno key_slot = 0;
  bool collapsed = false;
  /* Collapsed by Xapian's collapser in the match: mset's totals count
   * stories, and its get_uncollapsed_* ones the articles. */
  bool collapsed_in_match = false;
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

/* The reads a search handle (cys_db_*) and a writer's reader (cys_wdb_*)
 * share, on whichever Xapian::Database they hold (xapian_shim_open.cc):
 * the terms under a prefix, a metadata value (malloc'd into *out), the
 * first document with a term (0: none), the number of documents.  Errors
 * go to error, as the handles' own functions do. */
cys_status walk_terms(const Xapian::Database &db, const char *prefix,
                      size_t len, cys_term_fn fn, void *ctx,
                      std::string &error);
cys_status read_metadata(const Xapian::Database &db, const char *key,
                         char **out, std::string &error);
cys_status find_first(const Xapian::Database &db, const char *term,
                      size_t len, cys_docid *out, std::string &error);
cys_status count_documents(const Xapian::Database &db, uint64_t *out,
                           std::string &error);

#endif /* CYSEARCH_XAPIAN_SHIM_INTERNAL_HH */
