/* fuzz_utf8.c — repair always yields valid UTF-8, and floor never cuts a
 * character of valid text. */
#include <stdint.h>
#include <stdlib.h>

#include "cysearch/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  char *fixed = NULL;
  size_t fixed_len = 0, replaced = 0;
  if (cys_utf8_repair(s, size, &fixed, &fixed_len, &replaced) != CYS_OK)
    abort();
  if (cys_utf8_invalid_offset(fixed, fixed_len) != fixed_len)
    abort();
  if ((replaced == 0) != (cys_utf8_invalid_offset(s, size) == size))
    abort();
  for (size_t cut = 0; cut <= fixed_len && cut < 64; cut++) {
    size_t f = cys_utf8_floor(fixed, cut);
    if (f > cut || cys_utf8_invalid_offset(fixed, f) != f)
      abort();
  }
  free(fixed);
  return 0;
}
