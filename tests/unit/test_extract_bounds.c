/*
 * test_extract_bounds.c — what bounds entity extraction on huge articles
 * (issue #16): the span set that settles overlapping candidates (checked
 * against a plain list), the cap on mentions per field (every entity
 * still tags the article), and the interrupt flag that makes extraction
 * give way to Ctrl-C.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/entity.h"
#include "span_set.h"

static cys_analyzer *analyzer;
static cys_gazetteer *gazetteer;
static cys_extractor *extractor;

/* text repeated n times, then tail; the caller frees it. */
static char *repeat(const char *text, size_t n, const char *tail) {
  size_t len = strlen(text), tail_len = strlen(tail);
  char *s = malloc(len * n + tail_len + 1);
  if (!s)
    return NULL;
  for (size_t i = 0; i < n; i++)
    memcpy(s + i * len, text, len);
  memcpy(s + len * n, tail, tail_len + 1);
  return s;
}

/* The span set answers as a plain list of taken spans would. */
static void test_span_set(void) {
  enum { SPANS = 2000 };
  size_t start[SPANS], end[SPANS], taken[SPANS], ntaken = 0;
  srand(16);
  for (size_t i = 0; i < SPANS; i++) {
    start[i] = (size_t)(rand() % 3000);
    end[i] = start[i] + 1 + (size_t)(rand() % 12);
  }
  span_set s;
  memset(&s, 0, sizeof s);
  CHECK_INT(span_set_reset(&s, start, SPANS), CYS_OK);
  int mismatches = 0;
  for (size_t i = 0; i < SPANS; i++) {
    /* by the list, the taken span overlapping that starts last (when
     * two overlap, either tells that the new one is not free) */
    size_t hit = SPAN_NONE;
    for (size_t k = 0; k < ntaken; k++)
      if (end[taken[k]] > start[i] && start[taken[k]] < end[i] &&
          (hit == SPAN_NONE || start[taken[k]] > start[hit]))
        hit = taken[k];
    size_t slot = span_set_overlapping(&s, start[i], end[i]);
    if ((hit == SPAN_NONE) != (slot == SPAN_NONE) ||
        (slot != SPAN_NONE && (span_set_start(&s, slot) != start[hit] ||
                               span_set_end(&s, slot) != end[hit])))
      mismatches++;
    if (hit == SPAN_NONE) {
      span_set_take(&s, span_set_slot(&s, start[i]), end[i]);
      taken[ntaken++] = i;
    }
  }
  CHECK_INT(mismatches, 0);
  CHECK(ntaken > 100); /* enough spans were taken to mean something */
  /* reused for another field: nothing taken any more */
  size_t one = 5;
  CHECK_INT(span_set_reset(&s, &one, 1), CYS_OK);
  CHECK(span_set_overlapping(&s, 0, 100) == SPAN_NONE);
  span_set_free(&s);
}

/* A field of mentions keeps CYS_EXTRACT_MAX_MENTIONS of them, the first
 * ones, plus the first mention of each entity named after the cap. */
static void test_cap(void) {
  size_t n = 2 * CYS_EXTRACT_MAX_MENTIONS;
  char *body = repeat("China ", n, "Then Russia and Iran, and China again.");
  if (!body) {
    CHECK(!"out of memory");
    return;
  }
  cys_extractor_reset(extractor);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 0, "China", 5), CYS_OK);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 1, body, strlen(body)),
            CYS_OK);
  size_t count = cys_extractor_count(extractor);
  CHECK_INT(count, 1 + CYS_EXTRACT_MAX_MENTIONS + 2);
  if (count == 1 + CYS_EXTRACT_MAX_MENTIONS + 2) {
    const cys_mention *title = cys_extractor_mention(extractor, 0);
    CHECK_INT(title->field, 0);
    const cys_mention *last_cn =
        cys_extractor_mention(extractor, CYS_EXTRACT_MAX_MENTIONS);
    CHECK_STR(last_cn->value, "CN");
    CHECK_INT(last_cn->start, 6 * (CYS_EXTRACT_MAX_MENTIONS - 1));
    const cys_mention *ru = cys_extractor_mention(extractor, count - 2);
    const cys_mention *ir = cys_extractor_mention(extractor, count - 1);
    CHECK_STR(ru->value, "RU");
    CHECK_STR(ir->value, "IR");
    CHECK(ru->start < ir->start);
    CHECK_STR(body + ru->start, "Russia and Iran, and China again.");
  }
  free(body);

  /* at the cap exactly, nothing is dropped */
  body = repeat("Iran ", CYS_EXTRACT_MAX_MENTIONS, "");
  cys_extractor_reset(extractor);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 1, body, strlen(body)),
            CYS_OK);
  CHECK_INT(cys_extractor_count(extractor), CYS_EXTRACT_MAX_MENTIONS);
  free(body);
}

/* Dense overlapping names settle as they do in a short text: "Fancy
 * Bear" is one actor each time, never a "Bear" of its own. */
static void test_dense_overlaps(void) {
  size_t n = CYS_EXTRACT_MAX_MENTIONS / 2;
  char *body = repeat("Fancy Bear, ", n, "");
  cys_extractor_reset(extractor);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 1, body, strlen(body)),
            CYS_OK);
  size_t count = cys_extractor_count(extractor), actors = 0;
  for (size_t i = 0; i < count; i++) {
    const cys_mention *m = cys_extractor_mention(extractor, i);
    actors += m->type == CYS_ENTITY_ACTOR && m->end - m->start == 10 &&
              m->start == 12 * i;
  }
  CHECK_INT(count, n);
  CHECK_INT(actors, n);
  free(body);
}

/* With the interrupt flag set, a long field stops with CYS_INTERRUPTED;
 * cleared, the same extractor works again. */
static void test_interrupt(void) {
  static volatile sig_atomic_t flag;
  char *body = repeat("China and Russia ", 20000, "");
  cys_extractor_set_interrupt(extractor, &flag);
  flag = 1;
  cys_extractor_reset(extractor);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 1, body, strlen(body)),
            CYS_INTERRUPTED);
  flag = 0;
  cys_extractor_reset(extractor);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 1, body, strlen(body)),
            CYS_OK);
  CHECK_INT(cys_extractor_count(extractor), CYS_EXTRACT_MAX_MENTIONS);
  cys_extractor_set_interrupt(extractor, NULL);
  free(body);
}

int main(void) {
  if (cys_analyzer_new(NULL, &analyzer) != CYS_OK ||
      cys_gazetteer_new(analyzer, &gazetteer) != CYS_OK ||
      cys_extractor_new(gazetteer, &extractor) != CYS_OK) {
    fprintf(stderr, "cannot set up\n");
    return 1;
  }
  test_span_set();
  test_cap();
  test_dense_overlaps();
  test_interrupt();
  cys_extractor_free(extractor);
  cys_gazetteer_free(gazetteer);
  cys_analyzer_free(analyzer);
  return check_done();
}
