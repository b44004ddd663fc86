/*
 * gazetteer.c — the entity tables (see entity.h and entity_internal.h):
 * entity types, alias keys and their hashes, cue sets, entities and their
 * aliases added.  Loading and building the tables is gazetteer_build.c,
 * the generated entities gazetteer_builtin.c, the lookups (and suggestions
 * for a mistyped name) gazetteer_lookup.c, MISP galaxy files
 * gazetteer_misp.c.
 *
 * Two stages: the entities (value, label, country, alias column as
 * written) are loaded at once; the alias tables, cue sets and context
 * rules, which run every name through the analyzer, are built by
 * gazetteer_build — at once for cys_gazetteer_new, on first need for
 * cys_gazetteer_new_lazy (a searcher's: facet labels and canonical filter
 * values need no analysis, other filter names only their type's).
 *
 * TSV format (the files in common/data/), one entity a line:
 *   CANONICAL <TAB> LABEL <TAB> COUNTRY <TAB> ALIASES
 * ALIASES are separated by '|'; a leading '=' makes an alias match only
 * with exactly its case, a leading '?' marks it ambiguous (it needs context
 * words nearby), a leading '~' marks an agency's generic name, which
 * counts only qualified by the agency's own country ("Lithuania's National
 * Cyber Security Centre"), a leading '%' a name several entities share
 * (the generated tables' "APT24"), which counts only where the text names
 * the entity otherwise.  The canonical value and the label are aliases
 * too, unless the alias column lists them with markers, which then win; an
 * agency's label "Generic Name (Country)" gives "~Generic Name" too.  Country codes
 * never match text ("IT", "IN", "NO" are words) unless listed plainly, as
 * "=US" is; they still resolve filter values (country:IT).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii_class.h"
#include "entity_internal.h"
#include "fnv1a.h"

static const char *const type_names[CYS_ENTITY_TYPES] = {
    "country", "agency", "actor", "cve", "malware", "vendor"};

void gazetteer_set_error(cys_gazetteer *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g->errmsg, sizeof g->errmsg, fmt, ap);
  va_end(ap);
}

const char *cys_entity_type_name(cys_entity_type type) {
  return type < CYS_ENTITY_TYPES ? type_names[type] : "unknown";
}

cys_status cys_entity_type_parse(const char *name, size_t len,
                                 cys_entity_type *out) {
  for (int t = 0; t < CYS_ENTITY_TYPES; t++)
    if (strlen(type_names[t]) == len && memcmp(type_names[t], name, len) == 0) {
      *out = (cys_entity_type)t;
      return CYS_OK;
    }
  return CYS_NOT_FOUND;
}

const char *cys_gazetteer_errmsg(const cys_gazetteer *g) { return g->errmsg; }

/* ---- hashing ------------------------------------------------------------- */

uint64_t key_hash_start(void) { return FNV1A64_OFFSET; }

uint64_t key_hash_word(uint64_t h, const char *word, size_t len, int first) {
  if (!first)
    h = fnv1a64_add(h, " ", 1);
  return fnv1a64_add(h, word, len);
}

uint64_t gazetteer_key_hash(const char *key) {
  return key_hash_word(key_hash_start(), key, strlen(key), 1);
}

uint32_t gazetteer_first_alias(const cys_gazetteer *g, uint64_t h) {
  if (!g->nbuckets)
    return ALIAS_NONE;
  return g->buckets[h % g->nbuckets];
}

/* Prefix hashes: 0 marks an empty slot (a real hash of 0 is shifted). */
static uint64_t nonzero(uint64_t h) { return h ? h : 1; }

int gazetteer_is_prefix(const cys_gazetteer *g, uint64_t h) {
  if (!g->prefixes_cap)
    return 0;
  h = nonzero(h);
  for (size_t i = h % g->prefixes_cap;; i = (i + 1) % g->prefixes_cap) {
    if (g->prefixes[i] == h)
      return 1;
    if (g->prefixes[i] == 0)
      return 0;
  }
}

