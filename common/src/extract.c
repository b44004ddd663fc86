/*
 * extract.c — finding entities in text (see entity.h).
 *
 * The extractor sees the analyzer's tokens for one field.  Word tokens
 * (whole identifiers left out, their parts kept) are matched against alias
 * keys, longest first, with a hash of the words so far and the gazetteer's
 * prefix set to stop early; whole identifiers are matched alone ("apt28"
 * from "APT 28" or "APT-28") and checked for CVE ids.  Each candidate then
 * passes these checks:
 *   - a case-sensitive alias must match the original text exactly ("US",
 *     not "us");
 *   - an ambiguous alias written with a capital must be capitalised in the
 *     text ("Target", not "target"); it needs a cue word within WINDOW
 *     words and no reject word (its rule in context.tsv, or its type's
 *     usual cues; an agency's cue is its own country named nearby); and it
 *     must not be part of a longer capitalised name ("Jordan Reyes",
 *     "Georgia Tech", "Redline Weekly");
 *   - a country followed by "speaking" or "language" is about language
 *     ("Russian-speaking"), not a country.
 * Overlaps are settled longest first; on the same words, an ambiguous
 * alias whose context is confirmed wins ("Cuba ransomware" is malware).
 * Settling looks each candidate up among the spans taken so far
 * (span_set.h), so a field costs O(n log n) in its candidates, however
 * dense; and a field keeps at most CYS_EXTRACT_MAX_MENTIONS mentions.
 *
 * This file takes the tokens, matches aliases and runs the steps of a
 * field; the checks are extract_context.c, names found by their shape
 * extract_shape.c, the settling extract_settle.c (extract_internal.h).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "extract_designator.h"
#include "extract_internal.h"

cys_status cys_extractor_new(const cys_gazetteer *g, cys_extractor **out) {
  cys_status st = gazetteer_build((cys_gazetteer *)g); /* a lazy one's */
  if (st != CYS_OK)
    return st;
  cys_extractor *x = calloc(1, sizeof *x);
  if (!x)
    return CYS_NOMEM;
  x->g = g;
  *out = x;
  return CYS_OK;
}

void cys_extractor_reset(cys_extractor *x) {
  for (size_t i = 0; i < x->ncves; i++)
    free(x->cves[i]);
  x->ncves = 0;
  x->nmentions = 0;
  x->nlearned = 0;
  free(x->title);
  x->title = NULL;
  x->title_len = 0;
  x->status = CYS_OK;
}

void cys_extractor_free(cys_extractor *x) {
  if (!x)
    return;
  cys_extractor_reset(x);
  free(x->cves);
  free(x->words);
  free(x->wholes);
  free(x->arena);
  free(x->cands);
  free(x->mentions);
  span_set_free(&x->taken);
  start_index_free(&x->at_start);
  free(x->scratch);
  free(x);
}

void cys_extractor_set_interrupt(cys_extractor *x,
                                 const volatile sig_atomic_t *flag) {
  x->interrupt = flag;
}

void cys_extractor_begin_field(cys_extractor *x, int field, const char *text,
                               size_t len) {
  x->field = field;
  x->text = text;
  x->len = len;
  x->nwords = x->nwholes = x->arena_len = x->ncands = x->nchoices = 0;
  start_index_clear(&x->at_start);
  x->cand_maxlen = 0;
}

static size_t keep(cys_extractor *x, const char *s, size_t n) {
  if (extract_grow((void **)&x->arena, &x->arena_cap, x->arena_len + n, 1)) {
    x->status = CYS_NOMEM;
    return 0;
  }
  size_t at = x->arena_len;
  memcpy(x->arena + at, s, n);
  x->arena_len += n;
  return at;
}

cys_status cys_extractor_token(cys_extractor *x, const cys_token *t) {
  if (x->status || interrupted(x))
    return x->status;
  int whole = (t->flags & CYS_TOKEN_WHOLE) != 0;
  word **list = whole ? &x->wholes : &x->words;
  size_t *n = whole ? &x->nwholes : &x->nwords;
  size_t *cap = whole ? &x->wholes_cap : &x->words_cap;
  if (extract_grow((void **)list, cap, *n + 1, sizeof **list))
    return x->status = CYS_NOMEM;
  word *w = &(*list)[*n];
  w->exact = keep(x, t->exact, t->exact_len);
  w->exact_len = t->exact_len;
  w->stem = keep(x, t->stem, t->stem_len);
  w->stem_len = t->stem_len;
  w->start = t->start;
  w->end = t->end;
  w->flags = t->flags;
  if (!x->status)
    ++*n;
  return x->status;
}

