/*
 * test_input_format.c — how cysearch-index decides an input's format:
 * format names, file names (with .gz, any case), the first line refining
 * the name (JSON against JSON Lines, HTML saved as .txt, content with no
 * name), and what counts as binary data.
 */
#include <string.h>

#include "check.h"
#include "input_format.h"

static void test_names(void) {
  CHECK_INT(input_format_named("jsonl"), INPUT_JSONL);
  CHECK_INT(input_format_named("json"), INPUT_JSON);
  CHECK_INT(input_format_named("txt"), INPUT_TXT);
  CHECK_INT(input_format_named("html"), INPUT_HTML);
  CHECK_INT(input_format_named("feed"), INPUT_FEED);
  CHECK_STR(input_format_name(INPUT_FEED), "feed");
  CHECK_INT(input_format_named("HTML"), INPUT_UNKNOWN);
  CHECK_INT(input_format_named("xml"), INPUT_UNKNOWN);
  CHECK_INT(input_format_named(""), INPUT_UNKNOWN);
  CHECK_STR(input_format_name(INPUT_JSONL), "jsonl");
  CHECK_STR(input_format_name(INPUT_HTML), "html");
  CHECK_STR(input_format_name((input_format)99), "input");
}

static void test_file_names(void) {
  int gz = -1;
  CHECK_INT(input_format_from_name("a/b.jsonl", &gz), INPUT_JSONL);
  CHECK_INT(gz, 0);
  CHECK_INT(input_format_from_name("feed.ndjson", NULL), INPUT_JSONL);
  CHECK_INT(input_format_from_name("x.JSONL.GZ", &gz), INPUT_JSONL);
  CHECK_INT(gz, 1);
  CHECK_INT(input_format_from_name("arr.json", &gz), INPUT_JSON);
  CHECK_INT(input_format_from_name("arr.json.gz", &gz), INPUT_JSON);
  CHECK_INT(input_format_from_name("page.txt", &gz), INPUT_TXT);
  CHECK_INT(input_format_from_name("page.htm", &gz), INPUT_HTML);
  CHECK_INT(input_format_from_name("page.Html", &gz), INPUT_HTML);
  CHECK_INT(input_format_from_name("page.xhtml", &gz), INPUT_HTML);
  CHECK_INT(input_format_from_name("dump.gz", &gz), INPUT_UNKNOWN);
  CHECK_INT(gz, 1);
  CHECK_INT(input_format_from_name("news.rss", &gz), INPUT_FEED);
  CHECK_INT(input_format_from_name("news.Atom", &gz), INPUT_FEED);
  CHECK_INT(input_format_from_name("feeds/index.xml.gz", &gz), INPUT_FEED);
  CHECK_INT(gz, 1);
  CHECK_INT(input_format_from_name("image.png", &gz), INPUT_UNKNOWN);
  CHECK_INT(gz, 0);
  CHECK_INT(input_format_from_name(".json", &gz), INPUT_UNKNOWN);
  CHECK_INT(input_format_from_name("json", &gz), INPUT_UNKNOWN);
  CHECK_INT(input_format_from_name("a.json.bak", &gz), INPUT_UNKNOWN);
  CHECK_INT(input_format_from_name("", &gz), INPUT_UNKNOWN);
}

#define REFINE(announced, line)                                                \
  input_format_refine(announced, line, strlen(line))

