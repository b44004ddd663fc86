/*
 * xapian_shim_open.cc — opening a cys_db: index directories, stub files and
 * remote shards (xapian-tcpsrv), with their timeouts and, with
 * allow_partial, the shards left out; and the reads of an open cys_db that
 * are not a search: document count, term frequencies, metadata, the terms
 * under a prefix, checking and compacting an index.  Part of the C++ shim
 * (xapian_shim_internal.hh).
 */
#include <xapian.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <dirent.h>
#include <sys/stat.h>

#include "cysearch/index.h"
#include "resolve.h"
#include "xapian_shim_internal.hh"

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
  /* Each database added so far (a directory's device and inode, a remote
   * address) and the label it was added under: one listed twice would be
   * searched twice, every hit of it counted double. */
  std::map<std::string, std::string> added_;

  /* Refuse a database that is already in (a stub line naming a shard
   * again, directly or through another path or stub). */
  bool first_time(const std::string &key, const std::string &label,
                  cys_status &st) {
    auto it = added_.find(key);
    if (it == added_.end()) {
      added_.emplace(key, label);
      return true;
    }
    st = fail_with(CYS_INVALID, label + ": the same database as " + it->second +
                                    ": list each shard once");
    return false;
  }

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
                                          "directory; give the directory of "
                                          "an index, or HOST:PORT of an "
                                          "xapian-tcpsrv)"});
    }
    if (S_ISDIR(sb.st_mode)) {
      if (is_file(spec + "/iamglass") || is_file(spec + "/iamchert"))
        return add_local(spec, label, top);
      if (is_file(spec + "/XAPIANDB"))
        return add_stub(spec + "/XAPIANDB", label, depth, top);
      return shard_failed(spec, label, top,
                          {CYS_NOT_FOUND, "the directory holds no index"});
    }
    if (S_ISREG(sb.st_mode))
      return add_stub(spec, label, depth, top);
    return shard_failed(spec, label, top,
                        {CYS_NOT_FOUND, "not a directory or a file"});
  }

  cys_status add_local(const std::string &path, const std::string &label,
                       bool top) {
    struct stat sb;
    cys_status st = CYS_OK;
    if (stat(path.c_str(), &sb) == 0 &&
        !first_time(std::to_string(sb.st_dev) + ":" + std::to_string(sb.st_ino),
                    label, st))
      return st;
    try {
      check_revision_file(path);
      db_.db.add_database(Xapian::Database(path));
      db_.shards++;
      return CYS_OK;
    } catch (...) {
      ShardError e;
      e.status = classify(e.why);
      return shard_failed(path, label, top, e);
    }
  }

  /* The host is looked up here, within the connect timeout (resolve.h),
   * and Xapian given the address: its own lookup has no time limit.
   * Messages name the shard as written (spec, label). */
  cys_status add_remote(const std::string &spec, const std::string &host,
                        unsigned port, const std::string &label, bool top) {
    char address[RESOLVE_NUMERIC_SIZE];
    char why[512];
    cys_status st = resolve_host(host.c_str(),
                                 db_.params.connect_timeout_ms / 1000.0,
                                 address, sizeof address, why, sizeof why);
    if (st != CYS_OK)
      return shard_failed(spec, label, top,
                          {st, std::string("cannot reach xapian-tcpsrv: ") +
                                   why});
    if (!first_time(std::string("tcp ") + address + " " + std::to_string(port),
                    label, st))
      return st;
    try {
      db_.db.add_database(Xapian::Remote::open(
          address, port, db_.params.timeout_ms,
          db_.params.connect_timeout_ms));
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

int cys_db_is_remote(const cys_db *db) { return db && db->remote; }

int cys_db_is_single(const cys_db *db) {
  return db && db->open && !db->remote && db->db.size() == 1;
}

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

cys_status cys_db_values(cys_db *db, unsigned slot, cys_value_fn fn,
                         void *ctx) {
  if (!db || !db->open || !fn)
    return CYS_INVALID;
  try {
    if (!cys_db_is_single(db)) {
      db->error = "only an index of one local database lists its values "
                  "by docid";
      return CYS_INVALID;
    }
    for (Xapian::ValueIterator it = db->db.valuestream_begin(slot);
         it != db->db.valuestream_end(slot); ++it) {
      const std::string value = *it;
      if (fn(ctx, it.get_docid(), value.data(), value.size()) != 0)
        break;
    }
    return CYS_OK;
  } catch (...) {
    return fail(db->error);
  }
}

} // extern "C"

cys_status invalid_argument(char **error, const char *why) {
  if (error)
    *error = dup_string(why);
  return CYS_INVALID;
}

cys_status new_index_dir(const char *dir, char **error) {
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT)
      return CYS_OK;
    std::string why = std::string("cannot write an index at '") + dir +
                      "': " + std::strerror(errno);
    if (error)
      *error = dup_string(why);
    return errno == ENOTDIR ? CYS_EXISTS : CYS_IO;
  }
  bool used = false;
  for (struct dirent *e; !used && (e = readdir(d)) != nullptr;)
    used = std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0;
  closedir(d);
  if (!used)
    return CYS_OK;
  if (error)
    *error = dup_string(std::string("'") + dir +
                        "' is not empty: give a new or empty directory");
  return CYS_EXISTS;
}

