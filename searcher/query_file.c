/* query_file.c — see query_file.h. */
#define _POSIX_C_SOURCE 200809L /* getc_unlocked */
#include "query_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct query_file {
  FILE *f;
  unsigned long lineno;
  char line[QUERY_FILE_MAX_LINE + 1];
};

query_file *query_file_open(const char *path) {
  query_file *q = malloc(sizeof *q);
  if (!q) {
    errno = ENOMEM;
    return NULL;
  }
  q->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
  if (!q->f) {
    int saved = errno;
    free(q);
    errno = saved;
    return NULL;
  }
  q->lineno = 0;
  return q;
}

void query_file_close(query_file *q) {
  if (!q)
    return;
  if (q->f != stdin)
    fclose(q->f);
  free(q);
}

static int is_control(int c) {
  return c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v';
}

query_read query_file_next(query_file *q, char **line, size_t *len) {
  size_t n = 0;
  int c, too_long = 0, binary = 0, any = 0;
  while ((c = getc_unlocked(q->f)) != EOF && c != '\n') {
    any = 1;
    binary |= is_control(c);
    if (n < QUERY_FILE_MAX_LINE)
      q->line[n++] = (char)c;
    else
      too_long = 1;
  }
  if (c == EOF && ferror(q->f))
    return QUERY_ERROR;
  if (c == EOF && !any)
    return QUERY_END;
  q->lineno++;
  if (binary)
    return QUERY_BINARY;
  if (too_long)
    return QUERY_TOO_LONG;
  q->line[n] = '\0';
  *line = q->line;
  *len = n;
  return QUERY_LINE;
}

unsigned long query_file_lineno(const query_file *q) { return q->lineno; }
