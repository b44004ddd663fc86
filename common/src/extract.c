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
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ascii_class.h"
#include "entity_internal.h"
#include "extract_designator.h"
#include "extract_intro.h"
#include "span_set.h"
#include "start_index.h"

#define LEARNED_MAX 32 /* names an article introduces, at most */

#define WINDOW 10

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

/* Count one unit of work; every INTERRUPT_EVERY, CYS_INTERRUPTED (kept in
 * x->status) when the interrupt flag is set. */
static int interrupted(cys_extractor *x) {
  if (++x->ticks % INTERRUPT_EVERY == 0 && x->interrupt && *x->interrupt &&
      !x->status)
    x->status = CYS_INTERRUPTED;
  return x->status == CYS_INTERRUPTED;
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
  start_index_clear(&x->at_start);
  x->cand_maxlen = 0;
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
  if (x->status || interrupted(x))
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
           sizeof *x->cands) ||
      start_index_add(&x->at_start, start) != CYS_OK) {
    x->status = CYS_NOMEM;
    return;
  }
  x->cands[x->ncands++] =
      (candidate){a, {0}, first, last, start, end, 0, 0, SPAN_NONE, 0, 0};
  if (end - start > x->cand_maxlen)
    x->cand_maxlen = end - start;
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

static starting_in candidates_starting_in(const cys_extractor *x, size_t from,
                                          size_t to) {
  starting_in it = {x, from, to,
                    from < to ? start_index_first(&x->at_start, from)
                              : START_INDEX_END};
  return it;
}

static const candidate *next_starting_in(starting_in *it) {
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

/* Is the candidate part of a URL, a path, a file or host name or a handle
 * rather than a name in the text: "https://x.com/mirrorblast/",
 * "C:\\ta505\\", "TA575.zip", "evil.mirrorblast.com", "@MRT"? */
static int in_link_or_file(const cys_extractor *x, const candidate *c) {
  /* The text joined to the candidate: up to spaces and brackets, so a
   * markdown link's text "[TA544](https://...)" stays a name. */
  size_t from = c->start, to = c->end;
  while (from > 0 && !ascii_is_white(x->text[from - 1]) &&
         !strchr("[]()<>\"'", x->text[from - 1]))
    from--;
  while (to < x->len && !ascii_is_white(x->text[to]) &&
         !strchr("[]()<>\"'", x->text[to]))
    to++;
  size_t slashes = 0;
  for (size_t i = from; i < to; i++) {
    if ((i + 2 < to && memcmp(x->text + i, "://", 3) == 0) ||
        x->text[i] == '\\')
      return 1;
    slashes += x->text[i] == '/';
  }
  if (x->text[from] == '/' || slashes >= 2)
    return 1; /* a path: "/us/post/ta505-dridex", "a/b/TA505" */
  if (to - from > 4 && memcmp(x->text + from, "www.", 4) == 0)
    return 1;
  char before = c->start > 0 ? x->text[c->start - 1] : ' ';
  if (before == '@' || before == '\\' || before == '_' ||
      (before == '.' && c->start > 1 && ascii_is_alnum(x->text[c->start - 2])))
    return 1;
  /* "TA575.zip", "x_mirrorblast": a dot or underscore joined to more. */
  return c->end + 1 < x->len &&
         (x->text[c->end] == '.' || x->text[c->end] == '_') &&
         ascii_is_alnum(x->text[c->end + 1]);
}

static int exact_in(const cys_extractor *x, const word *w,
                    const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strlen(list[i]) == w->exact_len &&
        memcmp(list[i], word_exact(x, w), w->exact_len) == 0)
      return 1;
  return 0;
}

/* Is the candidate the second half of a region's name, after a capitalised
 * compass word ("North American", "East African", "Northern Ireland" where
 * "Ireland" alone would be IE)?  The whole region, when it is a country
 * ("South Africa", "North Korea"), is a longer candidate of its own. */
