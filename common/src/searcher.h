/*
 * searcher.h — the searcher handle (searcher.c), shared by the files of
 * the search path: what a cys_searcher holds, and how they report errors
 * on it.  The layer under every search_*.c file; it calls none of them.
 */
#ifndef CYSEARCH_SEARCHER_H
#define CYSEARCH_SEARCHER_H

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/search.h"

struct cys_searcher {
  cys_db *db;
  cys_analyzer *analyzer;   /* NULL until an index is open */
  cys_gazetteer *gazetteer; /* built when first needed (searcher_gazetteer) */
  char message[512];        /* cys_searcher_errmsg */
  long bad_filter;          /* cys_searcher_bad_filter */
};

/* Set the searcher's message (printf-style) and return status. */
cys_status search_error(cys_searcher *s, cys_status status, const char *fmt,
                        ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Load s->gazetteer if it is not yet: the built-in gazetteer plus the
 * entities the index's indexer loaded from files.  On failure the
 * searcher's message says why. */
cys_status searcher_gazetteer(cys_searcher *s);

/* The first run that started at or after `when` ("YYYY-MM-DDTHH:MM:SSZ"),
 * or one past the last run when none did (search_runs.c). */
cys_status searcher_run_since(cys_searcher *s, const char *when,
                              uint64_t *run);

#endif
