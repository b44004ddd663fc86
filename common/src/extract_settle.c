/*
 * extract_settle.c — candidates to mentions: overlaps settled longest
 * first (on the same words, an ambiguous alias whose context is confirmed
 * wins), each candidate looked up among the spans taken so far
 * (span_set.h), so a field costs O(n log n) in its candidates; and the cap
 * of CYS_EXTRACT_MAX_MENTIONS mentions a field.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* Is c the country of agency o, named inside o's name ("Germany's
 * Federal Intelligence Service")?  The article names that country too. */
static int country_of_agency_inside(const cys_extractor *x, const candidate *o,
                                    const candidate *c) {
  if (!o->alias || !c->alias || c->start < o->start || c->end > o->end)
    return 0;
  const cys_entity *agency = &x->g->entities[o->alias->entity].pub;
  const cys_entity *country = &x->g->entities[c->alias->entity].pub;
  return agency->type == CYS_ENTITY_AGENCY &&
         country->type == CYS_ENTITY_COUNTRY && agency->country &&
         strcmp(agency->country, country->value) == 0;
}

/* Longest first; on equal length, earlier first. */
static int by_length(const void *p, const void *q) {
  const candidate *a = p, *b = q;
  size_t la = a->end - a->start, lb = b->end - b->start;
  if (la != lb)
    return la > lb ? -1 : 1;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return b->confirmed - a->confirmed;
}

static void add_mention(cys_extractor *x, const candidate *c) {
  const cys_gazetteer *g = x->g;
  if (extract_grow((void **)&x->mentions, &x->mentions_cap, x->nmentions + 1,
                   sizeof *x->mentions)) {
    x->status = CYS_NOMEM;
    return;
  }
  cys_mention *m = &x->mentions[x->nmentions];
  m->field = x->field;
  m->start = c->start;
  m->end = c->end;
  const cys_entity *e = c->alias ? &g->entities[c->alias->entity].pub
                       : c->shape.value ? &c->shape
                                        : NULL;
  if (e) {
    m->type = e->type;
    m->value = e->value;
    m->label = e->label;
    m->country = e->country;
    m->source = e->source;
  } else {
    /* The analyzer's form, not the text: "CVE–2018–17456" (en dashes)
     * and "cve-2018-17456" are both CVE-2018-17456. */
    char *v = extract_own(x, x->arena + c->cve, c->cve_len);
    if (!v)
      return;
    for (char *p = v; *p; p++)
      if (*p >= 'a' && *p <= 'z')
        *p = (char)(*p - 32);
    m->type = CYS_ENTITY_CVE;
    m->value = m->label = v;
    m->country = NULL;
    m->source = "shape";
  }
  x->nmentions++;
}

static int by_position(const void *p, const void *q) {
  const cys_mention *a = p, *b = q;
  if (a->field != b->field)
    return a->field - b->field;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return (int)a->type - (int)b->type;
}

/* Does a candidate taken on c's very words block c?  The same words may
 * name entities of different types, unless a confirmed ambiguous reading
 * took them. */
static int blocked_by(const candidate *o, const candidate *c) {
  return o->confirmed != c->confirmed ||
         (o->alias && c->alias && o->alias->entity == c->alias->entity);
}

/* Settle overlaps among the candidates, sorted by by_length: each is
 * taken (becomes a mention) unless a candidate taken before it overlaps
 * it, other than one on the same words that does not block it.  The
 * spans taken are thus disjoint (equal spans count as one), so one
 * lookup in x->taken finds the only span that can overlap. */
