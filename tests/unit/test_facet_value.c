/*
 * test_facet_value.c — the facet value slot (facet_value.h): encoding,
 * and the tally of counted values into facets, stories and matches, per
 * story and per article, in the order cys_mset_count_get gives them.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "facet_value.h"

enum { COUNTRY = 0, AGENCY = 1, ACTOR = 2, SOURCE = 6, YEAR = 7, KEV = 8,
       KEV_RANSOMWARE = 9 };

/* The value of an article: key, then fields given as "f=v1,v2" pairs. */
static char *encode(const char *key, const char *const spec[], size_t n,
                    size_t *len) {
  const char *field[CYS_FACET_FIELDS] = {0};
  size_t flen[CYS_FACET_FIELDS] = {0};
  char joined[CYS_FACET_FIELDS][128];
  for (size_t i = 0; i < n; i++) {
    int f = spec[i][0] - '0';
    size_t k = 0;
    for (const char *p = spec[i] + 2; *p && k < sizeof joined[f] - 1; p++)
      joined[f][k++] = *p == ',' ? CYS_VALUE_SEPARATOR : *p;
    field[f] = joined[f];
    flen[f] = k;
  }
  buf out;
  buf_init(&out);
  facet_value_encode(&out, key, strlen(key), field, flen);
  *len = out.len;
  return buf_take(&out);
}

/* The count of value in field, or -1 when the tally has none. */
static long long count_of(facet_tally *t, unsigned field, const char *value) {
  const facet_count *c;
  size_t n;
  if (facet_tally_field(t, field, SIZE_MAX, &c, &n) != CYS_OK)
    return -2;
  for (size_t i = 0; i < n; i++)
    if (strcmp(c[i].value, value) == 0)
      return (long long)c[i].count;
  return -1;
}

static void test_encoding(void) {
  size_t len;
  char *v = encode("k1", (const char *[]){"0=CN,RU", "6=example.com", "7=2024"},
                   3, &len);
  const char expected[] = "k1\x1e" "CN\x1fRU\x1e\x1e\x1e\x1e\x1e\x1e"
                          "example.com\x1e" "2024";
  CHECK_INT(len, sizeof expected - 1);
  CHECK(memcmp(v, expected, len) == 0);
  CHECK_INT(facet_value_key_len(v, len), 2);
  CHECK_INT(facet_value_key_len("abc", 3), 3); /* a bare collapse key */
  free(v);
}

/* Three stories; story "a" has two copies whose entities differ. */
static void add_all(facet_tally *t) {
  struct {
    const char *key;
    const char *spec[3];
    size_t n;
    uint64_t count;
  } rows[] = {
      {"a", {"0=CN,US", "6=one.example", "7=2023"}, 3, 1},
      {"a", {"0=CN", "6=two.example", "7=2023"}, 3, 2},
      {"b", {"0=US", "2=APT28", "7=2024"}, 3, 1},
      {"c", {"6=one.example"}, 1, 1},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    size_t len;
    char *v = encode(rows[i].key, rows[i].spec, rows[i].n, &len);
    CHECK_INT(facet_tally_add(t, v, len, rows[i].count), CYS_OK);
    free(v);
  }
}

static void test_per_story(void) {
  facet_tally *t = facet_tally_new(~0u, 1);
  CHECK(t != NULL);
  add_all(t);
  CHECK_INT(facet_tally_stories(t), 3);
  CHECK_INT(facet_tally_matches(t), 5);
  CHECK_INT(count_of(t, COUNTRY, "CN"), 1); /* both copies: one story */
  CHECK_INT(count_of(t, COUNTRY, "US"), 2);
  CHECK_INT(count_of(t, SOURCE, "one.example"), 2);
  CHECK_INT(count_of(t, SOURCE, "two.example"), 1);
  CHECK_INT(count_of(t, YEAR, "2023"), 1);
  CHECK_INT(count_of(t, YEAR, "2024"), 1);
  CHECK_INT(count_of(t, ACTOR, "APT28"), 1);
  CHECK_INT(count_of(t, AGENCY, "APT28"), -1); /* fields stay apart */
  const facet_count *c;
  size_t n;
  CHECK_INT(facet_tally_field(t, COUNTRY, SIZE_MAX, &c, &n), CYS_OK);
  CHECK_INT(n, 2);
  if (n == 2) { /* most frequent first */
    CHECK_STR(c[0].value, "US");
    CHECK_STR(c[1].value, "CN");
  }
  facet_tally_free(t);
}

static void test_per_article(void) {
  facet_tally *t = facet_tally_new(~0u, 0);
  add_all(t);
  CHECK_INT(facet_tally_stories(t), 3);
  CHECK_INT(count_of(t, COUNTRY, "CN"), 3); /* 1 + 2 articles */
  CHECK_INT(count_of(t, COUNTRY, "US"), 2);
  CHECK_INT(count_of(t, YEAR, "2023"), 3);
  facet_tally_free(t);
}

static void test_wanted_only(void) {
  facet_tally *t = facet_tally_new(1u << YEAR, 1);
  add_all(t);
  CHECK_INT(count_of(t, YEAR, "2024"), 1);
  CHECK_INT(count_of(t, COUNTRY, "US"), -1);
  facet_tally_free(t);
}

