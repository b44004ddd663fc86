/*
 * writer.c — articles to index documents (see writer.h), following the
 * schema in schema.h.
 */
#include "cysearch/writer.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/entity_lib.h"
#include "cysearch/schema.h"
#include "cysearch/store.h"
#include "cysearch/utf8.h"
#include "dedup.h"
#include "facet_value.h"
#include "buf.h"
#include "writer_internal.h"

/* Ids are stored in a term after the one-byte Q prefix. */
#define MAX_ID_BYTES (CYS_TERM_MAX - 1)
#define HASH_BYTES 16

static void free_worker_parts(cys_writer_worker *k);

static cys_status set_error(cys_writer *w, cys_status status, const char *fmt,
                            ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->message, sizeof w->message, fmt, ap);
  va_end(ap);
  return status;
}

/* set_error for relink.c (writer_internal.h). */
cys_status writer_fail(cys_writer *w, cys_status status, const char *fmt,
                       ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->message, sizeof w->message, fmt, ap);
  va_end(ap);
  return status;
}

/* Copy the Xapian layer's message for a failed call on one database. */
static cys_status db_error(cys_writer *w, cys_wdb *wdb, cys_status status) {
  return set_error(w, status, "%s", cys_wdb_errmsg(wdb));
}

/* The message of the first shard whose commit failed. */
static cys_status commit_error(cys_writer *w, cys_status status) {
  for (unsigned i = 0; i < w->nshards; i++)
    if (*cys_wdb_errmsg(w->shard[i]))
      return set_error(w, status, "%s%s", cys_wdb_errmsg(w->shard[i]),
                       w->nshards > 1 ? " (a shard of the index)" : "");
  return set_error(w, status, "%s", cys_status_str(status));
}

cys_writer *cys_writer_new(void) {
  cys_writer *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->only = -1;
  w->prep = cys_prepared_new();
  w->dedup = dedup_new();
  w->encoder = cys_store_encoder_new();
  if (!w->prep || !w->dedup || !w->encoder) {
    cys_writer_free(w);
    return NULL;
  }
  return w;
}

void cys_writer_free(cys_writer *w) {
  if (!w)
    return;
  if (w->view && w->nshards > 1)
    cys_wdb_free(w->view);
  for (unsigned i = 0; i < w->nshards; i++)
    cys_wdb_free(w->shard[i]);
  free(w->shard);
  for (unsigned i = 0; w->paths && i < w->nshards; i++)
    free(w->paths[i]);
  free(w->paths);
  cys_prepared_free(w->prep);
  cys_store_encoder_free(w->encoder);
  dedup_free(w->dedup);
  free_worker_parts(&w->own);
  free(w);
}

const char *cys_writer_errmsg(const cys_writer *w) { return w->message; }

/* Is path an existing directory with files in it but no Xapian index?
 * Writing an index there would mix it with someone else's files. */
static int foreign_directory(const char *path) {
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

#define STUB_NAME "XAPIANDB"
#define MAX_PATH_BYTES 4096

uint64_t cys_shard_hash(const char *id) {
  uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, 64 bits */
  for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
    h ^= *p;
    h *= 0x100000001b3ULL;
  }
  return h;
}

unsigned cys_shard_of(const char *id, unsigned nshards) {
  return nshards > 1 ? (unsigned)(cys_shard_hash(id) % nshards) : 0;
}

static int shard_path(const char *dir, unsigned i, char *out, size_t cap) {
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
  return shard_path(dir, i, out, cap) ? CYS_INVALID : CYS_OK;
}

/* Write DIR/XAPIANDB for n shards (through a temporary file of this
 * process and a rename, so a reader never sees half of it, and processes
 * writing it at once never mix their bytes). */
static cys_status write_stub(cys_writer *w, const char *dir, unsigned n) {
  char stub[MAX_PATH_BYTES], tmp[MAX_PATH_BYTES];
  snprintf(stub, sizeof stub, "%s/" STUB_NAME, dir);
  snprintf(tmp, sizeof tmp, "%s/" STUB_NAME ".tmp-%ld", dir, (long)getpid());
  FILE *f = fopen(tmp, "w");
  if (!f)
    return set_error(w, CYS_IO, "cannot write '%s': %s", tmp,
                     strerror(errno));
  fprintf(f, "# cysearch sharded index: %u shards, one article in shard "
             "FNV-1a(id) %% %u\n", n, n);
  for (unsigned i = 0; i < n; i++)
    fprintf(f, "auto shard-%02u\n", i);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad || rename(tmp, stub) != 0) {
    cys_status st = set_error(w, CYS_IO, "cannot write '%s': %s", stub,
                              strerror(errno));
    remove(tmp);
    return st;
  }
  return CYS_OK;
}

/* 0 when the existing index directory path and every file in it can be
 * written (Xapian writes its tables and lock file in place, and renames
 * its version file in the directory); else why not, as an errno value:
 * EACCES or EPERM (permissions, an immutable file), EROFS (a read-only
 * mount).  A new index, or another failure to tell, counts as writable:
 * opening it reports the problem. */
static int not_writable(const char *path) {
  char file[MAX_PATH_BYTES];
  struct stat sb;
  int n = snprintf(file, sizeof file, "%s/iamglass", path);
  if (n < 0 || (size_t)n >= sizeof file || stat(file, &sb) != 0)
    return 0;
  int err = access(path, W_OK) == 0 ? 0 : errno;
  DIR *d = err ? NULL : opendir(path);
  struct dirent *e;
  while (d && !err && (e = readdir(d)) != NULL) {
    n = snprintf(file, sizeof file, "%s/%s", path, e->d_name);
    if (e->d_name[0] != '.' && n > 0 && (size_t)n < sizeof file &&
        stat(file, &sb) == 0 && S_ISREG(sb.st_mode) && access(file, W_OK) != 0)
      err = errno;
  }
  if (d)
    closedir(d);
  return err == EACCES || err == EPERM || err == EROFS ? err : 0;
}

cys_status writer_may_write(cys_writer *w, const char *what) {
  if (!w->read_only)
    return CYS_OK;
  return set_error(w, CYS_IO,
                   "index '%s' is read-only (%s): it cannot take %s; make "
                   "it writable to change it (an unchanged run needs no "
                   "write); nothing since the last commit was written",
                   w->paths[0], strerror(w->read_only), what);
}

/* Open one database of the index (the index itself, or a shard) and check
 * that it is a cysearch index of this schema and of the language asked
 * for.  *fresh is set when it has no schema yet (new). */
