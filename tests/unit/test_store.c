/*
 * test_store.c — the stored article record: round trips (NULL fields, empty
 * strings, a large body, UTF-8), and decoding damaged bytes: every single
 * byte flip and every truncation gives CYS_CORRUPT or CYS_OK, never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "cysearch/store.h"

static int same_field(const char *a, const char *b) {
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

/* Encode, decode, and compare every field (NULL stays NULL). */
static void round_trip(const cys_article *in, int line) {
  unsigned char *data = NULL;
  size_t len = 0;
  cys_record *rec = NULL;
  cys_status st = cys_store_encode(in, NULL, &data, &len);
  CHECK_INT(st, CYS_OK);
  if (st != CYS_OK)
    return;
  CHECK(len >= 2);
  CHECK_INT(data[0], 'C');
  st = cys_store_decode(data, len, &rec);
  CHECK_INT(st, CYS_OK);
  if (st == CYS_OK) {
    const cys_article *out = &rec->article;
    int ok = same_field(in->id, out->id) && same_field(in->title, out->title) &&
             same_field(in->date, out->date) &&
             same_field(in->source, out->source) &&
             same_field(in->url, out->url) && same_field(in->body, out->body) &&
             rec->body_len == (in->body ? strlen(in->body) : 0);
    CHECK(ok);
    if (!ok)
      fprintf(stderr, "  (round trip at line %d)\n", line);
    cys_record_free(rec);
  }
  free(data);
}

static void test_round_trips(void) {
  cys_article full = {"sample-001",
                      "China's APT hits \xE2\x80\x9C"
                      "banks\xE2\x80\x9D",
                      "2021-03-04",
                      "example.org",
                      "https://example.org/a?b=c#d",
                      "Body text.\nSecond line \xF0\x9F\x98\x80."};
  round_trip(&full, __LINE__);

  cys_article only_id = {"x", NULL, NULL, NULL, NULL, NULL};
  round_trip(&only_id, __LINE__);

  cys_article empties = {"id", "", "", "", "", ""};
  round_trip(&empties, __LINE__);

  cys_article mixed = {"id-\xC3\xA9", NULL, "", NULL, "", "b"};
  round_trip(&mixed, __LINE__);

  /* NULL and "" are different things after a round trip */
  unsigned char *d1 = NULL, *d2 = NULL;
  size_t l1 = 0, l2 = 0;
  cys_article a1 = {"id", NULL, NULL, NULL, NULL, NULL};
  cys_article a2 = {"id", "", NULL, NULL, NULL, NULL};
  CHECK_INT(cys_store_encode(&a1, NULL, &d1, &l1), CYS_OK);
  CHECK_INT(cys_store_encode(&a2, NULL, &d2, &l2), CYS_OK);
  CHECK(d1 && d2 && (l1 != l2 || memcmp(d1, d2, l1) != 0));
  free(d1);
  free(d2);

  /* a large body (3 MB of varied text, compresses well but not to nothing) */
  size_t big = 3u * 1024 * 1024;
  char *body = malloc(big + 1);
  if (!body) {
    CHECK(0);
    return;
  }
  unsigned v = 12345;
  for (size_t i = 0; i < big; i++) {
    v = v * 1103515245u + 12345u;
    body[i] = (char)('a' + (v >> 16) % 26);
    if ((v >> 8) % 7 == 0)
      body[i] = ' ';
  }
  body[big] = '\0';
  cys_article large = {"big", "Large", NULL, NULL, NULL, body};
  round_trip(&large, __LINE__);
  free(body);
}

/* Decode `data` and report whether the result was allowed. */
static int decode_ok_or_corrupt(const unsigned char *data, size_t len,
                                const cys_article *orig, int *decoded) {
  cys_record *rec = NULL;
  cys_status st = cys_store_decode(data, len, &rec);
  if (st == CYS_CORRUPT)
    return 1;
  if (st != CYS_OK)
    return 0;
  /* whatever decodes must be a well-formed record */
  int ok = rec && rec->article.id &&
           rec->body_len == (rec->article.body ? strlen(rec->article.body) : 0);
  if (decoded && ok && same_field(orig->id, rec->article.id) &&
      same_field(orig->body, rec->article.body))
    (*decoded)++;
  cys_record_free(rec);
  return ok;
}

