/*
 * entity.h — entities: the gazetteer of known countries, agencies, threat
 * actors, malware families and vendors, and the extractor that finds them
 * (and CVE ids) in article text.
 *
 * A gazetteer is built from the project's own data (the TSV files in common/data/,
 * compiled in) plus, optionally, MISP galaxy cluster files.  Each entity
 * has a canonical value (what filters and facets use: "CN", "NSA",
 * "APT28"), a label for people ("China"), the country it belongs to (an
 * agency's, an actor's attributed sponsor), and aliases.  Aliases match
 * whole words, case-insensitively, unless marked case-sensitive ("US"); an
 * alias that is an ordinary word or a first name ("Georgia", "Play",
 * "Jordan") is ambiguous and needs context words nearby.
 *
 * Ownership: cys_gazetteer_new and cys_extractor_new put a new object in
 * *out, the caller's, freed with its _free (NULL accepted).  A gazetteer
 * borrows its analyzer, and an extractor its gazetteer: each must outlive
 * what borrows it.  Entities live as long as their gazetteer; mentions
 * until the extractor's next reset or field.
 * Errors: CYS_NOMEM; CYS_NOT_FOUND (the file cannot be opened or read),
 * CYS_IO, CYS_BAD_INPUT and CYS_INVALID from cys_gazetteer_load_misp, with
 * the message (the file and what is wrong
 * in it) in cys_gazetteer_errmsg; CYS_INTERRUPTED from the extractor once
 * its interrupt flag is set.  One thread at a time per object.
 */
#ifndef CYSEARCH_ENTITY_H
#define CYSEARCH_ENTITY_H

#include <signal.h> /* sig_atomic_t */
#include <stddef.h>

#include "cysearch/analyze.h"
#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cys_entity_type {
  CYS_ENTITY_COUNTRY,
  CYS_ENTITY_AGENCY,
  CYS_ENTITY_ACTOR,
  CYS_ENTITY_CVE,
  CYS_ENTITY_MALWARE,
  CYS_ENTITY_VENDOR,
  CYS_ENTITY_TYPES /* the number of types */
} cys_entity_type;

/* The filter name of a type: "country", "agency", "actor", "cve",
 * "malware", "vendor". */
CYS_API const char *cys_entity_type_name(cys_entity_type type);

/* ---- the gazetteer ------------------------------------------------------ */

typedef struct cys_gazetteer cys_gazetteer;

/* One known entity.  Strings live as long as the gazetteer. */
typedef struct cys_entity {
  cys_entity_type type;
  const char *value;   /* canonical: "CN", "NSA", "APT28", "WannaCry" */
  const char *label;   /* "China", "National Security Agency", ... */
  const char *country; /* ISO 3166-1 alpha-2, or NULL when none is known */
  const char *source;  /* where it comes from: "cysearch" (our tables),
                          "misp-galaxy", "mitre-attack" (comma-separated
                          when several), "file" (a --gazetteer file) */
} cys_entity;

/* The built-in gazetteer, analysed with `analyzer` (which the caller keeps
 * and must not free before the gazetteer).  *out is owned by the caller. */
CYS_API cys_status cys_gazetteer_new(cys_analyzer *analyzer,
                                     cys_gazetteer **out);

CYS_API void cys_gazetteer_free(cys_gazetteer *gazetteer);

/* Add the entities of a MISP galaxy cluster file (JSON with "type" and
 * "values"; each value's "value" is the name, "meta.synonyms" its aliases,
 * "meta.country" or "meta.cfr-suspected-state-sponsor" its country).  A
 * value that names a known entity adds its new aliases to it.  The galaxy
 * type decides the entity type (threat-actor -> actor; ransomware, tool,
 * malpedia, botnet, rat, backdoor, stealer, exploit-kit -> malware;
 * intelligence-agencies -> agency; country -> country); other types are
 * CYS_INVALID.  Errors are described in cys_gazetteer_errmsg. */
