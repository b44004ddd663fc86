/* extract_mode.c — see extract_mode.h.  JSON is written by jansson. */
#include "extract_mode.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/entity.h"
#include "job.h"

struct extract_mode {
  cys_analyzer *analyzer;
  cys_gazetteer *gazetteer;
  cys_extractor *extractor;
};

extract_mode *extract_mode_new(const char *language,
                               const char *const *gazetteers, size_t n) {
  extract_mode *x = calloc(1, sizeof *x);
  cys_status st = x ? cys_analyzer_new(language, &x->analyzer) : CYS_NOMEM;
  if (st == CYS_NOT_FOUND) {
    /* as the writer says it when indexing */
    fprintf(stderr, PROGRAM ": unknown stemmer language '%s' (see "
                    "--list-languages)\n", language);
    extract_mode_free(x);
    return NULL;
  }
  if (st != CYS_OK ||
      cys_gazetteer_new(x->analyzer, &x->gazetteer) != CYS_OK ||
      cys_extractor_new(x->gazetteer, &x->extractor) != CYS_OK) {
    fprintf(stderr, PROGRAM ": cannot load the built-in gazetteers\n");
    extract_mode_free(x);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    if (cys_gazetteer_load_misp(x->gazetteer, gazetteers[i]) != CYS_OK) {
      fprintf(stderr, PROGRAM ": %s\n", cys_gazetteer_errmsg(x->gazetteer));
      extract_mode_free(x);
      return NULL;
    }
  return x;
}

void extract_mode_set_interrupt(extract_mode *x,
                                const volatile sig_atomic_t *flag) {
  cys_extractor_set_interrupt(x->extractor, flag);
}

void extract_mode_free(extract_mode *x) {
  if (!x)
    return;
  cys_extractor_free(x->extractor);
  cys_gazetteer_free(x->gazetteer);
  cys_analyzer_free(x->analyzer);
  free(x);
}

cys_status extract_mode_put(extract_mode *x, const cys_article *a,
                            FILE *out) {
  const char *fields[2] = {a->title, a->body};
  cys_extractor_reset(x->extractor);
  for (int f = 0; f < 2; f++) {
    if (!fields[f])
      continue;
    cys_status st = cys_extractor_field(x->extractor, x->analyzer, f,
                                        fields[f], strlen(fields[f]));
    if (st != CYS_OK)
      return st;
  }
  json_t *root = json_object(), *list = json_array();
  if (!root || !list) {
    json_decref(root);
    json_decref(list);
    return CYS_NOMEM;
  }
  json_object_set_new(root, "id", json_string(a->id));
  for (size_t i = 0; i < cys_extractor_count(x->extractor); i++) {
    const cys_mention *m = cys_extractor_mention(x->extractor, i);
    const char *text = fields[m->field];
    json_array_append_new(
        list,
        json_pack("{s:s, s:s, s:s, s:s, s:s%, s:I, s:I, s:s}", "type",
                  cys_entity_type_name(m->type), "value", m->value, "label",
                  m->label, "field", m->field ? "body" : "title", "text",
                  text + m->start, m->end - m->start, "start",
                  (json_int_t)m->start, "end", (json_int_t)m->end, "source",
                  m->source ? m->source : "cysearch"));
  }
  json_object_set_new(root, "entities", list);
  int rc = json_dumpf(root, out, JSON_COMPACT);
  json_decref(root);
  if (rc || fputc('\n', out) == EOF)
    return CYS_IO;
  return CYS_OK;
}
