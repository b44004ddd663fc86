/* dir_walk.c — see dir_walk.h. */
#include "dir_walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The directories being walked, root first: a loop is a directory that
 * is its own ancestor. */
typedef struct ancestors {
  dev_t dev[DIR_WALK_MAX_DEPTH + 1];
  ino_t ino[DIR_WALK_MAX_DEPTH + 1];
  int depth;
} ancestors;

static int by_bytes(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* The sorted entry names of dir (without . and ..); -1 with errno set. */
static long read_names(const char *dir, char ***out) {
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  size_t n = 0, cap = 32;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  int err = names ? 0 : ENOMEM;
  while (!err && (errno = 0, e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (n == cap) {
      char **bigger = realloc(names, 2 * cap * sizeof *names);
      if (!bigger) {
        err = ENOMEM;
        break;
      }
      names = bigger;
      cap *= 2;
    }
    if (!(names[n] = strdup(e->d_name)))
      err = ENOMEM;
    else
      n++;
  }
  if (!err && errno)
    err = errno;
  closedir(d);
  if (err) {
    if (names)
      free_names(names, n);
    errno = err;
    return -1;
  }
  qsort(names, n, sizeof *names, by_bytes);
  *out = names;
  return (long)n;
}

/* a + "/" + b, malloc'd; a may be "" (then just b). */
static char *join(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *s = malloc(la + lb + 2);
  if (!s)
    return NULL;
  memcpy(s, a, la);
  size_t at = la;
  if (la > 0 && a[la - 1] != '/')
    s[at++] = '/';
  memcpy(s + at, b, lb + 1);
  return s;
}

static int walk_dir(const char *dir, const char *rel, ancestors *up,
                    const dir_walk_callbacks *cb, void *ctx) {
  char **names = NULL;
  long n = read_names(dir, &names);
  if (n < 0) {
    if (errno == ENOMEM)
      return -1;
    cb->other(ctx, dir, DIR_WALK_UNREADABLE, errno);
    return 0;
  }
  int rc = 0;
  for (long i = 0; i < n && rc == 0; i++) {
    if (cb->stop && cb->stop(ctx)) {
      rc = 1;
      break;
    }
    char *path = join(dir, names[i]);
    char *sub = join(rel, names[i]);
    struct stat st;
    if (!path || !sub) {
      rc = -1;
    } else if (names[i][0] == '.') {
      cb->other(ctx, path, DIR_WALK_HIDDEN, 0);
    } else if (lstat(path, &st) != 0) {
      cb->other(ctx, path, DIR_WALK_UNREADABLE, errno);
    } else if (S_ISLNK(st.st_mode)) {
      cb->other(ctx, path, DIR_WALK_SYMLINK, 0);
    } else if (S_ISREG(st.st_mode)) {
      rc = cb->file(ctx, path, sub) ? 1 : 0;
    } else if (!S_ISDIR(st.st_mode)) {
      cb->other(ctx, path, DIR_WALK_SPECIAL, 0);
    } else {
      int loop = 0;
      for (int k = 0; k <= up->depth; k++)
        loop |= up->dev[k] == st.st_dev && up->ino[k] == st.st_ino;
      if (loop) {
        cb->other(ctx, path, DIR_WALK_LOOP, 0);
      } else if (up->depth == DIR_WALK_MAX_DEPTH) {
        cb->other(ctx, path, DIR_WALK_TOO_DEEP, 0);
      } else {
        up->depth++;
        up->dev[up->depth] = st.st_dev;
        up->ino[up->depth] = st.st_ino;
        rc = walk_dir(path, sub, up, cb, ctx);
        up->depth--;
      }
    }
    free(path);
    free(sub);
  }
  free_names(names, (size_t)n);
  return rc;
}

int dir_walk(const char *root, const dir_walk_callbacks *cb, void *ctx) {
  ancestors up;
  struct stat st;
  if (stat(root, &st) != 0) {
    cb->other(ctx, root, DIR_WALK_UNREADABLE, errno);
    return 0;
  }
  up.depth = 0;
  up.dev[0] = st.st_dev;
  up.ino[0] = st.st_ino;
  return walk_dir(root, "", &up, cb, ctx);
}
