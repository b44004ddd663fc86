/* json_elements.c — see json_elements.h.
 *
 * A state machine over bytes: before the '[', between elements, inside
 * one (tracking strings, escapes and the stack of open brackets, so that
 * a ',' or ']' in a string or a nested value is not taken for the end),
 * and after the ']'.  An element's bytes are kept, a run of the bytes
 * fed at a time, until it ends, unless it grows past the limit: then only
 * its end is looked for. */
#include "json_elements.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii_class.h"
#include "byte_buf.h"

/* Deeper nesting is refused (jansson's own limit is 2048). */
#define MAX_DEPTH 2048

enum phase {
  BEFORE,     /* until the '[' */
  FIRST,      /* after '[': an element or ']' */
  NEXT,       /* after ',': an element */
  INSIDE,     /* in an element */
  AFTER_ONE,  /* after an element: ',' or ']' */
  DONE        /* after ']': only white space */
};

struct json_elements {
  json_element_fn fn;
  void *ctx;
  size_t max_bytes;
  enum phase phase;
  unsigned long line, column; /* of the byte being read */
  /* the element being read */
  const char *data; /* the bytes being fed ... */
  size_t at, run;   /* ... the one being read, the first not yet kept */
  buf text;
  size_t len; /* its bytes, kept or not */
  int too_large;
  unsigned long start_line, start_column;
  char stack[MAX_DEPTH]; /* the closing bracket each open one needs */
  size_t depth;
  int in_string, escaped, scalar;
  size_t count;
  char error[160];
};

json_elements *json_elements_new(unsigned long first_line, size_t max_bytes,
                                 json_element_fn fn, void *ctx) {
  json_elements *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->fn = fn;
  e->ctx = ctx;
  e->max_bytes = max_bytes;
  e->line = first_line ? first_line : 1;
  e->column = 1;
  e->phase = BEFORE;
  return e;
}

void json_elements_free(json_elements *e) {
  if (!e)
    return;
  buf_free(&e->text);
  free(e);
}

const char *json_elements_error(const json_elements *e) { return e->error; }

size_t json_elements_count(const json_elements *e) { return e->count; }

static json_split bad(json_elements *e, const char *what, char c) {
  char shown[8];
  if (c >= 0x20 && c < 0x7f)
    snprintf(shown, sizeof shown, "'%c'", c);
  else
    snprintf(shown, sizeof shown, "0x%02x", (unsigned char)c);
  snprintf(e->error, sizeof e->error, "%s, found %s (line %lu, column %lu)",
           what, shown, e->line, e->column);
  return JSON_SPLIT_BAD;
}

/* Keep the element's bytes data[run..to). */
static void keep(json_elements *e, size_t to) {
  size_t n = to - e->run;
  e->len += n;
  e->run = to;
  if (e->too_large)
    return;
  if (e->len > e->max_bytes) {
    e->too_large = 1;
    buf_free(&e->text);
    return;
  }
  buf_append(&e->text, e->data + to - n, n);
}

static void begin(json_elements *e, char c) {
  e->run = e->at;
  e->phase = INSIDE;
  e->len = 0;
  e->too_large = 0;
  e->text.len = 0;
  e->start_line = e->line;
  e->start_column = e->column;
  e->depth = 0;
  e->in_string = c == '"';
  e->escaped = 0;
  e->scalar = c != '"' && c != '{' && c != '[';
}

/* The element is complete, up to data[to): hand it over. */
static json_split end(json_elements *e, size_t to) {
  keep(e, to);
  e->count++;
  e->phase = AFTER_ONE;
  if (!e->too_large && e->text.failed)
    return JSON_SPLIT_NOMEM;
  int stop = e->fn(e->ctx, e->count, e->start_line, e->start_column,
                   e->too_large ? NULL : (e->text.data ? e->text.data : ""),
                   e->len);
  return stop ? JSON_SPLIT_STOPPED : JSON_SPLIT_MORE;
}

