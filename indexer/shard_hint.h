/*
 * shard_hint.h — what to do, in cysearch-index's own options, when the
 * index writer refused to open an index for its shards: the library's
 * message says what is wrong in terms of its API (numbers of shards), this
 * names --shards N, --shard K and --merge.
 */
#ifndef CYSEARCH_INDEXER_SHARD_HINT_H
#define CYSEARCH_INDEXER_SHARD_HINT_H

#include "cysearch/status.h"

/* The hint for a refusal with status st of the index at db opened with
 * --shards shards (0 when not given) and --shard shard (-1 when not
 * given), or NULL when the refusal is not about shards.  A static
 * string. */
const char *shard_hint(const char *db, unsigned shards, int shard,
                       cys_status st);

#endif
