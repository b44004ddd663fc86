/*
 * edit_distance.c — the one edit distance of the library (see
 * edit_distance.h): the optimal string alignment variant of
 * Damerau-Levenshtein, row by row in three rows on the stack, giving up
 * as soon as a whole row exceeds the bound (a typo is one or two edits
 * away; most words compared are not close at all).
 */
#include "edit_distance.h"

int edit_distance(const char *a, size_t n, const char *b, size_t m, int max) {
  int rows[3][EDIT_DISTANCE_MAX_LEN + 2];
  int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  if (n > EDIT_DISTANCE_MAX_LEN || m > EDIT_DISTANCE_MAX_LEN)
    return max + 1;
  if ((n > m ? n - m : m - n) > (size_t)max)
    return max + 1;
  for (size_t j = 0; j <= m; j++)
    prev[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    cur[0] = (int)i;
    int row_min = cur[0];
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] != b[j - 1];
      int d = prev[j] + 1;
      if (cur[j - 1] + 1 < d)
        d = cur[j - 1] + 1;
      if (prev[j - 1] + cost < d)
        d = prev[j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          prev2[j - 2] + 1 < d)
        d = prev2[j - 2] + 1;
      cur[j] = d;
      if (d < row_min)
        row_min = d;
    }
    if (row_min > max)
      return max + 1;
    int *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] > max ? max + 1 : prev[m];
}
