/*
 * search_filter.c — cys_search_options.filters: filters given as
 * structure rather than as query text.  Each is resolved exactly as the
 * query language's field:value (cys_query_new_filter in query_filter.c),
 * those of one field are ORed, the fields ANDed, and the whole restricts
 * the parsed query with OP_FILTER: they select without changing scores,
 * and nothing in the text (a stray NOT, a trailing OR, an unclosed quote)
 * can invert or drop them, as it could when a program appended them to
 * the text.
 */
#include <limits.h>
#include <stdlib.h>

#include "search_filter.h"

/* options.docids: a group of its own, apart from every field's. */
#define DOCIDS_GROUP UINT_MAX

/* The first entry of docids[0..n) that is 0 or not above the one before
 * it, or n: the list's posting source walks it as ascending, and would
 * lose documents of an unsorted list and match a repeated one twice. */
static size_t misordered(const uint32_t *docids, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (docids[i] == 0 || (i > 0 && docids[i] <= docids[i - 1]))
      return i;
  return n;
}

/* The OR of the filters of each group (field), ANDed across groups. */
static cys_status combine_groups(cys_query **queries, const unsigned *groups,
                                 size_t n, cys_query **out) {
  cys_query **same = malloc(n * sizeof *same);
  cys_query **fields = calloc(n, sizeof *fields);
  char *taken = calloc(n, 1);
  size_t nfields = 0;
  cys_status st = same && fields && taken ? CYS_OK : CYS_NOMEM;
  for (size_t i = 0; i < n && st == CYS_OK; i++) {
    if (taken[i])
      continue;
    size_t nsame = 0;
    for (size_t j = i; j < n; j++)
      if (!taken[j] && groups[j] == groups[i]) {
        taken[j] = 1;
        same[nsame++] = queries[j];
      }
    st = cys_query_new_combined(CYS_OP_OR, same, nsame, 0, &fields[nfields]);
    if (st == CYS_OK)
      nfields++;
  }
  if (st == CYS_OK)
    st = cys_query_new_combined(CYS_OP_AND, fields, nfields, 0, out);
  for (size_t i = 0; fields && i < nfields; i++)
    cys_query_free(fields[i]);
  free(same);
  free(fields);
  free(taken);
  return st;
}

cys_status search_apply_filters(cys_searcher *s, const cys_query_context *ctx,
                                const cys_search_options *o,
                                cys_parsed_query *pq) {
  size_t n = o->filters ? o->nfilters : 0, nall = n + (o->docids != NULL);
  if (nall == 0)
    return CYS_OK;
  cys_query **queries = calloc(nall, sizeof *queries);
  unsigned *groups = calloc(nall, sizeof *groups);
  cys_query *filter = NULL, *base = NULL, *filtered = NULL;
  char error[512];
  cys_status st = queries && groups ? CYS_OK : CYS_NOMEM;
  for (size_t i = 0; i < n && st == CYS_OK; i++) {
    const cys_filter *f = &o->filters[i];
    st = cys_query_new_filter(ctx, f->field ? f->field : "",
                              f->value ? f->value : "", &queries[i],
                              &groups[i], error, sizeof error);
    if (st != CYS_OK && st != CYS_NOMEM) {
      s->bad_filter = (long)i;
      search_error(s, st, "%s", error);
    }
  }
  if (st == CYS_OK && o->docids) {
    size_t bad;
    if (!cys_db_is_single(s->db))
      st = search_error(s, CYS_INVALID, "a list of documents needs an index "
                                        "of one local database");
    else if ((bad = misordered(o->docids, o->ndocids)) < o->ndocids)
      st = search_error(s, CYS_INVALID,
                        "options.docids[%zu] is %u: the list must be "
                        "ascending, without repeats or 0 (as "
                        "cys_searcher_story_copies gives it)",
                        bad, (unsigned)o->docids[bad]);
    else
      st = cys_query_new_docids(o->docids, o->ndocids, &queries[n]);
    groups[n] = DOCIDS_GROUP;
  }
  if (st == CYS_OK)
    st = combine_groups(queries, groups, nall, &filter);
  /* Text with nothing to search ("", "NOT", stop words): the filters
   * select from every article, as a query of filters only does. */
  if (st == CYS_OK && cys_query_is_empty(pq->query))
    st = cys_query_new_all(&base);
  if (st == CYS_OK)
    st = cys_query_new_combined(
        CYS_OP_FILTER, (cys_query *const[]){base ? base : pq->query, filter},
        2, 0, &filtered);
  if (st == CYS_OK) {
    cys_query_free(pq->query);
    pq->query = filtered;
    pq->has_filters = 1;
  }
  for (size_t i = 0; queries && i < nall; i++)
    cys_query_free(queries[i]);
  free(queries);
  free(groups);
  cys_query_free(filter);
  cys_query_free(base);
  return st;
}
