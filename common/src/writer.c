/*
 * writer.c — the write path (writer.h): a prepared article becomes an
 * index document, following the schema in schema.h (id, source, date,
 * hash, collapse key, entities, the stored record), and is added, replaced
 * or found unchanged in its shard; deletions and commits.  Opening is
 * writer_open.c, analysis writer_analyse.c, --prune writer_prune.c.
 */
#include "cysearch/writer.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/schema.h"
#include "cysearch/store.h"
#include "ascii_class.h"
#include "dedup.h"
#include "dedup_kept.h"
#include "facet_value.h"
#include "byte_buf.h"
#include "shard_docid.h"
#include "writer_internal.h"

static cys_status add_boolean(cys_doc *doc, const char *prefix,
                              const char *value, size_t n) {
  char term[CYS_TERM_MAX + 1];
  size_t p = strlen(prefix);
  if (n == 0 || p + n > CYS_TERM_MAX)
    return CYS_OK; /* nothing to filter on */
  memcpy(term, prefix, p);
  memcpy(term + p, value, n);
  return cys_doc_add_boolean_term(doc, term, p + n);
}

/* The site host of an article: its source, lower case, or else the host
 * of its url. */
static size_t site_host(const cys_article *a, char *out, size_t cap) {
  const char *s = a->source;
  size_t n = 0;
  if (!s || !*s) {
    s = a->url;
    if (!s)
      return 0;
    const char *scheme = strstr(s, "://");
    if (!scheme)
      return 0;
    s = scheme + 3;
  }
  while (s[n] && s[n] != '/' && s[n] != ':' && s[n] != '?' && s[n] != '#' &&
         n < cap)
    n++;
  if (n == cap)
    return 0;
  for (size_t i = 0; i < n; i++)
    out[i] = ascii_to_lower(s[i]);
  return n;
}

/* Terms and the stored list for the entities found, and the facet value
 * (facet_value.h): the collapse key, the entities by type, the source
 * host, the year ("" when unknown). */
static cys_status add_entities(cys_doc *doc, const found *f, size_t n,
                               buf *stored, const char *key,
                               const char *host, size_t host_len,
                               const char *year) {
  static const char *const prefixes[] = CYS_ENTITY_PREFIXES;
  static const char *const country_prefixes[] = CYS_ENTITY_COUNTRY_PREFIXES;
  cys_status st = CYS_OK;
  buf values[CYS_ENTITY_TYPES];
  for (int t = 0; t < CYS_ENTITY_TYPES; t++)
    buf_init(&values[t]);
  for (size_t i = 0; i < n && !st; i++) {
    const found *e = &f[i];
    st = add_boolean(doc, prefixes[e->type], e->value, strlen(e->value));
    if (!st && e->country && *country_prefixes[e->type])
      st = add_boolean(doc, country_prefixes[e->type], e->country, 2);
    buf *v = &values[e->type];
    if (v->len)
      buf_append(v, (const char[]){CYS_VALUE_SEPARATOR}, 1);
    buf_append_str(v, e->value);
    char count[16];
    snprintf(count, sizeof count, "%u", e->count);
    buf_append_str(stored, cys_entity_type_name(e->type));
    buf_append(stored, "\t", 1);
    buf_append_str(stored, e->value);
    buf_append(stored, "\t", 1);
    buf_append_str(stored, e->label);
    buf_append(stored, "\t", 1);
    buf_append_str(stored, count);
    buf_append(stored, "\n", 1);
  }
  const char *field[CYS_FACET_FIELDS];
  size_t len[CYS_FACET_FIELDS];
  for (int t = 0; t < CYS_ENTITY_TYPES; t++) {
    if (values[t].failed)
      st = st ? st : CYS_NOMEM;
    field[t] = values[t].data;
    len[t] = values[t].len;
  }
  field[CYS_ENTITY_TYPES] = host;
  len[CYS_ENTITY_TYPES] = host_len;
  field[CYS_ENTITY_TYPES + 1] = year;
  len[CYS_ENTITY_TYPES + 1] = strlen(year);
  buf facets;
  buf_init(&facets);
  facet_value_encode(&facets, key, strlen(key), field, len);
  if (!st && facets.failed)
    st = CYS_NOMEM;
  if (!st)
    st = cys_doc_set_value(doc, CYS_SLOT_FACETS, facets.data, facets.len);
  buf_free(&facets);
  for (int t = 0; t < CYS_ENTITY_TYPES; t++)
    buf_free(&values[t]);
  if (!st && stored->failed)
    st = CYS_NOMEM;
  return st;
}

