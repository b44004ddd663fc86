/*
 * kev_catalogue.c — reading CISA's Known Exploited Vulnerabilities
 * catalogue (kev.h) with jansson: the fields cysearch keeps, sorted by CVE
 * id for lookups, and the entries of CYS_SLOT_KEV split again.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cysearch/kev.h"
#include "cysearch/schema.h"

struct cys_kev_catalogue {
  cys_kev_entry *entries; /* sorted by cve */
  size_t n;
  char *version;
  json_t *root; /* owns the entries' strings */
};

#if defined(__GNUC__)
static void set_error(char **error, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif
static void set_error(char **error, const char *fmt, ...) {
  if (!error)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  *error = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (*error) {
    va_start(ap, fmt);
    vsnprintf(*error, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
}

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

/* CVE-YYYY-NNNN with 4 to 19 digits, as the catalogue's schema says. */
static int valid_cve(const char *s) {
  size_t n = strlen(s);
  return n >= 13 && n <= 28 && memcmp(s, "CVE-", 4) == 0 &&
         digits(s + 4, 4) && s[8] == '-' && digits(s + 9, n - 9);
}

static int valid_date(const char *s) {
  return strlen(s) == 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
         s[7] == '-' && digits(s + 8, 2);
}

/* A string member, or "" when absent; NULL when present but not a string
 * or holding a character the index's value encoding reserves. */
static const char *string_member(json_t *entry, const char *key) {
  json_t *v = json_object_get(entry, key);
  if (!v)
    return "";
  const char *s = json_string_value(v);
  if (s && (strchr(s, CYS_VALUE_SEPARATOR) || strchr(s, CYS_FIELD_SEPARATOR)))
    return NULL;
  return s;
}

static int by_cve(const void *a, const void *b) {
  return strcmp(((const cys_kev_entry *)a)->cve,
                ((const cys_kev_entry *)b)->cve);
}

/* Entry i of the vulnerabilities array into *e; 0, or -1 with *error. */
static int read_entry(const char *path, json_t *item, size_t i,
                      cys_kev_entry *e, char **error) {
  if (!json_is_object(item)) {
    set_error(error, "%s: vulnerabilities[%zu] is not an object", path, i);
    return -1;
  }
  json_t *id = json_object_get(item, "cveID");
  const char *cve = json_string_value(id);
  if (!cve || !valid_cve(cve)) {
    char *shown = id ? json_dumps(id, JSON_ENCODE_ANY) : NULL;
    set_error(error,
              "%s: vulnerabilities[%zu]: cveID %s is not a CVE id (write it "
              "as CVE-YYYY-NNNN, e.g. CVE-2021-44228); is this CISA's "
              "known_exploited_vulnerabilities.json?",
              path, i, shown ? shown : "(missing)");
    free(shown);
    return -1;
  }
  json_t *ransom = json_object_get(item, "knownRansomwareCampaignUse");
  e->cve = cve;
  e->date_added = string_member(item, "dateAdded");
  e->vendor = string_member(item, "vendorProject");
  e->product = string_member(item, "product");
  if (!e->date_added || !valid_date(e->date_added) || !e->vendor ||
      !e->product || (ransom && !json_is_string(ransom))) {
    set_error(error,
              "%s: vulnerabilities[%zu] (%s): dateAdded must be YYYY-MM-DD "
              "and vendorProject, product and knownRansomwareCampaignUse "
              "strings",
              path, i, cve);
    return -1;
  }
  e->ransomware = ransom && strcmp(json_string_value(ransom), "Known") == 0;
  return 0;
}

cys_status cys_kev_catalogue_load(const char *path, cys_kev_catalogue **out,
                                  char **error) {
  cys_status st = CYS_BAD_INPUT;
  cys_kev_catalogue *cat = NULL;
  json_error_t jerr;
  if (error)
    *error = NULL;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    st = json_error_code(&jerr) == json_error_cannot_open_file ? CYS_IO
                                                              : CYS_BAD_INPUT;
    if (st == CYS_IO)
      set_error(error, "%s: %s", path, jerr.text);
    else
      set_error(error, "%s:%d: not a JSON file: %s", path, jerr.line,
                jerr.text);
    goto done;
  }
  json_t *list = json_object_get(root, "vulnerabilities");
  if (!json_is_array(list)) {
    set_error(error,
              "%s: no \"vulnerabilities\" array: not CISA's Known Exploited "
              "Vulnerabilities catalogue (known_exploited_vulnerabilities."
              "json)",
              path);
    goto done;
  }
  cat = calloc(1, sizeof *cat);
  size_t n = json_array_size(list);
  if (!cat || !(cat->entries = calloc(n ? n : 1, sizeof *cat->entries))) {
    st = CYS_NOMEM;
    set_error(error, "%s: out of memory", path);
    goto done;
  }
  for (size_t i = 0; i < n; i++)
    if (read_entry(path, json_array_get(list, i), i, &cat->entries[i],
                   error) < 0)
      goto done;
  cat->n = n;
  qsort(cat->entries, n, sizeof *cat->entries, by_cve);
  for (size_t i = 1; i < n; i++)
    if (strcmp(cat->entries[i - 1].cve, cat->entries[i].cve) == 0) {
      set_error(error, "%s: %s is listed twice", path, cat->entries[i].cve);
      goto done;
    }
  const char *version = json_string_value(json_object_get(root,
                                                          "catalogVersion"));
  if (!(cat->version = strdup(version ? version : ""))) {
    st = CYS_NOMEM;
    set_error(error, "%s: out of memory", path);
    goto done;
  }
  cat->root = root;
  root = NULL;
  *out = cat;
  cat = NULL;
  st = CYS_OK;
done:
  cys_kev_catalogue_free(cat);
  json_decref(root);
  return st;
}

void cys_kev_catalogue_free(cys_kev_catalogue *catalogue) {
  if (!catalogue)
    return;
  free(catalogue->entries);
  free(catalogue->version);
  json_decref(catalogue->root);
  free(catalogue);
}

size_t cys_kev_catalogue_size(const cys_kev_catalogue *catalogue) {
  return catalogue ? catalogue->n : 0;
}

const char *cys_kev_catalogue_version(const cys_kev_catalogue *catalogue) {
  return catalogue && catalogue->version ? catalogue->version : "";
}

const cys_kev_entry *cys_kev_find(const cys_kev_catalogue *catalogue,
                                  const char *cve, size_t len) {
  size_t lo = 0, hi = catalogue ? catalogue->n : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *c = catalogue->entries[mid].cve;
    size_t clen = strlen(c);
    int cmp = memcmp(c, cve, clen < len ? clen : len);
    if (cmp == 0)
      cmp = clen < len ? -1 : clen > len;
    if (cmp == 0)
      return &catalogue->entries[mid];
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

long cys_kev_value_split(const char *value, size_t len, cys_kev_entry *out,
                         size_t max, char **buf) {
  *buf = malloc(len + 1);
  if (!*buf)
    return -1;
  memcpy(*buf, value, len);
  (*buf)[len] = '\0';
  long count = 0;
  char *p = *buf;
  while (len && p && *p) {
    char *end = strchr(p, CYS_FIELD_SEPARATOR);
    if (end)
      *end = '\0';
    const char *field[5] = {"", "", "", "", ""};
    size_t k = 0;
    for (char *f = p; f && k < 5; k++) {
      field[k] = f;
      f = strchr(f, CYS_VALUE_SEPARATOR);
      if (f)
        *f++ = '\0';
    }
    if ((size_t)count < max) {
      cys_kev_entry *e = &out[count];
      e->cve = field[0];
      e->date_added = field[1];
      e->vendor = field[2];
      e->product = field[3];
      e->ransomware = strcmp(field[4], "Known") == 0;
    }
    count++;
    p = end ? end + 1 : NULL;
  }
  return count;
}
