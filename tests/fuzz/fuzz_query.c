/* fuzz_query.c — any bytes as a query: parsing never fails (but for memory)
 * and always yields a query. */
#include <stdint.h>
#include <stdlib.h>

#include "cysearch/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static cys_analyzer *a;
  if (!a && cys_analyzer_new(NULL, &a) != CYS_OK)
    abort();
  cys_parsed_query *q = NULL;
  if (cys_query_parse(a, (const char *)data, size, &q) != CYS_OK || !q ||
      !q->query)
    abort();
  cys_parsed_query_free(q);
  return 0;
}
