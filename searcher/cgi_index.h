/*
 * cgi_index.h — the index cysearch.cgi searches, opened for a request and,
 * in a process that answers many (FastCGI), kept open between requests
 * for as long as it is unchanged.
 *
 * A process started per request (CGI) opens the index, answers and ends.
 * A resident one would otherwise open it for every request; instead it
 * keeps the searcher and, before each request, checks that the index is
 * the one it opened: a local index directory is kept while neither the
 * directory (cysearch-index --compact exchanges the whole
 * directory) nor its revision file (iamglass, replaced by each commit)
 * changed.  Anything else — a stub file listing shards, a remote
 * HOST:PORT — is opened again for every request, as the CGI does, because
 * what it refers to can change without any file here changing.  A request
 * whose search failed closes the searcher, so that the next one starts
 * from a fresh open.  A resident process answers one request at a time,
 * so an open that failed slowly (a remote shard that does not answer
 * within the time-outs) is remembered for a moment, and the requests of
 * that moment get its failure at once rather than each waiting out the
 * time-outs behind the one before.
 *
 * Ownership: the struct is the caller's (on main's stack); it owns the
 * searcher and a copy of the index's name until cgi_index_close.  One
 * thread.
 */
#ifndef CYSEARCH_CGI_INDEX_H
#define CYSEARCH_CGI_INDEX_H

#include <sys/types.h>

#include "cysearch/search.h"

typedef struct cgi_index_identity {
  dev_t dev;
  ino_t dir_ino;       /* the index directory */
  ino_t revision_ino;  /* its iamglass */
  long long revision_mtime_ns;
  off_t revision_size;
} cgi_index_identity;

typedef struct cgi_index {
  int resident;            /* 1: keep the searcher between requests */
  char *db;                /* the name it was opened with, or NULL */
  cys_searcher *searcher;  /* open, or NULL */
  int reusable;            /* db is a local index directory */
  cgi_index_identity identity; /* of db when opened (reusable only) */
  /* The last slow failure to open, while it is remembered. */
  char *failed_db;          /* the name that failed, or NULL */
  cys_status failed_status;
  char failed_message[512];
  double failed_until;      /* CLOCK_MONOTONIC seconds */
} cgi_index;

/* resident: 1 for a process that answers many requests. */
void cgi_index_init(cgi_index *index, int resident);

/* The searcher of db for this request: the one kept open when db is
 * unchanged, else opened now (remote shards with the CGI's time-outs).
 * CYS_OK, or the open's status with its message in *message (always set;
 * "" on success). */
cys_status cgi_index_searcher(cgi_index *index, const char *db,
                              cys_searcher **out, char *message,
                              size_t size);

/* The request is answered: close the searcher unless it is kept (a
 * resident process, a reusable index and a request that did not fail). */
void cgi_index_done(cgi_index *index, int failed);

/* Between requests: close the searcher kept open if its index is no longer
 * there as it was opened (changed, replaced, gone), so that the files of
 * a replaced index are freed without waiting for the next request. */
void cgi_index_release_if_changed(cgi_index *index);

void cgi_index_close(cgi_index *index);

#endif
