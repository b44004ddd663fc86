/*
 * test_utf8.c — cys_utf8_invalid_offset (overlong forms, surrogates, values
 * above U+10FFFF, truncated and stray bytes), cys_utf8_repair (U+FFFD per bad
 * byte, counts, result always valid) and cys_utf8_floor on every prefix.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/utf8.h"

#define FFFD "\xEF\xBF\xBD"

/* A byte string with its length (literals may hold NULs). */
#define B(s) s, sizeof(s) - 1

static void test_invalid_offset(void) {
  CHECK_INT(cys_utf8_invalid_offset(B("")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("plain ascii")), 11);
  CHECK_INT(cys_utf8_invalid_offset(B("a\0b")), 3); /* NUL is valid */
  CHECK_INT(cys_utf8_invalid_offset(B("caf\xC3\xA9")), 5);
  CHECK_INT(cys_utf8_invalid_offset(B("\xE2\x82\xAC 5")), 5);     /* € */
  CHECK_INT(cys_utf8_invalid_offset(B("\xF0\x9F\x98\x80!")), 5);  /* 😀 */
  CHECK_INT(cys_utf8_invalid_offset(B("\xF4\x8F\xBF\xBF")), 4);   /* max */
  CHECK_INT(cys_utf8_invalid_offset(B("\xED\x9F\xBF")), 3); /* U+D7FF */
  CHECK_INT(cys_utf8_invalid_offset(B("\xEE\x80\x80")), 3); /* U+E000 */
  /* overlong forms */
  CHECK_INT(cys_utf8_invalid_offset(B("ab\xC0\xAF")), 2);
  CHECK_INT(cys_utf8_invalid_offset(B("\xC1\xBF")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("x\xE0\x80\xAF")), 1);
  CHECK_INT(cys_utf8_invalid_offset(B("\xE0\x9F\xBF")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("\xE0\xA0\x80")), 3); /* U+0800 ok */
  CHECK_INT(cys_utf8_invalid_offset(B("\xF0\x8F\xBF\xBF")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("\xF0\x90\x80\x80")), 4);
  /* surrogates */
  CHECK_INT(cys_utf8_invalid_offset(B("ok\xED\xA0\x80")), 2);
  CHECK_INT(cys_utf8_invalid_offset(B("\xED\xBF\xBF")), 0);
  /* above U+10FFFF, and bytes that never start a sequence */
  CHECK_INT(cys_utf8_invalid_offset(B("\xF4\x90\x80\x80")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("abc\xF5\x80\x80\x80")), 3);
  CHECK_INT(cys_utf8_invalid_offset(B("\xFF")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("\xFE")), 0);
  /* stray continuation bytes */
  CHECK_INT(cys_utf8_invalid_offset(B("\x80")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("\xC3\xA9\xA9")), 2);
  /* truncated sequences, at the end and followed by ASCII */
  CHECK_INT(cys_utf8_invalid_offset(B("abc\xC3")), 3);
  CHECK_INT(cys_utf8_invalid_offset(B("abc\xE2\x82")), 3);
  CHECK_INT(cys_utf8_invalid_offset(B("\xF0\x9F\x98")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("\xE2\x82" "a")), 0);
  CHECK_INT(cys_utf8_invalid_offset(B("\xF0\x9F" "ab")), 0);
  /* the length is respected: a valid character cut by len is invalid */
  CHECK_INT(cys_utf8_invalid_offset("\xC3\xA9", 1), 0);
  CHECK_INT(cys_utf8_invalid_offset("abc\xFF", 3), 3);
}

/* Repair s and compare with the expected text and count. */
static void check_repair(const char *s, size_t len, const char *want,
                         size_t want_len, size_t want_replaced, int line) {
  char *out = NULL;
  size_t out_len = 12345, replaced = 12345;
  cys_status st = cys_utf8_repair(s, len, &out, &out_len, &replaced);
  CHECK_INT(st, CYS_OK);
  if (st != CYS_OK || !out) {
    fprintf(stderr, "  (repair case at line %d)\n", line);
    return;
  }
  int ok = out_len == want_len && memcmp(out, want, want_len) == 0 &&
           out[out_len] == '\0' && replaced == want_replaced &&
           cys_utf8_invalid_offset(out, out_len) == out_len;
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  (repair case at line %d: len %zu, replaced %zu)\n",
            line, out_len, replaced);
  free(out);
}

#define REPAIR(in, want, n) check_repair(B(in), B(want), n, __LINE__)

