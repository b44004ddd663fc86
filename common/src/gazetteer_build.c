/*
 * gazetteer_build.c — filling the entity tables (entity_internal.h): the
 * built-in TSV data and the context rules loaded, the generated tables
 * (gazetteer_generated.h) added, and the alias tables, cue sets and
 * context rules built (gazetteer_build); a gazetteer made and freed.
 * The TSV format is described in gazetteer.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_internal.h"
#include "gazetteer_generated.h"

extern const char cys_data_countries[], cys_data_agencies[],
    cys_data_actors[], cys_data_malware[], cys_data_vendors[],
    cys_data_context[];
extern const size_t cys_data_countries_len, cys_data_agencies_len,
    cys_data_actors_len, cys_data_malware_len, cys_data_vendors_len,
    cys_data_context_len;

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
        gazetteer_set_error(g, "%s:%zu: unknown entity type '%.*s'", name,
                            lineno, (int)(n - 6), line + 6);
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
      gazetteer_set_error(g,
                          "%s:%zu: expected CANONICAL<TAB>LABEL<TAB>COUNTRY"
                          "[<TAB>ALIASES], found %zu field%s",
                          name, lineno, nf, nf == 1 ? "" : "s");
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
    gazetteer_set_error(g, "out of memory loading %s", name);
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
      gazetteer_set_error(g, "context.tsv:%zu: line too long", lineno);
      return CYS_BAD_INPUT;
    }
    char *f[4];
    size_t nf = split_tabs(line, n, buf, f, 4);
    cys_entity_type type;
    if (nf < 3 || cys_entity_type_parse(f[0], strlen(f[0]), &type)) {
      gazetteer_set_error(g,
                          "context.tsv:%zu: expected TYPE<TAB>ALIAS<TAB>REQUIRE"
                          "[<TAB>REJECT]",
                          lineno);
      return CYS_BAD_INPUT;
    }
    context_rule *bigger = realloc(g->rules, (g->nrules + 1) * sizeof *bigger);
    if (!bigger)
      return CYS_NOMEM;
    g->rules = bigger;
    context_rule *r = &g->rules[g->nrules];
    memset(r, 0, sizeof *r);
    key_builder k;
    if (gazetteer_make_key(g->analyzer, f[1], strlen(f[1]), &k) ||
        !(r->key = gazetteer_dup_n(k.key, k.len)))
      return CYS_NOMEM;
    r->type = type;
    g->nrules++;
    if (gazetteer_cue_load(g->analyzer, &r->require, f[2], strlen(f[2])) ||
        (nf > 3 &&
         gazetteer_cue_load(g->analyzer, &r->reject, f[3], strlen(f[3]))))
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
      gazetteer_set_error(g, "out of memory loading the generated tables");
      return CYS_NOMEM;
    }
    g->entities = bigger;
    g->entities_cap = need;
  }
  return CYS_OK;
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
      if (gazetteer_add_aliases_flagged(g, (uint32_t)(r - g->entities),
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
    gazetteer_cue_free(&g->cues[t]);
    gazetteer_cue_free(&g->rejects[t]);
  }
  for (size_t i = 0; i < g->nrules; i++) {
    free(g->rules[i].key);
    gazetteer_cue_free(&g->rules[i].require);
    gazetteer_cue_free(&g->rules[i].reject);
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
      gazetteer_set_error(g, "out of memory building the alias tables");
      return CYS_NOMEM;
    }
    entity_rec *r = i < g->nentities ? &g->entities[i] : NULL;
    if (!r || !r->pending)
      continue;
    if (gazetteer_add_entity_aliases(g, (uint32_t)i, r->pending)) {
      gazetteer_set_error(g, "out of memory building the alias tables");
      return CYS_NOMEM;
    }
    if (!r->generated)
      free(r->pending);
    r->pending = NULL;
  }
  cys_status st = CYS_OK;
  for (int t = 0; t < CYS_ENTITY_TYPES && !st; t++)
    if (gazetteer_cue_load(g->analyzer, &g->cues[t], default_cues[t],
                           strlen(default_cues[t])) ||
        gazetteer_cue_load(g->analyzer, &g->rejects[t], default_rejects[t],
                           strlen(default_rejects[t])))
      st = CYS_NOMEM;
  if (!st)
    st = load_context(g, cys_data_context, cys_data_context_len);
  if (st) {
    rules_free(g); /* all or nothing: a retry loads them again */
    if (st == CYS_NOMEM)
      gazetteer_set_error(g, "out of memory loading the context rules");
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
