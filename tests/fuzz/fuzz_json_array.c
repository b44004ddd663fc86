/* fuzz_json_array.c — any bytes through the .json array splitter
 * (json_elements.c), fed in pieces whose sizes the input's first byte
 * chooses and with an element limit its second byte chooses: the
 * elements, their numbers, lines, columns and the verdict must be the
 * same as when the whole document is fed at once; every element's text
 * (or, past the limit, its length alone) is a piece of the input, in
 * order; an error has a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_elements.h"

typedef struct record {
  const uint8_t *doc;
  size_t size, searched_from;
  size_t count;
  uint64_t hash; /* FNV-1a over index, line, column, len and text */
} record;

static void mix(record *r, uint64_t v) {
  for (int i = 0; i < 8; i++)
    r->hash = (r->hash ^ ((v >> (8 * i)) & 0xFFu)) * 1099511628211u;
}

static int on_element(void *ctx, size_t index, unsigned long line,
                      unsigned long column, const char *text, size_t len) {
  record *r = ctx;
  if (index != ++r->count || line == 0 || column == 0)
    abort();
  mix(r, index);
  mix(r, line);
  mix(r, column);
  mix(r, len);
  mix(r, text != NULL);
  if (text) {
    /* The element's bytes stand in the document after the previous one. */
    const uint8_t *at = NULL;
    for (size_t i = r->searched_from; i + len <= r->size; i++)
      if (memcmp(r->doc + i, text, len) == 0) {
        at = r->doc + i;
        break;
      }
    if (!at)
      abort();
    r->searched_from = (size_t)(at - r->doc) + len;
    for (size_t i = 0; i < len; i++)
      mix(r, (unsigned char)text[i]);
  }
  return 0;
}

/* Split doc[0..size) fed in pieces of `step` bytes (0: all at once). */
static json_split split(const uint8_t *doc, size_t size, size_t step,
                        size_t max_bytes, record *r) {
  *r = (record){.doc = doc, .size = size, .hash = 14695981039346656037u};
  json_elements *e = json_elements_new(1, max_bytes, on_element, r);
  if (!e)
    return JSON_SPLIT_NOMEM;
  json_split st = JSON_SPLIT_MORE;
  size_t at = 0;
  while (st == JSON_SPLIT_MORE && at < size) {
    size_t n = step && step < size - at ? step : size - at;
    st = json_elements_feed(e, (const char *)doc + at, n);
    at += n;
  }
  if (st == JSON_SPLIT_MORE)
    st = json_elements_finish(e);
  if (st == JSON_SPLIT_BAD) {
    const char *why = json_elements_error(e);
    if (!why || !why[0])
      abort();
  }
  if (json_elements_count(e) != r->count)
    abort();
  json_elements_free(e);
  return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  size_t step = data[0] % 17;   /* 0: whole; else 1 to 16 bytes a time */
  size_t max_bytes = data[1] < 128 ? (size_t)data[1] + 1 : 1u << 20;
  data += 2;
  size -= 2;
  record whole, pieces;
  json_split a = split(data, size, 0, max_bytes, &whole);
  json_split b = split(data, size, step, max_bytes, &pieces);
  if (a == JSON_SPLIT_NOMEM || b == JSON_SPLIT_NOMEM)
    return 0;
  if (a != b || whole.count != pieces.count || whole.hash != pieces.hash)
    abort();
  return 0;
}
