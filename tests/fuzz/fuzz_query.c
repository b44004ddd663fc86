/* fuzz_query.c — any bytes as a query: parsing never fails (but for memory,
 * or an unknown filter value, explained) and always yields a query. */
#include <stdint.h>
#include <stdlib.h>

#include "cysearch/query.h"

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
  cys_parsed_query_free(q);
  return 0;
}
