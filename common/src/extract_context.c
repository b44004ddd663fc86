/*
 * extract_context.c — whether a candidate stands as a name where the
 * text has it (extract.c lists the checks): case, cue and reject words
 * nearby, a longer capitalised name around it, a link, path or file name
 * it is part of, a country that names a language or an agency's home.
 */
#include <string.h>

#include "ascii_class.h"
#include "extract_internal.h"

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

/* Is word i the start of a sentence? */
int extract_sentence_start(const cys_extractor *x, size_t i) {
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
        !extract_sentence_start(x, c->first - 1))
      return 1;
  }
  return 0;
}

/* Is the candidate part of a URL, a path, a file or host name or a handle
 * rather than a name in the text: "https://x.com/mirrorblast/",
 * "C:\\ta505\\", "TA575.zip", "evil.mirrorblast.com",
 * "remcos[.]got-game[.]org", "@MRT"? */
int extract_in_link_or_file(const cys_extractor *x, const candidate *c) {
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
  /* A defanged host name: "remcos[.]got-game[.]org", "evil(.)ta505". */
  if ((c->end + 3 < x->len &&
       (memcmp(x->text + c->end, "[.]", 3) == 0 ||
        memcmp(x->text + c->end, "(.)", 3) == 0) &&
       ascii_is_alnum(x->text[c->end + 3])) ||
      (c->start >= 4 &&
       (memcmp(x->text + c->start - 3, "[.]", 3) == 0 ||
        memcmp(x->text + c->start - 3, "(.)", 3) == 0) &&
       ascii_is_alnum(x->text[c->start - 4])))
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

/* The country named right before candidate c, possessive or not:
 * "Vietnam's Ministry of Public Security", "the Dutch National Cyber
 * Security Centre"; NULL when there is none. */
static const cys_entity *country_right_before(const cys_extractor *x,
                                              const candidate *c) {
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
    if (adjacent(x, after, c->start) && after < c->start)
      return e;
  }
  return NULL;
}

/* Is the country with this code named right after candidate c: "... of
 * Lithuania", "... (Lithuania)"? */
static int own_country_after(const cys_extractor *x, const candidate *c,
                             const char *code) {
  size_t at = c->end;
  if (at + 4 <= x->len && memcmp(x->text + at, " of ", 4) == 0)
    at += 4;
  else if (at + 2 <= x->len && memcmp(x->text + at, " (", 2) == 0)
    at += 2;
  else
    return 0;
  if (at + 4 <= x->len && memcmp(x->text + at, "the ", 4) == 0)
    at += 4;
  starting_in it = candidates_starting_in(x, at, at + 1);
  for (const candidate *o; (o = next_starting_in(&it));) {
    const cys_entity *e = o->alias ? &x->g->entities[o->alias->entity].pub
                                   : NULL;
    if (e && e->type == CYS_ENTITY_COUNTRY && strcmp(e->value, code) == 0)
      return 1;
  }
  return 0;
}

/* Is an agency qualified by another country than its own, right before
 * it: "Vietnam's Ministry of Public Security" is not China's? */
static int other_country_before(const cys_extractor *x, const candidate *c,
                                const cys_entity *agency) {
  const cys_entity *country = country_right_before(x, c);
  return country && strcmp(country->value, agency->country) != 0;
}

/* Is an agency's generic name qualified by the agency's own country:
 * "Lithuania's National Cyber Security Centre", "the Lithuanian National
 * Cyber Security Centre", "the National Cyber Security Centre of
 * Lithuania"? */
static int own_country_qualifies(const cys_extractor *x, const candidate *c,
                                 const cys_entity *agency) {
  const cys_entity *country = country_right_before(x, c);
  if (country)
    return strcmp(country->value, agency->country) == 0;
  return own_country_after(x, c, agency->country);
}

/* Is the candidate a country's three-letter code ("EST", "USA")? */
static int country_code(const cys_entity *e, const alias *a) {
  return e->type == CYS_ENTITY_COUNTRY && strlen(a->text) == 3 &&
         ascii_is_upper(a->text[0]) && ascii_is_upper(a->text[1]) &&
         ascii_is_upper(a->text[2]);
}

/* Words of a title-case headline that join names without being part of
 * them ("Spy On UAE", "Hackers From USA"). */
static int joining_word(const cys_extractor *x, const word *w) {
  static const char *const words[] = {
      "on",   "in",      "of",   "to",   "for",    "and",  "the", "at",
      "from", "by",      "with", "vs",   "against", "as",  "into", "over",
      "a",    "an",      "or",   "than", "after",  "amid", "behind"};
  return exact_in(x, w, words, sizeof words / sizeof *words);
}

