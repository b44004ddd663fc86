/*
 * cgi_request.c — decoding QUERY_STRING into a cgi_request (see
 * cgi_request.h).
 *
 * Strict on form, tolerant on content: every name and value must be
 * well-formed application/x-www-form-urlencoded text ("+" is a space, "%"
 * is followed by two hex digits) that decodes to valid UTF-8 without NUL or
 * control characters (tab, CR and LF become spaces), else 400.  Nothing is
 * repaired silently, so what is searched is what was sent.  Out-of-range
 * page and page-size values are errors too rather than clipped, so a
 * hand-made URL gets a clear answer instead of different results.
 */
#include "cgi_request.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cysearch/utf8.h"

/* The single-valued parameters, one bit each in req->seen. */
typedef enum param {
  P_Q,
  P_FROM,
  P_TO,
  P_SORT,
  P_PAGE,
  P_PER_PAGE,
  P_FORMAT,
  P_EXACT,
  P_SINCE,
  P_COUNT
} param;

static const char *const param_names[P_COUNT] = {
    "q", "from", "to", "sort", "page", "per-page", "format", "exact",
    "since"};

static const char *const filter_names[CGI_FILTER_KINDS] = {
    "country", "agency", "actor", "source", "cve", "malware", "vendor",
    "year", "kev", "period"};
static const char *const filter_labels[CGI_FILTER_KINDS] = {
    "Country", "Agency", "Actor", "Source", "CVE", "Malware", "Vendor",
    "Year", "Known exploited", "Period"};

const char *cgi_filter_name(cgi_filter_kind kind) {
  return (unsigned)kind < CGI_FILTER_KINDS ? filter_names[kind] : "";
}

const char *cgi_filter_label(cgi_filter_kind kind) {
  return (unsigned)kind < CGI_FILTER_KINDS ? filter_labels[kind] : "";
}

void cgi_request_init(cgi_request *req) {
  memset(req, 0, sizeof *req);
  req->status = 200;
  req->sort = CYS_SORT_RELEVANCE;
  req->page = 1;
  req->per_page = CGI_DEFAULT_PER_PAGE;
  req->format = CGI_FORMAT_HTML;
}

static int fail(cgi_request *req, int status, const char *message) {
  req->status = status;
  /* Messages are constants of this file, or name one of its parameter
   * names: they never echo the request. */
  strncpy(req->error, message, sizeof req->error - 1);
  req->error[sizeof req->error - 1] = '\0';
  return status;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

typedef enum decode_result {
  DECODE_OK,
  DECODE_BAD_ESCAPE,
  DECODE_NUL,
  DECODE_CONTROL,
  DECODE_BAD_UTF8
} decode_result;

/* Decode s[0..len) into out (which holds len + 1 bytes), NUL-terminated. */
static decode_result decode(const char *s, size_t len, char *out,
                            size_t *out_len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (len - i < 3) /* "%" or "%X" at the end */
        return DECODE_BAD_ESCAPE;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0)
        return DECODE_BAD_ESCAPE;
      c = (unsigned char)(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0')
      return DECODE_NUL;
    if (c == '\t' || c == '\n' || c == '\r')
      c = ' ';
    else if (c < 0x20 || c == 0x7f)
      return DECODE_CONTROL;
    out[n++] = (char)c;
  }
  out[n] = '\0';
  if (cys_utf8_invalid_offset(out, n) != n)
    return DECODE_BAD_UTF8;
  *out_len = n;
  return DECODE_OK;
}

static int decode_error(cgi_request *req, decode_result r, int in_name) {
  switch (r) {
  case DECODE_BAD_ESCAPE:
    return fail(req, 400, in_name ? "A parameter name has a malformed %-escape."
                                  : "A parameter has a malformed %-escape.");
  case DECODE_NUL:
    return fail(req, 400, "A parameter contains a NUL byte.");
  case DECODE_CONTROL:
    return fail(req, 400, "A parameter contains a control character.");
  default:
    return fail(req, 400, "A parameter is not valid UTF-8 text.");
  }
}

