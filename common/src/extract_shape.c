/*
 * extract_shape.c — names found by their shape or context rather than by
 * an alias: threat-actor designators ("TA4557", "Storm-0558"),
 * weather-family names ("Volt Typhoon"), family names with "RAT" glued
 * on, countries' codes in a table's cells, and the operators of a
 * ransomware family ("the DarkSide gang").
 */
#include <stdlib.h>
#include <string.h>

#include "ascii_class.h"
#include "extract_designator.h"
#include "extract_internal.h"

/* Is there a candidate of this type on exactly [start, end)? */
int extract_type_covers(const cys_extractor *x, cys_entity_type type,
                        size_t start, size_t end) {
  starting_in it = candidates_starting_in(x, start, start + 1);
  for (const candidate *c; (c = next_starting_in(&it));) {
    cys_entity_type t =
        c->alias ? x->g->entities[c->alias->entity].pub.type : c->shape.type;
    /* (a name several groups share may yet be rejected: not this one) */
    if ((c->alias || c->shape.value) && t == type && c->end == end &&
        !c->rejected && !(c->alias && (c->alias->flags & ALIAS_CHOICE)))
      return 1;
  }
  return 0;
}

/* The last word ending at or before byte end, from word i. */
static size_t last_word(const cys_extractor *x, size_t i, size_t end) {
  while (i + 1 < x->nwords && x->words[i + 1].end <= end)
    i++;
  return i;
}

/* An actor found by its shape or context: the known entity of that name
 * when there is one, else a new one named value (copied). */
static void add_shape(cys_extractor *x, size_t first, size_t last,
                      const char *value, size_t n, const char *country,
                      const char *source) {
  const cys_entity *known =
      cys_gazetteer_resolve(x->g, CYS_ENTITY_ACTOR, value);
  size_t at = x->ncands;
  extract_add_candidate(x, NULL, first, last, x->words[first].start,
                        x->words[last].end);
  if (x->status)
    return;
  candidate *c = &x->cands[at];
  if (known) {
    c->shape = *known;
    return;
  }
  const char *v = extract_own(x, value, n);
  if (!v) {
    x->ncands--;
    start_index_drop_last(&x->at_start);
    return;
  }
  c->shape = (cys_entity){CYS_ENTITY_ACTOR, v, v, country, source};
}

/* Does an actor cue (or "Microsoft", who names these) stand within WINDOW
 * words of words [first, last]? */
static int actor_cue_near(const cys_extractor *x, size_t first, size_t last) {
  size_t from = first > WINDOW ? first - WINDOW : 0;
  size_t to = last + WINDOW + 1 < x->nwords ? last + WINDOW + 1 : x->nwords;
  for (size_t i = from; i < to; i++) {
    const word *w = &x->words[i];
    if (i >= first && i <= last)
      continue;
    if (stem_in(x, w, &x->g->cues[CYS_ENTITY_ACTOR]) ||
        (w->exact_len == 9 && memcmp(word_exact(x, w), "microsoft", 9) == 0))
      return 1;
  }
  return 0;
}

/* A known family's name with "RAT" glued to it ("NetwireRAT",
 * "RemcosRAT") that no alias matched: that family.  Names of one word
 * only, written as a name, not ambiguous, not in a link or file name. */
static void match_glued_rat(cys_extractor *x, size_t i) {
  const word *w = &x->words[i];
  size_t n = w->exact_len;
  if (n < 7 || memcmp(x->text + w->end - 3, "RAT", 3) != 0 ||
      w->end - w->start != n || !capitalised(x, w) ||
      extract_type_covers(x, CYS_ENTITY_MALWARE, w->start, w->end))
    return;
  uint64_t h = key_hash_word(key_hash_start(), word_exact(x, w), n - 3, 1);
  for (uint32_t a = gazetteer_first_alias(x->g, h); a != ALIAS_NONE;
       a = x->g->aliases[a].next) {
    const alias *al = &x->g->aliases[a];
    const cys_entity *e = &x->g->entities[al->entity].pub;
    if (al->hash != h || al->words != 1 || strlen(al->key) != n - 3 ||
        memcmp(al->key, word_exact(x, w), n - 3) != 0 ||
        e->type != CYS_ENTITY_MALWARE ||
        (al->flags & (ALIAS_AMBIGUOUS | ALIAS_NO_TEXT)))
      continue;
    candidate probe = {al, {0}, i, i, w->start, w->end, 0, 0, SPAN_NONE, 0, 0};
    if (extract_in_link_or_file(x, &probe))
      return;
    size_t at = x->ncands;
    extract_add_candidate(x, NULL, i, i, w->start, w->end);
    if (!x->status)
      x->cands[at].shape = *e;
    return;
  }
}