static cys_status open_part(cys_writer *w, cys_wdb *wdb, const char *path,
                            const char *language, char **stored_language,
                            int *fresh) {
  char *schema = NULL;
  cys_status st;
  *fresh = 0;
  if (foreign_directory(path))
    return set_error(w, CYS_INVALID,
                     "'%s' is a directory with other files in it, not an "
                     "index: give a new or empty directory", path);
  st =
      w->read_only ? cys_wdb_open_read(wdb, &path, 1) : cys_wdb_open(wdb, path);
  if (st != CYS_OK)
    return set_error(w, st, "cannot open index '%s' for %s: %s", path,
                     w->read_only ? "reading" : "writing", cys_wdb_errmsg(wdb));
  if ((st = cys_wdb_get_metadata(wdb, CYS_META_SCHEMA, &schema)) ||
      (st = cys_wdb_get_metadata(wdb, CYS_META_LANGUAGE, stored_language))) {
    set_error(w, st, "%s", cys_wdb_errmsg(wdb));
    goto done;
  }
  uint64_t docs = 0;
  if ((st = cys_wdb_doccount(wdb, &docs))) {
    set_error(w, st, "%s", cys_wdb_errmsg(wdb));
    goto done;
  }
  if (*schema == '\0' && docs > 0) {
    st = set_error(w, CYS_VERSION,
                   "'%s' is a Xapian index but not a cysearch index", path);
    goto done;
  }
  if (*schema && strcmp(schema, CYS_SCHEMA_VERSION) != 0) {
    st = set_error(w, CYS_VERSION,
                   "index '%s' has schema version %s; this cysearch writes "
                   "version %s: rebuild it into a new directory",
                   path, schema, CYS_SCHEMA_VERSION);
    goto done;
  }
  if (**stored_language && language && strcmp(language, *stored_language)) {
    st = set_error(w, CYS_INVALID,
                   "index '%s' was built with the '%s' stemmer, not '%s': "
                   "leave out the language option or rebuild the index",
                   path, *stored_language, language);
    goto done;
  }
  *fresh = *schema == '\0';
done:
  free(schema);
  return st;
}

/* How many shards the index at path has or gets: what its stub says, else
 * `want` (0: one, a plain index).  A mismatch is an error that says how
 * to re-shard. */
static cys_status count_shards(cys_writer *w, const char *path,
                               unsigned want, unsigned *n) {
  unsigned have = 0;
  cys_status st = cys_index_shards(path, &have);
  if (st)
    return set_error(w, st, "'%s/" STUB_NAME "' is not a stub file this "
                     "cysearch wrote (\"auto shard-NN\" lines): restore it "
                     "or rebuild the index", path);
  char glass[MAX_PATH_BYTES];
  snprintf(glass, sizeof glass, "%s/iamglass", path);
  int plain = access(glass, F_OK) == 0;
  if (have && want && want != have)
    return set_error(w, CYS_INVALID,
                     "index '%s' has %u shards, not %u: leave out --shards, "
                     "or re-shard by building a new index with --shards %u "
                     "(or --merge it into one index first)",
                     path, have, want, want);
  if (plain && want > 1)
    return set_error(w, CYS_INVALID,
                     "index '%s' is a single index: it cannot be split in "
                     "place; build a new index with --shards %u from the "
                     "inputs", path, want);
  *n = have ? have : (want ? want : 1);
  return CYS_OK;
}

cys_status cys_writer_open(cys_writer *w, const char *path,
                           const char *language) {
  return cys_writer_open_shards(w, path, language, 0);
}

/* Is language (NULL: none asked for) one the analyzer knows?  Checked
 * before anything is created on disk. */
static cys_status check_language(cys_writer *w, const char *language) {
  if (!language)
    return CYS_OK;
  cys_analyzer *probe = NULL;
  cys_status st = cys_analyzer_new(language, &probe);
  cys_analyzer_free(probe);
  if (st == CYS_NOT_FOUND)
    return set_error(w, st,
                     "unknown stemmer language '%s' (see --list-languages)",
                     language);
  if (st != CYS_OK)
    return set_error(w, st, "cannot create analyzer: %s",
                     cys_status_str(st));
  return CYS_OK;
}

/* Open the databases of the index at path that the writer holds: all
 * `total` of them, or only shard `only` (>= 0); `sharded` when path is a
 * directory of shards.  Then the analyzer, the gazetteers an earlier run
 * loaded, and the schema and language of new databases. */
static cys_status open_index(cys_writer *w, const char *path,
                             const char *language, unsigned total, int only,
                             int sharded) {
  char *stored_language = NULL;
  cys_status st = CYS_OK;
  unsigned n = only >= 0 ? 1 : total;
  w->shard = calloc(n, sizeof *w->shard);
  w->paths = calloc(n, sizeof *w->paths);
  if (!w->shard || !w->paths)
    return set_error(w, CYS_NOMEM, "out of memory");
  w->nshards = n;
  w->total = total;
  w->only = only;
  int any_fresh = 0;
  /* An index that cannot be written is opened for reading, all of it, so
   * that a run that changes nothing succeeds without writing. */
  for (unsigned i = 0; i < n && !w->read_only; i++) {
    char part[MAX_PATH_BYTES];
    unsigned which = only >= 0 ? (unsigned)only : i;
    if (!sharded || !shard_path(path, which, part, sizeof part))
      w->read_only = not_writable(sharded ? part : path);
  }
  for (unsigned i = 0; i < n && !st; i++) {
    char part[MAX_PATH_BYTES];
    unsigned which = only >= 0 ? (unsigned)only : i;
    if (sharded && shard_path(path, which, part, sizeof part)) {
      st = set_error(w, CYS_INVALID, "index path '%s' is too long", path);
      break;
    }
    w->shard[i] = cys_wdb_new();
    w->paths[i] = strdup(sharded ? part : path);
    if (!w->shard[i] || !w->paths[i]) {
      st = set_error(w, CYS_NOMEM, "out of memory");
      break;
    }
    char *lang = NULL;
    int fresh = 0;
    st = open_part(w, w->shard[i], sharded ? part : path, language, &lang,
                   &fresh);
    if (!st && !stored_language && *lang) {
      stored_language = lang;
      lang = NULL;
    }
    free(lang);
    any_fresh |= fresh;
  }
  if (st)
    goto done;
  w->view = n > 1 ? cys_wdb_new_union(w->shard, n) : w->shard[0];
  if (!w->view) {
    st = set_error(w, CYS_NOMEM, "out of memory");
    goto done;
  }
  const char *use = stored_language ? stored_language : language;
  st = cys_analyzer_new(use, &w->own.analyzer);
  if (st == CYS_NOT_FOUND) {
    set_error(w, st, "unknown stemmer language '%s' (see --list-languages)",
              use);
    goto done;
  }
  if (st != CYS_OK) {
    set_error(w, st, "cannot create analyzer: %s", cys_status_str(st));
    goto done;
  }
  if ((st = cys_gazetteer_new(w->own.analyzer, &w->own.gazetteer)) ||
      (st = cys_extractor_new(w->own.gazetteer, &w->own.extractor))) {
    set_error(w, st, "cannot load the built-in gazetteers: %s",
              w->own.gazetteer ? cys_gazetteer_errmsg(w->own.gazetteer)
                           : cys_status_str(st));
    goto done;
  }
  cys_extractor_set_interrupt(w->own.extractor, w->interrupt);
  /* Entities an earlier run loaded from files are known again (every
   * shard holds the same list). */
  char *extra = NULL;
  if ((st = cys_wdb_get_metadata(w->shard[0], CYS_META_GAZETTEER, &extra))) {
    set_error(w, st, "%s", cys_wdb_errmsg(w->shard[0]));
    goto done;
  }
  if (*extra)
    st = cys_gazetteer_import_extra(w->own.gazetteer, extra);
  free(extra);
  if (st) {
    set_error(w, st, "index '%s' holds a damaged gazetteer: %s", path,
              cys_gazetteer_errmsg(w->own.gazetteer));
    goto done;
  }
  if (any_fresh) {
    /* A new index: record the schema and language at once, so that even
     * an index that never receives an article says what it is. */
    for (unsigned i = 0; i < n && !st; i++)
      if ((st = cys_wdb_set_metadata(w->shard[i], CYS_META_SCHEMA,
                                     CYS_SCHEMA_VERSION)) ||
          (st = cys_wdb_set_metadata(w->shard[i], CYS_META_LANGUAGE,
                                     cys_analyzer_language(w->own.analyzer))))
        set_error(w, st, "%s", cys_wdb_errmsg(w->shard[i]));
    if (!st && (st = cys_wdb_commit_all(w->shard, n)))
      commit_error(w, st);
  }
done:
  free(stored_language);
  return st;
}

