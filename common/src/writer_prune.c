/*
 * writer_prune.c — cys_writer_prune (writer.h): remove the articles read
 * from files that are gone from a directory, unless too many of them are.
 */
#include "cysearch/writer.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cysearch/db.h"
#include "cysearch/schema.h"
#include "writer_internal.h"

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
  if (writer_require_open(w))
    return CYS_INVALID;
  char prefix[CYS_TERM_MAX + 1];
  size_t dl = strlen(dir);
  while (dl > 1 && dir[dl - 1] == '/')
    dl--;
  size_t p = strlen(CYS_PREFIX_ORIGIN);
  if (dir[0] != '/' || p + dl + 1 > CYS_TERM_MAX)
    return writer_fail(w, CYS_INVALID,
                       "pruning '%s': the directory must be an absolute path "
                       "shorter than %d bytes",
                       dir, CYS_TERM_MAX - (int)p);
  memcpy(prefix, CYS_PREFIX_ORIGIN, p);
  memcpy(prefix + p, dir, dl);
  size_t plen = p + dl;
  if (dl > 1)
    prefix[plen++] = '/';
  gone *g = calloc(w->nshards, sizeof *g);
  if (!g)
    return writer_fail(w, CYS_NOMEM, "out of memory");
  /* First find what would go in every shard, then delete, so that a
   * refusal deletes nothing anywhere. */
  cys_status st = CYS_OK;
  uint64_t docs = 0, all = 0;
  for (unsigned k = 0; k < w->nshards && !st; k++) {
    st = cys_wdb_terms(w->shard[k], prefix, plen, note_gone, &g[k]);
    if (st)
      writer_db_error(w, w->shard[k], st);
    else if (g[k].failed)
      st = writer_fail(w, CYS_NOMEM, "out of memory");
    docs += g[k].docs;
    all += g[k].recorded;
  }
  if (!st && docs > 0 && (double)docs > max_share * (double)all)
    st = writer_fail(w, CYS_INVALID,
                     "pruning '%s': the files of %llu of the %llu articles "
                     "read from it are gone, more than the share allowed; "
                     "nothing pruned",
                     dir, (unsigned long long)docs, (unsigned long long)all);
  if (!st && docs > 0)
    st = writer_may_write(w, "the removal of the articles of removed files");
  for (unsigned k = 0; k < w->nshards && !st; k++)
    for (size_t i = 0; i < g[k].n && !st; i++)
      if ((st = cys_wdb_delete(w->shard[k], g[k].terms[i],
                               strlen(g[k].terms[i]))))
        writer_db_error(w, w->shard[k], st);
  if (!st && docs > 0)
    w->run_changed = 1;
  if (!st || st == CYS_INVALID) {
    *deleted = docs;
    *recorded = all;
  }
  for (unsigned k = 0; k < w->nshards; k++)
    free_gone(&g[k]);
  free(g);
  return st;
}
