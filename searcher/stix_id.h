/*
 * stix_id.h — deterministic STIX 2.1 identifiers: "TYPE--UUID" where UUID
 * is the UUIDv5 (RFC 4122: SHA-1 of a namespace and a name) of a name that
 * says what the object stands for, in cysearch's own namespace
 * STIX_ID_NAMESPACE.  So two exports of the same entity, article or
 * relationship give it the same id, and a platform that imports both
 * (OpenCTI, MISP) keeps one object.  The names are written in
 * output_stix.c ("actor:APT28", "article:ID", ...).
 */
#ifndef CYSEARCH_SEARCHER_STIX_ID_H
#define CYSEARCH_SEARCHER_STIX_ID_H

#include <stddef.h>

/* Chosen once at random for cysearch (never change it: every id an export
 * ever gave would change with it). */
#define STIX_ID_NAMESPACE "8403764e-0d77-4366-b314-1b2f8573803a"

/* "intrusion-set--" is the longest type prefix cysearch writes; with the
 * UUID and the NUL this is room enough. */
#define STIX_ID_MAX 64

/* Write "type--UUIDv5(namespace, name[0..len))" into out.  type is at
 * most 24 bytes. */
void stix_id(char out[STIX_ID_MAX], const char *type, const char *name,
             size_t len);

#endif
