/*
 * removals.c — --delete and --prune for cysearch-index (removals.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cysearch/writer.h"
#include "removals.h"

/* --delete: remove articles by id before reading the inputs. */
int delete_articles(job *j) {
  for (size_t i = 0; i < j->opt.ndeletes; i++) {
    if (j->opt.shard >= 0 &&
        cys_shard_of(j->opt.deletes[i], j->total_shards) !=
            (unsigned)j->opt.shard) {
      job_note(j, "--delete: '%s' is not in shard %d; left to its job",
               j->opt.deletes[i], j->opt.shard);
      continue;
    }
    cys_status st = cys_writer_delete(j->writer, j->opt.deletes[i]);
    if (st == CYS_NOT_FOUND) {
      job_warn(j, "--delete: no article with id '%s'", j->opt.deletes[i]);
    } else if (st != CYS_OK) {
      fprintf(stderr, PROGRAM ": %s\n", cys_writer_errmsg(j->writer));
      return -1;
    } else {
      j->count.deleted++;
      j->since_commit++;
    }
  }
  return 0;
}

/* The largest share of the articles read from a directory that --prune
 * removes without --force: more looks like a disk that is not mounted or
 * a directory emptied by mistake rather than files deleted on purpose. */
#define PRUNE_MAX_SHARE 0.5

/* --prune: remove the articles read from files that are gone from the
 * directories among the inputs.  Returns -1 when the job must stop, 1
 * when a directory was refused (too much would go without --force; the
 * others are pruned, and the job goes on to commit what it indexed). */
int prune_directories(job *j, char **inputs, int n) {
  int refused = 0;
  for (int i = 0; i < n; i++) {
    struct stat sb;
    if (stat(inputs[i], &sb) != 0 || !S_ISDIR(sb.st_mode))
      continue;
    char *abs = realpath(inputs[i], NULL);
    if (!abs) {
      fprintf(stderr, PROGRAM ": --prune: cannot resolve '%s': %s\n",
              inputs[i], strerror(errno));
      return -1;
    }
    uint64_t deleted = 0, recorded = 0;
    cys_status st =
        cys_writer_prune(j->writer, abs, j->opt.force ? 1.0 : PRUNE_MAX_SHARE,
                         &deleted, &recorded);
    free(abs);
    if (st == CYS_INVALID && deleted > 0) {
      fprintf(stderr, PROGRAM ": --prune: '%s': the files of %llu of the "
                      "%llu articles read from it are gone, %s; nothing "
                      "pruned there.  Is a disk not mounted, or the "
                      "directory emptied by mistake?  If the files were "
                      "removed on purpose, add --force\n", inputs[i],
              (unsigned long long)deleted, (unsigned long long)recorded,
              deleted == recorded ? "all of them" : "more than half");
      refused = 1;
      continue;
    }
    if (st != CYS_OK) {
      fprintf(stderr, PROGRAM ": --prune: %s\n", cys_writer_errmsg(j->writer));
      return -1;
    }
    j->count.deleted += (unsigned long)deleted;
    j->since_commit += (unsigned long)deleted;
    if (deleted)
      job_note(j, "%s: %llu articles of removed files pruned", inputs[i],
               (unsigned long long)deleted);
  }
  return refused;
}
