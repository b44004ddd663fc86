/*
 * facet_value.c — the CYS_SLOT_FACETS value and its tally (facet_value.h).
 *
 * The tally keeps one entry per (field, value) in an open-addressing hash
 * table.  Per story, an entry remembers the last story that counted it,
 * so a value that several copies of one story share counts once without
 * any sorting: the counted values arrive in byte order, and the collapse
 * key leads each value, so one story's values arrive together.
 */
#include "facet_value.h"

#include <stdlib.h>
#include <string.h>

#include "fnv1a.h"

void facet_value_encode(buf *out, const char *key, size_t key_len,
                        const char *const field[CYS_FACET_FIELDS],
                        const size_t len[CYS_FACET_FIELDS]) {
  out->len = 0;
  buf_append(out, key, key_len);
  for (int f = 0; f < CYS_FACET_FIELDS; f++) {
    buf_append(out, (const char[]){CYS_FIELD_SEPARATOR}, 1);
    if (len[f])
      buf_append(out, field[f], len[f]);
  }
}

void facet_value_with_kev(buf *out, const char *value, size_t len,
                          const char *kev, const char *ransomware) {
  /* the collapse key and the writer's fields, without older marks */
  const char *at = value, *end = value + len;
  for (int f = 0; f <= CYS_FACET_FIELDS && at < end; f++) {
    const char *sep = memchr(at + (f > 0), CYS_FIELD_SEPARATOR,
                             (size_t)(end - at - (f > 0)));
    at = sep ? sep : end;
  }
  out->len = 0;
  buf_append(out, value, (size_t)(at - value));
  if (*kev) {
    buf_append(out, (const char[]){CYS_FIELD_SEPARATOR}, 1);
    buf_append_str(out, kev);
    buf_append(out, (const char[]){CYS_FIELD_SEPARATOR}, 1);
    buf_append_str(out, ransomware);
  }
}

size_t facet_value_key_len(const char *value, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (value[i] == CYS_FIELD_SEPARATOR || value[i] == CYS_DATE_SEPARATOR)
      return i;
  return len;
}

const char *facet_value_split_date(const char *value, size_t *len) {
  /* The date is the last field and never longer than "YYYYMMDD". */
  for (size_t i = *len; i > 0 && *len - i <= 8; i--)
    if (value[i - 1] == CYS_DATE_SEPARATOR) {
      size_t date_len = *len - i;
      *len = i - 1;
      return date_len == 8 ? value + i : NULL;
    }
  return NULL;
}

/* The fields a tally can count. */
#define FIELDS (CYS_FACET_FIELDS + CYS_FACET_KEV_FIELDS)

typedef struct entry {
  char *value; /* NULL: an empty slot */
  size_t len;
  unsigned field;
  uint64_t count;
  uint64_t story; /* the last story (1-based) that counted it */
  char first[9], last[9]; /* sort keys of its dates; "" while undated */
} entry;

struct facet_tally {
  unsigned wanted;
  int per_story;
  cys_status status;
  entry *slots;
  size_t cap, used; /* cap: a power of two */
  uint64_t stories, matches;
  buf last_key;
  /* facet_tally_field's answers, made at its first call: every value,
   * field by field; field f's are sorted[field_start[f] ..
   * field_start[f + 1]) */
  facet_count *sorted;
  size_t field_start[FIELDS + 1];
};

facet_tally *facet_tally_new(unsigned wanted, int per_story) {
  facet_tally *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->wanted = wanted;
  t->per_story = per_story;
  t->cap = 256;
  t->slots = calloc(t->cap, sizeof *t->slots);
  if (!t->slots) {
    free(t);
    return NULL;
  }
  buf_init(&t->last_key);
  return t;
}

void facet_tally_free(facet_tally *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->cap; i++)
    free(t->slots[i].value);
  free(t->slots);
  free(t->sorted);
  buf_free(&t->last_key);
  free(t);
}

static uint64_t hash(unsigned field, const char *s, size_t len) {
  return fnv1a64_add(FNV1A64_OFFSET ^ field, s, len);
}

static entry *find_slot(entry *slots, size_t cap, unsigned field,
                        const char *s, size_t len) {
  size_t i = (size_t)hash(field, s, len) & (cap - 1);
  while (slots[i].value &&
         !(slots[i].field == field && slots[i].len == len &&
           memcmp(slots[i].value, s, len) == 0))
    i = (i + 1) & (cap - 1);
  return &slots[i];
}

