/*
 * extract_mode.h — cysearch-index --extract: entity extraction without an
 * index, one JSON object per article on standard output:
 *   {"id":…, "entities":[{"type","value","label","field","text","start",
 *    "end"}, …]}
 * where field is "title" or "body" and start/end are byte offsets into it.
 */
#ifndef CYSEARCH_INDEXER_EXTRACT_MODE_H
#define CYSEARCH_INDEXER_EXTRACT_MODE_H

#include <signal.h>
#include <stdio.h>

#include "cysearch/article.h"
#include "cysearch/status.h"

typedef struct extract_mode extract_mode;

/* Set up with the stemmer of language (NULL: the default, as for a new
 * index), the built-in gazetteers plus the MISP files in gazetteers[0..n).
 * On failure (an unknown language among others) returns NULL and prints
 * why. */
extract_mode *extract_mode_new(const char *language,
                               const char *const *gazetteers, size_t n);
void extract_mode_free(extract_mode *x);

/* Stop an article's extraction once *flag is set (CYS_INTERRUPTED). */
void extract_mode_set_interrupt(extract_mode *x,
                                const volatile sig_atomic_t *flag);

/* Print the entities of one article; CYS_IO when stdout fails,
 * CYS_INTERRUPTED when the interrupt flag was set. */
cys_status extract_mode_put(extract_mode *x, const cys_article *article,
                            FILE *out);

#endif
