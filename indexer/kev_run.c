/*
 * kev_run.c — the --cve-data step of cysearch-index (kev_run.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "kev_run.h"

#define PROGRAM "cysearch-index"

cys_kev_catalogue *kev_run_load(const char *path) {
  cys_kev_catalogue *catalogue = NULL;
  char *error = NULL;
  cys_status st = cys_kev_catalogue_load(path, &catalogue, &error);
  if (st != CYS_OK) {
    fprintf(stderr,
            PROGRAM ": --cve-data %s; nothing was indexed or changed.  Use "
                    "the JSON catalogue CISA publishes: https://www.cisa.gov/"
                    "sites/default/files/feeds/"
                    "known_exploited_vulnerabilities.json\n",
            error ? error : cys_status_str(st));
    catalogue = NULL;
  }
  free(error);
  return catalogue;
}

int kev_run_mark(cys_writer *writer, const cys_kev_catalogue *catalogue,
                 const char *path, int quiet) {
  uint64_t examined = 0, changed = 0;
  cys_status st = cys_writer_mark_kev(writer, catalogue, &examined, &changed);
  if (st != CYS_OK) {
    fprintf(stderr, PROGRAM ": --cve-data: %s; no KEV mark was changed\n",
            cys_writer_errmsg(writer));
    return -1;
  }
  if (!quiet)
    fprintf(stderr,
            PROGRAM ": --cve-data %s (catalogue %s, %zu CVEs): %llu articles "
                    "with CVE tags examined, %llu changed\n",
            path, cys_kev_catalogue_version(catalogue),
            cys_kev_catalogue_size(catalogue),
            (unsigned long long)examined, (unsigned long long)changed);
  return 0;
}
