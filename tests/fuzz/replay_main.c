/*
 * replay_main.c — runs a fuzz target over files instead of under libFuzzer:
 * every seed and every past crash in tests/fuzz/<target>/ is replayed by
 * CTest in ordinary (and sanitizer) builds, so a fixed crash stays fixed.
 *   fuzz_<what> FILE_OR_DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0, n;
  uint8_t chunk[65536];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + n > cap) {
      cap = (len + n) * 2;
      uint8_t *bigger = realloc(buf, cap);
      if (!bigger) {
        free(buf);
        fclose(f);
        return -1;
      }
      buf = bigger;
    }
    memcpy(buf + len, chunk, n);
    len += n;
  }
  fclose(f);
  /* Give the target its own copy of exactly len bytes, as libFuzzer does,
   * so reads past the end are caught by AddressSanitizer. */
  uint8_t *exact = malloc(len ? len : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  if (len)
    memcpy(exact, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  return 0;
}

static int replay(const char *path, int *count) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    ++*count;
    return replay_file(path);
  }
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    if (replay(sub, count) != 0)
      rc = -1;
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv) {
  int count = 0, rc = 0;
  for (int i = 1; i < argc; i++)
    if (replay(argv[i], &count) != 0)
      rc = 1;
  printf("%d passed, %d failed\n", rc ? 0 : count, rc ? 1 : 0);
  return rc || count == 0;
}