static void test_repair(void) {
  REPAIR("", "", 0);
  REPAIR("valid text", "valid text", 0);
  REPAIR("caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80", 0);
  REPAIR("a\0b", "a\0b", 0);
  REPAIR("a\xFF" "b", "a" FFFD "b", 1);
  REPAIR("\x80\x80", FFFD FFFD, 2);
  /* overlong: every byte of the bad sequence is replaced */
  REPAIR("<\xC0\xAF>", "<" FFFD FFFD ">", 2);
  REPAIR("\xE0\x80\xAF", FFFD FFFD FFFD, 3);
  REPAIR("\xF0\x8F\xBF\xBF" "x", FFFD FFFD FFFD FFFD "x", 4);
  /* surrogate */
  REPAIR("\xED\xA0\x80z", FFFD FFFD FFFD "z", 3);
  /* above U+10FFFF */
  REPAIR("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4);
  /* truncated: at the end, and followed by a valid character */
  REPAIR("abc\xE2\x82", "abc" FFFD FFFD, 2);
  REPAIR("\xE2\x82" "a", FFFD FFFD "a", 2);
  REPAIR("\xC3\xC3\xA9", FFFD "\xC3\xA9", 1);
  REPAIR("\xF0\x9F\x98\xE2\x82\xAC", FFFD FFFD FFFD "\xE2\x82\xAC", 3);
  /* U+FFFD in the input is kept as it is, not counted */
  REPAIR(FFFD, FFFD, 0);

  /* replaced and out_len may be NULL */
  char *out = NULL;
  CHECK_INT(cys_utf8_repair(B("x\xFFy"), &out, NULL, NULL), CYS_OK);
  CHECK_STR(out, "x" FFFD "y");
  free(out);

  /* Every byte value alone and after a lead byte: output always valid. */
  int failures = 0;
  for (int a = 0; a < 256; a++) {
    for (int b = 0; b < 256; b += 17) {
      char in[3] = {(char)a, (char)b, 'z'};
      size_t out_len = 0, replaced = 0;
      out = NULL;
      if (cys_utf8_repair(in, 3, &out, &out_len, &replaced) != CYS_OK) {
        failures++;
        continue;
      }
      size_t bad = cys_utf8_invalid_offset(in, 3) != 3;
      if (cys_utf8_invalid_offset(out, out_len) != out_len ||
          (bad && replaced == 0) || (!bad && replaced != 0) ||
          out[out_len - 1] != 'z') {
        failures++;
        fprintf(stderr, "  (repair of %02x %02x)\n", a, b);
      }
      free(out);
    }
  }
  CHECK_INT(failures, 0);
}

static void test_floor(void) {
  CHECK_INT(cys_utf8_floor("", 0), 0);
  CHECK_INT(cys_utf8_floor(B("abc")), 3);
  CHECK_INT(cys_utf8_floor(B("a\xC3\xA9")), 3);
  CHECK_INT(cys_utf8_floor(B("a\xC3")), 1);
  CHECK_INT(cys_utf8_floor(B("a\xE2\x82")), 1);
  CHECK_INT(cys_utf8_floor(B("a\xE2")), 1);
  CHECK_INT(cys_utf8_floor(B("a\xE2\x82\xAC")), 4);
  CHECK_INT(cys_utf8_floor(B("\xF0\x9F\x98")), 0);
  CHECK_INT(cys_utf8_floor(B("\xF0\x9F\x98\x80")), 4);
  CHECK_INT(cys_utf8_floor(B("\xF0\x9F\x98\x80\xF0")), 4);

  /* Every prefix of mixed text: the floor is the largest character
   * boundary not after the cut. */
  static const char text[] =
      "R\xC3\xA9sum\xC3\xA9 \xE2\x82\xAC" "5 \xF0\x9F\x98\x80 \xE4\xB8\xAD"
      "\xE6\x96\x87 z";
  size_t n = sizeof text - 1;
  int bad = 0;
  for (size_t cut = 0; cut <= n; cut++) {
    size_t f = cys_utf8_floor(text, cut);
    /* expected: walk back from cut to a non-continuation byte, and keep
     * cut only when it already is a boundary */
    size_t want = cut;
    while (want > 0 && want < n && ((unsigned char)text[want] & 0xC0) == 0x80)
      want--;
    if (f != want || cys_utf8_invalid_offset(text, f) != f) {
      bad++;
      fprintf(stderr, "  floor at cut %zu gave %zu, want %zu\n", cut, f,
              want);
    }
  }
  CHECK_INT(bad, 0);
}

int main(void) {
  test_invalid_offset();
  test_repair();
  test_floor();
  return check_done();
}
