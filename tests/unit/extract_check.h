/*
 * extract_check.h — what the entity tests share: one analyzer, gazetteer
 * and extractor (set up by each test's main), the mentions of a text as
 * "type:value" words, and FINDS / NOT_FINDS checks on them.  Include after
 * check.h, in one test file.
 */
#ifndef CYSEARCH_TEST_EXTRACT_CHECK_H
#define CYSEARCH_TEST_EXTRACT_CHECK_H

#include <stdio.h>
#include <string.h>

#include "cysearch/entity.h"

static cys_analyzer *analyzer;
static cys_gazetteer *gazetteer;
static cys_extractor *extractor;

/* "type:value" for every mention in text, space separated. */
static inline const char *extract(const char *text) {
  static char out[4096];
  out[0] = '\0';
  cys_extractor_reset(extractor);
  if (cys_extractor_field(extractor, analyzer, 1, text, strlen(text)) !=
      CYS_OK)
    return "(error)";
  for (size_t i = 0; i < cys_extractor_count(extractor); i++) {
    const cys_mention *m = cys_extractor_mention(extractor, i);
    char one[256];
    snprintf(one, sizeof one, "%s%s:%s", out[0] ? " " : "",
             cys_entity_type_name(m->type), m->value);
    strncat(out, one, sizeof out - strlen(out) - 1);
  }
  return out;
}

/* Does the extraction of text contain "type:value"? */
static inline int has(const char *text, const char *tagged) {
  const char *all = extract(text);
  size_t n = strlen(tagged);
  for (const char *p = all; (p = strstr(p, tagged)) != NULL; p += n)
    if ((p == all || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
      return 1;
  return 0;
}

#define FINDS(text, tagged)                                                  \
  do {                                                                       \
    int ok_ = has(text, tagged);                                             \
    if (!ok_)                                                                \
      fprintf(stderr, "  missing %s in \"%s\": got [%s]\n", tagged, text,    \
              extract(text));                                                \
    CHECK(ok_);                                                              \
  } while (0)

#define NOT_FINDS(text, tagged)                                              \
  do {                                                                       \
    int bad_ = has(text, tagged);                                            \
    if (bad_)                                                                \
      fprintf(stderr, "  wrongly found %s in \"%s\"\n", tagged, text);       \
    CHECK(!bad_);                                                            \
  } while (0)

/* The source of the first mention of type:value in text, or "". */
static inline const char *source_of(const char *text, cys_entity_type type,
                             const char *value) {
  extract(text);
  for (size_t i = 0; i < cys_extractor_count(extractor); i++) {
    const cys_mention *m = cys_extractor_mention(extractor, i);
    if (m->type == type && strcmp(m->value, value) == 0)
      return m->source ? m->source : "(null)";
  }
  return "";
}

/* The built-in gazetteer and an extractor on it; 0, or 1 when they cannot
 * be made. */
static inline int extract_setup(void) {
  if (cys_analyzer_new(NULL, &analyzer) != CYS_OK ||
      cys_gazetteer_new(analyzer, &gazetteer) != CYS_OK ||
      cys_extractor_new(gazetteer, &extractor) != CYS_OK) {
    fprintf(stderr, "cannot set up\n");
    return 1;
  }
  return 0;
}

static inline void extract_teardown(void) {
  cys_extractor_free(extractor);
  cys_gazetteer_free(gazetteer);
  cys_analyzer_free(analyzer);
}

#endif
