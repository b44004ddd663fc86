/*
 * writer_open.c — the writer's handle (writer.h): made, opened on an
 * index (plain, sharded, or one shard of a sharded index: after the
 * checks of schema, language and write permission), given gazetteers,
 * freed; and the one way its functions keep an error message.
 */
#include "cysearch/writer.h"

#include <dirent.h>
#include <errno.h>
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
#include "dedup_kept.h"
#include "writer_internal.h"

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
  dedup_kept_close(w->kept);
  writer_worker_clear(&w->own);
  free(w);
}

const char *cys_writer_errmsg(const cys_writer *w) { return w->message; }

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

cys_status writer_require_open(cys_writer *w) {
  return w->nshards ? CYS_OK
                    : writer_fail(w, CYS_INVALID, "the writer is not open");
}

cys_status writer_may_write(cys_writer *w, const char *what) {
  if (!w->read_only)
    return CYS_OK;
  return writer_fail(w, CYS_IO,
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
  if (writer_foreign_directory(path))
    return writer_not_an_index(w, path);
  st =
      w->read_only ? cys_wdb_open_read(wdb, &path, 1) : cys_wdb_open(wdb, path);
  if (st != CYS_OK)
    return writer_fail(w, st, "cannot open index '%s' for %s: %s", path,
                       w->read_only ? "reading" : "writing",
                       cys_wdb_errmsg(wdb));
  if ((st = cys_wdb_get_metadata(wdb, CYS_META_SCHEMA, &schema)) ||
      (st = cys_wdb_get_metadata(wdb, CYS_META_LANGUAGE, stored_language))) {
    writer_fail(w, st, "%s", cys_wdb_errmsg(wdb));
    goto done;
  }
  uint64_t docs = 0;
  if ((st = cys_wdb_doccount(wdb, &docs))) {
    writer_fail(w, st, "%s", cys_wdb_errmsg(wdb));
    goto done;
  }
  if (*schema == '\0' && docs > 0) {
    st = writer_fail(w, CYS_VERSION,
                     "'%s' is a Xapian index but not a cysearch index", path);
    goto done;
  }
  if (*schema && strcmp(schema, CYS_SCHEMA_VERSION) != 0) {
    st = writer_fail(w, CYS_VERSION,
                     "index '%s' has schema version %s; this cysearch writes "
                     "version %s: rebuild it into a new directory",
                     path, schema, CYS_SCHEMA_VERSION);
    goto done;
  }
  if (**stored_language && language && strcmp(language, *stored_language)) {
    st = writer_fail(w, CYS_INVALID,
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
    return writer_fail(w, st, "unknown stemmer language '%s'", language);
  if (st != CYS_OK)
    return writer_fail(w, st, "cannot create analyzer: %s", cys_status_str(st));
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
    return writer_fail(w, CYS_NOMEM, "out of memory");
  w->nshards = n;
  w->total = total;
  w->only = only;
  int any_fresh = 0;
  /* An index that cannot be written is opened for reading, all of it, so
   * that a run that changes nothing succeeds without writing. */
  for (unsigned i = 0; i < n && !w->read_only; i++) {
    char part[MAX_PATH_BYTES];
    unsigned which = only >= 0 ? (unsigned)only : i;
    if (!sharded || !writer_shard_path(path, which, part, sizeof part))
      w->read_only = not_writable(sharded ? part : path);
  }
  for (unsigned i = 0; i < n && !st; i++) {
    char part[MAX_PATH_BYTES];
    unsigned which = only >= 0 ? (unsigned)only : i;
    if (sharded && writer_shard_path(path, which, part, sizeof part)) {
      st = writer_fail(w, CYS_INVALID, "index path '%s' is too long", path);
      break;
    }
    w->shard[i] = cys_wdb_new();
    w->paths[i] = strdup(sharded ? part : path);
    if (!w->shard[i] || !w->paths[i]) {
      st = writer_fail(w, CYS_NOMEM, "out of memory");
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
    st = writer_fail(w, CYS_NOMEM, "out of memory");
    goto done;
  }
  const char *use = stored_language ? stored_language : language;
  st = cys_analyzer_new(use, &w->own.analyzer);
  if (st == CYS_NOT_FOUND) {
    writer_fail(w, st, "unknown stemmer language '%s'", use);
    goto done;
  }
  if (st != CYS_OK) {
    writer_fail(w, st, "cannot create analyzer: %s", cys_status_str(st));
    goto done;
  }
  if ((st = cys_gazetteer_new(w->own.analyzer, &w->own.gazetteer)) ||
      (st = cys_extractor_new(w->own.gazetteer, &w->own.extractor))) {
    writer_fail(w, st, "cannot load the built-in gazetteers: %s",
                w->own.gazetteer ? cys_gazetteer_errmsg(w->own.gazetteer)
                                 : cys_status_str(st));
    goto done;
  }
  cys_extractor_set_interrupt(w->own.extractor, w->interrupt);
  /* Entities an earlier run loaded from files are known again (every
   * shard holds the same list). */
  char *extra = NULL;
  if ((st = cys_wdb_get_metadata(w->shard[0], CYS_META_GAZETTEER, &extra))) {
    writer_fail(w, st, "%s", cys_wdb_errmsg(w->shard[0]));
    goto done;
  }
  if (*extra)
    st = cys_gazetteer_import_extra(w->own.gazetteer, extra);
  free(extra);
  if (st) {
    writer_fail(w, st, "index '%s' holds a damaged gazetteer: %s", path,
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
        writer_fail(w, st, "%s", cys_wdb_errmsg(w->shard[i]));
    if (!st && (st = cys_wdb_commit_all(w->shard, n)))
      writer_commit_error(w, st);
  }
  if (!st)
    st = writer_run_open(w);
done:
  free(stored_language);
  return st;
}

cys_status cys_writer_open_shards(cys_writer *w, const char *path,
                                  const char *language, unsigned nshards) {
  cys_status st;
  if (w->nshards)
    return writer_fail(w, CYS_INVALID, "the writer is already open");
  if (nshards > CYS_MAX_SHARDS)
    return writer_fail(w, CYS_INVALID, "at most %d shards, not %u",
                       CYS_MAX_SHARDS, nshards);
  if ((st = check_language(w, language)))
    return st;
  unsigned n = 1;
  if ((st = writer_count_shards(w, path, nshards, &n)))
    return st;
  int sharded = n > 1 || nshards > 1;
  if (sharded) {
    unsigned have = 0;
    int foreign = cys_index_shards(path, &have) == CYS_OK && have == 0 &&
                  writer_foreign_directory(path);
    if ((st = writer_make_directory(w, path, foreign)))
      return st;
  }
  if ((st = writer_missing_shard(w, path)))
    return st;
  if ((st = open_index(w, path, language, n, -1, sharded)))
    return st;
  /* (A read-only index has its stub: count_shards read it.) */
  return sharded && !w->read_only ? writer_write_stub(w, path, n) : CYS_OK;
}

cys_status cys_writer_open_shard(cys_writer *w, const char *path,
                                 const char *language, unsigned nshards,
                                 unsigned k) {
  cys_status st;
  if (w->nshards)
    return writer_fail(w, CYS_INVALID, "the writer is already open");
  if (nshards == 1 || nshards > CYS_MAX_SHARDS)
    return writer_fail(w, CYS_INVALID,
                       "a sharded index has 2 to %d shards, "
                       "not %u",
                       CYS_MAX_SHARDS, nshards);
  if (nshards && k >= nshards)
    return writer_fail(w, CYS_INVALID,
                       "shard %u of %u: shards are numbered "
                       "0 to %u",
                       k, nshards, nshards - 1);
  unsigned total = 0;
  if ((st = check_language(w, language)) ||
      (st = writer_shard_stub(w, path, nshards, &total)))
    return st;
  if (k >= total)
    return writer_fail(w, CYS_INVALID,
                       "index '%s' has %u shards, numbered "
                       "0 to %u: there is no shard %u",
                       path, total, total - 1, k);
  return open_index(w, path, language, total, (int)k, 1);
}

void cys_writer_set_interrupt(cys_writer *w,
                              const volatile sig_atomic_t *flag) {
  w->interrupt = flag;
  if (w->own.extractor)
    cys_extractor_set_interrupt(w->own.extractor, flag);
}

cys_status cys_writer_load_gazetteer(cys_writer *w, const char *path) {
  cys_status st = writer_require_open(w);
  if (st)
    return st;
  st = cys_gazetteer_load_misp(w->own.gazetteer, path);
  if (st)
    return writer_fail(w, st, "%s", cys_gazetteer_errmsg(w->own.gazetteer));
  char *extra = NULL;
  if ((st = cys_gazetteer_export_extra(w->own.gazetteer, &extra)))
    return writer_fail(w, st, "out of memory");
  if (w->read_only) { /* the same list again needs no write */
    char *stored = NULL;
    st = cys_wdb_get_metadata(w->shard[0], CYS_META_GAZETTEER, &stored);
    if (st)
      writer_fail(w, st, "%s", cys_wdb_errmsg(w->shard[0]));
    else if (strcmp(stored, extra) != 0)
      st = writer_may_write(w, "gazetteer entities it does not hold yet");
    free(stored);
    free(extra);
    return st;
  }
  for (unsigned i = 0; i < w->nshards && !st; i++)
    if ((st = cys_wdb_set_metadata(w->shard[i], CYS_META_GAZETTEER, extra)))
      writer_fail(w, st, "%s", cys_wdb_errmsg(w->shard[i]));
  free(extra);
  return st;
}
