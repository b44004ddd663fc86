/*
 * article_json.h — one JSON Lines record to a cys_article.
 *
 * A record is a JSON object with "id" (string or integer; required),
 * "title", "date", "source", "url", "body" (string or null; optional).
 * Other keys are ignored.  Invalid UTF-8 is repaired (U+FFFD) before
 * parsing and reported as a warning, so one bad byte never loses an article.
 */
#ifndef CYSEARCH_INDEXER_ARTICLE_JSON_H
#define CYSEARCH_INDEXER_ARTICLE_JSON_H

#include <stddef.h>

#include "cysearch/article.h"

/* A parsed article and the storage its strings live in. */
typedef struct json_article {
  cys_article article;
  void *json;                  /* the parsed document (owns the strings) */
  char id_buf[32];             /* an integer id, printed */
  char date[CYS_DATE_MAX];     /* the normalised date */
  size_t utf8_repairs;         /* bytes of invalid UTF-8 replaced */
  char warning[160];           /* e.g. a date that was not understood */
} json_article;

/* Parse line[0..len).  On success returns 0 and fills *out (release with
 * json_article_release); on failure returns -1 with the reason, naming the
 * column where possible, in error. */
int json_article_parse(const char *line, size_t len, json_article *out,
                       char *error, size_t error_size);
void json_article_release(json_article *a);

#endif