extern "C" {

/* ---- reading ----------------------------------------------------------- */

cys_db *cys_db_new(void) { return new (std::nothrow) cys_db(); }

void cys_db_free(cys_db *db) { delete db; }

const char *cys_db_errmsg(const cys_db *db) {
  return db ? db->error.c_str() : "no database handle";
}

/* Nothing for the checker at path: no such path, or a directory without
 * a glass index's version file (an empty or unrelated directory).  The
 * checker says so with a plain DatabaseError, as it does for a failed read,
 * so index.h's CYS_NOT_FOUND is told apart here. */
static bool no_index_at(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0)
    return errno == ENOENT || errno == ENOTDIR;
  if (!S_ISDIR(st.st_mode))
    return false; /* a table file: the checker reads those too */
  std::string version = std::string(path) + "/iamglass";
  return stat(version.c_str(), &st) != 0 && errno == ENOENT;
}

cys_status cys_index_check(const char *path, char **report) {
  if (report)
    *report = nullptr;
  if (!path)
    return invalid_argument(report, "no index path given");
  std::ostringstream out;
  cys_status status;
  char why[4096 + 200];
  if (glass_revision_check(path, why, sizeof why) != 0) {
    /* Xapian's checker trusts the revision file and reads outside its
     * buffers when it is damaged (glass_revision.h): damage, found first. */
    out << why << "\n";
    if (report)
      *report = dup_string(out.str());
    return CYS_CORRUPT;
  }
  try {
    size_t errors = Xapian::Database::check(path, Xapian::DBCHECK_SHOW_STATS,
                                            &out);
    status = errors ? CYS_CORRUPT : CYS_OK;
  } catch (const Xapian::DatabaseError &e) {
    /* The checker stops at the first broken block by throwing a plain
     * DatabaseError with no errno ("Block 4 item 2: item ends outside
     * block", "EOF reading block 24" in a truncated table, "inflate
     * failed" in a broken tag, unused blocks missing from the free list):
     * damage, like a DatabaseCorruptError.  A plain DatabaseError with an
     * errno is a failed read (EIO, ...), and the other kinds (opening: no
     * index there, unreadable; version) are not about the index's content:
     * it could not be checked.  Xapian 1.4 rethrows them all from check()
     * as a DatabaseError object (the C++ type is lost: classify sees a
     * DatabaseError), so the kind is told by get_type(). */
    std::string type = e.get_type();
    bool damage = type == "DatabaseCorruptError" ||
                  (type == "DatabaseError" && !e.get_error_string());
    std::string message;
    status = classify(message);
    if (damage)
      status = CYS_CORRUPT;
    else if (no_index_at(path))
      status = CYS_NOT_FOUND;
    else if (status == CYS_CORRUPT)
      status = CYS_IO;
    out << message << "\n";
  } catch (...) {
    std::string message;
    status = classify(message);
    out << message << "\n";
  }
  if (report)
    *report = dup_string(out.str());
  return status;
}

cys_status cys_index_compact(const char *src, const char *dst,
                              char **error) {
  if (error)
    *error = nullptr;
  if (!src || !dst)
    return invalid_argument(error, "no source or destination path given");
  cys_status free_dir = new_index_dir(dst, error);
  if (free_dir != CYS_OK)
    return free_dir;
  try {
    check_revision_file(src);
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
  return count_documents(db->db, out, db->error);
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
  return read_metadata(db->db, key, out, db->error);
}

} // extern "C"

cys_status read_metadata(const Xapian::Database &db, const char *key,
                         char **out, std::string &error) {
  try {
    char *value = dup_string(db.get_metadata(key));
    if (!value)
      return CYS_NOMEM;
    *out = value;
    return CYS_OK;
  } catch (...) {
    return fail(error);
  }
}

cys_status find_first(const Xapian::Database &db, const char *term,
                      size_t len, cys_docid *out, std::string &error) {
  try {
    std::string t(term, len);
    Xapian::PostingIterator p = db.postlist_begin(t);
    *out = p == db.postlist_end(t) ? 0 : *p;
    return CYS_OK;
  } catch (...) {
    return fail(error);
  }
}

cys_status count_documents(const Xapian::Database &db, uint64_t *out,
                           std::string &error) {
  try {
    *out = db.get_doccount();
    return CYS_OK;
  } catch (...) {
    return fail(error);
  }
}

/* Report the terms of db under prefix to fn (cys_db_terms,
 * cys_wdb_terms); errors go to error. */
cys_status walk_terms(const Xapian::Database &db, const char *prefix,
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

extern "C" {

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
  return find_first(db->db, term, len, out, db->error);
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

} // extern "C"