/* A sharded index whose stub lists a shard that is not there (a copy of
 * the shards built apart, cys_writer_open_shard, on other machines):
 * opening it whole would create that shard empty, so it is refused. */
static cys_status missing_shard(cys_writer *w, const char *path) {
  unsigned have = 0;
  if (cys_index_shards(path, &have) != CYS_OK)
    return CYS_OK; /* count_shards has reported it */
  for (unsigned i = 0; i < have; i++) {
    char part[MAX_PATH_BYTES];
    struct stat sb;
    if (shard_path(path, i, part, sizeof part) == 0 &&
        stat(part, &sb) != 0 && errno == ENOENT)
      return set_error(w, CYS_NOT_FOUND,
                       "index '%s' lists shard %u, but '%s' is not there: "
                       "copy it here (from the machine that built it), or "
                       "work on the shards that are here with --shard K",
                       path, i, part);
  }
  return CYS_OK;
}

cys_status cys_writer_open_shards(cys_writer *w, const char *path,
                                  const char *language, unsigned nshards) {
  cys_status st;
  if (w->nshards)
    return set_error(w, CYS_INVALID, "the writer is already open");
  if (nshards > CYS_MAX_SHARDS)
    return set_error(w, CYS_INVALID, "at most %d shards, not %u",
                     CYS_MAX_SHARDS, nshards);
  if ((st = check_language(w, language)))
    return st;
  unsigned n = 1;
  if ((st = count_shards(w, path, nshards, &n)))
    return st;
  int sharded = n > 1 || nshards > 1;
  if (sharded) {
    unsigned have = 0;
    if (cys_index_shards(path, &have) == CYS_OK && have == 0 &&
        foreign_directory(path))
      return set_error(w, CYS_INVALID,
                       "'%s' is a directory with other files in it, not an "
                       "index: give a new or empty directory", path);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
      return set_error(w, CYS_IO, "cannot create index directory '%s': %s",
                       path, strerror(errno));
  }
  if ((st = missing_shard(w, path)))
    return st;
  if ((st = open_index(w, path, language, n, -1, sharded)))
    return st;
  /* (A read-only index has its stub: count_shards read it.) */
  return sharded && !w->read_only ? write_stub(w, path, n) : CYS_OK;
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
static cys_status shard_stub(cys_writer *w, const char *path,
                             unsigned nshards, unsigned *total) {
  unsigned have = 0;
  cys_status st = cys_index_shards(path, &have);
  if (st)
    return set_error(w, st, "'%s/" STUB_NAME "' is not a stub file this "
                     "cysearch wrote (\"auto shard-NN\" lines): restore it "
                     "or rebuild the index", path);
  if (!have) {
    char glass[MAX_PATH_BYTES];
    snprintf(glass, sizeof glass, "%s/iamglass", path);
    if (access(glass, F_OK) == 0)
      return set_error(w, CYS_INVALID,
                       "index '%s' is a single index, not a sharded one: "
                       "leave out --shard, or build a new index with "
                       "--shards N --shard K", path);
    if (nshards < 2)
      return set_error(w, CYS_INVALID,
                       "'%s' is not a sharded index yet: give --shards N "
                       "(2 or more) to create it with shard K", path);
    if (!only_shard_parts(path))
      return set_error(w, CYS_INVALID,
                       "'%s' is a directory with other files in it, not an "
                       "index: give a new or empty directory", path);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
      return set_error(w, CYS_IO, "cannot create index directory '%s': %s",
                       path, strerror(errno));
    if ((st = write_stub(w, path, nshards)))
      return st;
    if ((st = cys_index_shards(path, &have)))
      return set_error(w, st, "cannot read back '%s/" STUB_NAME "': %s",
                       path, cys_status_str(st));
  }
  if (nshards && nshards != have)
    return set_error(w, CYS_INVALID,
                     "index '%s' has %u shards, not %u: leave out "
                     "--shards, or give every job of the build the same "
                     "--shards N", path, have, nshards);
  *total = have;
  return CYS_OK;
}

cys_status cys_writer_open_shard(cys_writer *w, const char *path,
                                 const char *language, unsigned nshards,
                                 unsigned k) {
  cys_status st;
  if (w->nshards)
    return set_error(w, CYS_INVALID, "the writer is already open");
  if (nshards == 1 || nshards > CYS_MAX_SHARDS)
    return set_error(w, CYS_INVALID, "a sharded index has 2 to %d shards, "
                     "not %u", CYS_MAX_SHARDS, nshards);
  if (nshards && k >= nshards)
    return set_error(w, CYS_INVALID, "shard %u of %u: shards are numbered "
                     "0 to %u", k, nshards, nshards - 1);
  unsigned total = 0;
  if ((st = check_language(w, language)) ||
      (st = shard_stub(w, path, nshards, &total)))
    return st;
  if (k >= total)
    return set_error(w, CYS_INVALID, "index '%s' has %u shards, numbered "
                     "0 to %u: there is no shard %u", path, total,
                     total - 1, k);
  return open_index(w, path, language, total, (int)k, 1);
}

void cys_writer_set_interrupt(cys_writer *w,
                              const volatile sig_atomic_t *flag) {
  w->interrupt = flag;
  if (w->own.extractor)
    cys_extractor_set_interrupt(w->own.extractor, flag);
}

cys_status cys_writer_load_gazetteer(cys_writer *w, const char *path) {
  cys_status st = cys_gazetteer_load_misp(w->own.gazetteer, path);
  if (st)
    return set_error(w, st, "%s", cys_gazetteer_errmsg(w->own.gazetteer));
  char *extra = NULL;
  if ((st = cys_gazetteer_export_extra(w->own.gazetteer, &extra)))
    return set_error(w, st, "out of memory");
  if (w->read_only) { /* the same list again needs no write */
    char *stored = NULL;
    st = cys_wdb_get_metadata(w->shard[0], CYS_META_GAZETTEER, &stored);
    if (st)
      set_error(w, st, "%s", cys_wdb_errmsg(w->shard[0]));
    else if (strcmp(stored, extra) != 0)
      st = writer_may_write(w, "a --gazetteer it does not hold yet");
    free(stored);
    free(extra);
    return st;
  }
  for (unsigned i = 0; i < w->nshards && !st; i++)
    if ((st = cys_wdb_set_metadata(w->shard[i], CYS_META_GAZETTEER, extra)))
      set_error(w, st, "%s", cys_wdb_errmsg(w->shard[i]));
  free(extra);
  return st;
}

/* ---- content hash -------------------------------------------------------
 * 128 bits from two 64-bit hashes over every field (with its presence and
 * length) and the schema; equal hashes mean nothing needs rewriting. */

typedef struct hash128 {
  uint64_t a, b;
} hash128;

static void hash_update(hash128 *h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h->a = (h->a ^ p[i]) * 0x100000001b3ULL; /* FNV-1a */
    h->b = (h->b + p[i] + 1) * 0x9E3779B97F4A7C15ULL;
    h->b ^= h->b >> 29;
  }
}

