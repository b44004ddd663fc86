/*
 * query_filter.c — "field:value" filters of the query language: entities
 * (country:CN, actor:"Fancy Bear"), the countries entities belong to
 * (actor-country:RU), source:/site:, and dates (year:2021,
 * date:2023-05..2023-12, after:2020, before:2021-06, period:2021-W13).
 *
 * Entity values go through the gazetteer's aliases, so country:China,
 * country:chinese and country:CN are one filter; an unknown value is an
 * error naming the closest known ones, never a filter that silently
 * matches nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cysearch/article.h"
#include "cysearch/entity_lib.h"
#include "cysearch/schema.h"
#include "analyze_internal.h"
#include "query_internal.h"
#include "query_period.h"

static const struct {
  const char *name;
  filter_field field;
} fields[] = {
    {"country", FILTER_COUNTRY},
    {"agency", FILTER_AGENCY},
    {"actor", FILTER_ACTOR},
    {"cve", FILTER_CVE},
    {"malware", FILTER_MALWARE},
    {"vendor", FILTER_VENDOR},
    {"agency-country", FILTER_AGENCY_COUNTRY},
    {"actor-country", FILTER_ACTOR_COUNTRY},
    {"malware-country", FILTER_MALWARE_COUNTRY},
    {"vendor-country", FILTER_VENDOR_COUNTRY},
    {"source", FILTER_SOURCE},
    {"site", FILTER_SITE},
    {"year", FILTER_YEAR},
    {"date", FILTER_DATE},
    {"after", FILTER_AFTER},
    {"before", FILTER_BEFORE},
    {"kev", FILTER_KEV},
    {"kev-ransomware", FILTER_KEV_RANSOMWARE},
    {"ip", FILTER_IP},
    {"indexed", FILTER_INDEXED},
    {"changed", FILTER_CHANGED},
    {"added-since", FILTER_ADDED_SINCE},
    {"story", FILTER_STORY},
    {"period", FILTER_PERIOD},
};

size_t filter_field_at(const char *s, size_t n, filter_field *out) {
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    size_t f = strlen(fields[i].name);
    if (n <= f + 1 || s[f] != ':')
      continue;
    size_t k = 0;
    while (k < f && (s[k] | 0x20) == fields[i].name[k])
      k++;
    if (k == f && s[f + 1] != ' ' && s[f + 1] != '\t') {
      *out = fields[i].field;
      return f + 1;
    }
  }
  return 0;
}

const char *filter_field_name(filter_field f) {
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (fields[i].field == f)
      return fields[i].name;
  return "?";
}

static cys_status boolean_term(const char *prefix, const char *value,
                               size_t len, cys_query **out) {
  char term[CYS_TERM_MAX + 1];
  size_t p = strlen(prefix);
  if (p + len > CYS_TERM_MAX || len == 0)
    return cys_query_new_none(out);
  memcpy(term, prefix, p);
  memcpy(term + p, value, len);
  return cys_query_new_boolean_term(term, p + len, out);
}

/* An entity value, resolved; on failure an error with suggestions. */
static cys_status entity_filter(const cys_query_context *ctx,
                                cys_entity_type type, const char *prefix,
                                int country_of, const char *value,
                                cys_query **out, char *error, size_t esize) {
  cys_entity_type lookup = country_of ? CYS_ENTITY_COUNTRY : type;
  const cys_entity *e = NULL;
  if (ctx->gazetteer)
    e = cys_gazetteer_resolve(ctx->gazetteer, lookup, value);
  /* A value no table has but the indexer found in text (an actor known by
   * its shape, TA4557, or a name an article introduced), written exactly
   * as the index holds it, as the facets and chips link to it. */
  size_t pl = strlen(prefix), vl = strlen(value);
  if (!e && !country_of && ctx->term_exists && pl + vl <= CYS_TERM_MAX) {
    char term[CYS_TERM_MAX + 1];
    memcpy(term, prefix, pl);
    memcpy(term + pl, value, vl);
    if (ctx->term_exists(ctx->term_ctx, term, pl + vl))
      return boolean_term(prefix, value, vl, out);
  }
  if (!e) {
    const cys_entity *near[3];
    size_t n = ctx->gazetteer ? cys_gazetteer_suggest(ctx->gazetteer, lookup,
                                                      value, near, 3)
                              : 0;
    int w = snprintf(error, esize, "unknown %s '%s'",
                     cys_entity_type_name(lookup), value);
    for (size_t i = 0; i < n && w > 0 && (size_t)w < esize; i++) {
      const char *sep = i == 0 ? "; did you mean " : i + 1 == n ? " or " : ", ";
      if (strcmp(near[i]->label, near[i]->value) == 0)
        w += snprintf(error + w, esize - (size_t)w, "%s%s", sep,
                      near[i]->value);
      else
        w += snprintf(error + w, esize - (size_t)w, "%s%s (%s)", sep,
                      near[i]->label, near[i]->value);
    }
    if (w > 0 && (size_t)w < esize)
      snprintf(error + w, esize - (size_t)w,
               n ? "?" : "; write a known name, alias or code, e.g. %s",
               lookup == CYS_ENTITY_COUNTRY ? "country:CN or country:China"
               : lookup == CYS_ENTITY_ACTOR ? "actor:APT28"
                                            : "its canonical name");
    return CYS_BAD_QUERY;
  }
  (void)type;
  return boolean_term(prefix, e->value, strlen(e->value), out);
}

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

