/*
 * test_json_elements.c — splitting a JSON array into its elements as its
 * bytes come (json_elements.h): strings holding brackets, commas and
 * escaped quotes, nesting, bare values, an element over the limit, where
 * each element starts, the errors of a broken array — and the same
 * result whether the bytes come at once or one by one.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_elements.h"

typedef struct seen {
  char out[1024]; /* "index@line:column=text|" for each element */
  size_t stop_at; /* stop after this element (0: never) */
} seen;

static int collect(void *ctx, size_t index, unsigned long line,
                   unsigned long column, const char *text, size_t len) {
  seen *s = ctx;
  char one[256];
  if (text)
    snprintf(one, sizeof one, "%zu@%lu:%lu=%.*s|", index, line, column,
             (int)len, text);
  else
    snprintf(one, sizeof one, "%zu@%lu:%lu=TOO LARGE %zu|", index, line,
             column, len);
  strncat(s->out, one, sizeof s->out - strlen(s->out) - 1);
  return s->stop_at && index == s->stop_at;
}

/* Split doc, fed whole or byte by byte; the elements seen, and the
 * result of feeding then finishing (and the error, if any) in *result. */
static const char *split(const char *doc, size_t max, int bytewise,
                         json_split *result, char *error, size_t stop_at) {
  static seen s;
  memset(&s, 0, sizeof s);
  s.stop_at = stop_at;
  json_elements *e = json_elements_new(1, max, collect, &s);
  json_split st = JSON_SPLIT_MORE;
  size_t n = strlen(doc);
  if (bytewise)
    for (size_t i = 0; i < n && st == JSON_SPLIT_MORE; i++)
      st = json_elements_feed(e, doc + i, 1);
  else
    st = json_elements_feed(e, doc, n);
  if (st == JSON_SPLIT_MORE)
    st = json_elements_finish(e);
  *result = st;
  snprintf(error, 160, "%s", st == JSON_SPLIT_BAD ? json_elements_error(e) : "");
  json_elements_free(e);
  return s.out;
}

static void expect(const char *doc, size_t max, const char *elements,
                   json_split result, const char *error) {
  for (int bytewise = 0; bytewise < 2; bytewise++) {
    json_split st;
    char why[160];
    CHECK_STR(split(doc, max, bytewise, &st, why, 0), elements);
    CHECK_INT(st, result);
    CHECK_STR(why, error);
  }
}

static void test_valid(void) {
  expect("[]", 100, "", JSON_SPLIT_MORE, "");
  expect("  [ ]  \n", 100, "", JSON_SPLIT_MORE, "");
  expect("[{\"a\": 1}, {\"b\": [2, {\"c\": \"]}\"}]}]", 100,
         "1@1:2={\"a\": 1}|2@1:12={\"b\": [2, {\"c\": \"]}\"}]}|",
         JSON_SPLIT_MORE, "");
  /* escaped quotes and backslashes inside strings */
  expect("[\"a\\\"],\", \"b\\\\\",{\"k\":\"\\\\\\\"}\"}]", 100,
         "1@1:2=\"a\\\"],\"|2@1:11=\"b\\\\\"|3@1:17={\"k\":\"\\\\\\\"}\"}|",
         JSON_SPLIT_MORE, "");
  /* bare values end at what follows them */
  expect("[1,true ,null\n, -2.5e3]", 100,
         "1@1:2=1|2@1:4=true|3@1:10=null|4@2:3=-2.5e3|", JSON_SPLIT_MORE, "");
  /* lines and columns count from 1 */
  expect("[\n  {\"id\": 1},\n\n  {\"id\": 2}\n]\n", 100,
         "1@2:3={\"id\": 1}|2@4:3={\"id\": 2}|", JSON_SPLIT_MORE, "");
}

static void test_too_large(void) {
  expect("[{\"a\": \"0123456789\"}, {\"b\": 1}, \"0123456789abc\"]", 12,
         "1@1:2=TOO LARGE 19|2@1:23={\"b\": 1}|3@1:33=TOO LARGE 15|",
         JSON_SPLIT_MORE, "");
}

static void test_broken(void) {
  expect("{\"id\": 1}", 100, "", JSON_SPLIT_BAD,
         "expected '[', found '{' (line 1, column 1)");
  expect("[{\"a\": 1} {\"b\": 2}]", 100, "1@1:2={\"a\": 1}|", JSON_SPLIT_BAD,
         "expected ',' or ']' after an element, found '{' (line 1, column 11)");
  expect("[\n{\"id\": \"x\",\n oops]\n", 100, "", JSON_SPLIT_BAD,
         "brackets do not match, found ']' (line 3, column 6)");
  expect("[1,,2]", 100, "1@1:2=1|", JSON_SPLIT_BAD,
         "expected an element, found ',' (line 1, column 4)");
  expect("[{\"a\": 1}] x", 100, "1@1:2={\"a\": 1}|", JSON_SPLIT_BAD,
         "text after the end of the array, found 'x' (line 1, column 12)");
  expect("[{\"a\": 1},\n{\"b\": \"cut", 100, "1@1:2={\"a\": 1}|",
         JSON_SPLIT_BAD,
         "the file ends inside the array (line 2), after element 1");
  expect("", 100, "", JSON_SPLIT_BAD, "the file holds no array");
}

static void test_stop(void) {
  json_split st;
  char why[160];
  CHECK_STR(split("[1, 2, 3]", 100, 0, &st, why, 2), "1@1:2=1|2@1:5=2|");
  CHECK_INT(st, JSON_SPLIT_STOPPED);
}

int main(void) {
  test_valid();
  test_too_large();
  test_broken();
  test_stop();
  return check_done();
}
