/*
 * query_file.h — the lines of a --queries file (or standard input), read
 * in bounded memory: a line longer than QUERY_FILE_MAX_LINE is consumed
 * without being kept and reported as too long, and a line holding a NUL
 * byte or another control character (not tab, CR, FF, VT) shows that the
 * file is not text.
 */
#ifndef CYSEARCH_SEARCHER_QUERY_FILE_H
#define CYSEARCH_SEARCHER_QUERY_FILE_H

#include <stddef.h>

/* The longest line read as a query, in bytes (without its newline). */
#define QUERY_FILE_MAX_LINE (64u * 1024u)

typedef struct query_file query_file;

/* Open path ("-": standard input).  NULL with errno set when it cannot be
 * opened (ENOMEM when memory runs out). */
query_file *query_file_open(const char *path);
void query_file_close(query_file *q);

typedef enum query_read {
  QUERY_LINE,     /* *line (NUL-terminated, without newline) and *len */
  QUERY_TOO_LONG, /* a line over QUERY_FILE_MAX_LINE, skipped */
  QUERY_BINARY,   /* a control character: the file is not text */
  QUERY_END,      /* no more lines */
  QUERY_ERROR     /* a read error: errno says which */
} query_read;

/* The next line; *line stays valid until the next call. */
query_read query_file_next(query_file *q, char **line, size_t *len);

/* The number (from 1) of the line last read. */
unsigned long query_file_lineno(const query_file *q);

#endif
