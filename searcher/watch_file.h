/*
 * watch_file.h — the two files of cysearch --watch: the watch list (saved
 * searches, "NAME<TAB>QUERY" lines) and its state (what the last run of
 * that list had seen), read and written here; watch.c runs them.
 */
#ifndef CYSEARCH_SEARCHER_WATCH_FILE_H
#define CYSEARCH_SEARCHER_WATCH_FILE_H

#include <stddef.h>
#include <stdint.h>

/* A saved search.  Strings are owned by the list. */
typedef struct saved_search {
  char *name, *query;
  unsigned long line; /* in the watch file, for messages */
} saved_search;

typedef struct watch_list {
  saved_search *searches;
  size_t n;
} watch_list;

/* Read the watch file at path: blank lines and lines starting with '#'
 * are skipped.  Every bad line (no tab, an empty name or query, a name
 * used twice, not text) is reported on stderr as "PROGRAM: FILE:LINE:
 * why"; -1 when there was one or the file cannot be read (reported),
 * else 0 and *out filled (free with watch_list_free, also after -1). */
int watch_list_read(const char *path, watch_list *out);
void watch_list_free(watch_list *list);

/* What a run of a watch list had seen: every article added by runs up to
 * `run`, and the articles of later runs listed in `seen` (ids, sorted
 * bytewise), which a run still under way had added. */
typedef struct watch_state {
  int present; /* 0: no state yet (the list's first run) */
  uint64_t run;
  char **seen;
  size_t nseen;
} watch_state;

/* Read the state file at path (absent: present 0).  -1 (reported) when it
 * cannot be read or is not a state file. */
int watch_state_read(const char *path, watch_state *out);
/* Write it atomically: a temporary file in the same directory, flushed
 * to disk, renamed over path.  -1 (reported) on failure; path is then
 * unchanged. */
int watch_state_write(const char *path, const watch_state *state);
void watch_state_free(watch_state *state);

/* Is id in the sorted list? */
int watch_ids_have(char *const *ids, size_t n, const char *id);
/* Sort ids bytewise (for watch_ids_have). */
void watch_ids_sort(char **ids, size_t n);

#endif