static void test_damage(void) {
  cys_article a = {"dmg-1",   "Title \xC3\xA9",
                   "2020-01", "src.example",
                   NULL,      "Short body of a damaged record."};
  unsigned char *data = NULL;
  size_t len = 0;
  CHECK_INT(cys_store_encode(&a, NULL, &data, &len), CYS_OK);
  if (!data)
    return;
  unsigned char *copy = malloc(len);
  if (!copy) {
    free(data);
    CHECK(0);
    return;
  }

  /* every truncation: CYS_CORRUPT (only the full length decodes) */
  int bad = 0;
  for (size_t n = 0; n < len; n++) {
    cys_record *rec = NULL;
    memcpy(copy, data, n);
    cys_status st = cys_store_decode(copy, n, &rec);
    if (st != CYS_CORRUPT) {
      bad++;
      fprintf(stderr, "  truncation to %zu bytes gave %d\n", n, (int)st);
      if (st == CYS_OK)
        cys_record_free(rec);
    }
  }
  CHECK_INT(bad, 0);

  /* every single-byte flip, of each bit and of the whole byte */
  bad = 0;
  int decoded = 0, corrupt = 0;
  for (size_t i = 0; i < len; i++) {
    static const unsigned char masks[] = {0x01, 0x02, 0x04, 0x08, 0x10,
                                          0x20, 0x40, 0x80, 0xFF};
    for (size_t m = 0; m < sizeof masks; m++) {
      memcpy(copy, data, len);
      copy[i] ^= masks[m];
      int dec_before = decoded;
      if (!decode_ok_or_corrupt(copy, len, &a, &decoded)) {
        bad++;
        fprintf(stderr, "  flip %02x at %zu gave a bad result\n", masks[m], i);
      }
      corrupt += decoded == dec_before;
    }
  }
  CHECK_INT(bad, 0);
  CHECK(corrupt > 0); /* the checksum catches (at least) most damage */

  /* appended garbage */
  unsigned char *longer = malloc(len + 3);
  if (longer) {
    memcpy(longer, data, len);
    memcpy(longer + len, "xyz", 3);
    cys_record *rec = NULL;
    CHECK_INT(cys_store_decode(longer, len + 3, &rec), CYS_CORRUPT);
    free(longer);
  }

  /* wrong format byte */
  memcpy(copy, data, len);
  for (int f = 0; f < 256; f++) {
    if (f == 'C')
      continue;
    copy[0] = (unsigned char)f;
    cys_record *rec = NULL;
    if (cys_store_decode(copy, len, &rec) != CYS_CORRUPT) {
      CHECK(0);
      fprintf(stderr, "  format byte %02x was accepted\n", f);
    }
  }
  copy[0] = 'C';
  cys_record *rec = NULL;
  CHECK_INT(cys_store_decode(copy, len, &rec), CYS_OK);
  cys_record_free(rec);

  /* empty input, and a bare format byte */
  rec = NULL;
  CHECK_INT(cys_store_decode("", 0, &rec), CYS_CORRUPT);
  CHECK_INT(cys_store_decode("C", 1, &rec), CYS_CORRUPT);
  CHECK(rec == NULL);
  free(copy);
  free(data);
  cys_record_free(NULL);
}

/* Decode 'C' + zlib(raw): a well-formed stream around a hand-made body. */
static cys_status decode_raw(const char *raw, size_t n, cys_record **rec) {
  unsigned char packed[512];
  uLongf plen = sizeof packed - 1;
  packed[0] = 'C';
  if (compress2(packed + 1, &plen, (const Bytef *)raw, (uLong)n, 6) != Z_OK)
    return CYS_INTERNAL;
  return cys_store_decode(packed, plen + 1, rec);
}

#define RAW(s) s, sizeof(s) - 1

