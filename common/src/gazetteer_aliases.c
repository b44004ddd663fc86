/*
 * gazetteer_aliases.c — the names of one entity, for programs that show or
 * export them (cysearch --format stix writes an actor's aliases).  Read
 * from the alias tables that gazetteer.c builds, so the names are exactly
 * those the extractor and the filters know.
 */
#include <string.h>

#include "entity_internal.h"

int cys_gazetteer_each_alias(const cys_gazetteer *gazetteer,
                             const cys_entity *entity,
                             int (*fn)(void *ctx, const char *name),
                             void *ctx) {
  /* A lazy gazetteer is for one thread, as its lookups say: building its
   * tables through a const pointer is what they do too. */
  cys_gazetteer *g = (cys_gazetteer *)gazetteer;
  int rc = 0;
  if (gazetteer_build(g) != CYS_OK)
    return CYS_NOMEM;
  /* entity is the pub member, first in its entity_rec. */
  const entity_rec *rec = (const entity_rec *)(const void *)entity;
  uint32_t e = (uint32_t)(rec - g->entities);
  for (size_t i = 0; i < g->naliases && !rc; i++) {
    const alias *a = &g->aliases[i];
    /* (not a name several entities share, nor a generic name that is
     * this one's only with its country: the searcher resolves neither) */
    if (a->entity != e ||
        (a->flags & (ALIAS_NO_TEXT | ALIAS_CHOICE | ALIAS_QUALIFIED)) ||
        strcmp(a->text, entity->value) == 0)
      continue;
    rc = fn(ctx, a->text);
  }
  return rc;
}
