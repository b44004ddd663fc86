/*
 * writer.c — articles to index documents (see writer.h), following the
 * schema in schema.h.
 */
#include "cysearch/writer.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/schema.h"
#include "cysearch/store.h"
#include "dedup.h"
#include "internal.h"

/* Ids are stored in a term after the one-byte Q prefix. */
#define MAX_ID_BYTES (CYS_TERM_MAX - 1)
#define HASH_BYTES 16

struct cys_writer {
  cys_wdb *wdb;
  cys_doc *doc;
  cys_analyzer *analyzer;
  cys_gazetteer *gazetteer;
  cys_extractor *extractor;
  dedup *dedup; /* the collapse key */
  char message[512];
};

static cys_status set_error(cys_writer *w, cys_status status, const char *fmt,
                            ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->message, sizeof w->message, fmt, ap);
  va_end(ap);
  return status;
}

/* Copy the Xapian layer's message for a failed call. */
static cys_status db_error(cys_writer *w, cys_status status) {
  return set_error(w, status, "%s", cys_wdb_errmsg(w->wdb));
}

cys_writer *cys_writer_new(void) {
  cys_writer *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->wdb = cys_wdb_new();
  w->doc = cys_doc_new();
  w->dedup = dedup_new();
  if (!w->wdb || !w->doc || !w->dedup) {
    cys_writer_free(w);
    return NULL;
  }
  return w;
}

void cys_writer_free(cys_writer *w) {
  if (!w)
    return;
  cys_wdb_free(w->wdb);
  cys_doc_free(w->doc);
  dedup_free(w->dedup);
  cys_extractor_free(w->extractor);
  cys_gazetteer_free(w->gazetteer);
  cys_analyzer_free(w->analyzer);
  free(w);
}

const char *cys_writer_errmsg(const cys_writer *w) { return w->message; }

/* Is path an existing directory with files in it but no Xapian index?
 * Writing an index there would mix it with someone else's files. */
static int foreign_directory(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return 0;
  int entries = 0, glass = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    entries++;
    if (strcmp(e->d_name, "iamglass") == 0)
      glass = 1;
  }
  closedir(d);
  return entries > 0 && !glass;
}

cys_status cys_writer_open(cys_writer *w, const char *path,
                           const char *language) {
  char *schema = NULL, *stored_language = NULL;
  cys_status st;
  if (language) {
    /* Check the language before anything is created on disk. */
    cys_analyzer *probe = NULL;
    st = cys_analyzer_new(language, &probe);
    cys_analyzer_free(probe);
    if (st == CYS_NOT_FOUND)
      return set_error(w, st,
                       "unknown stemmer language '%s' (see --list-languages)",
                       language);
    if (st != CYS_OK)
      return set_error(w, st, "cannot create analyzer: %s",
                       cys_status_str(st));
  }
  if (foreign_directory(path))
    return set_error(w, CYS_INVALID,
                     "'%s' is a directory with other files in it, not an "
                     "index: give a new or empty directory", path);
  st = cys_wdb_open(w->wdb, path);
  if (st != CYS_OK) {
    set_error(w, st, "cannot open index '%s' for writing: %s", path,
              cys_wdb_errmsg(w->wdb));
    goto done;
  }
  if ((st = cys_wdb_get_metadata(w->wdb, CYS_META_SCHEMA, &schema)) ||
      (st = cys_wdb_get_metadata(w->wdb, CYS_META_LANGUAGE,
                                 &stored_language))) {
    db_error(w, st);
    goto done;
  }
  uint64_t docs = 0;
  if ((st = cys_wdb_doccount(w->wdb, &docs))) {
    db_error(w, st);
    goto done;
  }
  if (*schema == '\0' && docs > 0) {
    st = set_error(w, CYS_VERSION,
                   "'%s' is a Xapian index but not a cysearch index", path);
    goto done;
  }
  if (*schema && strcmp(schema, CYS_SCHEMA_VERSION) != 0) {
    st = set_error(w, CYS_VERSION,
                   "index '%s' has schema version %s; this cysearch writes "
                   "version %s: rebuild it into a new directory",
                   path, schema, CYS_SCHEMA_VERSION);
    goto done;
  }
  if (*stored_language && language && strcmp(language, stored_language)) {
    st = set_error(w, CYS_INVALID,
                   "index '%s' was built with the '%s' stemmer, not '%s': "
                   "leave out the language option or rebuild the index",
                   path, stored_language, language);
    goto done;
  }
  const char *use = *stored_language ? stored_language : language;
  st = cys_analyzer_new(use, &w->analyzer);
  if (st == CYS_NOT_FOUND) {
    set_error(w, st, "unknown stemmer language '%s' (see --list-languages)",
              use);
    goto done;
  }
  if (st != CYS_OK) {
    set_error(w, st, "cannot create analyzer: %s", cys_status_str(st));
    goto done;
  }
  if ((st = cys_gazetteer_new(w->analyzer, &w->gazetteer)) ||
      (st = cys_extractor_new(w->gazetteer, &w->extractor))) {
    set_error(w, st, "cannot load the built-in gazetteers: %s",
              w->gazetteer ? cys_gazetteer_errmsg(w->gazetteer)
                           : cys_status_str(st));
    goto done;
  }
  /* Entities an earlier run loaded from files are known again. */
  char *extra = NULL;
  if ((st = cys_wdb_get_metadata(w->wdb, CYS_META_GAZETTEER, &extra))) {
    db_error(w, st);
    goto done;
  }
  if (*extra)
    st = cys_gazetteer_import_extra(w->gazetteer, extra);
  free(extra);
  if (st) {
    set_error(w, st, "index '%s' holds a damaged gazetteer: %s", path,
              cys_gazetteer_errmsg(w->gazetteer));
    goto done;
  }
  if (*schema == '\0') {
    /* A new index: record the schema and language at once, so that even
     * an index that never receives an article says what it is. */
    if ((st = cys_wdb_set_metadata(w->wdb, CYS_META_SCHEMA,
                                   CYS_SCHEMA_VERSION)) ||
        (st = cys_wdb_set_metadata(w->wdb, CYS_META_LANGUAGE,
                                   cys_analyzer_language(w->analyzer))) ||
        (st = cys_wdb_commit(w->wdb)))
      db_error(w, st);
  }
done:
  free(schema);
  free(stored_language);
  return st;
}

