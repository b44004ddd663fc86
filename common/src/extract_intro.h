/*
 * extract_intro.h — names an article introduces: "a new loader dubbed
 * Bumblebee", "tracked as TA4557", "the eCrime gang we dubbed “E.K.P.”",
 * "known as Shathak", "which we call X", "threat actor X", "the Groove
 * gang".  Pure text functions; extract.c makes every later (and earlier)
 * mention of such a name in the article an entity.
 */
#ifndef CYSEARCH_EXTRACT_INTRO_H
#define CYSEARCH_EXTRACT_INTRO_H

#include <stddef.h>

#include "cysearch/entity.h"

#define INTRO_NAME_MAX 64

typedef struct intro {
  size_t start, end;           /* the name in the text (quotes left out) */
  char name[INTRO_NAME_MAX];   /* as written, spaces folded */
  cys_entity_type type;        /* CYS_ENTITY_ACTOR or CYS_ENTITY_MALWARE */
} intro;

/* The first introduction in text[from..len); returns 0 when there is none
 * (then *out is untouched), else 1 and the byte after it in *next.  The
 * type comes from the words around the name ("a new backdoor dubbed X",
 * "the X gang"); an introduction whose type the text does not say is
 * skipped. */
int intro_find(const char *text, size_t len, size_t from, intro *out,
               size_t *next);

/* Does name (as written) stand at text[at] as a whole word sequence? */
int intro_name_at(const char *text, size_t len, size_t at, const char *name);

#endif
