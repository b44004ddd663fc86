/* output_stix.c — see output_stix.h.  The bundle is built with jansson:
 * each object joins it the first time a hit refers to it, before the
 * hit's report, so the objects come in the order the hits name them. */
#include "output_stix.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"
#include "stix_id.h"

/* A report's description: about the first paragraph of the article. */
#define LEAD_BYTES 400

/* The bundle being built. */
typedef struct bundle {
  const cys_gazetteer *gazetteer;
  json_t *objects; /* in bundle order */
  json_t *seen;    /* id -> true, for the objects in it */
  int failed;      /* sticky: memory ran out (or a string was not UTF-8) */
} bundle;

/* The ids a report refers to, each once, in order. */
typedef struct refs {
  json_t *list;
  json_t *seen;
} refs;

/* id of the name "kind:value" or "kind:value:more" (more may be NULL). */
static int name_id(char out[STIX_ID_MAX], const char *type, const char *kind,
                   const char *value, const char *more) {
  size_t n = strlen(kind) + 1 + strlen(value) + (more ? 1 + strlen(more) : 0);
  char *name = malloc(n + 1);
  if (!name)
    return -1;
  snprintf(name, n + 1, "%s:%s%s%s", kind, value, more ? ":" : "",
           more ? more : "");
  stix_id(out, type, name, n);
  free(name);
  return 0;
}

/* Set obj[key] to new value v; a NULL v (no memory, not UTF-8) fails the
 * bundle. */
static void set(bundle *b, json_t *obj, const char *key, json_t *v) {
  if (!obj || !v) {
    json_decref(v);
    b->failed = 1;
  } else if (json_object_set_new(obj, key, v)) {
    b->failed = 1;
  }
}

/* A new object with the properties every STIX object has. */
static json_t *new_object(bundle *b, const char *type, const char *id,
                          const char *time) {
  json_t *o =
      json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", type, "spec_version",
                "2.1", "id", id, "created", time, "modified", time);
  if (!o)
    b->failed = 1;
  return o;
}

static int has(const bundle *b, const char *id) {
  return json_object_get(b->seen, id) != NULL;
}

/* Add obj (taken) to the bundle. */
static void add(bundle *b, const char *id, json_t *obj) {
  if (!obj || json_object_set_new(b->seen, id, json_true()) ||
      json_array_append(b->objects, obj))
    b->failed = 1;
  json_decref(obj);
}

static void add_ref(bundle *b, refs *r, const char *id) {
  if (json_object_get(r->seen, id))
    return;
  if (json_object_set_new(r->seen, id, json_true()) ||
      json_array_append_new(r->list, json_string(id)))
    b->failed = 1;
}

/* The location of a country code; its id in id. */
static void add_location(bundle *b, const char *code, char id[STIX_ID_MAX]) {
  if (name_id(id, "location", cys_entity_type_name(CYS_ENTITY_COUNTRY), code,
              NULL)) {
    b->failed = 1;
    return;
  }
  if (has(b, id))
    return;
  const cys_entity *e =
      cys_gazetteer_find(b->gazetteer, CYS_ENTITY_COUNTRY, code);
  json_t *o = new_object(b, "location", id, STIX_EPOCH);
  set(b, o, "name", json_string(e ? e->label : code));
  set(b, o, "country", json_string(code));
  add(b, id, o);
}

static int append_alias(void *ctx, const char *name) {
  json_t *s = json_string(name); /* NULL when not UTF-8: left out */
  return s && json_array_append_new(ctx, s) ? -1 : 0;
}

/* The entity's aliases, or NULL when it has none (STIX wants none rather
 * than an empty list). */
static json_t *aliases_of(bundle *b, const cys_entity *e) {
  json_t *list = json_array();
  if (!list || (e && cys_gazetteer_each_alias(b->gazetteer, e, append_alias,
                                              list) != 0)) {
    b->failed = 1;
    json_decref(list);
    return NULL;
  }
  if (json_array_size(list) == 0) {
    json_decref(list);
    return NULL;
  }
  return list;
}

/* The CVE external reference's id must read CVE-YYYY-NNNN[N...] (no
 * leading zero in a number of five digits or more), as the schema says. */
static int is_cve_id(const char *s) {
  size_t n = strlen(s), digits = 0;
  if (n < 13 || strncmp(s, "CVE-", 4) != 0 || s[8] != '-')
    return 0;
  for (size_t i = 4; i < n; i++)
    if (i != 8 && !(s[i] >= '0' && s[i] <= '9'))
      return 0;
  digits = n - 9;
  return digits == 4 || s[9] != '0';
}

static const char *stix_type(cys_entity_type type) {
  switch (type) {
  case CYS_ENTITY_COUNTRY:
    return "location";
  case CYS_ENTITY_ACTOR:
    return "intrusion-set";
  case CYS_ENTITY_CVE:
    return "vulnerability";
  case CYS_ENTITY_MALWARE:
    return "malware";
  default: /* agencies and vendors */
    return "identity";
  }
}

