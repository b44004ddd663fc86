/* article_json.c — see article_json.h.  JSON parsing is jansson's. */
#include "article_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"
#include "loose_date.h"

static const char *const field_names[JSON_FIELD_COUNT] = {
    "id", "title", "date", "source", "url", "body"};

void json_field_map_default(json_field_map *map) {
  for (int f = 0; f < JSON_FIELD_COUNT; f++)
    map->key[f] = field_names[f];
}

int json_field_map_set(json_field_map *map, char *spec, char *error,
                       size_t error_size) {
  char *eq = strchr(spec, '=');
  if (eq && eq[1]) {
    for (int f = 0; f < JSON_FIELD_COUNT; f++) {
      size_t n = strlen(field_names[f]);
      if ((size_t)(eq - spec) == n && strncmp(spec, field_names[f], n) == 0) {
        map->key[f] = eq + 1;
        return 0;
      }
    }
  }
  snprintf(error, error_size,
           "--field needs FIELD=KEY, FIELD one of id, title, date, source, "
           "url, body, and KEY not empty; not '%s'",
           spec);
  return -1;
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
  case JSON_REAL:
    return "a number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "a boolean";
  case JSON_NULL:
    return "null";
  }
  return "something else";
}

/* The value at key: the key itself, or else a dotted path of nested keys
 * (a run of digits indexes an array). */
static json_t *lookup(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  if (v || !strchr(key, '.'))
    return v;
  v = obj;
  for (const char *seg = key; v;) {
    const char *dot = strchr(seg, '.');
    size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
    if (json_is_object(v)) {
      v = json_object_getn(v, seg, n);
    } else if (json_is_array(v) && n > 0 && n < 10 &&
               strspn(seg, "0123456789") >= n) {
      v = json_array_get(v, strtoul(seg, NULL, 10));
    } else {
      v = NULL;
    }
    if (!dot)
      break;
    seg = dot + 1;
  }
  return v;
}

/* How error messages name a field: its key, and the field it fills when
 * that has another name ("headline" (title)). */
static void field_label(const json_field_map *map, int f, char *out,
                        size_t size) {
  if (strcmp(map->key[f], field_names[f]) == 0)
    snprintf(out, size, "\"%.60s\"", map->key[f]);
  else
    snprintf(out, size, "\"%.60s\" (%s)", map->key[f], field_names[f]);
}

/* Read an optional string field; JSON_FAULT_TYPE (with error) when it has
 * another type. */
static json_fault string_field(json_t *obj, const json_field_map *map, int f,
                               const char **out, char *error,
                               size_t error_size) {
  json_t *v = lookup(obj, map->key[f]);
  *out = NULL;
  if (!v || json_is_null(v))
    return 0;
  if (!json_is_string(v)) {
    char label[96];
    field_label(map, f, label, sizeof label);
    snprintf(error, error_size, "field %s must be a string or null, not %s",
             label, type_name(v));
    return JSON_FAULT_TYPE;
  }
  *out = json_string_value(v);
  return JSON_FAULT_NONE;
}

static json_fault read_id(json_t *root, const json_field_map *map,
                          const char *fallback_id, json_article *out,
                          char *error, size_t error_size) {
  json_t *id = lookup(root, map->key[JSON_FIELD_ID]);
  if (json_is_string(id) && json_string_length(id) > 0) {
    out->article.id = json_string_value(id);
    return JSON_FAULT_NONE;
  }
  if (json_is_integer(id)) {
    snprintf(out->id_buf, sizeof out->id_buf, "%" JSON_INTEGER_FORMAT,
             json_integer_value(id));
    out->article.id = out->id_buf;
    return JSON_FAULT_NONE;
  }
  if (!id && fallback_id) {
    out->article.id = fallback_id;
    return JSON_FAULT_NONE;
  }
  char label[96];
  field_label(map, JSON_FIELD_ID, label, sizeof label);
  if (!id || json_is_null(id)) {
    snprintf(error, error_size, "field %s is missing", label);
  } else if (json_is_string(id)) {
    snprintf(error, error_size, "field %s is empty", label);
  } else {
    snprintf(error, error_size,
             "field %s must be a string or an integer, not %s", label,
             type_name(id));
    return JSON_FAULT_TYPE;
  }
  return JSON_FAULT_NO_ID;
}

