/*
 * query_internal.h — shared by query.c (the parser) and query_filter.c
 * (field:value filters).
 */
#ifndef CYSEARCH_QUERY_INTERNAL_H
#define CYSEARCH_QUERY_INTERNAL_H

#include <stddef.h>

#include "cysearch/query.h"

typedef enum filter_field {
  FILTER_COUNTRY,
  FILTER_AGENCY,
  FILTER_ACTOR,
  FILTER_CVE,
  FILTER_MALWARE,
  FILTER_VENDOR,
  FILTER_AGENCY_COUNTRY,
  FILTER_ACTOR_COUNTRY,
  FILTER_MALWARE_COUNTRY,
  FILTER_VENDOR_COUNTRY,
  FILTER_SOURCE,
  FILTER_SITE, /* source: as pasted from web searches; unknown ones are text */
  FILTER_YEAR,
  FILTER_DATE,
  FILTER_AFTER,
  FILTER_BEFORE,
  FILTER_FIELDS
} filter_field;

/* If s[0..n) starts with a known "field:" followed by a value, set *out and
 * return the length of "field:"; else 0. */
size_t filter_field_at(const char *s, size_t n, filter_field *out);
const char *filter_field_name(filter_field field);

/* The filter for field:value (value NUL-terminated, quotes removed).
 * CYS_BAD_QUERY with a message saying how to write it instead. */
cys_status filter_query(const cys_query_context *ctx, filter_field field,
                        const char *value, cys_query **out, char *error,
                        size_t error_size);

#endif
