/*
 * loose_date.h — publication dates as pages and feeds write them, turned
 * into cysearch's normalised form ("YYYY", "YYYY-MM" or "YYYY-MM-DD").
 *
 * Accepted, with surrounding spaces:
 *   - everything cys_date_normalize accepts (ISO dates and date-times);
 *   - "YYYY/MM/DD" and "YYYY.MM.DD";
 *   - English month names, full or abbreviated: "March 5, 2024",
 *     "Mar. 5th 2024", "5 March 2024", "March 2024", and RFC 2822 dates
 *     such as "Tue, 05 Mar 2024 10:00:00 +0000" (a weekday, the words
 *     "published", "posted", "updated", "on", "date" and a time after the
 *     year are allowed).
 * Anything else, including a sentence that merely contains a date, is
 * refused, so that a body line is never mistaken for a date line.
 */
#ifndef CYSEARCH_INDEXER_LOOSE_DATE_H
#define CYSEARCH_INDEXER_LOOSE_DATE_H

#include <stddef.h>

#include "cysearch/article.h"

/* Normalise s[0..len) (need not be NUL-terminated).  Returns 0 and fills
 * out, or -1 and sets out to "". */
int loose_date_parse(const char *s, size_t len, char out[CYS_DATE_MAX]);

#endif