/* Fill out from one object; takes a reference to root on success.
 * Returns JSON_FAULT_NONE, else the kind of fault (also in out->fault). */
static json_fault from_object(json_t *root, const json_field_map *map,
                              const char *fallback_id, json_article *out,
                              char *error, size_t error_size) {
  if (!json_is_object(root)) {
    snprintf(error, error_size, "expected a JSON object, found %s",
             type_name(root));
    return out->fault = JSON_FAULT_NOT_OBJECT;
  }
  cys_article *a = &out->article;
  const char *date = NULL;
  json_fault f;
  if ((f = read_id(root, map, fallback_id, out, error, error_size)) ||
      (f = string_field(root, map, JSON_FIELD_TITLE, &a->title, error,
                        error_size)) ||
      (f = string_field(root, map, JSON_FIELD_DATE, &date, error,
                        error_size)) ||
      (f = string_field(root, map, JSON_FIELD_SOURCE, &a->source, error,
                        error_size)) ||
      (f = string_field(root, map, JSON_FIELD_URL, &a->url, error,
                        error_size)) ||
      (f = string_field(root, map, JSON_FIELD_BODY, &a->body, error,
                        error_size)))
    return out->fault = f;
  if (date && *date) {
    if (loose_date_parse(date, strlen(date), out->date) == 0) {
      a->date = out->date;
    } else if (!out->warning[0]) {
      snprintf(out->warning, sizeof out->warning,
               "date \"%.40s\" is not YYYY, YYYY-MM or YYYY-MM-DD; "
               "indexed without a date",
               date);
    }
  }
  out->json = json_incref(root);
  return JSON_FAULT_NONE;
}

/* jansson 2.14 reports an allocation that failed as a syntax error
 * ("invalid token near ..."), so the parsers below note failed
 * allocations themselves: jansson allocates through noting_malloc, which
 * calls the allocator that was installed before it. */
static _Thread_local int allocation_failed;
static json_malloc_t underlying_malloc;

static void *noting_malloc(size_t n) {
  void *p = underlying_malloc(n);
  if (!p)
    allocation_failed = 1;
  return p;
}

/* Before each parse; the first call installs noting_malloc (the indexer
 * parses JSON on one thread). */
static void watch_allocations(void) {
  json_malloc_t m;
  json_free_t f;
  json_get_alloc_funcs(&m, &f);
  if (m != noting_malloc) {
    underlying_malloc = m;
    json_set_alloc_funcs(noting_malloc, f);
  }
  allocation_failed = 0;
}

/* json_article_parse_mapped; a syntax error is placed by column alone
 * when line_at is 0, else by line and column in a document where line
 * starts at line_at, column_at. */
