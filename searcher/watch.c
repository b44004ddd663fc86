/*
 * watch.c — cysearch --watch (watch.h): the stories each saved search of
 * a watch list matches that are new since the list's last run.
 *
 * "New" is by the run that added an article (schema.h:
 * CYS_SLOT_ADDED_RUN).  The state (watch_file.h) says the list had seen
 * every article added by runs up to R, and the listed articles of later
 * runs (added by a run that was still under way).  A run:
 *   1. reads the index's last run L and whether it finished; what this
 *      run sees is then "up to L" (finished) or "up to L-1, and the
 *      articles of L visible now" (under way: their ids are listed first);
 *   2. lists the candidates: the ids of the articles added after R;
 *   3. runs each saved search with the filter indexed:R+1.., collapsed
 *      to one hit per story, and keeps the candidates the state does not
 *      list; a hit whose story already had an article matching the same
 *      saved search before R+1 is a syndicated copy of a story already
 *      reported, and is dropped (one more search, story:KEY,KEY,...).
 *      Both filters are found once for all the saved searches, as lists
 *      of documents that drive each match (cys_search_options.docids), so
 *      that the cost follows the new articles and their stories' older
 *      copies, not what each search matches in the archive; over shards
 *      they stay filters;
 *   4. prints them, and only when the output was written, replaces the
 *      state.
 * An indexing job running meanwhile is no problem: its articles either
 * are candidates (and recorded as seen), or come after step 2 and are
 * left to the next run, since nothing after R was recorded without being
 * a candidate.  A changed article keeps the run that added it: it is not
 * new again.  A deleted one simply never shows.
 */
#include "watch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "term_text.h"
#include "watch_file.h"

#define PROGRAM "cysearch"
/* New stories shown per saved search and run at most. */
#define WATCH_MAX_HITS 10000u

/* A search with only filters, no collapsing, no extras; hits read
 * briefly: a watch compares many hits and prints few, and prints nothing
 * past the url. */
static void plain_options(cys_search_options *o, size_t limit) {
  cys_search_options_init(o);
  o->limit = limit;
  o->snippet_bytes = 0;
  o->suggest = 0;
  o->collapse = 0;
  o->brief = 1;
}

/* The ids of every article the filter indexed:value selects, sorted, into
 * *ids (malloc'd strings). */
static cys_status list_ids(cys_searcher *s, const char *value, char ***ids,
                           size_t *n) {
  uint64_t docs = 0;
  cys_status st = cys_searcher_doccount(s, &docs);
  cys_search_options o;
  plain_options(&o, docs ? (size_t)docs : 1);
  cys_filter f = {"indexed", value};
  o.filters = &f;
  o.nfilters = 1;
  cys_results *r = NULL;
  *ids = NULL;
  *n = 0;
  if (st == CYS_OK)
    st = cys_search(s, "", &o, &r);
  if (st == CYS_OK && !(*ids = calloc(r->nhits ? r->nhits : 1, sizeof **ids)))
    st = CYS_NOMEM;
  for (size_t i = 0; st == CYS_OK && i < r->nhits; i++)
    if (!((*ids)[(*n)++] = strdup(r->hits[i].record->article.id)))
      st = CYS_NOMEM;
  cys_results_free(r);
  if (st == CYS_OK)
    watch_ids_sort(*ids, *n);
  return st;
}

static void free_ids(char **ids, size_t n) {
  for (size_t i = 0; ids && i < n; i++)
    free(ids[i]);
  free(ids);
}

/* What one saved search found new. */
typedef struct found {
  cys_results *results;
  char *keep; /* per hit: 1 when it is new */
  size_t nnew;
} found;

/* The older copies (up to the state's run) of every new hit's story,
 * found once for all the saved searches (cys_searcher_story_copies);
 * by_docids 0 where the index
 * cannot list them (remote or several shards): each search then filters
 * by story:KEY,... */
typedef struct story_copies {
  const char **keys; /* the stories of the new hits, sorted, distinct */
  size_t nkeys;
  cys_story_copy *copies; /* in docid order */
  size_t ncopies;
  int by_docids;
  char *wanted;     /* per key: a story of the search being checked */
  uint32_t *docids; /* that search's copies */
} story_copies;

