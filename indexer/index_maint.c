/* index_maint.c — see index_maint.h. */
#include "index_maint.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cysearch/db.h"
#include "cysearch/writer.h"
#include "job.h"

#define PATH_BYTES 4096

/* The databases of an index: the shards of a sharded one (only shard
 * `only` when >= 0), else itself.  paths[i] is malloc'd; -1 (reported)
 * when the stub is unreadable or has no such shard. */
static int index_parts(const char *db, int only, char ***paths,
                       unsigned *n) {
  unsigned shards = 0;
  cys_status st = cys_index_shards(db, &shards);
  if (st) {
    fprintf(stderr, PROGRAM ": cannot read the shard list '%s/XAPIANDB': "
                    "%s\n", db, cys_status_str(st));
    return -1;
  }
  if (only >= 0 && (unsigned)only >= shards) {
    if (shards)
      fprintf(stderr, PROGRAM ": --shard %d: index '%s' has %u shards, "
                      "numbered 0 to %u\n", only, db, shards, shards - 1);
    else
      fprintf(stderr, PROGRAM ": --shard %d: '%s' is not a sharded index "
                      "(no XAPIANDB stub): leave out --shard\n", only, db);
    return -1;
  }
  unsigned first = only >= 0 ? (unsigned)only : 0;
  unsigned count = only >= 0 ? 1 : shards ? shards : 1;
  char **p = calloc(count, sizeof *p);
  if (!p) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    return -1;
  }
  for (unsigned i = 0; i < count; i++) {
    p[i] = malloc(PATH_BYTES);
    if (!p[i] || (shards ? cys_index_shard_path(db, first + i, p[i],
                                                PATH_BYTES)
                         : (snprintf(p[i], PATH_BYTES, "%s", db) >=
                            PATH_BYTES))) {
      fprintf(stderr, PROGRAM ": index path '%s' too long or out of "
                      "memory\n", db);
      for (unsigned k = 0; k <= i; k++)
        free(p[k]);
      free(p);
      return -1;
    }
  }
  *paths = p;
  *n = count;
  return 0;
}

static void free_parts(char **paths, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    free(paths[i]);
  free(paths);
}

static unsigned long long file_bytes(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
             ? (unsigned long long)sb.st_size
             : 0;
}

/* Bytes of the files directly in a directory. */
static unsigned long long dir_bytes(const char *path) {
  unsigned long long total = 0;
  DIR *d = opendir(path);
  if (!d)
    return 0;
  struct dirent *e;
  char file[PATH_BYTES];
  while ((e = readdir(d)) != NULL) {
    int n = snprintf(file, sizeof file, "%s/%s", path, e->d_name);
    if (n > 0 && (size_t)n < sizeof file)
      total += file_bytes(file);
  }
  closedir(d);
  return total;
}

unsigned long long index_bytes(const char *db, int shard) {
  unsigned long long total = shard >= 0 ? 0 : dir_bytes(db);
  unsigned shards = 0;
  char part[PATH_BYTES];
  if (cys_index_shards(db, &shards) == CYS_OK)
    for (unsigned i = 0; i < shards; i++)
      if ((shard < 0 || (unsigned)shard == i) &&
          cys_index_shard_path(db, i, part, sizeof part) == CYS_OK)
        total += dir_bytes(part);
  return total;
}

int index_check(const char *db, int shard) {
  char **parts;
  unsigned n;
  if (index_parts(db, shard, &parts, &n))
    return 1;
  int damaged = 0;
  for (unsigned i = 0; i < n; i++) {
    char *report = NULL;
    cys_status st = cys_db_check(parts[i], &report);
    if (report && !(st == CYS_OK && !isatty(STDOUT_FILENO)))
      fputs(report, st == CYS_OK ? stdout : stderr);
    free(report);
    if (st == CYS_OK) {
      printf(PROGRAM ": index '%s' is sound\n", parts[i]);
      continue;
    }
    damaged = 1;
    fprintf(stderr, PROGRAM ": index '%s' %s\n", parts[i],
            st == CYS_CORRUPT ? "is damaged (see above): rebuild it, or "
                                "restore a copy"
                              : "could not be checked");
  }
  free_parts(parts, n);
  return damaged;
}

/* Remove an index directory (Xapian's files are all directly in it). */
static int remove_index_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return -1;
  struct dirent *e;
  char file[PATH_BYTES];
  int rc = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    int n = snprintf(file, sizeof file, "%s/%s", path, e->d_name);
    if (n < 0 || (size_t)n >= sizeof file || unlink(file) != 0)
      rc = -1;
  }
  closedir(d);
  return rmdir(path) != 0 ? -1 : rc;
}

/* Compact one database into a new directory beside it, then swap. */
static int compact_one(const char *db) {
  char tmp[PATH_BYTES], old[PATH_BYTES];
  snprintf(tmp, sizeof tmp, "%s.compact-%ld", db, (long)getpid());
  snprintf(old, sizeof old, "%s.old-%ld", db, (long)getpid());
  char *error = NULL;
  if (cys_db_compact(db, tmp, &error) != CYS_OK) {
    fprintf(stderr, PROGRAM ": --compact: %s; the index '%s' is unchanged\n",
            error ? error : "failed", db);
    free(error);
    return -1;
  }
  if (rename(db, old) != 0 || rename(tmp, db) != 0) {
    fprintf(stderr, PROGRAM ": --compact: cannot swap '%s' and '%s': %s\n",
            tmp, db, strerror(errno));
    return -1;
  }
  if (remove_index_dir(old) != 0)
    fprintf(stderr, PROGRAM ": --compact: could not remove '%s': %s\n", old,
            strerror(errno));
  return 0;
}

int index_compact(const char *db, int shard) {
  char **parts;
  unsigned n;
  if (index_parts(db, shard, &parts, &n))
    return -1;
  int rc = 0;
  for (unsigned i = 0; i < n && !rc; i++)
    rc = compact_one(parts[i]);
  free_parts(parts, n);
  return rc;
}

int index_merge(const char *db, const char *out) {
  char **parts;
  unsigned n;
  struct stat sb;
  if (stat(db, &sb) != 0) {
    fprintf(stderr, PROGRAM ": --merge: no index at '%s'\n", db);
    return -1;
  }
  DIR *d = opendir(out);
  if (d) {
    struct dirent *e;
    int used = 0;
    while ((e = readdir(d)) != NULL)
      used |= strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    if (used) {
      fprintf(stderr, PROGRAM ": --merge: '%s' is not empty: give a new or "
                      "empty directory\n", out);
      return -1;
    }
  }
  if (index_parts(db, -1, &parts, &n))
    return -1;
  char *error = NULL;
  int rc = 0;
  if (cys_wdb_merge((const char *const *)parts, n, out, &error) != CYS_OK) {
    fprintf(stderr, PROGRAM ": --merge: cannot write '%s': %s\n", out,
            error ? error : "failed");
    rc = -1;
  }
  free(error);
  free_parts(parts, n);
  return rc;
}
