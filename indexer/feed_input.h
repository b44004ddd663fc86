/*
 * feed_input.h — an RSS or Atom feed, already in memory, to articles in
 * the index: one per item (feed.h says how each is read).  The source
 * of an article is the host of its link (lower case, without "www."),
 * else the host of the feed's own link.
 */
#ifndef CYSEARCH_INDEXER_FEED_INPUT_H
#define CYSEARCH_INDEXER_FEED_INPUT_H

#include <stddef.h>

#include "document.h"
#include "job.h"

/* Index the items of text[0..len).  A document that is not a feed is
 * skipped (not_a_document); XML that libxml2 had to recover is warned
 * about, and what it recovered is indexed.  Returns -1 only when the job
 * must stop. */
int feed_index(job *j, const input_source *src, const char *text, size_t len);

#endif
