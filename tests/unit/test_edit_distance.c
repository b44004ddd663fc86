/*
 * test_edit_distance.c — the one edit distance (common/src/edit_distance.h):
 * each kind of edit counts one, adjacent transpositions included, and the
 * bound stops the work early with max + 1.
 */
#include <string.h>

#include "check.h"
#include "edit_distance.h"

static int distance(const char *a, const char *b, int max) {
  return edit_distance(a, strlen(a), b, strlen(b), max);
}

int main(void) {
  CHECK_INT(distance("", "", 2), 0);
  CHECK_INT(distance("ransomware", "ransomware", 2), 0);
  CHECK_INT(distance("ransomwre", "ransomware", 2), 1); /* insertion */
  CHECK_INT(distance("ransomware", "ransomwre", 2), 1); /* deletion */
  CHECK_INT(distance("fivr", "five", 2), 1);            /* substitution */
  CHECK_INT(distance("chnia", "china", 2), 1);          /* transposition */
  CHECK_INT(distance("hhvm", "have", 3), 2);
  CHECK_INT(distance("ca", "abc", 3), 3); /* no edit of a transposed pair */
  CHECK_INT(distance("", "abc", 5), 3);
  /* Past the bound: max + 1, however far. */
  CHECK_INT(distance("kitten", "sitting", 3), 3);
  CHECK_INT(distance("kitten", "sitting", 2), 3);
  CHECK_INT(distance("a", "abcdefgh", 1), 2);
  CHECK_INT(distance("abcdef", "uvwxyz", 0), 1);
  /* Too long to be a word: never close. */
  char longer[EDIT_DISTANCE_MAX_LEN + 2];
  memset(longer, 'a', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  CHECK_INT(distance(longer, longer, 2), 3);
  longer[EDIT_DISTANCE_MAX_LEN] = '\0';
  CHECK_INT(distance(longer, longer, 2), 0);
  return check_done();
}
