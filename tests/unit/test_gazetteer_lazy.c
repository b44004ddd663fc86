/*
 * test_gazetteer_lazy.c — the lazy gazetteer (cys_gazetteer_new_lazy,
 * entity.h) a searcher uses: canonical lookups (facet labels, filters by
 * canonical value, and any other name) leave the alias tables unbuilt;
 * suggestions and the extractor build them; and every answer, the built tables themselves, entities imported
 * before or after the build, and the extractor over it are the same as
 * with the eager cys_gazetteer_new.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/entity.h"
#include "cysearch/entity_lib.h"
#include "entity_internal.h"

static cys_analyzer *analyzer;

static cys_gazetteer *eager(void) {
  cys_gazetteer *g = NULL;
  CHECK_INT(cys_gazetteer_new(analyzer, &g), CYS_OK);
  return g;
}

static cys_gazetteer *lazy(void) {
  cys_gazetteer *g = NULL;
  CHECK_INT(cys_gazetteer_new_lazy(analyzer, &g), CYS_OK);
  return g;
}

static int same_entity(const cys_entity *a, const cys_entity *b) {
  if (!a || !b)
    return a == b;
  return a->type == b->type && strcmp(a->value, b->value) == 0 &&
         strcmp(a->label, b->label) == 0 &&
         (a->country ? b->country && strcmp(a->country, b->country) == 0
                     : !b->country);
}

/* The alias tables of a lazy gazetteer, once built, equal the eager ones:
 * the same aliases in the same order, the same chains and prefixes. */
static void check_same_tables(const cys_gazetteer *a, const cys_gazetteer *b) {
  CHECK_INT(a->nentities, b->nentities);
  CHECK_INT(a->naliases, b->naliases);
  CHECK_INT(a->nbuckets, b->nbuckets);
  CHECK_INT(a->nprefixes, b->nprefixes);
  CHECK_INT(a->nrules, b->nrules);
  size_t differ = 0;
  for (size_t i = 0; i < a->naliases && i < b->naliases; i++) {
    const alias *x = &a->aliases[i], *y = &b->aliases[i];
    differ += x->entity != y->entity || x->next != y->next ||
              x->flags != y->flags || x->hash != y->hash ||
              strcmp(x->key, y->key) != 0 || strcmp(x->text, y->text) != 0;
  }
  CHECK_INT(differ, 0);
  for (size_t i = 0; i < a->nbuckets && a->nbuckets == b->nbuckets; i++)
    differ += a->buckets[i] != b->buckets[i];
  CHECK_INT(differ, 0);
  for (int t = 0; t < CYS_ENTITY_TYPES; t++)
    CHECK_INT(a->cues[t].n, b->cues[t].n);
}

/* Facet labels: every entity found by its canonical value, with nothing
 * built. */
static void test_find_needs_no_tables(void) {
  cys_gazetteer *e = eager(), *l = lazy();
  CHECK(cys_gazetteer_is_built(e));
  CHECK(!cys_gazetteer_is_built(l));
  for (int t = 0; t < CYS_ENTITY_TYPES; t++)
    CHECK_INT(cys_gazetteer_count(l, (cys_entity_type)t),
              cys_gazetteer_count(e, (cys_entity_type)t));
  size_t found = 0;
  for (size_t i = 0; i < e->nentities; i++) {
    const cys_entity *x = &e->entities[i].pub;
    found += same_entity(cys_gazetteer_find(l, x->type, x->value), x);
  }
  CHECK_INT(found, e->nentities);
  CHECK(cys_gazetteer_find(l, CYS_ENTITY_COUNTRY, "China") == NULL);
  CHECK_STR(cys_gazetteer_find(l, CYS_ENTITY_COUNTRY, "CN")->label, "China");
  CHECK(!cys_gazetteer_is_built(l));
  cys_gazetteer_free(e);
  cys_gazetteer_free(l);
}

/* Filters by canonical value, in any case, analyse nothing; other names
 * are looked up without building the tables, and resolve as the eager
 * gazetteer does, before the tables are built and after. */