static int compare_keys(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static long key_index(const story_copies *c, const char *story) {
  const char **k = bsearch(&story, c->keys, c->nkeys, sizeof *c->keys,
                           compare_keys);
  return k ? (long)(k - c->keys) : -1;
}

static cys_status find_story_copies(cys_searcher *s, const found *f,
                                    size_t nsearches, uint64_t through,
                                    story_copies *c) {
  size_t n = 0;
  for (size_t i = 0; i < nsearches; i++)
    n += f[i].nnew;
  if (!(c->keys = malloc((n ? n : 1) * sizeof *c->keys)))
    return CYS_NOMEM;
  for (size_t i = 0; i < nsearches; i++)
    for (size_t h = 0; f[i].nnew && h < f[i].results->nhits; h++)
      if (f[i].keep[h] && f[i].results->hits[h].story[0])
        c->keys[c->nkeys++] = f[i].results->hits[h].story;
  qsort(c->keys, c->nkeys, sizeof *c->keys, compare_keys);
  size_t distinct = 0;
  for (size_t i = 0; i < c->nkeys; i++)
    if (distinct == 0 || strcmp(c->keys[distinct - 1], c->keys[i]) != 0)
      c->keys[distinct++] = c->keys[i];
  c->nkeys = distinct;
  cys_status st = cys_searcher_story_copies(s, c->keys, c->nkeys, through,
                                            &c->copies, &c->ncopies);
  c->by_docids = st == CYS_OK;
  if (st == CYS_INVALID)
    st = CYS_OK;
  if (st == CYS_OK && c->by_docids &&
      (!(c->wanted = malloc(c->nkeys ? c->nkeys : 1)) ||
       !(c->docids = malloc((c->ncopies ? c->ncopies : 1) *
                            sizeof *c->docids))))
    st = CYS_NOMEM;
  return st;
}

static void story_copies_free(story_copies *c) {
  free(c->keys);
  free(c->copies);
  free(c->wanted);
  free(c->docids);
}

/* Drop the hits of f whose story had an article matching the saved
 * search up to run `through` (a copy of a story already reported): the
 * search runs over the older copies of its new hits' stories only. */
static cys_status drop_known_stories(cys_searcher *s, const char *query,
                                     uint64_t through, story_copies *c,
                                     found *f) {
  cys_results *r = f->results;
  /* story:KEY,KEY,... (without docids: one set, checked per match) */
  char *keys = malloc(r->nhits * sizeof r->hits[0].story + 1);
  if (!keys)
    return CYS_NOMEM;
  size_t len = 0, n = 0;
  if (c->by_docids)
    memset(c->wanted, 0, c->nkeys);
  for (size_t i = 0; i < r->nhits; i++)
    if (f->keep[i] && r->hits[i].story[0]) {
      len += (size_t)sprintf(keys + len, "%s%s", n ? "," : "",
                             r->hits[i].story);
      n++;
      if (c->by_docids)
        c->wanted[key_index(c, r->hits[i].story)] = 1;
    }
  size_t ndocids = 0;
  for (size_t i = 0; c->by_docids && i < c->ncopies; i++)
    if (c->wanted[c->copies[i].story])
      c->docids[ndocids++] = c->copies[i].docid;
  char upto[32];
  snprintf(upto, sizeof upto, "..%" PRIu64, through);
  const cys_filter filters[] = {{"indexed", upto}, {"story", keys}};
  /* The docids are those copies that were there up to `through`. */
  cys_results *old = NULL;
  cys_status st = CYS_OK;
  if (n > 0 && (!c->by_docids || ndocids > 0)) {
    cys_search_options o;
    plain_options(&o, n);
    o.collapse = 1; /* one hit per story is enough */
    o.filters = c->by_docids ? NULL : filters;
    o.nfilters = c->by_docids ? 0 : 2;
    o.docids = c->by_docids ? c->docids : NULL;
    o.ndocids = ndocids;
    st = cys_search(s, query, &o, &old);
  }
  for (size_t k = 0; st == CYS_OK && old && k < old->nhits; k++)
    for (size_t i = 0; i < r->nhits; i++)
      if (f->keep[i] && strcmp(r->hits[i].story, old->hits[k].story) == 0) {
        f->keep[i] = 0;
        f->nnew--;
      }
  cys_results_free(old);
  free(keys);
  return st;
}

/* The documents added after the state's run, found once for all the
 * saved searches (cys_searcher_run_documents): the filter indexed:R+1..
 * alone is a walk over the run slot in each search.  listed 0 where the
 * index cannot list them (remote or several shards). */
typedef struct added_docs {
  uint32_t *docids;
  size_t n;
  int listed;
} added_docs;

static cys_status list_added(cys_searcher *s, uint64_t after,
                             added_docs *a) {
  cys_status st = cys_searcher_run_documents(s, after + 1, &a->docids, &a->n);
  a->listed = st == CYS_OK;
  return st == CYS_INVALID ? CYS_OK : st;
}

/* Run one saved search over the articles added after `through`. */
static cys_status search_new(cys_searcher *s, const saved_search *q,
                             const watch_state *old, const added_docs *added,
                             char *const *candidates, size_t ncandidates,
                             found *f) {
  char after[32];
  snprintf(after, sizeof after, "%" PRIu64 "..", old->run + 1);
  cys_filter filter = {"indexed", after};
  cys_search_options o;
  plain_options(&o, WATCH_MAX_HITS);
  o.collapse = 1;
  o.sort = CYS_SORT_DATE;
  /* The same documents, listed: the list drives the match (Xapian's
   * estimate for the range is smaller, and then it walks the slot). */
  o.filters = added->listed ? NULL : &filter;
  o.nfilters = added->listed ? 0 : 1;
  o.docids = added->listed ? added->docids : NULL;
  o.ndocids = added->n;
  cys_status st = cys_search(s, q->query, &o, &f->results);
  if (st != CYS_OK)
    return st;
  cys_results *r = f->results;
  if (!(f->keep = calloc(r->nhits ? r->nhits : 1, 1)))
    return CYS_NOMEM;
  for (size_t i = 0; i < r->nhits; i++) {
    const char *id = r->hits[i].record->article.id;
    f->keep[i] = watch_ids_have(candidates, ncandidates, id) &&
                 !watch_ids_have(old->seen, old->nseen, id);
    f->nnew += f->keep[i];
  }
  return CYS_OK;
}

static json_t *string_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

/* Print the new stories of one saved search; -1 on a write error. */
static int print_found(FILE *out, const saved_search *q, const found *f,
                       uint64_t run, int json) {
  const cys_results *r = f->results;
  if (!json && f->nnew)
    fprintf(out, "%s: %zu new %s\n", q->name, f->nnew,
            f->nnew == 1 ? "story" : "stories");
  for (size_t i = 0; i < r->nhits; i++) {
    if (!f->keep[i])
      continue;
    const cys_hit *h = &r->hits[i];
    const cys_article *a = &h->record->article;
    if (json) {
      json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:i, "
                            "s:I}",
                            "watch", q->name, "query", q->query, "id", a->id,
                            "title", string_or_null(a->title), "date",
                            string_or_null(a->date), "source",
                            string_or_null(a->source), "url",
                            string_or_null(a->url), "story", h->story,
                            "duplicates", (int)h->duplicates, "run",
                            (json_int_t)run);
      if (!o || json_dumpf(o, out, JSON_COMPACT) != 0)
        return -1;
      json_decref(o);
      fputc('\n', out);
      continue;
    }
    fprintf(out, "  %-10s  ", a->date ? a->date : "undated");
    term_puts(out, a->title ? a->title : a->id);
    fputs("\n              ", out);
    if (a->source) {
      term_puts(out, a->source);
      fputs(" | ", out);
    }
    fputs("id ", out);
    term_puts(out, a->id);
    if (h->duplicates)
      fprintf(out, " | +%u similar", h->duplicates);
    if (a->url) {
      fputs("\n              ", out);
      term_puts(out, a->url);
    }
    fputc('\n', out);
  }
  return ferror(out) ? -1 : 0;
}