/* value into out[0..size) with every typographic dash (cp_is_dash) made
 * '-', as the analyzer reads "CVE–2017–0144" in text.  Returns 0 when the
 * result does not fit. */
static int fold_dashes(const char *value, char *out, size_t size) {
  size_t len = strlen(value), o = 0;
  int fits = 1;
  for (size_t i = 0; i < len && fits;) {
    size_t n;
    int32_t c = cp_decode(value, len, i, &n);
    if (o + n >= size) {
      fits = 0;
    } else if (cp_is_dash(c)) {
      out[o++] = '-';
    } else {
      memcpy(out + o, value + i, n);
      o += n;
    }
    i += n;
  }
  out[fits ? o : 0] = '\0';
  return fits;
}

/* CVE-YYYY-NNNN in any case, typographic dashes allowed. */
static cys_status cve_filter(const char *raw, cys_query **out, char *error,
                             size_t esize) {
  char value[64];
  int folded = fold_dashes(raw, value, sizeof value);
  size_t n = strlen(value);
  char id[32];
  if (!folded || n < 13 || n > 20 || (value[0] | 0x20) != 'c' || (value[1] | 0x20) != 'v' ||
      (value[2] | 0x20) != 'e' || value[3] != '-' || !digits(value + 4, 4) ||
      value[8] != '-' || !digits(value + 9, n - 9)) {
    snprintf(error, esize,
             "cve:%s is not a CVE id; write it as cve:CVE-2021-44228", raw);
    return CYS_BAD_QUERY;
  }
  for (size_t i = 0; i <= n; i++)
    id[i] = (value[i] >= 'a' && value[i] <= 'z') ? (char)(value[i] - 32)
                                                  : value[i];
  return boolean_term("XCVE", id, n, out);
}

/* A date or partial date as the low ("00") or high ("99") end of a range
 * of sort keys. */
static int date_bound(const char *s, size_t n, int high, char key[9]) {
  char buf[CYS_DATE_MAX], norm[CYS_DATE_MAX];
  if (n == 0 || n >= sizeof buf)
    return -1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  if (cys_date_normalize(buf, norm) != CYS_OK)
    return -1;
  cys_date_sortkey(norm, key);
  size_t len = strlen(norm);
  if (high) {
    if (len < 7)
      memcpy(key + 4, "99", 2);
    if (len < 10)
      memcpy(key + 6, "99", 2);
  }
  return 0;
}

static cys_status date_error(const char *field, const char *value,
                             char *error, size_t esize) {
  snprintf(error, esize,
           "%s:%s is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, e.g. "
           "date:2023-05..2023-12, year:2021, after:2020-06, before:2022",
           field, value);
  return CYS_BAD_QUERY;
}

/* year: takes whole years only; a month or a day is for date:, which the
 * message suggests when value is a date (year:2017-05). */
static cys_status year_error(const char *value, int is_date, char *error,
                             size_t esize) {
  snprintf(error, esize,
           "year:%s is not a year; use YYYY or YYYY..YYYY, e.g. year:2021, "
           "year:2019..2021%s%s%s",
           value, is_date ? " (for months and days: date:" : "",
           is_date ? value : "", is_date ? ")" : "");
  return CYS_BAD_QUERY;
}

