/* fuzz_query.c — any bytes as a query: parsing never fails (but for memory,
 * or an unknown filter value, explained) and always yields a query, and the
 * parser's record of what it read (query_internal.h) lies in the text: its
 * items in order without overlapping, each value inside its item, each
 * word inside its item's value. */
#include <stdint.h>
#include <stdlib.h>

#include "cysearch/query.h"
#include "query_internal.h"

static void check_record(const query_record *r, size_t size) {
  size_t after = 0, terms = 0;
  for (size_t i = 0; i < r->nitems; i++) {
    const query_item *it = &r->items[i];
    if (it->start < after || it->start > it->value_start ||
        it->value_start > it->value_end || it->value_end > it->end ||
        it->end > size || it->first_term != terms)
      abort();
    for (size_t k = 0; k < it->nterms; k++) {
      const qword *w = &r->terms[it->first_term + k];
      if (w->start < it->value_start || w->end > it->value_end ||
          w->start > w->end)
        abort();
    }
    after = it->end;
    terms += it->nterms;
  }
  if (terms != r->nterms || r->nterms > CYS_QUERY_MAX_WORDS)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static cys_analyzer *a;
  if (!a && cys_analyzer_new(NULL, &a) != CYS_OK)
    abort();
  static cys_gazetteer *g;
  if (!g && cys_gazetteer_new(a, &g) != CYS_OK)
    abort();
  /* Filters resolve through the gazetteer; an unknown value is the one
   * error a query may give, and it must come with a message. */
  cys_query_context ctx = {.analyzer = a, .gazetteer = g};
  cys_parsed_query *q = NULL;
  char error[512];
  cys_status st =
      cys_query_parse(&ctx, (const char *)data, size, &q, error, sizeof error);
  if (st == CYS_BAD_QUERY && error[0])
    return 0;
  if (st != CYS_OK || !q || !q->query)
    abort();
  check_record(q->record, size);
  cys_parsed_query_free(q);
  return 0;
}
