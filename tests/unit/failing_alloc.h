/*
 * failing_alloc.h — a failing allocator for the out-of-memory tests:
 * malloc, calloc and realloc are wrapped at link time
 * (-Wl,--wrap=malloc,... in tests/CMakeLists.txt) and the fail_at-th
 * allocation after allocations is reset fails.  Include it in exactly one
 * file of a test executable.
 */
#ifndef CYSEARCH_TEST_FAILING_ALLOC_H
#define CYSEARCH_TEST_FAILING_ALLOC_H

#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

static long fail_at = -1; /* the allocation to fail (1-based), or -1 */
static long allocations;

static int should_fail(void) {
  return fail_at > 0 && ++allocations == fail_at;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) {
  return should_fail() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n) {
  return should_fail() ? NULL : __real_realloc(p, n);
}

#endif /* CYSEARCH_TEST_FAILING_ALLOC_H */
