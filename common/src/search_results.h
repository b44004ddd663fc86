/*
 * search_results.h — filling cys_results from a match (search_results.c).
 */
#ifndef CYSEARCH_SEARCH_RESULTS_H
#define CYSEARCH_SEARCH_RESULTS_H

#include "searcher.h"

/* Fill h from what the index stores for item: the article (h->record),
 * its entities and its KEV entries.  CYS_CORRUPT, with the searcher's
 * message, when the stored article is damaged; CYS_NOMEM. */
cys_status search_hit_read(cys_searcher *s, const cys_mset_item *item,
                           cys_hit *h);

/* CYS_CORRUPT, with the searcher's message saying that the stored article
 * of docid is damaged and what to do. */
cys_status search_damaged_article(cys_searcher *s, cys_docid docid);

/* The same for cys_search_options.brief (search_brief.c): only the
 * record's id, title, date, source and url; no entities, no KEV entries. */
cys_status search_hit_read_brief(cys_searcher *s, const cys_mset_item *item,
                                 cys_hit *h);

/* Note in r which shards were left out (cys_open_options.allow_partial). */
cys_status search_mark_partial(const cys_searcher *s, cys_results *r);

#endif
