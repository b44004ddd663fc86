/*
 * gazetteer.c — the entity tables (see entity.h and entity_internal.h):
 * loading the built-in TSV data and the context rules, alias keys, the
 * lookups the extractor and the query parser use, and export of the
 * entities loaded at run time.
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
 * words nearby).  The canonical value and the label are aliases too, unless
 * the alias column lists them with markers, which then win.  Country codes
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
#include "gazetteer_generated.h"

extern const char cys_data_countries[], cys_data_agencies[],
    cys_data_actors[], cys_data_malware[], cys_data_vendors[],
    cys_data_context[];
extern const size_t cys_data_countries_len, cys_data_agencies_len,
    cys_data_actors_len, cys_data_malware_len, cys_data_vendors_len,
    cys_data_context_len;

static const char *const type_names[CYS_ENTITY_TYPES] = {
    "country", "agency", "actor", "cve", "malware", "vendor"};

/* Words that make an ambiguous alias of each type sure, and words that
 * make it wrong wherever they stand near it.  Stemmed at load time.
 * ("state" is no country cue: "stated" has its stem, and "BGR" the site
 * was taken for Bulgaria's code that way.) */
static const char *const default_cues[CYS_ENTITY_TYPES] = {
    /* country */
    ("government ministry military president intelligence national "
     "nation country embassy sanctions officials authorities foreign "
     "minister parliament army regime sponsored backed citizens elections "
     "war invasion border troops capital nationals"),
    /* agency: its own country nearby (see extract.c) */
    "",
    /* actor */
    ("group hackers hacker actor actors apt threat campaign gang operators "
     "attackers espionage cyberespionage sponsored linked tracked dubbed "
     "crew adversary cluster intrusion attributed"),
    /* cve */
    "",
    /* malware */
    ("ransomware malware trojan backdoor botnet loader stealer worm wiper "
     "spyware rat variant strain payload infection infected family "
     "operators gang encryptor dropper implant samples decryptor affiliates "
     "extortion"),
    /* vendor */
    ("company vendor patch patched update products software firm "
     "corporation advisory customers product released fixed vulnerability "
     "flaw flaws")};

static const char *const default_rejects[CYS_ENTITY_TYPES] = {
    "", "", "", "", "", ""};