/* Trim ASCII spaces in place; returns the new start. */
static char *trim(char *s, size_t *len) {
  size_t n = *len;
  while (n > 0 && s[n - 1] == ' ')
    n--;
  s[n] = '\0';
  while (*s == ' ') {
    s++;
    n--;
  }
  *len = n;
  return s;
}

static int add_filter(cgi_request *req, cgi_filter_kind kind, char *value,
                      size_t len) {
  value = trim(value, &len);
  if (len == 0)
    return 200;
  if (len > CGI_MAX_VALUE)
    return fail(req, 400, "A filter value is longer than 256 bytes.");
  for (size_t i = 0; i < req->nfilters; i++)
    if (req->filters[i].kind == kind &&
        strcmp(req->filters[i].value, value) == 0)
      return 200; /* the same filter twice is the filter once */
  if (req->nfilters == CGI_MAX_FILTERS)
    return fail(req, 400, "More than 20 filter values were given.");
  cgi_filter *f = &req->filters[req->nfilters++];
  f->kind = kind;
  memcpy(f->value, value, len + 1);
  return 200;
}

/* The entity a filter names, or NULL. */
static const cys_entity *entity_of(const cgi_filter *f,
                                   const cys_gazetteer *g) {
  static const int types[CGI_FILTER_KINDS] = {
      [CGI_FILTER_COUNTRY] = CYS_ENTITY_COUNTRY + 1,
      [CGI_FILTER_AGENCY] = CYS_ENTITY_AGENCY + 1,
      [CGI_FILTER_ACTOR] = CYS_ENTITY_ACTOR + 1,
      [CGI_FILTER_MALWARE] = CYS_ENTITY_MALWARE + 1,
      [CGI_FILTER_VENDOR] = CYS_ENTITY_VENDOR + 1};
  return g && types[f->kind]
             ? cys_gazetteer_resolve(g, (cys_entity_type)(types[f->kind] - 1),
                                     f->value)
             : NULL;
}

/* What a filter names: its entity's canonical value, or the value. */
static const char *named(const cgi_filter *f, const cys_gazetteer *g) {
  const cys_entity *e = entity_of(f, g);
  return e ? e->value : f->value;
}

/* Record in f the entity it names, when both names fit. */
static void record_entity(cgi_filter *f, const cys_gazetteer *g) {
  const cys_entity *e = entity_of(f, g);
  if (e && e->label && strlen(e->value) <= CGI_MAX_VALUE &&
      strlen(e->label) <= CGI_MAX_VALUE) {
    strcpy(f->named, e->value);
    strcpy(f->named_label, e->label);
  }
}

const char *cgi_filter_shown(const cgi_filter *f) {
  if (f->named[0] && strcasecmp(f->value, f->named) != 0 &&
      strcasecmp(f->value, f->named_label) != 0)
    return f->named_label;
  return f->value;
}

void cgi_request_merge_filters(cgi_request *req, const cys_gazetteer *g) {
  size_t kept = 0;
  for (size_t i = 0; i < req->nfilters; i++) {
    const char *name = named(&req->filters[i], g);
    record_entity(&req->filters[i], g);
    int again = 0;
    for (size_t k = 0; k < kept && !again; k++)
      again = req->filters[k].kind == req->filters[i].kind &&
              strcasecmp(named(&req->filters[k], g), name) == 0;
    if (!again) {
      if (kept != i)
        req->filters[kept] = req->filters[i];
      kept++;
    }
  }
  req->nfilters = kept;
}

static int set_date(cgi_request *req, char out[CYS_DATE_MAX], char *value,
                    size_t len, const char *message) {
  value = trim(value, &len);
  if (len == 0)
    return 200;
  if (len > 32 || cys_date_normalize(value, out) != CYS_OK)
    return fail(req, 400, message);
  return 200;
}

/* A decimal number of at most `digits` digits from 1 to max, nothing
 * else (no sign, no space, no exponent). */
static int parse_number(const char *s, size_t digits, uint64_t max,
                        uint64_t *out) {
  uint64_t v = 0;
  size_t n = strlen(s);
  if (n == 0 || n > digits)
    return -1;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (v < 1 || v > max)
    return -1;
  *out = v;
  return 0;
}

