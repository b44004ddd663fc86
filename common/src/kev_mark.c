/*
 * kev_mark.c — cys_writer_mark_kev (writer.h): the KEV marks of every
 * article with CVE tags (schema.h: XKEV, XKRW, CYS_SLOT_KEV), computed from
 * its XCVE terms and a catalogue (kev.h) and written only where they
 * change: terms and two values (CYS_SLOT_KEV, and the marks at the end of
 * the facet value, facet_value.h), never the article's text or postings.
 */
#include <stdlib.h>
#include <string.h>

#include "cysearch/entity.h"
#include "cysearch/kev.h"
#include "cysearch/schema.h"
#include "byte_buf.h"
#include "facet_value.h"
#include "writer_internal.h"

#define TAG_MAX 32 /* XKEVyes, XKRWunknown ... */

static const char *const entity_prefixes[] = CYS_ENTITY_PREFIXES;
#define CVE_PREFIX (entity_prefixes[CYS_ENTITY_CVE])

/* What one article has, or should have. */
typedef struct marks {
  char kev[TAG_MAX]; /* its XKEV term, "" for none */
  char krw[TAG_MAX]; /* its XKRW term */
  buf value;         /* CYS_SLOT_KEV */
  unsigned ncve;
  int any_kev, any_ransomware;
  const cys_kev_catalogue *catalogue;
} marks;

static int starts(const char *term, size_t len, const char *prefix) {
  size_t p = strlen(prefix);
  return len >= p && memcmp(term, prefix, p) == 0;
}

static void copy_tag(char out[TAG_MAX], const char *term, size_t len) {
  if (len >= TAG_MAX)
    len = TAG_MAX - 1;
  memcpy(out, term, len);
  out[len] = '\0';
}

/* Termlist callback from "XCVE": the CVE tags (what the marks should say)
 * and the XKEV and XKRW terms the article has now (into the old marks). */
typedef struct walk {
  marks *now, *want;
} walk;

static int take_term(void *ctx, const char *term, size_t len,
                     uint64_t wdf) {
  walk *w = ctx;
  (void)wdf;
  if (starts(term, len, CVE_PREFIX)) {
    size_t p = strlen(CVE_PREFIX);
    const cys_kev_entry *e =
        cys_kev_find(w->want->catalogue, term + p, len - p);
    w->want->ncve++;
    if (e) {
      buf *v = &w->want->value;
      if (w->want->any_kev)
        buf_append(v, (const char[]){CYS_FIELD_SEPARATOR}, 1);
      const char *fields[] = {e->cve, e->date_added, e->vendor, e->product,
                              e->ransomware ? "Known" : "Unknown"};
      for (size_t k = 0; k < 5; k++) {
        if (k)
          buf_append(v, (const char[]){CYS_VALUE_SEPARATOR}, 1);
        buf_append_str(v, fields[k]);
      }
      w->want->any_kev = 1;
      w->want->any_ransomware |= e->ransomware;
    }
  } else if (starts(term, len, CYS_PREFIX_KEV)) {
    copy_tag(w->now->kev, term, len);
  } else if (starts(term, len, CYS_PREFIX_KEV_RANSOMWARE)) {
    copy_tag(w->now->krw, term, len);
    return 1; /* nothing of interest after it */
  } else if (len >= 2 && memcmp(term, "XK", 2) > 0) {
    return 1;
  }
  return 0;
}

/* Retag one boolean term (old -> new) when they differ. */
static cys_status retag(cys_wdb *wdb, cys_docid docid, const char *old,
                        const char *new_term) {
  if (strcmp(old, new_term) == 0)
    return CYS_OK;
  return cys_wdb_retag(wdb, docid, old, strlen(old), new_term,
                       strlen(new_term));
}

/* Bring the marks of document docid of wdb up to date; *changed is set to
 * 1 when something was written. */
