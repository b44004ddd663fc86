/*
 * gazetteer_builtin.c — the built-in entities generated from the
 * community vocabularies (gazetteer_generated.h) added to a gazetteer
 * after its hand-written ones, and an entity found by its canonical value
 * (cys_gazetteer_find, entity.h).  Nothing here analyses text or builds
 * alias tables, so the builder (gazetteer_build.c) and the storage
 * (gazetteer.c) call it without calling back into the lookups.
 */
#include <string.h>

#include "entity_internal.h"
#include "gazetteer_generated.h"

/* The generated entities of one type, pointing at the generated tables'
 * strings (nothing is copied or parsed: see gazetteer_generated.h), into
 * the room reserve_generated (gazetteer_build.c) made. */
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
  /* The generated ones (thousands) are one block, searched apart. */
  size_t block = g->builtin_end ? g->generated_first[CYS_ENTITY_ACTOR] : 0;
  for (size_t i = 0; i < g->nentities; i++) {
    if (g->builtin_end && i == block)
      i = g->builtin_end;
    if (i < g->nentities && !g->entities[i].generated &&
        g->entities[i].pub.type == type &&
        strcmp(g->entities[i].pub.value, value) == 0)
      return &g->entities[i].pub;
  }
  gazetteer_generate((cys_gazetteer *)g);
  return find_generated(g, type, value);
}
