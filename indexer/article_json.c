/* article_json.c — see article_json.h.  JSON parsing is jansson's. */
#include "article_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"

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

/* Read an optional string field; -1 (with error) when it has another type. */
static int string_field(json_t *obj, const char *key, const char **out,
                        char *error, size_t error_size) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v))
    return 0;
  if (!json_is_string(v)) {
    snprintf(error, error_size, "field \"%s\" must be a string or null, not %s",
             key, type_name(v));
    return -1;
  }
  *out = json_string_value(v);
  return 0;
}

int json_article_parse(const char *line, size_t len, json_article *out,
                       char *error, size_t error_size) {
  memset(out, 0, sizeof *out);
  char *repaired = NULL;
  size_t bad_at = cys_utf8_invalid_offset(line, len);
  if (bad_at < len) {
    size_t repaired_len = 0;
    if (cys_utf8_repair(line, len, &repaired, &repaired_len,
                        &out->utf8_repairs) != CYS_OK) {
      snprintf(error, error_size, "out of memory");
      return -1;
    }
    snprintf(out->warning, sizeof out->warning,
             "invalid UTF-8 at byte %zu (%zu bytes replaced by U+FFFD)",
             bad_at + 1, out->utf8_repairs);
    line = repaired;
    len = repaired_len;
  }
  json_error_t jerr;
  json_t *root = json_loadb(line, len, 0, &jerr);
  free(repaired);
  if (!root) {
    snprintf(error, error_size, "not valid JSON: %s (column %d)", jerr.text,
             jerr.column);
    return -1;
  }
  if (!json_is_object(root)) {
    snprintf(error, error_size, "expected a JSON object, found %s",
             type_name(root));
    json_decref(root);
    return -1;
  }
  cys_article *a = &out->article;
  json_t *id = json_object_get(root, "id");
  if (json_is_string(id) && json_string_length(id) > 0) {
    a->id = json_string_value(id);
  } else if (json_is_integer(id)) {
    snprintf(out->id_buf, sizeof out->id_buf, "%" JSON_INTEGER_FORMAT,
             json_integer_value(id));
    a->id = out->id_buf;
  } else {
    if (!id || json_is_null(id))
      snprintf(error, error_size, "field \"id\" is missing");
    else if (json_is_string(id))
      snprintf(error, error_size, "field \"id\" is empty");
    else
      snprintf(error, error_size,
               "field \"id\" must be a string or an integer, not %s",
               type_name(id));
    json_decref(root);
    return -1;
  }
  const char *date = NULL;
  if (string_field(root, "title", &a->title, error, error_size) ||
      string_field(root, "date", &date, error, error_size) ||
      string_field(root, "source", &a->source, error, error_size) ||
      string_field(root, "url", &a->url, error, error_size) ||
      string_field(root, "body", &a->body, error, error_size)) {
    json_decref(root);
    return -1;
  }
  if (date && *date) {
    if (cys_date_normalize(date, out->date) == CYS_OK) {
      a->date = out->date;
    } else if (!out->warning[0]) {
      snprintf(out->warning, sizeof out->warning,
               "date \"%.40s\" is not YYYY, YYYY-MM or YYYY-MM-DD; "
               "indexed without a date", date);
    }
  }
  out->json = root;
  return 0;
}

void json_article_release(json_article *a) {
  json_decref((json_t *)a->json);
  a->json = NULL;
}