static cys_status mark_one(cys_writer *w, cys_wdb *wdb, cys_docid docid,
                           const cys_kev_catalogue *catalogue, int *changed) {
  marks now = {.kev = "", .krw = ""}, want = {.kev = "", .krw = ""};
  char *old_value = NULL, *old_facets = NULL;
  size_t old_len = 0, old_facets_len = 0;
  buf facets;
  buf_init(&now.value);
  buf_init(&want.value);
  buf_init(&facets);
  want.catalogue = catalogue;
  walk ctx = {&now, &want};
  cys_status st = cys_wdb_termlist(wdb, docid, CVE_PREFIX, take_term, &ctx);
  if (!st)
    st = cys_wdb_get_value(wdb, docid, CYS_SLOT_KEV, &old_value, &old_len);
  if (!st)
    st = cys_wdb_get_value(wdb, docid, CYS_SLOT_FACETS, &old_facets,
                           &old_facets_len);
  if (st) {
    st = writer_fail(w, st, "cannot read the CVE tags of document %u: %s",
                     docid, cys_wdb_errmsg(wdb));
    goto done;
  }
  if (want.value.failed) {
    st = writer_fail(w, CYS_NOMEM, "out of memory");
    goto done;
  }
  if (want.ncve) {
    strcpy(want.kev, want.any_kev ? CYS_PREFIX_KEV "yes" : CYS_PREFIX_KEV "no");
    if (want.any_kev)
      strcpy(want.krw, want.any_ransomware ? CYS_PREFIX_KEV_RANSOMWARE "known"
                                           : CYS_PREFIX_KEV_RANSOMWARE
                                             "unknown");
  }
  int value_differs = old_len != want.value.len ||
                      (old_len && memcmp(old_value, want.value.data, old_len));
  /* The facet value ends with the marks (the "XKEV"/"XKRW" tag text). */
  if (old_facets_len)
    facet_value_with_kev(&facets, old_facets, old_facets_len,
                         want.kev + (want.kev[0] ? strlen(CYS_PREFIX_KEV) : 0),
                         want.krw + (want.krw[0]
                                         ? strlen(CYS_PREFIX_KEV_RANSOMWARE)
                                         : 0));
  if (facets.failed) {
    st = writer_fail(w, CYS_NOMEM, "out of memory");
    goto done;
  }
  int facets_differ =
      old_facets_len &&
      (facets.len != old_facets_len ||
       memcmp(facets.data, old_facets, old_facets_len) != 0);
  *changed = value_differs || facets_differ || strcmp(now.kev, want.kev) != 0 ||
             strcmp(now.krw, want.krw) != 0;
  if (!*changed)
    goto done;
  if ((st = writer_may_write(w, "changed KEV marks")))
    goto done;
  const unsigned slots[2] = {CYS_SLOT_KEV, CYS_SLOT_FACETS};
  const char *values[2] = {want.value.len ? want.value.data : "",
                           facets.data};
  size_t lens[2] = {want.value.len, facets.len};
  if ((st = retag(wdb, docid, now.kev, want.kev)) ||
      (st = retag(wdb, docid, now.krw, want.krw)) ||
      ((value_differs || facets_differ) &&
       (st = cys_wdb_set_values(wdb, docid, slots, values, lens,
                                facets_differ ? 2 : 1))))
    st = writer_fail(w, st, "cannot update the KEV marks of document %u: %s",
                     docid, cys_wdb_errmsg(wdb));
done:
  free(old_value);
  free(old_facets);
  buf_free(&facets);
  buf_free(&now.value);
  buf_free(&want.value);
  return st;
}

/* The CVE tags of an index, each as a boolean query (cys_wdb_terms). */
typedef struct tag_queries {
  cys_query **q;
  size_t n, cap;
  cys_status st;
} tag_queries;

static int add_tag(void *ctx, const char *term, size_t len, uint64_t count) {
  tag_queries *t = ctx;
  (void)count;
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 256;
    cys_query **q = realloc(t->q, cap * sizeof *q);
    if (!q) {
      t->st = CYS_NOMEM;
      return 1;
    }
    t->q = q;
    t->cap = cap;
  }
  t->st = cys_query_new_boolean_term(term, len, &t->q[t->n]);
  if (t->st)
    return 1;
  t->n++;
  return 0;
}

/* The documents of wdb with a CVE tag: *docids (malloc'd), *n of them. */
static cys_status tagged(cys_writer *w, cys_wdb *wdb, cys_docid **docids,
                         size_t *n) {
  uint64_t count = 0;
  cys_query *q = NULL;
  tag_queries tags = {NULL, 0, 0, CYS_OK};
  cys_status st = cys_wdb_doccount(wdb, &count);
  *docids = NULL;
  *n = 0;
  if (!st)
    st = cys_wdb_terms(wdb, CVE_PREFIX, strlen(CVE_PREFIX), add_tag, &tags);
  if (!st)
    st = tags.st;
  if (!st && tags.n && count) {
    st = cys_query_new_combined(CYS_OP_OR, tags.q, tags.n, 0, &q);
    if (!st && !(*docids = malloc((size_t)count * sizeof **docids)))
      st = CYS_NOMEM;
    if (!st)
      st = cys_wdb_match(wdb, q, (uint32_t)count, 0, *docids, n);
  }
  for (size_t i = 0; i < tags.n; i++)
    cys_query_free(tags.q[i]);
  free(tags.q);
  cys_query_free(q);
  if (st) {
    free(*docids);
    *docids = NULL;
    *n = 0;
    return writer_fail(w, st, "cannot find the articles with CVE tags: %s",
                       cys_wdb_errmsg(wdb));
  }
  return CYS_OK;
}

cys_status cys_writer_mark_kev(cys_writer *w,
                               const cys_kev_catalogue *catalogue,
                               uint64_t *examined, uint64_t *changed) {
  cys_status st = CYS_OK;
  *examined = 0;
  *changed = 0;
  if (!w || !w->nshards || !catalogue)
    return CYS_INVALID;
  for (unsigned s = 0; s < w->nshards && !st; s++) {
    cys_docid *docids = NULL;
    size_t n = 0;
    st = tagged(w, w->shard[s], &docids, &n);
    for (size_t i = 0; i < n && !st; i++) {
      int one = 0;
      st = mark_one(w, w->shard[s], docids[i], catalogue, &one);
      ++*examined;
      *changed += (uint64_t)one;
    }
    free(docids);
  }
  if (!st && *changed && (st = cys_wdb_commit_all(w->shard, w->nshards)))
    st = writer_fail(w, st, "cannot commit the KEV marks: %s",
                     cys_wdb_errmsg(w->shard[0]));
  return st;
}