/* ---- writing (the writer's thread, in input order) ------------------------ */

/* The rest of the document: id, source, date, hash, collapse key (which
 * depends on what the index holds now), entities and the stored
 * article. */
static cys_status finish_document(cys_writer *w, const cys_article *a,
                                  const char *origin, cys_prepared *p,
                                  cys_docid existing, const char *idterm,
                                  size_t idterm_len) {
  cys_doc *doc = p->doc;
  cys_status st;
  if (origin &&
      (st = add_boolean(doc, CYS_PREFIX_ORIGIN, origin, strlen(origin))))
    return st;
  char host[CYS_TERM_MAX];
  size_t host_len = site_host(a, host, sizeof host);
  if ((st = add_boolean(doc, CYS_PREFIX_ID, a->id, strlen(a->id))) ||
      (st = add_boolean(doc, CYS_PREFIX_SOURCE, host, host_len)))
    return st;
  if (a->date) {
    char key[9];
    cys_date_sortkey(a->date, key);
    if ((st = cys_doc_set_value(doc, CYS_SLOT_DATE, key, 8)) ||
        (st = add_boolean(doc, CYS_PREFIX_YEAR, key, 4)))
      return st;
    if (strlen(a->date) >= 7 &&
        (st = add_boolean(doc, CYS_PREFIX_MONTH, key, 6)))
      return st;
  }
  if ((st = cys_doc_set_value(doc, CYS_SLOT_HASH, p->hash, HASH_BYTES)))
    return st;
  char datekey[9], collapse[DEDUP_KEY_LEN + 1];
  if (a->date)
    cys_date_sortkey(a->date, datekey);
  if (w->own_keys)
    dedup_own_key(idterm, idterm_len, collapse);
  else if ((st = dedup_key(w->dedup, p->words, w->view, existing, 0, idterm,
                           idterm_len, a->date ? datekey : NULL, collapse)))
    return st;
  if ((st = cys_doc_set_value(doc, CYS_SLOT_COLLAPSE, collapse,
                              DEDUP_KEY_LEN)))
    return st;

  buf stored;
  buf_init(&stored);
  char year[5] = "";
  if (a->date && memcmp(datekey, "0000", 4) != 0)
    memcpy(year, datekey, 4);
  st = add_entities(doc, p->entities, p->nentities, &stored, collapse, host,
                    host_len, year);
  unsigned char *data = NULL;
  size_t data_len = 0;
  if (!st)
    st = cys_store_encode_with(w->encoder, a,
                               stored.len ? stored.data : NULL, &data,
                               &data_len);
  buf_free(&stored);
  if (!st)
    st = cys_doc_set_data(doc, data, data_len);
  free(data);
  return st;
}

/* The origin term an indexed document has ("" when none). */
typedef struct origin_term {
  char term[CYS_TERM_MAX + 1];
  size_t len;
} origin_term;

static int read_origin(void *ctx, const char *term, size_t len,
                       uint64_t wdf) {
  origin_term *o = ctx;
  size_t p = strlen(CYS_PREFIX_ORIGIN);
  (void)wdf;
  if (len >= p && len <= CYS_TERM_MAX &&
      memcmp(term, CYS_PREFIX_ORIGIN, p) == 0) {
    memcpy(o->term, term, len);
    o->len = len;
  }
  return 1; /* only the first term from the prefix on */
}