/* ---- candidates ---------------------------------------------------------- */

/* Aliases whose key is words[i..i+k], for every k. */
static void match_words(cys_extractor *x, size_t i) {
  const cys_gazetteer *g = x->g;
  char key[512];
  size_t key_len = 0;
  uint64_t h = key_hash_start();
  for (size_t k = 0; k < ALIAS_MAX_WORDS && i + k < x->nwords; k++) {
    const word *w = &x->words[i + k];
    h = key_hash_word(h, word_exact(x, w), w->exact_len, k == 0);
    if (!gazetteer_is_prefix(g, h))
      return;
    if (key_len + w->exact_len + 2 > sizeof key)
      return;
    if (k)
      key[key_len++] = ' ';
    memcpy(key + key_len, word_exact(x, w), w->exact_len);
    key_len += w->exact_len;
    key[key_len] = '\0';
    for (uint32_t a = gazetteer_first_alias(g, h); a != ALIAS_NONE;
         a = g->aliases[a].next) {
      const alias *al = &g->aliases[a];
      if (al->hash == h && !(al->flags & ALIAS_NO_TEXT) &&
          strcmp(al->key, key) == 0)
        extract_add_candidate(x, al, i, i + k, x->words[i].start, w->end);
    }
  }
}

/* The words inside [start, end).  Words come in text order, so those
 * starting at or after start are found by bisection. */
static void words_within(const cys_extractor *x, size_t start, size_t end,
                         size_t *first, size_t *last) {
  size_t lo = 0, hi = x->nwords;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->words[mid].start < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t f = x->nwords, l = 0;
  for (size_t i = lo; i < x->nwords && x->words[i].start < end; i++)
    if (x->words[i].end <= end) {
      if (f == x->nwords)
        f = i;
      l = i;
    }
  *first = f == x->nwords ? 0 : f;
  *last = f == x->nwords ? 0 : l;
}

static int is_cve(const char *s, size_t n) {
  if (n < 13 || memcmp(s, "cve-", 4) != 0 || s[8] != '-')
    return 0;
  for (size_t i = 4; i < n; i++)
    if (i != 8 && (s[i] < '0' || s[i] > '9'))
      return 0;
  return n - 9 >= 4 && n - 9 <= 7;
}

static void match_whole(cys_extractor *x, const word *w) {
  const cys_gazetteer *g = x->g;
  const char *s = word_exact(x, w);
  size_t first, last;
  words_within(x, w->start, w->end, &first, &last);
  if (is_cve(s, w->exact_len)) {
    extract_add_candidate(x, NULL, first, last, w->start, w->end);
    if (x->status == CYS_OK) {
      x->cands[x->ncands - 1].cve = w->exact;
      x->cands[x->ncands - 1].cve_len = w->exact_len;
    }
    return;
  }
  uint64_t h = key_hash_word(key_hash_start(), s, w->exact_len, 1);
  for (uint32_t a = gazetteer_first_alias(g, h); a != ALIAS_NONE;
       a = g->aliases[a].next) {
    const alias *al = &g->aliases[a];
    if (al->hash == h && !(al->flags & ALIAS_NO_TEXT) &&
        strlen(al->key) == w->exact_len &&
        memcmp(al->key, s, w->exact_len) == 0)
      extract_add_candidate(x, al, first, last, w->start, w->end);
  }
}

/* ---- names the article introduces (extract_intro.c) ---------------------- */

/* Does a checked candidate (an entity or a CVE id) overlap [start, end)? */
static int known_overlaps(const cys_extractor *x, size_t start, size_t end) {
  /* a candidate overlapping [start, end) starts at most cand_maxlen - 1
   * bytes before it */
  size_t from = start >= x->cand_maxlen ? start - x->cand_maxlen + 1 : 0;
  starting_in it = candidates_starting_in(x, from, end);
  for (const candidate *c; (c = next_starting_in(&it));)
    if (!c->rejected && start < c->end)
      return 1; /* any entity, a CVE id too */
  return 0;
}

static void learn(cys_extractor *x, const intro *in) {
  for (size_t i = 0; i < x->nlearned; i++)
    if (x->learned[i].type == in->type &&
        strcmp(x->learned[i].name, in->name) == 0)
      return;
  if (x->nlearned < LEARNED_MAX)
    x->learned[x->nlearned++] = *in;
}

