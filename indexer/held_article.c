/* held_article.c — see held_article.h. */
#include "held_article.h"

#include <stdlib.h>
#include <string.h>

void held_article_clear(held_article *h) {
  free((char *)h->article.id);
  free((char *)h->article.title);
  free((char *)h->article.date);
  free((char *)h->article.source);
  free((char *)h->article.url);
  free((char *)h->article.body);
  free(h->where);
  free(h->origin);
  memset(h, 0, sizeof *h);
}

static int copy(const char *in, const char **out) {
  *out = NULL;
  return in && !(*out = strdup(in)) ? -1 : 0;
}

int held_article_copy(held_article *h, const cys_article *a, const char *where,
                      const char *origin) {
  const char *w = NULL, *o = NULL;
  memset(h, 0, sizeof *h);
  int failed = copy(a->id, &h->article.id) ||
               copy(a->title, &h->article.title) ||
               copy(a->date, &h->article.date) ||
               copy(a->source, &h->article.source) ||
               copy(a->url, &h->article.url) ||
               copy(a->body, &h->article.body) || copy(where, &w) ||
               copy(origin, &o);
  h->where = (char *)w;
  h->origin = (char *)o;
  if (failed)
    held_article_clear(h);
  return failed ? -1 : 0;
}