static void hash_field(hash128 *h, const char *s) {
  uint64_t len = s ? strlen(s) + 1 : 0;
  hash_update(h, &len, sizeof len);
  if (s)
    hash_update(h, s, len - 1);
}

static void article_hash(const cys_article *a, const char *language,
                         unsigned char out[HASH_BYTES]) {
  hash128 h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
  hash_field(&h, CYS_SCHEMA_VERSION);
  hash_field(&h, language);
  hash_field(&h, a->id);
  hash_field(&h, a->title);
  hash_field(&h, a->date);
  hash_field(&h, a->source);
  hash_field(&h, a->url);
  hash_field(&h, a->body);
  for (int i = 0; i < 8; i++) {
    out[i] = (unsigned char)(h.a >> (8 * i));
    out[8 + i] = (unsigned char)(h.b >> (8 * i));
  }
}

/* ---- terms ---------------------------------------------------------------- */

typedef struct term_sink {
  cys_doc *doc;
  cys_extractor *extractor;
  dedup_doc *dedup;
  int title;             /* adding title words (S, ZS as well) */
  unsigned base;         /* position of the field's first word, 1-based */
  unsigned last;         /* highest position used */
  cys_status status;     /* sticky */
  char term[CYS_TERM_MAX + 1];
} term_sink;

static void add_prefixed(term_sink *s, const char *prefix, const char *word,
                         size_t n, unsigned pos) {
  size_t p = strlen(prefix);
  if (s->status != CYS_OK || p + n > CYS_TERM_MAX)
    return;
  memcpy(s->term, prefix, p);
  memcpy(s->term + p, word, n);
  s->status = pos ? cys_doc_add_posting(s->doc, s->term, p + n, pos)
                  : cys_doc_add_term(s->doc, s->term, p + n, 1);
}