/* Report a saved search that failed; the status to exit with. */
static int search_failed(cys_searcher *s, const watch_options *o,
                         const saved_search *q, cys_status st) {
  fprintf(stderr, PROGRAM ": %s:%lu: saved search '%s': %s\n", o->file,
          q->line, q->name, cys_searcher_errmsg(s));
  return st == CYS_BAD_QUERY ? WATCH_USAGE : WATCH_ERROR;
}

/* Steps 1 and 2 of the header: the new state's run and seen ids, and the
 * candidates added after old->run.  Returns a WATCH_* status or -1. */
static int snapshot(cys_searcher *s, const watch_state *old,
                    watch_state *next, uint64_t *last_run, char ***candidates,
                    size_t *ncandidates) {
  uint64_t last = 0;
  cys_status st = cys_searcher_last_run(s, &last);
  *last_run = last;
  cys_run_record rec = {0};
  if (st == CYS_OK && last > 0)
    st = cys_searcher_run_record(s, last, &rec);
  if (st == CYS_NOT_FOUND) /* a record of another shard's job: under way */
    st = CYS_OK;
  int finished = last == 0 || rec.ended[0] != '\0';
  next->present = 1;
  next->run = finished ? last : last - 1;
  char value[32];
  if (st == CYS_OK && !finished) {
    snprintf(value, sizeof value, "%" PRIu64 "..", last);
    st = list_ids(s, value, &next->seen, &next->nseen);
  }
  if (st == CYS_OK && old->present) {
    snprintf(value, sizeof value, "%" PRIu64 "..", old->run + 1);
    st = list_ids(s, value, candidates, ncandidates);
  }
  if (st != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
    return WATCH_ERROR;
  }
  return -1;
}

