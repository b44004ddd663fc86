/*
 * cgi_request.h — what one request to cysearch.cgi asks for, decoded from
 * the CGI environment into a struct (no globals), and checked: the method,
 * strict percent-decoding, UTF-8, repeated and unknown parameters, and the
 * limits below.  Rendering and searching only ever read this struct.
 *
 * Parameters (all optional; an empty value is the same as an absent one,
 * because an HTML form sends its empty fields too):
 *   q                        the query text
 *   country agency actor     filters; repeatable, CGI_MAX_FILTERS values
 *   source cve malware       in all (the facet sidebar and the entity
 *   vendor year period       chips of the hits add them; period, a
 *                            timeline's bar: 2021, 2021-03, 2021-W13 or
 *                            2021-03-05)
 *   from to                  dates, YYYY, YYYY-MM or YYYY-MM-DD
 *   since                    a run number N from 1: only articles added
 *                            by indexing run N or later (the query
 *                            language's indexed:N..); whether the index
 *                            has that run is checked once it is open
 *                            (cgi_runs.h)
 *   sort                     relevance (default), date, oldest or recent
 *                            (cys_sort_parse: the names of cysearch
 *                            --sort)
 *   page                     1 .. CGI_MAX_PAGE (default 1)
 *   per-page                 10 (default), 20 or 50
 *   format                   html (default) or json
 *   exact                    1: count every match (an exact total and
 *                            facets, not "About N"); 0 (default): count
 *                            what the page needs
 * A single-valued parameter given twice is an error (400); parameters with
 * other names are decoded like the rest and then ignored.
 */
#ifndef CYSEARCH_CGI_REQUEST_H
#define CYSEARCH_CGI_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "cysearch/article.h"
#include "cysearch/entity.h"
#include "cysearch/search.h"

#define CGI_MAX_QUERY_STRING 8192 /* bytes of QUERY_STRING, else 414 */
#define CGI_MAX_QUERY 1024        /* bytes of q after decoding */
#define CGI_MAX_VALUE 256         /* bytes of any other value */
#define CGI_MAX_FILTERS 20        /* filter values in all */
#define CGI_MAX_PAGE 100
#define CGI_DEFAULT_PER_PAGE 10

typedef enum cgi_filter_kind {
  CGI_FILTER_COUNTRY,
  CGI_FILTER_AGENCY,
  CGI_FILTER_ACTOR,
  CGI_FILTER_SOURCE,
  CGI_FILTER_CVE,
  CGI_FILTER_MALWARE,
  CGI_FILTER_VENDOR,
  CGI_FILTER_YEAR,
  CGI_FILTER_KEV, /* kev=yes|no: CISA's KEV catalogue (kev.h) */
  CGI_FILTER_PERIOD, /* period=2021-W13: a bar of the timeline */
  CGI_FILTER_KINDS /* how many kinds there are */
} cgi_filter_kind;

typedef enum cgi_format { CGI_FORMAT_HTML, CGI_FORMAT_JSON } cgi_format;

typedef struct cgi_filter {
  cgi_filter_kind kind;
  char value[CGI_MAX_VALUE + 1]; /* trimmed, never empty */
  /* The entity the value names, set by cgi_request_merge_filters: its
   * canonical value ("CN" for "PRC") and its label ("China"); "" before,
   * or when the value names none. */
  char named[CGI_MAX_VALUE + 1];
  char named_label[CGI_MAX_VALUE + 1];
} cgi_filter;

/* What a filter's chip shows: the value as given, or the label of the
 * entity it names when the value is neither its canonical value nor its
 * label ("PRC", "-CN": China), so the chip says what is kept. */
const char *cgi_filter_shown(const cgi_filter *f);

typedef struct cgi_request {
  /* 200 when the request is good; otherwise the HTTP status it earns
   * (400, 405 or 414) with a short message for the page in `error`.  The
   * fields parsed before the error are kept (they are valid). */
  int status;
  char error[128];
  int head; /* HEAD: send the headers only */
  char q[CGI_MAX_QUERY + 1];
  cgi_filter filters[CGI_MAX_FILTERS]; /* in the order given, no duplicates */
  size_t nfilters;
  char date_from[CYS_DATE_MAX]; /* normalised; "" when absent */
  char date_to[CYS_DATE_MAX];
  uint64_t since; /* since=N: added by run N or later; 0 when absent */
  cys_sort sort;
  unsigned page;     /* 1 .. CGI_MAX_PAGE */
  unsigned per_page; /* 10, 20 or 50 */
  cgi_format format;
  int exact;     /* exact=1 */
  unsigned seen; /* single-valued parameters met so far (a bit each) */
} cgi_request;

/* The parameter name of a filter kind ("country", ...). */
const char *cgi_filter_name(cgi_filter_kind kind);
/* The label people see ("Country", ...). */
const char *cgi_filter_label(cgi_filter_kind kind);

/* Set every field to its default (status 200, page 1, ...). */
void cgi_request_init(cgi_request *req);

/* Decode a request: method is REQUEST_METHOD and query_string is
 * QUERY_STRING (NULL is the same as "").  Fills req and returns
 * req->status.  Stops at the first error. */
int cgi_request_parse(cgi_request *req, const char *method,
                      const char *query_string);

/* Drop each filter that names what an earlier filter of the same kind
 * names once resolved through the gazetteer (g may be NULL), so that
 * "country=CN&country=%22CN%22" or "country=China&country=CN" is one
 * filter, one chip and one link parameter: removing its chip removes it.
 * Values nothing resolves are compared case-insensitively.  Each filter
 * kept records the entity it resolves to (named, named_label), so that
 * the facet value of "country=PRC" (CN) shows as on and its chip says
 * China. */
void cgi_request_merge_filters(cgi_request *req, const cys_gazetteer *g);

/* Whether the request asks for a search at all: a query or a filter
 * (since= is one).  The front page is a request without one. */
int cgi_request_has_search(const cgi_request *req);

/* The request's filters as cys_search_options.filters, beside q (which
 * is searched as sent, never edited): each filter parameter as its field
 * ({"country", value}, ...; the parameter names are the query language's
 * field names), then the dates as one {"date", "FROM..TO"} (an open end
 * stays empty), then since=N as {"indexed", "N.."}.  The list points into
 * req and into the struct itself: neither may move or change while it is
 * used. */
typedef struct cgi_search_filters {
  cys_filter list[CGI_MAX_FILTERS + 2];
  size_t n;
  char dates[2 * CYS_DATE_MAX + 2]; /* the value of the date filter */
  char runs[24];                    /* the value of the indexed filter */
} cgi_search_filters;

void cgi_request_filters(const cgi_request *req, cgi_search_filters *out);

/* The parameter behind list[i] of cgi_request_filters ("country", ...,
 * "from" or "to" for the dates, "since"), for messages; "" when there is
 * none. */
const char *cgi_request_filter_param(const cgi_request *req, long i);

#endif
