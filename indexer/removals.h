/*
 * removals.h — the articles a cysearch-index job removes before it reads
 * its inputs: --delete (by id) and --prune (those read from files that
 * are gone).  Both remove through the job's writer, count what went in
 * j->count.deleted and print their own messages (job.h).
 */
#ifndef CYSEARCH_INDEXER_REMOVALS_H
#define CYSEARCH_INDEXER_REMOVALS_H

#include "job.h"

/* --delete: remove j->opt.deletes by id; an id not in the index, or in
 * another shard than --shard K, is reported and passed over.  0, or -1
 * when the writer failed (the job must stop). */
int delete_articles(job *j);

/* --prune: for each directory among inputs[0..n), remove the articles
 * read from files that are gone from it.  Without --force a directory
 * whose files of more than half of its articles are gone is refused (a
 * disk not mounted?) and the others are pruned.  0; 1 when a directory
 * was refused (the job goes on and commits what it indexed); -1 when the
 * job must stop. */
int prune_directories(job *j, char **inputs, int n);

#endif