static void test_resolve(void) {
  cys_gazetteer *e = eager(), *l = lazy();
  CHECK_STR(cys_gazetteer_resolve(l, CYS_ENTITY_COUNTRY, "CN")->value, "CN");
  CHECK_STR(cys_gazetteer_resolve(l, CYS_ENTITY_COUNTRY, "cn")->value, "CN");
  CHECK_STR(cys_gazetteer_resolve(l, CYS_ENTITY_ACTOR, "apt28")->value,
            "APT28");
  static const struct {
    cys_entity_type type;
    const char *text, *value; /* NULL: no such entity */
  } names[] = {{CYS_ENTITY_COUNTRY, "China", "CN"},
               {CYS_ENTITY_COUNTRY, "PRC", "CN"},
               {CYS_ENTITY_COUNTRY, "chinese", "CN"},
               {CYS_ENTITY_ACTOR, "Fancy Bear", "APT28"},
               {CYS_ENTITY_ACTOR, "fancy  BEAR", "APT28"},
               {CYS_ENTITY_MALWARE, "wannacry", "WannaCry"},
               {CYS_ENTITY_COUNTRY, "Fancy Bear", NULL},
               {CYS_ENTITY_COUNTRY, "Narnia", NULL},
               {CYS_ENTITY_COUNTRY, "...", NULL}};
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
      const cys_entity *x = cys_gazetteer_resolve(l, names[i].type,
                                                  names[i].text);
      CHECK(same_entity(x, cys_gazetteer_resolve(e, names[i].type,
                                                 names[i].text)));
      if (names[i].value)
        CHECK_STR(x ? x->value : NULL, names[i].value);
      else
        CHECK(x == NULL);
    }
    /* First without tables; then again with them. */
    CHECK_INT(cys_gazetteer_is_built(l), pass);
    CHECK_INT(gazetteer_build(l), CYS_OK);
  }
  check_same_tables(l, e);
  cys_gazetteer_free(l);
  /* Every 7th alias of the eager tables, as written, on a gazetteer that
   * was never built: the same entity (names shared by two entities of a
   * type included, where the later one wins). */
  l = lazy();
  size_t tried = 0, same = 0;
  for (size_t i = 0; i < e->naliases; i += 7) {
    const alias *a = &e->aliases[i];
    cys_entity_type t = e->entities[a->entity].pub.type;
    tried++;
    same += same_entity(cys_gazetteer_resolve(l, t, a->text),
                        cys_gazetteer_resolve(e, t, a->text));
  }
  CHECK(tried > 500);
  CHECK_INT(same, tried);
  CHECK(!cys_gazetteer_is_built(l));
  cys_gazetteer_free(e);
  cys_gazetteer_free(l);
}

/* A name two entities of a type share resolves to the later one (the
 * tables' chains hold later aliases first), tables or not. */
static void test_shared_name(void) {
  const char *tsv = "#type actor\n"
                    "Copy Bear\tCopy Bear\tRU\tFancy Bear|Strontium\n";
  cys_gazetteer *e = eager(), *l = lazy();
  CHECK_INT(cys_gazetteer_import_extra(e, tsv), CYS_OK);
  CHECK_INT(cys_gazetteer_import_extra(l, tsv), CYS_OK);
  static const char *const shared[] = {"Fancy Bear", "strontium"};
  for (size_t i = 0; i < 2; i++) {
    const cys_entity *x = cys_gazetteer_resolve(e, CYS_ENTITY_ACTOR,
                                                shared[i]);
    CHECK_STR(x ? x->value : NULL, "Copy Bear");
    CHECK(same_entity(cys_gazetteer_resolve(l, CYS_ENTITY_ACTOR, shared[i]),
                      x));
  }
  CHECK(!cys_gazetteer_is_built(l));
  /* The built-in entity keeps its canonical value. */
  CHECK_STR(cys_gazetteer_resolve(l, CYS_ENTITY_ACTOR, "APT28")->value,
            "APT28");
  cys_gazetteer_free(e);
  cys_gazetteer_free(l);
}