static int set_param(cgi_request *req, param p, char *value, size_t len) {
  unsigned bit = 1u << p;
  if (req->seen & bit) {
    char message[64]; /* names one of param_names: never the request */
    if (p == P_Q)
      return fail(req, 400, "The query (q) is given more than once.");
    snprintf(message, sizeof message,
             "The parameter '%s' is given more than once.", param_names[p]);
    return fail(req, 400, message);
  }
  req->seen |= bit;
  if (len == 0)
    return 200; /* an empty form field: the default */
  switch (p) {
  case P_Q:
    if (len > CGI_MAX_QUERY)
      return fail(req, 400, "The query is longer than 1024 bytes.");
    memcpy(req->q, value, len + 1);
    return 200;
  case P_FROM:
    return set_date(req, req->date_from, value, len,
                    "The 'from' date is not a date (use YYYY-MM-DD).");
  case P_TO:
    return set_date(req, req->date_to, value, len,
                    "The 'to' date is not a date (use YYYY-MM-DD).");
  case P_SORT:
    if (cys_sort_parse(value, &req->sort) != CYS_OK)
      return fail(req, 400,
                  "Sort is 'relevance', 'date', 'oldest' or 'recent'.");
    return 200;
  case P_PAGE: {
    uint64_t page;
    if (parse_number(value, 3, CGI_MAX_PAGE, &page))
      return fail(req, 400, "The page is a number from 1 to 100.");
    req->page = (unsigned)page;
    return 200;
  }
  case P_SINCE:
    /* Run numbers have at most 10 digits (cysearch-index's summary);
     * whether the index has run N is checked once it is open. */
    if (parse_number(value, 10, UINT64_MAX, &req->since))
      return fail(req, 400, "'since' is the number of an indexing run, 1 "
                            "or more: pick one from the 'New since' list.");
    return 200;
  case P_PER_PAGE:
    if (strcmp(value, "10") == 0 || strcmp(value, "20") == 0 ||
        strcmp(value, "50") == 0)
      req->per_page = (unsigned)atoi(value);
    else
      return fail(req, 400, "Results per page are 10, 20 or 50.");
    return 200;
  case P_FORMAT:
    if (strcmp(value, "html") == 0)
      req->format = CGI_FORMAT_HTML;
    else if (strcmp(value, "json") == 0)
      req->format = CGI_FORMAT_JSON;
    else
      return fail(req, 400, "The format is 'html' or 'json'.");
    return 200;
  case P_EXACT:
    if (strcmp(value, "0") != 0 && strcmp(value, "1") != 0)
      return fail(req, 400, "Exact is '1' (count every match) or '0'.");
    req->exact = value[0] == '1';
    return 200;
  default:
    return 200;
  }
}

/* One name=value pair, both still encoded. */
static int parse_pair(cgi_request *req, const char *pair, size_t len,
                      char *name, char *value) {
  const char *eq = memchr(pair, '=', len);
  size_t name_len = eq ? (size_t)(eq - pair) : len;
  size_t nlen, vlen = 0;
  decode_result r = decode(pair, name_len, name, &nlen);
  if (r != DECODE_OK)
    return decode_error(req, r, 1);
  value[0] = '\0'; /* "name" without "=" has an empty value */
  if (eq)
    r = decode(eq + 1, len - name_len - 1, value, &vlen);
  if (r != DECODE_OK)
    return decode_error(req, r, 0);
  for (int p = 0; p < P_COUNT; p++)
    if (strcmp(name, param_names[p]) == 0)
      return set_param(req, (param)p, value, vlen);
  for (int k = 0; k < CGI_FILTER_KINDS; k++)
    if (strcmp(name, filter_names[k]) == 0)
      return add_filter(req, (cgi_filter_kind)k, value, vlen);
  return 200; /* an unknown parameter: decoded, then ignored */
}