cys_status cys_writer_load_gazetteer(cys_writer *w, const char *path) {
  cys_status st = cys_gazetteer_load_misp(w->gazetteer, path);
  if (st)
    return set_error(w, st, "%s", cys_gazetteer_errmsg(w->gazetteer));
  char *extra = NULL;
  if ((st = cys_gazetteer_export_extra(w->gazetteer, &extra)))
    return set_error(w, st, "out of memory");
  st = cys_wdb_set_metadata(w->wdb, CYS_META_GAZETTEER, extra);
  free(extra);
  return st ? db_error(w, st) : CYS_OK;
}

/* ---- content hash -------------------------------------------------------
 * 128 bits from two 64-bit hashes over every field (with its presence and
 * length) and the schema; equal hashes mean nothing needs rewriting. */

typedef struct hash128 {
  uint64_t a, b;
} hash128;

static void hash_update(hash128 *h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h->a = (h->a ^ p[i]) * 0x100000001b3ULL; /* FNV-1a */
    h->b = (h->b + p[i] + 1) * 0x9E3779B97F4A7C15ULL;
    h->b ^= h->b >> 29;
  }
}

static void hash_field(hash128 *h, const char *s) {
  uint64_t len = s ? strlen(s) + 1 : 0;
  hash_update(h, &len, sizeof len);
  if (s)
    hash_update(h, s, len - 1);
}

static void article_hash(const cys_article *a, const char *language,
                         unsigned char out[HASH_BYTES]) {
  hash128 h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
  hash_field(&h, CYS_SCHEMA_VERSION);
  hash_field(&h, language);
  hash_field(&h, a->id);
  hash_field(&h, a->title);
  hash_field(&h, a->date);
  hash_field(&h, a->source);
  hash_field(&h, a->url);
  hash_field(&h, a->body);
  for (int i = 0; i < 8; i++) {
    out[i] = (unsigned char)(h.a >> (8 * i));
    out[8 + i] = (unsigned char)(h.b >> (8 * i));
  }
}

/* ---- terms ---------------------------------------------------------------- */

typedef struct term_sink {
  cys_doc *doc;
  cys_extractor *extractor;
  dedup *dedup;
  int title;             /* adding title words (S, ZS as well) */
  unsigned base;         /* position of the field's first word, 1-based */
  unsigned last;         /* highest position used */
  cys_status status;     /* sticky */
  char term[CYS_TERM_MAX + 1];
} term_sink;

static void add_prefixed(term_sink *s, const char *prefix, const char *word,
                         size_t n, unsigned pos) {
  size_t p = strlen(prefix);
  if (s->status != CYS_OK || p + n > CYS_TERM_MAX)
    return;
  memcpy(s->term, prefix, p);
  memcpy(s->term + p, word, n);
  s->status = pos ? cys_doc_add_posting(s->doc, s->term, p + n, pos)
                  : cys_doc_add_term(s->doc, s->term, p + n, 1);
}

