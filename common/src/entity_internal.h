/*
 * entity_internal.h — the gazetteer's tables, shared by gazetteer.c (which
 * builds them), gazetteer_misp.c and extract.c (which matches with them).
 *
 * Every alias is analysed with the index's analyzer into a key: the folded
 * forms of its words (identifier parts included, wholes left out) joined by
 * single spaces, e.g. "Fancy Bear" -> "fancy bear", "CNCERT/CC" ->
 * "cncert cc".  Text is matched by building the same keys over its tokens.
 */
#ifndef CYSEARCH_ENTITY_INTERNAL_H
#define CYSEARCH_ENTITY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cysearch/entity.h"
#include "cysearch/entity_lib.h"

#define ALIAS_MAX_WORDS 8 /* longer aliases are not matched in text */

enum alias_flag {
  ALIAS_CASE = 1u << 0,      /* must match the original text exactly */
  ALIAS_AMBIGUOUS = 1u << 1, /* needs context words nearby */
  ALIAS_NO_TEXT = 1u << 2,   /* for filter values only (country codes) */
  ALIAS_UNREVIEWED = 1u << 3, /* from the generated tables: must be written
                                 with a capital; if ambiguous, its cue must
                                 be next to it */
  ALIAS_QUALIFIED = 1u << 4,  /* an agency's generic name ("National Cyber
                                 Security Centre"): counts only qualified by
                                 the agency's own country ("Lithuania's ...",
                                 "... of Lithuania") */
  ALIAS_CHOICE = 1u << 5,     /* a name several groups share: counts only
                                 where the field names this entity by
                                 another name, and not the others */
};

typedef struct alias {
  uint32_t entity;   /* index into the gazetteer's entities */
  uint32_t next;     /* next alias in the same hash bucket, or NONE */
  uint64_t hash;     /* of key */
  unsigned flags;    /* enum alias_flag */
  unsigned words;    /* words in key */
  char *key;         /* folded words joined by ' ' */
  char *text;        /* as written, without markers (for ALIAS_CASE) */
} alias;

typedef struct entity_rec {
  cys_entity pub;
  int extra;     /* loaded from a file at run time (exported to the index) */
  int generated; /* pub's strings and pending are the generated tables' */
  char *aliases; /* for extra entities: the TSV alias column, for export */
  char *pending; /* the alias column, until the alias tables are built */
} entity_rec;

/* Words that must (or must not) be near an ambiguous alias, as stems. */
typedef struct cue_set {
  char **stems;
  size_t n, cap;
} cue_set;

/* Context rules for one ambiguous alias, from common/data/context.tsv. */
typedef struct context_rule {
  cys_entity_type type;
  char *key;      /* the alias key */
  cue_set require; /* empty: the type's usual cues */
  cue_set reject;
} context_rule;

#define ALIAS_NONE UINT32_MAX

/* The entities (value, label, country) are loaded at once; the alias
 * tables, cue sets and context rules, which run every name through the
 * analyzer, are built by gazetteer_build: at once by cys_gazetteer_new, on
 * the first lookup that needs them for cys_gazetteer_new_lazy. */
struct cys_gazetteer {
  cys_analyzer *analyzer;
  int built; /* the alias tables, cue sets and context rules are there */
  entity_rec *entities;
  size_t nentities, entities_cap;
  /* The generated entities of each type (gazetteer_generated.h) are
   * entities[generated_first[t] .. + generated_count[t]), sorted by value;
   * the generated extensions are applied when entity builtin_end is;
   * builtin_end is 0 until gazetteer_generate. */
  size_t generated_first[CYS_ENTITY_TYPES], generated_count[CYS_ENTITY_TYPES];
  size_t builtin_end;
  int extended; /* the extensions' aliases are in the tables */
  alias *aliases;
  size_t naliases, aliases_cap;
  uint32_t *buckets; /* alias chains by hash */
  size_t nbuckets;
  uint64_t *prefixes; /* open-addressing set of word-prefix hashes */
  size_t nprefixes, prefixes_cap;
  cue_set cues[CYS_ENTITY_TYPES];   /* what makes an ambiguous alias sure */
  cue_set rejects[CYS_ENTITY_TYPES];
  context_rule *rules;
  size_t nrules;
  char errmsg[512];
};