/* The object of an entity other than a country. */
static json_t *entity_object(bundle *b, const cys_hit_entity *h,
                             const cys_entity *e, const char *id) {
  json_t *o = new_object(b, stix_type(h->type), id, STIX_EPOCH);
  json_t *aliases = NULL;
  switch (h->type) {
  case CYS_ENTITY_ACTOR:
  case CYS_ENTITY_MALWARE:
    set(b, o, "name", json_string(h->value));
    if (h->type == CYS_ENTITY_MALWARE)
      set(b, o, "is_family", json_true());
    if ((aliases = aliases_of(b, e)))
      set(b, o, "aliases", aliases);
    break;
  case CYS_ENTITY_CVE:
    set(b, o, "name", json_string(h->value));
    if (is_cve_id(h->value))
      set(b, o, "external_references",
          json_pack("[{s:s, s:s}]", "source_name", "cve", "external_id",
                    h->value));
    break;
  default: /* an agency (its label is its full name) or a vendor */
    set(b, o, "name",
        json_string(h->type == CYS_ENTITY_AGENCY ? h->label : h->value));
    set(b, o, "identity_class", json_string("organization"));
    set(b, o, "sectors",
        json_pack("[s]", h->type == CYS_ENTITY_AGENCY ? "government-national"
                                                      : "technology"));
    break;
  }
  return o;
}

/* A hit's entity: its object, and for an entity with a country that
 * country's location and the relationship between them (STIX 2.1's
 * vocabulary: an intrusion set or a malware family originates-from a
 * location, an identity is located-at one), all referred to by the
 * report. */
static void add_entity(bundle *b, refs *r, const cys_hit_entity *h) {
  char id[STIX_ID_MAX], place[STIX_ID_MAX], rel[STIX_ID_MAX];
  if (h->type == CYS_ENTITY_COUNTRY) {
    add_location(b, h->value, id);
    add_ref(b, r, id);
    return;
  }
  const cys_entity *e =
      h->type == CYS_ENTITY_CVE
          ? NULL
          : cys_gazetteer_find(b->gazetteer, h->type, h->value);
  if (name_id(id, stix_type(h->type), cys_entity_type_name(h->type), h->value,
              NULL)) {
    b->failed = 1;
    return;
  }
  if (!has(b, id))
    add(b, id, entity_object(b, h, e, id));
  add_ref(b, r, id);
  if (!e || !e->country)
    return;
  const char *how = h->type == CYS_ENTITY_ACTOR || h->type == CYS_ENTITY_MALWARE
                        ? "originates-from"
                        : "located-at";
  add_location(b, e->country, place);
  if (name_id(rel, "relationship", how, id, place)) {
    b->failed = 1;
    return;
  }
  if (!has(b, rel)) {
    json_t *o = new_object(b, "relationship", rel, STIX_EPOCH);
    set(b, o, "relationship_type", json_string(how));
    set(b, o, "source_ref", json_string(id));
    set(b, o, "target_ref", json_string(place));
    add(b, rel, o);
  }
  add_ref(b, r, rel);
  add_ref(b, r, place);
}

/* Who published the article: the identity of its site, or, for an
 * article without one, of cysearch itself (a system). */
