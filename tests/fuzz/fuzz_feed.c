/* fuzz_feed.c — any bytes through the feed reader (feed.c, feed_date.c,
 * libxml2 beneath), as the indexer's feed_input.c calls it: it never
 * fails except for memory or a document that is no feed; every item has
 * a non-empty id, its strings are valid UTF-8 without control characters
 * (the body keeps its newlines) and never empty, its date is one that
 * cys_date_normalize accepts, items are numbered 1, 2, ... and the report
 * counts them; reading the same bytes twice gives the same items. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"
#include "fuzz_clean.h"
#include "feed.h"

typedef struct seen {
  size_t items;
  uint64_t hash; /* FNV-1a of every item's fields, to compare two reads */
} seen;

static void mix(seen *s, const char *text) {
  const char *p = text ? text : "\x01";
  for (; *p; p++)
    s->hash = (s->hash ^ (unsigned char)*p) * 1099511628211u;
  s->hash = (s->hash ^ 0xFFu) * 1099511628211u;
}

static int on_item(void *ctx, const feed_item *it) {
  seen *s = ctx;
  if (!it->id || it->number != ++s->items)
    abort();
  fuzz_check_clean(it->id, 0);
  fuzz_check_clean(it->title, 0);
  fuzz_check_clean(it->link, 0);
  fuzz_check_clean(it->author, 0);
  fuzz_check_clean(it->categories, 0);
  fuzz_check_clean(it->feed_title, 0);
  fuzz_check_clean(it->feed_link, 0);
  fuzz_check_clean(it->body, 1);
  if (it->date[0]) {
    char again[CYS_DATE_MAX];
    if (cys_date_normalize(it->date, again) != CYS_OK ||
        strcmp(again, it->date) != 0)
      abort();
  }
  const char *fields[] = {it->id,     it->title,      it->link,
                          it->date,   it->author,     it->categories,
                          it->body,   it->feed_title, it->feed_link};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    mix(s, fields[i]);
  return 0;
}

static feed_status read_once(const uint8_t *data, size_t size, seen *s) {
  feed_report r;
  *s = (seen){.hash = 14695981039346656037u};
  feed_status st =
      feed_read((const char *)data, size, "fuzz.xml", on_item, s, &r);
  if (st == FEED_OK && r.items != s->items)
    abort();
  if (st != FEED_OK && st != FEED_NOT_A_FEED && st != FEED_NO_MEMORY)
    abort();
  fuzz_check_clean(r.feed_title, 0);
  fuzz_check_clean(r.feed_link, 0);
  feed_report_free(&r);
  return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  seen first, second;
  (void)feed_sniff((const char *)data, size);
  feed_status a = read_once(data, size, &first);
  feed_status b = read_once(data, size, &second);
  if (a != FEED_NO_MEMORY && b != FEED_NO_MEMORY &&
      (a != b || first.items != second.items || first.hash != second.hash))
    abort();
  return 0;
}