/* "Did you mean" on a fresh lazy gazetteer builds it and suggests the
 * same entities, in the same order. */
static void test_suggest(void) {
  cys_gazetteer *e = eager(), *l = lazy();
  const cys_entity *se[5], *sl[5];
  size_t ne = cys_gazetteer_suggest(e, CYS_ENTITY_COUNTRY, "Chnia", se, 5);
  size_t nl = cys_gazetteer_suggest(l, CYS_ENTITY_COUNTRY, "Chnia", sl, 5);
  CHECK(ne > 0);
  CHECK_INT(nl, ne);
  for (size_t i = 0; i < ne && i < nl; i++)
    CHECK(same_entity(sl[i], se[i]));
  CHECK(cys_gazetteer_is_built(l));
  cys_gazetteer_free(e);
  cys_gazetteer_free(l);
}

/* Entities an index carries (import_extra) join a lazy gazetteer before
 * its build and after it alike, and export as they were imported. */
static void test_extra(void) {
  const char *tsv = "#type actor\n"
                    "Made Up Panda\tMade Up Panda\tCN\tMUP-1|=MUPANDA\n";
  cys_gazetteer *e = eager(), *before = lazy(), *after = lazy();
  CHECK_INT(cys_gazetteer_import_extra(e, tsv), CYS_OK);
  CHECK_INT(cys_gazetteer_import_extra(before, tsv), CYS_OK);
  CHECK(!cys_gazetteer_is_built(before));
  CHECK_INT(gazetteer_build(after), CYS_OK);
  CHECK(cys_gazetteer_is_built(after));
  CHECK_INT(cys_gazetteer_import_extra(after, tsv), CYS_OK);
  /* Imported twice: nothing more. */
  CHECK_INT(cys_gazetteer_import_extra(before, tsv), CYS_OK);
  CHECK_INT(cys_gazetteer_count(before, CYS_ENTITY_ACTOR),
            cys_gazetteer_count(e, CYS_ENTITY_ACTOR));
  CHECK_STR(cys_gazetteer_find(before, CYS_ENTITY_ACTOR, "Made Up Panda")
                ->country, "CN");
  CHECK(!cys_gazetteer_is_built(before));
  cys_gazetteer *all[] = {before, after};
  for (int i = 0; i < 2; i++) {
    const cys_entity *x = cys_gazetteer_resolve(all[i], CYS_ENTITY_ACTOR,
                                                "mup-1");
    CHECK_STR(x ? x->value : NULL, "Made Up Panda");
    CHECK_INT(gazetteer_build(all[i]), CYS_OK);
    check_same_tables(all[i], e);
    char *ex = NULL, *ee = NULL;
    CHECK_INT(cys_gazetteer_export_extra(all[i], &ex), CYS_OK);
    CHECK_INT(cys_gazetteer_export_extra(e, &ee), CYS_OK);
    CHECK_STR(ex, ee);
    free(ex);
    free(ee);
  }
  cys_gazetteer_free(e);
  cys_gazetteer_free(before);
  cys_gazetteer_free(after);
}

/* An extractor over a lazy gazetteer builds it and finds what one over
 * an eager gazetteer finds. */