static void set_error(cys_gazetteer *g, const char *fmt, ...) {
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

static uint64_t key_hash(const char *key) {
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

typedef struct key_builder {
  char key[512];
  size_t len;
  unsigned words;
  int overflow;
} key_builder;

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
static cys_status make_key(cys_analyzer *a, const char *text, size_t len,
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

static cys_status cue_load(cys_analyzer *a, cue_set *set, const char *words,
                           size_t len) {
  size_t before = set->n;
  cys_status st = cys_analyze(a, words, len, cue_add, set);
  (void)before;
  return st;
}

static void cue_free(cue_set *set) {
  for (size_t i = 0; i < set->n; i++)
    free(set->stems[i]);
  free(set->stems);
  memset(set, 0, sizeof *set);
}

/* ---- adding entities ----------------------------------------------------- */

static char *dup_n(const char *s, size_t n) {
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
  uint64_t h = key_hash(key);
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
  if (make_key(g->analyzer, text, len, &k) != CYS_OK)
    return -1;
  if (k.words == 0 || k.overflow)
    return 0; /* nothing to match: punctuation only, or far too long */
  char *written = dup_n(text, len);
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
  a->key = dup_n(k.key, k.len);
  a->text = dup_n(text, len);
  if (!a->key || !a->text) {
    free(a->key);
    free(a->text);
    return -1;
  }
  a->hash = key_hash(a->key);
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
typedef int (*name_fn)(cys_gazetteer *g, uint32_t e, const char *text,
                       size_t len, unsigned flags, int is_name, void *ctx);

static int each_name(cys_gazetteer *g, uint32_t e, const char *aliases,
                     name_fn fn, void *ctx) {
  const cys_entity *ent = &g->entities[e].pub;
  cys_entity_type type = ent->type;
  const char *p = aliases ? aliases : "";
  int rc;
  while (*p) {
    const char *bar = strchr(p, '|');
    size_t n = bar ? (size_t)(bar - p) : strlen(p);
    unsigned flags = 0;
    while (n && (*p == '=' || *p == '?')) {
      flags |= *p == '=' ? ALIAS_CASE : ALIAS_AMBIGUOUS;
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
  return fn(g, e, ent->label, strlen(ent->label), 0, 1, ctx);
}

static int add_alias_fn(cys_gazetteer *g, uint32_t e, const char *text,
                        size_t len, unsigned flags, int is_name, void *ctx) {
  const unsigned *more = ctx;
  return add_alias(g, e, text, len, flags | *more, is_name);
}

/* The aliases of entity e into the tables, with more flags on each. */
static int add_aliases_flagged(cys_gazetteer *g, uint32_t e,
                               const char *aliases, unsigned more) {
  return each_name(g, e, aliases, add_alias_fn, &more);
}

/* The aliases of entity e into the tables; a generated entity's are
 * unreviewed. */
static int add_entity_aliases(cys_gazetteer *g, uint32_t e,
                              const char *aliases) {
  return add_aliases_flagged(g, e, aliases,
                             g->entities[e].generated ? ALIAS_UNREVIEWED : 0);
}

int gazetteer_add(cys_gazetteer *g, cys_entity_type type, const char *value,
                  const char *label, const char *country,
                  const char *aliases, int extra) {
  if (!value || !*value) {
    set_error(g, "an entity without a name");
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
  r->pub.value = dup_n(value, strlen(value));
  r->pub.label = dup_n(label && *label ? label : value,
                       strlen(label && *label ? label : value));
  r->pub.country = country && strlen(country) == 2 ? dup_n(country, 2) : NULL;
  r->pub.source = extra ? "file" : "cysearch";
  r->extra = extra;
  r->aliases = extra && aliases ? dup_n(aliases, strlen(aliases)) : NULL;
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
    if (!(r->pending = dup_n(aliases ? aliases : "",
                             aliases ? strlen(aliases) : 0)))
      goto nomem;
    return 0;
  }
  if (add_entity_aliases(g, e, aliases))
    goto nomem;
  return 0;
nomem:
  set_error(g, "out of memory");
  return -1;
}

/* ---- loading TSV --------------------------------------------------------- */

/* Split line[0..n) at tabs into at most max fields (NUL-terminated in buf);
 * returns the number of fields. */
static size_t split_tabs(const char *line, size_t n, char *buf, char **fields,
                         size_t max) {
  memcpy(buf, line, n);
  buf[n] = '\0';
  size_t count = 0;
  char *p = buf;
  while (count < max) {
    fields[count++] = p;
    char *tab = strchr(p, '\t');
    if (!tab)
      break;
    *tab = '\0';
    p = tab + 1;
  }
  return count;
}

static cys_status load_tsv(cys_gazetteer *g, cys_entity_type type,
                           const char *text, size_t len, const char *name,
                           int extra) {
  size_t lineno = 0;
  const char *p = text, *end = text + len;
  char *buf = NULL;
  size_t cap = 0;
  cys_status st = CYS_OK;
  while (p < end && st == CYS_OK) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    lineno++;
    const char *line = p;
    p += n + (nl ? 1 : 0);
    if (n && line[n - 1] == '\r')
      n--;
    if (n == 0)
      continue;
    if (line[0] == '#') {
      /* "#type NAME" switches the type (the export format); other
       * comments are skipped. */
      if (n > 6 && memcmp(line, "#type ", 6) == 0 &&
          cys_entity_type_parse(line + 6, n - 6, &type) != CYS_OK) {
        set_error(g, "%s:%zu: unknown entity type '%.*s'", name, lineno,
                  (int)(n - 6), line + 6);
        st = CYS_BAD_INPUT;
      }
      continue;
    }
    if (n + 1 > cap) {
      char *bigger = realloc(buf, n + 1);
      if (!bigger) {
        st = CYS_NOMEM;
        break;
      }
      buf = bigger;
      cap = n + 1;
    }
    char *f[4];
    size_t nf = split_tabs(line, n, buf, f, 4);
    if (nf < 3) {
      set_error(g, "%s:%zu: expected CANONICAL<TAB>LABEL<TAB>COUNTRY"
                   "[<TAB>ALIASES], found %zu field%s", name, lineno, nf,
                nf == 1 ? "" : "s");
      st = CYS_BAD_INPUT;
      break;
    }
    const char *country = strcmp(f[2], "-") == 0 ? NULL : f[2];
    if (gazetteer_add(g, type, f[0], f[1], country, nf > 3 ? f[3] : "",
                      extra)) {
      st = CYS_NOMEM;
      break;
    }
  }
  free(buf);
  if (st == CYS_NOMEM)
    set_error(g, "out of memory loading %s", name);
  return st;
}

cys_status cys_gazetteer_load_tsv(cys_gazetteer *g, cys_entity_type type,
                                  const char *text, size_t len,
                                  const char *name) {
  return load_tsv(g, type, text, len, name, 1);
}

cys_status cys_gazetteer_import_extra(cys_gazetteer *g, const char *text) {
  return load_tsv(g, CYS_ENTITY_ACTOR, text, strlen(text), "index metadata",
                  1);
}

/* context.tsv: TYPE <TAB> ALIAS <TAB> REQUIRE WORDS <TAB> REJECT WORDS */
static cys_status load_context(cys_gazetteer *g, const char *text,
                               size_t len) {
  const char *p = text, *end = text + len;
  size_t lineno = 0;
  char buf[1024];
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    const char *line = p;
    p += n + (nl ? 1 : 0);
    lineno++;
    if (n == 0 || line[0] == '#')
      continue;
    if (n >= sizeof buf) {
      set_error(g, "context.tsv:%zu: line too long", lineno);
      return CYS_BAD_INPUT;
    }
    char *f[4];
    size_t nf = split_tabs(line, n, buf, f, 4);
    cys_entity_type type;
    if (nf < 3 || cys_entity_type_parse(f[0], strlen(f[0]), &type)) {
      set_error(g, "context.tsv:%zu: expected TYPE<TAB>ALIAS<TAB>REQUIRE"
                   "[<TAB>REJECT]", lineno);
      return CYS_BAD_INPUT;
    }
    context_rule *bigger = realloc(g->rules, (g->nrules + 1) * sizeof *bigger);
    if (!bigger)
      return CYS_NOMEM;
    g->rules = bigger;
    context_rule *r = &g->rules[g->nrules];
    memset(r, 0, sizeof *r);
    key_builder k;
    if (make_key(g->analyzer, f[1], strlen(f[1]), &k) ||
        !(r->key = dup_n(k.key, k.len)))
      return CYS_NOMEM;
    r->type = type;
    g->nrules++;
    if (cue_load(g->analyzer, &r->require, f[2], strlen(f[2])) ||
        (nf > 3 && cue_load(g->analyzer, &r->reject, f[3], strlen(f[3]))))
      return CYS_NOMEM;
  }
  return CYS_OK;
}

const context_rule *gazetteer_rule(const cys_gazetteer *g,
                                   cys_entity_type type, const char *key) {
  for (size_t i = 0; i < g->nrules; i++)
    if (g->rules[i].type == type && strcmp(g->rules[i].key, key) == 0)
      return &g->rules[i];
  return NULL;
}

/* Room for the generated entities after the hand-written ones, so that
 * adding them (gazetteer_generate) moves no entity a caller may hold. */
static cys_status reserve_generated(cys_gazetteer *g) {
  size_t need = g->nentities + cys_generated_actor_count +
                cys_generated_malware_count;
  if (need > g->entities_cap) {
    entity_rec *bigger = realloc(g->entities, need * sizeof *bigger);
    if (!bigger) {
      set_error(g, "out of memory loading the generated tables");
      return CYS_NOMEM;
    }
    g->entities = bigger;
    g->entities_cap = need;
  }
  return CYS_OK;
}

/* The generated entities of one type, pointing at the generated tables'
 * strings (nothing is copied or parsed: see gazetteer_generated.h), into
 * the room reserve_generated made. */
static void add_generated(cys_gazetteer *g, cys_entity_type type,
                          const generated_entity *table, size_t n) {
  g->generated_first[type] = g->nentities;
  g->generated_count[type] = n;
  for (size_t i = 0; i < n; i++) {
    entity_rec *r = &g->entities[g->nentities++];
    memset(r, 0, sizeof *r);
    const char *value = cys_generated_strings + table[i].value;
    const char *country = cys_generated_strings + table[i].country;
    r->pub = (cys_entity){type, value, value, *country ? country : NULL,
                          cys_generated_strings + table[i].source};
    r->generated = 1;
    /* never written or freed */
    r->pending = (char *)(cys_generated_strings + table[i].aliases);
  }
}

void gazetteer_generate(cys_gazetteer *g) {
  if (g->builtin_end)
    return;
  add_generated(g, CYS_ENTITY_ACTOR, cys_generated_actor,
                cys_generated_actor_count);
  add_generated(g, CYS_ENTITY_MALWARE, cys_generated_malware,
                cys_generated_malware_count);
  g->builtin_end = g->nentities;
}

/* The generated names of hand-written entities, added to the alias tables
 * when those of the built-in entities are in (so the tables are the same
 * whether built at once or lazily).  An extension whose entity is missing
 * (a hand-written table edited since generation) is skipped. */
static int add_extensions(cys_gazetteer *g) {
  static const struct {
    cys_entity_type type;
    const generated_extension *table;
    const size_t *n;
  } all[] = {
      {CYS_ENTITY_ACTOR, cys_generated_actor_extensions,
       &cys_generated_actor_extensions_count},
      {CYS_ENTITY_MALWARE, cys_generated_malware_extensions,
       &cys_generated_malware_extensions_count},
  };
  for (size_t t = 0; t < sizeof all / sizeof *all; t++)
    for (size_t i = 0; i < *all[t].n; i++) {
      const generated_extension *x = &all[t].table[i];
      entity_rec *r = (entity_rec *)cys_gazetteer_find(
          g, all[t].type, cys_generated_strings + x->value);
      if (!r)
        continue;
      r->pub.source = cys_generated_strings + x->source;
      if (add_aliases_flagged(g, (uint32_t)(r - g->entities),
                              cys_generated_strings + x->aliases,
                              ALIAS_UNREVIEWED))
        return -1;
    }
  g->extended = 1;
  return 0;
}

/* The entities of the built-in TSV data, without alias tables. */
static cys_status load_entities(cys_analyzer *analyzer, cys_gazetteer **out) {
  static const struct {
    cys_entity_type type;
    const char *data;
    const size_t *len;
    const char *name;
  } builtin[] = {
      {CYS_ENTITY_COUNTRY, cys_data_countries, &cys_data_countries_len,
       "countries.tsv"},
      {CYS_ENTITY_AGENCY, cys_data_agencies, &cys_data_agencies_len,
       "agencies.tsv"},
      {CYS_ENTITY_ACTOR, cys_data_actors, &cys_data_actors_len, "actors.tsv"},
      {CYS_ENTITY_MALWARE, cys_data_malware, &cys_data_malware_len,
       "malware.tsv"},
      {CYS_ENTITY_VENDOR, cys_data_vendors, &cys_data_vendors_len,
       "vendors.tsv"},
  };
  cys_gazetteer *g = calloc(1, sizeof *g);
  if (!g)
    return CYS_NOMEM;
  g->analyzer = analyzer;
  cys_status st = CYS_OK;
  for (size_t i = 0; i < sizeof builtin / sizeof *builtin && !st; i++)
    st = load_tsv(g, builtin[i].type, builtin[i].data, *builtin[i].len,
                  builtin[i].name, 0);
  if (!st)
    st = reserve_generated(g);
  if (st) {
    cys_gazetteer_free(g);
    return st;
  }
  *out = g;
  return CYS_OK;
}

static void rules_free(cys_gazetteer *g) {
  for (int t = 0; t < CYS_ENTITY_TYPES; t++) {
    cue_free(&g->cues[t]);
    cue_free(&g->rejects[t]);
  }
  for (size_t i = 0; i < g->nrules; i++) {
    free(g->rules[i].key);
    cue_free(&g->rules[i].require);
    cue_free(&g->rules[i].reject);
  }
  free(g->rules);
  g->rules = NULL;
  g->nrules = 0;
}

cys_status gazetteer_build(cys_gazetteer *g) {
  if (g->built)
    return CYS_OK;
  gazetteer_generate(g);
  /* Entity by entity, in the order they were added, so the tables equal
   * those of adding each entity's aliases with it; an entity whose aliases
   * are in drops its pending column, so a retry after a failure goes on
   * where this one stopped. */
  for (size_t i = 0; i <= g->nentities; i++) {
    if (i == g->builtin_end && !g->extended && add_extensions(g)) {
      set_error(g, "out of memory building the alias tables");
      return CYS_NOMEM;
    }
    entity_rec *r = i < g->nentities ? &g->entities[i] : NULL;
    if (!r || !r->pending)
      continue;
    if (add_entity_aliases(g, (uint32_t)i, r->pending)) {
      set_error(g, "out of memory building the alias tables");
      return CYS_NOMEM;
    }
    if (!r->generated)
      free(r->pending);
    r->pending = NULL;
  }
  cys_status st = CYS_OK;
  for (int t = 0; t < CYS_ENTITY_TYPES && !st; t++)
    if (cue_load(g->analyzer, &g->cues[t], default_cues[t],
                 strlen(default_cues[t])) ||
        cue_load(g->analyzer, &g->rejects[t], default_rejects[t],
                 strlen(default_rejects[t])))
      st = CYS_NOMEM;
  if (!st)
    st = load_context(g, cys_data_context, cys_data_context_len);
  if (st) {
    rules_free(g); /* all or nothing: a retry loads them again */
    if (st == CYS_NOMEM)
      set_error(g, "out of memory loading the context rules");
    return st;
  }
  g->built = 1;
  return CYS_OK;
}

cys_status cys_gazetteer_new(cys_analyzer *analyzer, cys_gazetteer **out) {
  cys_gazetteer *g;
  cys_status st = load_entities(analyzer, &g);
  if (st)
    return st;
  gazetteer_generate(g);
  if ((st = gazetteer_build(g))) {
    cys_gazetteer_free(g);
    return st;
  }
  *out = g;
  return CYS_OK;
}

cys_status cys_gazetteer_new_lazy(cys_analyzer *analyzer,
                                  cys_gazetteer **out) {
  return load_entities(analyzer, out);
}

int cys_gazetteer_is_built(const cys_gazetteer *g) { return g->built; }

void cys_gazetteer_free(cys_gazetteer *g) {
  if (!g)
    return;
  for (size_t i = 0; i < g->nentities; i++) {
    entity_rec *r = &g->entities[i];
    if (r->generated)
      continue; /* the generated tables' strings */
    free((char *)r->pub.value);
    free((char *)r->pub.label);
    free((char *)r->pub.country);
    free(r->aliases);
    free(r->pending);
  }
  free(g->entities);
  for (size_t i = 0; i < g->naliases; i++) {
    free(g->aliases[i].key);
    free(g->aliases[i].text);
  }
  free(g->aliases);
  free(g->buckets);
  free(g->prefixes);
  rules_free(g);
  free(g);
}

/* ---- lookups ------------------------------------------------------------- */

size_t cys_gazetteer_count(const cys_gazetteer *g, cys_entity_type type) {
  gazetteer_generate((cys_gazetteer *)g);
  size_t n = 0;
  for (size_t i = 0; i < g->nentities; i++)
    n += g->entities[i].pub.type == type;
  return n;
}

/* The generated entities of a type are sorted by value: a binary search;
 * the others (a few hundred, and run-time ones) one by one. */
static const cys_entity *find_generated(const cys_gazetteer *g,
                                        cys_entity_type type,
                                        const char *value) {
  size_t lo = g->generated_first[type];
  size_t hi = lo + g->generated_count[type];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(g->entities[mid].pub.value, value);
    if (c == 0)
      return &g->entities[mid].pub;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* The generated entities are added (gazetteer_generate) only when a
 * lookup misses the others, so a searcher's start adds nothing. */
const cys_entity *cys_gazetteer_find(const cys_gazetteer *g,
                                     cys_entity_type type, const char *value) {
  for (size_t i = 0; i < g->nentities; i++)
    if (!g->entities[i].generated && g->entities[i].pub.type == type &&
        strcmp(g->entities[i].pub.value, value) == 0)
      return &g->entities[i].pub;
  gazetteer_generate((cys_gazetteer *)g);
  return find_generated(g, type, value);
}

static int equal_nocase(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z')
      x = (char)(x + 32);
    if (y >= 'A' && y <= 'Z')
      y = (char)(y + 32);
    if (x != y)
      return 0;
  }
  return *a == *b;
}

/* Does one name of an entity have the key ctx points to? */
static int name_has_key(cys_gazetteer *g, uint32_t e, const char *text,
                        size_t len, unsigned flags, int is_name, void *ctx) {
  (void)e;
  (void)flags;
  (void)is_name;
  const key_builder *want = ctx;
  /* A name whose first letter or digit is ASCII starts its key with that
   * character in lower case: skip analysing names that cannot match. */
  size_t i = 0;
  while (i < len && !ascii_is_alnum(text[i]) &&
         !((unsigned char)text[i] & 0x80))
    i++;
  if (i < len && ascii_is_alnum(text[i]) &&
      ascii_to_lower(text[i]) != want->key[0])
    return 0;
  key_builder k;
  if (make_key(g->analyzer, text, len, &k) != CYS_OK || k.words == 0 ||
      k.overflow)
    return 0; /* such a name is never in the tables either */
  return k.len == want->len && memcmp(k.key, want->key, k.len) == 0;
}

/* The hand-written entity of this type whose generated extension has a
 * name with the key, the last such in the order add_extensions adds them. */
static const cys_entity *extension_with_key(cys_gazetteer *g,
                                            cys_entity_type type,
                                            key_builder *want) {
  const generated_extension *table =
      type == CYS_ENTITY_ACTOR     ? cys_generated_actor_extensions
      : type == CYS_ENTITY_MALWARE ? cys_generated_malware_extensions
                                   : NULL;
  size_t n = 0;
  if (type == CYS_ENTITY_ACTOR)
    n = cys_generated_actor_extensions_count;
  else if (type == CYS_ENTITY_MALWARE)
    n = cys_generated_malware_extensions_count;
  for (size_t i = n; table && i-- > 0;) {
    const cys_entity *e =
        cys_gazetteer_find(g, type, cys_generated_strings + table[i].value);
    if (e && each_name(g, (uint32_t)((const entity_rec *)e - g->entities),
                       cys_generated_strings + table[i].aliases, name_has_key,
                       want) == 1)
      return e;
  }
  return NULL;
}

/* resolve before the alias tables exist: the names of the type's entities
 * only, each analysed once.  The tables' chains hold later aliases first,
 * and aliases are added entity by entity, so the answer there is the last
 * entity with a name of this key: scanning backwards, the first. */
static const cys_entity *resolve_unbuilt(cys_gazetteer *g,
                                         cys_entity_type type,
                                         key_builder *want) {
  for (size_t i = g->nentities; i-- > 0;) {
    const cys_entity *hand;
    if (i + 1 == g->builtin_end &&
        (hand = extension_with_key(g, type, want)) != NULL)
      return hand; /* extensions come after the built-in entities */
    entity_rec *r = &g->entities[i];
    if (r->pub.type == type &&
        each_name(g, (uint32_t)i, r->pending, name_has_key, want) == 1)
      return &r->pub;
  }
  return NULL;
}

const cys_entity *cys_gazetteer_resolve(const cys_gazetteer *g,
                                        cys_entity_type type,
                                        const char *text) {
  gazetteer_generate((cys_gazetteer *)g);
  for (size_t i = 0; i < g->nentities; i++)
    if (g->entities[i].pub.type == type &&
        equal_nocase(g->entities[i].pub.value, text))
      return &g->entities[i].pub;
  key_builder k;
  if (make_key(g->analyzer, text, strlen(text), &k) != CYS_OK || !k.words)
    return NULL;
  /* A lazy gazetteer (the cast: see gazetteer_build) whose tables were
   * never started looks through the names of this type only; one whose
   * build failed half-way is built now.  When that fails, nothing
   * matches. */
  if (!g->built && g->naliases == 0)
    return resolve_unbuilt((cys_gazetteer *)g, type, &k);
  if (gazetteer_build((cys_gazetteer *)g) != CYS_OK)
    return NULL;
  uint64_t h = key_hash(k.key);
  for (uint32_t i = gazetteer_first_alias(g, h); i != ALIAS_NONE;
       i = g->aliases[i].next) {
    const alias *a = &g->aliases[i];
    if (a->hash == h && strcmp(a->key, k.key) == 0 &&
        g->entities[a->entity].pub.type == type)
      return &g->entities[a->entity].pub;
  }
  return NULL;
}

/* Edit distance between two short ASCII-folded strings, capped. */
static size_t distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64)
    return 99;
  size_t row[65];
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = diag + cost;
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

size_t cys_gazetteer_suggest(const cys_gazetteer *g, cys_entity_type type,
                             const char *text, const cys_entity **out,
                             size_t max) {
  key_builder k;
  if (max == 0 || gazetteer_build((cys_gazetteer *)g) != CYS_OK ||
      make_key(g->analyzer, text, strlen(text), &k) != CYS_OK ||
      !k.words)
    return 0;
  size_t limit = k.len / 3 + 1, n = 0;
  size_t best[16];
  if (max > 16)
    max = 16;
  for (size_t i = 0; i < g->naliases; i++) {
    const alias *a = &g->aliases[i];
    const cys_entity *e = &g->entities[a->entity].pub;
    if (e->type != type)
      continue;
    /* Whole names, and the start of longer ones ("fncy" ~ "fancy bear"). */
    size_t d = distance(k.key, a->key);
    if (strlen(a->key) > k.len + 1) {
      char head[66];
      size_t hn = k.len + 1 < sizeof head ? k.len + 1 : sizeof head - 1;
      memcpy(head, a->key, hn);
      head[hn] = '\0';
      size_t dh = distance(k.key, head) + 1;
      if (dh < d)
        d = dh;
    }
    if (d > limit)
      continue;
    /* Keep each entity once, at its best distance, sorted. */
    size_t at = n;
    for (size_t j = 0; j < n; j++)
      if (out[j] == e) {
        at = j;
        break;
      }
    if (at < n) {
      if (d >= best[at])
        continue;
      for (size_t j = at; j + 1 < n; j++) {
        out[j] = out[j + 1];
        best[j] = best[j + 1];
      }
      n--;
    }
    size_t pos = n;
    while (pos > 0 && best[pos - 1] > d)
      pos--;
    if (pos >= max)
      continue;
    if (n == max)
      n--;
    for (size_t j = n; j > pos; j--) {
      out[j] = out[j - 1];
      best[j] = best[j - 1];
    }
    out[pos] = e;
    best[pos] = d;
    n++;
  }
  return n;
}

cys_status cys_gazetteer_export_extra(const cys_gazetteer *g, char **out) {
  size_t cap = 1;
  for (size_t i = 0; i < g->nentities; i++) {
    const entity_rec *r = &g->entities[i];
    if (r->extra)
      cap += strlen(r->pub.value) + strlen(r->pub.label) + 32 +
             (r->aliases ? strlen(r->aliases) : 0);
  }
  char *s = malloc(cap), *p = s;
  if (!s)
    return CYS_NOMEM;
  int type = -1;
  for (size_t i = 0; i < g->nentities; i++) {
    const entity_rec *r = &g->entities[i];
    if (!r->extra)
      continue;
    if ((int)r->pub.type != type) {
      type = (int)r->pub.type;
      p += sprintf(p, "#type %s\n", type_names[type]);
    }
    p += sprintf(p, "%s\t%s\t%s\t%s\n", r->pub.value, r->pub.label,
                 r->pub.country ? r->pub.country : "-",
                 r->aliases ? r->aliases : "");
  }
  *p = '\0';
  *out = s;
  return CYS_OK;
}