static int parse_record(const char *line, size_t len,
                        const json_field_map *map, unsigned long line_at,
                        unsigned long column_at, json_article *out,
                        char *error, size_t error_size) {
  json_field_map defaults;
  if (!map) {
    json_field_map_default(&defaults);
    map = &defaults;
  }
  memset(out, 0, sizeof *out);
  char *repaired = NULL;
  size_t bad_at = cys_utf8_invalid_offset(line, len);
  if (bad_at < len) {
    size_t repaired_len = 0;
    if (cys_utf8_repair(line, len, &repaired, &repaired_len,
                        &out->utf8_repairs) != CYS_OK) {
      snprintf(error, error_size, "out of memory");
      out->fault = JSON_FAULT_NOMEM;
      return -1;
    }
    snprintf(out->warning, sizeof out->warning,
             "invalid UTF-8 at byte %zu (%zu bytes replaced by U+FFFD)",
             bad_at + 1, out->utf8_repairs);
    line = repaired;
    len = repaired_len;
  }
  json_error_t jerr;
  /* Any value: a line that is a string or a number is valid JSON, just
   * not an object, and is reported as such. */
  watch_allocations();
  json_t *root = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
  free(repaired);
  if (!root && allocation_failed) {
    snprintf(error, error_size, "out of memory");
    out->fault = JSON_FAULT_NOMEM;
    return -1;
  }
  if (!root && line_at) {
    unsigned long at = line_at + (unsigned long)jerr.line - 1;
    unsigned long column = (unsigned long)jerr.column;
    if (jerr.line <= 1)
      column += column_at - 1;
    snprintf(error, error_size, "not valid JSON: %s (line %lu, column %lu)",
             jerr.text, at, column);
  } else if (!root) {
    snprintf(error, error_size, "not valid JSON: %s (column %d)", jerr.text,
             jerr.column);
  }
  if (!root) {
    out->fault = JSON_FAULT_SYNTAX;
    return -1;
  }
  int rc = from_object(root, map, NULL, out, error, error_size) ? -1 : 0;
  json_decref(root);
  return rc;
}

int json_article_parse_mapped(const char *line, size_t len,
                              const json_field_map *map, json_article *out,
                              char *error, size_t error_size) {
  return parse_record(line, len, map, 0, 0, out, error, error_size);
}

int json_article_parse_at(const char *text, size_t len,
                          const json_field_map *map, unsigned long line,
                          unsigned long column, json_article *out,
                          char *error, size_t error_size) {
  return parse_record(text, len, map, line ? line : 1, column ? column : 1,
                      out, error, error_size);
}

int json_article_parse(const char *line, size_t len, json_article *out,
                       char *error, size_t error_size) {
  return json_article_parse_mapped(line, len, NULL, out, error, error_size);
}

void json_article_release(json_article *a) {
  json_decref((json_t *)a->json);
  a->json = NULL;
}

/* One element of a document to fn; returns fn's verdict. */
static int each_one(json_t *v, size_t index, const json_field_map *map,
                    const char *fallback_id, json_article_fn fn, void *ctx) {
  json_article a;
  char error[256];
  memset(&a, 0, sizeof a);
  json_fault fault = from_object(v, map, fallback_id, &a, error, sizeof error);
  if (fault)
    return fn(ctx, index, NULL, fault, error);
  int rc = fn(ctx, index, &a, JSON_FAULT_NONE, NULL);
  json_article_release(&a);
  return rc;
}

int json_document_each(const char *text, size_t len, const json_field_map *map,
                       const char *fallback_id, json_article_fn fn, void *ctx,
                       json_fault *fault, char *error, size_t error_size) {
  json_field_map defaults;
  if (!map) {
    json_field_map_default(&defaults);
    map = &defaults;
  }
  json_error_t jerr;
  watch_allocations();
  json_t *root = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
  if (!root && allocation_failed) {
    snprintf(error, error_size, "out of memory");
    if (fault)
      *fault = JSON_FAULT_NOMEM;
    return -1;
  }
  if (!root) {
    snprintf(error, error_size, "not valid JSON: %s (line %d, column %d)",
             jerr.text, jerr.line, jerr.column);
    if (fault)
      *fault = JSON_FAULT_SYNTAX;
    return -1;
  }
  int rc = 0;
  if (json_is_array(root)) {
    for (size_t i = 0; i < json_array_size(root) && !rc; i++)
      rc = each_one(json_array_get(root, i), i + 1, map, NULL, fn, ctx) != 0;
  } else if (json_is_object(root)) {
    rc = each_one(root, 0, map, fallback_id, fn, ctx) != 0;
  } else {
    snprintf(error, error_size,
             "expected an article object or an array of them, found %s",
             type_name(root));
    if (fault)
      *fault = JSON_FAULT_NOT_OBJECT;
    rc = -1;
  }
  json_decref(root);
  return rc;
}
