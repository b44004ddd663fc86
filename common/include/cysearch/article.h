/*
 * article.h — the article, the unit cysearch indexes and returns, and the
 * helpers that validate its fields.
 *
 * Ownership: a cys_article borrows its strings from whoever filled it; a
 * cys_record is owned by the results that hold it (search.h).
 * Errors: CYS_BAD_INPUT for a date that is not one; no message beyond the
 * status (cys_article_id_flaw says what is wrong with an id).
 */
#ifndef CYSEARCH_ARTICLE_H
#define CYSEARCH_ARTICLE_H

#include <stddef.h>

#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One article.  Every field is a NUL-terminated UTF-8 string or NULL when
 * absent; only id is required.  The struct never owns its strings: whoever
 * fills it says how long they live. */
typedef struct cys_article {
  const char *id;
  const char *title;
  const char *date;   /* "YYYY", "YYYY-MM" or "YYYY-MM-DD" */
  const char *source; /* site host, e.g. "thehackernews.com" */
  const char *url;
  const char *body;
} cys_article;

/* The longest id, in bytes, an index can hold (it is kept as one term). */
#define CYS_ID_MAX 244

/* An article as the index stored it, decoded (search results hold one per
 * hit): the strings live as long as the record. */
typedef struct cys_record {
  cys_article article;
  size_t body_len;      /* strlen(article.body), 0 when absent */
  const char *entities; /* the entities found in it, one per line,
                           "TYPE<TAB>VALUE<TAB>LABEL<TAB>COUNT\n"; or NULL */
} cys_record;

/* Longest normalised date, "YYYY-MM-DD", plus its NUL. */
#define CYS_DATE_MAX 11

/* Normalise a date as found in input: accepts "YYYY", "YYYY-MM",
 * "YYYY-MM-DD" and ISO 8601 date-times ("2021-03-04T10:00:00Z", whose time
 * is dropped).  On success writes the date part to out and returns CYS_OK;
 * anything else (including impossible months and days) returns
 * CYS_BAD_INPUT and leaves out as "". */
CYS_API cys_status cys_date_normalize(const char *in, char out[CYS_DATE_MAX]);

/* The first character of id (valid UTF-8) that an article id may not
 * hold: white space (ASCII and Unicode: U+0085, U+00A0, U+1680,
 * U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), a control
 * character (C0, DEL, C1), which would split or forge the lines of TREC
 * run files and text results, or an invisible format character (Unicode
 * category Cf: U+00AD, U+200B..U+200F, U+202A..U+202E, U+2066..U+2069,
 * U+FEFF, ...), which would make two different ids look the same or
 * reorder a line.  Returns NULL when id has none; else a
 * static description ("a space", "a control character", ...), with the
 * byte offset of that character in *at and its code point in *code. */
CYS_API const char *cys_article_id_flaw(const char *id, size_t *at,
                                        unsigned long *code);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_ARTICLE_H */
