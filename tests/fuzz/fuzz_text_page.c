/* fuzz_text_page.c — any bytes through the text-page parser: it never
 * fails except for memory, and every part it returns is valid UTF-8 with
 * no control characters but the body's newlines, no empty strings, and a
 * date that cys_date_normalize accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"
#include "fuzz_clean.h"
#include "text_page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  text_page page;
  if (text_page_parse((const char *)data, size, &page) != 0)
    return 0;
  fuzz_check_clean(page.title, 0);
  fuzz_check_clean(page.category, 0);
  fuzz_check_clean(page.body, 1);
  if (page.title && strlen(page.title) > size + 2 * page.utf8_repairs)
    abort();
  if (page.date[0]) {
    char again[CYS_DATE_MAX];
    if (cys_date_normalize(page.date, again) != CYS_OK ||
        strcmp(again, page.date) != 0)
      abort();
  }
  text_page_free(&page);
  return 0;
}