/* "K" + the upper-case form of an acronym's (ASCII) exact form. */
static void add_acronym(term_sink *s, const cys_token *t) {
  char upper[CYS_TOKEN_MAX];
  for (size_t i = 0; i < t->exact_len; i++) {
    char c = t->exact[i];
    upper[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  add_prefixed(s, CYS_PREFIX_ACRONYM, upper, t->exact_len, 0);
}

static int on_token(void *ctx, const cys_token *t) {
  term_sink *s = ctx;
  unsigned pos = s->base + t->position;
  if (s->status == CYS_OK)
    s->status = cys_extractor_token(s->extractor, t);
  dedup_token(s->dedup, t, s->title);
  int stemmed = !(t->flags & CYS_TOKEN_IDENTIFIER);
  add_prefixed(s, CYS_PREFIX_EXACT, t->exact, t->exact_len, pos);
  if (stemmed)
    add_prefixed(s, CYS_PREFIX_STEM, t->stem, t->stem_len, 0);
  if (t->flags & CYS_TOKEN_ACRONYM)
    add_acronym(s, t);
  if (s->title) {
    add_prefixed(s, CYS_PREFIX_TITLE, t->exact, t->exact_len, pos);
    if (stemmed)
      add_prefixed(s, CYS_PREFIX_TITLE_STEM, t->stem, t->stem_len, 0);
  }
  if (pos > s->last)
    s->last = pos;
  return s->status != CYS_OK;
}

static cys_status add_boolean(cys_doc *doc, const char *prefix,
                              const char *value, size_t n) {
  char term[CYS_TERM_MAX + 1];
  size_t p = strlen(prefix);
  if (n == 0 || p + n > CYS_TERM_MAX)
    return CYS_OK; /* nothing to filter on */
  memcpy(term, prefix, p);
  memcpy(term + p, value, n);
  return cys_doc_add_boolean_term(doc, term, p + n);
}

/* The site host of an article: its source, lower case, or else the host
 * of its url. */
static size_t site_host(const cys_article *a, char *out, size_t cap) {
  const char *s = a->source;
  size_t n = 0;
  if (!s || !*s) {
    s = a->url;
    if (!s)
      return 0;
    const char *scheme = strstr(s, "://");
    if (!scheme)
      return 0;
    s = scheme + 3;
  }
  while (s[n] && s[n] != '/' && s[n] != ':' && s[n] != '?' && s[n] != '#' &&
         n < cap)
    n++;
  if (n == cap)
    return 0;
  for (size_t i = 0; i < n; i++)
    out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  return n;
}

/* ---- entities ------------------------------------------------------------- */

typedef struct found {
  cys_entity_type type;
  const char *value, *label, *country;
  unsigned count;
} found;

static int by_type_value(const void *p, const void *q) {
  const found *a = p, *b = q;
  if (a->type != b->type)
    return (int)a->type - (int)b->type;
  return strcmp(a->value, b->value);
}

/* The extractor's mentions, one per entity with its count. */
static size_t collect_entities(const cys_extractor *x, found **out) {
  size_t n = cys_extractor_count(x), m = 0;
  found *f = calloc(n ? n : 1, sizeof *f);
  if (!f)
    return (size_t)-1;
  for (size_t i = 0; i < n; i++) {
    const cys_mention *mt = cys_extractor_mention(x, i);
    f[i] = (found){mt->type, mt->value, mt->label, mt->country, 1};
  }
  if (n > 1)
    qsort(f, n, sizeof *f, by_type_value);
  for (size_t i = 0; i < n; i++) {
    if (m && f[m - 1].type == f[i].type &&
        strcmp(f[m - 1].value, f[i].value) == 0)
      f[m - 1].count++;
    else
      f[m++] = f[i];
  }
  *out = f;
  return m;
}

/* Terms and the stored list for the entities found, and the facet value
 * (facet_value.h): the collapse key, the entities by type, the source
 * host, the year ("" when unknown). */
static cys_status add_entities(cys_doc *doc, const found *f, size_t n,
                               buf *stored, const char *key,
                               const char *host, size_t host_len,
                               const char *year) {
  static const char *const prefixes[] = CYS_ENTITY_PREFIXES;
  static const char *const country_prefixes[] = CYS_ENTITY_COUNTRY_PREFIXES;
  cys_status st = CYS_OK;
  buf values[CYS_ENTITY_TYPES];
  for (int t = 0; t < CYS_ENTITY_TYPES; t++)
    buf_init(&values[t]);
  for (size_t i = 0; i < n && !st; i++) {
    const found *e = &f[i];
    st = add_boolean(doc, prefixes[e->type], e->value, strlen(e->value));
    if (!st && e->country && *country_prefixes[e->type])
      st = add_boolean(doc, country_prefixes[e->type], e->country, 2);
    buf *v = &values[e->type];
    if (v->len)
      buf_append(v, (const char[]){CYS_VALUE_SEPARATOR}, 1);
    buf_append_str(v, e->value);
    char count[16];
    snprintf(count, sizeof count, "%u", e->count);
    buf_append_str(stored, cys_entity_type_name(e->type));
    buf_append(stored, "\t", 1);
    buf_append_str(stored, e->value);
    buf_append(stored, "\t", 1);
    buf_append_str(stored, e->label);
    buf_append(stored, "\t", 1);
    buf_append_str(stored, count);
    buf_append(stored, "\n", 1);
  }
  const char *field[CYS_FACET_FIELDS];
  size_t len[CYS_FACET_FIELDS];
  for (int t = 0; t < CYS_ENTITY_TYPES; t++) {
    if (values[t].failed)
      st = st ? st : CYS_NOMEM;
    field[t] = values[t].data;
    len[t] = values[t].len;
  }
  field[CYS_ENTITY_TYPES] = host;
  len[CYS_ENTITY_TYPES] = host_len;
  field[CYS_ENTITY_TYPES + 1] = year;
  len[CYS_ENTITY_TYPES + 1] = strlen(year);
  buf facets;
  buf_init(&facets);
  facet_value_encode(&facets, key, strlen(key), field, len);
  if (!st && facets.failed)
    st = CYS_NOMEM;
  if (!st)
    st = cys_doc_set_value(doc, CYS_SLOT_FACETS, facets.data, facets.len);
  buf_free(&facets);
  for (int t = 0; t < CYS_ENTITY_TYPES; t++)
    buf_free(&values[t]);
  if (!st && stored->failed)
    st = CYS_NOMEM;
  return st;
}

/* ---- analysis (any thread) ------------------------------------------------ */

struct cys_prepared {
  cys_status status; /* CYS_OK, or why the article cannot be indexed */
  char message[256];
  unsigned char hash[HASH_BYTES];
  cys_doc *doc;      /* the terms of title and body */
  dedup_doc *words;  /* for the collapse key */
  found *entities;   /* their strings live in `strings` */
  size_t nentities;
  char *strings;
};

cys_prepared *cys_prepared_new(void) {
  cys_prepared *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->doc = cys_doc_new();
  p->words = dedup_doc_new();
  if (!p->doc || !p->words) {
    cys_prepared_free(p);
    return NULL;
  }
  return p;
}

void cys_prepared_free(cys_prepared *p) {
  if (!p)
    return;
  cys_doc_free(p->doc);
  dedup_doc_free(p->words);
  free(p->entities);
  free(p->strings);
  free(p);
}

static void free_worker_parts(cys_writer_worker *k) {
  cys_extractor_free(k->extractor);
  cys_gazetteer_free(k->gazetteer);
  cys_analyzer_free(k->analyzer);
}

void cys_writer_worker_free(cys_writer_worker *k) {
  if (!k)
    return;
  free_worker_parts(k);
  free(k);
}

cys_writer_worker *cys_writer_worker_new(cys_writer *w) {
  cys_writer_worker *k = calloc(1, sizeof *k);
  char *extra = NULL;
  if (!k || !w->nshards)
    goto fail;
  if (cys_analyzer_new(cys_analyzer_language(w->own.analyzer),
                       &k->analyzer) ||
      cys_gazetteer_new(k->analyzer, &k->gazetteer) ||
      cys_gazetteer_export_extra(w->own.gazetteer, &extra) ||
      (*extra && cys_gazetteer_import_extra(k->gazetteer, extra)) ||
      cys_extractor_new(k->gazetteer, &k->extractor))
    goto fail;
  cys_extractor_set_interrupt(k->extractor, w->interrupt);
  free(extra);
  return k;
fail:
  free(extra);
  cys_writer_worker_free(k);
  return NULL;
}

#if defined(__GNUC__)
static cys_status refuse(cys_prepared *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif
static cys_status refuse(cys_prepared *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->message, sizeof p->message, fmt, ap);
  va_end(ap);
  return p->status = CYS_BAD_INPUT;
}

/* What cys_writer_put requires of an article, else CYS_BAD_INPUT and why
 * in p->message. */
static cys_status acceptable(const cys_article *a, cys_prepared *p) {
  if (!a->id || !*a->id)
    return refuse(p, "article has no id");
  size_t id_len = strlen(a->id);
  if (id_len > MAX_ID_BYTES)
    return refuse(p, "article id is %zu bytes; at most %d", id_len,
                  MAX_ID_BYTES);
  size_t at;
  unsigned long code;
  const char *flaw = cys_article_id_flaw(a->id, &at, &code);
  if (flaw)
    return refuse(p,
                  "article id '%.*s…' holds %s (U+%04lX) at byte %zu: ids "
                  "may not hold white space, control or invisible format "
                  "characters, which break TREC run files and result lines",
                  (int)cys_utf8_floor(a->id, at < 40 ? at : 40), a->id, flaw,
                  code, at);
  if ((!a->title || !*a->title) && (!a->body || !*a->body))
    return refuse(p, "article '%s' has neither title nor body", a->id);
  return CYS_OK;
}

/* Analyse one field into the document and the extractor. */
static cys_status index_field(cys_writer_worker *k, term_sink *sink,
                              int field, const char *text) {
  size_t len = strlen(text);
  cys_extractor_begin_field(k->extractor, field, text, len);
  cys_status st = cys_analyze(k->analyzer, text, len, on_token, sink);
  if (!st)
    st = sink->status;
  if (!st)
    st = cys_extractor_end_field(k->extractor);
  return st;
}

/* Copy the entities' strings into p: some (CVE ids) live in the
 * extractor, which the worker reuses for its next article. */
static cys_status keep_strings(cys_prepared *p) {
  size_t total = 0;
  for (size_t i = 0; i < p->nentities; i++) {
    const found *e = &p->entities[i];
    total += strlen(e->value) + strlen(e->label) + 2 +
             (e->country ? strlen(e->country) + 1 : 0);
  }
  free(p->strings);
  p->strings = malloc(total ? total : 1);
  if (!p->strings)
    return CYS_NOMEM;
  char *at = p->strings;
  for (size_t i = 0; i < p->nentities; i++) {
    found *e = &p->entities[i];
    const char **s[3] = {&e->value, &e->label, &e->country};
    for (int f = 0; f < 3; f++) {
      if (!*s[f])
        continue;
      size_t n = strlen(*s[f]) + 1;
      memcpy(at, *s[f], n);
      *s[f] = at;
      at += n;
    }
  }
  return CYS_OK;
}

/* Title and body into p: terms, words for the collapse key, entities. */
static cys_status analyse(cys_writer_worker *k, const cys_article *a,
                          cys_prepared *p) {
  cys_doc_clear(p->doc);
  cys_extractor_reset(k->extractor);
  dedup_reset(p->words);
  free(p->entities);
  p->entities = NULL;
  p->nentities = 0;
  term_sink sink = {.doc = p->doc, .extractor = k->extractor,
                    .dedup = p->words, .title = 1, .base = 1,
                    .status = CYS_OK};
  cys_status st = CYS_OK;
  if (a->title && (st = index_field(k, &sink, 0, a->title)))
    return st;
  sink.title = 0;
  sink.base = sink.last + CYS_FIELD_POSITION_GAP;
  if (a->body && (st = index_field(k, &sink, 1, a->body)))
    return st;
  size_t n = collect_entities(k->extractor, &p->entities);
  if (n == (size_t)-1)
    return CYS_NOMEM;
  p->nentities = n;
  return keep_strings(p);
}

cys_status cys_writer_prepare(cys_writer_worker *k, const cys_article *a,
                              cys_prepared *p) {
  p->status = CYS_OK;
  p->message[0] = '\0';
  if (acceptable(a, p))
    return p->status;
  article_hash(a, cys_analyzer_language(k->analyzer), p->hash);
  cys_status st = analyse(k, a, p);
  if (st) {
    snprintf(p->message, sizeof p->message,
             "cannot build document for article '%s': %s", a->id,
             cys_status_str(st));
    p->status = st;
  }
  return st;
}

/* ---- writing (the writer's thread, in input order) ------------------------ */

/* The rest of the document: id, source, date, hash, collapse key (which
 * depends on what the index holds now), entities and the stored
 * article. */
static cys_status finish_document(cys_writer *w, const cys_article *a,
                                  const char *origin, cys_prepared *p,
                                  cys_docid existing, const char *idterm,
                                  size_t idterm_len) {
  cys_doc *doc = p->doc;
  cys_status st;
  if (origin &&
      (st = add_boolean(doc, CYS_PREFIX_ORIGIN, origin, strlen(origin))))
    return st;
  char host[CYS_TERM_MAX];
  size_t host_len = site_host(a, host, sizeof host);
  if ((st = add_boolean(doc, CYS_PREFIX_ID, a->id, strlen(a->id))) ||
      (st = add_boolean(doc, CYS_PREFIX_SOURCE, host, host_len)))
    return st;
  if (a->date) {
    char key[9];
    cys_date_sortkey(a->date, key);
    if ((st = cys_doc_set_value(doc, CYS_SLOT_DATE, key, 8)) ||
        (st = add_boolean(doc, CYS_PREFIX_YEAR, key, 4)))
      return st;
    if (strlen(a->date) >= 7 &&
        (st = add_boolean(doc, CYS_PREFIX_MONTH, key, 6)))
      return st;
  }
  if ((st = cys_doc_set_value(doc, CYS_SLOT_HASH, p->hash, HASH_BYTES)))
    return st;
  char datekey[9], collapse[DEDUP_KEY_LEN + 1];
  if (a->date)
    cys_date_sortkey(a->date, datekey);
  if ((st = dedup_key(w->dedup, p->words, w->view, existing, 0, idterm,
                      idterm_len, a->date ? datekey : NULL, collapse)) ||
      (st = cys_doc_set_value(doc, CYS_SLOT_COLLAPSE, collapse,
                              DEDUP_KEY_LEN)))
    return st;

  buf stored;
  buf_init(&stored);
  char year[5] = "";
  if (a->date && memcmp(datekey, "0000", 4) != 0)
    memcpy(year, datekey, 4);
  st = add_entities(doc, p->entities, p->nentities, &stored, collapse, host,
                    host_len, year);
  unsigned char *data = NULL;
  size_t data_len = 0;
  if (!st)
    st = cys_store_encode_with(w->encoder, a,
                               stored.len ? stored.data : NULL, &data,
                               &data_len);
  buf_free(&stored);
  if (!st)
    st = cys_doc_set_data(doc, data, data_len);
  free(data);
  return st;
}

/* The origin term an indexed document has ("" when none). */
typedef struct origin_term {
  char term[CYS_TERM_MAX + 1];
  size_t len;
} origin_term;

static int read_origin(void *ctx, const char *term, size_t len,
                       uint64_t wdf) {
  origin_term *o = ctx;
  size_t p = strlen(CYS_PREFIX_ORIGIN);
  (void)wdf;
  if (len >= p && len <= CYS_TERM_MAX &&
      memcmp(term, CYS_PREFIX_ORIGIN, p) == 0) {
    memcpy(o->term, term, len);
    o->len = len;
  }
  return 1; /* only the first term from the prefix on */
}

/* Make unchanged document docid record origin as the file it came from
 * (none when origin is NULL or too long), so that --prune never removes
 * an article that moved to another file along with the old file.  Only
 * that term is rewritten: the article itself is unchanged. */
static cys_status update_origin(cys_writer *w, cys_wdb *wdb, cys_docid docid,
                                const char *origin) {
  origin_term o = {.len = 0};
  cys_status st = cys_wdb_termlist(wdb, docid, CYS_PREFIX_ORIGIN,
                                   read_origin, &o);
  if (st)
    return db_error(w, wdb, st);
  size_t p = strlen(CYS_PREFIX_ORIGIN);
  size_t n = origin ? strlen(origin) : 0;
  char term[CYS_TERM_MAX + 1];
  size_t len = 0;
  if (origin && p + n <= CYS_TERM_MAX) {
    memcpy(term, CYS_PREFIX_ORIGIN, p);
    memcpy(term + p, origin, n);
    len = p + n;
  }
  if (o.len == len && memcmp(o.term, term, len) == 0)
    return CYS_OK;
  if ((st = writer_may_write(w, "the new file of an unchanged article")))
    return st;
  st = cys_wdb_retag(wdb, docid, o.term, o.len, term, len);
  return st ? db_error(w, wdb, st) : CYS_OK;
}

/* Is the article with this hash, read from origin, already in shard k
 * (*existing: its docid there, 0 when it is not indexed)? */
static cys_status look_up(cys_writer *w, unsigned k, const char *idterm,
                          size_t idterm_len,
                          const unsigned char hash[HASH_BYTES],
                          const char *origin, cys_docid *existing,
                          int *same) {
  cys_wdb *wdb = w->shard[k];
  *same = 0;
  cys_status st = cys_wdb_find(wdb, idterm, idterm_len, existing);
  if (st)
    return db_error(w, wdb, st);
  if (*existing) {
    char *old = NULL;
    size_t old_len = 0;
    st = cys_wdb_get_value(wdb, *existing, CYS_SLOT_HASH, &old, &old_len);
    if (st)
      return db_error(w, wdb, st);
    *same = old_len == HASH_BYTES && memcmp(old, hash, HASH_BYTES) == 0;
    free(old);
    if (*same)
      return update_origin(w, wdb, *existing, origin);
  }
  return CYS_OK;
}

/* The open database that holds (or gets) the article with this id: its
 * index in w->shard, or -1 (and the writer's message) when the article
 * belongs to a shard that cys_writer_open_shard left closed. */
static int part_of(cys_writer *w, const char *id) {
  unsigned s = cys_shard_of(id, w->total);
  if (w->only < 0)
    return (int)s;
  if (s == (unsigned)w->only)
    return 0;
  set_error(w, CYS_INVALID, "article '%s' belongs to shard %u, not to "
            "shard %d, the one open: give it to the job of shard %u", id, s,
            w->only, s);
  return -1;
}

static size_t id_term(const char *id, char idterm[CYS_TERM_MAX + 1]) {
  size_t id_len = strlen(id);
  memcpy(idterm, CYS_PREFIX_ID, 1);
  memcpy(idterm + 1, id, id_len);
  return id_len + 1;
}

/* Write an analysed article that is new or changed. */
static cys_status write_prepared(cys_writer *w, const cys_article *a,
                                 const char *origin, cys_prepared *p,
                                 unsigned k,
                                 cys_docid existing, const char *idterm,
                                 size_t idterm_len,
                                 cys_put_outcome *outcome) {
  char what[160];
  snprintf(what, sizeof what, "the %s article '%.60s'",
           existing ? "changed" : "new", a->id);
  cys_status st = writer_may_write(w, what);
  if (st)
    return st;
  /* The same document in the view of all shards (db.h). */
  cys_docid in_view = existing ? (existing - 1) * w->nshards + k + 1 : 0;
  st = finish_document(w, a, origin, p, in_view, idterm, idterm_len);
  if (st)
    return set_error(w, st, "cannot build document for article '%s': %s",
                     a->id, cys_status_str(st));
  /* The id was just looked up: add or overwrite by docid, sparing Xapian
   * a second look-up of the id term. */
  cys_wdb *wdb = w->shard[k];
  cys_docid written = existing;
  st = existing ? cys_wdb_replace_docid(wdb, existing, p->doc)
                : cys_wdb_add(wdb, p->doc, &written);
  if (st)
    return db_error(w, wdb, st);
  dedup_remember(w->dedup, p->words, (written - 1) * w->nshards + k + 1);
  if (outcome)
    *outcome = existing ? CYS_PUT_REPLACED : CYS_PUT_ADDED;
  return CYS_OK;
}

cys_status cys_writer_put_prepared(cys_writer *w, const cys_article *a,
                                   const char *origin, cys_prepared *p,
                                   cys_put_outcome *outcome) {
  if (p->status)
    return set_error(w, p->status, "%s", p->message);
  char idterm[CYS_TERM_MAX + 1];
  size_t idterm_len = id_term(a->id, idterm);
  int part = part_of(w, a->id);
  if (part < 0)
    return CYS_INVALID;
  unsigned k = (unsigned)part;
  cys_docid existing = 0;
  int same = 0;
  cys_status st = look_up(w, k, idterm, idterm_len, p->hash, origin,
                          &existing, &same);
  if (st)
    return st;
  if (same) {
    if (outcome)
      *outcome = CYS_PUT_UNCHANGED;
    return CYS_OK;
  }
  return write_prepared(w, a, origin, p, k, existing, idterm, idterm_len,
                        outcome);
}

cys_status cys_writer_put(cys_writer *w, const cys_article *a,
                          cys_put_outcome *outcome) {
  return cys_writer_put_from(w, a, NULL, outcome);
}

cys_status cys_writer_put_from(cys_writer *w, const cys_article *a,
                               const char *origin,
                               cys_put_outcome *outcome) {
  cys_prepared *p = w->prep;
  if (acceptable(a, p))
    return set_error(w, p->status, "%s", p->message);
  char idterm[CYS_TERM_MAX + 1];
  size_t idterm_len = id_term(a->id, idterm);
  int part = part_of(w, a->id);
  if (part < 0)
    return CYS_INVALID;
  unsigned k = (unsigned)part;
  article_hash(a, cys_analyzer_language(w->own.analyzer), p->hash);
  cys_docid existing = 0;
  int same = 0;
  cys_status st = look_up(w, k, idterm, idterm_len, p->hash, origin,
                          &existing, &same);
  if (st)
    return st;
  if (same) { /* unchanged: not even analysed */
    if (outcome)
      *outcome = CYS_PUT_UNCHANGED;
    return CYS_OK;
  }
  if ((st = analyse(&w->own, a, p)))
    return set_error(w, st, "cannot build document for article '%s': %s",
                     a->id, cys_status_str(st));
  return write_prepared(w, a, origin, p, k, existing, idterm, idterm_len,
                        outcome);
}

cys_status cys_writer_delete(cys_writer *w, const char *id) {
  size_t id_len = strlen(id);
  if (id_len == 0 || id_len > MAX_ID_BYTES)
    return set_error(w, CYS_NOT_FOUND, "no article with id '%s'", id);
  char idterm[CYS_TERM_MAX + 1];
  idterm[0] = CYS_PREFIX_ID[0];
  memcpy(idterm + 1, id, id_len);
  int part = part_of(w, id);
  if (part < 0)
    return set_error(w, CYS_NOT_FOUND, "no article with id '%s' in shard "
                     "%d: it belongs to shard %u", id, w->only,
                     cys_shard_of(id, w->total));
  unsigned k = (unsigned)part;
  cys_wdb *wdb = w->shard[k];
  cys_docid existing = 0;
  cys_status st = cys_wdb_find(wdb, idterm, id_len + 1, &existing);
  if (st)
    return db_error(w, wdb, st);
  if (!existing)
    return set_error(w, CYS_NOT_FOUND, "no article with id '%s'", id);
  if ((st = writer_may_write(w, "the removal of an article")))
    return st;
  dedup_forget(w->dedup, (existing - 1) * w->nshards + k + 1);
  st = cys_wdb_delete(wdb, idterm, id_len + 1);
  return st ? db_error(w, wdb, st) : CYS_OK;
}

cys_status cys_writer_commit(cys_writer *w) {
  if (!w->nshards)
    return set_error(w, CYS_INVALID, "the writer is not open");
  if (w->read_only)
    return CYS_OK; /* every write was refused: nothing to commit */
  cys_status st = cys_wdb_commit_all(w->shard, w->nshards);
  return st ? commit_error(w, st) : CYS_OK;
}

cys_status cys_writer_doccount(cys_writer *w, uint64_t *out) {
  if (!w->nshards)
    return set_error(w, CYS_INVALID, "the writer is not open");
  cys_status st = cys_wdb_doccount(w->view, out);
  return st ? db_error(w, w->view, st) : CYS_OK;
}

unsigned cys_writer_shards(const cys_writer *w) { return w->total; }

/* ---- --prune ---------------------------------------------------------------- */

typedef struct gone {
  char **terms; /* origin terms of files that no longer exist */
  size_t n, cap;
  uint64_t docs;     /* their articles */
  uint64_t recorded; /* the articles of every file under the directory */
  int failed;
} gone;

static int note_gone(void *ctx, const char *term, size_t len, uint64_t freq) {
  gone *g = ctx;
  size_t p = strlen(CYS_PREFIX_ORIGIN);
  char path[CYS_TERM_MAX + 1];
  memcpy(path, term + p, len - p);
  path[len - p] = '\0';
  struct stat sb;
  g->recorded += freq;
  if (lstat(path, &sb) == 0 || (errno != ENOENT && errno != ENOTDIR))
    return 0; /* still there, or cannot tell: kept */
  if (g->n == g->cap) {
    size_t cap = g->cap ? 2 * g->cap : 64;
    char **bigger = realloc(g->terms, cap * sizeof *bigger);
    if (!bigger) {
      g->failed = 1;
      return 1;
    }
    g->terms = bigger;
    g->cap = cap;
  }
  if (!(g->terms[g->n] = malloc(len + 1))) {
    g->failed = 1;
    return 1;
  }
  memcpy(g->terms[g->n], term, len);
  g->terms[g->n++][len] = '\0';
  g->docs += freq;
  return 0;
}

static void free_gone(gone *g) {
  for (size_t i = 0; i < g->n; i++)
    free(g->terms[i]);
  free(g->terms);
}

cys_status cys_writer_prune(cys_writer *w, const char *dir, double max_share,
                            uint64_t *deleted, uint64_t *recorded) {
  *deleted = 0;
  *recorded = 0;
  char prefix[CYS_TERM_MAX + 1];
  size_t dl = strlen(dir);
  while (dl > 1 && dir[dl - 1] == '/')
    dl--;
  size_t p = strlen(CYS_PREFIX_ORIGIN);
  if (dir[0] != '/' || p + dl + 1 > CYS_TERM_MAX)
    return set_error(w, CYS_INVALID,
                     "--prune: '%s' must be an absolute path shorter than %d "
                     "bytes", dir, CYS_TERM_MAX - (int)p);
  memcpy(prefix, CYS_PREFIX_ORIGIN, p);
  memcpy(prefix + p, dir, dl);
  size_t plen = p + dl;
  if (dl > 1)
    prefix[plen++] = '/';
  gone *g = calloc(w->nshards, sizeof *g);
  if (!g)
    return set_error(w, CYS_NOMEM, "out of memory");
  /* First find what would go in every shard, then delete, so that a
   * refusal deletes nothing anywhere. */
  cys_status st = CYS_OK;
  uint64_t docs = 0, all = 0;
  for (unsigned k = 0; k < w->nshards && !st; k++) {
    st = cys_wdb_terms(w->shard[k], prefix, plen, note_gone, &g[k]);
    if (st)
      db_error(w, w->shard[k], st);
    else if (g[k].failed)
      st = set_error(w, CYS_NOMEM, "out of memory");
    docs += g[k].docs;
    all += g[k].recorded;
  }
  if (!st && docs > 0 && (double)docs > max_share * (double)all)
    st = set_error(w, CYS_INVALID,
                   "--prune: the files of %llu of the %llu articles read "
                   "from '%s' are gone, more than the share allowed; "
                   "nothing pruned",
                   (unsigned long long)docs, (unsigned long long)all, dir);
  if (!st && docs > 0)
    st = writer_may_write(w, "the removal of the articles of removed files");
  for (unsigned k = 0; k < w->nshards && !st; k++)
    for (size_t i = 0; i < g[k].n && !st; i++)
      if ((st = cys_wdb_delete(w->shard[k], g[k].terms[i],
                               strlen(g[k].terms[i]))))
        db_error(w, w->shard[k], st);
  if (!st || st == CYS_INVALID) {
    *deleted = docs;
    *recorded = all;
  }
  for (unsigned k = 0; k < w->nshards; k++)
    free_gone(&g[k]);
  free(g);
  return st;
}
