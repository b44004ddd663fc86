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

/* One counted (field, value).  Entries sit in the order first counted, in
 * one array; the hash table holds their indexes, so growing it moves 8
 * bytes per slot and zeroes no entry, and the texts sit in one buffer. */
typedef struct entry {
  size_t text; /* offset of the NUL-terminated value in the tally's text */
  size_t len;
  unsigned field;
  uint64_t count;
  uint64_t story;         /* the last story (1-based) that counted it */
  char first[9], last[9]; /* sort keys of its dates; "" while undated */
} entry;

typedef struct slot {
  uint32_t hash;  /* the value's hash, low bits: most probes end here */
  uint32_t entry; /* 1 + its index in entries; 0: an empty slot */
} slot;

struct facet_tally {
  unsigned wanted;
  int per_story;
  cys_status status;
  slot *slots;
  size_t cap; /* a power of two */
  entry *entries;
  size_t used, entries_cap;
  buf text;
  uint64_t stories, matches;
  buf last_key;
  /* facet_tally_field's answers, made at its first call: every value,
   * field by field (field f's are sorted[field_start[f] ..
   * field_start[f + 1])), of which the first ranked[f] are in its order */
  facet_count *sorted;
  size_t field_start[FIELDS + 1];
  size_t ranked[FIELDS];
};

facet_tally *facet_tally_new(unsigned wanted, int per_story) {
  facet_tally *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->wanted = wanted;
  t->per_story = per_story;
  t->cap = 1024;
  t->slots = calloc(t->cap, sizeof *t->slots);
  if (!t->slots) {
    free(t);
    return NULL;
  }
  buf_init(&t->text);
  buf_init(&t->last_key);
  return t;
}

void facet_tally_free(facet_tally *t) {
  if (!t)
    return;
  free(t->slots);
  free(t->entries);
  free(t->sorted);
  buf_free(&t->text);
  buf_free(&t->last_key);
  free(t);
}

static uint64_t hash(unsigned field, const char *s, size_t len) {
  return fnv1a64_add(FNV1A64_OFFSET ^ field, s, len);
}

/* The slot of (field, s[0..len)) with hash h: its entry's, or the empty
 * slot where it belongs. */
static slot *find_slot(const facet_tally *t, unsigned field, const char *s,
                       size_t len, uint32_t h) {
  size_t i = h & (t->cap - 1);
  for (;; i = (i + 1) & (t->cap - 1)) {
    slot *sl = &t->slots[i];
    if (!sl->entry)
      return sl;
    if (sl->hash != h)
      continue;
    const entry *e = &t->entries[sl->entry - 1];
    if (e->field == field && e->len == len &&
        memcmp(t->text.data + e->text, s, len) == 0)
      return sl;
  }
}

static int grow(facet_tally *t) {
  size_t cap = t->cap * 2;
  slot *bigger = calloc(cap, sizeof *bigger);
  if (!bigger)
    return 0;
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i].entry) {
      size_t k = t->slots[i].hash & (cap - 1);
      while (bigger[k].entry)
        k = (k + 1) & (cap - 1);
      bigger[k] = t->slots[i];
    }
  free(t->slots);
  t->slots = bigger;
  t->cap = cap;
  return 1;
}

/* A new entry for (field, s[0..len)) in sl; NULL when memory ran out. */
static entry *add_entry(facet_tally *t, slot *sl, uint32_t h, unsigned field,
                        const char *s, size_t len) {
  if (t->used == t->entries_cap) {
    size_t cap = t->entries_cap ? 2 * t->entries_cap : 256;
    entry *more = realloc(t->entries, cap * sizeof *more);
    if (!more)
      return NULL;
    t->entries = more;
    t->entries_cap = cap;
  }
  size_t text = t->text.len;
  buf_append(&t->text, s, len);
  buf_append(&t->text, "", 1); /* each value NUL-terminated */
  if (t->text.failed)
    return NULL;
  entry *e = &t->entries[t->used++];
  *e = (entry){.text = text, .len = len, .field = field};
  *sl = (slot){h, (uint32_t)t->used};
  return e;
}

