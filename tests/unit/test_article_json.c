/*
 * test_article_json.c — the JSON side of the indexer: field mapping
 * (--field FIELD=KEY, nested keys, error messages naming the mapped key),
 * dates in feed forms, and whole JSON documents (one object, an array,
 * bad elements, the fallback id); each refusal with its kind of fault.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "article_json.h"
#include "check.h"

static void test_map_specs(void) {
  json_field_map map;
  char error[256];
  json_field_map_default(&map);
  CHECK_STR(map.key[JSON_FIELD_TITLE], "title");
  char ok[] = "title=headline", nested[] = "date=meta.published";
  CHECK_INT(json_field_map_set(&map, ok, error, sizeof error), 0);
  CHECK_INT(json_field_map_set(&map, nested, error, sizeof error), 0);
  CHECK_STR(map.key[JSON_FIELD_TITLE], "headline");
  CHECK_STR(map.key[JSON_FIELD_DATE], "meta.published");
  char bad1[] = "author=byline", bad2[] = "title=", bad3[] = "title",
       bad4[] = "=x";
  char *bad[] = {bad1, bad2, bad3, bad4};
  for (int i = 0; i < 4; i++) {
    error[0] = '\0';
    CHECK_INT(json_field_map_set(&map, bad[i], error, sizeof error), -1);
    CHECK(strstr(error, bad[i]) != NULL);
  }
  CHECK_STR(map.key[JSON_FIELD_TITLE], "headline"); /* unchanged */
}

static void test_mapped_record(void) {
  json_field_map map;
  char error[256];
  json_field_map_default(&map);
  char s1[] = "id=guid", s2[] = "title=headline", s3[] = "body=content.text",
       s4[] = "date=meta.published", s5[] = "url=links.1";
  char *specs[] = {s1, s2, s3, s4, s5};
  for (int i = 0; i < 5; i++)
    CHECK_INT(json_field_map_set(&map, specs[i], error, sizeof error), 0);
  const char *line =
      "{\"guid\": \"g-1\", \"title\": \"ignored\", \"headline\": \"H\", "
      "\"content\": {\"text\": \"Body.\"}, \"meta\": {\"published\": "
      "\"Tue, 05 Mar 2024 10:00:00 GMT\"}, \"links\": [\"a\", \"https://b\"],"
      " \"source\": \"s.example\"}";
  json_article a;
  CHECK_INT(json_article_parse_mapped(line, strlen(line), &map, &a, error,
                                      sizeof error),
            0);
  CHECK_STR(a.article.id, "g-1");
  CHECK_STR(a.article.title, "H");
  CHECK_STR(a.article.body, "Body.");
  CHECK_STR(a.article.date, "2024-03-05");
  CHECK_STR(a.article.url, "https://b");
  CHECK_STR(a.article.source, "s.example");
  CHECK_STR(a.warning, "");
  json_article_release(&a);

  /* a literal key with a dot wins over the path */
  char s6[] = "title=a.b";
  CHECK_INT(json_field_map_set(&map, s6, error, sizeof error), 0);
  line = "{\"guid\": 7, \"a.b\": \"literal\", \"a\": {\"b\": \"nested\"}}";
  CHECK_INT(json_article_parse_mapped(line, strlen(line), &map, &a, error,
                                      sizeof error),
            0);
  CHECK_STR(a.article.id, "7");
  CHECK_STR(a.article.title, "literal");
  json_article_release(&a);

  /* errors name the key read, and the field it fills */
  line = "{\"guid\": \"g\", \"a\": {\"b\": 12}}";
  CHECK_INT(json_article_parse_mapped(line, strlen(line), &map, &a, error,
                                      sizeof error),
            -1);
  CHECK_STR(error, "field \"a.b\" (title) must be a string or null, not a "
                   "number");
  CHECK_INT(a.fault, JSON_FAULT_TYPE);
  line = "{\"id\": \"g\"}";
  CHECK_INT(json_article_parse_mapped(line, strlen(line), &map, &a, error,
                                      sizeof error),
            -1);
  CHECK_STR(error, "field \"guid\" (id) is missing");
  CHECK_INT(a.fault, JSON_FAULT_NO_ID);
  /* unmapped fields are named as before */
  line = "{\"id\": \"g\", \"title\": true}";
  CHECK_INT(json_article_parse(line, strlen(line), &a, error, sizeof error),
            -1);
  CHECK_STR(error, "field \"title\" must be a string or null, not a boolean");
  CHECK_INT(a.fault, JSON_FAULT_TYPE);

  /* the kind of each refusal, whatever words the message uses */
  static const struct {
    const char *line;
    json_fault fault;
  } faults[] = {
      {"{\"id\": \"\", \"title\": \"t\"}", JSON_FAULT_NO_ID},
      {"{\"id\": null, \"title\": \"t\"}", JSON_FAULT_NO_ID},
      {"{\"id\": [1], \"title\": \"t\"}", JSON_FAULT_TYPE},
      {"[{\"id\": \"a\"}]", JSON_FAULT_NOT_OBJECT},
      {"\"gzip\"", JSON_FAULT_NOT_OBJECT},
      {"{\"id\": \"a\",", JSON_FAULT_SYNTAX},
      {"{\"id\": \"a\", \"title\": \"t\"}", JSON_FAULT_NONE},
  };
  for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
    const char *l = faults[i].line;
    int rc = json_article_parse(l, strlen(l), &a, error, sizeof error);
    CHECK_INT(rc, faults[i].fault == JSON_FAULT_NONE ? 0 : -1);
    CHECK_INT(a.fault, faults[i].fault);
    if (rc == 0)
      json_article_release(&a);
  }
}

