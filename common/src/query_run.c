/*
 * query_run.c — the filters over indexing runs (schema.h:
 * CYS_SLOT_ADDED_RUN, CYS_SLOT_CHANGED_RUN, CYS_META_RUN_RECORD):
 *
 *   indexed:7       added by run 7          changed:7    written by run 7
 *   indexed:7..     by run 7 or later       changed:..6  last written
 *   indexed:3..5    by runs 3 to 5                       before run 7
 *   added-since:2026-12-01, added-since:2026-12-01T06:00
 *                   added by a run that started then or later (UTC)
 *
 *   story:0123456789abcdef
 *                   every copy of one story: the articles with this
 *                   near-duplicate key (CYS_SLOT_COLLAPSE), as hits give it
 *
 * Ranges are written as date: writes them; runs are the numbers
 * cysearch-index prints.  added-since: finds its first run through the
 * run records (cys_query_context.run_since), so it needs no slot of its
 * own and stays exact when runs are far apart in time.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/schema.h"
#include "query_internal.h"

/* A run number s[0..n) into *out; -1 when it is not one. */
static int run_number(const char *s, size_t n, uint64_t *out) {
  uint64_t v = 0;
  if (n == 0 || n > CYS_RUN_DIGITS)
    return -1;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  *out = v;
  return v <= CYS_RUN_MAX ? 0 : -1;
}

/* indexed:/changed: values: N, N.., ..N, A..B. */
static cys_status run_range(filter_field f, const char *name,
                            const char *value, cys_query **out, char *error,
                            size_t esize) {
  const char *dots = strstr(value, "..");
  size_t n = strlen(value);
  size_t a = dots ? (size_t)(dots - value) : n;
  const char *b = dots ? dots + 2 : value;
  size_t bn = dots ? strlen(b) : n;
  uint64_t lo = 0, hi = 0;
  int has_lo = a > 0, has_hi = bn > 0;
  if ((!has_lo && !has_hi) || (has_lo && run_number(value, a, &lo)) ||
      (has_hi && run_number(b, bn, &hi))) {
    snprintf(error, esize,
             "%s:%s is not a run or a range of runs; write the numbers of "
             "indexing runs, e.g. %s:7, %s:7.. or %s:3..5",
             name, value, name, name, name);
    return CYS_BAD_QUERY;
  }
  if (has_lo && has_hi && lo > hi) {
    snprintf(error, esize, "%s:%s ends before it starts", name, value);
    return CYS_BAD_QUERY;
  }
  char l[CYS_RUN_DIGITS + 1], h[CYS_RUN_DIGITS + 1];
  cys_run_slot_value(lo, l);
  cys_run_slot_value(hi, h);
  unsigned slot = f == FILTER_INDEXED ? CYS_SLOT_ADDED_RUN
                                      : CYS_SLOT_CHANGED_RUN;
  return cys_query_new_value_range(slot, has_lo ? l : NULL, has_hi ? h : NULL,
                                   out);
}

/* digits of s at *i, exactly n of them, into *v. */
static int take_digits(const char *s, size_t *i, size_t n, int *v) {
  *v = 0;
  for (size_t k = 0; k < n; k++, (*i)++) {
    if (!isdigit((unsigned char)s[*i]))
      return -1;
    *v = *v * 10 + (s[*i] - '0');
  }
  return 0;
}

/* "YYYY-MM-DD" with an optional "THH:MM", ":SS" and "Z" (UTC) into the
 * form of the run records, "YYYY-MM-DDTHH:MM:SSZ"; -1 when it is not. */
static int utc_time(const char *s, char out[CYS_RUN_TIME_LEN + 1]) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  size_t i = 0;
  if (take_digits(s, &i, 4, &y) || s[i++] != '-' ||
      take_digits(s, &i, 2, &mo) || s[i++] != '-' ||
      take_digits(s, &i, 2, &d))
    return -1;
  if (s[i] == 'T' || s[i] == 't' || s[i] == ' ') {
    i++;
    if (take_digits(s, &i, 2, &h) || s[i++] != ':' ||
        take_digits(s, &i, 2, &mi))
      return -1;
    if (s[i] == ':' && (i++, take_digits(s, &i, 2, &sec)))
      return -1;
  }
  if (s[i] == 'Z' || s[i] == 'z')
    i++;
  if (s[i] || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
      sec > 59)
    return -1;
  char time[64]; /* every field is in range: 20 bytes */
  snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h,
           mi, sec);
  memcpy(out, time, CYS_RUN_TIME_LEN + 1);
  return 0;
}