static int grow(facet_tally *t) {
  size_t cap = t->cap * 2;
  entry *bigger = calloc(cap, sizeof *bigger);
  if (!bigger)
    return 0;
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i].value)
      *find_slot(bigger, cap, t->slots[i].field, t->slots[i].value,
                 t->slots[i].len) = t->slots[i];
  free(t->slots);
  t->slots = bigger;
  t->cap = cap;
  return 1;
}

static void count_value(facet_tally *t, unsigned field, const char *s,
                        size_t len, const char *date, uint64_t count) {
  if (t->used * 2 >= t->cap && !grow(t)) {
    t->status = CYS_NOMEM;
    return;
  }
  entry *e = find_slot(t->slots, t->cap, field, s, len);
  if (!e->value) {
    e->value = malloc(len + 1);
    if (!e->value) {
      t->status = CYS_NOMEM;
      return;
    }
    memcpy(e->value, s, len);
    e->value[len] = '\0';
    e->len = len;
    e->field = field;
    t->used++;
  }
  if (date && (!e->first[0] || memcmp(date, e->first, 8) < 0))
    memcpy(e->first, date, 8);
  if (date && memcmp(date, e->last, 8) > 0) /* "" sorts first */
    memcpy(e->last, date, 8);
  if (!t->per_story)
    e->count += count;
  else if (e->story != t->stories) {
    e->story = t->stories;
    e->count++;
  }
}

cys_status facet_tally_add(facet_tally *t, const char *value, size_t len,
                           uint64_t count) {
  return facet_tally_add_dated(t, value, len, NULL, count);
}

cys_status facet_tally_add_dated(facet_tally *t, const char *value,
                                 size_t len, const char *date,
                                 uint64_t count) {
  if (t->status != CYS_OK)
    return t->status;
  free(t->sorted); /* facet_tally_field's answers, now out of date */
  t->sorted = NULL;
  t->matches += count;
  size_t key_len = facet_value_key_len(value, len);
  if (t->stories == 0 || t->last_key.len != key_len ||
      memcmp(t->last_key.data, value, key_len) != 0) {
    t->stories++;
    t->last_key.len = 0;
    buf_append(&t->last_key, value, key_len);
    if (t->last_key.failed)
      return t->status = CYS_NOMEM;
  }
  const char *at = value + key_len, *end = value + len;
  for (unsigned field = 0;
       at < end && field < FIELDS; field++) {
    at++; /* the field separator */
    const char *field_end = memchr(at, CYS_FIELD_SEPARATOR, (size_t)(end - at));
    if (!field_end)
      field_end = end;
    while ((t->wanted & (1u << field)) && at < field_end) {
      const char *sep =
          memchr(at, CYS_VALUE_SEPARATOR, (size_t)(field_end - at));
      if (!sep)
        sep = field_end;
      if (sep > at)
        count_value(t, field, at, (size_t)(sep - at), date, count);
      at = sep < field_end ? sep + 1 : sep;
    }
    at = field_end;
  }
  return t->status;
}

uint64_t facet_tally_stories(const facet_tally *t) { return t->stories; }

uint64_t facet_tally_matches(const facet_tally *t) { return t->matches; }

static int by_count_then_value(const void *a, const void *b) {
  const facet_count *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(x->value, y->value);
}

/* Group every value by field, each group in facet_tally_field's order:
 * one pass over the table for all the fields a page shows, rather than
 * one per field. */
static cys_status sort_fields(facet_tally *t) {
  t->sorted = malloc((t->used ? t->used : 1) * sizeof *t->sorted);
  if (!t->sorted)
    return t->status = CYS_NOMEM;
  size_t at[FIELDS + 1] = {0};
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i].value)
      at[t->slots[i].field + 1]++;
  for (unsigned f = 0; f < FIELDS; f++)
    at[f + 1] += at[f];
  memcpy(t->field_start, at, sizeof t->field_start);
  for (size_t i = 0; i < t->cap; i++) {
    const entry *e = &t->slots[i];
    if (e->value)
      t->sorted[at[e->field]++] =
          (facet_count){e->value, e->count, e->first, e->last};
  }
  for (unsigned f = 0; f < FIELDS; f++)
    qsort(t->sorted + t->field_start[f],
          t->field_start[f + 1] - t->field_start[f], sizeof *t->sorted,
          by_count_then_value);
  return CYS_OK;
}

cys_status facet_tally_field(facet_tally *t, unsigned field,
                             const facet_count **values, size_t *n) {
  *values = NULL;
  *n = 0;
  if (t->status != CYS_OK)
    return t->status;
  if (!t->sorted && sort_fields(t) != CYS_OK)
    return t->status;
  if (field >= FIELDS)
    return CYS_OK;
  *values = t->sorted + t->field_start[field];
  *n = t->field_start[field + 1] - t->field_start[field];
  return CYS_OK;
}
