/*
 * query.h — turning what a user typed into a cys_query, through the same
 * analyzer the indexer used.
 *
 * The language (this is the floor; later issues extend it):
 *   words           free text, matched by stem and ranked with BM25
 *   "a phrase"      the exact words in this order (an unclosed quote runs
 *                   to the end of the query)
 *   =word           the exact (unstemmed) form only
 *   +word -word     required / excluded (also +"phrase", -"phrase")
 *   title:word      in the title only (also title:"phrase")
 * Anything else is read as text: a query never fails to parse.
 */
#ifndef CYSEARCH_QUERY_H
#define CYSEARCH_QUERY_H

#include <stddef.h>

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a query looks for, for highlighting: the stems of free-text words
 * and the exact forms of phrase and =word terms, without prefixes. */
typedef struct cys_query_terms {
  char **stems;
  size_t nstems;
  char **exacts;
  size_t nexacts;
} cys_query_terms;

typedef struct cys_parsed_query {
  cys_query *query; /* never NULL; empty when nothing searchable was typed */
  cys_query_terms highlight;
} cys_parsed_query;

/* Parse text[0..len).  Invalid UTF-8 is tolerated.  *out is owned by the
 * caller (cys_parsed_query_free).  Fails only with CYS_NOMEM. */
cys_status cys_query_parse(cys_analyzer *analyzer, const char *text,
                           size_t len, cys_parsed_query **out);
void cys_parsed_query_free(cys_parsed_query *parsed);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_QUERY_H */