int watch_run(cys_searcher *s, const watch_options *o) {
  watch_list list;
  watch_state old, next;
  memset(&next, 0, sizeof next);
  char **candidates = NULL;
  size_t ncandidates = 0;
  found *f = NULL;
  char *state_path = NULL;
  int status = watch_list_read(o->file, &list) == 0 ? -1 : WATCH_USAGE;
  if (status < 0 && !o->state) {
    size_t n = strlen(o->file) + sizeof ".state";
    if ((state_path = malloc(n)))
      snprintf(state_path, n, "%s.state", o->file);
    else
      status = WATCH_ERROR;
  }
  const char *path = o->state ? o->state : state_path;
  if (status < 0 && watch_state_read(path, &old) < 0)
    status = WATCH_ERROR;
  else if (status >= 0)
    memset(&old, 0, sizeof old);
  uint64_t last = 0;
  if (status < 0)
    status = snapshot(s, &old, &next, &last, &candidates, &ncandidates);
  if (status < 0 && old.present && old.run > last) {
    fprintf(stderr, PROGRAM ": the index records fewer runs (%" PRIu64
                    ") than the state '%s' has seen (%" PRIu64 "): was it "
                    "built again?  Starting the watch list afresh\n",
            last, path, old.run);
    watch_state_free(&old);
  }
  if (status < 0 && !(f = calloc(list.n, sizeof *f)))
    status = WATCH_ERROR;
  added_docs added = {0};
  if (status < 0 && old.present && list_added(s, old.run, &added) != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
    status = WATCH_ERROR;
  }
  for (size_t i = 0; status < 0 && i < list.n; i++) {
    cys_status st;
    if (old.present) {
      st = search_new(s, &list.searches[i], &old, &added, candidates,
                      ncandidates, &f[i]);
    } else { /* the first run: only check that the search runs */
      cys_search_options check;
      plain_options(&check, 0);
      st = cys_search(s, list.searches[i].query, &check, &f[i].results);
    }
    if (st != CYS_OK)
      status = search_failed(s, o, &list.searches[i], st);
  }
  story_copies copies = {0};
  if (status < 0 && old.present &&
      find_story_copies(s, f, list.n, old.run, &copies) != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
    status = WATCH_ERROR;
  }
  size_t total = 0;
  for (size_t i = 0; status < 0 && i < list.n; i++) {
    cys_status st = CYS_OK;
    if (old.present && f[i].nnew)
      st = drop_known_stories(s, list.searches[i].query, old.run, &copies,
                              &f[i]);
    if (st != CYS_OK)
      status = search_failed(s, o, &list.searches[i], st);
    total += f[i].nnew;
  }
  story_copies_free(&copies);
  free(added.docids);
  int unwritten = 0;
  for (size_t i = 0; status < 0 && !unwritten && i < list.n; i++)
    unwritten = f[i].nnew && print_found(stdout, &list.searches[i], &f[i],
                                         last, o->json) < 0;
  if (status < 0 && (unwritten || fflush(stdout) != 0)) {
    fprintf(stderr, PROGRAM ": cannot write the new stories: %s; the state "
                    "is left as it was\n", strerror(errno));
    status = WATCH_ERROR;
  }
  /* Only once the output is out: the state moves on. */
  if (status < 0 && watch_state_write(path, &next) < 0)
    status = WATCH_ERROR;
  if (status < 0 && !old.present)
    fprintf(stderr, PROGRAM ": first run of '%s': nothing reported; the "
                    "next run reports the stories indexed from now on\n",
            o->file);
  if (status < 0)
    status = total ? WATCH_NEW : WATCH_NOTHING;
  for (size_t i = 0; f && i < list.n; i++) {
    cys_results_free(f[i].results);
    free(f[i].keep);
  }
  free(f);
  free_ids(candidates, ncandidates);
  watch_state_free(&old);
  watch_state_free(&next);
  watch_list_free(&list);
  free(state_path);
  return status;
}
