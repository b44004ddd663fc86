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
 */
#include <stdlib.h>
#include <string.h>

#include "entity_internal.h"

#define WINDOW 10

typedef struct word {
  size_t exact, stem; /* offsets into the arena */
  size_t exact_len, stem_len;
  size_t start, end;
  unsigned flags;
} word;

typedef struct candidate {
  const alias *alias; /* NULL for a CVE id */
  size_t first, last; /* word indexes covered */
  size_t start, end;  /* bytes */
  int confirmed;      /* an ambiguous alias whose context was found */
  int rejected;
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
  char **cves; /* CVE values, owned until reset */
  size_t ncves;
  cys_status status;
};

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
  free(x);
}

static int grow(void **items, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 64;
  while (c < need)
    c *= 2;
  void *bigger = realloc(*items, c * size);
  if (!bigger)
    return -1;
  *items = bigger;
  *cap = c;
  return 0;
}

void cys_extractor_begin_field(cys_extractor *x, int field, const char *text,
                               size_t len) {
  x->field = field;
  x->text = text;
  x->len = len;
  x->nwords = x->nwholes = x->arena_len = x->ncands = 0;
}

static size_t keep(cys_extractor *x, const char *s, size_t n) {
  if (grow((void **)&x->arena, &x->arena_cap, x->arena_len + n, 1)) {
    x->status = CYS_NOMEM;
    return 0;
  }
  size_t at = x->arena_len;
  memcpy(x->arena + at, s, n);
  x->arena_len += n;
  return at;
}

cys_status cys_extractor_token(cys_extractor *x, const cys_token *t) {
  if (x->status)
    return x->status;
  int whole = (t->flags & CYS_TOKEN_WHOLE) != 0;
  word **list = whole ? &x->wholes : &x->words;
  size_t *n = whole ? &x->nwholes : &x->nwords;
  size_t *cap = whole ? &x->wholes_cap : &x->words_cap;
  if (grow((void **)list, cap, *n + 1, sizeof **list))
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

static void add_candidate(cys_extractor *x, const alias *a, size_t first,
                          size_t last, size_t start, size_t end) {
  if (grow((void **)&x->cands, &x->cands_cap, x->ncands + 1,
           sizeof *x->cands)) {
    x->status = CYS_NOMEM;
    return;
  }
  x->cands[x->ncands++] =
      (candidate){a, first, last, start, end, 0, 0, 0, 0};
}

static const char *word_exact(const cys_extractor *x, const word *w) {
  return x->arena + w->exact;
}

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
        add_candidate(x, al, i, i + k, x->words[i].start, w->end);
    }
  }
}

/* The words inside [start, end). */
static void words_within(const cys_extractor *x, size_t start, size_t end,
                         size_t *first, size_t *last) {
  size_t f = x->nwords, l = 0;
  for (size_t i = 0; i < x->nwords; i++)
    if (x->words[i].start >= start && x->words[i].end <= end) {
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
    add_candidate(x, NULL, first, last, w->start, w->end);
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
        strlen(al->key) == w->exact_len && memcmp(al->key, s, w->exact_len) == 0)
      add_candidate(x, al, first, last, w->start, w->end);
  }
}

/* ---- checks -------------------------------------------------------------- */

/* The original text of [start, end) equals s, white space folded. */
static int same_text(const cys_extractor *x, size_t start, size_t end,
                     const char *s) {
  size_t i = start;
  while (i < end && *s) {
    int space = x->text[i] == ' ' || x->text[i] == '\n' || x->text[i] == '\t';
    if (space) {
      if (*s != ' ')
        return 0;
      while (i < end && (x->text[i] == ' ' || x->text[i] == '\n' ||
                         x->text[i] == '\t'))
        i++;
      s++;
      continue;
    }
    if (x->text[i] != *s)
      return 0;
    i++;
    s++;
  }
  return i == end && *s == '\0';
}

static int stem_in(const cys_extractor *x, const word *w, const cue_set *set) {
  return set->n && cue_set_has(set, x->arena + w->stem, w->stem_len);
}

