/*
 * xapian_shim_write.cc — cys_wdb and cys_doc: a writable index kept inside
 * a transaction until each commit, union views over several writers'
 * indexes, merging shards, and the reads and small rewrites relinking
 * uses (cys_wdb_match with DocidBelowSource, cys_wdb_termlist,
 * cys_wdb_retag, cys_wdb_add_booleans, cys_wdb_set_values), and the
 * posting lists near-duplicate signatures are looked up in
 * (cys_wdb_postings).  Part of the C++ shim
 * (xapian_shim_internal.hh).
 */
#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "cysearch/index.h"
#include "shard_docid.h"
#include "xapian_shim_internal.hh"

/* Matches, without weight, the documents whose docid is lower than a
 * bound, numbered as in a union of n shards (shard_docid.h): the filter
 * behind cys_wdb_match's bound.  (Relinking used it to compare an article
 * with earlier ones only; near-duplicate candidates now come from
 * cys_wdb_postings, whose bound needs no posting source.)  The matcher inits one clone per shard with that
 * shard alone, and tells it neither which shard it is nor (to a
 * MatchDecider) the union's docids, so each clone finds its shard by the
 * database's UUID. */
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
    last_ = shard_docid_last_below(below_, s, n);
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

extern "C" {

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
    check_revision_file(path);
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

cys_status cys_wdb_open_read(cys_wdb *wdb, const char *const *paths,
                             size_t n) {
  if (!wdb || !paths || n == 0)
    return CYS_INVALID;
  try {
    wdb->error.clear();
    wdb->open = wdb->readable = false;
    wdb->reader = Xapian::Database();
    wdb->uuids.clear();
    for (size_t i = 0; i < n; i++) {
      check_revision_file(paths[i]);
      Xapian::Database one(paths[i], Xapian::DB_BACKEND_GLASS);
      wdb->reader.add_database(one);
      if (n > 1) /* as cys_wdb_new_union numbers them */
        wdb->uuids.push_back(one.get_uuid());
    }
    wdb->readable = true;
    return CYS_OK;
  } catch (...) {
    return fail(wdb->error);
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

cys_status cys_index_merge(const char *const *paths, size_t n, const char *dst,
                           char **error) {
  if (error)
    *error = nullptr;
  if (!paths || n == 0 || !dst)
    return invalid_argument(error, "no index to merge or no destination "
                                   "path given");
  for (size_t i = 0; i < n; i++)
    if (!paths[i])
      return invalid_argument(error, "an index path to merge is NULL");
  cys_status free_dir = new_index_dir(dst, error);
  if (free_dir != CYS_OK)
    return free_dir;
  try {
    Xapian::Database all;
    for (size_t i = 0; i < n; i++) {
      check_revision_file(paths[i]);
      all.add_database(Xapian::Database(paths[i], Xapian::DB_BACKEND_GLASS));
    }
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
  return find_first(wdb->reader, term, len, out, wdb->error);
}

cys_status cys_wdb_get_value(cys_wdb *wdb, cys_docid docid, unsigned slot,
                             char **out, size_t *out_len) {
  if (!wdb || !wdb->readable || !out)
    return CYS_INVALID;
  try {
    return copy_out(wdb->reader.get_document(docid).get_value(slot), out,
                    out_len);
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

cys_status cys_wdb_postings(cys_wdb *wdb, const char *term, size_t len,
                            cys_docid below, uint32_t max,
                            cys_docid *docids, size_t *n) {
  if (!wdb || !wdb->readable || !term || len == 0 || len > CYS_TERM_MAX ||
      (max && !docids) || !n)
    return CYS_INVALID;
  try {
    size_t count = 0;
    Xapian::PostingIterator it =
        wdb->reader.postlist_begin(std::string(term, len));
    Xapian::PostingIterator end = wdb->reader.postlist_end(std::string());
    for (; it != end && count < max; ++it) {
      Xapian::docid did = *it;
      if (below && did >= below)
        break;
      docids[count++] = did;
    }
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
    return copy_out(wdb->reader.get_document(docid).get_data(), out, out_len);
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

cys_status cys_wdb_add_booleans(cys_wdb *wdb, cys_docid docid,
                                const char *const *terms, const size_t *lens,
                                size_t n) {
  if (!wdb || !wdb->open || !docid || (n && (!terms || !lens)))
    return CYS_INVALID;
  for (size_t i = 0; i < n; i++)
    if (!terms[i] || lens[i] == 0 || lens[i] > CYS_TERM_MAX)
      return CYS_INVALID;
  try {
    Xapian::Document doc = wdb->db.get_document(docid);
    for (size_t i = 0; i < n; i++)
      doc.add_boolean_term(std::string(terms[i], lens[i]));
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
  return read_metadata(wdb->reader, key, out, wdb->error);
}

cys_status cys_wdb_doccount(cys_wdb *wdb, uint64_t *out) {
  if (!wdb || !wdb->readable || !out)
    return CYS_INVALID;
  return count_documents(wdb->reader, out, wdb->error);
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
