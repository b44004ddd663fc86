/*
 * index_maint.h — whole-index operations of cysearch-index that are not
 * indexing: --check, --compact, --merge and the index's size, for a plain
 * index and for a sharded one (a directory of shard-NN indexes and a
 * XAPIANDB stub; see cysearch/writer.h).  Each prints its own messages
 * ("cysearch-index: ..." on standard error) and returns -1 on failure.
 */
#ifndef CYSEARCH_INDEXER_INDEX_MAINT_H
#define CYSEARCH_INDEXER_INDEX_MAINT_H

/* In each of these, shard >= 0 (--shard K) limits the operation to that
 * shard of a sharded index; -1 means every database of the index. */

/* Xapian's consistency check of every database of the index, reported;
 * 0 sound, 1 damaged or not checkable (the exit status). */
int index_check(const char *db, int shard);

/* Compact the index in place (each shard of a sharded one): a compacted
 * copy beside it, then two renames, so readers see the old or the new. */
int index_compact(const char *db, int shard);

/* Write one compacted index at out (a new or empty directory) holding
 * every article of db, plain or sharded. */
int index_merge(const char *db, const char *out);

/* Bytes of the files of the index (of all its shards). */
unsigned long long index_bytes(const char *db, int shard);

#endif
