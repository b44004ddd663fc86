/*
 * entity_lib.h — the parts of the entity API (cysearch/entity.h) that only
 * the library and its tests use: filter names and values resolved through
 * the gazetteer, the lazy gazetteer a searcher opens, the extra entities an
 * index stores, and the extractor fed token by token by the writer.
 * Internal: not installed.
 */
#ifndef CYSEARCH_ENTITY_LIB_H
#define CYSEARCH_ENTITY_LIB_H

#include <stddef.h>

#include "cysearch/analyze.h"
#include "cysearch/entity.h"
#include "cysearch/status.h"

/* The type with this filter name; CYS_NOT_FOUND when there is none. */
cys_status cys_entity_type_parse(const char *name, size_t len,
                                 cys_entity_type *out);

/* The same gazetteer for a searcher that may only need a few lookups: the
 * entities (value, label, country) are loaded at once, which is cheap, and
 * the alias tables, which run every name through the analyzer, only when
 * a lookup needs them all (cys_gazetteer_suggest, the extractor).  So a
 * facet sidebar (cys_gazetteer_find) and filters by canonical value ("CN")
 * analyse no names, and a filter by any other name ("China") analyses the
 * names of its type only.  Answers are identical to cys_gazetteer_new's.
 * Not thread-safe, not even for lookups: one thread only. */
cys_status cys_gazetteer_new_lazy(cys_analyzer *analyzer,
                                  cys_gazetteer **out);

/* Whether the alias tables are built (for tests and measurements). */
int cys_gazetteer_is_built(const cys_gazetteer *gazetteer);

/* Add entities written in the built-in TSV format (see common/data/). */
cys_status cys_gazetteer_load_tsv(cys_gazetteer *gazetteer,
                                  cys_entity_type type, const char *text,
                                  size_t len, const char *name);

/* The entities added by load_* calls, as TSV text that load_tsv reads back
 * (one section per type, "#type NAME" lines between); malloc'd.  Stored in
 * an index so searchers know the same entities its indexer knew. */
cys_status cys_gazetteer_export_extra(const cys_gazetteer *gazetteer,
                                      char **out);
/* Load what export_extra wrote. */
cys_status cys_gazetteer_import_extra(cys_gazetteer *gazetteer,
                                      const char *text);

/* Number of entities of a type. */
size_t cys_gazetteer_count(const cys_gazetteer *gazetteer,
                           cys_entity_type type);

/* Up to max entities of the type whose names are closest to text (for
 * "did you mean" after resolve fails), best first; returns how many. */
size_t cys_gazetteer_suggest(const cys_gazetteer *gazetteer,
                             cys_entity_type type, const char *text,
                             const cys_entity **out, size_t max);

/* Feed one field: the text and then every token the analyzer gave for it,
 * in order.  Mentions are found when the field ends. */
void cys_extractor_begin_field(cys_extractor *extractor, int field,
                               const char *text, size_t len);
cys_status cys_extractor_token(cys_extractor *extractor,
                               const cys_token *token);
cys_status cys_extractor_end_field(cys_extractor *extractor);

#endif /* CYSEARCH_ENTITY_LIB_H */