static int add_prefix(cys_gazetteer *g, uint64_t h) {
  if ((g->nprefixes + 1) * 2 > g->prefixes_cap) {
    size_t cap = g->prefixes_cap ? g->prefixes_cap * 2 : 4096;
    uint64_t *bigger = calloc(cap, sizeof *bigger);
    if (!bigger)
      return -1;
    for (size_t i = 0; i < g->prefixes_cap; i++) {
      uint64_t v = g->prefixes[i];
      if (!v)
        continue;
      size_t j = v % cap;
      while (bigger[j])
        j = (j + 1) % cap;
      bigger[j] = v;
    }
    free(g->prefixes);
    g->prefixes = bigger;
    g->prefixes_cap = cap;
  }
  h = nonzero(h);
  size_t i = h % g->prefixes_cap;
  while (g->prefixes[i] && g->prefixes[i] != h)
    i = (i + 1) % g->prefixes_cap;
  if (!g->prefixes[i]) {
    g->prefixes[i] = h;
    g->nprefixes++;
  }
  return 0;
}

/* Rebuild the alias chains when the table has grown. */
static int rehash(cys_gazetteer *g) {
  size_t n = g->naliases * 2 + 1024;
  uint32_t *buckets = malloc(n * sizeof *buckets);
  if (!buckets)
    return -1;
  for (size_t i = 0; i < n; i++)
    buckets[i] = ALIAS_NONE;
  for (size_t i = 0; i < g->naliases; i++) {
    size_t b = g->aliases[i].hash % n;
    g->aliases[i].next = buckets[b];
    buckets[b] = (uint32_t)i;
  }
  free(g->buckets);
  g->buckets = buckets;
  g->nbuckets = n;
  return 0;
}

/* ---- keys ---------------------------------------------------------------- */

static int key_token(void *ctx, const cys_token *t) {
  key_builder *k = ctx;
  if (t->flags & CYS_TOKEN_WHOLE)
    return 0;
  if (k->len + t->exact_len + 2 > sizeof k->key) {
    k->overflow = 1;
    return 1;
  }
  if (k->words++)
    k->key[k->len++] = ' ';
  memcpy(k->key + k->len, t->exact, t->exact_len);
  k->len += t->exact_len;
  k->key[k->len] = '\0';
  return 0;
}

/* The key of text: its words, folded, joined by spaces ("" when none). */
cys_status gazetteer_make_key(cys_analyzer *a, const char *text, size_t len,
                              key_builder *k) {
  k->len = 0;
  k->words = 0;
  k->overflow = 0;
  k->key[0] = '\0';
  return cys_analyze(a, text, len, key_token, k);
}

/* ---- cue sets ------------------------------------------------------------ */

int cue_set_has(const cue_set *set, const char *stem, size_t len) {
  for (size_t i = 0; i < set->n; i++)
    if (strlen(set->stems[i]) == len && memcmp(set->stems[i], stem, len) == 0)
      return 1;
  return 0;
}

static int cue_add(void *ctx, const cys_token *t) {
  cue_set *set = ctx;
  if (t->flags & CYS_TOKEN_WHOLE || cue_set_has(set, t->stem, t->stem_len))
    return 0;
  if (set->n == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 16;
    char **bigger = realloc(set->stems, cap * sizeof *bigger);
    if (!bigger)
      return 1;
    set->stems = bigger;
    set->cap = cap;
  }
  char *s = malloc(t->stem_len + 1);
  if (!s)
    return 1;
  memcpy(s, t->stem, t->stem_len);
  s[t->stem_len] = '\0';
  set->stems[set->n++] = s;
  return 0;
}

cys_status gazetteer_cue_load(cys_analyzer *a, cue_set *set, const char *words,
                              size_t len) {
  size_t before = set->n;
  cys_status st = cys_analyze(a, words, len, cue_add, set);
  (void)before;
  return st;
}

void gazetteer_cue_free(cue_set *set) {
  for (size_t i = 0; i < set->n; i++)
    free(set->stems[i]);
  free(set->stems);
  memset(set, 0, sizeof *set);
}

/* ---- adding entities ----------------------------------------------------- */

char *gazetteer_dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

/* Does entity e already have an alias that matches everything this one
 * would?  A case-insensitive alias covers its key; a case-sensitive one
 * only its own spelling ("U.S." and "US" share the key "us"). */