typedef struct seen {
  int count, bad;
  char ids[8][32];
  char errors[8][128];
  json_fault faults[8];
} seen;

static int collect(void *ctx, size_t index, const json_article *a,
                   json_fault fault, const char *error) {
  seen *s = ctx;
  if (s->count < 8) {
    snprintf(s->ids[s->count], 32, "%zu:%s", index, a ? a->article.id : "-");
    snprintf(s->errors[s->count], 128, "%s", error ? error : "");
    s->faults[s->count] = fault;
  }
  s->count++;
  s->bad += a == NULL;
  return 0;
}

static void test_documents(void) {
  char error[256];
  json_fault fault = JSON_FAULT_NONE;
  seen s;
  memset(&s, 0, sizeof s);
  const char *doc =
      "[\n {\"id\": \"a\", \"title\": \"A\"},\n 42,\n"
      " {\"title\": \"no id\"},\n {\"id\": 5, \"body\": \"b\"}\n]";
  CHECK_INT(json_document_each(doc, strlen(doc), NULL, "file.json", collect, &s,
                               &fault, error, sizeof error),
            0);
  CHECK_INT(s.count, 4);
  CHECK_INT(s.bad, 2);
  CHECK_STR(s.ids[0], "1:a");
  CHECK_STR(s.ids[1], "2:-");
  CHECK_STR(s.errors[1], "expected a JSON object, found a number");
  CHECK_INT(s.faults[0], JSON_FAULT_NONE);
  CHECK_INT(s.faults[1], JSON_FAULT_NOT_OBJECT);
  CHECK_STR(s.ids[2], "3:-"); /* no fallback id inside an array */
  CHECK_STR(s.errors[2], "field \"id\" is missing");
  CHECK_INT(s.faults[2], JSON_FAULT_NO_ID);
  CHECK_STR(s.ids[3], "4:5");

  /* one object: index 0, and the fallback id when it has none */
  memset(&s, 0, sizeof s);
  doc = "{\n  \"title\": \"Alone\",\n  \"body\": \"text\"\n}\n";
  CHECK_INT(json_document_each(doc, strlen(doc), NULL, "dir/page.json", collect,
                               &s, NULL, error, sizeof error),
            0);
  CHECK_INT(s.count, 1);
  CHECK_STR(s.ids[0], "0:dir/page.json");

  /* not JSON, or not an object or array: an error with line and column */
  doc = "[\n {\"id\": \"a\"},\n {oops}\n]";
  CHECK_INT(json_document_each(doc, strlen(doc), NULL, NULL, collect, &s,
                               &fault, error, sizeof error),
            -1);
  CHECK(strstr(error, "not valid JSON") && strstr(error, "line 3"));
  CHECK_INT(fault, JSON_FAULT_SYNTAX);
  doc = "\"a string\"";
  CHECK_INT(json_document_each(doc, strlen(doc), NULL, NULL, collect, &s,
                               &fault, error, sizeof error),
            -1);
  CHECK_STR(error, "expected an article object or an array of them, found "
                   "a string");
  CHECK_INT(fault, JSON_FAULT_NOT_OBJECT);
}

/* jansson's allocator, failing once `budget` allocations are used up. */
static long budget = -1;

static void *failing_malloc(size_t n) {
  if (budget == 0)
    return NULL;
  if (budget > 0)
    budget--;
  return malloc(n);
}

static int ignore(void *ctx, size_t index, const json_article *a,
                  json_fault fault, const char *error) {
  (void)ctx, (void)index, (void)a, (void)fault, (void)error;
  return 0;
}

/* Memory running out while parsing is said so, never "not valid JSON"
 * (issue #16: a big .json document was reported as not valid JSON). */
static void test_out_of_memory(void) {
  static const char record[] =
      "{\"id\": \"m-1\", \"title\": \"Memory\", \"body\": \"runs out\"}";
  json_set_alloc_funcs(failing_malloc, free);
  int said_nomem = 0, said_invalid = 0;
  for (long b = 0; b < 16; b++) {
    json_article a;
    char error[256] = "";
    budget = b;
    if (json_article_parse(record, strlen(record), &a, error, sizeof error) ==
        0) {
      json_article_release(&a);
      continue;
    }
    said_nomem += a.fault == JSON_FAULT_NOMEM &&
                  strcmp(error, "out of memory") == 0;
    said_invalid += strstr(error, "not valid JSON") != NULL;
    char doc_error[256] = "";
    json_fault fault = JSON_FAULT_NONE;
    budget = b;
    if (json_document_each(record, strlen(record), NULL, NULL, ignore, NULL,
                           &fault, doc_error, sizeof doc_error) < 0) {
      said_invalid += strstr(doc_error, "not valid JSON") != NULL;
      said_nomem += fault == JSON_FAULT_NOMEM &&
                    strcmp(doc_error, "out of memory") == 0;
    }
  }
  budget = -1;
  json_set_alloc_funcs(malloc, free);
  CHECK(said_nomem > 0);
  CHECK_INT(said_invalid, 0);
}

int main(void) {
  test_map_specs();
  test_mapped_record();
  test_documents();
  test_out_of_memory();
  return check_done();
}
