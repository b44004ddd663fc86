/*
 * line_reader.h — reading an input file line by line, gzip or plain
 * (detected from the content, through zlib), or standard input.
 */
#ifndef CYSEARCH_INDEXER_LINE_READER_H
#define CYSEARCH_INDEXER_LINE_READER_H

#include <stddef.h>

typedef struct line_reader line_reader;

typedef enum line_result {
  LINE_OK,       /* a line is in *line (without its newline) */
  LINE_TOO_LONG, /* a line over the limit was read and dropped */
  LINE_END,      /* no more lines */
  LINE_ERROR     /* read error or damaged gzip data: see line_reader_error */
} line_result;

/* Open path ("-" for standard input).  Returns NULL and sets errno when the
 * file cannot be opened. */
line_reader *line_reader_open(const char *path, size_t max_line_bytes);
void line_reader_close(line_reader *r);

/* Read the next line.  *line stays valid until the next call; *len is its
 * length (it may contain NUL bytes, which the caller must reject). */
line_result line_reader_next(line_reader *r, const char **line, size_t *len);

/* For a reader that takes the rest of the input as bytes rather than
 * lines.  line_reader_peek skips white space (and a byte order mark at
 * the very start), counting the newlines as lines, and returns the next
 * byte without consuming it, or -1 at the end of the input or on an error
 * (see line_reader_fault).  line_reader_read gives the next bytes not yet
 * returned (*data valid until the next call): LINE_OK, LINE_END, or
 * LINE_ERROR; the lines they hold are not counted. */
int line_reader_peek(line_reader *r);
line_result line_reader_read(line_reader *r, const char **data, size_t *len);

/* Bytes of the file consumed so far as it is stored (of the compressed
 * stream for a gzip file), for the progress line's ETA against the file's
 * size.  Decompressed bytes are line_reader_bytes. */
unsigned long long line_reader_file_offset(const line_reader *r);

/* Number of the line last returned (1-based). */
unsigned long line_reader_lineno(const line_reader *r);

/* Description of the last LINE_ERROR. */
const char *line_reader_error(const line_reader *r);

/* What the last LINE_ERROR was. */
typedef enum line_fault {
  LINE_FAULT_NONE,
  LINE_FAULT_READ,  /* the file could not be read */
  LINE_FAULT_GZIP,  /* damaged or truncated gzip data */
  LINE_FAULT_NOMEM  /* out of memory */
} line_fault;
line_fault line_reader_fault(const line_reader *r);

/* Whether a gzip file was found damaged or truncated when it was opened:
 * line_reader_open reads a gzip file (a regular one, not standard input)
 * through once first, because zlib notices most damage only at the end of
 * the stream (its CRC), after it has handed out every line the damage
 * garbled.  *why (may be NULL) receives zlib's message.  The lines are
 * then read as usual, ending in LINE_ERROR: what to do with the garbled
 * ones is the caller's. */
int line_reader_damaged(const line_reader *r, const char **why);

/* Bytes of (uncompressed) input consumed so far. */
unsigned long long line_reader_bytes(const line_reader *r);

#endif
