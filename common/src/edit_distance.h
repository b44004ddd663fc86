/*
 * edit_distance.h — how many one-byte edits turn one string into another,
 * for the spelling suggestions ("did you mean" in search_suggest.c, and
 * the names a filter value may have meant in gazetteer.c).
 */
#ifndef CYSEARCH_EDIT_DISTANCE_H
#define CYSEARCH_EDIT_DISTANCE_H

#include <stddef.h>

/* Strings longer than this are never close to anything. */
#define EDIT_DISTANCE_MAX_LEN 255

/* The restricted Damerau-Levenshtein (optimal string alignment) distance
 * of a[0..n) and b[0..m): insertions, deletions, substitutions and
 * transpositions of adjacent bytes, each one edit.  Stops early and
 * returns max + 1 once the distance is known to exceed max (max >= 0),
 * and for a string longer than EDIT_DISTANCE_MAX_LEN. */
int edit_distance(const char *a, size_t n, const char *b, size_t m, int max);

#endif
