/* fuzz_jsonl.c — one JSON Lines record through the indexer's parser: it
 * either fails with a message or yields an article with an id and valid
 * UTF-8 fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article_json.h"
#include "cysearch/utf8.h"

static void valid(const char *s) {
  if (s && cys_utf8_invalid_offset(s, strlen(s)) != strlen(s))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_article a;
  char error[256];
  if (json_article_parse((const char *)data, size, &a, error, sizeof error)) {
    if (error[0] == '\0')
      abort();
    return 0;
  }
  if (!a.article.id || !*a.article.id)
    abort();
  valid(a.article.id);
  valid(a.article.title);
  valid(a.article.body);
  valid(a.article.url);
  valid(a.article.source);
  json_article_release(&a);
  return 0;
}