/* "K" + the upper-case form of an acronym's (ASCII) exact form. */
static void add_acronym(term_sink *s, const cys_token *t) {
  char upper[CYS_TOKEN_MAX];
  for (size_t i = 0; i < t->exact_len; i++) {
    char c = t->exact[i];
    upper[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  add_prefixed(s, CYS_PREFIX_ACRONYM, upper, t->exact_len, 0);
}

static int on_token(void *ctx, const cys_token *t) {
  term_sink *s = ctx;
  unsigned pos = s->base + t->position;
  if (s->status == CYS_OK)
    s->status = cys_extractor_token(s->extractor, t);
  dedup_token(s->dedup, t, s->title);
  int stemmed = !(t->flags & CYS_TOKEN_IDENTIFIER);
  add_prefixed(s, CYS_PREFIX_EXACT, t->exact, t->exact_len, pos);
  if (stemmed)
    add_prefixed(s, CYS_PREFIX_STEM, t->stem, t->stem_len, 0);
  if (t->flags & CYS_TOKEN_ACRONYM)
    add_acronym(s, t);
  if (s->title) {
    add_prefixed(s, CYS_PREFIX_TITLE, t->exact, t->exact_len, pos);
    if (stemmed)
      add_prefixed(s, CYS_PREFIX_TITLE_STEM, t->stem, t->stem_len, 0);
  }
  if (pos > s->last)
    s->last = pos;
  return s->status != CYS_OK;
}

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
    out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  return n;
}

/* ---- entities ------------------------------------------------------------- */

typedef struct found {
  cys_entity_type type;
  const char *value, *label, *country;
  unsigned count;
} found;

static int by_type_value(const void *p, const void *q) {
  const found *a = p, *b = q;
  if (a->type != b->type)
    return (int)a->type - (int)b->type;
  return strcmp(a->value, b->value);
}

/* The extractor's mentions, one per entity with its count. */
static size_t collect_entities(const cys_extractor *x, found **out) {
  size_t n = cys_extractor_count(x), m = 0;
  found *f = calloc(n ? n : 1, sizeof *f);
  if (!f)
    return (size_t)-1;
  for (size_t i = 0; i < n; i++) {
    const cys_mention *mt = cys_extractor_mention(x, i);
    f[i] = (found){mt->type, mt->value, mt->label, mt->country, 1};
  }
  if (n > 1)
    qsort(f, n, sizeof *f, by_type_value);
  for (size_t i = 0; i < n; i++) {
    if (m && f[m - 1].type == f[i].type &&
        strcmp(f[m - 1].value, f[i].value) == 0)
      f[m - 1].count++;
    else
      f[m++] = f[i];
  }
  *out = f;
  return m;
}

/* Terms, facet values and the stored list for the entities found. */
static cys_status add_entities(cys_doc *doc, const found *f, size_t n,
                               buf *stored) {
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
  for (int t = 0; t < CYS_ENTITY_TYPES; t++) {
    if (!st && values[t].failed)
      st = CYS_NOMEM;
    if (!st && values[t].len)
      st = cys_doc_set_value(doc, CYS_SLOT_ENTITIES + (unsigned)t,
                             values[t].data, values[t].len);
    buf_free(&values[t]);
  }
  if (!st && stored->failed)
    st = CYS_NOMEM;
  return st;
}

/* Analyse one field into the document and the extractor. */
static cys_status index_field(cys_writer *w, term_sink *sink, int field,
                              const char *text) {
  size_t len = strlen(text);
  cys_extractor_begin_field(w->extractor, field, text, len);
  cys_status st = cys_analyze(w->analyzer, text, len, on_token, sink);
  if (!st)
    st = sink->status;
  if (!st)
    st = cys_extractor_end_field(w->extractor);
  return st;
}

static cys_status build_document(cys_writer *w, const cys_article *a,
                                 const unsigned char hash[HASH_BYTES],
                                 cys_docid existing, const char *idterm,
                                 size_t idterm_len) {
  cys_doc *doc = w->doc;
  cys_doc_clear(doc);
  cys_extractor_reset(w->extractor);
  dedup_reset(w->dedup);
  term_sink sink = {.doc = doc, .extractor = w->extractor, .dedup = w->dedup,
                    .title = 1, .base = 1, .status = CYS_OK};
  cys_status st = CYS_OK;
  if (a->title && (st = index_field(w, &sink, 0, a->title)))
    return st;
  sink.title = 0;
  sink.base = sink.last + CYS_FIELD_POSITION_GAP;
  if (a->body && (st = index_field(w, &sink, 1, a->body)))
    return st;

  char host[CYS_TERM_MAX];
  size_t host_len = site_host(a, host, sizeof host);
  if ((st = add_boolean(doc, CYS_PREFIX_ID, a->id, strlen(a->id))) ||
      (st = add_boolean(doc, CYS_PREFIX_SOURCE, host, host_len)))
    return st;
  if (host_len && (st = cys_doc_set_value(doc, CYS_SLOT_SOURCE, host,
                                          host_len)))
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
  if ((st = cys_doc_set_value(doc, CYS_SLOT_HASH, hash, HASH_BYTES)))
    return st;
  char datekey[9], collapse[DEDUP_KEY_LEN + 1];
  if (a->date)
    cys_date_sortkey(a->date, datekey);
  if ((st = dedup_key(w->dedup, w->wdb, existing, idterm, idterm_len,
                      a->date ? datekey : NULL, collapse)) ||
      (st = cys_doc_set_value(doc, CYS_SLOT_COLLAPSE, collapse,
                              DEDUP_KEY_LEN)))
    return st;

  found *entities = NULL;
  size_t nentities = collect_entities(w->extractor, &entities);
  if (nentities == (size_t)-1)
    return CYS_NOMEM;
  buf stored;
  buf_init(&stored);
  st = add_entities(doc, entities, nentities, &stored);
  free(entities);
  unsigned char *data = NULL;
  size_t data_len = 0;
  if (!st)
    st = cys_store_encode(a, stored.len ? stored.data : NULL, &data,
                          &data_len);
  buf_free(&stored);
  if (!st)
    st = cys_doc_set_data(doc, data, data_len);
  free(data);
  return st;
}

cys_status cys_writer_put(cys_writer *w, const cys_article *a,
                          cys_put_outcome *outcome) {
  if (!a->id || !*a->id)
    return set_error(w, CYS_BAD_INPUT, "article has no id");
  size_t id_len = strlen(a->id);
  if (id_len > MAX_ID_BYTES)
    return set_error(w, CYS_BAD_INPUT, "article id is %zu bytes; at most %d",
                     id_len, MAX_ID_BYTES);
  if ((!a->title || !*a->title) && (!a->body || !*a->body))
    return set_error(w, CYS_BAD_INPUT,
                     "article '%s' has neither title nor body", a->id);

  char idterm[CYS_TERM_MAX + 1];
  memcpy(idterm, CYS_PREFIX_ID, 1);
  memcpy(idterm + 1, a->id, id_len);
  size_t idterm_len = id_len + 1;

  unsigned char hash[HASH_BYTES];
  article_hash(a, cys_analyzer_language(w->analyzer), hash);

  cys_docid existing = 0;
  cys_status st = cys_wdb_find(w->wdb, idterm, idterm_len, &existing);
  if (st)
    return db_error(w, st);
  if (existing) {
    char *old = NULL;
    size_t old_len = 0;
    st = cys_wdb_get_value(w->wdb, existing, CYS_SLOT_HASH, &old, &old_len);
    if (st)
      return db_error(w, st);
    int same = old_len == HASH_BYTES && memcmp(old, hash, HASH_BYTES) == 0;
    free(old);
    if (same) {
      if (outcome)
        *outcome = CYS_PUT_UNCHANGED;
      return CYS_OK;
    }
  }
  st = build_document(w, a, hash, existing, idterm, idterm_len);
  if (st)
    return set_error(w, st, "cannot build document for article '%s': %s",
                     a->id, cys_status_str(st));
  st = cys_wdb_replace(w->wdb, idterm, idterm_len, w->doc);
  if (st)
    return db_error(w, st);
  if (outcome)
    *outcome = existing ? CYS_PUT_REPLACED : CYS_PUT_ADDED;
  return CYS_OK;
}

cys_status cys_writer_delete(cys_writer *w, const char *id) {
  size_t id_len = strlen(id);
  if (id_len == 0 || id_len > MAX_ID_BYTES)
    return set_error(w, CYS_NOT_FOUND, "no article with id '%s'", id);
  char idterm[CYS_TERM_MAX + 1];
  idterm[0] = CYS_PREFIX_ID[0];
  memcpy(idterm + 1, id, id_len);
  cys_docid existing = 0;
  cys_status st = cys_wdb_find(w->wdb, idterm, id_len + 1, &existing);
  if (st)
    return db_error(w, st);
  if (!existing)
    return set_error(w, CYS_NOT_FOUND, "no article with id '%s'", id);
  st = cys_wdb_delete(w->wdb, idterm, id_len + 1);
  return st ? db_error(w, st) : CYS_OK;
}

cys_status cys_writer_commit(cys_writer *w) {
  cys_status st = cys_wdb_commit(w->wdb);
  return st ? db_error(w, st) : CYS_OK;
}

cys_status cys_writer_doccount(cys_writer *w, uint64_t *out) {
  cys_status st = cys_wdb_doccount(w->wdb, out);
  return st ? db_error(w, st) : CYS_OK;
}
