/*
 * search_stories.c — documents found in one pass over a slot's values,
 * for many searches to be checked on (search.h: cys_searcher_story_copies,
 * cys_searcher_run_documents; schema.h: CYS_SLOT_COLLAPSE,
 * CYS_SLOT_ADDED_RUN): the copies of a set of stories (the story slot's
 * value stream read in docid order, each value looked up among the keys,
 * then the run slot's alongside the copies found) and the documents of
 * recent runs, so the cost follows the index's size once, not each
 * search's matches.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "searcher.h"

typedef struct copies {
  const char *const *keys;
  size_t nkeys;
  cys_story_copy *list;
  size_t n, cap;
  cys_status status;
} copies;

/* The index of key value[0..len) in c->keys, or -1. */
static long find_key(const copies *c, const char *value, size_t len) {
  size_t lo = 0, hi = c->nkeys;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = strncmp(c->keys[mid], value, len);
    if (cmp == 0 && c->keys[mid][len] != '\0')
      cmp = 1;
    if (cmp == 0)
      return (long)mid;
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static int add_copy(void *ctx, cys_docid docid, const char *value,
                    size_t len) {
  copies *c = ctx;
  long key = len ? find_key(c, value, len) : -1;
  if (key < 0)
    return 0;
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 256;
    cys_story_copy *grown = realloc(c->list, cap * sizeof *grown);
    if (!grown) {
      c->status = CYS_NOMEM;
      return 1;
    }
    c->list = grown;
    c->cap = cap;
  }
  c->list[c->n++] = (cys_story_copy){docid, (size_t)key};
  return 0;
}

/* Whether value[0..len) sorts before run, a cys_run_slot_value (bytewise,
 * as a Xapian value range compares). */
static int value_before(const char *value, size_t len, const char *run) {
  size_t common = len < CYS_RUN_DIGITS ? len : CYS_RUN_DIGITS;
  int cmp = memcmp(value, run, common);
  return cmp < 0 || (cmp == 0 && len < CYS_RUN_DIGITS);
}

/* The copies added by a run up to `through` (as cys_run_slot_value writes
 * it), kept in place; copies without a run go too, as they do from
 * indexed:..N. */
typedef struct by_run {
  copies *c;
  char through[CYS_RUN_DIGITS + 1];
  size_t next, kept;
} by_run;

static int keep_by_run(void *ctx, cys_docid docid, const char *value,
                       size_t len) {
  by_run *b = ctx;
  copies *c = b->c;
  while (b->next < c->n && c->list[b->next].docid < docid)
    b->next++; /* no run value: dropped */
  if (b->next == c->n)
    return 1;
  if (c->list[b->next].docid == docid) {
    if (value_before(value, len, b->through) ||
        (len == CYS_RUN_DIGITS && memcmp(value, b->through, len) == 0))
      c->list[b->kept++] = c->list[b->next];
    b->next++;
  }
  return 0;
}

/* The first of keys[0..n) that is NULL or not after the one before it
 * (strcmp), or n: find_key bisects, and would miss the copies of keys out
 * of order. */
static size_t misordered_key(const char *const *keys, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!keys[i] || (i > 0 && strcmp(keys[i - 1], keys[i]) >= 0))
      return i;
  return n;
}

cys_status cys_searcher_story_copies(cys_searcher *s, const char *const *keys,
                                     size_t nkeys, uint64_t through,
                                     cys_story_copy **out, size_t *n) {
  if (!s->db)
    return search_error(s, CYS_INVALID, "no index is open");
  *out = NULL;
  *n = 0;
  if (nkeys && !keys)
    return search_error(s, CYS_INVALID, "%zu story keys but no list of them",
                        nkeys);
  size_t bad = misordered_key(keys, nkeys);
  if (bad < nkeys)
    return search_error(s, CYS_INVALID,
                        "story keys[%zu] is %s: the keys must be sorted by "
                        "strcmp, without repeats",
                        bad, keys[bad] ? keys[bad] : "NULL");
  copies c = {.keys = keys, .nkeys = nkeys, .status = CYS_OK};
  cys_status st = nkeys ? cys_db_values(s->db, CYS_SLOT_COLLAPSE, add_copy, &c)
                        : CYS_OK;
  if (st == CYS_OK)
    st = c.status;
  if (st == CYS_OK && through != CYS_ANY_RUN && c.n > 0) {
    by_run b = {.c = &c};
    cys_run_slot_value(through, b.through);
    st = cys_db_values(s->db, CYS_SLOT_ADDED_RUN, keep_by_run, &b);
    c.n = b.kept;
  }
  if (st != CYS_OK) {
    free(c.list);
    return st == CYS_NOMEM ? search_error(s, st, "out of memory")
                           : search_error(s, st, "cannot find the copies of "
                                                 "stories: %s",
                                          cys_db_errmsg(s->db));
  }
  if (c.n == 0) {
    free(c.list);
    c.list = NULL;
  }
  *out = c.list;
  *n = c.n;
  return CYS_OK;
}

/* The documents added by a run from `from` on (as indexed:from..). */
typedef struct since {
  char from[CYS_RUN_DIGITS + 1];
  uint32_t *docids;
  size_t n, cap;
  cys_status status;
} since;

static int add_since(void *ctx, cys_docid docid, const char *value,
                     size_t len) {
  since *a = ctx;
  if (value_before(value, len, a->from))
    return 0;
  if (a->n == a->cap) {
    size_t cap = a->cap ? 2 * a->cap : 256;
    uint32_t *grown = realloc(a->docids, cap * sizeof *grown);
    if (!grown) {
      a->status = CYS_NOMEM;
      return 1;
    }
    a->docids = grown;
    a->cap = cap;
  }
  a->docids[a->n++] = docid;
  return 0;
}

cys_status cys_searcher_run_documents(cys_searcher *s, uint64_t from,
                                      uint32_t **out, size_t *n) {
  if (!s->db)
    return search_error(s, CYS_INVALID, "no index is open");
  *out = NULL;
  *n = 0;
  since a = {.status = CYS_OK};
  cys_run_slot_value(from, a.from);
  cys_status st = cys_db_values(s->db, CYS_SLOT_ADDED_RUN, add_since, &a);
  if (st == CYS_OK)
    st = a.status;
  if (st != CYS_OK || a.n == 0) {
    free(a.docids);
    a.docids = NULL;
  }
  if (st != CYS_OK)
    return st == CYS_NOMEM ? search_error(s, st, "out of memory")
                           : search_error(s, st, "cannot list the documents "
                                                 "of runs: %s",
                                          cys_db_errmsg(s->db));
  *out = a.docids;
  *n = a.n;
  return CYS_OK;
}
