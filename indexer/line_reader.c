/* line_reader.c — see line_reader.h. */
#include "line_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (256u * 1024u)

struct line_reader {
  gzFile gz;
  size_t max_line;
  char *chunk; /* decompressed bytes not yet returned */
  size_t chunk_pos, chunk_len;
  int eof;
  line_fault failed; /* LINE_FAULT_NONE until an error */
  char *line; /* the line being assembled */
  size_t line_len, line_cap;
  unsigned long lineno;
  unsigned long long bytes;
  char error[256];
  int damaged; /* the gzip file failed its check when opened */
  char damage[256];
};

/* zlib's message without the "<fd:N>: " it puts first. */
static const char *zlib_message(const char *msg) {
  const char *colon = strncmp(msg, "<fd:", 4) == 0 ? strstr(msg, ": ") : NULL;
  return colon ? colon + 2 : msg;
}

/* Read the gzip file at path (the one open as fd) through once, into
 * r->chunk, to know before handing out lines whether it is damaged. */
static void check_gzip(line_reader *r, int fd, const char *path) {
  unsigned char magic[2];
  struct stat a, b;
  if (fstat(fd, &a) != 0 || !S_ISREG(a.st_mode) ||
      pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
    return;
  int again = open(path, O_RDONLY | O_CLOEXEC);
  if (again < 0)
    return;
  if (fstat(again, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
    close(again); /* replaced meanwhile: the main read will tell */
    return;
  }
  gzFile gz = gzdopen(again, "rb");
  if (!gz) {
    close(again);
    return;
  }
  gzbuffer(gz, CHUNK);
  while (gzread(gz, r->chunk, CHUNK) > 0)
    ;
  int code;
  const char *msg = gzerror(gz, &code);
  if (code != Z_OK && code != Z_STREAM_END && code != Z_ERRNO &&
      code != Z_MEM_ERROR) {
    r->damaged = 1;
    snprintf(r->damage, sizeof r->damage, "%s", zlib_message(msg));
  }
  gzclose(gz);
}

line_reader *line_reader_open(const char *path, size_t max_line_bytes) {
  int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO)
                                  : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  line_reader *r = calloc(1, sizeof *r);
  if (r)
    r->chunk = malloc(CHUNK);
  if (r && r->chunk)
    r->gz = gzdopen(fd, "rb");
  if (!r || !r->chunk || !r->gz) {
    int saved = r && r->chunk ? EINVAL : ENOMEM;
    close(fd);
    if (r)
      free(r->chunk);
    free(r);
    errno = saved;
    return NULL;
  }
  gzbuffer(r->gz, CHUNK);
  r->max_line = max_line_bytes;
  if (strcmp(path, "-") != 0)
    check_gzip(r, fd, path);
  return r;
}

void line_reader_close(line_reader *r) {
  if (!r)
    return;
  gzclose(r->gz);
  free(r->chunk);
  free(r->line);
  free(r);
}

/* Refill the chunk; returns 0 at end of input or on error. */
static int refill(line_reader *r) {
  if (r->eof || r->failed)
    return 0;
  int n = gzread(r->gz, r->chunk, CHUNK);
  if (n < 0) {
    int code;
    const char *msg = gzerror(r->gz, &code);
    if (code == Z_ERRNO) {
      r->failed = LINE_FAULT_READ;
      snprintf(r->error, sizeof r->error, "%s", strerror(errno));
    } else if (code == Z_MEM_ERROR) {
      r->failed = LINE_FAULT_NOMEM;
      snprintf(r->error, sizeof r->error, "out of memory");
    } else {
      r->failed = LINE_FAULT_GZIP;
      snprintf(r->error, sizeof r->error, "damaged or truncated gzip data (%s)",
               msg);
    }
    return 0;
  }
  if (n == 0) {
    /* gzread reports a cut-off gzip stream only through gzerror. */
    int code;
    const char *msg = gzerror(r->gz, &code);
    if (code != Z_OK && code != Z_STREAM_END) {
      r->failed = LINE_FAULT_GZIP;
      snprintf(r->error, sizeof r->error, "damaged or truncated gzip data (%s)",
               msg);
    }
    r->eof = 1;
    return 0;
  }
  r->chunk_pos = 0;
  r->chunk_len = (size_t)n;
  r->bytes += (unsigned long long)n;
  return 1;
}

static int append(line_reader *r, const char *s, size_t n, int *too_long) {
  if (*too_long)
    return 0;
  if (r->line_len + n > r->max_line) {
    *too_long = 1;
    return 0;
  }
  if (r->line_len + n + 1 > r->line_cap) {
    size_t cap = r->line_cap ? r->line_cap : 4096;
    while (cap < r->line_len + n + 1)
      cap *= 2;
    char *bigger = realloc(r->line, cap);
    if (!bigger)
      return -1;
    r->line = bigger;
    r->line_cap = cap;
  }
  memcpy(r->line + r->line_len, s, n);
  r->line_len += n;
  r->line[r->line_len] = '\0';
  return 0;
}

line_result line_reader_next(line_reader *r, const char **line, size_t *len) {
  int too_long = 0, any = 0;
  r->line_len = 0;
  for (;;) {
    if (r->chunk_pos == r->chunk_len && !refill(r)) {
      if (r->failed)
        return LINE_ERROR;
      if (!any)
        return LINE_END;
      break; /* last line without a newline */
    }
    any = 1;
    const char *start = r->chunk + r->chunk_pos;
    size_t avail = r->chunk_len - r->chunk_pos;
    const char *nl = memchr(start, '\n', avail);
    size_t take = nl ? (size_t)(nl - start) : avail;
    if (append(r, start, take, &too_long) < 0) {
      snprintf(r->error, sizeof r->error, "out of memory");
      r->failed = LINE_FAULT_NOMEM;
      return LINE_ERROR;
    }
    r->chunk_pos += take + (nl ? 1 : 0);
    if (nl)
      break;
  }
  r->lineno++;
  if (too_long)
    return LINE_TOO_LONG;
  if (r->line_len > 0 && r->line[r->line_len - 1] == '\r')
    r->line[--r->line_len] = '\0';
  *line = r->line ? r->line : "";
  *len = r->line_len;
  return LINE_OK;
}

int line_reader_peek(line_reader *r) {
  for (;;) {
    if (r->chunk_pos == r->chunk_len) {
      int first = r->bytes == 0;
      if (!refill(r))
        return -1;
      if (first && r->chunk_len >= 3 && memcmp(r->chunk, "\xef\xbb\xbf", 3) == 0)
        r->chunk_pos = 3;
      continue;
    }
    char c = r->chunk[r->chunk_pos];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      return (unsigned char)c;
    r->lineno += c == '\n';
    r->chunk_pos++;
  }
}

line_result line_reader_read(line_reader *r, const char **data, size_t *len) {
  if (r->chunk_pos == r->chunk_len && !refill(r))
    return r->failed ? LINE_ERROR : LINE_END;
  *data = r->chunk + r->chunk_pos;
  *len = r->chunk_len - r->chunk_pos;
  r->chunk_pos = r->chunk_len;
  return LINE_OK;
}

unsigned long line_reader_lineno(const line_reader *r) { return r->lineno; }

const char *line_reader_error(const line_reader *r) { return r->error; }

line_fault line_reader_fault(const line_reader *r) { return r->failed; }

int line_reader_damaged(const line_reader *r, const char **why) {
  if (r->damaged && why)
    *why = r->damage;
  return r->damaged;
}

unsigned long long line_reader_bytes(const line_reader *r) { return r->bytes; }

unsigned long long line_reader_file_offset(const line_reader *r) {
  z_off_t at = gzoffset(r->gz);
  return at > 0 ? (unsigned long long)at : 0;
}
