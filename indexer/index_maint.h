/*
 * index_maint.h — whole-index operations of cysearch-index that are not
 * indexing: --check, --compact, --merge and the index's size, for a plain
 * index and for a sharded one (a directory of shard-NN indexes and a
 * XAPIANDB stub; see cysearch/writer.h).  Each prints its own messages
 * ("cysearch-index: ..." on standard error) and returns -1 on failure.
 */
#ifndef CYSEARCH_INDEXER_INDEX_MAINT_H
#define CYSEARCH_INDEXER_INDEX_MAINT_H

#include "cysearch/writer.h"

/* In each of these, shard >= 0 (--shard K) limits the operation to that
 * shard of a sharded index; -1 means every database of the index. */

/* Xapian's consistency check of every database of the index, reported:
 * "is sound", "is damaged" (the check found errors, or stopped at a
 * broken block) or "could not be checked: WHY" (no index there, a failed
 * read); 0 sound, 1 damaged or not checkable (the exit status). */
int index_check(const char *db, int shard);

/* Compact the index in place (each shard of a sharded one), as of its
 * last commit, while *writer — the job's writer, open on exactly these
 * databases (cys_writer_open_shards, or cys_writer_open_shard for --shard
 * K) with nothing left uncommitted — holds their write locks, so that no
 * other writer commits to them meanwhile.  Each database is compacted into
 * a new directory beside it, which is then exchanged with it in one step
 * (renameat2 RENAME_EXCHANGE; two renames where the filesystem cannot),
 * so readers see the old index or the compacted one, never none.  Then
 * *writer is freed (set to NULL, also on failure), and the old copies
 * removed.  A symbolic link to the index is followed, not replaced. */
int index_compact_locked(const char *db, int shard, cys_writer **writer);

/* Make a new directory beside the index db, named after its real path
 * (symbolic links followed, so on the same filesystem) as DB.TAG-PID, of
 * mode 0700; its path goes into out[cap] (cap of 4096 bytes or more).
 * -1 with errno on failure. */
int index_side_dir(const char *db, const char *tag, char *out, size_t cap);

/* Put the index at built (a directory inside one index_side_dir made)
 * in the place of the plain index db, whose write lock *writer holds,
 * exchanged in one step as --compact does (readers see the old index or
 * the new one); then *writer is freed (set to NULL, also on failure) and
 * the old index, now at built, removed.  option names the step in
 * messages. */
int index_replace_locked(const char *db, const char *built, const char *option,
                         cys_writer **writer);

/* Remove a directory of files (an index: Xapian's files are all directly
 * in it); -1 with errno when something stays. */
int index_remove_dir(const char *path);

/* Write one compacted index at out (a new or empty directory) holding
 * every article of db, plain or sharded. */
int index_merge(const char *db, const char *out);

/* Bytes of the files of the index (of all its shards). */
unsigned long long index_bytes(const char *db, int shard);

#endif