static void add_publisher(bundle *b, const char *source, char id[STIX_ID_MAX]) {
  const char *name = source && *source ? source : "cysearch";
  if (name_id(id, "identity", source && *source ? "source" : "producer", name,
              NULL)) {
    b->failed = 1;
    return;
  }
  if (has(b, id))
    return;
  json_t *o = new_object(b, "identity", id, STIX_EPOCH);
  set(b, o, "name", json_string(name));
  set(b, o, "identity_class",
      json_string(source && *source ? "organization" : "system"));
  add(b, id, o);
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" as a STIX timestamp at 00:00 UTC;
 * 0 when date is no such date. */
static int stix_time(const char *date, char out[32]) {
  int y, m = 1, d = 1;
  size_t n = date ? strlen(date) : 0;
  if (n != 4 && n != 7 && n != 10)
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((i == 4 || i == 7) ? date[i] != '-'
                           : !(date[i] >= '0' && date[i] <= '9'))
      return 0;
  y = atoi(date);
  if (n >= 7)
    m = atoi(date + 5);
  if (n == 10)
    d = atoi(date + 8);
  if (m < 1 || m > 12 || d < 1 || d > 31)
    return 0;
  snprintf(out, 32, "%04d-%02d-%02dT00:00:00.000Z", y, m, d);
  return 1;
}

/* The first LEAD_BYTES of the body, cut after a word, "…" when cut;
 * NULL when there is no body. */
static json_t *lead_of(const cys_record *rec) {
  const char *body = rec->article.body;
  size_t n = rec->body_len;
  if (!body || n == 0)
    return NULL;
  if (n <= LEAD_BYTES)
    return json_stringn(body, n);
  n = cys_utf8_floor(body, LEAD_BYTES);
  size_t cut = n;
  while (cut > LEAD_BYTES / 2 && body[cut - 1] != ' ' && body[cut - 1] != '\n')
    cut--;
  if (cut > LEAD_BYTES / 2)
    n = cut - 1;
  char text[LEAD_BYTES + 4];
  memcpy(text, body, n);
  memcpy(text + n, "\xe2\x80\xa6", 3); /* U+2026 */
  return json_stringn(text, n + 3);
}

static int is_web_url(const char *url) {
  return url &&
         (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
}

static void add_report(bundle *b, const cys_hit *h) {
  const cys_article *a = &h->record->article;
  char id[STIX_ID_MAX], publisher[STIX_ID_MAX], time[32];
  refs r = {json_array(), json_object()};
  int actors = 0, malware = 0, cves = 0;
  if (!r.list || !r.seen)
    b->failed = 1;
  add_publisher(b, a->source, publisher);
  for (size_t k = 0; k < h->nentities && !b->failed; k++) {
    add_entity(b, &r, &h->entities[k]);
    actors += h->entities[k].type == CYS_ENTITY_ACTOR;
    malware += h->entities[k].type == CYS_ENTITY_MALWARE;
    cves += h->entities[k].type == CYS_ENTITY_CVE;
  }
  /* object_refs may not be empty: an article that names no entity refers
   * to its publisher. */
  if (json_array_size(r.list) == 0)
    add_ref(b, &r, publisher);
  int dated = stix_time(a->date, time);
  if (!dated)
    strcpy(time, STIX_EPOCH);
  if (name_id(id, "report", "article", a->id, NULL)) {
    b->failed = 1;
    json_decref(r.list);
    json_decref(r.seen);
    return;
  }
  json_t *o = new_object(b, "report", id, time);
  set(b, o, "created_by_ref", json_string(publisher));
  set(b, o, "name", json_string(a->title && *a->title ? a->title : a->id));
  json_t *lead = lead_of(h->record);
  if (lead)
    set(b, o, "description", lead);
  set(b, o, "published", json_string(time));
  json_t *types = json_pack("[s]", "threat-report");
  if (actors)
    json_array_append_new(types, json_string("threat-actor"));
  if (malware)
    json_array_append_new(types, json_string("malware"));
  if (cves)
    json_array_append_new(types, json_string("vulnerability"));
  set(b, o, "report_types", types);
  set(b, o, "object_refs", r.list);
  if (!dated)
    set(b, o, "labels", json_pack("[s]", "undated"));
  json_t *ext = json_pack("[{s:s, s:s}]", "source_name", "cysearch",
                          "external_id", a->id);
  if (ext && is_web_url(a->url))
    json_array_insert_new(ext, 0,
                          json_pack("{s:s, s:s}", "source_name",
                                    a->source && *a->source ? a->source : "web",
                                    "url", a->url));
  set(b, o, "external_references", ext);
  json_decref(r.seen);
  if (!has(b, id)) /* the same article twice (--no-collapse cannot do it) */
    add(b, id, o);
  else
    json_decref(o);
}

/* The bundle's id: of the ids of its objects, so the same objects give
 * the same bundle. */
static json_t *bundle_id(bundle *b) {
  size_t n = strlen("bundle") + 1, count = json_array_size(b->objects);
  for (size_t i = 0; i < count; i++)
    n += strlen(json_string_value(
             json_object_get(json_array_get(b->objects, i), "id"))) +
         1;
  char *name = malloc(n), *p = name;
  if (!name)
    return NULL;
  p += sprintf(p, "bundle");
  for (size_t i = 0; i < count; i++)
    p += sprintf(p, "%s%s", i ? "\n" : ":",
                 json_string_value(
                     json_object_get(json_array_get(b->objects, i), "id")));
  char id[STIX_ID_MAX];
  stix_id(id, "bundle", name, (size_t)(p - name));
  free(name);
  return json_string(id);
}

int output_stix(FILE *f, const cys_results *r, const cys_gazetteer *gazetteer,
                int one_line) {
  bundle b = {gazetteer, json_array(), json_object(), 0};
  json_t *root = json_object();
  int rc = -1;
  if (!b.objects || !b.seen || !root)
    goto done;
  for (size_t i = 0; i < r->nhits && !b.failed; i++)
    add_report(&b, &r->hits[i]);
  set(&b, root, "type", json_string("bundle"));
  set(&b, root, "id", bundle_id(&b));
  /* A bundle of no objects has none: the schema wants at least one. */
  if (json_array_size(b.objects))
    set(&b, root, "objects", json_incref(b.objects));
  if (b.failed)
    goto done;
  rc = json_dumpf(root, f, one_line ? JSON_COMPACT : JSON_INDENT(2));
  fputc('\n', f);
  rc = (rc || ferror(f)) ? -1 : 0;
done:
  json_decref(root);
  json_decref(b.objects);
  json_decref(b.seen);
  return rc;
}