CYS_API cys_status cys_gazetteer_load_misp(cys_gazetteer *gazetteer,
                                           const char *path);

CYS_API const char *cys_gazetteer_errmsg(const cys_gazetteer *gazetteer);

/* The entity with this canonical value (exact), or NULL. */
CYS_API const cys_entity *cys_gazetteer_find(const cys_gazetteer *gazetteer,
                                             cys_entity_type type,
                                             const char *value);

/* What a user typed as a filter value: a canonical value or any alias,
 * case-insensitively ("china", "PRC", "Chinese" -> CN; "Fancy Bear" ->
 * APT28).  NULL when nothing matches.  Owned by the gazetteer. */
CYS_API const cys_entity *cys_gazetteer_resolve(const cys_gazetteer *gazetteer,
                                                cys_entity_type type,
                                                const char *text);

/* Call fn(ctx, name) for each name of the entity other than its
 * canonical value: its aliases as written in the gazetteer, then its
 * label, each once (a spelling that only differs from an earlier one in
 * spaces or punctuation, "APT-28" after "APT 28", is one alias).  Names
 * kept for filters only (country codes) are left out.  Builds a lazy
 * gazetteer's alias tables first.  Stops at fn's first non-zero return and
 * returns it; CYS_NOMEM when the tables cannot be built; 0 otherwise.
 * entity must come from this gazetteer (cys_gazetteer_find). */
CYS_API int cys_gazetteer_each_alias(const cys_gazetteer *gazetteer,
                                     const cys_entity *entity,
                                     int (*fn)(void *ctx, const char *name),
                                     void *ctx);

/* ---- extraction --------------------------------------------------------- */

typedef struct cys_extractor cys_extractor;

/* One mention of an entity in a field of an article. */
typedef struct cys_mention {
  cys_entity_type type;
  const char *value; /* canonical; lives as long as the extractor's result */
  const char *label;
  const char *country; /* the entity's own country, or NULL */
  const char *source;  /* the entity's source (cys_entity), "shape" for an
                          unknown designator (TA4557), "context" for a name
                          the article introduced ("dubbed X") */
  int field;           /* 0 title, 1 body */
  size_t start, end;   /* byte offsets into that field */
} cys_mention;

/* An extractor using the gazetteer (kept by the caller, and must outlive
 * it); builds a lazy gazetteer's alias tables.  Not thread-safe: one per
 * thread. */
CYS_API cys_status cys_extractor_new(const cys_gazetteer *gazetteer,
                                     cys_extractor **out);
CYS_API void cys_extractor_free(cys_extractor *extractor);

/* Look at *flag (may be NULL: never; it must outlive the extractor) as
 * the tokens of a field come and while its mentions are found: once it
 * is non-zero (a signal handler sets it), the extractor's calls return
 * CYS_INTERRUPTED within a few thousand tokens or candidates, so that
 * even a huge article gives way to Ctrl-C at once. */
CYS_API void cys_extractor_set_interrupt(cys_extractor *extractor,
                                         const volatile sig_atomic_t *flag);

/* Start a new article: forget earlier mentions. */
CYS_API void cys_extractor_reset(cys_extractor *extractor);

/* Analyse and extract a whole field in one call (for --extract and tests). */
CYS_API cys_status cys_extractor_field(cys_extractor *extractor,
                                       cys_analyzer *analyzer, int field,
                                       const char *text, size_t len);

/* The most mentions kept of one field.  Past it, only the first mention
 * of each entity not mentioned yet in the field is kept: every entity an
 * article names still tags it, but the list of mentions (and the counts
 * made from it) of an article made of mentions stays bounded. */
#define CYS_EXTRACT_MAX_MENTIONS 10000

/* The mentions found since the last reset, in field and text order. */
CYS_API size_t cys_extractor_count(const cys_extractor *extractor);
CYS_API const cys_mention *cys_extractor_mention(const cys_extractor *extractor,
                                                 size_t i);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_ENTITY_H */