static int has_alias(const cys_gazetteer *g, uint32_t e, const char *key,
                     const char *text, unsigned flags, int is_name) {
  uint64_t h = gazetteer_key_hash(key);
  for (uint32_t i = gazetteer_first_alias(g, h); i != ALIAS_NONE;
       i = g->aliases[i].next) {
    const alias *a = &g->aliases[i];
    if (a->entity != e || strcmp(a->key, key) != 0)
      continue;
    /* The canonical value and label yield to any alias with their key:
     * the alias column's markers win ("?=ASD" over the name "ASD"). */
    if (is_name || !(a->flags & ALIAS_CASE) ||
        ((flags & ALIAS_CASE) && strcmp(a->text, text) == 0))
      return 1;
  }
  return 0;
}

static int add_alias(cys_gazetteer *g, uint32_t e, const char *text,
                     size_t len, unsigned flags, int is_name) {
  key_builder k;
  if (gazetteer_make_key(g->analyzer, text, len, &k) != CYS_OK)
    return -1;
  if (k.words == 0 || k.overflow)
    return 0; /* nothing to match: punctuation only, or far too long */
  char *written = gazetteer_dup_n(text, len);
  if (!written)
    return -1;
  int known = has_alias(g, e, k.key, written, flags, is_name);
  free(written);
  if (known)
    return 0;
  if (g->naliases == g->aliases_cap) {
    size_t cap = g->aliases_cap ? g->aliases_cap * 2 : 1024;
    alias *bigger = realloc(g->aliases, cap * sizeof *bigger);
    if (!bigger)
      return -1;
    g->aliases = bigger;
    g->aliases_cap = cap;
  }
  alias *a = &g->aliases[g->naliases];
  a->entity = e;
  a->flags = flags;
  a->words = k.words;
  a->key = gazetteer_dup_n(k.key, k.len);
  a->text = gazetteer_dup_n(text, len);
  if (!a->key || !a->text) {
    free(a->key);
    free(a->text);
    return -1;
  }
  a->hash = gazetteer_key_hash(a->key);
  /* Chain it now; the table is rebuilt as it grows. */
  if (g->nbuckets == 0 || g->naliases + 1 > g->nbuckets) {
    g->naliases++;
    if (rehash(g))
      return -1;
  } else {
    size_t b = a->hash % g->nbuckets;
    a->next = g->buckets[b];
    g->buckets[b] = (uint32_t)g->naliases;
    g->naliases++;
  }
  /* Every word prefix of the key, for the matcher's early exit. */
  if (a->words <= ALIAS_MAX_WORDS && !(flags & ALIAS_NO_TEXT)) {
    uint64_t h = key_hash_start();
    const char *w = a->key;
    for (unsigned i = 0; i < a->words; i++) {
      const char *sp = strchr(w, ' ');
      size_t wl = sp ? (size_t)(sp - w) : strlen(w);
      h = key_hash_word(h, w, wl, i == 0);
      if (add_prefix(g, h))
        return -1;
      w += wl + 1;
    }
  }
  return 0;
}

/* Call fn for each name of entity e, in the order they are added: its
 * alias column ("a|=B|?c") first, whose markers win over the plain names,
 * then its canonical value and label.  Stops at fn's first non-zero. */

int gazetteer_each_name(cys_gazetteer *g, uint32_t e, const char *aliases,
                        name_fn fn, void *ctx) {
  const cys_entity *ent = &g->entities[e].pub;
  cys_entity_type type = ent->type;
  const char *p = aliases ? aliases : "";
  int rc;
  while (*p) {
    const char *bar = strchr(p, '|');
    size_t n = bar ? (size_t)(bar - p) : strlen(p);
    unsigned flags = 0;
    while (n && (*p == '=' || *p == '?' || *p == '~' || *p == '%')) {
      flags |= *p == '=' ? ALIAS_CASE
               : *p == '?' ? ALIAS_AMBIGUOUS
               : *p == '~' ? ALIAS_QUALIFIED
                           : ALIAS_CHOICE;
      p++;
      n--;
    }
    /* A country's own code marked ambiguous ("?=IT", "?=IN") is for
     * filters only: in text it is far more often a word or an acronym. */
    if (type == CYS_ENTITY_COUNTRY && (flags & ALIAS_AMBIGUOUS) &&
        n == strlen(ent->value) && memcmp(p, ent->value, n) == 0)
      flags |= ALIAS_NO_TEXT;
    if (n && (rc = fn(g, e, p, n, flags, 0, ctx)))
      return rc;
    p += n;
    if (*p == '|')
      p++;
  }
  unsigned name_flags = type == CYS_ENTITY_COUNTRY ? ALIAS_NO_TEXT : 0;
  if ((rc = fn(g, e, ent->value, strlen(ent->value), name_flags, 1, ctx)))
    return rc;
  if ((rc = fn(g, e, ent->label, strlen(ent->label), 0, 1, ctx)))
    return rc;
  /* "National Cyber Security Centre (Lithuania)": its generic name. */
  const char *paren = strstr(ent->label, " (");
  size_t label_len = strlen(ent->label);
  if (type == CYS_ENTITY_AGENCY && paren && label_len &&
      ent->label[label_len - 1] == ')')
    rc = fn(g, e, ent->label, (size_t)(paren - ent->label), ALIAS_QUALIFIED, 0,
            ctx);
  return rc;
}