/* Hash of words joined by spaces, built word by word. */
uint64_t key_hash_start(void);
uint64_t key_hash_word(uint64_t h, const char *word, size_t len, int first);
/* The hash of a whole key. */
uint64_t gazetteer_key_hash(const char *key);

/* The aliases whose key hash is h: walk with alias->next. */
uint32_t gazetteer_first_alias(const cys_gazetteer *g, uint64_t h);
int gazetteer_is_prefix(const cys_gazetteer *g, uint64_t h);
int cue_set_has(const cue_set *set, const char *stem, size_t len);
const context_rule *gazetteer_rule(const cys_gazetteer *g,
                                   cys_entity_type type, const char *key);

/* Build the alias tables, cue sets and context rules if they are not
 * there yet (idempotent).  Lookups on a const gazetteer call it through a
 * cast: a lazy gazetteer is for one thread, like its analyzer. */
cys_status gazetteer_build(cys_gazetteer *g);

/* Add the generated entities (gazetteer_generated.h) after the
 * hand-written ones, if they are not there yet: at once for
 * cys_gazetteer_new, on the first lookup that may need them for a lazy
 * gazetteer, and always before entities loaded at run time.  Moves no
 * entity (their room was reserved), so pointers stay valid. */
void gazetteer_generate(cys_gazetteer *g);

/* Add one entity with its alias column ("a|=B|?c"); returns 0 or -1 with
 * errmsg set. */
int gazetteer_add(cys_gazetteer *g, cys_entity_type type, const char *value,
                  const char *label, const char *country,
                  const char *aliases, int extra);

/* ---- between gazetteer.c, gazetteer_build.c and gazetteer_lookup.c ---- */

/* Keep a message in g->errmsg. */
#if defined(__GNUC__)
void gazetteer_set_error(cys_gazetteer *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif
void gazetteer_set_error(cys_gazetteer *g, const char *fmt, ...);

/* An alias key being built from the analyzer's tokens. */
typedef struct key_builder {
  char key[512];
  size_t len;
  unsigned words;
  int overflow;
} key_builder;

/* The key of text: its words, folded, joined by spaces ("" when none). */
cys_status gazetteer_make_key(cys_analyzer *a, const char *text, size_t len,
                              key_builder *k);

/* Add the stems of words[0..len) to set; free a set's stems. */
cys_status gazetteer_cue_load(cys_analyzer *a, cue_set *set, const char *words,
                              size_t len);
void gazetteer_cue_free(cue_set *set);

/* A malloc'd, NUL-terminated copy of s[0..n), or NULL. */
char *gazetteer_dup_n(const char *s, size_t n);

/* Call fn for each name of entity e, in the order they are added: its
 * alias column ("a|=B|?c") first, whose markers win over the plain names,
 * then its canonical value and label.  Stops at fn's first non-zero. */
typedef int (*name_fn)(cys_gazetteer *g, uint32_t e, const char *text,
                       size_t len, unsigned flags, int is_name, void *ctx);
int gazetteer_each_name(cys_gazetteer *g, uint32_t e, const char *aliases,
                        name_fn fn, void *ctx);

/* The aliases of entity e into the tables, with more flags on each; and
 * with a generated entity's marked unreviewed. */
int gazetteer_add_aliases_flagged(cys_gazetteer *g, uint32_t e,
                                  const char *aliases, unsigned more);
int gazetteer_add_entity_aliases(cys_gazetteer *g, uint32_t e,
                                 const char *aliases);

#endif
