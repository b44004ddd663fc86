/*
 * shard_hint.c — cysearch-index's advice after a refused open (see
 * shard_hint.h).  It looks at the index as the writer did (its stub, or
 * a single index's version file) and at the options, and says which to
 * change; the writer's message, printed before it, says why.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "cysearch/writer.h"
#include "shard_hint.h"

/* A single (not sharded) index at db: its version file is there. */
static int single_index(const char *db) {
  char file[4096];
  struct stat sb;
  int n = snprintf(file, sizeof file, "%s/iamglass", db);
  return n > 0 && (size_t)n < sizeof file && stat(file, &sb) == 0;
}

const char *shard_hint(const char *db, unsigned shards, int shard,
                       cys_status st) {
  unsigned have = 0;
  if (cys_index_shards(db, &have) != CYS_OK)
    return NULL; /* the writer's message says why it cannot read it */
  if (st == CYS_NOT_FOUND && have && shard < 0)
    return "or work on the shards that are here with --shard K";
  if (st != CYS_INVALID)
    return NULL;
  if (have && shards && shards != have)
    return shard >= 0 ? "leave out --shards, or give each job the same "
                        "--shards N"
                      : "leave out --shards, or re-shard: build a new index "
                        "with --shards N from the inputs, or --merge the "
                        "shards into a single index";
  if (!have && single_index(db))
    return shard >= 0  ? "leave out --shard, or build a new index with "
                         "--shards N --shard K"
           : shards > 1 ? "build a new index with --shards N from the inputs"
                        : NULL;
  if (!have && shard >= 0 && shards < 2)
    return "give --shards N to create it with --shard K";
  return NULL;
}
