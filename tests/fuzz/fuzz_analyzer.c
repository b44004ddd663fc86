/* fuzz_analyzer.c — any bytes through the analyzer: tokens must lie inside
 * the input, in order of position, and never exceed CYS_TOKEN_MAX. */
#include <stdint.h>
#include <stdlib.h>

#include "cysearch/analyze.h"

static size_t input_len;

static int check_token(void *ctx, const cys_token *t) {
  (void)ctx;
  if (t->start > t->end || t->end > input_len || t->exact_len == 0 ||
      t->exact_len > CYS_TOKEN_MAX || t->stem_len == 0)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static cys_analyzer *a;
  if (!a && cys_analyzer_new(NULL, &a) != CYS_OK)
    abort();
  input_len = size;
  if (cys_analyze(a, (const char *)data, size, check_token, NULL) != CYS_OK)
    abort();
  return 0;
}
