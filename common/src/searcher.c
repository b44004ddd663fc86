/*
 * searcher.c — the searcher handle (searcher.h): opening an index, its
 * shards or remote shards, the errors reported on the handle, the
 * gazetteer loaded on first use, and what an open index cannot do.  The
 * search itself is in search.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/entity_lib.h"
#include "cysearch/schema.h"
#include "searcher.h"

cys_status search_error(cys_searcher *s, cys_status status, const char *fmt,
                        ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->message, sizeof s->message, fmt, ap);
  va_end(ap);
  return status;
}

cys_searcher *cys_searcher_new(void) {
  cys_searcher *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->bad_filter = -1;
  s->db = cys_db_new();
  if (!s->db) {
    free(s);
    return NULL;
  }
  return s;
}

void cys_searcher_free(cys_searcher *s) {
  if (!s)
    return;
  cys_db_free(s->db);
  cys_gazetteer_free(s->gazetteer);
  cys_analyzer_free(s->analyzer);
  free(s);
}

const char *cys_searcher_errmsg(const cys_searcher *s) { return s->message; }

long cys_searcher_bad_filter(const cys_searcher *s) { return s->bad_filter; }

const char *cys_searcher_language(const cys_searcher *s) {
  return s->analyzer ? cys_analyzer_language(s->analyzer) : "";
}

void cys_open_options_init(cys_open_options *o) {
  cys_db_open_params p;
  cys_db_open_params_init(&p);
  o->timeout = p.timeout_ms / 1000.0;
  o->connect_timeout = p.connect_timeout_ms / 1000.0;
  o->allow_partial = p.allow_partial;
}

/* Seconds to whole milliseconds, at least 1 unless 0 (no limit). */
static unsigned to_ms(double seconds) {
  if (!(seconds > 0.0))
    return 0;
  if (seconds > 4e6)
    return 4000000000u;
  unsigned ms = (unsigned)(seconds * 1000.0 + 0.5);
  return ms ? ms : 1;
}

cys_status cys_searcher_open(cys_searcher *s, const char *path) {
  return cys_searcher_open_shards(s, &path, 1, NULL);
}

cys_status cys_searcher_open_shards(cys_searcher *s, const char *const *paths,
                                    size_t n, const cys_open_options *o) {
  char *schema = NULL, *language = NULL;
  uint64_t docs = 0;
  cys_open_options defaults;
  if (!o) {
    cys_open_options_init(&defaults);
    o = &defaults;
  }
  if (n == 0)
    return search_error(s, CYS_INVALID, "no index given");
  /* How the index is named in messages: the path, or the shards. */
  char what[256];
  if (n == 1)
    snprintf(what, sizeof what, "index '%s'", paths[0]);
  else
    snprintf(what, sizeof what, "the %zu indexes given", n);
  cys_db_open_params p = {.timeout_ms = to_ms(o->timeout),
                          .connect_timeout_ms = to_ms(o->connect_timeout),
                          .allow_partial = o->allow_partial};
  cys_analyzer_free(s->analyzer);
  s->analyzer = NULL;
  cys_gazetteer_free(s->gazetteer);
  s->gazetteer = NULL;
  cys_status st = cys_db_open_shards(s->db, paths, n, &p);
  if (st != CYS_OK) {
    search_error(s, st, "cannot open %s: %s", what, cys_db_errmsg(s->db));
    goto done;
  }
  if ((st = cys_db_get_metadata(s->db, CYS_META_SCHEMA, &schema)) ||
      (st = cys_db_get_metadata(s->db, CYS_META_LANGUAGE, &language)) ||
      (st = cys_db_doccount(s->db, &docs))) {
    search_error(s, st, "cannot read %s: %s", what, cys_db_errmsg(s->db));
    goto done;
  }
  if (*schema == '\0' && docs > 0) {
    st = search_error(s, CYS_VERSION,
                      "%s is a Xapian index but not a cysearch index", what);
    goto done;
  }
  if (*schema && strcmp(schema, CYS_SCHEMA_VERSION) != 0) {
    st = search_error(s, CYS_VERSION,
                      "%s has schema version %s, this cysearch reads "
                      "version %s: rebuild the index with this version",
                      what, schema, CYS_SCHEMA_VERSION);
    goto done;
  }
  st = cys_analyzer_new(*language ? language : NULL, &s->analyzer);
  if (st != CYS_OK)
    search_error(s, st, "%s uses stemmer '%s', which this build lacks", what,
                 language);
done:
  free(schema);
  free(language);
  return st;
}

size_t cys_searcher_unavailable_count(const cys_searcher *s) {
  return cys_db_unavailable_count(s->db);
}

const char *cys_searcher_unavailable(const cys_searcher *s, size_t i,
                                     const char **why) {
  return cys_db_unavailable(s->db, i, why);
}

cys_status cys_searcher_check_options(cys_searcher *s,
                                      const cys_search_options *o) {
  if (!s->analyzer)
    return search_error(s, CYS_INVALID, "the index is not open");
  if (!cys_db_is_remote(s->db))
    return CYS_OK;
  /* Both weigh documents with code of ours (a posting source) that a
   * stock xapian-tcpsrv cannot unserialise. */
  if (o->sort == CYS_SORT_RECENT)
    return search_error(s, CYS_INVALID,
                        "sorting by recency is not available with remote "
                        "shards (xapian-tcpsrv cannot run the freshness "
                        "weight); sort by date or by relevance");
  if (o->timeline != CYS_TIMELINE_NONE)
    return search_error(s, CYS_INVALID,
                        "timelines are not available with remote shards "
                        "(xapian-tcpsrv cannot count the dates of the "
                        "matches); count on a local copy of the index");
  if (o->explain)
    return search_error(s, CYS_INVALID,
                        "explanations are not available with remote shards "
                        "(xapian-tcpsrv cannot weigh one document alone); "
                        "explain on a local copy of the index");
  return CYS_OK;
}

cys_status cys_searcher_doccount(cys_searcher *s, uint64_t *out) {
  cys_status st = cys_db_doccount(s->db, out);
  if (st)
    search_error(s, st, "%s", cys_db_errmsg(s->db));
  return st;
}

/* Loaded on first use, so searches without filters or facets never pay
 * for it, and lazily (entity.h), so facet labels and filters by canonical
 * value (country:CN) do not pay for its alias tables either. */
cys_status searcher_gazetteer(cys_searcher *s) {
  if (s->gazetteer)
    return CYS_OK;
  char *extra = NULL;
  cys_status st = cys_gazetteer_new_lazy(s->analyzer, &s->gazetteer);
  if (st)
    return search_error(s, st, "cannot load the gazetteers: %s",
                        cys_status_str(st));
  if ((st = cys_db_get_metadata(s->db, CYS_META_GAZETTEER, &extra)))
    return search_error(s, st, "cannot read index: %s", cys_db_errmsg(s->db));
  if (*extra && (st = cys_gazetteer_import_extra(s->gazetteer, extra)))
    search_error(s, st, "the index holds a damaged gazetteer: %s",
                 cys_gazetteer_errmsg(s->gazetteer));
  free(extra);
  return st;
}

cys_status cys_searcher_gazetteer(cys_searcher *s, const cys_gazetteer **out) {
  cys_status st = s->analyzer
                      ? searcher_gazetteer(s)
                      : search_error(s, CYS_INVALID, "no index is open");
  if (st == CYS_OK)
    *out = s->gazetteer;
  return st;
}
