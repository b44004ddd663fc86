/*
 * extract_internal.h — the extractor's state (entity.h), shared by the
 * files that make it up and nowhere else:
 *   extract.c          the extractor: tokens in, candidates matched
 *                      against the gazetteer's aliases, names an article
 *                      introduces, the field's end
 *   extract_context.c  whether a candidate stands as a name here: case,
 *                      cues and rejects, longer names, links and files
 *   extract_shape.c    names found by their shape or context (designators,
 *                      weather-family names, ransomware operators)
 *   extract_settle.c   overlaps settled longest first into mentions; the
 *                      cap on a field's mentions
 */
#ifndef CYSEARCH_EXTRACT_INTERNAL_H
#define CYSEARCH_EXTRACT_INTERNAL_H

#include <signal.h>
#include <stddef.h>

#include "entity_internal.h"
#include "extract_intro.h"
#include "span_set.h"
#include "start_index.h"

#define LEARNED_MAX 32 /* names an article introduces, at most */

#define WINDOW 10

/* Entities looked for under another name in a field, remembered: a name
 * several groups share is checked against at most this many (more count
 * as not named, so a field costs no more than linear time). */
#define CHOICE_MEMO 16

/* How often (in tokens or candidates) the interrupt flag is looked at. */
#define INTERRUPT_EVERY 4096

typedef struct word {
  size_t exact, stem; /* offsets into the arena */
  size_t exact_len, stem_len;
  size_t start, end;
  unsigned flags;
} word;

typedef struct candidate {
  const alias *alias; /* NULL for a CVE id or a name found by its shape */
  cys_entity shape;   /* a name found by its shape or context (value set) */
  size_t first, last; /* word indexes covered */
  size_t start, end;  /* bytes */
  int confirmed;      /* an ambiguous alias whose context was found */
  int rejected;
  size_t next_taken; /* the next candidate taken on the same span */
  size_t cve, cve_len; /* a CVE id: its folded form in the arena */
} candidate;

struct cys_extractor {
  const cys_gazetteer *g;
  int field;
  const char *text;
  size_t len;
  word *words, *wholes;
  size_t nwords, words_cap, nwholes, wholes_cap;
  char *arena;
  size_t arena_len, arena_cap;
  candidate *cands;
  size_t ncands, cands_cap;
  cys_mention *mentions;
  size_t nmentions, mentions_cap;
  char **cves; /* values made from the text (CVE ids, designators), owned
                  until reset */
  size_t ncves, cves_cap;
  uint32_t choice_entity[CHOICE_MEMO]; /* entities looked for this field */
  int choice_named[CHOICE_MEMO];        /* named otherwise in it? */
  size_t nchoices;
  intro learned[LEARNED_MAX]; /* names this article introduced */
  size_t nlearned;
  char *title;      /* a copy of field 0, for names the body introduces */
  size_t title_len;
  start_index at_start; /* the candidates gathered, by start byte */
  size_t cand_maxlen;    /* the longest candidate's bytes */
  span_set taken;  /* the spans of the candidates taken (settle) */
  size_t *scratch; /* starts of candidates; then mentions by entity */
  size_t scratch_cap;
  const volatile sig_atomic_t *interrupt; /* may be NULL */
  unsigned long ticks; /* work done since the flag was last looked at */
  cys_status status;
};

/* Count one unit of work; every INTERRUPT_EVERY, CYS_INTERRUPTED (kept in
 * x->status) when the interrupt flag is set. */
static inline int interrupted(cys_extractor *x) {
  if (++x->ticks % INTERRUPT_EVERY == 0 && x->interrupt && *x->interrupt &&
      !x->status)
    x->status = CYS_INTERRUPTED;
  return x->status == CYS_INTERRUPTED;
}

/* The candidates gathered so far that start in [from, to), through
 * x->at_start:
 *   starting_in it = candidates_starting_in(x, from, to);
 *   for (const candidate *c; (c = next_starting_in(&it));) ... */
typedef struct starting_in {
  const cys_extractor *x;
  size_t at, to; /* the start looked at, and the end of the range */
  size_t i;      /* the next value of at's chain, or START_INDEX_END */
} starting_in;

static inline starting_in candidates_starting_in(const cys_extractor *x,
                                                 size_t from, size_t to) {
  starting_in it = {x, from, to,
                    from < to ? start_index_first(&x->at_start, from)
                              : START_INDEX_END};
  return it;
}

static inline const candidate *next_starting_in(starting_in *it) {
  while (it->at < it->to) {
    while (it->i != START_INDEX_END) {
      const candidate *c = &it->x->cands[it->i];
      it->i = start_index_next(&it->x->at_start, it->i);
      if (c->start == it->at) /* a chain also holds other starts */
        return c;
    }
    if (++it->at < it->to)
      it->i = start_index_first(&it->x->at_start, it->at);
  }
  return NULL;
}

static inline const char *word_exact(const cys_extractor *x, const word *w) {
  return x->arena + w->exact;
}

static inline int stem_in(const cys_extractor *x, const word *w,
                          const cue_set *set) {
  return set->n && cue_set_has(set, x->arena + w->stem, w->stem_len);
}

static inline int capitalised(const cys_extractor *x, const word *w) {
  char c = x->text[w->start];
  return c >= 'A' && c <= 'Z';
}

/* Only spaces between byte offsets a and b. */
static inline int adjacent(const cys_extractor *x, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (x->text[i] != ' ')
      return 0;
  return a <= b;
}

/* ---- extract.c ---- */

/* Room for `need` items of `size` bytes in *items (capacity *cap,
 * doubled); -1 when memory runs out. */
int extract_grow(void **items, size_t *cap, size_t need, size_t size);
/* A copy of text[0..n) owned by the extractor until reset, or NULL (and
 * x->status) when memory runs out. */
char *extract_own(cys_extractor *x, const char *text, size_t n);
/* A candidate for alias a (NULL: a CVE id or a shape) on words
 * [first, last], bytes [start, end); x->status on failure. */
void extract_add_candidate(cys_extractor *x, const alias *a, size_t first,
                           size_t last, size_t start, size_t end);

/* ---- extract_context.c ---- */

/* Is word i the start of a sentence? */
int extract_sentence_start(const cys_extractor *x, size_t i);
/* Is the candidate part of a URL, a path, a file or host name or a
 * handle rather than a name in the text? */
int extract_in_link_or_file(const cys_extractor *x, const candidate *c);
/* Confirm or reject candidate c by its context (the checks listed in
 * extract.c); language: the cue words of a language ("speaking"). */
void extract_check_candidate(cys_extractor *x, candidate *c,
                             const cue_set *language);

/* ---- extract_shape.c ---- */

/* Is there a candidate of this type on exactly [start, end)? */
int extract_type_covers(const cys_extractor *x, cys_entity_type type,
                        size_t start, size_t end);
/* Candidates for designators and weather-family names no alias matched. */
void extract_match_shapes(cys_extractor *x);
/* Candidates for the operators of ransomware families ("the DarkSide
 * gang"). */
void extract_add_operators(cys_extractor *x);

/* ---- extract_settle.c ---- */

/* Settle overlaps among the candidates (sorting them longest first) into
 * x->mentions, added in text order. */
void extract_settle(cys_extractor *x);
/* Sort x->mentions[from..] into text order. */
void extract_sort_mentions(cys_extractor *x, size_t from);
/* Keep at most CYS_EXTRACT_MAX_MENTIONS of the mentions from `from` on. */
void extract_cap_mentions(cys_extractor *x, size_t from);

#endif
