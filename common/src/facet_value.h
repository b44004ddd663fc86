/*
 * facet_value.h — the facet value slot (schema.h, CYS_SLOT_FACETS): the
 * one value the writer stores per article for all facets, and the tally
 * that turns Xapian's counts of those values (cys_mset_count_get) into
 * facet counts, the number of stories and the copies of each story.
 *
 * Why one combined value: a search reads one value per match instead of
 * one per facet, and Xapian's stock ValueCountMatchSpy can count it — also
 * inside xapian-tcpsrv, which runs no class of ours — so facets and exact
 * story totals are the same over remote shards as over one index.  The
 * collapse key leads the value, so the counts of one story's articles are
 * neighbours in byte order and a facet value counts once per story.
 */
#ifndef CYSEARCH_FACET_VALUE_H
#define CYSEARCH_FACET_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "cysearch/schema.h"
#include "cysearch/status.h"
#include "byte_buf.h"

/* ---- writing ------------------------------------------------------------ */

/* Encode the value for an article into out (cleared first): its collapse
 * key, then CYS_FACET_FIELDS fields, field[f][0..len[f]) each a list of
 * values already joined by CYS_VALUE_SEPARATOR (len 0: none). */
void facet_value_encode(buf *out, const char *key, size_t key_len,
                        const char *const field[CYS_FACET_FIELDS],
                        const size_t len[CYS_FACET_FIELDS]);

/* The value value[0..len) with the KEV marks kev ("yes", "no"; "" for
 * none, then no field is added) and ransomware ("known", "unknown", "")
 * as its last two fields, in place of any it had (kev_mark.c). */
void facet_value_with_kev(buf *out, const char *value, size_t len,
                          const char *kev, const char *ransomware);

/* ---- counting ----------------------------------------------------------- */

typedef struct facet_tally facet_tally;

/* A tally of the facet fields whose bit (1 << field) is in wanted; with
 * per_story, a facet value counts once per collapse key. */
facet_tally *facet_tally_new(unsigned wanted, int per_story);
void facet_tally_free(facet_tally *t);

/* Add one counted value: `count` matches had this value (a whole
 * CYS_SLOT_FACETS value, or only a collapse key when the search counted
 * CYS_SLOT_COLLAPSE).  Values must come in byte order, as
 * cys_mset_count_get gives them.  CYS_NOMEM is sticky. */
cys_status facet_tally_add(facet_tally *t, const char *value, size_t len,
                           uint64_t count);

/* The same for matches dated date[0..8) ("YYYYMMDD" of CYS_SLOT_DATE;
 * NULL when undated), which moves the first and last dates of the values
 * counted. */
cys_status facet_tally_add_dated(facet_tally *t, const char *value,
                                 size_t len, const char *date,
                                 uint64_t count);

/* After the last add: the number of stories (distinct collapse keys) and
 * of matches (the counts added up). */
uint64_t facet_tally_stories(const facet_tally *t);
uint64_t facet_tally_matches(const facet_tally *t);

/* After the last add: field's first `limit` values (all when it has no
 * more; SIZE_MAX for all), most frequent first (ties in byte order).
 * *values points into the tally's own array, which lives until the next
 * add or facet_tally_free; each entry's text is NUL-terminated.  Only the
 * values asked for are put in order, so asking for a few of many is
 * cheap. */
typedef struct facet_count {
  const char *value;
  uint64_t count;
  const char *first, *last; /* sort keys "YYYYMMDD", "" when undated */
} facet_count;
cys_status facet_tally_field(facet_tally *t, unsigned field, size_t limit,
                             const facet_count **values, size_t *n);

/* The collapse key of a counted value: its bytes up to the first field
 * or date separator (all of it when there is none). */
size_t facet_value_key_len(const char *value, size_t len);

/* A counted value of a dated count (cys_match_params.count_dated) split
 * into the value (*len shortened to it) and its date: "YYYYMMDD", or NULL
 * when the match is undated or value holds no date. */
const char *facet_value_split_date(const char *value, size_t *len);

#endif /* CYSEARCH_FACET_VALUE_H */
