/*
 * span_set.h — byte spans taken so far, none overlapping another (equal
 * spans count as one), for settling the overlaps of an extractor's
 * candidates in O(log n) each instead of comparing every candidate with
 * every earlier one (extract.c).
 *
 * Every start that may be taken is given up front; each is a slot.  The
 * taken spans are disjoint, so they are ordered alike by start and by
 * end: the one that overlaps [start, end), if any, is the taken span with
 * the greatest start below end, found with a Fenwick tree of prefix
 * maxima over the slots (spans are only ever added).
 */
#ifndef CYSEARCH_SPAN_SET_H
#define CYSEARCH_SPAN_SET_H

#include <stddef.h>

#include "cysearch/status.h"

#define SPAN_NONE ((size_t)-1)

/* Reusable: the arrays grow and are kept between fields. */
typedef struct span_set {
  size_t *starts; /* the slots: possible starts, sorted, distinct */
  size_t *ends;   /* ends[k]: end of the span taken at slot k */
  size_t *tree;   /* Fenwick tree: 1 + the greatest taken slot, 0 none */
  size_t n, cap;
} span_set;

/* Start over with nothing taken and the slots starts[0..n) (any order,
 * repeats allowed; copied).  CYS_NOMEM when memory runs out. */
cys_status span_set_reset(span_set *s, const size_t *starts, size_t n);

/* The slot of start, which must be one of those given. */
size_t span_set_slot(const span_set *s, size_t start);

/* The slot of the taken span overlapping [start, end) (start < end), or
 * SPAN_NONE. */
size_t span_set_overlapping(const span_set *s, size_t start, size_t end);

/* Take [starts[slot], end): it must overlap no taken span, except one
 * equal to it. */
void span_set_take(span_set *s, size_t slot, size_t end);

/* The start and end of the span taken at slot. */
size_t span_set_start(const span_set *s, size_t slot);
size_t span_set_end(const span_set *s, size_t slot);

/* Frees the arrays (not s); accepts a zeroed set. */
void span_set_free(span_set *s);

#endif
