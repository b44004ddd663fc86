/*
 * check.h — the tiny assertion header of the unit tests.  A failed check
 * prints file:line and both values, and the test goes on; check_done()
 * prints "N passed, N failed" and gives the exit status.
 */
#ifndef CYSEARCH_TEST_CHECK_H
#define CYSEARCH_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (cond) {                                                              \
      check_passed++;                                                        \
    } else {                                                                 \
      check_failed++;                                                        \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,       \
              #cond);                                                        \
    }                                                                        \
  } while (0)

#define CHECK_INT(a, b)                                                      \
  do {                                                                       \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);          \
    if (check_a_ == check_b_) {                                              \
      check_passed++;                                                        \
    } else {                                                                 \
      check_failed++;                                                        \
      fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__,   \
              __LINE__, #a, #b, check_a_, check_b_);                         \
    }                                                                        \
  } while (0)

#define CHECK_STR(a, b)                                                      \
  do {                                                                       \
    const char *check_a_ = (a), *check_b_ = (b);                             \
    if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {           \
      check_passed++;                                                        \
    } else {                                                                 \
      check_failed++;                                                        \
      fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n",         \
              __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)",    \
              check_b_ ? check_b_ : "(null)");                               \
    }                                                                        \
  } while (0)

/* Call at the end of main: return check_done(); */
static inline int check_done(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

#endif
