/*
 * fuzz_gzip.c — the indexer's input reader on any bytes, gzip-compressed
 * or not (damaged, truncated, concatenated streams): every line it returns
 * is within the length limit, and it always ends with LINE_END or
 * LINE_ERROR and a message, never a crash or a hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "line_reader.h"

#define MAX_LINE 4096

static char path[] = "/tmp/fuzz-gzip-XXXXXX";

static void cleanup(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int fd = -1;
  if (fd < 0) {
    fd = mkstemp(path);
    if (fd < 0)
      abort();
    atexit(cleanup);
  }
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
    abort();
  line_reader *r = line_reader_open(path, MAX_LINE);
  if (!r)
    abort();
  for (unsigned long lines = 0;; lines++) {
    const char *line;
    size_t len;
    line_result lr = line_reader_next(r, &line, &len);
    if (lr == LINE_END)
      break;
    if (lr == LINE_ERROR) {
      if (!line_reader_error(r)[0])
        abort();
      break;
    }
    if (lr == LINE_OK && len > MAX_LINE)
      abort();
    if (lines > 100000000ul)
      abort(); /* more lines than bytes could hold: a loop */
  }
  line_reader_close(r);
  return 0;
}