/* Does a time end right before byte at, spaces between: "9", "10:30",
 * "9am", "10 p.m."? */
static int after_time(const cys_extractor *x, size_t at) {
  while (at > 0 && x->text[at - 1] == ' ')
    at--;
  static const char *const suffixes[] = {"a.m.", "p.m.", "am", "pm",
                                         "AM",   "PM",   "A.M.", "P.M."};
  for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
    size_t n = strlen(suffixes[i]);
    if (at >= n && memcmp(x->text + at - n, suffixes[i], n) == 0 &&
        (at == n || !ascii_is_alpha(x->text[at - n - 1]))) {
      at -= n;
      while (at > 0 && x->text[at - 1] == ' ')
        at--;
      break;
    }
  }
  return at > 0 && ascii_is_digit(x->text[at - 1]);
}

/* Is a three-letter code a time zone or the end of a longer name rather
 * than the country: "9 EST", "10:30 a.m. EST", "Black Hat USA", "Virgin
 * Mobile USA", "USA TODAY"?  (A name it begins in title case, "USA
 * Today", is not told from what a country has, "UAE National Council".) */
static int code_not_country(const cys_extractor *x, const candidate *c) {
  if (after_time(x, c->start))
    return 1; /* a time zone: "9 EST", "10:30 a.m. EST" */
  if (c->first > 0) {
    const word *prev = &x->words[c->first - 1];
    if (capitalised(x, prev) && adjacent(x, prev->end, c->start) &&
        !extract_sentence_start(x, c->first - 1) && !joining_word(x, prev))
      return 1; /* "Black Hat USA" */
  }
  if (c->last + 1 < x->nwords) {
    /* A masthead: "USA TODAY".  A word in capitals of five letters or
     * more that is no entity (not "UAE CERT", "PRC MSS"). */
    const word *next = &x->words[c->last + 1];
    int shouted = next->end - next->start >= 5;
    for (size_t i = next->start; i < next->end && shouted; i++)
      shouted = ascii_is_upper(x->text[i]);
    starting_in it = candidates_starting_in(x, next->start, next->start + 1);
    if (shouted && adjacent(x, c->end, next->start) && !next_starting_in(&it))
      return 1;
  }
  return 0;
}

/* Is a sure name of the same type listed right before or after c: "groups
 * such as APT33 and Gorgon", "Gorgon, APT33"?  The list is its context. */
static int listed_with_same_type(const cys_extractor *x, const candidate *c,
                                 cys_entity_type type) {
  static const char *const joins[] = {", ", " and ", ", and ", " or ",
                                      ", or ", "/", " & "};
  /* An item after a comma ends at a join or a stop ("Locky, Kevin
   * intercepted" is no list); one that starts a sentence has a capital
   * for that alone ("First, Duqu ..."). */
  size_t end = c->end;
  int item_ends = end >= x->len || strchr(",.;:)/&\n", x->text[end]) ||
                  (end + 4 <= x->len && memcmp(x->text + end, " and", 4) == 0) ||
                  (end + 3 <= x->len && memcmp(x->text + end, " or", 3) == 0);
  if (extract_sentence_start(x, c->first))
    return 0;
  for (size_t j = 0; j < sizeof joins / sizeof *joins; j++) {
    size_t n = strlen(joins[j]);
    /* a sibling before: it ends where the join starts */
    size_t from = c->start >= n + x->cand_maxlen ? c->start - n - x->cand_maxlen
                                                 : 0;
    starting_in before = candidates_starting_in(x, from, c->start);
    /* a sibling after: it starts where the join ends */
    size_t at = c->end + n;
    starting_in after = candidates_starting_in(x, at, at + 1);
    for (int side = 0; side < 2; side++) {
      if (side == 0 && (c->start < n ||
                        memcmp(x->text + c->start - n, joins[j], n) != 0 ||
                        (j == 0 && !item_ends)))
        continue;
      if (side == 1 &&
          (at > x->len || memcmp(x->text + c->end, joins[j], n) != 0))
        continue;
      starting_in *it = side == 0 ? &before : &after;
      for (const candidate *o; (o = next_starting_in(it));) {
        if (o == c || o->rejected || (side == 0 && o->end != c->start - n))
          continue;
        const cys_entity *e =
            o->alias ? &x->g->entities[o->alias->entity].pub : &o->shape;
        int sure = o->alias ? !(o->alias->flags & ALIAS_AMBIGUOUS) ||
                                  o->confirmed
                            : o->shape.value != NULL;
        if (sure && e->type == type)
          return 1;
      }
    }
  }
  return 0;
}