static void test_keys_only(void) {
  /* Counting the collapse slot itself: stories and matches, no facets. */
  facet_tally *t = facet_tally_new(0, 1);
  CHECK_INT(facet_tally_add(t, "0001", 4, 3), CYS_OK);
  CHECK_INT(facet_tally_add(t, "0002", 4, 1), CYS_OK);
  CHECK_INT(facet_tally_stories(t), 2);
  CHECK_INT(facet_tally_matches(t), 4);
  facet_tally_free(t);
}

static void test_many_values(void) {
  /* Enough distinct values to make the table grow several times. */
  facet_tally *t = facet_tally_new(1u << SOURCE, 0);
  char key[16], spec[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(key, sizeof key, "%08d", i);
    snprintf(spec, sizeof spec, "6=s%d.example", i % 1000);
    size_t len;
    char *v = encode(key, (const char *[]){spec}, 1, &len);
    CHECK(facet_tally_add(t, v, len, 1) == CYS_OK);
    free(v);
  }
  CHECK_INT(facet_tally_stories(t), 5000);
  const facet_count *c;
  size_t n;
  CHECK_INT(facet_tally_field(t, SOURCE, SIZE_MAX, &c, &n), CYS_OK);
  CHECK_INT(n, 1000);
  CHECK_INT(count_of(t, SOURCE, "s999.example"), 5);
  facet_tally_free(t);
}

/* A tally of 3,000 sources counted 1 to 8 times (many ties), added in the
 * order of the counted values' keys. */
static facet_tally *tied_tally(void) {
  facet_tally *t = facet_tally_new(1u << SOURCE, 0);
  unsigned x = 12345;
  char key[16], spec[32];
  for (int i = 0; i < 3000; i++) {
    x = x * 1103515245u + 12345u;
    snprintf(key, sizeof key, "%08d", i);
    snprintf(spec, sizeof spec, "6=s%u.example", (x >> 8) % 100000);
    size_t len;
    char *v = encode(key, (const char *[]){spec}, 1, &len);
    CHECK(facet_tally_add(t, v, len, 1 + (x >> 20) % 8) == CYS_OK);
    free(v);
  }
  return t;
}

/* The first few values asked for are the first few of the whole order,
 * whatever was asked before. */
static void test_first_ranked(void) {
  facet_tally *all = tied_tally(), *few = tied_tally();
  const facet_count *c, *f;
  size_t n, nf;
  CHECK_INT(facet_tally_field(all, SOURCE, SIZE_MAX, &c, &n), CYS_OK);
  CHECK(n > 2000);
  for (size_t i = 1; i < n; i++) /* most frequent first, ties by bytes */
    CHECK(c[i - 1].count > c[i].count ||
          (c[i - 1].count == c[i].count &&
           strcmp(c[i - 1].value, c[i].value) < 0));
  const size_t limits[] = {10, 3, 100, 0, 700, 1, 5000};
  for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
    CHECK_INT(facet_tally_field(few, SOURCE, limits[l], &f, &nf), CYS_OK);
    CHECK_INT(nf, limits[l] < n ? limits[l] : n);
    for (size_t i = 0; i < nf; i++) {
      CHECK_STR(f[i].value, c[i].value);
      CHECK_INT(f[i].count, c[i].count);
    }
  }
  facet_tally_free(all);
  facet_tally_free(few);
}

/* The KEV marks --cve-data appends (kev_mark.c): replaced, not added
 * again; removed with ""; counted as the last two fields. */
static void test_kev_marks(void) {
  size_t len;
  char *v = encode("k1", (const char *[]){"0=CN", "7=2024"}, 2, &len);
  buf once, twice, none;
  buf_init(&once);
  buf_init(&twice);
  buf_init(&none);
  facet_value_with_kev(&once, v, len, "yes", "known");
  CHECK_INT(once.len, len + strlen("\x1eyes\x1eknown"));
  CHECK(memcmp(once.data, v, len) == 0);
  CHECK(memcmp(once.data + len, "\x1eyes\x1eknown", once.len - len) == 0);
  facet_value_with_kev(&twice, once.data, once.len, "no", "");
  CHECK_INT(twice.len, len + strlen("\x1eno\x1e"));
  facet_value_with_kev(&none, twice.data, twice.len, "", "");
  CHECK_INT(none.len, len);
  CHECK(memcmp(none.data, v, len) == 0);
  facet_tally *t = facet_tally_new((1u << KEV) | (1u << KEV_RANSOMWARE) |
                                       (1u << COUNTRY),
                                   0);
  CHECK_INT(facet_tally_add(t, once.data, once.len, 2), CYS_OK);
  CHECK_INT(facet_tally_add(t, twice.data, twice.len, 1), CYS_OK);
  CHECK_INT(facet_tally_add(t, v, len, 5), CYS_OK);
  CHECK_INT(count_of(t, KEV, "yes"), 2);
  CHECK_INT(count_of(t, KEV, "no"), 1);
  CHECK_INT(count_of(t, KEV_RANSOMWARE, "known"), 2);
  CHECK_INT(count_of(t, KEV_RANSOMWARE, "unknown"), -1);
  CHECK_INT(count_of(t, COUNTRY, "CN"), 8);
  facet_tally_free(t);
  buf_free(&once);
  buf_free(&twice);
  buf_free(&none);
  free(v);
}

int main(void) {
  test_encoding();
  test_kev_marks();
  test_per_story();
  test_per_article();
  test_wanted_only();
  test_keys_only();
  test_many_values();
  test_first_ranked();
  return check_done();
}
