/* fuzz_html.c — any bytes through the HTML-page parser (libxml2 beneath):
 * it never fails except for memory, and every part it returns is valid
 * UTF-8 with no control characters but the body's newlines, no empty
 * strings, a source only with a url, and a date that cys_date_normalize
 * accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"
#include "fuzz_clean.h"
#include "html_page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  html_page page;
  if (html_page_parse((const char *)data, size, &page) != 0)
    return 0;
  fuzz_check_clean(page.title, 0);
  fuzz_check_clean(page.url, 0);
  fuzz_check_clean(page.source, 0);
  fuzz_check_clean(page.body, 1);
  if (page.source && !page.url)
    abort();
  if (page.date[0]) {
    char again[CYS_DATE_MAX];
    if (cys_date_normalize(page.date, again) != CYS_OK ||
        strcmp(again, page.date) != 0)
      abort();
  }
  html_page_free(&page);
  return 0;
}