/* Does a candidate other than the shared names name entity e in the
 * field?  Remembered for the field (x->choice_*): each entity costs one
 * pass over the candidates, and past CHOICE_MEMO entities the answer is
 * no. */
static int named_otherwise(cys_extractor *x, uint32_t e) {
  for (size_t m = 0; m < x->nchoices; m++)
    if (x->choice_entity[m] == e)
      return x->choice_named[m];
  if (x->nchoices == CHOICE_MEMO)
    return 0;
  const cys_entity *want = &x->g->entities[e].pub;
  int named = 0;
  for (size_t i = 0; i < x->ncands && !named; i++) {
    const candidate *o = &x->cands[i];
    if (o->rejected)
      continue;
    named = o->alias ? o->alias->entity == e &&
                           !(o->alias->flags & ALIAS_CHOICE)
                     : o->shape.value && o->shape.type == want->type &&
                           strcmp(o->shape.value, want->value) == 0;
  }
  x->choice_entity[x->nchoices] = e;
  x->choice_named[x->nchoices++] = named;
  return named;
}

/* Is a name several groups share ("APT24": APT24 and BlackTech) this
 * candidate's entity here: named otherwise in the field, the others not? */
static int choice_is_this(cys_extractor *x, const candidate *c) {
  if (!named_otherwise(x, c->alias->entity))
    return 0;
  starting_in it = candidates_starting_in(x, c->start, c->start + 1);
  for (const candidate *o; (o = next_starting_in(&it));)
    if (o != c && o->end == c->end && o->alias &&
        (o->alias->flags & ALIAS_CHOICE) &&
        o->alias->entity != c->alias->entity &&
        named_otherwise(x, o->alias->entity))
      return 0; /* both named: never guessed */
  return 1;
}

void extract_check_candidate(cys_extractor *x, candidate *c,
                             const cue_set *language) {
  const cys_gazetteer *g = x->g;
  if (!c->alias)
    return; /* a CVE id */
  const alias *a = c->alias;
  const cys_entity *e = &g->entities[a->entity].pub;
  if (((a->flags & ALIAS_CASE) && !same_text(x, c->start, c->end, a->text)) ||
      extract_in_link_or_file(x, c)) {
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
  if ((a->flags & ALIAS_CHOICE) && !choice_is_this(x, c)) {
    c->rejected = 1;
    return;
  }
  if (a->flags & ALIAS_CHOICE)
    c->confirmed = 1; /* over a shape on the same words ("UNC215") */
  if (a->flags & ALIAS_QUALIFIED) {
    /* A generic name: its own country's agency, or none. */
    if (e->country && own_country_qualifies(x, c, e))
      c->confirmed = 1;
    else
      c->rejected = 1;
    return;
  }
  if (e->type == CYS_ENTITY_AGENCY && e->country &&
      other_country_before(x, c, e)) {
    c->rejected = 1; /* a generic name qualified by another country */
    return;
  }
  if (country_code(e, a) && code_not_country(x, c)) {
    c->rejected = 1;
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
  /* (a cue farther off, within WINDOW, counts for a listed name) */
  size_t wide_from = c->first > WINDOW ? c->first - WINDOW : 0;
  size_t wide_to = c->last + WINDOW + 1 < x->nwords ? c->last + WINDOW + 1
                                                     : x->nwords;
  int found = 0, cue_farther = 0;
  for (size_t i = wide_from; i < wide_to; i++) {
    if (i >= c->first && i <= c->last)
      continue;
    const word *w = &x->words[i];
    int cue = stem_in(x, w, require);
    if (i < from || i >= to) {
      cue_farther |= cue;
      continue;
    }
    if ((rule && stem_in(x, w, &rule->reject)) ||
        stem_in(x, w, &g->rejects[e->type])) {
      c->rejected = 1;
      return;
    }
    found |= cue;
  }
  if (e->type == CYS_ENTITY_COUNTRY && !found)
    found = before_institution_noun(x, c); /* "Spanish banks" */
  /* "groups such as APT33 and Gorgon": listed with a sure name of its
   * type, its type's cue within WINDOW words. */
  if ((e->type == CYS_ENTITY_ACTOR || e->type == CYS_ENTITY_MALWARE) &&
      !found && cue_farther)
    found = listed_with_same_type(x, c, e->type);
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