static void test_layout(void) {
  cys_record *rec = NULL;
  /* id "id", title "", the rest absent: v = n + 1, 0 for NULL (seven
   * fields: id, title, date, source, url, body, entities) */
  CHECK_INT(decode_raw(RAW("\x03id\x01\x00\x00\x00\x00\x00"), &rec), CYS_OK);
  if (rec) {
    CHECK_STR(rec->article.id, "id");
    CHECK_STR(rec->article.title, "");
    CHECK(rec->article.date == NULL && rec->article.source == NULL &&
          rec->article.url == NULL && rec->article.body == NULL);
    CHECK_INT(rec->body_len, 0);
    cys_record_free(rec);
  }
  rec = NULL;
  CHECK_INT(decode_raw(RAW("\x02x\x00\x00\x00\x00\x04"
                           "abc\x04t\tv"),
                       &rec),
            CYS_OK);
  if (rec) {
    CHECK_STR(rec->article.body, "abc");
    CHECK_INT(rec->body_len, 3);
    CHECK_STR(rec->entities, "t\tv");
    cys_record_free(rec);
  }
  rec = NULL;
  /* no id */
  CHECK_INT(decode_raw(RAW("\x00\x02t\x00\x00\x00\x00"), &rec), CYS_CORRUPT);
  /* a length running past the end */
  CHECK_INT(decode_raw(RAW("\x03id\x09"
                           "abc"),
                       &rec),
            CYS_CORRUPT);
  CHECK_INT(decode_raw(RAW("\x03id\x00\x00\x00\x00\x05"
                           "abc"),
                       &rec),
            CYS_CORRUPT);
  /* too few fields, too many bytes */
  CHECK_INT(decode_raw(RAW("\x03id\x00\x00"), &rec), CYS_CORRUPT);
  CHECK_INT(decode_raw(RAW("\x03id\x00\x00\x00\x00\x00\x00\x00"), &rec),
            CYS_CORRUPT);
  CHECK_INT(decode_raw(RAW("\x03id\x00\x00\x00\x00\x00"), &rec),
            CYS_CORRUPT);
  /* a NUL inside a field */
  CHECK_INT(decode_raw(RAW("\x04i\x00"
                           "d\x00\x00\x00\x00\x00"),
                       &rec),
            CYS_CORRUPT);
  /* a varint that never ends, and one far too large */
  CHECK_INT(
      decode_raw(RAW("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"), &rec),
      CYS_CORRUPT);
  CHECK_INT(decode_raw(RAW("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01id"), &rec),
            CYS_CORRUPT);
  CHECK_INT(decode_raw(RAW(""), &rec), CYS_CORRUPT);
  CHECK(rec == NULL);
}

/* cys_store_decode_head: the fields before the body, the same as a full
 * decode gives, body and entities left out; for a large body it stops
 * long before the end (a damaged tail goes unnoticed), and a damaged
 * head, or a truncation inside it, is CYS_CORRUPT. */
static void test_head(void) {
  /* A body of 200 KB that compresses badly (varied bytes). */
  size_t big = 200 * 1024;
  char *body = malloc(big + 1);
  CHECK(body != NULL);
  if (!body)
    return;
  uint32_t x = 7;
  for (size_t i = 0; i < big; i++) {
    x = x * 1103515245u + 12345u;
    body[i] = (char)('a' + (x >> 16) % 26);
  }
  body[big] = '\0';
  cys_article a = {"head-1", "A title", "2024-05-06", "src.example",
                   "https://src.example/a", body};
  unsigned char *data = NULL;
  size_t len = 0;
  CHECK_INT(cys_store_encode(&a, "actor\tAPT28\tAPT28\t2\n", &data, &len),
            CYS_OK);
  cys_record *rec = NULL;
  CHECK_INT(cys_store_decode_head(data, len, &rec), CYS_OK);
  if (rec) {
    CHECK_STR(rec->article.id, "head-1");
    CHECK_STR(rec->article.title, "A title");
    CHECK_STR(rec->article.date, "2024-05-06");
    CHECK_STR(rec->article.source, "src.example");
    CHECK_STR(rec->article.url, "https://src.example/a");
    CHECK(rec->article.body == NULL && rec->body_len == 0);
    CHECK(rec->entities == NULL);
  }
  cys_record_free(rec);
  /* The second half of the stream is never read. */
  unsigned char *cut = malloc(len);
  if (cut && data) {
    memcpy(cut, data, len);
    memset(cut + len / 2, 0xAB, len - len / 2);
    rec = NULL;
    CHECK_INT(cys_store_decode_head(cut, len, &rec), CYS_OK);
    CHECK(rec && same_field(rec->article.url, a.url));
    cys_record_free(rec);
    CHECK_INT(cys_store_decode(cut, len, &rec), CYS_CORRUPT);
    /* ... but the head is: cut short inside it, or damaged. */
    CHECK_INT(cys_store_decode_head(data, 8, &rec), CYS_CORRUPT);
    memcpy(cut, data, len);
    cut[0] = 'X';
    CHECK_INT(cys_store_decode_head(cut, len, &rec), CYS_CORRUPT);
  }
  free(cut);
  /* Without a body the head is the whole record. */
  cys_article small = {"s", NULL, NULL, "src", NULL, NULL};
  unsigned char *d2 = NULL;
  size_t l2 = 0;
  CHECK_INT(cys_store_encode(&small, NULL, &d2, &l2), CYS_OK);
  rec = NULL;
  CHECK_INT(cys_store_decode_head(d2, l2, &rec), CYS_OK);
  CHECK(rec && same_field(rec->article.id, "s") && !rec->article.title &&
        same_field(rec->article.source, "src"));
  cys_record_free(rec);
  free(d2);
  free(data);
  free(body);
}

int main(void) {
  test_round_trips();
  test_damage();
  test_layout();
  test_head();
  return check_done();
}
