/* id_set.c — see id_set.h.  Linear probing in a table kept at most half
 * full, doubled when it fills; the hash is kept beside each id so that
 * growing reads no string. */
#include "id_set.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fnv1a.h"

typedef struct entry {
  uint64_t hash;
  char *id; /* NULL: empty */
} entry;

struct id_set {
  entry *table;
  size_t cap, n; /* cap a power of two */
};

id_set *id_set_new(void) {
  id_set *s = calloc(1, sizeof *s);
  if (s && !(s->table = calloc(s->cap = 1024, sizeof *s->table))) {
    free(s);
    s = NULL;
  }
  return s;
}

void id_set_free(id_set *s) {
  if (!s)
    return;
  for (size_t i = 0; i < s->cap; i++)
    free(s->table[i].id);
  free(s->table);
  free(s);
}

/* The slot of hash/id in table[0..cap): where it is, or the empty one
 * where it would go (id NULL: the first empty one, for an id known to be
 * absent). */
static entry *find(entry *table, size_t cap, uint64_t hash, const char *id) {
  size_t i = (size_t)hash & (cap - 1);
  while (table[i].id &&
         (!id || table[i].hash != hash || strcmp(table[i].id, id) != 0))
    i = (i + 1) & (cap - 1);
  return &table[i];
}

static int grow(id_set *s) {
  size_t cap = 2 * s->cap;
  entry *bigger = calloc(cap, sizeof *bigger);
  if (!bigger)
    return -1;
  for (size_t i = 0; i < s->cap; i++)
    if (s->table[i].id)
      *find(bigger, cap, s->table[i].hash, NULL) = s->table[i];
  free(s->table);
  s->table = bigger;
  s->cap = cap;
  return 0;
}

int id_set_add(id_set *s, const char *id) {
  uint64_t hash = fnv1a64(id, strlen(id));
  entry *e = find(s->table, s->cap, hash, id);
  if (e->id)
    return 0;
  if (2 * (s->n + 1) > s->cap) {
    if (grow(s) < 0)
      return -1;
    e = find(s->table, s->cap, hash, id);
  }
  if (!(e->id = strdup(id)))
    return -1;
  e->hash = hash;
  s->n++;
  return 1;
}
