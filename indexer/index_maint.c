/* index_maint.c — see index_maint.h. */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE (Linux); realpath */
#include "index_maint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cysearch/index.h"
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

/* Write all of buf[len] to fd. */
static int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* cys_index_check in a child process: Xapian 1.4's checker can read past its
 * buffers on some damaged tables (a corrupted termlist entry crashes it
 * with SIGSEGV, or SIGABRT when AddressSanitizer or the C library's heap
 * checks catch it), and a crash there says the index is damaged rather
 * than ending cysearch-index.  Where fork is not possible, in this
 * process. */
static cys_status check_part(const char *path, char **report) {
  int fds[2];
  *report = NULL;
  if (pipe(fds) != 0)
    return cys_index_check(path, report);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return cys_index_check(path, report);
  }
  if (pid == 0) {
    close(fds[0]);
    struct rlimit none = {0, 0}; /* no core file if it crashes */
    setrlimit(RLIMIT_CORE, &none);
    char *text = NULL;
    int code = (int)cys_index_check(path, &text);
    int rc = write_all(fds[1], &code, sizeof code) != 0 ||
             (text && write_all(fds[1], text, strlen(text)) != 0);
    _exit(rc);
  }
  close(fds[1]);
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (cap - len < 4096) {
      char *more = realloc(buf, cap ? 2 * cap : 8192);
      if (!more)
        break;
      buf = more;
      cap = cap ? 2 * cap : 8192;
    }
    ssize_t n = read(fds[0], buf + len, cap - len - 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    len += (size_t)n;
  }
  close(fds[0]);
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
    ;
  int code = 0;
  cys_status st;
  const char *text = "";
  char note[160] = "";
  if (!buf || len < sizeof code) {
    len = 0;
  } else {
    memcpy(&code, buf, sizeof code);
    buf[len] = '\0';
    text = buf + sizeof code;
  }
  int sig = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
  if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
      sig == SIGABRT) {
    /* The report was lost with the child. */
    snprintf(note, sizeof note, "Xapian's check crashed reading the index "
                                "(signal %d, %s): the index is damaged\n",
             sig, strsignal(sig));
    st = CYS_CORRUPT;
  } else if (sig) {
    snprintf(note, sizeof note, "the check was stopped (signal %d, %s)\n",
             sig, strsignal(sig));
    st = CYS_INTERNAL;
  } else if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0 || len == 0) {
    snprintf(note, sizeof note, "the check stopped without a result\n");
    st = CYS_INTERNAL;
  } else {
    st = (cys_status)code;
  }
  size_t tlen = strlen(text), nlen = strlen(note);
  *report = malloc(tlen + nlen + 1);
  if (*report) {
    memcpy(*report, text, tlen);
    memcpy(*report + tlen, note, nlen + 1);
  }
  free(buf);
  return st;
}

int index_check(const char *db, int shard) {
  char **parts;
  unsigned n;
  if (index_parts(db, shard, &parts, &n))
    return 1;
  int damaged = 0;
  for (unsigned i = 0; i < n; i++) {
    char *report = NULL;
    cys_status st = check_part(parts[i], &report);
    /* When the check could not run, the report's last line says why: it
     * goes on the final line, what comes before it above. */
    const char *why = NULL;
    if (report && st != CYS_OK && st != CYS_CORRUPT) {
      size_t len = strlen(report);
      while (len && report[len - 1] == '\n')
        report[--len] = '\0';
      char *nl = strrchr(report, '\n');
      why = nl ? nl + 1 : report;
      if (nl) {
        *nl = '\0';
        fprintf(stderr, "%s\n", report);
      }
    } else if (report && (st != CYS_OK || isatty(STDOUT_FILENO))) {
      fputs(report, st == CYS_OK ? stdout : stderr);
    }
    if (st == CYS_OK) {
      printf(PROGRAM ": index '%s' is sound\n", parts[i]);
    } else if (st == CYS_CORRUPT) {
      fprintf(stderr, PROGRAM ": index '%s' is damaged (see above): rebuild "
                      "it, or restore a copy\n", parts[i]);
    } else {
      fprintf(stderr, PROGRAM ": index '%s' could not be checked: %s\n",
              parts[i], why && *why ? why : cys_status_str(st));
    }
    free(report);
    damaged |= st != CYS_OK;
  }
  free_parts(parts, n);
  return damaged;
}

int index_remove_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return -1;
  struct dirent *e;
  char file[PATH_BYTES];
  int rc = 0, err = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    int n = snprintf(file, sizeof file, "%s/%s", path, e->d_name);
    if (n < 0 || (size_t)n >= sizeof file || unlink(file) != 0) {
      err = n < 0 || (size_t)n >= sizeof file ? ENAMETOOLONG : errno;
      rc = -1;
    }
  }
  closedir(d);
  if (rmdir(path) != 0) {
    if (err)
      errno = err; /* why it is not empty */
    return -1;
  }
  errno = err;
  return rc;
}

