/*
 * feed_dump.c — what the indexer's feed reader (indexer/feed.h) reads
 * from one feed file, as JSON Lines on standard output: one object per
 * item with its id, title, link, date, date_text, author, categories,
 * body, feed_title and feed_link (null when absent), then {"status",
 * "kind", "root", "xml_errors", "first_error"}.  For tests that compare
 * the reader with other readers' expectations
 * (tests/integration/feed_cases.py).  Usage: feed_dump FILE
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "feed.h"

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

static int print_item(void *ctx, const feed_item *it) {
  (void)ctx;
  json_t *o = json_object();
  json_object_set_new(o, "number", json_integer((json_int_t)it->number));
  json_object_set_new(o, "id", json_string(it->id));
  json_object_set_new(o, "title", str_or_null(it->title));
  json_object_set_new(o, "link", str_or_null(it->link));
  json_object_set_new(o, "date", str_or_null(it->date[0] ? it->date : NULL));
  json_object_set_new(o, "date_text", str_or_null(it->date_text));
  json_object_set_new(o, "author", str_or_null(it->author));
  json_object_set_new(o, "categories", str_or_null(it->categories));
  json_object_set_new(o, "body", str_or_null(it->body));
  json_object_set_new(o, "feed_title", str_or_null(it->feed_title));
  json_object_set_new(o, "feed_link", str_or_null(it->feed_link));
  char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(o);
  if (!line)
    return 1;
  puts(line);
  free(line);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: feed_dump FILE\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  size_t cap = 1 << 16, len = 0, n;
  char *buf = malloc(cap);
  while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger)
        free(buf);
      buf = bigger;
    }
  }
  fclose(f);
  if (!buf) {
    fprintf(stderr, "feed_dump: out of memory\n");
    return 1;
  }
  feed_report r;
  feed_status st = feed_read(buf, len, argv[1], print_item, NULL, &r);
  json_t *o = json_object();
  json_object_set_new(o, "status", json_integer(st));
  json_object_set_new(o, "kind", json_string(r.kind));
  json_object_set_new(o, "root", json_string(r.root));
  json_object_set_new(o, "xml_errors", json_integer((json_int_t)r.xml_errors));
  json_object_set_new(o, "first_error", json_string(r.first_error));
  json_object_set_new(o, "feed_title", str_or_null(r.feed_title));
  json_object_set_new(o, "feed_link", str_or_null(r.feed_link));
  feed_report_free(&r);
  char *line = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (line)
    puts(line);
  free(line);
  free(buf);
  return 0;
}
