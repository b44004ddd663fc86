/*
 * writer_shards.c — the layout of an index on disk, for the writer
 * (writer.h): a plain index, or a sharded one, a directory of ordinary
 * indexes and the Xapian stub file that names them; which shard an
 * article goes to; and the checks that keep an index out of a directory
 * holding other files.  The numbering of documents across shards is
 * shard_docid.h.
 */
#include "cysearch/writer.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fnv1a.h"
#include "writer_internal.h"

/* Is path an existing directory with files in it but no Xapian index?
 * Writing an index there would mix it with someone else's files. */
int writer_foreign_directory(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return 0;
  int entries = 0, glass = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    entries++;
    if (strcmp(e->d_name, "iamglass") == 0)
      glass = 1;
  }
  closedir(d);
  return entries > 0 && !glass;
}

/* ---- shards ----------------------------------------------------------------
 * A sharded index is a directory holding shard-00 ... shard-NN, each an
 * ordinary index, and a Xapian stub file XAPIANDB naming them ("auto
 * shard-00" lines, relative to the directory), so Xapian opens the
 * directory as one database.  An article lives in shard
 * cys_shard_of(id, N). */

uint64_t cys_shard_hash(const char *id) { return fnv1a64(id, strlen(id)); }

unsigned cys_shard_of(const char *id, unsigned nshards) {
  return nshards > 1 ? (unsigned)(cys_shard_hash(id) % nshards) : 0;
}

int writer_shard_path(const char *dir, unsigned i, char *out, size_t cap) {
  int n = snprintf(out, cap, "%s/shard-%02u", dir, i);
  return n > 0 && (size_t)n < cap ? 0 : -1;
}

cys_status cys_index_shards(const char *dir, unsigned *nshards) {
  char stub[MAX_PATH_BYTES];
  *nshards = 0;
  int len = snprintf(stub, sizeof stub, "%s/" STUB_NAME, dir);
  if (len < 0 || (size_t)len >= sizeof stub)
    return CYS_INVALID;
  FILE *f = fopen(stub, "r");
  if (!f)
    return errno == ENOENT || errno == ENOTDIR ? CYS_OK : CYS_IO;
  char line[256];
  unsigned n = 0;
  cys_status st = CYS_OK;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    char expect[32];
    snprintf(expect, sizeof expect, "auto shard-%02u\n", n);
    if (strcmp(line, expect) != 0 || n == CYS_MAX_SHARDS) {
      st = CYS_CORRUPT;
      break;
    }
    n++;
  }
  fclose(f);
  if (!st && n == 0)
    st = CYS_CORRUPT;
  if (!st)
    *nshards = n;
  return st;
}

cys_status cys_index_shard_path(const char *dir, unsigned i, char *out,
                                size_t cap) {
  return writer_shard_path(dir, i, out, cap) ? CYS_INVALID : CYS_OK;
}

/* Write DIR/XAPIANDB for n shards (through a temporary file of this
 * process and a rename, so a reader never sees half of it, and processes
 * writing it at once never mix their bytes). */
cys_status writer_write_stub(cys_writer *w, const char *dir, unsigned n) {
  char stub[MAX_PATH_BYTES], tmp[MAX_PATH_BYTES];
  snprintf(stub, sizeof stub, "%s/" STUB_NAME, dir);
  snprintf(tmp, sizeof tmp, "%s/" STUB_NAME ".tmp-%ld", dir, (long)getpid());
  FILE *f = fopen(tmp, "w");
  if (!f)
    return writer_fail(w, CYS_IO, "cannot write '%s': %s", tmp,
                       strerror(errno));
  fprintf(f, "# cysearch sharded index: %u shards, one article in shard "
             "FNV-1a(id) %% %u\n", n, n);
  for (unsigned i = 0; i < n; i++)
    fprintf(f, "auto shard-%02u\n", i);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad || rename(tmp, stub) != 0) {
    cys_status st =
        writer_fail(w, CYS_IO, "cannot write '%s': %s", stub, strerror(errno));
    remove(tmp);
    return st;
  }
  return CYS_OK;
}

/* *have: the shards dir's stub lists (0 without one); an error when the
 * stub is not one cysearch wrote. */
static cys_status read_stub(cys_writer *w, const char *path, unsigned *have) {
  cys_status st = cys_index_shards(path, have);
  if (st)
    return writer_fail(w, st,
                       "'%s/" STUB_NAME "' is not a stub file this "
                       "cysearch wrote (\"auto shard-NN\" lines): restore it "
                       "or rebuild the index",
                       path);
  return CYS_OK;
}