static int add_alias_fn(cys_gazetteer *g, uint32_t e, const char *text,
                        size_t len, unsigned flags, int is_name, void *ctx) {
  const unsigned *more = ctx;
  return add_alias(g, e, text, len, flags | *more, is_name);
}

/* The aliases of entity e into the tables, with more flags on each. */
int gazetteer_add_aliases_flagged(cys_gazetteer *g, uint32_t e,
                                  const char *aliases, unsigned more) {
  return gazetteer_each_name(g, e, aliases, add_alias_fn, &more);
}

/* The aliases of entity e into the tables; a generated entity's are
 * unreviewed. */
int gazetteer_add_entity_aliases(cys_gazetteer *g, uint32_t e,
                                 const char *aliases) {
  return gazetteer_add_aliases_flagged(
      g, e, aliases, g->entities[e].generated ? ALIAS_UNREVIEWED : 0);
}

int gazetteer_add(cys_gazetteer *g, cys_entity_type type, const char *value,
                  const char *label, const char *country,
                  const char *aliases, int extra) {
  if (!value || !*value) {
    gazetteer_set_error(g, "an entity without a name");
    return -1;
  }
  if (extra)
    gazetteer_generate(g); /* run-time entities come after the built-in */
  /* A file loaded again (each run of an incremental job reads its
   * --gazetteer files and the copy kept in the index) adds nothing. */
  for (size_t i = 0; extra && i < g->nentities; i++) {
    const entity_rec *o = &g->entities[i];
    if (o->extra && o->pub.type == type && strcmp(o->pub.value, value) == 0 &&
        strcmp(o->aliases ? o->aliases : "", aliases ? aliases : "") == 0)
      return 0;
  }
  if (g->nentities == g->entities_cap) {
    size_t cap = g->entities_cap ? g->entities_cap * 2 : 512;
    entity_rec *bigger = realloc(g->entities, cap * sizeof *bigger);
    if (!bigger)
      goto nomem;
    g->entities = bigger;
    g->entities_cap = cap;
  }
  uint32_t e = (uint32_t)g->nentities;
  entity_rec *r = &g->entities[e];
  memset(r, 0, sizeof *r);
  r->pub.type = type;
  r->pub.value = gazetteer_dup_n(value, strlen(value));
  r->pub.label = gazetteer_dup_n(label && *label ? label : value,
                                 strlen(label && *label ? label : value));
  r->pub.country =
      country && strlen(country) == 2 ? gazetteer_dup_n(country, 2) : NULL;
  r->pub.source = extra ? "file" : "cysearch";
  r->extra = extra;
  r->aliases =
      extra && aliases ? gazetteer_dup_n(aliases, strlen(aliases)) : NULL;
  if (!r->pub.value || !r->pub.label ||
      (country && strlen(country) == 2 && !r->pub.country) ||
      (extra && aliases && !r->aliases)) {
    free((char *)r->pub.value);
    free((char *)r->pub.label);
    free((char *)r->pub.country);
    free(r->aliases);
    goto nomem;
  }
  g->nentities++;
  if (!g->built) {
    /* Kept for gazetteer_build ("" when there is no alias column). */
    if (!(r->pending = gazetteer_dup_n(aliases ? aliases : "",
                                       aliases ? strlen(aliases) : 0)))
      goto nomem;
    return 0;
  }
  if (gazetteer_add_entity_aliases(g, e, aliases))
    goto nomem;
  return 0;
nomem:
  gazetteer_set_error(g, "out of memory");
  return -1;
}
