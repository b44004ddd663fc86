/*
 * article_json.h — JSON to cys_article: one JSON Lines record, or a whole
 * JSON document holding one article object or an array of them.
 *
 * A record is a JSON object with "id" (string or integer; required),
 * "title", "date", "source", "url", "body" (string or null; optional).
 * Other keys are ignored.  A field map (--field title=headline) reads a
 * field from another key, or from a nested one ("meta.published").
 * Invalid UTF-8 in a record is repaired (U+FFFD) before parsing and
 * reported as a warning, so one bad byte never loses an article.
 */
#ifndef CYSEARCH_INDEXER_ARTICLE_JSON_H
#define CYSEARCH_INDEXER_ARTICLE_JSON_H

#include <stddef.h>

#include "cysearch/article.h"

/* The article fields, in the order of json_field_names. */
enum {
  JSON_FIELD_ID,
  JSON_FIELD_TITLE,
  JSON_FIELD_DATE,
  JSON_FIELD_SOURCE,
  JSON_FIELD_URL,
  JSON_FIELD_BODY,
  JSON_FIELD_COUNT
};

/* The JSON key each field is read from.  A key is first looked up as it
 * is; when the object has no such key and it contains dots, it is read as
 * a path of nested keys ("meta.published"; a number picks an array
 * element: "authors.0").  The strings are borrowed (argv, typically). */
typedef struct json_field_map {
  const char *key[JSON_FIELD_COUNT];
} json_field_map;

/* Every field read from the key of its own name. */
void json_field_map_default(json_field_map *map);

/* Apply one FIELD=KEY mapping ("title=headline").  spec is borrowed and
 * must outlive the map.  Returns -1, with the reason in error, when FIELD
 * is not one of id, title, date, source, url, body or KEY is empty. */
int json_field_map_set(json_field_map *map, char *spec, char *error,
                       size_t error_size);

/* Why a record or document was refused (the message in error says it
 * in words). */
typedef enum json_fault {
  JSON_FAULT_NONE,
  JSON_FAULT_SYNTAX,     /* not valid JSON */
  JSON_FAULT_NOT_OBJECT, /* another JSON value where an object was wanted */
  JSON_FAULT_NO_ID,      /* the id is missing, null or empty */
  JSON_FAULT_TYPE,       /* a field of the wrong type */
  JSON_FAULT_NOMEM       /* out of memory */
} json_fault;

/* A parsed article and the storage its strings live in. */
typedef struct json_article {
  cys_article article;
  void *json;              /* the parsed value (owns the strings) */
  char id_buf[32];         /* an integer id, printed */
  char date[CYS_DATE_MAX]; /* the normalised date */
  size_t utf8_repairs;     /* bytes of invalid UTF-8 replaced */
  char warning[160];       /* e.g. a date that was not understood */
  json_fault fault;        /* why parsing failed (JSON_FAULT_NONE if not) */
} json_article;

/* Parse one JSON Lines record line[0..len), reading fields through map
 * (NULL: the default keys).  On success returns 0 and fills *out (release
 * with json_article_release); on failure returns -1 with the reason,
 * naming the column or the (mapped) key where possible, in error, and its
 * kind in out->fault. */
int json_article_parse_mapped(const char *line, size_t len,
                              const json_field_map *map, json_article *out,
                              char *error, size_t error_size);
void json_article_release(json_article *a);

/* json_article_parse_mapped for one element of a JSON document, whose
 * text starts at line and column of the document: a syntax error is
 * placed by line and column in the document. */
int json_article_parse_at(const char *text, size_t len,
                          const json_field_map *map, unsigned long line,
                          unsigned long column, json_article *out,
                          char *error, size_t error_size);

/* json_article_parse_mapped with the default keys. */
int json_article_parse(const char *line, size_t len, json_article *out,
                       char *error, size_t error_size);

/* Called by json_document_each for each article of a document: index is
 * the element's (from 1) in an array, 0 for a document that is a single
 * object; on a bad element `a` is NULL, error says why and fault is its
 * kind.  `a` is only valid during the call.  A non-zero return stops the
 * walk. */
typedef int (*json_article_fn)(void *ctx, size_t index, const json_article *a,
                               json_fault fault, const char *error);

/* Parse a whole JSON document text[0..len), valid UTF-8: one article
 * object or an array of article objects, and call fn for each.  When
 * fallback_id is not NULL, a single object without the id key gets it as
 * its id.  Returns -1 with the reason in error (naming line and column)
 * and its kind in *fault (JSON_FAULT_SYNTAX or JSON_FAULT_NOT_OBJECT; fault
 * may be NULL) when the text is not JSON or not an object or array, 1 when
 * fn stopped the walk, and 0 when every element was passed to fn. */
int json_document_each(const char *text, size_t len, const json_field_map *map,
                       const char *fallback_id, json_article_fn fn, void *ctx,
                       json_fault *fault, char *error, size_t error_size);

#endif