/* One byte of an element; *ended when it was the element's last. */
static json_split inside(json_elements *e, char c, int *ended) {
  *ended = 0;
  if (e->in_string) {
    if (e->escaped)
      e->escaped = 0;
    else if (c == '\\')
      e->escaped = 1;
    else if (c == '"')
      e->in_string = 0;
    *ended = !e->in_string && e->depth == 0;
    return JSON_SPLIT_MORE;
  }
  if (c == '"') {
    e->in_string = 1;
  } else if (c == '{' || c == '[') {
    if (e->depth == MAX_DEPTH)
      return bad(e, "nested more than 2048 levels deep", c);
    e->stack[e->depth++] = c == '{' ? '}' : ']';
  } else if (c == '}' || c == ']') {
    if (e->depth == 0 || e->stack[e->depth - 1] != c)
      return bad(e, "brackets do not match", c);
    *ended = --e->depth == 0;
  }
  return JSON_SPLIT_MORE;
}

static json_split one(json_elements *e, char c) {
  int ended;
  json_split st = JSON_SPLIT_MORE;
  switch (e->phase) {
  case BEFORE:
    if (c == '[')
      e->phase = FIRST;
    else if (!ascii_is_white(c))
      st = bad(e, "expected '['", c);
    break;
  case FIRST:
  case NEXT:
    if (ascii_is_white(c))
      break;
    if (c == ']' && e->phase == FIRST) {
      e->phase = DONE;
      break;
    }
    if (c == ',' || c == ']' || c == '}')
      return bad(e, "expected an element", c);
    begin(e, c);
    if (!e->scalar && !e->in_string && (st = inside(e, c, &ended)) == 0 &&
        ended)
      st = end(e, e->at + 1);
    break;
  case INSIDE:
    if (e->scalar && (ascii_is_white(c) || c == ',' || c == ']')) {
      /* a number, true, false or null ends at what follows it */
      st = end(e, e->at);
      if (st == JSON_SPLIT_MORE && !ascii_is_white(c))
        st = one(e, c);
      break;
    }
    if (!e->scalar && (st = inside(e, c, &ended)) == 0 && ended)
      st = end(e, e->at + 1);
    break;
  case AFTER_ONE:
    if (c == ',')
      e->phase = NEXT;
    else if (c == ']')
      e->phase = DONE;
    else if (!ascii_is_white(c))
      st = bad(e, "expected ',' or ']' after an element", c);
    break;
  case DONE:
    if (!ascii_is_white(c))
      st = bad(e, "text after the end of the array", c);
    break;
  }
  return st;
}

json_split json_elements_feed(json_elements *e, const char *data, size_t n) {
  json_split st = JSON_SPLIT_MORE;
  e->data = data;
  e->run = 0;
  for (size_t i = 0; i < n && st == JSON_SPLIT_MORE; i++) {
    char c = data[i];
    e->at = i;
    if (e->in_string && !e->escaped && c != '"' && c != '\\' &&
        c != '\n') {
      e->column++; /* the common case, inside a string */
      continue;
    }
    st = one(e, c);
    if (c == '\n') {
      e->line++;
      e->column = 1;
    } else {
      e->column++;
    }
  }
  if (st == JSON_SPLIT_MORE && e->phase == INSIDE)
    keep(e, n); /* the element goes on in the next bytes */
  if (st == JSON_SPLIT_MORE && !e->too_large && e->text.failed)
    st = JSON_SPLIT_NOMEM;
  e->data = NULL;
  return st;
}

json_split json_elements_finish(json_elements *e) {
  if (e->phase == DONE)
    return JSON_SPLIT_MORE;
  if (e->phase == BEFORE) {
    snprintf(e->error, sizeof e->error, "the file holds no array");
    return JSON_SPLIT_BAD;
  }
  snprintf(e->error, sizeof e->error,
           "the file ends inside the array (line %lu), after element %zu",
           e->line, e->count);
  return JSON_SPLIT_BAD;
}