/* Is path a plain (unsharded) Xapian index? */
static int is_plain_index(const char *path) {
  char glass[MAX_PATH_BYTES];
  snprintf(glass, sizeof glass, "%s/iamglass", path);
  return access(glass, F_OK) == 0;
}

cys_status writer_not_an_index(cys_writer *w, const char *path) {
  return writer_fail(w, CYS_INVALID,
                     "'%s' is a directory with other files in it, not an "
                     "index: give a new or empty directory",
                     path);
}

cys_status writer_make_directory(cys_writer *w, const char *path,
                                 int foreign) {
  if (foreign)
    return writer_not_an_index(w, path);
  if (mkdir(path, 0777) != 0 && errno != EEXIST)
    return writer_fail(w, CYS_IO, "cannot create index directory '%s': %s",
                       path, strerror(errno));
  return CYS_OK;
}

/* How many shards the index at path has or gets: what its stub says, else
 * `want` (0: one, a plain index).  A mismatch is an error; the program
 * says which of its options to change. */
cys_status writer_count_shards(cys_writer *w, const char *path, unsigned want,
                               unsigned *n) {
  unsigned have = 0;
  cys_status st = read_stub(w, path, &have);
  if (st)
    return st;
  int plain = is_plain_index(path);
  if (have && want && want != have)
    return writer_fail(w, CYS_INVALID,
                       "index '%s' has %u shards, not %u: the number of "
                       "shards is fixed when an index is made",
                       path, have, want);
  if (plain && want > 1)
    return writer_fail(w, CYS_INVALID,
                       "index '%s' is a single index: it cannot be split "
                       "into %u shards in place",
                       path, want);
  *n = have ? have : (want ? want : 1);
  return CYS_OK;
}

/* A sharded index whose stub lists a shard that is not there (a copy of
 * the shards built apart, cys_writer_open_shard, on other machines):
 * opening it whole would create that shard empty, so it is refused. */
cys_status writer_missing_shard(cys_writer *w, const char *path) {
  unsigned have = 0;
  if (cys_index_shards(path, &have) != CYS_OK)
    return CYS_OK; /* count_shards has reported it */
  for (unsigned i = 0; i < have; i++) {
    char part[MAX_PATH_BYTES];
    struct stat sb;
    if (writer_shard_path(path, i, part, sizeof part) == 0 &&
        stat(part, &sb) != 0 && errno == ENOENT)
      return writer_fail(w, CYS_NOT_FOUND,
                         "index '%s' lists shard %u, but '%s' is not there: "
                         "copy it here (from the machine that built it)",
                         path, i, part);
  }
  return CYS_OK;
}

/* Is every entry of the directory path a part of a sharded index being
 * made (shard-NN directories, the stub and its temporary files)?  Then
 * another cys_writer_open_shard is creating it at the same time. */
static int only_shard_parts(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return 1;
  int others = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    others |= strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
              strncmp(e->d_name, "shard-", 6) != 0 &&
              strncmp(e->d_name, STUB_NAME, strlen(STUB_NAME)) != 0;
  closedir(d);
  return !others;
}

/* The stub of the sharded index at path, made when there is none yet
 * (several processes may do so at once: each writes the same bytes to a
 * temporary file of its own and renames it over the stub), and *total
 * the number of shards it lists, checked against nshards (0: any). */
cys_status writer_shard_stub(cys_writer *w, const char *path, unsigned nshards,
                             unsigned *total) {
  unsigned have = 0;
  cys_status st = read_stub(w, path, &have);
  if (st)
    return st;
  if (!have) {
    if (is_plain_index(path))
      return writer_fail(w, CYS_INVALID,
                         "index '%s' is a single index, not a sharded one",
                         path);
    if (nshards < 2)
      return writer_fail(w, CYS_INVALID,
                         "'%s' is not a sharded index yet, and creating it "
                         "with one of its shards needs their number (2 or "
                         "more)",
                         path);
    if ((st = writer_make_directory(w, path, !only_shard_parts(path))) ||
        (st = writer_write_stub(w, path, nshards)))
      return st;
    if ((st = cys_index_shards(path, &have)))
      return writer_fail(w, st, "cannot read back '%s/" STUB_NAME "': %s", path,
                         cys_status_str(st));
  }
  if (nshards && nshards != have)
    return writer_fail(w, CYS_INVALID,
                       "index '%s' has %u shards, not %u", path, have,
                       nshards);
  *total = have;
  return CYS_OK;
}
