/*
 * gazetteer_generated.h — the built-in tables generated from community
 * vocabularies (MISP galaxy, MITRE ATT&CK) by common/data/generate_tables.py
 * into common/data/generated_tables.c, and linked in as constant arrays so
 * that a program's start parses nothing: gazetteer.c points its entities at
 * these strings instead of copying them.
 */
#ifndef CYSEARCH_GAZETTEER_GENERATED_H
#define CYSEARCH_GAZETTEER_GENERATED_H

#include <stddef.h>
#include <stdint.h>

/* Strings are offsets into cys_generated_strings (NUL-terminated there):
 * pointers would cost a relocation each when a program starts. */
extern const char cys_generated_strings[];

/* An entity that no hand-written table has, sorted by value (strcmp). */
typedef struct generated_entity {
  uint32_t value;   /* also its label */
  uint32_t country; /* ISO alpha-2 of the attributed sponsor, or "" */
  uint32_t source;  /* "misp-galaxy", "mitre-attack", comma-separated */
  uint32_t aliases; /* the alias column of the .tsv tables */
} generated_entity;

/* More names for a hand-written entity (common/data/, the .tsv files) with
 * this value, sorted by value. */
typedef struct generated_extension {
  uint32_t value;
  uint32_t source;  /* "cysearch," then the vocabularies' names */
  uint32_t aliases; /* alias column */
} generated_extension;

extern const generated_entity cys_generated_actor[], cys_generated_malware[];
extern const size_t cys_generated_actor_count, cys_generated_malware_count;
extern const generated_extension cys_generated_actor_extensions[],
    cys_generated_malware_extensions[];
extern const size_t cys_generated_actor_extensions_count,
    cys_generated_malware_extensions_count;

#endif
