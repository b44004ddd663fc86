/*
 * json_elements.h — a JSON document that is an array, split into its
 * elements as its bytes come, so that a document of any size is read in
 * the memory of its largest element (issue #16: a 3.4 MB .json.gz parsed
 * whole took 1.3 GB).
 *
 * Only the array's own structure is checked here — strings with their
 * escapes, nesting of {} and [], the commas between elements; each
 * element's text is then parsed by jansson (article_json.h), which finds
 * every other error.  Why not jansson alone: it parses a whole value at
 * once (json_load_callback too), so an array would again be built whole.
 * Pure code: no I/O.
 */
#ifndef CYSEARCH_INDEXER_JSON_ELEMENTS_H
#define CYSEARCH_INDEXER_JSON_ELEMENTS_H

#include <stddef.h>

typedef struct json_elements json_elements;

/* One element: its index (from 1), the line and column (from 1) where it
 * starts, and its text text[0..len) — or, when it is longer than the
 * limit, text NULL and len the bytes it had when it passed the limit.
 * Returns 0 to go on, non-zero to stop (json_elements_feed returns 1). */
typedef int (*json_element_fn)(void *ctx, size_t index, unsigned long line,
                               unsigned long column, const char *text,
                               size_t len);

/* A splitter whose input begins at line first_line, handing elements of
 * up to max_bytes bytes to fn.  NULL when memory runs out. */
json_elements *json_elements_new(unsigned long first_line, size_t max_bytes,
                                 json_element_fn fn, void *ctx);
void json_elements_free(json_elements *e);

typedef enum json_split {
  JSON_SPLIT_MORE = 0,    /* fed; give more (or finish) */
  JSON_SPLIT_STOPPED = 1, /* fn asked to stop */
  JSON_SPLIT_BAD = -1,    /* not a valid array: json_elements_error says */
  JSON_SPLIT_NOMEM = -2   /* out of memory */
} json_split;

/* The next bytes of the document. */
json_split json_elements_feed(json_elements *e, const char *data, size_t n);

/* The end of the document: JSON_SPLIT_BAD when the array is not closed. */
json_split json_elements_finish(json_elements *e);

/* Why the document is not a valid array, with its line and column
 * ("expected ',' or ']' after element 3 (line 9, column 4)"). */
const char *json_elements_error(const json_elements *e);

/* Elements handed to fn so far. */
size_t json_elements_count(const json_elements *e);

#endif