static int after_region_word(const cys_extractor *x, const candidate *c) {
  static const char *const regions[] = {
      "north",    "south",    "east",     "west",     "central",
      "latin",    "northern", "southern", "eastern",  "western",
      "northeast", "northwest", "southeast", "southwest", "sub"};
  if (c->first == 0)
    return 0;
  const word *prev = &x->words[c->first - 1];
  return capitalised(x, prev) &&
         (adjacent(x, prev->end, c->start) ||
          (prev->end + 1 == c->start && x->text[prev->end] == '-')) &&
         exact_in(x, prev, regions, sizeof regions / sizeof *regions);
}

/* Is a demonym followed by what a country has ("Spanish banks", "a Polish
 * researcher", "Turkish authorities")?  Then it is about the country. */
static int before_institution_noun(const cys_extractor *x,
                                   const candidate *c) {
  static const char *const nouns[] = {
      "bank",        "banks",       "firm",         "firms",
      "company",     "companies",   "researcher",   "researchers",
      "official",    "officials",   "government",   "authorities",
      "police",      "hacker",      "hackers",      "citizen",
      "citizens",    "users",       "organizations", "organisations",
      "agency",      "agencies",    "ministry",     "military",
      "army",        "navy",        "court",        "courts",
      "prosecutors", "media",       "newspaper",    "telecom",
      "telecoms",    "operator",    "carriers",     "startup",
      "startups",    "entities",    "targets",      "victims",
      "university",  "universities", "hospital",    "hospitals",
      "security",    "cybersecurity", "intelligence", "nationals",
      "lawmakers",   "regulator",   "regulators",   "investigators",
      "diplomats",   "embassy",     "businesses",   "retailers",
      "state",       "ministries",  "organization", "organisation"};
  if (c->last + 1 >= x->nwords)
    return 0;
  const word *next = &x->words[c->last + 1];
  return adjacent(x, c->end, next->start) && !capitalised(x, next) &&
         exact_in(x, next, nouns, sizeof nouns / sizeof *nouns);
}

/* Is the candidate an acronym the text defines as something else: "Phishing
 * Security Tests (PST)" is not Norway's PST?  (When the words before it
 * are the entity's own name, another candidate of it covers them.) */
static int defined_otherwise(const cys_extractor *x, const candidate *c) {
  size_t n = c->end - c->start;
  if (n < 2 || n > 8 || c->start == 0 || c->end >= x->len ||
      x->text[c->start - 1] != '(' || x->text[c->end] != ')' || c->first < n)
    return 0;
  for (size_t i = 0; i < n; i++) {
    const word *w = &x->words[c->first - n + i];
    char initial = x->text[w->start], letter = x->text[c->start + i];
    if (initial != letter || letter < 'A' || letter > 'Z')
      return 0;
  }
  size_t from = x->words[c->first - n].start;
  starting_in it = candidates_starting_in(x, from, c->start);
  for (const candidate *o; (o = next_starting_in(&it));)
    if (o->alias && o->alias->entity == c->alias->entity && o->end < c->start)
      return 0;
  return 1;
}

/* Is an agency qualified by another country than its own, right before
 * it: "Vietnam's Ministry of Public Security" is not China's? */