static cys_status date_filter(filter_field f, const char *value,
                              cys_query **out, char *error, size_t esize) {
  char lo[9], hi[9];
  const char *name = filter_field_name(f);
  size_t n = strlen(value);
  const char *dots = strstr(value, "..");
  if (f == FILTER_DATE || f == FILTER_YEAR) {
    size_t a = dots ? (size_t)(dots - value) : n;
    const char *b = dots ? dots + 2 : value;
    size_t bn = dots ? strlen(b) : n;
    /* "date:2021.." and "date:..2021" are open ranges. */
    int has_lo = a > 0, has_hi = bn > 0;
    int bad = (!has_lo && !has_hi) ||
              (has_lo && date_bound(value, a, 0, lo)) ||
              (has_hi && date_bound(b, bn, 1, hi));
    if (f == FILTER_YEAR && (bad || (has_lo && a != 4) || (has_hi && bn != 4)))
      return year_error(value, !bad, error, esize);
    if (bad)
      return date_error(name, value, error, esize);
    if (has_lo && has_hi && strcmp(lo, hi) > 0) {
      snprintf(error, esize, "%s:%s ends before it starts", name, value);
      return CYS_BAD_QUERY;
    }
    return cys_query_new_value_range(CYS_SLOT_DATE, has_lo ? lo : NULL,
                                     has_hi ? hi : NULL, out);
  }
  if (dots || date_bound(value, n, 0, lo))
    return date_error(name, value, error, esize);
  if (f == FILTER_AFTER)
    return cys_query_new_value_range(CYS_SLOT_DATE, lo, NULL, out);
  /* before:X ends just below the first key of X: decrement it as a
   * string of digits ("20210100" -> "20210099"). */
  memcpy(hi, lo, sizeof hi);
  for (int i = 7; i >= 0; i--) {
    if (hi[i] > '0') {
      hi[i]--;
      break;
    }
    hi[i] = '9';
  }
  return cys_query_new_value_range(CYS_SLOT_DATE, "00000000", hi, out);
}

/* period:KEY, a period of a timeline (query_period.h): the
 * union of its date ranges, so that it selects exactly the articles the
 * timeline counts in that period. */
static cys_status period_filter(const char *value, cys_query **out,
                                char *error, size_t esize) {
  char ranges[2][PERIOD_RANGE_MAX];
  period_unit unit;
  size_t n = 0;
  cys_query *sub[2] = {NULL, NULL};
  if (period_filters(value, &unit, ranges, &n) != 0) {
    snprintf(error, esize,
             "period:%s is not a period; use YYYY, YYYY-MM, YYYY-Www (an ISO "
             "week) or YYYY-MM-DD, e.g. period:2021-W13",
             value);
    return CYS_BAD_QUERY;
  }
  cys_status st = CYS_OK;
  for (size_t i = 0; i < n && st == CYS_OK; i++)
    st = date_filter(FILTER_DATE, ranges[i], &sub[i], error, esize);
  if (st == CYS_OK)
    st = cys_query_new_combined(CYS_OP_OR, sub, n, 0, out);
  cys_query_free(sub[0]);
  cys_query_free(sub[1]);
  return st;
}

/* kev:yes|no and kev-ransomware:known|unknown, in any case. */
static cys_status kev_filter(filter_field f, const char *value,
                             cys_query **out, char *error, size_t esize) {
  const char *a = f == FILTER_KEV ? "yes" : "known";
  const char *b = f == FILTER_KEV ? "no" : "unknown";
  const char *prefix =
      f == FILTER_KEV ? CYS_PREFIX_KEV : CYS_PREFIX_KEV_RANSOMWARE;
  const char *pick = strcasecmp(value, a) == 0   ? a
                     : strcasecmp(value, b) == 0 ? b
                                                 : NULL;
  if (!pick) {
    snprintf(error, esize,
             "%s:%s: write %s:%s or %s:%s (CVEs in CISA's Known Exploited "
             "Vulnerabilities catalogue, as marked in the index)",
             filter_field_name(f), value, filter_field_name(f), a,
             filter_field_name(f), b);
    return CYS_BAD_QUERY;
  }
  return boolean_term(prefix, pick, strlen(pick), out);
}

static cys_status source_filter(const cys_query_context *ctx,
                                const char *value, cys_query **out,
                                char *error, size_t esize) {
  char host[CYS_TERM_MAX + 1];
  const char *v = value;
  const char *scheme = strstr(v, "://");
  if (scheme)
    v = scheme + 3;
  size_t n = 0;
  while (v[n] && v[n] != '/' && n < sizeof host - 1) {
    host[n] = (v[n] >= 'A' && v[n] <= 'Z') ? (char)(v[n] + 32) : v[n];
    n++;
  }
  host[n] = '\0';
  char term[CYS_TERM_MAX + 8];
  snprintf(term, sizeof term, "%s%s", CYS_PREFIX_SOURCE, host);
  if (ctx->term_exists && !ctx->term_exists(ctx->term_ctx, term, strlen(term))) {
    /* "www.example.com" is indexed as written; try without "www." too. */
    if (strncmp(host, "www.", 4) == 0) {
      snprintf(term, sizeof term, "%s%s", CYS_PREFIX_SOURCE, host + 4);
      if (ctx->term_exists(ctx->term_ctx, term, strlen(term)))
        return boolean_term(CYS_PREFIX_SOURCE, host + 4, n - 4, out);
    }
    snprintf(error, esize,
             "no article comes from source '%s'; write the site's host name "
             "as it appears in results, e.g. source:thehackernews.com",
             host);
    return CYS_BAD_QUERY;
  }
  return boolean_term(CYS_PREFIX_SOURCE, host, n, out);
}

