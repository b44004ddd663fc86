/*
 * test_index.h — a searcher over a small index a unit test builds in a new
 * temporary directory (the set-up the search tests share).
 */
#ifndef CYSEARCH_TEST_INDEX_H
#define CYSEARCH_TEST_INDEX_H

#include <stdio.h>
#include <stdlib.h>

#include "cysearch/search.h"
#include "tempdir.h"

/* Make the directory dir (a mkdtemp template, rewritten in place), let
 * build(path) write an index at dir/index, and open it.  NULL, with a
 * message, when a step fails.  The caller frees the searcher and removes
 * dir (remove_tree) either way. */
static cys_searcher *open_test_index(char *dir, int (*build)(const char *)) {
  char path[4096];
  cys_searcher *s = NULL;
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return NULL;
  }
  snprintf(path, sizeof path, "%s/index", dir);
  if (!build(path)) {
    fprintf(stderr, "cannot build the test index at %s\n", path);
    return NULL;
  }
  s = cys_searcher_new();
  if (s && cys_searcher_open(s, path) != CYS_OK) {
    fprintf(stderr, "cannot open %s: %s\n", path, cys_searcher_errmsg(s));
    cys_searcher_free(s);
    s = NULL;
  }
  return s;
}

#endif
