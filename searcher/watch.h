/*
 * watch.h — cysearch --watch FILE [--state FILE]: run a list of saved
 * searches and print only the stories new since the last run of that
 * list (watch.c; the files: watch_file.h).
 */
#ifndef CYSEARCH_SEARCHER_WATCH_H
#define CYSEARCH_SEARCHER_WATCH_H

#include "cysearch/search.h"

/* Exit statuses of a watch run (cysearch(1), EXIT STATUS). */
enum {
  WATCH_NEW = 0,     /* new stories were printed */
  WATCH_ERROR = 1,   /* the index or a file failed; the state is unchanged */
  WATCH_USAGE = 2,   /* a bad watch file or saved search; state unchanged */
  WATCH_NOTHING = 3  /* nothing new (also the list's first run) */
};

typedef struct watch_options {
  const char *file;  /* the watch list */
  const char *state; /* its state file; NULL: FILE.state */
  int json;          /* JSON Lines, one object per new story */
} watch_options;

/* Run the watch list over the open index; returns a WATCH_* status.
 * Errors are reported on stderr. */
int watch_run(cys_searcher *searcher, const watch_options *options);

#endif