static void count_value(facet_tally *t, unsigned field, const char *s,
                        size_t len, const char *date, uint64_t count) {
  /* one in two slots free at most; 2^32 - 1 entries at most */
  if ((t->used * 2 >= t->cap && !grow(t)) || t->used >= UINT32_MAX) {
    t->status = CYS_NOMEM;
    return;
  }
  uint32_t h = (uint32_t)hash(field, s, len);
  slot *sl = find_slot(t, field, s, len, h);
  entry *e = sl->entry ? &t->entries[sl->entry - 1]
                       : add_entry(t, sl, h, field, s, len);
  if (!e) {
    t->status = CYS_NOMEM;
    return;
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

/* a ranks before b: more frequent, or as frequent and first in byte
 * order. */
static int ranks_before(const facet_count *a, const facet_count *b) {
  if (a->count != b->count)
    return a->count > b->count;
  return strcmp(a->value, b->value) < 0;
}

static int by_rank(const void *a, const void *b) {
  return ranks_before(a, b) ? -1 : ranks_before(b, a) ? 1 : 0;
}

/* Group every value by field (facet_tally_field ranks each group when
 * asked): one pass over the entries for all the fields a page shows. */
static cys_status group_fields(facet_tally *t) {
  t->sorted = malloc((t->used ? t->used : 1) * sizeof *t->sorted);
  if (!t->sorted)
    return t->status = CYS_NOMEM;
  size_t at[FIELDS + 1] = {0};
  for (size_t i = 0; i < t->used; i++)
    at[t->entries[i].field + 1]++;
  for (unsigned f = 0; f < FIELDS; f++)
    at[f + 1] += at[f];
  memcpy(t->field_start, at, sizeof t->field_start);
  memset(t->ranked, 0, sizeof t->ranked);
  for (size_t i = 0; i < t->used; i++) {
    const entry *e = &t->entries[i];
    t->sorted[at[e->field]++] =
        (facet_count){t->text.data + e->text, e->count, e->first, e->last};
  }
  return CYS_OK;
}

/* Restore the heap below v[i] (of n), whose root ranks last. */
static void sift_down(facet_count *v, size_t n, size_t i) {
  for (;;) {
    size_t last = i, l = 2 * i + 1, r = l + 1;
    if (l < n && ranks_before(&v[last], &v[l]))
      last = l;
    if (r < n && ranks_before(&v[last], &v[r]))
      last = r;
    if (last == i)
      return;
    facet_count tmp = v[i];
    v[i] = v[last];
    v[last] = tmp;
    i = last;
  }
}

/* Put the k first-ranked of v[0..n) at its front, in rank order (the rest
 * in no order): a page shows the first few of thousands of values, and
 * keeping the k best in a heap costs about n comparisons, not n log n. */
static void rank_first(facet_count *v, size_t n, size_t k) {
  if (k < n && k < n / 4) {
    for (size_t i = k / 2; i-- > 0;) /* a heap of the first k, last on top */
      sift_down(v, k, i);
    for (size_t i = k; i < n; i++)
      if (ranks_before(&v[i], &v[0])) {
        facet_count tmp = v[0];
        v[0] = v[i];
        v[i] = tmp;
        sift_down(v, k, 0);
      }
    n = k;
  }
  qsort(v, n, sizeof *v, by_rank);
}

cys_status facet_tally_field(facet_tally *t, unsigned field, size_t limit,
                             const facet_count **values, size_t *n) {
  *values = NULL;
  *n = 0;
  if (t->status != CYS_OK)
    return t->status;
  if (!t->sorted && group_fields(t) != CYS_OK)
    return t->status;
  if (field >= FIELDS)
    return CYS_OK;
  facet_count *v = t->sorted + t->field_start[field];
  size_t all = t->field_start[field + 1] - t->field_start[field];
  size_t k = limit < all ? limit : all;
  if (k > t->ranked[field] && k > 0) {
    rank_first(v, all, k);
    t->ranked[field] = k;
  }
  *values = v;
  *n = k;
  return CYS_OK;
}