/* Make unchanged document docid record origin as the file it came from
 * (none when origin is NULL or too long), so that --prune never removes
 * an article that moved to another file along with the old file.  Only
 * that term is rewritten: the article itself is unchanged. */
static cys_status update_origin(cys_writer *w, cys_wdb *wdb, cys_docid docid,
                                const char *origin) {
  origin_term o = {.len = 0};
  cys_status st = cys_wdb_termlist(wdb, docid, CYS_PREFIX_ORIGIN,
                                   read_origin, &o);
  if (st)
    return writer_db_error(w, wdb, st);
  size_t p = strlen(CYS_PREFIX_ORIGIN);
  size_t n = origin ? strlen(origin) : 0;
  char term[CYS_TERM_MAX + 1];
  size_t len = 0;
  if (origin && p + n <= CYS_TERM_MAX) {
    memcpy(term, CYS_PREFIX_ORIGIN, p);
    memcpy(term + p, origin, n);
    len = p + n;
  }
  if (o.len == len && memcmp(o.term, term, len) == 0)
    return CYS_OK;
  if ((st = writer_may_write(w, "the new file of an unchanged article")))
    return st;
  st = cys_wdb_retag(wdb, docid, o.term, o.len, term, len);
  return st ? writer_db_error(w, wdb, st) : CYS_OK;
}

/* Is the article with this hash, read from origin, already in shard k
 * (*existing: its docid there, 0 when it is not indexed)? */
static cys_status look_up(cys_writer *w, unsigned k, const char *idterm,
                          size_t idterm_len,
                          const unsigned char hash[HASH_BYTES],
                          const char *origin, cys_docid *existing,
                          int *same) {
  cys_wdb *wdb = w->shard[k];
  *same = 0;
  cys_status st = cys_wdb_find(wdb, idterm, idterm_len, existing);
  if (st)
    return writer_db_error(w, wdb, st);
  if (*existing) {
    char *old = NULL;
    size_t old_len = 0;
    st = cys_wdb_get_value(wdb, *existing, CYS_SLOT_HASH, &old, &old_len);
    if (st)
      return writer_db_error(w, wdb, st);
    *same = old_len == HASH_BYTES && memcmp(old, hash, HASH_BYTES) == 0;
    free(old);
    if (*same)
      return update_origin(w, wdb, *existing, origin);
  }
  return CYS_OK;
}

/* The open database that holds (or gets) the article with this id: its
 * index in w->shard, or -1 (and the writer's message) when the article
 * belongs to a shard that cys_writer_open_shard left closed. */
static int part_of(cys_writer *w, const char *id) {
  unsigned s = cys_shard_of(id, w->total);
  if (w->only < 0)
    return (int)s;
  if (s == (unsigned)w->only)
    return 0;
  writer_fail(w, CYS_INVALID,
              "article '%s' belongs to shard %u, not to "
              "shard %d, the one open: give it to the job of shard %u",
              id, s, w->only, s);
  return -1;
}

static size_t id_term(const char *id, char idterm[CYS_TERM_MAX + 1]) {
  size_t id_len = strlen(id);
  memcpy(idterm, CYS_PREFIX_ID, 1);
  memcpy(idterm + 1, id, id_len);
  return id_len + 1;
}

/* cys_writer_keep_words: the record of the article just written as
 * docid (of its shard: a writer that keeps words has one database). */
static cys_status keep_words(cys_writer *w, const cys_article *a,
                             cys_prepared *p, cys_docid docid,
                             const char *idterm, size_t idterm_len) {
  char key[DEDUP_KEY_LEN + 1], date[9];
  dedup_own_key(idterm, idterm_len, key);
  if (a->date)
    cys_date_sortkey(a->date, date);
  cys_status st = dedup_kept_append(w->kept, p->words, docid, p->hash, key,
                                    a->date ? date : NULL);
  return st ? writer_fail(w, st, "cannot keep the words of article '%s' "
                          "for the relink: %s", a->id,
                          dedup_kept_strerror(w->kept))
            : CYS_OK;
}