static cys_status added_since(const cys_query_context *ctx, const char *value,
                              cys_query **out, char *error, size_t esize) {
  char when[CYS_RUN_TIME_LEN + 1];
  if (utc_time(value, when)) {
    snprintf(error, esize,
             "added-since:%s is not a date or time; write YYYY-MM-DD or "
             "YYYY-MM-DDTHH:MM (UTC), e.g. added-since:2026-12-01 or "
             "added-since:2026-12-01T06:00",
             value);
    return CYS_BAD_QUERY;
  }
  if (!ctx->run_since) {
    snprintf(error, esize, "added-since: needs the index's run records");
    return CYS_BAD_QUERY;
  }
  uint64_t run = 0;
  cys_status st = ctx->run_since(ctx->term_ctx, when, &run);
  if (st != CYS_OK) {
    snprintf(error, esize, "added-since:%s: cannot read the index's run "
             "records", value);
    return st;
  }
  char lo[CYS_RUN_DIGITS + 1];
  cys_run_slot_value(run, lo);
  return cys_query_new_value_range(CYS_SLOT_ADDED_RUN, lo, NULL, out);
}

/* Keys are DEDUP_KEY_LEN (16) lower-case hex digits (dedup.h). */
#define STORY_KEY_LEN 16

static int story_key(const char *s, size_t n) {
  int hex = n == STORY_KEY_LEN;
  for (size_t i = 0; i < n && hex; i++)
    hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
  return hex;
}

/* story:KEY or story:KEY,KEY,...: the articles of these stories.  Locally
 * one set, checked on the documents the rest matches (db.h); over remote
 * shards, an OR of one-value ranges. */
static cys_status story(const cys_query_context *ctx, const char *value,
                        cys_query **out, char *error, size_t esize) {
  size_t len = strlen(value), n = len / (STORY_KEY_LEN + 1) + 1;
  const char **keys = calloc(n, sizeof *keys);
  size_t *lens = calloc(n, sizeof *lens);
  cys_query **ranges = calloc(n, sizeof *ranges);
  size_t k = 0;
  cys_status st = keys && lens && ranges ? CYS_OK : CYS_NOMEM;
  for (const char *p = value; st == CYS_OK && k < n;) {
    const char *comma = strchr(p, ',');
    size_t m = comma ? (size_t)(comma - p) : strlen(p);
    if (!story_key(p, m)) {
      snprintf(error, esize,
               "story:%s is not a story key; write the 16 hex digits a "
               "hit's \"story\" gives, e.g. story:0123456789abcdef (several: "
               "separated by commas)",
               value);
      st = CYS_BAD_QUERY;
      break;
    }
    keys[k] = p;
    lens[k++] = m;
    if (!comma)
      break;
    p = comma + 1;
  }
  if (st == CYS_OK && ctx->guard_positional)
    st = cys_query_new_value_set(CYS_SLOT_COLLAPSE, keys, lens, k, out);
  else if (st == CYS_OK) {
    size_t made = 0;
    for (; made < k && st == CYS_OK; made++) {
      char key[STORY_KEY_LEN + 1];
      memcpy(key, keys[made], STORY_KEY_LEN);
      key[STORY_KEY_LEN] = '\0';
      st = cys_query_new_value_range(CYS_SLOT_COLLAPSE, key, key,
                                     &ranges[made]);
    }
    if (st == CYS_OK)
      st = cys_query_new_combined(CYS_OP_OR, ranges, k, 0, out);
    for (size_t i = 0; i < made; i++)
      cys_query_free(ranges[i]);
  }
  free(keys);
  free(lens);
  free(ranges);
  return st;
}

cys_status run_filter(const cys_query_context *ctx, filter_field f,
                      const char *name, const char *value, cys_query **out,
                      char *error, size_t esize) {
  if (f == FILTER_STORY)
    return story(ctx, value, out, error, esize);
  if (f == FILTER_ADDED_SINCE)
    return added_since(ctx, value, out, error, esize);
  return run_range(f, name, value, out, error, esize);
}