/* Is a country with this code named among words [from, to)? */
static int country_near(const cys_extractor *x, const char *code, size_t from,
                        size_t to) {
  const cys_gazetteer *g = x->g;
  for (size_t i = from; i < to; i++) {
    uint64_t h = key_hash_start();
    for (size_t k = 0; k < 3 && i + k < to; k++) {
      const word *w = &x->words[i + k];
      h = key_hash_word(h, word_exact(x, w), w->exact_len, k == 0);
      for (uint32_t a = gazetteer_first_alias(g, h); a != ALIAS_NONE;
           a = g->aliases[a].next) {
        const alias *al = &g->aliases[a];
        const cys_entity *e = &g->entities[al->entity].pub;
        if (al->hash == h && al->words == k + 1 &&
            e->type == CYS_ENTITY_COUNTRY && strcmp(e->value, code) == 0 &&
            !(al->flags & ALIAS_AMBIGUOUS))
          return 1;
      }
    }
  }
  return 0;
}

static int capitalised(const cys_extractor *x, const word *w) {
  char c = x->text[w->start];
  return c >= 'A' && c <= 'Z';
}

/* Only spaces between byte offsets a and b. */
static int adjacent(const cys_extractor *x, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (x->text[i] != ' ')
      return 0;
  return a <= b;
}

/* Is word i the start of a sentence? */
static int sentence_start(const cys_extractor *x, size_t i) {
  size_t at = x->words[i].start;
  while (at > 0 && (x->text[at - 1] == ' ' || x->text[at - 1] == '\n' ||
                    x->text[at - 1] == '"' || x->text[at - 1] == '('))
    at--;
  if (at == 0)
    return 1;
  char c = x->text[at - 1];
  return c == '.' || c == '!' || c == '?' || c == ':';
}

/* Is the candidate part of a longer capitalised name ("Jordan Reyes",
 * "Georgia Tech", "Redline Weekly")?  A capitalised cue word after it
 * does not count: "Cuba Ransomware" is the malware. */
static int part_of_name(const cys_extractor *x, const candidate *c,
                        const cue_set *cues) {
  if (c->last + 1 < x->nwords) {
    const word *next = &x->words[c->last + 1];
    if (capitalised(x, next) && adjacent(x, c->end, next->start) &&
        !stem_in(x, next, cues))
      return 1;
  }
  if (c->first > 0) {
    const word *prev = &x->words[c->first - 1];
    if (capitalised(x, prev) && adjacent(x, prev->end, c->start) &&
        !sentence_start(x, c->first - 1))
      return 1;
  }
  return 0;
}

