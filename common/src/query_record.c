/*
 * query_record.c — the record of what the parser read: each item of the
 * query text (a run of words, an identifier, a phrase, a prefix*, a
 * filter, an operator, a parenthesis) with its byte range, its sign and
 * the words the analyzer found in it.  The parser (query.c, query_item.c)
 * writes it as it reads; "did you mean" (search_suggest.c) corrects the
 * words of text items by their ranges, and --explain (search_rank.c)
 * shows a matched stem as the word typed, so neither reads the text
 * again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query_internal.h"

void query_record_free(query_record *r) {
  if (!r)
    return;
  free(r->items);
  free(r->terms);
  free(r);
}

/* Room for `more` elements of `size` bytes in *list (n used, *cap). */
static int reserve(void **list, size_t *cap, size_t n, size_t more,
                   size_t size) {
  if (n + more <= *cap)
    return 1;
  size_t bigger = *cap ? *cap : 8;
  while (bigger < n + more)
    bigger *= 2;
  void *grown = realloc(*list, bigger * size);
  if (!grown)
    return 0;
  *list = grown;
  *cap = bigger;
  return 1;
}

size_t record_item(parser *p, const query_item *item, int with_words,
                   size_t at) {
  query_record *r = p->record;
  if (p->status != CYS_OK || !r)
    return SIZE_MAX;
  if (r->nitems == QUERY_RECORD_MAX_ITEMS) {
    r->truncated = 1;
    return SIZE_MAX;
  }
  size_t nwords = with_words ? p->nwords : 0;
  if (!reserve((void **)&r->items, &r->items_cap, r->nitems, 1,
               sizeof *r->items) ||
      !reserve((void **)&r->terms, &r->terms_cap, r->nterms, nwords,
               sizeof *r->terms)) {
    p->status = CYS_NOMEM;
    return SIZE_MAX;
  }
  query_item *it = &r->items[r->nitems];
  *it = *item;
  it->first_term = r->nterms;
  it->nterms = nwords;
  for (size_t i = 0; i < nwords; i++) {
    qword *w = &r->terms[r->nterms++];
    *w = p->words[i];
    w->start = at == SIZE_MAX ? item->value_start : at + w->start;
    w->end = at == SIZE_MAX ? item->value_end : at + w->end;
  }
  return r->nitems++;
}
