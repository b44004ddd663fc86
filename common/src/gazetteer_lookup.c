/*
 * gazetteer_lookup.c — the lookups on the entity tables (entity.h) that
 * the query parser, the searcher and the indexer use: counting and finding
 * entities, resolving a name to one, and exporting the entities loaded at
 * run time, and suggesting names for a mistyped one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii_class.h"
#include "edit_distance.h"
#include "entity_internal.h"
#include "gazetteer_generated.h"

size_t cys_gazetteer_count(const cys_gazetteer *g, cys_entity_type type) {
  gazetteer_generate((cys_gazetteer *)g);
  size_t n = 0;
  for (size_t i = 0; i < g->nentities; i++)
    n += g->entities[i].pub.type == type;
  return n;
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
  (void)is_name;
  const key_builder *want = ctx;
  if (flags & (ALIAS_CHOICE | ALIAS_QUALIFIED))
    return 0; /* shared, or generic without its country: not by itself */
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
  if (gazetteer_make_key(g->analyzer, text, len, &k) != CYS_OK ||
      k.words == 0 || k.overflow)
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
    if (e &&
        gazetteer_each_name(g, (uint32_t)((const entity_rec *)e - g->entities),
                            cys_generated_strings + table[i].aliases,
                            name_has_key, want) == 1)
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
    if (r->pub.type == type && gazetteer_each_name(g, (uint32_t)i, r->pending,
                                                   name_has_key, want) == 1)
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
  if (gazetteer_make_key(g->analyzer, text, strlen(text), &k) != CYS_OK ||
      !k.words)
    return NULL;
  /* A lazy gazetteer (the cast: see gazetteer_build) whose tables were
   * never started looks through the names of this type only; one whose
   * build failed half-way is built now.  When that fails, nothing
   * matches. */
  if (!g->built && g->naliases == 0)
    return resolve_unbuilt((cys_gazetteer *)g, type, &k);
  if (gazetteer_build((cys_gazetteer *)g) != CYS_OK)
    return NULL;
  uint64_t h = gazetteer_key_hash(k.key);
  for (uint32_t i = gazetteer_first_alias(g, h); i != ALIAS_NONE;
       i = g->aliases[i].next) {
    const alias *a = &g->aliases[i];
    if (a->hash == h && strcmp(a->key, k.key) == 0 &&
        g->entities[a->entity].pub.type == type &&
        !(a->flags & (ALIAS_CHOICE | ALIAS_QUALIFIED))) /* not alone */
      return &g->entities[a->entity].pub;
  }
  return NULL;
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
      p +=
          sprintf(p, "#type %s\n", cys_entity_type_name((cys_entity_type)type));
    }
    p += sprintf(p, "%s\t%s\t%s\t%s\n", r->pub.value, r->pub.label,
                 r->pub.country ? r->pub.country : "-",
                 r->aliases ? r->aliases : "");
  }
  *p = '\0';
  *out = s;
  return CYS_OK;
}

/* ---- suggestions for an unknown filter value ----------------------------- */
size_t cys_gazetteer_suggest(const cys_gazetteer *g, cys_entity_type type,
                             const char *text, const cys_entity **out,
                             size_t max) {
  key_builder k;
  if (max == 0 || gazetteer_build((cys_gazetteer *)g) != CYS_OK ||
      gazetteer_make_key(g->analyzer, text, strlen(text), &k) != CYS_OK ||
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
    size_t alen = strlen(a->key), head = k.len + 1;
    int bound = (int)limit;
    size_t d = (size_t)edit_distance(k.key, k.len, a->key, alen, bound);
    if (alen > head) {
      size_t dh = (size_t)edit_distance(k.key, k.len, a->key, head, bound) + 1;
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
