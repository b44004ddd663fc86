/*
 * output_stix.h — the hits of one query as a STIX 2.1 bundle, for threat
 * intelligence platforms (OpenCTI, MISP): a `report` per article and one
 * object per entity the articles mention, with the relationships the
 * gazetteer gives (an actor's or a malware family's country of origin,
 * where an agency or a vendor is located).
 *
 * Every id is deterministic (stix_id.h), and so is every timestamp, so an
 * export made twice, or two exports that share an entity or an article,
 * agree on it byte for byte:
 *   report          name "article:ID"; created = modified = published =
 *                   the article's date at 00:00 UTC (an undated article:
 *                   STIX_EPOCH, labelled "undated"); description = the
 *                   article's lead, never the query's snippet, so that the
 *                   same id never stands for two different objects
 *   entity objects  "TYPE:VALUE" with cysearch's entity type and the
 *                   canonical value ("actor:APT28", "cve:CVE-2017-0144",
 *                   "country:RU"); created = modified = STIX_EPOCH
 *   publisher       identity of the article's source site, "source:HOST";
 *                   the report's created_by_ref
 *   relationship    "RELATIONSHIP_TYPE:SOURCE_ID:TARGET_ID"
 *   bundle          "bundle:" and the ids of its objects, one a line
 */
#ifndef CYSEARCH_SEARCHER_OUTPUT_STIX_H
#define CYSEARCH_SEARCHER_OUTPUT_STIX_H

#include <stdio.h>

#include "cysearch/entity.h"
#include "cysearch/search.h"

/* The created/modified time of objects that have no date of their own:
 * gazetteer entities are facts without one. */
#define STIX_EPOCH "1970-01-01T00:00:00.000Z"

/* Print the results as one bundle: indented, or on one line (one_line:
 * JSON Lines, a bundle per query of a batch).  gazetteer is the one the
 * search used (cys_searcher_gazetteer), for the entities' aliases and
 * countries.  Returns -1 on a write error or when memory runs out. */
int output_stix(FILE *f, const cys_results *r, const cys_gazetteer *gazetteer,
                int one_line);

#endif