static void test_refine(void) {
  /* a JSON file stays JSON (input_json_is_lines looks further) */
  CHECK_INT(REFINE(INPUT_JSON, "{\"id\": 1, \"title\": \"t\"}"), INPUT_JSON);
  CHECK_INT(REFINE(INPUT_JSON, "[{\"id\": 1}]"), INPUT_JSON);
  CHECK_INT(REFINE(INPUT_JSON, "not json"), INPUT_JSON);
  /* JSON Lines: '[' or a lone '{' begin a document, nothing else does */
  CHECK_INT(REFINE(INPUT_JSONL, "[\r"), INPUT_JSON);
  CHECK_INT(REFINE(INPUT_JSONL, "  {  "), INPUT_JSON);
  CHECK_INT(REFINE(INPUT_JSONL, "{\"id\": 1}  \r"), INPUT_JSONL);
  CHECK_INT(REFINE(INPUT_JSONL, "{\"id\": 1, \"tit"), INPUT_JSONL);
  CHECK_INT(REFINE(INPUT_JSONL, "not json"), INPUT_JSONL);
  CHECK_INT(REFINE(INPUT_JSONL, "<html>"), INPUT_JSONL);
  /* pages keep their format, but HTML saved as .txt is HTML */
  CHECK_INT(REFINE(INPUT_TXT, "{\"id\": 1}"), INPUT_TXT);
  CHECK_INT(REFINE(INPUT_TXT, "<!DOCTYPE html>"), INPUT_HTML);
  CHECK_INT(REFINE(INPUT_TXT, " <html lang=\"en\">"), INPUT_HTML);
  CHECK_INT(REFINE(INPUT_TXT, "<b>not a page</b>"), INPUT_TXT);
  CHECK_INT(REFINE(INPUT_HTML, "{\"id\": 1}"), INPUT_HTML);
  /* a feed by name stays one (feed.c says what is not a feed) */
  CHECK_INT(REFINE(INPUT_FEED, "<?xml version=\"1.0\"?>"), INPUT_FEED);
  CHECK_INT(REFINE(INPUT_FEED, "{\"id\": 1}"), INPUT_FEED);
  /* no name: the content alone */
  CHECK_INT(REFINE(INPUT_UNKNOWN, "<!doctype html>"), INPUT_HTML);
  CHECK_INT(REFINE(INPUT_UNKNOWN, "<div>"), INPUT_HTML);
  CHECK_INT(REFINE(INPUT_UNKNOWN, "{\"id\": 1}"), INPUT_JSONL);
  CHECK_INT(REFINE(INPUT_UNKNOWN, "{"), INPUT_JSON);
  CHECK_INT(REFINE(INPUT_UNKNOWN, "[]"), INPUT_JSON);
  CHECK_INT(REFINE(INPUT_UNKNOWN, "Home News Title"), INPUT_JSONL);
  CHECK_INT(REFINE(INPUT_UNKNOWN, ""), INPUT_JSONL);
}

#define IS_LINES(text) input_json_is_lines(text, strlen(text))

static void test_json_is_lines(void) {
  CHECK(IS_LINES("{\"id\": 1}\n{\"id\": 2}\n"));
  CHECK(IS_LINES("\n  {\"id\": 1}  \r\n\n{\"broken\n"));
  CHECK(!IS_LINES("{\"id\": 1}\n")); /* one object: a document */
  CHECK(!IS_LINES("{\"id\": 1}"));
  CHECK(!IS_LINES("{\n  \"id\": 1\n}\n")); /* pretty-printed */
  CHECK(!IS_LINES("[{\"id\": 1},\n{\"id\": 2}]"));
  CHECK(!IS_LINES("{\"id\": 1}\n]\n"));
  CHECK(!IS_LINES("{}"));
  CHECK(!IS_LINES(""));
  CHECK(!IS_LINES("{\n{"));
}

static void test_binary(void) {
  const char text[] = "Plain text,\twith tabs\r\nand\fform feeds.";
  CHECK_INT(input_binary_offset(text, sizeof text - 1), sizeof text - 1);
  const char utf8[] = "caf\xc3\xa9 \xe2\x80\x94 \xff invalid is still text";
  CHECK_INT(input_binary_offset(utf8, sizeof utf8 - 1), sizeof utf8 - 1);
  const char nul[] = "text then \0 a NUL";
  CHECK_INT(input_binary_offset(nul, sizeof nul - 1), 10);
  /* a PNG header: control characters from byte 4 on, a NUL at 8 */
  const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  CHECK_INT(input_binary_offset(png, sizeof png - 1), 6);
  /* one stray control character in a long text is not binary */
  char long_text[200];
  memset(long_text, 'a', sizeof long_text);
  long_text[50] = '\x01';
  CHECK_INT(input_binary_offset(long_text, sizeof long_text), sizeof long_text);
  CHECK_INT(input_binary_offset("", 0), 0);
}

int main(void) {
  test_names();
  test_file_names();
  test_refine();
  test_json_is_lines();
  test_binary();
  return check_done();
}