/* format=json anywhere in s[0..len), so that an error met before it (a
 * bad parameter earlier in the string, a refused method, a query string
 * too long) is answered in JSON too.  Only a well-formed "format=json"
 * counts; everything else about format is checked in order with the
 * other parameters.  name and value hold CGI_MAX_QUERY_STRING + 1 bytes:
 * longer pairs are skipped. */
static void find_json_format(cgi_request *req, const char *s, size_t len,
                             char *name, char *value) {
  size_t at = 0;
  while (at < len) {
    const char *amp = memchr(s + at, '&', len - at);
    size_t end = amp ? (size_t)(amp - s) : len;
    const char *eq = memchr(s + at, '=', end - at);
    size_t nlen, vlen;
    if (eq && end - at <= CGI_MAX_QUERY_STRING &&
        decode(s + at, (size_t)(eq - s) - at, name, &nlen) == DECODE_OK &&
        strcmp(name, param_names[P_FORMAT]) == 0 &&
        decode(eq + 1, end - (size_t)(eq + 1 - s), value, &vlen) ==
            DECODE_OK &&
        strcmp(value, "json") == 0)
      req->format = CGI_FORMAT_JSON;
    at = end + 1;
  }
}

int cgi_request_parse(cgi_request *req, const char *method,
                      const char *query_string) {
  /* Scratch space for one decoded name and value; decoding never grows. */
  char name[CGI_MAX_QUERY_STRING + 1], value[CGI_MAX_QUERY_STRING + 1];
  const char *s = query_string ? query_string : "";
  size_t len = strlen(s);
  find_json_format(req, s, len, name, value);
  if (!method || !*method)
    return fail(req, 400, "Not a CGI request (no REQUEST_METHOD).");
  if (strcmp(method, "HEAD") == 0)
    req->head = 1;
  else if (strcmp(method, "GET") != 0)
    return fail(req, 405, "Only GET and HEAD requests are allowed.");
  if (len > CGI_MAX_QUERY_STRING)
    return fail(req, 414, "The request is longer than 8192 bytes.");
  size_t at = 0;
  while (at < len && req->status == 200) {
    const char *amp = memchr(s + at, '&', len - at);
    size_t end = amp ? (size_t)(amp - s) : len;
    if (end > at)
      parse_pair(req, s + at, end - at, name, value);
    at = end + 1;
  }
  if (req->status == 200 && req->date_from[0] && req->date_to[0]) {
    size_t a = strlen(req->date_from), b = strlen(req->date_to);
    if (strncmp(req->date_from, req->date_to, a < b ? a : b) > 0)
      fail(req, 400, "The 'from' date is after the 'to' date.");
  }
  return req->status;
}

int cgi_request_has_search(const cgi_request *req) {
  for (const char *p = req->q; *p; p++)
    if (*p != ' ')
      return 1;
  return req->nfilters > 0 || req->date_from[0] || req->date_to[0] ||
         req->since;
}

void cgi_request_filters(const cgi_request *req, cgi_search_filters *out) {
  out->n = 0;
  for (size_t i = 0; i < req->nfilters; i++)
    out->list[out->n++] = (cys_filter){cgi_filter_name(req->filters[i].kind),
                                       req->filters[i].value};
  if (req->date_from[0] || req->date_to[0]) {
    /* Both normalised dates: at most 2 * (CYS_DATE_MAX - 1) + 2 bytes. */
    snprintf(out->dates, sizeof out->dates, "%s..%s", req->date_from,
             req->date_to);
    out->list[out->n++] = (cys_filter){"date", out->dates};
  }
  if (req->since) {
    snprintf(out->runs, sizeof out->runs, "%" PRIu64 "..", req->since);
    out->list[out->n++] = (cys_filter){"indexed", out->runs};
  }
}

const char *cgi_request_filter_param(const cgi_request *req, long i) {
  size_t dates = req->date_from[0] || req->date_to[0];
  if (i < 0)
    return "";
  if ((size_t)i < req->nfilters)
    return cgi_filter_name(req->filters[i].kind);
  if (dates && (size_t)i == req->nfilters)
    return req->date_from[0] ? "from" : "to";
  if (req->since && (size_t)i == req->nfilters + dates)
    return param_names[P_SINCE];
  return "";
}
