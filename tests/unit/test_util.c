/*
 * test_util.c — the helpers the library and the programs share
 * (common/util): FNV-1a against the published test vectors and as the
 * shard hash, the ASCII classes against <ctype.h> in the C locale for
 * every byte, and the growable buffer (growth, NUL, reset, take).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ascii_class.h"
#include "byte_buf.h"
#include "check.h"
#include "cysearch/writer.h"
#include "fnv1a.h"

static void test_fnv1a(void) {
  /* Vectors from the FNV reference (Fowler, Noll, Vo). */
  CHECK(fnv1a64("", 0) == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a", 1) == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a64("foobar", 6) == 0x85944171f73967e8ULL);
  /* In pieces as at once. */
  CHECK(fnv1a64_add(fnv1a64("foo", 3), "bar", 3) == fnv1a64("foobar", 6));
  /* Where an article's shard comes from (writer.h). */
  CHECK(cys_shard_hash("sample-001") == fnv1a64("sample-001", 10));
}

static void test_ascii_class(void) {
  for (int i = 0; i < 256; i++) {
    char c = (char)i; /* as the parsers see bytes: signed on x86 */
    int ascii = i < 0x80;
    CHECK_INT(ascii_is_space(c), ascii && isspace(i) != 0);
    CHECK_INT(ascii_is_white(c), ascii && isspace(i) && i != '\v' && i != '\f');
    CHECK_INT(ascii_is_digit(c), ascii && isdigit(i) != 0);
    CHECK_INT(ascii_is_alpha(c), ascii && isalpha(i) != 0);
    CHECK_INT(ascii_is_alnum(c), ascii && isalnum(i) != 0);
    CHECK_INT(ascii_is_upper(c), ascii && isupper(i) != 0);
    CHECK_INT(ascii_is_lower(c), ascii && islower(i) != 0);
    CHECK_INT((unsigned char)ascii_to_lower(c), ascii ? tolower(i) : i);
    CHECK_INT((unsigned char)ascii_to_upper(c), ascii ? toupper(i) : i);
  }
}

static void test_buf(void) {
  buf b = BUF_INIT;
  char *empty = buf_take(&b); /* nothing added: "", not NULL */
  CHECK(empty && *empty == '\0');
  free(empty);
  for (int i = 0; i < 1000; i++)
    buf_append_char(&b, (char)('a' + i % 26));
  CHECK_INT(b.len, 1000);
  CHECK_INT(b.data[1000], '\0');
  CHECK(b.cap > b.len);
  buf_reset(&b);
  CHECK_INT(b.len, 0);
  buf_append_str(&b, "abc");
  buf_append(&b, "defgh", 2);
  CHECK_STR(b.data, "abcde");
  size_t cap = b.cap;
  char *s = buf_take(&b);
  CHECK_STR(s, "abcde");
  CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
  CHECK(cap >= 6);
  free(s);
  /* A failure is sticky, and take gives NULL. */
  b.failed = 1;
  buf_append_str(&b, "x");
  CHECK_INT(b.len, 0);
  CHECK(buf_take(&b) == NULL);
  buf_free(&b);
}

int main(void) {
  test_fnv1a();
  test_ascii_class();
  test_buf();
  return check_done();
}