/* ---- --compact ------------------------------------------------------------
 *
 * Each database of the index is compacted while the job's writer holds
 * its write lock, so no other writer can commit to it meanwhile, nor
 * between the compaction and the swap:
 *
 *   1. the compactor reads the last commit of DIR (readers need no lock)
 *      into a new directory beside it, DIR.compact-PID;
 *   2. renameat2(RENAME_EXCHANGE) swaps the two directories in one step,
 *      so DIR always holds an index, the old one or the compacted one
 *      (where the filesystem cannot exchange, two renames: for a moment
 *      there is no DIR);
 *   3. the writer is freed, which releases the lock (on the old copy's
 *      flintlock: a writer opening DIR from now on locks the compacted
 *      one) and writes nothing: its transaction is empty, and Xapian
 *      only closes the old copy's open files;
 *   4. the old copy, now DIR.compact-PID, is removed.
 *
 * DIR is the database's real path (realpath: no trailing slash, "." or
 * "..", symbolic links followed), so the new directory is a sibling on the
 * same filesystem, never inside the index, and a symbolic link to an
 * index keeps pointing at it. */

typedef struct compaction {
  const char *option;    /* what the messages name: "--compact" */
  char real[PATH_BYTES]; /* the database directory */
  char side[PATH_BYTES]; /* the compacted copy; after the swap the old one */
  int swapped;
} compaction;

/* Make a new directory beside real, named real.TAG-PID (or -PID-N when
 * taken), with the given permissions; its path goes into out[PATH_BYTES]. */
static int make_side_dir(const char *real, const char *tag, mode_t mode,
                         char *out) {
  for (int n = 0; n < 100; n++) {
    int len = n ? snprintf(out, PATH_BYTES, "%s.%s-%ld-%d", real, tag,
                           (long)getpid(), n)
                : snprintf(out, PATH_BYTES, "%s.%s-%ld", real, tag,
                           (long)getpid());
    if (len < 0 || len >= PATH_BYTES) {
      errno = ENAMETOOLONG;
      return -1;
    }
    if (mkdir(out, 0700) == 0) {
      if (chmod(out, mode & 07777) == 0)
        return 0;
      int err = errno;
      rmdir(out);
      errno = err;
      return -1;
    }
    if (errno != EEXIST)
      return -1;
  }
  return -1; /* errno EEXIST */
}

/* Where part really is: an index directory, not the root; option names
 * what asks, in messages. */