/* Write an analysed article that is new or changed. */
static cys_status write_prepared(cys_writer *w, const cys_article *a,
                                 const char *origin, cys_prepared *p,
                                 unsigned k,
                                 cys_docid existing, const char *idterm,
                                 size_t idterm_len,
                                 cys_put_outcome *outcome) {
  char what[160];
  snprintf(what, sizeof what, "the %s article '%.60s'",
           existing ? "changed" : "new", a->id);
  cys_status st = writer_may_write(w, what);
  if (st)
    return st;
  /* The same document in the view of all shards (db.h). */
  cys_docid in_view =
      existing ? shard_docid_to_view(existing, k, w->nshards) : 0;
  cys_wdb *wdb = w->shard[k];
  st = finish_document(w, a, origin, p, in_view, idterm, idterm_len);
  if (st == CYS_OK && (st = writer_run_values(w, wdb, existing, p->doc)))
    return st; /* its message is on the writer */
  if (st)
    return writer_fail(w, st, "cannot build document for article '%s': %s",
                       a->id, cys_status_str(st));
  /* The id was just looked up: add or overwrite by docid, sparing Xapian
   * a second look-up of the id term. */
  cys_docid written = existing;
  st = existing ? cys_wdb_replace_docid(wdb, existing, p->doc)
                : cys_wdb_add(wdb, p->doc, &written);
  if (st)
    return writer_db_error(w, wdb, st);
  w->run_changed = 1;
  if (!w->own_keys)
    dedup_remember(w->dedup, p->words,
                   shard_docid_to_view(written, k, w->nshards));
  if (w->kept && (st = keep_words(w, a, p, written, idterm, idterm_len)))
    return st;
  if (outcome)
    *outcome = existing ? CYS_PUT_REPLACED : CYS_PUT_ADDED;
  return CYS_OK;
}

cys_status cys_writer_put_prepared(cys_writer *w, const cys_article *a,
                                   const char *origin, cys_prepared *p,
                                   cys_put_outcome *outcome) {
  if (writer_require_open(w))
    return CYS_INVALID;
  if (p->status)
    return writer_fail(w, p->status, "%s", p->message);
  char idterm[CYS_TERM_MAX + 1];
  size_t idterm_len = id_term(a->id, idterm);
  int part = part_of(w, a->id);
  if (part < 0)
    return CYS_INVALID;
  unsigned k = (unsigned)part;
  cys_docid existing = 0;
  int same = 0;
  cys_status st = look_up(w, k, idterm, idterm_len, p->hash, origin,
                          &existing, &same);
  if (st)
    return st;
  if (same) {
    if (outcome)
      *outcome = CYS_PUT_UNCHANGED;
    return CYS_OK;
  }
  return write_prepared(w, a, origin, p, k, existing, idterm, idterm_len,
                        outcome);
}

cys_status cys_writer_put(cys_writer *w, const cys_article *a,
                          cys_put_outcome *outcome) {
  return cys_writer_put_from(w, a, NULL, outcome);
}

cys_status cys_writer_put_from(cys_writer *w, const cys_article *a,
                               const char *origin,
                               cys_put_outcome *outcome) {
  if (writer_require_open(w))
    return CYS_INVALID;
  cys_prepared *p = w->prep;
  if (writer_acceptable(a, p))
    return writer_fail(w, p->status, "%s", p->message);
  char idterm[CYS_TERM_MAX + 1];
  size_t idterm_len = id_term(a->id, idterm);
  int part = part_of(w, a->id);
  if (part < 0)
    return CYS_INVALID;
  unsigned k = (unsigned)part;
  writer_article_hash(a, cys_analyzer_language(w->own.analyzer), p->hash);
  cys_docid existing = 0;
  int same = 0;
  cys_status st = look_up(w, k, idterm, idterm_len, p->hash, origin,
                          &existing, &same);
  if (st)
    return st;
  if (same) { /* unchanged: not even analysed */
    if (outcome)
      *outcome = CYS_PUT_UNCHANGED;
    return CYS_OK;
  }
  if ((st = writer_analyse(&w->own, a, p)))
    return writer_fail(w, st, "cannot build document for article '%s': %s",
                       a->id, cys_status_str(st));
  return write_prepared(w, a, origin, p, k, existing, idterm, idterm_len,
                        outcome);
}