static void test_extractor(void) {
  const char *text = "Fancy Bear, tied to Russia's GRU, and APT41 from China "
                     "exploited CVE-2021-44228 in VMware products to drop "
                     "WannaCry ransomware, the NSA and CISA said.";
  cys_gazetteer *e = eager(), *l = lazy();
  cys_extractor *xe = NULL, *xl = NULL;
  CHECK_INT(cys_extractor_new(e, &xe), CYS_OK);
  CHECK_INT(cys_extractor_new(l, &xl), CYS_OK);
  CHECK(cys_gazetteer_is_built(l));
  if (xe && xl) {
    CHECK_INT(cys_extractor_field(xe, analyzer, 1, text, strlen(text)),
              CYS_OK);
    CHECK_INT(cys_extractor_field(xl, analyzer, 1, text, strlen(text)),
              CYS_OK);
    CHECK(cys_extractor_count(xe) >= 6);
    CHECK_INT(cys_extractor_count(xl), cys_extractor_count(xe));
    for (size_t i = 0;
         i < cys_extractor_count(xe) && i < cys_extractor_count(xl); i++) {
      const cys_mention *a = cys_extractor_mention(xe, i);
      const cys_mention *b = cys_extractor_mention(xl, i);
      CHECK(a->type == b->type && strcmp(a->value, b->value) == 0 &&
            a->start == b->start && a->end == b->end);
    }
  }
  cys_extractor_free(xe);
  cys_extractor_free(xl);
  cys_gazetteer_free(e);
  cys_gazetteer_free(l);
}

/* cys_gazetteer_each_alias: the names of an entity but its canonical
 * value, the same from a lazy gazetteer (which it builds) as from an
 * eager one; fn's non-zero return stops the walk and is returned. */
typedef struct names {
  char text[4096];
  int count, stop_at;
} names;

static int collect(void *ctx, const char *name) {
  names *n = ctx;
  size_t used = strlen(n->text);
  snprintf(n->text + used, sizeof n->text - used, "%s|", name);
  return ++n->count == n->stop_at ? 7 : 0;
}

static void test_aliases(void) {
  cys_gazetteer *e = eager(), *l = lazy();
  names a = {.stop_at = -1}, b = {.stop_at = -1}, c = {.stop_at = -1},
        d = {.stop_at = 2};
  const cys_entity *ea = cys_gazetteer_find(e, CYS_ENTITY_ACTOR, "APT28");
  const cys_entity *la = cys_gazetteer_find(l, CYS_ENTITY_ACTOR, "APT28");
  CHECK(ea && la);
  if (ea && la) {
    CHECK_INT(cys_gazetteer_each_alias(e, ea, collect, &a), 0);
    CHECK(!cys_gazetteer_is_built(l));
    CHECK_INT(cys_gazetteer_each_alias(l, la, collect, &b), 0);
    CHECK(cys_gazetteer_is_built(l));
    CHECK_STR(b.text, a.text);
    CHECK(strstr(a.text, "|Fancy Bear|") != NULL);
    CHECK(strncmp(a.text, "APT 28|", 7) == 0);
    CHECK(strstr(a.text, "|APT28|") == NULL);
    CHECK_INT(cys_gazetteer_each_alias(l, la, collect, &d), 7);
    CHECK_INT(d.count, 2);
  }
  /* An agency's label is one of its names; a country's code (its
   * canonical value, for filters only) is not. */
  const cys_entity *nsa = cys_gazetteer_find(e, CYS_ENTITY_AGENCY, "NSA");
  const cys_entity *it = cys_gazetteer_find(e, CYS_ENTITY_COUNTRY, "IT");
  CHECK(nsa && it);
  if (nsa && it) {
    CHECK_INT(cys_gazetteer_each_alias(e, nsa, collect, &c), 0);
    CHECK(strstr(c.text, "National Security Agency|") != NULL);
    c.text[0] = '\0';
    CHECK_INT(cys_gazetteer_each_alias(e, it, collect, &c), 0);
    CHECK(strstr(c.text, "Italy|") != NULL);
    CHECK(strncmp(c.text, "IT|", 3) != 0 && strstr(c.text, "|IT|") == NULL);
  }
  cys_gazetteer_free(e);
  cys_gazetteer_free(l);
}

int main(void) {
  if (cys_analyzer_new(NULL, &analyzer) != CYS_OK) {
    fprintf(stderr, "test_gazetteer_lazy: cannot create the analyzer\n");
    return 1;
  }
  test_find_needs_no_tables();
  test_resolve();
  test_shared_name();
  test_suggest();
  test_extra();
  test_extractor();
  test_aliases();
  cys_analyzer_free(analyzer);
  return check_done();
}
