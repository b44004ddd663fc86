/*
 * search_results.c — the results of a search: what each hit holds beyond
 * its rank and score (the stored article, its entities, its KEV entries),
 * the shards left out, and freeing it all.
 */
#include <stdlib.h>
#include <string.h>

#include "cysearch/entity_lib.h"
#include "cysearch/schema.h"
#include "cysearch/store.h"
#include "search_results.h"
#include "search_timeline.h"

void cys_results_free(cys_results *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->nhits; i++) {
    cys_record_free(r->hits[i].record);
    free(r->hits[i].snippet);
    free(r->hits[i].spans);
    free(r->hits[i].entities);
    free(r->hits[i].kev);
    free(r->hits[i].kev_text);
    for (size_t k = 0; k < r->hits[i].nexplain; k++)
      free((char *)r->hits[i].explain[k].what);
    free(r->hits[i].explain);
  }
  free(r->hits);
  free(r->suggestion);
  for (size_t i = 0; i < r->nunavailable; i++)
    free(r->unavailable[i]);
  free(r->unavailable);
  for (unsigned f = 0; f < CYS_FACETS; f++) {
    for (size_t i = 0; i < r->facets[f].n; i++)
      free(r->facets[f].values[i].value);
    free(r->facets[f].values);
  }
  search_timeline_free(r->timeline);
  free(r);
}

/* The stored entity lines of a hit ("TYPE<TAB>VALUE<TAB>LABEL<TAB>COUNT"),
 * split into h->entities over one copy of the text. */
static cys_status hit_entities(cys_hit *h) {
  const char *text = h->record->entities;
  if (!text || !*text)
    return CYS_OK;
  size_t lines = 1, len = strlen(text);
  for (const char *p = text; *p; p++)
    lines += *p == '\n';
  /* One block: the array, then the text it points into. */
  cys_hit_entity *list = malloc(lines * sizeof *list + len + 1);
  if (!list)
    return CYS_NOMEM;
  char *copy = (char *)(list + lines);
  memcpy(copy, text, len + 1);
  size_t n = 0;
  for (char *line = copy; *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    char *f[4] = {line, NULL, NULL, NULL};
    for (int k = 1; k < 4 && f[k - 1]; k++) {
      char *tab = strchr(f[k - 1], '\t');
      if (tab) {
        *tab = '\0';
        f[k] = tab + 1;
      }
    }
    cys_entity_type type;
    if (f[3] && cys_entity_type_parse(f[0], strlen(f[0]), &type) == CYS_OK)
      list[n++] = (cys_hit_entity){type, f[1], f[2],
                                   (unsigned)strtoul(f[3], NULL, 10)};
    if (!nl)
      break;
    line = nl + 1;
  }
  h->entities = list;
  h->nentities = n;
  return CYS_OK;
}

/* A hit's CYS_SLOT_KEV value split into h->kev. */
static cys_status hit_kev(cys_hit *h, const char *value, size_t len) {
  if (!len)
    return CYS_OK;
  long n = cys_kev_value_split(value, len, NULL, 0, &h->kev_text);
  free(h->kev_text);
  h->kev_text = NULL;
  if (n < 0 || !(h->kev = calloc((size_t)n ? (size_t)n : 1, sizeof *h->kev)))
    return CYS_NOMEM;
  n = cys_kev_value_split(value, len, h->kev, (size_t)n, &h->kev_text);
  if (n < 0)
    return CYS_NOMEM;
  h->nkev = (size_t)n;
  return CYS_OK;
}

cys_status search_damaged_article(cys_searcher *s, cys_docid docid) {
  return search_error(s, CYS_CORRUPT,
                      "index is corrupt: the stored article of document %u "
                      "is damaged (check the index; rebuild or restore it)",
                      (unsigned)docid);
}

cys_status search_hit_read(cys_searcher *s, const cys_mset_item *item,
                           cys_hit *h) {
  cys_status st = cys_store_decode(item->data, item->data_len, &h->record);
  if (st == CYS_CORRUPT)
    return search_damaged_article(s, item->docid);
  if (st == CYS_OK)
    st = hit_entities(h);
  if (st == CYS_OK)
    st = hit_kev(h, item->kev, item->kev_len);
  return st;
}

cys_status search_mark_partial(const cys_searcher *s, cys_results *r) {
  size_t n = cys_db_unavailable_count(s->db);
  if (n == 0)
    return CYS_OK;
  r->unavailable = calloc(n, sizeof *r->unavailable);
  if (!r->unavailable)
    return CYS_NOMEM;
  r->partial = 1;
  for (; r->nunavailable < n; r->nunavailable++) {
    const char *name = cys_db_unavailable(s->db, r->nunavailable, NULL);
    if (!(r->unavailable[r->nunavailable] = strdup(name ? name : "?")))
      return CYS_NOMEM;
  }
  return CYS_OK;
}
