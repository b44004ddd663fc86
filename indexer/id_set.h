/*
 * id_set.h — the article ids a run has met, for --threads N on a new
 * index (segments.c): an id met again within the run is an article the
 * index already holds by then, so it cannot go to a segment of its own.
 * A set of strings (open addressing over FNV-1a); it copies what it is
 * given and frees it with itself.
 */
#ifndef CYSEARCH_INDEXER_ID_SET_H
#define CYSEARCH_INDEXER_ID_SET_H

#include <stddef.h>

typedef struct id_set id_set;

/* NULL when memory runs out; id_set_free accepts NULL. */
id_set *id_set_new(void);
void id_set_free(id_set *s);

/* Add id: 1 when it was new, 0 when the set held it already, -1 when
 * memory runs out (the set is unchanged). */
int id_set_add(id_set *s, const char *id);

#endif
