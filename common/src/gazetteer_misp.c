/*
 * gazetteer_misp.c — adding entities from MISP galaxy cluster files (see
 * cys_gazetteer_load_misp in entity.h).  JSON is read with jansson.
 *
 * Names from these files are not reviewed by us, so a one-word name made
 * only of letters ("Nitro", "Careto") is taken as ambiguous: it counts only
 * with cue words of its type nearby.  Names with digits or several words
 * ("APT1", "Dust Storm") match as they are.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_internal.h"

static const struct {
  const char *galaxy;
  cys_entity_type type;
} galaxy_types[] = {
    {"threat-actor", CYS_ENTITY_ACTOR},
    {"ransomware", CYS_ENTITY_MALWARE},
    {"tool", CYS_ENTITY_MALWARE},
    {"malpedia", CYS_ENTITY_MALWARE},
    {"botnet", CYS_ENTITY_MALWARE},
    {"rat", CYS_ENTITY_MALWARE},
    {"backdoor", CYS_ENTITY_MALWARE},
    {"stealer", CYS_ENTITY_MALWARE},
    {"exploit-kit", CYS_ENTITY_MALWARE},
    {"android", CYS_ENTITY_MALWARE},
    {"banker", CYS_ENTITY_MALWARE},
    {"intelligence-agencies", CYS_ENTITY_AGENCY},
    {"country", CYS_ENTITY_COUNTRY},
};

/* A name usable as an alias: 2+ characters, no separators of our format. */
static int usable(const char *s) {
  size_t n = strlen(s);
  return n >= 2 && n <= 120 && !strpbrk(s, "|\t\r\n") && s[0] != '=' &&
         s[0] != '?' && s[0] != '#';
}

static int one_plain_word(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == ' ' || c == '-' || (c >= '0' && c <= '9'))
      return 0;
  }
  return 1;
}

typedef struct alias_list {
  char *text;
  size_t len, cap;
} alias_list;

static int append_alias(alias_list *l, const char *name) {
  if (!usable(name))
    return 0;
  size_t n = strlen(name);
  if (l->len + n + 3 > l->cap) {
    size_t cap = (l->len + n + 3) * 2;
    char *bigger = realloc(l->text, cap);
    if (!bigger)
      return -1;
    l->text = bigger;
    l->cap = cap;
  }
  if (l->len)
    l->text[l->len++] = '|';
  if (one_plain_word(name))
    l->text[l->len++] = '?';
  memcpy(l->text + l->len, name, n);
  l->len += n;
  l->text[l->len] = '\0';
  return 0;
}

/* "CryptoJacky Ransomware" is the family "CryptoJacky". */
static void strip_suffix(char *name, const char *suffix) {
  size_t n = strlen(name), s = strlen(suffix);
  if (n > s + 1 && strcmp(name + n - s, suffix) == 0 && name[n - s - 1] == ' ')
    name[n - s - 1] = '\0';
}

/* The country of a MISP value: meta.country, else the suspected state
 * sponsor resolved through the gazetteer ("Iran (Islamic Republic of)"). */
static const char *value_country(const cys_gazetteer *g, json_t *meta) {
  const char *cc = json_string_value(json_object_get(meta, "country"));
  if (cc && strlen(cc) == 2 && cc[0] >= 'A' && cc[0] <= 'Z')
    return cc;
  const char *sponsor = json_string_value(
      json_object_get(meta, "cfr-suspected-state-sponsor"));
  if (!sponsor)
    return NULL;
  const cys_entity *e = cys_gazetteer_resolve(g, CYS_ENTITY_COUNTRY, sponsor);
  if (!e) {
    char head[128];
    snprintf(head, sizeof head, "%s", sponsor);
    char *paren = strstr(head, " (");
    if (paren) {
      *paren = '\0';
      e = cys_gazetteer_resolve(g, CYS_ENTITY_COUNTRY, head);
    }
  }
  return e ? e->value : NULL;
}

cys_status cys_gazetteer_load_misp(cys_gazetteer *g, const char *path) {
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  if (!root) {
    if (jerr.line <= 0) { /* not opened or not read at all */
      snprintf(g->errmsg, sizeof g->errmsg, "cannot read gazetteer '%s': %s",
               path, jerr.text);
      return CYS_NOT_FOUND;
    }
    snprintf(g->errmsg, sizeof g->errmsg, "%s:%d: not valid JSON: %s", path,
             jerr.line, jerr.text);
    return CYS_BAD_INPUT;
  }
  cys_status st = CYS_OK;
  const char *galaxy = json_string_value(json_object_get(root, "type"));
  json_t *values = json_object_get(root, "values");
  int found = 0;
  cys_entity_type type = CYS_ENTITY_ACTOR;
  for (size_t i = 0; galaxy && i < sizeof galaxy_types / sizeof *galaxy_types;
       i++)
    if (strcmp(galaxy, galaxy_types[i].galaxy) == 0) {
      type = galaxy_types[i].type;
      found = 1;
    }
  if (!found || !json_is_array(values)) {
    snprintf(g->errmsg, sizeof g->errmsg,
             "%s: not a MISP galaxy cluster of a known type (\"type\" is "
             "%s%s%s; expected threat-actor, ransomware, tool, malpedia, "
             "botnet, rat, backdoor, stealer, exploit-kit, android, banker, "
             "intelligence-agencies or country, and a \"values\" array)",
             path, galaxy ? "\"" : "", galaxy ? galaxy : "missing",
             galaxy ? "\"" : "");
    json_decref(root);
    return CYS_INVALID;
  }
  size_t index;
  json_t *v;
  json_array_foreach(values, index, v) {
    const char *raw = json_string_value(json_object_get(v, "value"));
    if (!raw || !usable(raw))
      continue;
    char name[128];
    snprintf(name, sizeof name, "%s", raw);
    if (type == CYS_ENTITY_MALWARE) {
      strip_suffix(name, "Ransomware");
      strip_suffix(name, "ransomware");
    }
    json_t *meta = json_object_get(v, "meta");
    alias_list aliases = {0};
    int oom = append_alias(&aliases, name) ||
              (strcmp(name, raw) != 0 && append_alias(&aliases, raw));
    json_t *syn;
    size_t k;
    json_array_foreach(json_object_get(meta, "synonyms"), k, syn) {
      const char *s = json_string_value(syn);
      if (s && append_alias(&aliases, s))
        oom = 1;
    }
    /* A value naming a known entity extends it: same canonical value. */
    const cys_entity *known = cys_gazetteer_resolve(g, type, name);
    const char *value = known ? known->value : name;
    const char *label = known ? known->label : name;
    const char *country =
        known && known->country ? known->country : value_country(g, meta);
    if (oom || gazetteer_add(g, type, value, label, country,
                             aliases.text ? aliases.text : "", 1)) {
      free(aliases.text);
      snprintf(g->errmsg, sizeof g->errmsg, "out of memory loading %s", path);
      st = CYS_NOMEM;
      break;
    }
    free(aliases.text);
  }
  json_decref(root);
  return st;
}