cys_status filter_query(const cys_query_context *ctx, filter_field f,
                        const char *value, cys_query **out, char *error,
                        size_t esize) {
  switch (f) {
  case FILTER_COUNTRY:
    return entity_filter(ctx, CYS_ENTITY_COUNTRY, "XCTY", 0, value, out,
                         error, esize);
  case FILTER_AGENCY:
    return entity_filter(ctx, CYS_ENTITY_AGENCY, "XAGY", 0, value, out, error,
                         esize);
  case FILTER_ACTOR:
    return entity_filter(ctx, CYS_ENTITY_ACTOR, "XACT", 0, value, out, error,
                         esize);
  case FILTER_MALWARE:
    return entity_filter(ctx, CYS_ENTITY_MALWARE, "XMAL", 0, value, out,
                         error, esize);
  case FILTER_VENDOR:
    return entity_filter(ctx, CYS_ENTITY_VENDOR, "XVEN", 0, value, out, error,
                         esize);
  case FILTER_AGENCY_COUNTRY:
    return entity_filter(ctx, CYS_ENTITY_AGENCY, "XLCG", 1, value, out, error,
                         esize);
  case FILTER_ACTOR_COUNTRY:
    return entity_filter(ctx, CYS_ENTITY_ACTOR, "XLCA", 1, value, out, error,
                         esize);
  case FILTER_MALWARE_COUNTRY:
    return entity_filter(ctx, CYS_ENTITY_MALWARE, "XLCM", 1, value, out,
                         error, esize);
  case FILTER_VENDOR_COUNTRY:
    return entity_filter(ctx, CYS_ENTITY_VENDOR, "XLCV", 1, value, out, error,
                         esize);
  case FILTER_CVE:
    return cve_filter(value, out, error, esize);
  case FILTER_SOURCE:
  case FILTER_SITE:
    return source_filter(ctx, value, out, error, esize);
  case FILTER_YEAR:
  case FILTER_DATE:
  case FILTER_AFTER:
  case FILTER_BEFORE:
    return date_filter(f, value, out, error, esize);
  case FILTER_KEV:
  case FILTER_KEV_RANSOMWARE:
    return kev_filter(f, value, out, error, esize);
  case FILTER_IP:
    return ioc_block_filter(ctx, value, out, error, esize);
  case FILTER_INDEXED:
  case FILTER_CHANGED:
  case FILTER_ADDED_SINCE:
  case FILTER_STORY:
    return run_filter(ctx, f, filter_field_name(f), value, out, error, esize);
  case FILTER_PERIOD:
    return period_filter(value, out, error, esize);
  case FILTER_FIELDS:
    break;
  }
  return CYS_INVALID;
}

/* The field named name (case-insensitive), or FILTER_FIELDS. */
static filter_field field_named(const char *name) {
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    const char *f = fields[i].name;
    size_t k = 0;
    while (f[k] && name[k] && (name[k] | 0x20) == f[k])
      k++;
    if (!f[k] && !name[k])
      return fields[i].field;
  }
  return FILTER_FIELDS;
}

cys_status cys_query_new_filter(const cys_query_context *ctx,
                                const char *field, const char *value,
                                cys_query **out, unsigned *group, char *error,
                                size_t error_size) {
  if (error_size)
    error[0] = '\0';
  filter_field f = field_named(field);
  if (f == FILTER_FIELDS) {
    snprintf(error, error_size,
             "unknown filter field '%s'; use country, agency, actor, cve, "
             "malware, vendor, agency-country, actor-country, "
             "malware-country, vendor-country, source, year, date, after, "
             "before, period, kev, kev-ransomware, ip, indexed, changed, "
             "added-since or story",
             field);
    return CYS_BAD_QUERY;
  }
  if (f == FILTER_SITE)
    f = FILTER_SOURCE;
  cys_query *q = NULL;
  cys_status st = filter_query(ctx, f, value, &q, error, error_size);
  if (st == CYS_OK) {
    *out = q;
    *group = (unsigned)f;
  }
  return st;
}
