/*
 * kev.h — CISA's Known Exploited Vulnerabilities catalogue (the JSON file
 * CISA publishes at
 * https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json),
 * read into memory, and the marks it gives an article's CVEs in the index
 * (cys_writer_mark_kev writes them, search results carry them).
 *
 * Ownership: the catalogue is the caller's, freed with
 * cys_kev_catalogue_free (NULL accepted); the entries and their strings
 * live as long as it.
 * Errors: cys_kev_catalogue_load returns CYS_IO, CYS_BAD_INPUT or
 * CYS_NOMEM, and the message through its last argument, char **error
 * (malloc'd, the caller frees it): there is no handle yet to keep it on.
 */
#ifndef CYSEARCH_KEV_H
#define CYSEARCH_KEV_H

#include <stddef.h>

#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One catalogue entry: the fields cysearch keeps.  Strings are owned by
 * the catalogue; vendor and product may be "" (never NULL). */
typedef struct cys_kev_entry {
  const char *cve;        /* "CVE-2021-44228", upper case */
  const char *date_added; /* "YYYY-MM-DD" */
  const char *vendor;     /* vendorProject */
  const char *product;
  int ransomware;         /* 1: knownRansomwareCampaignUse is "Known" */
} cys_kev_entry;

typedef struct cys_kev_catalogue cys_kev_catalogue;

/* Read the catalogue at path.  On success *out (free with
 * cys_kev_catalogue_free) holds its entries.  A file that cannot be read
 * is CYS_IO; one that is not JSON, or not the catalogue's schema (no
 * "vulnerabilities" array, an entry without a valid cveID of the form
 * CVE-YYYY-NNNN..., without a dateAdded YYYY-MM-DD, or a field of the wrong
 * type) is CYS_BAD_INPUT.  On failure *error (malloc'd, may be NULL when
 * memory runs out) names the file, the line or the entry index, and what
 * is wrong. */
CYS_API cys_status cys_kev_catalogue_load(const char *path,
                                          cys_kev_catalogue **out,
                                          char **error);
CYS_API void cys_kev_catalogue_free(cys_kev_catalogue *catalogue);

CYS_API size_t cys_kev_catalogue_size(const cys_kev_catalogue *catalogue);
/* The catalogue's catalogVersion ("" when it has none). */
CYS_API const char *cys_kev_catalogue_version(
    const cys_kev_catalogue *catalogue);

/* The entry of the CVE id cve[0..len) (upper case, as in the index's XCVE
 * terms), NULL when the catalogue has none. */
CYS_API const cys_kev_entry *cys_kev_find(const cys_kev_catalogue *catalogue,
                                          const char *cve, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_KEV_H */
