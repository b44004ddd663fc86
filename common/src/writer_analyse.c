/*
 * writer_analyse.c — analysing an article into a prepared document
 * (writer.h): its terms, the words its collapse key is made from and its
 * entities.  Runs on any thread, each with its own cys_writer_worker; the
 * writer's thread then writes the result in input order (writer.c).
 */
#include "cysearch/writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/analyze.h"
#include "cysearch/entity.h"
#include "cysearch/entity_lib.h"
#include "cysearch/schema.h"
#include "cysearch/utf8.h"
#include "ascii_class.h"
#include "writer_internal.h"

/* ---- terms ---------------------------------------------------------------- */

typedef struct term_sink {
  cys_doc *doc;
  cys_extractor *extractor;
  dedup_doc *dedup;
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
  for (size_t i = 0; i < t->exact_len; i++)
    upper[i] = ascii_to_upper(t->exact[i]);
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

/* ---- entities ------------------------------------------------------------- */

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

cys_prepared *cys_prepared_new(void) {
  cys_prepared *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->doc = cys_doc_new();
  p->words = dedup_doc_new();
  if (!p->doc || !p->words) {
    cys_prepared_free(p);
    return NULL;
  }
  return p;
}

void cys_prepared_free(cys_prepared *p) {
  if (!p)
    return;
  cys_doc_free(p->doc);
  dedup_doc_free(p->words);
  free(p->entities);
  free(p->strings);
  free(p);
}

void writer_worker_clear(cys_writer_worker *k) {
  cys_extractor_free(k->extractor);
  cys_gazetteer_free(k->gazetteer);
  cys_analyzer_free(k->analyzer);
}

void cys_writer_worker_free(cys_writer_worker *k) {
  if (!k)
    return;
  writer_worker_clear(k);
  free(k);
}

cys_writer_worker *cys_writer_worker_new(cys_writer *w) {
  cys_writer_worker *k = calloc(1, sizeof *k);
  char *extra = NULL;
  if (!k || !w->nshards)
    goto fail;
  if (cys_analyzer_new(cys_analyzer_language(w->own.analyzer),
                       &k->analyzer) ||
      cys_gazetteer_new(k->analyzer, &k->gazetteer) ||
      cys_gazetteer_export_extra(w->own.gazetteer, &extra) ||
      (*extra && cys_gazetteer_import_extra(k->gazetteer, extra)) ||
      cys_extractor_new(k->gazetteer, &k->extractor))
    goto fail;
  cys_extractor_set_interrupt(k->extractor, w->interrupt);
  free(extra);
  return k;
fail:
  free(extra);
  cys_writer_worker_free(k);
  return NULL;
}

#if defined(__GNUC__)
static cys_status refuse(cys_prepared *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif
static cys_status refuse(cys_prepared *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->message, sizeof p->message, fmt, ap);
  va_end(ap);
  return p->status = CYS_BAD_INPUT;
}

/* What cys_writer_put requires of an article, else CYS_BAD_INPUT and why
 * in p->message. */
cys_status writer_acceptable(const cys_article *a, cys_prepared *p) {
  if (!a->id || !*a->id)
    return refuse(p, "article has no id");
  size_t id_len = strlen(a->id);
  if (id_len > MAX_ID_BYTES)
    return refuse(p, "article id is %zu bytes; at most %d", id_len,
                  MAX_ID_BYTES);
  size_t at;
  unsigned long code;
  const char *flaw = cys_article_id_flaw(a->id, &at, &code);
  if (flaw)
    return refuse(p,
                  "article id '%.*s…' holds %s (U+%04lX) at byte %zu: ids "
                  "may not hold white space, control or invisible format "
                  "characters, which break TREC run files and result lines",
                  (int)cys_utf8_floor(a->id, at < 40 ? at : 40), a->id, flaw,
                  code, at);
  if ((!a->title || !*a->title) && (!a->body || !*a->body))
    return refuse(p, "article '%s' has neither title nor body", a->id);
  return CYS_OK;
}

cys_status cys_writer_check_article(const cys_article *a, char *message,
                                    size_t cap) {
  cys_prepared p = {.status = CYS_OK};
  cys_status st = writer_acceptable(a, &p);
  if (st && cap)
    snprintf(message, cap, "%s", p.message);
  return st;
}

/* Analyse one field into the document and the extractor. */
static cys_status index_field(cys_writer_worker *k, term_sink *sink,
                              int field, const char *text) {
  size_t len = strlen(text);
  cys_extractor_begin_field(k->extractor, field, text, len);
  cys_status st = cys_analyze(k->analyzer, text, len, on_token, sink);
  if (!st)
    st = sink->status;
  if (!st)
    st = cys_extractor_end_field(k->extractor);
  return st;
}

/* Copy the entities' strings into p: some (CVE ids) live in the
 * extractor, which the worker reuses for its next article. */
static cys_status keep_strings(cys_prepared *p) {
  size_t total = 0;
  for (size_t i = 0; i < p->nentities; i++) {
    const found *e = &p->entities[i];
    total += strlen(e->value) + strlen(e->label) + 2 +
             (e->country ? strlen(e->country) + 1 : 0);
  }
  free(p->strings);
  p->strings = malloc(total ? total : 1);
  if (!p->strings)
    return CYS_NOMEM;
  char *at = p->strings;
  for (size_t i = 0; i < p->nentities; i++) {
    found *e = &p->entities[i];
    const char **s[3] = {&e->value, &e->label, &e->country};
    for (int f = 0; f < 3; f++) {
      if (!*s[f])
        continue;
      size_t n = strlen(*s[f]) + 1;
      memcpy(at, *s[f], n);
      *s[f] = at;
      at += n;
    }
  }
  return CYS_OK;
}

/* Title and body into p: terms, words for the collapse key, entities. */
cys_status writer_analyse(cys_writer_worker *k, const cys_article *a,
                          cys_prepared *p) {
  cys_doc_clear(p->doc);
  cys_extractor_reset(k->extractor);
  dedup_reset(p->words);
  free(p->entities);
  p->entities = NULL;
  p->nentities = 0;
  term_sink sink = {.doc = p->doc, .extractor = k->extractor,
                    .dedup = p->words, .title = 1, .base = 1,
                    .status = CYS_OK};
  cys_status st = CYS_OK;
  if (a->title && (st = index_field(k, &sink, 0, a->title)))
    return st;
  sink.title = 0;
  sink.base = sink.last + CYS_FIELD_POSITION_GAP;
  if (a->body && (st = index_field(k, &sink, 1, a->body)))
    return st;
  if ((st = dedup_add_signature(p->words, p->doc)))
    return st;
  size_t n = collect_entities(k->extractor, &p->entities);
  if (n == (size_t)-1)
    return CYS_NOMEM;
  p->nentities = n;
  return keep_strings(p);
}

cys_status cys_writer_prepare(cys_writer_worker *k, const cys_article *a,
                              cys_prepared *p) {
  p->status = CYS_OK;
  p->message[0] = '\0';
  if (writer_acceptable(a, p))
    return p->status;
  writer_article_hash(a, cys_analyzer_language(k->analyzer), p->hash);
  cys_status st = writer_analyse(k, a, p);
  if (st) {
    snprintf(p->message, sizeof p->message,
             "cannot build document for article '%s': %s", a->id,
             cys_status_str(st));
    p->status = st;
  }
  return st;
}
