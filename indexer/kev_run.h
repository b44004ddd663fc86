/*
 * kev_run.h — cysearch-index --cve-data FILE: read CISA's Known Exploited
 * Vulnerabilities catalogue before anything is written, and mark the
 * index's articles with it once the input is indexed (kev.h,
 * cys_writer_mark_kev).
 */
#ifndef CYSEARCH_INDEXER_KEV_RUN_H
#define CYSEARCH_INDEXER_KEV_RUN_H

#include "cysearch/kev.h"
#include "cysearch/writer.h"

/* The catalogue at path, or NULL after printing why (naming the file and
 * the entry at fault).  Free it with cys_kev_catalogue_free. */
cys_kev_catalogue *kev_run_load(const char *path);

/* Mark every article of the open writer's index with CVE tags and commit;
 * unless quiet, print how many articles were examined and changed.
 * 0, or -1 after printing why (nothing of the marks was committed). */
int kev_run_mark(cys_writer *writer, const cys_kev_catalogue *catalogue,
                 const char *path, int quiet);

#endif
