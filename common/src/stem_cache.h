/*
 * stem_cache.h — libstemmer behind a cache of recent stems, so frequent
 * words are stemmed once.  Private to the analyzer.
 */
#ifndef CYSEARCH_STEM_CACHE_H
#define CYSEARCH_STEM_CACHE_H

#include <stddef.h>

typedef struct stem_cache stem_cache;

/* NULL when the language is unknown to libstemmer (*unknown set to 1) or
 * memory runs out (*unknown set to 0).  language must be canonical. */
stem_cache *stem_cache_new(const char *language, int *unknown);
void stem_cache_free(stem_cache *cache);

/* Stem word[0..n).  On success returns 0 with *stem valid until the next
 * call (never empty: a word the stemmer reduces to nothing is its own
 * stem); -1 when memory runs out. */
int stem_cache_stem(stem_cache *cache, const char *word, size_t n,
                    const char **stem, size_t *stem_len);

#endif
