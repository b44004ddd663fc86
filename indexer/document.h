/*
 * document.h — inputs read whole: a JSON document (one article object or
 * an array of them), a text page, an HTML page or a feed, already in
 * memory, to articles in the index.
 */
#ifndef CYSEARCH_INDEXER_DOCUMENT_H
#define CYSEARCH_INDEXER_DOCUMENT_H

#include <stddef.h>

#include "input_format.h"
#include "job.h"

/* Where an input comes from, and what a page from it is called. */
typedef struct input_source {
  const char *path;       /* to open; "-" is standard input */
  const char *name;       /* in messages */
  const char *id;         /* a page's id; NULL for standard input */
  const char *url;        /* a page's url when it gives none, or NULL */
  input_format announced; /* by its name (or --format), or UNKNOWN */
  int walked;             /* found in a directory, not named by the user */
} input_source;

/* Index the articles of text[0..len) (NUL-terminated, free of NUL bytes;
 * lines numbered from 1), read as format INPUT_JSON, INPUT_TXT or
 * INPUT_HTML or INPUT_FEED (HTML that is a feed, by feed_sniff, is read as
 * one unless --format says html).  Problems are reported and counted; returns -1 only when
 * the job must stop. */
int document_index(job *j, const input_source *src, input_format format,
                   char *text, size_t len);

#endif