/* ---- country codes in a table's cells ----------------------------------- */

/* The byte after spaces and no-break spaces from at, going forward (dir 1)
 * or the byte before them going back (dir -1); -1 at an edge. */
static int beyond_spaces(const cys_extractor *x, size_t at, int dir) {
  for (;;) {
    if (dir > 0) {
      if (at < x->len && x->text[at] == ' ')
        at++;
      else if (at + 1 < x->len && memcmp(x->text + at, "\xc2\xa0", 2) == 0)
        at += 2;
      else
        return at < x->len ? (unsigned char)x->text[at] : -1;
    } else {
      if (at > 0 && x->text[at - 1] == ' ')
        at--;
      else if (at >= 2 && memcmp(x->text + at - 2, "\xc2\xa0", 2) == 0)
        at -= 2;
      else
        return at > 0 ? (unsigned char)x->text[at - 1] : -1;
    }
  }
}

static size_t line_start(const cys_extractor *x, size_t at) {
  while (at > 0 && x->text[at - 1] != '\n')
    at--;
  return at;
}

static size_t line_end(const cys_extractor *x, size_t at) {
  while (at < x->len && x->text[at] != '\n')
    at++;
  return at;
}

/* Does text[from, to) hold an IPv4 address or network, plain or defanged
 * ("185.140.53[.]0/24")? */
static int has_ipv4(const char *text, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    size_t at = i, groups = 0;
    while (groups < 4) {
      size_t digits = 0;
      while (at < to && ascii_is_digit(text[at]) && digits < 4)
        at++, digits++;
      if (digits == 0 || digits > 3)
        break;
      groups++;
      if (at < to && text[at] == '.')
        at++;
      else if (at + 3 <= to && memcmp(text + at, "[.]", 3) == 0)
        at += 3;
      else
        break;
    }
    if (groups >= 4 || (groups == 3 && at > i && ascii_is_digit(text[at - 1])))
      return 1;
  }
  return 0;
}

/* Is column `column` of the table whose row starts at byte row headed
 * "Country" (the table's first row)? */
static int column_says_country(const cys_extractor *x, size_t row,
                               size_t column) {
  size_t first = row;
  while (first > 0) {
    size_t prev = line_start(x, first - 1);
    if (beyond_spaces(x, prev, 1) != '|')
      break;
    first = prev;
  }
  size_t end = line_end(x, first), bars = 0, cell = first;
  for (size_t i = first; i < end && bars <= column; i++)
    if (x->text[i] == '|' && ++bars == column)
      cell = i + 1;
  if (bars < column)
    return 0;
  for (size_t i = cell; i + 7 <= end && x->text[i] != '|'; i++) {
    char w[8];
    for (size_t k = 0; k < 7; k++)
      w[k] = ascii_to_lower(x->text[i + k]);
    if (memcmp(w, "country", 7) == 0)
      return 1;
  }
  return 0;
}

/* A country's two-letter code alone in a table's cell, where the row holds
 * an IP address or network or the column is headed "Country": "| 185.140.
 * 53[.]0/24 | SE | RIPE |".  In running text a code is a word ("IT", "NO")
 * and never matched. */
static void match_table_code(cys_extractor *x, size_t i) {
  const word *w = &x->words[i];
  if (w->end - w->start != 2 || !ascii_is_upper(x->text[w->start]) ||
      !ascii_is_upper(x->text[w->start + 1]) ||
      beyond_spaces(x, w->start, -1) != '|' ||
      beyond_spaces(x, w->end, 1) != '|')
    return;
  char code[3] = {x->text[w->start], x->text[w->start + 1], '\0'};
  const cys_entity *e = cys_gazetteer_resolve(x->g, CYS_ENTITY_COUNTRY, code);
  if (!e || strcmp(e->value, code) != 0)
    return;
  size_t row = line_start(x, w->start), column = 0;
  for (size_t k = row; k < w->start; k++)
    column += x->text[k] == '|';
  if (!has_ipv4(x->text, row, line_end(x, w->end)) &&
      !column_says_country(x, row, column))
    return;
  size_t at = x->ncands;
  extract_add_candidate(x, NULL, i, i, w->start, w->end);
  if (!x->status)
    x->cands[at].shape = *e;
}

/* Designators (TA4557, Storm-0558) and weather-family names ("Volt
 * Typhoon") that no alias matched on the same words; family names with
 * "RAT" glued on; country codes in tables. */