/* Learn the names this field introduces ("a loader dubbed X") unless they
 * are known, then make every mention of a learned name in the field a
 * candidate (source "context"). */
static void match_introduced(cys_extractor *x) {
  intro in;
  size_t from = 0, next;
  while (from < x->len && intro_find(x->text, x->len, from, &in, &next)) {
    from = next;
    if (!known_overlaps(x, in.start, in.end))
      learn(x, &in);
  }
  for (size_t l = 0; l < x->nlearned && !x->status; l++) {
    const intro *n = &x->learned[l];
    for (size_t at = 0; at < x->len; at++) {
      if (x->text[at] != n->name[0] ||
          !intro_name_at(x->text, x->len, at, n->name))
        continue;
      size_t end = at + strlen(n->name), first, last;
      words_within(x, at, end, &first, &last);
      if (first >= x->nwords || x->words[first].start < at ||
          x->words[first].end > end || extract_type_covers(x, n->type, at, end))
        continue;
      size_t c = x->ncands;
      extract_add_candidate(x, NULL, first, last, at, end);
      if (x->status)
        return;
      x->cands[c].shape =
          (cys_entity){n->type, n->name, n->name, NULL, "context"};
    }
  }
}

/* Mentions, in the title kept from field 0, of the names this field
 * introduced (learned[known..]): the article's title often names what its
 * body introduces.  The title is kept from its own end_field. */
static void mention_in_title(cys_extractor *x, size_t known) {
  if (x->field == 0 && !x->title && x->len) {
    x->title = malloc(x->len);
    if (!x->title) {
      x->status = CYS_NOMEM;
      return;
    }
    memcpy(x->title, x->text, x->len);
    x->title_len = x->len;
    return;
  }
  size_t added = 0;
  for (size_t l = known; x->field > 0 && x->title && l < x->nlearned; l++) {
    const intro *n = &x->learned[l];
    size_t nl = strlen(n->name);
    for (size_t at = 0; at < x->title_len; at++) {
      if (!intro_name_at(x->title, x->title_len, at, n->name))
        continue;
      int taken = 0;
      for (size_t i = 0; i < x->nmentions && !taken; i++) {
        const cys_mention *m = &x->mentions[i];
        taken = m->field == 0 && m->start < at + nl && at < m->end;
      }
      if (taken || extract_grow((void **)&x->mentions, &x->mentions_cap,
                                x->nmentions + 1, sizeof *x->mentions)) {
        x->status = taken ? x->status : CYS_NOMEM;
        continue;
      }
      x->mentions[x->nmentions++] = (cys_mention){
          n->type, n->name, n->name, NULL, "context", 0, at, at + nl};
      added++;
    }
  }
  if (added)
    extract_sort_mentions(x, 0);
}

cys_status cys_extractor_end_field(cys_extractor *x) {
  if (x->status)
    return x->status;
  for (size_t i = 0; i < x->nwords && !x->status && !interrupted(x); i++)
    match_words(x, i);
  for (size_t i = 0; i < x->nwholes && !x->status && !interrupted(x); i++)
    match_whole(x, &x->wholes[i]);
  extract_match_shapes(x);
  if (x->status)
    return x->status;
  /* Stems that make a country word mean a language. */
  static char speak[] = "speak", languag[] = "languag";
  char *language_stems[] = {speak, languag};
  cue_set language = {language_stems, 2, 2};
  for (size_t i = 0; i < x->ncands && !interrupted(x); i++)
    extract_check_candidate(x, &x->cands[i], &language);
  extract_add_operators(x);
  size_t known = x->nlearned;
  match_introduced(x);
  if (x->status)
    return x->status;
  size_t before = x->nmentions;
  extract_settle(x);
  if (!x->status)
    extract_cap_mentions(x, before);
  if (!x->status)
    mention_in_title(x, known);
  return x->status;
}

static int feed(void *ctx, const cys_token *t) {
  return cys_extractor_token(ctx, t) != CYS_OK;
}

cys_status cys_extractor_field(cys_extractor *x, cys_analyzer *analyzer,
                               int field, const char *text, size_t len) {
  cys_extractor_begin_field(x, field, text, len);
  cys_status st = cys_analyze(analyzer, text, len, feed, x);
  if (st != CYS_OK)
    return st;
  return cys_extractor_end_field(x);
}

size_t cys_extractor_count(const cys_extractor *x) { return x->nmentions; }

const cys_mention *cys_extractor_mention(const cys_extractor *x, size_t i) {
  return i < x->nmentions ? &x->mentions[i] : NULL;
}
