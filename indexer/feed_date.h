/*
 * feed_date.h — the dates of feed items (RSS pubDate, dc:date, Atom
 * published/updated) to cysearch's normalised form, in UTC.
 *
 * Feeds give instants, with their time zone, so the day stored is the
 * day in UTC (as feed readers report it):
 *   - RFC 3339 / ISO 8601: "2024-03-05T23:30:00.123-05:00" gives
 *     "2024-03-06"; a zone "Z", "+hh:mm", "+hhmm" or "+hh"; fractions of a
 *     second are ignored; a date-time without a zone is taken as written;
 *   - RFC 822 / 2822: "Tue, 05 Mar 2024 23:30:00 EST" (weekday optional,
 *     seconds optional, two-digit years as RFC 2822 says: below 50 in the
 *     2000s), zones UT, UTC, GMT, Z, the North American EST/EDT, CST/CDT,
 *     MST/MDT, PST/PDT, and "+hhmm" / "-hhmm";
 *   - anything else loose_date.h reads (the time, if any, is dropped).
 */
#ifndef CYSEARCH_INDEXER_FEED_DATE_H
#define CYSEARCH_INDEXER_FEED_DATE_H

#include "cysearch/article.h"

/* Normalise the NUL-terminated s.  Returns 0 and fills out, or -1 and
 * sets out to "". */
int feed_date_parse(const char *s, char out[CYS_DATE_MAX]);

#endif