void extract_match_shapes(cys_extractor *x) {
  for (size_t i = 0; i < x->nwords && !x->status; i++) {
    const word *w = &x->words[i];
    char value[32];
    match_glued_rat(x, i);
    match_table_code(x, i);
    size_t n = designator_at(x->text, x->len, w->start, value);
    if (n) {
      size_t last = last_word(x, i, w->start + n);
      if (x->words[last].end == w->start + n &&
          !extract_type_covers(x, CYS_ENTITY_ACTOR, w->start, w->start + n))
        add_shape(x, i, last, value, strlen(value), NULL, "shape");
      i = last;
      continue;
    }
    /* "<Name> Typhoon": two capitalised words, the second a family; an
     * unknown one needs an actor cue nearby ("Storm" alone, or a blizzard
     * in the weather news, is not an actor). */
    if (i + 1 >= x->nwords)
      break;
    const word *f = &x->words[i + 1];
    const char *country = weather_family_country(x->text + f->start,
                                                 f->end - f->start);
    if (!country || !capitalised(x, w) || !adjacent(x, w->end, f->start) ||
        extract_type_covers(x, CYS_ENTITY_ACTOR, w->start, f->end) ||
        !actor_cue_near(x, i, i + 1))
      continue;
    if (i > 0 && capitalised(x, &x->words[i - 1]) &&
        adjacent(x, x->words[i - 1].end, w->start) &&
        !extract_sentence_start(x, i - 1))
      continue; /* "Great Lakes Blizzard": part of a longer name */
    add_shape(x, i, i + 1, x->text + w->start, f->end - w->start,
              *country ? country : NULL, "shape");
  }
}

/* Words after a malware name that make it its operators ("the DarkSide
 * gang", "REvil ransomware operators"). */
static int is_exact(const cys_extractor *x, size_t i, const char *s) {
  const word *w = &x->words[i];
  return strlen(s) == w->exact_len &&
         memcmp(s, word_exact(x, w), w->exact_len) == 0;
}

static int operators_word(const cys_extractor *x, size_t i) {
  static const char *const words[] = {
      "gang",      "gangs",      "operators", "operator", "group",
      "crew",      "affiliates", "affiliate", "cartel",   "actors",
      "developers", "developer", "members",   "admins",   "leaders",
      "raas"}; /* "the DarkSide RaaS": ransomware as a service, a business */
  const word *w = &x->words[i];
  for (size_t k = 0; k < sizeof words / sizeof *words; k++)
    if (strlen(words[k]) == w->exact_len &&
        memcmp(words[k], word_exact(x, w), w->exact_len) == 0)
      return 1;
  return 0;
}

/* A ransomware operation is a gang as well as its software: where the
 * text speaks of a family's operators ("the DarkSide gang", "REvil's
 * affiliates", "the DarkSide RaaS", "DarkSide was not the only group"),
 * the name is an actor too. */
void extract_add_operators(cys_extractor *x) {
  size_t n = x->ncands;
  for (size_t i = 0; i < n && !x->status; i++) {
    const candidate *c = &x->cands[i];
    if (!c->alias || c->rejected)
      continue;
    const cys_entity *e = &x->g->entities[c->alias->entity].pub;
    size_t next = c->last + 1;
    if (e->type != CYS_ENTITY_MALWARE || next >= x->nwords)
      continue;
    /* "DarkSide's affiliates", "REvil ransomware operators" */
    if (next + 1 < x->nwords &&
        (is_exact(x, next, "s") || is_exact(x, next, "ransomware")))
      next++;
    /* "the operators of (the) DarkSide RaaS" */
    size_t before = c->first;
    if (before > 0 && is_exact(x, before - 1, "the"))
      before--;
    int operated = before >= 2 && is_exact(x, before - 1, "of") &&
                   operators_word(x, before - 2);
    /* "DarkSide was not the only group", "REvil is a gang": a copula,
     * then the gang within four words, in the same sentence */
    int said_to_be = 0;
    if (is_exact(x, c->last + 1, "was") || is_exact(x, c->last + 1, "is"))
      for (size_t k = c->last + 2;
           k < x->nwords && k <= c->last + 5 && !said_to_be &&
           !extract_sentence_start(x, k);
           k++)
        said_to_be = operators_word(x, k) && !is_exact(x, k, "raas");
    if (!(operators_word(x, next) || operated || said_to_be) ||
        extract_type_covers(x, CYS_ENTITY_ACTOR, c->start, c->end))
      continue;
    size_t at = x->ncands;
    extract_add_candidate(x, NULL, c->first, c->last, c->start, c->end);
    if (!x->status) {
      x->cands[at].shape = (cys_entity){CYS_ENTITY_ACTOR, e->value, e->value,
                                        e->country, "context"};
      x->cands[at].confirmed = x->cands[i].confirmed;
    }
  }
}