static void settle_sorted(cys_extractor *x) {
  if (extract_grow((void **)&x->scratch, &x->scratch_cap, x->ncands,
                   sizeof *x->scratch)) {
    x->status = CYS_NOMEM;
    return;
  }
  for (size_t i = 0; i < x->ncands; i++)
    x->scratch[i] = x->cands[i].start;
  if (span_set_reset(&x->taken, x->scratch, x->ncands)) {
    x->status = CYS_NOMEM;
    return;
  }
  /* by slot, the last candidate taken on its span (a chain through
   * next_taken) */
  size_t *taken_on = x->scratch;
  for (size_t k = 0; k < x->taken.n; k++)
    taken_on[k] = SPAN_NONE;
  for (size_t i = 0; i < x->ncands && !x->status && !interrupted(x); i++) {
    candidate *c = &x->cands[i];
    if (c->rejected)
      continue;
    size_t slot = span_set_overlapping(&x->taken, c->start, c->end);
    int blocked = slot != SPAN_NONE &&
                  (span_set_start(&x->taken, slot) != c->start ||
                   span_set_end(&x->taken, slot) != c->end);
    /* A country named inside its own agency's name ("Germany's Federal
     * Intelligence Service") is a mention of its own, taken without
     * claiming the agency's span. */
    int inside_agency = 0;
    for (size_t o = slot == SPAN_NONE ? SPAN_NONE : taken_on[slot];
         o != SPAN_NONE && !inside_agency; o = x->cands[o].next_taken)
      inside_agency = country_of_agency_inside(x, &x->cands[o], c);
    if (inside_agency) {
      add_mention(x, c);
      continue;
    }
    for (size_t o = slot == SPAN_NONE ? SPAN_NONE : taken_on[slot];
         o != SPAN_NONE && !blocked; o = x->cands[o].next_taken)
      blocked = blocked_by(&x->cands[o], c);
    if (blocked) {
      c->rejected = 1;
      continue;
    }
    add_mention(x, c);
    if (slot == SPAN_NONE) {
      slot = span_set_slot(&x->taken, c->start);
      span_set_take(&x->taken, slot, c->end);
    }
    c->next_taken = taken_on[slot];
    taken_on[slot] = i;
  }
}

void extract_sort_mentions(cys_extractor *x, size_t from) {
  if (x->nmentions - from > 1)
    qsort(x->mentions + from, x->nmentions - from, sizeof *x->mentions,
          by_position);
}

void extract_settle(cys_extractor *x) {
  if (x->ncands > 1)
    qsort(x->cands, x->ncands, sizeof *x->cands, by_length);
  size_t before = x->nmentions;
  settle_sorted(x);
  if (!x->status)
    extract_sort_mentions(x, before);
}

/* One mention of the field, for cap_mentions. */
typedef struct named {
  cys_entity_type type;
  const char *value;
  size_t at; /* index among the field's mentions */
} named;

/* Mentions of one entity next to each other, the earliest first. */
static int by_entity(const void *p, const void *q) {
  const named *a = p, *b = q;
  if (a->type != b->type)
    return (int)a->type - (int)b->type;
  int v = strcmp(a->value, b->value);
  if (v)
    return v;
  return a->at < b->at ? -1 : a->at > b->at;
}

/* Keep at most CYS_EXTRACT_MAX_MENTIONS of the field's mentions (those
 * from `from` on, in text order): the first ones, and after them only the
 * first mention of each entity not mentioned before, so that every
 * entity named still tags the article. */
void extract_cap_mentions(cys_extractor *x, size_t from) {
  size_t n = x->nmentions - from;
  if (n <= CYS_EXTRACT_MAX_MENTIONS)
    return;
  cys_mention *m = x->mentions + from;
  named *e = malloc(n * sizeof *e);
  unsigned char *keep = malloc(n);
  if (!e || !keep) {
    x->status = CYS_NOMEM;
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    e[i] = (named){m[i].type, m[i].value, i};
    keep[i] = i < CYS_EXTRACT_MAX_MENTIONS;
  }
  qsort(e, n, sizeof *e, by_entity);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || e[i].type != e[i - 1].type ||
        strcmp(e[i].value, e[i - 1].value) != 0)
      keep[e[i].at] = 1;
  size_t kept = 0;
  for (size_t i = 0; i < n; i++)
    if (keep[i])
      m[kept++] = m[i];
  x->nmentions = from + kept;
done:
  free(e);
  free(keep);
}