cys_status cys_writer_delete(cys_writer *w, const char *id) {
  if (writer_require_open(w))
    return CYS_INVALID;
  size_t id_len = strlen(id);
  if (id_len == 0 || id_len > MAX_ID_BYTES)
    return writer_fail(w, CYS_NOT_FOUND, "no article with id '%s'", id);
  char idterm[CYS_TERM_MAX + 1];
  idterm[0] = CYS_PREFIX_ID[0];
  memcpy(idterm + 1, id, id_len);
  int part = part_of(w, id);
  if (part < 0)
    return writer_fail(w, CYS_NOT_FOUND,
                       "no article with id '%s' in shard "
                       "%d: it belongs to shard %u",
                       id, w->only, cys_shard_of(id, w->total));
  unsigned k = (unsigned)part;
  cys_wdb *wdb = w->shard[k];
  cys_docid existing = 0;
  cys_status st = cys_wdb_find(wdb, idterm, id_len + 1, &existing);
  if (st)
    return writer_db_error(w, wdb, st);
  if (!existing)
    return writer_fail(w, CYS_NOT_FOUND, "no article with id '%s'", id);
  if ((st = writer_may_write(w, "the removal of an article")))
    return st;
  dedup_forget(w->dedup, shard_docid_to_view(existing, k, w->nshards));
  st = cys_wdb_delete(wdb, idterm, id_len + 1);
  if (st)
    return writer_db_error(w, wdb, st);
  w->run_changed = 1;
  return CYS_OK;
}

cys_status cys_writer_commit(cys_writer *w) {
  if (writer_require_open(w))
    return CYS_INVALID;
  if (w->read_only)
    return CYS_OK; /* every write was refused: nothing to commit */
  cys_status st = writer_run_record(w);
  if (st)
    return st;
  if (w->kept && (st = dedup_kept_flush(w->kept)))
    return writer_fail(w, st, "cannot write the kept words for the relink: "
                       "%s", dedup_kept_strerror(w->kept));
  st = cys_wdb_commit_all(w->shard, w->nshards);
  return st ? writer_commit_error(w, st) : CYS_OK;
}

/* The job's last commit: the run's record gains its end (writer_run.c). */
cys_status cys_writer_end_run(cys_writer *w) {
  cys_status st = writer_require_open(w);
  if (st)
    return st;
  w->run_ended = 1;
  return cys_writer_commit(w);
}

cys_status cys_writer_doccount(cys_writer *w, uint64_t *out) {
  if (writer_require_open(w))
    return CYS_INVALID;
  cys_status st = cys_wdb_doccount(w->view, out);
  return st ? writer_db_error(w, w->view, st) : CYS_OK;
}

unsigned cys_writer_shards(const cys_writer *w) { return w->total; }

void cys_writer_defer_keys(cys_writer *w) { w->own_keys = 1; }

cys_status cys_writer_keep_words(cys_writer *w, const char *path) {
  if (writer_require_open(w))
    return CYS_INVALID;
  if (w->nshards != 1)
    return writer_fail(w, CYS_INVALID, "words are kept for the relink by "
                       "the writer of a plain index only");
  dedup_kept_out *k = NULL;
  cys_status st = dedup_kept_create(path, &k);
  if (st)
    return writer_fail(w, st, "cannot create '%s' to keep words for the "
                       "relink: %s", path, strerror(errno));
  dedup_kept_close(w->kept);
  w->kept = k;
  return CYS_OK;
}

const char *cys_writer_language(const cys_writer *w) {
  return w->nshards ? cys_analyzer_language(w->own.analyzer) : NULL;
}