static int resolve_part(const char *part, const char *option, compaction *c) {
  char real[PATH_MAX];
  c->option = option;
  if (!realpath(part, real)) {
    fprintf(stderr, PROGRAM ": %s: cannot find the index '%s': %s\n",
            option, part, strerror(errno));
    return -1;
  }
  struct stat sb;
  char version[PATH_BYTES];
  int n = snprintf(version, sizeof version, "%s/iamglass", real);
  if (strcmp(real, "/") == 0 || n < 0 || (size_t)n >= sizeof version ||
      stat(version, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    fprintf(stderr, PROGRAM ": %s: '%s' is not an index directory "
                    "(no Xapian glass database in it)\n", option, part);
    return -1;
  }
  snprintf(c->real, sizeof c->real, "%s", real);
  c->side[0] = '\0';
  c->swapped = 0;
  return 0;
}

/* Make sure the renames in the directory holding path are on disk. */
static void sync_parent(const char *path) {
  char dir[PATH_BYTES];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash)
    return;
  if (slash == dir)
    slash[1] = '\0'; /* "/x": the root */
  else
    *slash = '\0';
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* Put the new copy c->side (compacted, or built) in the place of c->real; c->side then
 * names the old index. */
static int swap_in(compaction *c) {
#ifdef RENAME_EXCHANGE
  if (renameat2(AT_FDCWD, c->side, AT_FDCWD, c->real, RENAME_EXCHANGE) ==
      0) {
    c->swapped = 1;
    return 0;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
    fprintf(stderr, PROGRAM ": %s: cannot swap '%s' and '%s': %s; "
                    "the index is unchanged\n", c->option, c->side, c->real,
            strerror(errno));
    return -1;
  }
#endif
  /* No atomic exchange on this filesystem: move the index aside, then the
   * copy in.  (Renaming onto the empty directory made for the name
   * replaces it.) */
  char old[PATH_BYTES];
  int made = make_side_dir(c->real, "old", 0700, old) == 0;
  if (!made || rename(c->real, old) != 0) {
    fprintf(stderr, PROGRAM ": %s: cannot move '%s' aside: %s; the "
                    "index is unchanged\n", c->option, c->real,
            strerror(errno));
    if (made)
      rmdir(old);
    return -1;
  }
  if (rename(c->side, c->real) != 0) {
    int err = errno;
    if (rename(old, c->real) != 0) {
      fprintf(stderr, PROGRAM ": %s: cannot move the new index '%s' "
                      "to '%s' (%s), nor the index back from '%s' (%s): "
                      "move one of them there by hand\n", c->option, c->side,
              c->real, strerror(err), old, strerror(errno));
      c->side[0] = '\0'; /* keep both */
    } else {
      fprintf(stderr, PROGRAM ": %s: cannot move '%s' to '%s': %s; "
                      "the index is unchanged\n", c->option, c->side, c->real,
              strerror(err));
    }
    return -1;
  }
  snprintf(c->side, sizeof c->side, "%s", old);
  c->swapped = 1;
  return 0;
}

/* Free *writer, releasing its write locks, and set it to NULL. */
static void free_writer(cys_writer **writer) {
  cys_writer_free(*writer);
  *writer = NULL;
}

/* Compact and swap in each of the n databases, whose write locks
 * *writer holds; then free *writer (setting it to NULL), which lets them
 * go, and remove the old copies (or, after a failure, the unused
 * compacted ones). */
static int compact_parts(compaction *parts, unsigned n, cys_writer **writer) {
  int rc = 0;
  for (unsigned i = 0; i < n && !rc; i++) {
    compaction *c = &parts[i];
    struct stat sb;
    char *error = NULL;
    if (stat(c->real, &sb) != 0 ||
        make_side_dir(c->real, "compact", sb.st_mode, c->side) != 0) {
      fprintf(stderr, PROGRAM ": --compact: cannot make a directory beside "
                      "'%s': %s; the index is unchanged\n", c->real,
              strerror(errno));
      c->side[0] = '\0';
      rc = -1;
    } else if (cys_index_compact(c->real, c->side, &error) != CYS_OK) {
      fprintf(stderr, PROGRAM ": --compact: %s; the index '%s' is "
                      "unchanged\n", error ? error : "failed", c->real);
      rc = -1;
    } else if (swap_in(c) != 0) {
      rc = -1;
    }
    free(error);
  }
  for (unsigned i = 0; i < n; i++)
    if (parts[i].swapped)
      sync_parent(parts[i].real);
  free_writer(writer);
  for (unsigned i = 0; i < n; i++)
    if (parts[i].side[0] && index_remove_dir(parts[i].side) != 0)
      fprintf(stderr, PROGRAM ": --compact: could not remove the %s copy "
                      "'%s': %s\n", parts[i].swapped ? "old" : "unused",
              parts[i].side, strerror(errno));
  return rc;
}

/* The databases of index_parts, resolved; NULL (reported) on failure. */
static compaction *compaction_parts(const char *db, int shard, unsigned *n) {
  char **paths;
  if (!db) {
    fprintf(stderr, PROGRAM ": --compact needs --db DIR\n");
    return NULL;
  }
  if (index_parts(db, shard, &paths, n))
    return NULL;
  compaction *parts = calloc(*n, sizeof *parts);
  if (!parts)
    fprintf(stderr, PROGRAM ": out of memory\n");
  for (unsigned i = 0; parts && i < *n; i++)
    if (resolve_part(paths[i], "--compact", &parts[i]) != 0) {
      free(parts);
      parts = NULL;
    }
  free_parts(paths, *n);
  return parts;
}

int index_compact_locked(const char *db, int shard, cys_writer **writer) {
  unsigned n;
  compaction *parts = compaction_parts(db, shard, &n);
  if (parts && !(writer && *writer)) {
    fprintf(stderr, PROGRAM ": --compact: the index is not open for "
                    "writing\n");
    free(parts);
    parts = NULL;
  }
  if (!parts) {
    if (writer)
      free_writer(writer);
    return -1;
  }
  int rc = compact_parts(parts, n, writer);
  free(parts);
  return rc;
}

int index_side_dir(const char *db, const char *tag, char *out, size_t cap) {
  char real[PATH_MAX];
  if (cap < PATH_BYTES) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (!realpath(db, real))
    return -1;
  return make_side_dir(real, tag, 0700, out);
}

int index_replace_locked(const char *db, const char *built, const char *option,
                         cys_writer **writer) {
  compaction c;
  if (resolve_part(db, option, &c) != 0) {
    free_writer(writer);
    return -1;
  }
  snprintf(c.side, sizeof c.side, "%s", built);
  int rc = swap_in(&c);
  if (c.swapped)
    sync_parent(c.real);
  free_writer(writer);
  if (c.swapped && index_remove_dir(c.side) != 0)
    fprintf(stderr, PROGRAM ": %s: could not remove the old copy '%s': %s\n",
            option, c.side, strerror(errno));
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
  if (index_parts(db, -1, &parts, &n))
    return -1;
  char *error = NULL;
  int rc = 0;
  cys_status st = cys_index_merge((const char *const *)parts, n, out, &error);
  if (st == CYS_EXISTS) {
    fprintf(stderr, PROGRAM ": --merge: %s\n", error ? error : "the "
            "destination is not empty: give a new or empty directory");
    rc = -1;
  } else if (st != CYS_OK) {
    fprintf(stderr, PROGRAM ": --merge: cannot write '%s': %s\n", out,
            error ? error : cys_status_str(st));
    rc = -1;
  }
  free(error);
  free_parts(parts, n);
  return rc;
}