static void check(cys_extractor *x, candidate *c, const cue_set *language) {
  const cys_gazetteer *g = x->g;
  if (!c->alias)
    return; /* a CVE id */
  const alias *a = c->alias;
  const cys_entity *e = &g->entities[a->entity].pub;
  if ((a->flags & ALIAS_CASE) && !same_text(x, c->start, c->end, a->text)) {
    c->rejected = 1;
    return;
  }
  if (e->type == CYS_ENTITY_COUNTRY && c->last + 1 < x->nwords &&
      stem_in(x, &x->words[c->last + 1], language) &&
      x->words[c->last + 1].start - c->end <= 1) {
    c->rejected = 1; /* "Russian-speaking", "Chinese-language" */
    return;
  }
  if (!(a->flags & ALIAS_AMBIGUOUS))
    return;
  /* A name that is also an ordinary word is written with a capital when
   * it is the name: "Target" the retailer, "target" the word. */
  if (a->text[0] >= 'A' && a->text[0] <= 'Z' && x->text[c->start] >= 'a' &&
      x->text[c->start] <= 'z') {
    c->rejected = 1;
    return;
  }
  const context_rule *rule = gazetteer_rule(g, e->type, a->key);
  const cue_set *require =
      rule && rule->require.n ? &rule->require : &g->cues[e->type];
  size_t from = c->first > WINDOW ? c->first - WINDOW : 0;
  size_t to = c->last + WINDOW + 1 < x->nwords ? c->last + WINDOW + 1
                                                : x->nwords;
  int found = 0;
  for (size_t i = from; i < to; i++) {
    if (i >= c->first && i <= c->last)
      continue;
    const word *w = &x->words[i];
    if ((rule && stem_in(x, w, &rule->reject)) ||
        stem_in(x, w, &g->rejects[e->type])) {
      c->rejected = 1;
      return;
    }
    found |= stem_in(x, w, require);
  }
  if (e->type == CYS_ENTITY_AGENCY && e->country && !found) {
    found = country_near(x, e->country, from, c->first) ||
            country_near(x, e->country, c->last + 1, to);
  }
  if (part_of_name(x, c, require)) {
    c->rejected = 1;
    return;
  }
  if (!found)
    c->rejected = 1;
  else
    c->confirmed = 1;
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
  if (grow((void **)&x->mentions, &x->mentions_cap, x->nmentions + 1,
           sizeof *x->mentions)) {
    x->status = CYS_NOMEM;
    return;
  }
  cys_mention *m = &x->mentions[x->nmentions];
  m->field = x->field;
  m->start = c->start;
  m->end = c->end;
  if (c->alias) {
    const cys_entity *e = &g->entities[c->alias->entity].pub;
    m->type = e->type;
    m->value = e->value;
    m->label = e->label;
    m->country = e->country;
  } else {
    /* The analyzer's form, not the text: "CVE–2018–17456" (en dashes)
     * and "cve-2018-17456" are both CVE-2018-17456. */
    char **bigger = realloc(x->cves, (x->ncves + 1) * sizeof *bigger);
    char *v = malloc(c->cve_len + 1);
    if (bigger)
      x->cves = bigger;
    if (!bigger || !v) {
      free(v);
      x->status = CYS_NOMEM;
      return;
    }
    for (size_t i = 0; i < c->cve_len; i++) {
      char ch = x->arena[c->cve + i];
      v[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
    }
    v[c->cve_len] = '\0';
    x->cves[x->ncves++] = v;
    m->type = CYS_ENTITY_CVE;
    m->value = m->label = v;
    m->country = NULL;
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

cys_status cys_extractor_end_field(cys_extractor *x) {
  if (x->status)
    return x->status;
  for (size_t i = 0; i < x->nwords && !x->status; i++)
    match_words(x, i);
  for (size_t i = 0; i < x->nwholes && !x->status; i++)
    match_whole(x, &x->wholes[i]);
  if (x->status)
    return x->status;
  /* Stems that make a country word mean a language. */
  static char speak[] = "speak", languag[] = "languag";
  char *language_stems[] = {speak, languag};
  cue_set language = {language_stems, 2, 2};
  for (size_t i = 0; i < x->ncands; i++)
    check(x, &x->cands[i], &language);
  if (x->ncands > 1)
    qsort(x->cands, x->ncands, sizeof *x->cands, by_length);
  size_t before = x->nmentions;
  for (size_t i = 0; i < x->ncands && !x->status; i++) {
    candidate *c = &x->cands[i];
    if (c->rejected)
      continue;
    int blocked = 0;
    for (size_t j = 0; j < i && !blocked; j++) {
      const candidate *o = &x->cands[j];
      if (o->rejected || o->end <= c->start || o->start >= c->end)
        continue;
      /* The same words may name entities of different types, unless a
       * confirmed ambiguous reading took them. */
      int same = o->start == c->start && o->end == c->end;
      blocked = !same || o->confirmed != c->confirmed ||
                (o->alias && c->alias &&
                 x->g->entities[o->alias->entity].pub.type ==
                     x->g->entities[c->alias->entity].pub.type &&
                 o->alias->entity == c->alias->entity);
    }
    if (blocked) {
      c->rejected = 1;
      continue;
    }
    add_mention(x, c);
  }
  if (x->nmentions - before > 1)
    qsort(x->mentions + before, x->nmentions - before, sizeof *x->mentions,
          by_position);
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