static int other_country_before(const cys_extractor *x, const candidate *c,
                                const cys_entity *agency) {
  /* Such a country ends where the spaces before c begin, or a possessive
   * 's (2 bytes) or \u2019s (4) before that: it starts at most
   * cand_maxlen bytes earlier. */
  size_t spaces = c->start;
  while (spaces > 0 && x->text[spaces - 1] == ' ')
    spaces--;
  size_t from = spaces >= 4 + x->cand_maxlen ? spaces - 4 - x->cand_maxlen : 0;
  starting_in it = candidates_starting_in(x, from, c->start);
  for (const candidate *o; (o = next_starting_in(&it));) {
    if (!o->alias || o->end > c->start)
      continue;
    const cys_entity *e = &x->g->entities[o->alias->entity].pub;
    if (e->type != CYS_ENTITY_COUNTRY)
      continue;
    size_t after = o->end;
    if (after + 2 <= c->start && x->text[after] == '\'' &&
        x->text[after + 1] == 's')
      after += 2;
    else if (after + 4 <= c->start &&
             memcmp(x->text + after, "\xe2\x80\x99s", 4) == 0)
      after += 4;
    if (adjacent(x, after, c->start) && after < c->start &&
        strcmp(e->value, agency->country) != 0)
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
  if (((a->flags & ALIAS_CASE) && !same_text(x, c->start, c->end, a->text)) ||
      in_link_or_file(x, c)) {
    c->rejected = 1;
    return;
  }
  if (e->type == CYS_ENTITY_COUNTRY && c->last + 1 < x->nwords &&
      stem_in(x, &x->words[c->last + 1], language) &&
      x->words[c->last + 1].start - c->end <= 1) {
    c->rejected = 1; /* "Russian-speaking", "Chinese-language" */
    return;
  }
  /* A name from the generated tables, which we did not review, counts
   * only written as a name: "icedid" in a URL or a file name does not. */
  if ((a->flags & ALIAS_UNREVIEWED) && x->text[c->start] >= 'a' &&
      x->text[c->start] <= 'z') {
    c->rejected = 1;
    return;
  }
  if ((a->flags & ALIAS_CASE) && defined_otherwise(x, c)) {
    c->rejected = 1;
    return;
  }
  if (e->type == CYS_ENTITY_AGENCY && e->country &&
      other_country_before(x, c, e)) {
    c->rejected = 1; /* a generic name qualified by another country */
    return;
  }
  if (e->type == CYS_ENTITY_COUNTRY && after_region_word(x, c)) {
    c->rejected = 1; /* "North American", "Latin American" */
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
  /* An unreviewed ordinary word needs its cue next to it ("the Shifu
   * trojan", "Raccoon stealer"). */
  size_t window = (a->flags & ALIAS_UNREVIEWED) ? 2 : WINDOW;
  size_t from = c->first > window ? c->first - window : 0;
  size_t to = c->last + window + 1 < x->nwords ? c->last + window + 1
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
  if (e->type == CYS_ENTITY_COUNTRY && !found)
    found = before_institution_noun(x, c); /* "Spanish banks" */
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

/* ---- names found by their shape or context ------------------------------ */

/* A copy of text[0..n) owned by the extractor until reset, or NULL. */
static char *own(cys_extractor *x, const char *text, size_t n) {
  int full = grow((void **)&x->cves, &x->cves_cap, x->ncves + 1,
                  sizeof *x->cves);
  char *v = malloc(n + 1);
  if (full || !v) {
    free(v);
    x->status = CYS_NOMEM;
    return NULL;
  }
  memcpy(v, text, n);
  v[n] = '\0';
  x->cves[x->ncves++] = v;
  return v;
}

/* Is there a candidate of this type on exactly [start, end)? */
static int type_covers(const cys_extractor *x, cys_entity_type type,
                       size_t start, size_t end) {
  starting_in it = candidates_starting_in(x, start, start + 1);
  for (const candidate *c; (c = next_starting_in(&it));) {
    cys_entity_type t =
        c->alias ? x->g->entities[c->alias->entity].pub.type : c->shape.type;
    if ((c->alias || c->shape.value) && t == type && c->end == end &&
        !c->rejected)
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
  add_candidate(x, NULL, first, last, x->words[first].start,
                x->words[last].end);
  if (x->status)
    return;
  candidate *c = &x->cands[at];
  if (known) {
    c->shape = *known;
    return;
  }
  const char *v = own(x, value, n);
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
      type_covers(x, CYS_ENTITY_MALWARE, w->start, w->end))
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
    if (in_link_or_file(x, &probe))
      return;
    size_t at = x->ncands;
    add_candidate(x, NULL, i, i, w->start, w->end);
    if (!x->status)
      x->cands[at].shape = *e;
    return;
  }
}

/* Designators (TA4557, Storm-0558) and weather-family names ("Volt
 * Typhoon") that no alias matched on the same words; family names with
 * "RAT" glued on. */
static void match_shapes(cys_extractor *x) {
  for (size_t i = 0; i < x->nwords && !x->status; i++) {
    const word *w = &x->words[i];
    char value[32];
    match_glued_rat(x, i);
    size_t n = designator_at(x->text, x->len, w->start, value);
    if (n) {
      size_t last = last_word(x, i, w->start + n);
      if (x->words[last].end == w->start + n &&
          !type_covers(x, CYS_ENTITY_ACTOR, w->start, w->start + n))
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
        type_covers(x, CYS_ENTITY_ACTOR, w->start, f->end) ||
        !actor_cue_near(x, i, i + 1))
      continue;
    if (i > 0 && capitalised(x, &x->words[i - 1]) &&
        adjacent(x, x->words[i - 1].end, w->start) && !sentence_start(x, i - 1))
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
      "developers", "developer", "members",   "admins",   "leaders"};
  const word *w = &x->words[i];
  for (size_t k = 0; k < sizeof words / sizeof *words; k++)
    if (strlen(words[k]) == w->exact_len &&
        memcmp(words[k], word_exact(x, w), w->exact_len) == 0)
      return 1;
  return 0;
}

/* A ransomware operation is a gang as well as its software: where the
 * text speaks of a family's operators, the name is an actor too. */
static void add_operators(cys_extractor *x) {
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
    if (!(operators_word(x, next) || operated) ||
        type_covers(x, CYS_ENTITY_ACTOR, c->start, c->end))
      continue;
    size_t at = x->ncands;
    add_candidate(x, NULL, c->first, c->last, c->start, c->end);
    if (!x->status) {
      x->cands[at].shape = (cys_entity){CYS_ENTITY_ACTOR, e->value, e->value,
                                        e->country, "context"};
      x->cands[at].confirmed = x->cands[i].confirmed;
    }
  }
}

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
  if (grow((void **)&x->mentions, &x->mentions_cap, x->nmentions + 1,
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
    char *v = own(x, x->arena + c->cve, c->cve_len);
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
static void settle(cys_extractor *x) {
  if (grow((void **)&x->scratch, &x->scratch_cap, x->ncands,
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
static void cap_mentions(cys_extractor *x, size_t from) {
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
          x->words[first].end > end || type_covers(x, n->type, at, end))
        continue;
      size_t c = x->ncands;
      add_candidate(x, NULL, first, last, at, end);
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
      if (taken ||
          grow((void **)&x->mentions, &x->mentions_cap, x->nmentions + 1,
               sizeof *x->mentions)) {
        x->status = taken ? x->status : CYS_NOMEM;
        continue;
      }
      x->mentions[x->nmentions++] = (cys_mention){
          n->type, n->name, n->name, NULL, "context", 0, at, at + nl};
      added++;
    }
  }
  if (added)
    qsort(x->mentions, x->nmentions, sizeof *x->mentions, by_position);
}

cys_status cys_extractor_end_field(cys_extractor *x) {
  if (x->status)
    return x->status;
  for (size_t i = 0; i < x->nwords && !x->status && !interrupted(x); i++)
    match_words(x, i);
  for (size_t i = 0; i < x->nwholes && !x->status && !interrupted(x); i++)
    match_whole(x, &x->wholes[i]);
  match_shapes(x);
  if (x->status)
    return x->status;
  /* Stems that make a country word mean a language. */
  static char speak[] = "speak", languag[] = "languag";
  char *language_stems[] = {speak, languag};
  cue_set language = {language_stems, 2, 2};
  for (size_t i = 0; i < x->ncands && !interrupted(x); i++)
    check(x, &x->cands[i], &language);
  add_operators(x);
  size_t known = x->nlearned;
  match_introduced(x);
  if (x->status)
    return x->status;
  if (x->ncands > 1)
    qsort(x->cands, x->ncands, sizeof *x->cands, by_length);
  size_t before = x->nmentions;
  settle(x);
  if (x->nmentions - before > 1 && !x->status)
    qsort(x->mentions + before, x->nmentions - before, sizeof *x->mentions,
          by_position);
  if (!x->status)
    cap_mentions(x, before);
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
