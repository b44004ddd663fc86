/*
 * cysearch.cgi — the search page, as a CGI program behind a web server.
 *
 * A thin main over a request struct: decode the request (cgi_request.c),
 * open the index read-only and search it with the same code as the command
 * line (cys_search: q as sent, the filter parameters as a filter list),
 * render HTML (cgi_page.c) or the CLI's JSON
 * (cgi_json.c) into memory, then write headers and body (cgi_response.c).
 * No state outside main's locals.
 *
 * Environment:
 *   REQUEST_METHOD, QUERY_STRING, PATH_INFO   from the server (RFC 3875)
 *   CYSEARCH_DB       the index: a directory, a stub file listing shards
 *                     (local or "remote HOST:PORT" lines), or HOST:PORT of
 *                     an xapian-tcpsrv; set by the server configuration
 *                     only, never taken from the request
 *   CYSEARCH_CSS_URL  the stylesheet's URL (default /cysearch.css)
 *   CYSEARCH_TIME_LIMIT  seconds of matching (default 2)
 *
 * Run from a shell (neither GATEWAY_INTERFACE nor REQUEST_METHOD set,
 * both of which every CGI server sets, RFC 3875 section 4.1), it prints
 * its usage and exits 2, or 0 for --help; it never answers a shell with
 * an HTTP page.
 *
 * Answers: 200; 400 for a malformed request; 404 for a path below the
 * CGI; 405 for methods other than GET and HEAD; 414 for a query string
 * over 8 KB; 503 when the index cannot be opened (or is being rewritten,
 * or is damaged), or the search ran out of time or CPU; 500 otherwise.
 * Error pages say what was wrong in the request, never anything about the
 * server; details go to stderr, the server's error log.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi_cpu_limit.h"
#include "cgi_json.h"
#include "cgi_page.h"
#include "cgi_request.h"
#include "cgi_response.h"
#include "cgi_runs.h"
#include "cysearch/search.h"

#define PROGRAM "cysearch.cgi"
#define DEFAULT_CSS_URL "/cysearch.css"
/* Matching stops counting after half of this, so that no request ties up
 * the server (the page then says "About N": the totals are estimates),
 * and a match still running at the limit is stopped (503).
 * CYSEARCH_TIME_LIMIT in the server's environment sets another. */
#define TIME_LIMIT_SECONDS 2.0
/* Remote shards: a server that does not answer fails the request (503)
 * within these, rather than tying up the web server. */
#define REMOTE_TIMEOUT_SECONDS 5.0
#define REMOTE_CONNECT_TIMEOUT_SECONDS 2.0

/* Everything one answer needs, on main's stack. */
typedef struct cgi_context {
  const cgi_request *req;
  cgi_response *resp;
  const char *css_url;
  double time_limit; /* seconds of matching (TIME_LIMIT_SECONDS) */
  const cgi_runs *runs; /* the index's runs once read, else NULL */
} cgi_context;

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) +
         (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Replace whatever was rendered with an error answer. */
static void answer_error(cgi_context *c, int status, const char *message) {
  cgi_response *resp = c->resp;
  cgi_out_reset(&resp->body);
  resp->status = status;
  if (c->req->format == CGI_FORMAT_JSON) {
    resp->content_type = CGI_TYPE_JSON;
    cgi_json_error(&resp->body, status, message);
  } else {
    cgi_page page = {.req = c->req, .css_url = c->css_url, .status = status,
                     .error = message, .runs = c->runs};
    resp->content_type = CGI_TYPE_HTML;
    cgi_page_render(&resp->body, &page);
  }
}

static void answer_search_failure(cgi_context *c, cys_searcher *s,
                                  cys_status st) {
  /* A filter value the engine cannot resolve: the message is about the
   * request (and says what to write instead), so show it, naming the
   * parameter that holds the value. */
  if (st == CYS_BAD_QUERY) {
    char message[600];
    const char *param = cgi_request_filter_param(c->req,
                                                 cys_searcher_bad_filter(s));
    snprintf(message, sizeof message, "The %s%s%s: %s",
             *param ? "parameter '" : "query (q)", param, *param ? "'" : "",
             cys_searcher_errmsg(s));
    answer_error(c, 400, message);
    return;
  }
  fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
  if (st == CYS_TIMEOUT)
    answer_error(c, 503, "The search took too long and was stopped. Use "
                         "fewer or rarer words in phrases, NEAR groups and "
                         "wildcards, or try again in a moment.");
  else if (st == CYS_CORRUPT)
    answer_error(c, 503, "The search index is damaged. Please try again "
                         "later.");
  else if (st == CYS_MODIFIED || st == CYS_IO || st == CYS_LOCKED)
    answer_error(c, 503, "The search index is busy. Please try again in a "
                         "moment.");
  else
    answer_error(c, 500, "The search failed. Please try again later.");
}

/* Search, or show the front page, for a request that is good. */
static void answer(cgi_context *c, cgi_request *req) {
  const char *db = getenv("CYSEARCH_DB");
  cys_searcher *s = cys_searcher_new();
  cys_results *results = NULL;
  cgi_search_filters filters;
  cgi_runs runs;
  struct timespec t0;
  cys_status st;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!s) {
    answer_error(c, 500, "The search failed. Please try again later.");
    goto done;
  }
  if (!db || !*db) {
    fprintf(stderr, PROGRAM ": CYSEARCH_DB is not set; the server "
                    "configuration must name the index\n");
    answer_error(c, 503, "The search index is not available. Please try "
                         "again later.");
    goto done;
  }
  cys_open_options open;
  cys_open_options_init(&open);
  open.timeout = REMOTE_TIMEOUT_SECONDS;
  open.connect_timeout = REMOTE_CONNECT_TIMEOUT_SECONDS;
  if ((st = cys_searcher_open_shards(s, &db, 1, &open)) != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
    answer_error(c, 503, "The search index is not available. Please try "
                         "again later.");
    goto done;
  }
  /* Filters that name one thing once resolved are one filter. */
  const cys_gazetteer *g = NULL;
  if (req->nfilters > 0 && cys_searcher_gazetteer(s, &g) != CYS_OK)
    g = NULL; /* the search reports the failure */
  cgi_request_merge_filters(req, g);
  /* since=N against the index's runs; the page lists the last ones. */
  char runs_error[200];
  int runs_status = cgi_runs_load(s, req, req->format == CGI_FORMAT_HTML,
                                  &runs, runs_error, sizeof runs_error);
  c->runs = &runs;
  if (runs_status == 400) {
    answer_error(c, 400, runs_error);
    goto done;
  }
  if (runs_status != 200) {
    answer_search_failure(c, s, runs.failure);
    goto done;
  }
  if (runs.failure != CYS_OK) /* the page goes on without the selector */
    fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
  /* The filters go to the search as structure, beside q as sent: no text
   * in q can undo them. */
  cgi_request_filters(req, &filters);
  cys_search_options opt;
  cys_search_options_init(&opt);
  opt.limit = req->per_page;
  opt.offset = (size_t)(req->page - 1) * req->per_page;
  opt.time_limit = c->time_limit;
  if (req->exact)
    opt.exact_total = CYS_COUNT_ALL;
  opt.filters = filters.list;
  opt.nfilters = filters.n;
  opt.sort = req->sort;
  if (req->format == CGI_FORMAT_HTML) {
    opt.facets = CGI_FACETS;
    opt.facet_limit = CGI_FACET_LIMIT;
    opt.facet_dates = 1; /* "first seen" */
    /* The chart (cgi_timeline.c), drawn when every match was counted:
     * with exact=1, or when the matches examined were all there are. */
    opt.timeline = CYS_TIMELINE_AUTO;
  }
  /* What this index cannot do (sort=recent over remote shards). */
  if (cys_searcher_check_options(s, &opt) != CYS_OK) {
    char message[600];
    snprintf(message, sizeof message, "%s.", cys_searcher_errmsg(s));
    message[0] = (char)toupper((unsigned char)message[0]);
    answer_error(c, 400, message);
    goto done;
  }
  if (req->format == CGI_FORMAT_HTML && !cgi_request_has_search(req)) {
    cgi_page page = {.req = req, .css_url = c->css_url, .status = 200,
                     .runs = &runs};
    if (cys_searcher_doccount(s, &page.doccount) != CYS_OK)
      page.doccount = 0;
    cgi_page_render(&c->resp->body, &page);
    goto done;
  }
  if ((st = cys_search(s, req->q, &opt, &results)) != CYS_OK) {
    answer_search_failure(c, s, st);
    goto done;
  }
  if (req->format == CGI_FORMAT_JSON) {
    c->resp->content_type = CGI_TYPE_JSON;
    cgi_json_results(&c->resp->body, req->q, &opt, results);
  } else {
    cgi_page page = {.req = req, .css_url = c->css_url, .status = 200,
                     .results = results, .runs = &runs,
                     .seconds = seconds_since(&t0)};
    cgi_page_render(&c->resp->body, &page);
  }
done:
  c->runs = NULL; /* runs lives on this stack frame */
  cys_results_free(results);
  cys_searcher_free(s);
}

/* CYSEARCH_TIME_LIMIT (seconds, from the server's configuration), or
 * TIME_LIMIT_SECONDS. */
static double time_limit(void) {
  const char *v = getenv("CYSEARCH_TIME_LIMIT");
  char *end;
  double limit = v && *v ? strtod(v, &end) : 0.0;
  if (v && *v && (*end || !(limit > 0.0) || limit > 3600.0)) {
    fprintf(stderr, PROGRAM ": CYSEARCH_TIME_LIMIT is '%s', not a number of "
                    "seconds from 0 to 3600; using %g\n",
            v, TIME_LIMIT_SECONDS);
    limit = 0.0;
  }
  return limit > 0.0 ? limit : TIME_LIMIT_SECONDS;
}

/* CPU seconds a request may use in all: opening the index, a search of
 * two matches at most (sort=recent) and rendering, with room to spare. */
static unsigned cpu_seconds(double time_limit) {
  return (unsigned)(time_limit * 3.0) + 10u;
}

static void usage(FILE *to) {
  fputs("usage: " PROGRAM "\n"
        "cysearch.cgi is the search page as a CGI program: a web server runs\n"
        "it, with the request in the environment (REQUEST_METHOD,\n"
        "QUERY_STRING, ...) and the index in CYSEARCH_DB; it takes no\n"
        "arguments.  To try it, run searcher/serve-demo.sh BUILD_DIR INDEX\n"
        "(lighttpd); to test one request from a shell:\n"
        "  GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET QUERY_STRING='q=china'"
        " \\\n"
        "    CYSEARCH_DB=INDEX cysearch.cgi\n"
        "See cysearch.cgi(8).\n",
        to);
}

/* Not run by a web server: usage, never an HTTP answer. */
static int is_cgi(void) {
  return getenv("GATEWAY_INTERFACE") || getenv("REQUEST_METHOD");
}

int main(int argc, char **argv) {
  if (!is_cgi()) {
    int help = argc == 2 && (strcmp(argv[1], "--help") == 0 ||
                             strcmp(argv[1], "-h") == 0);
    if (!help && argc > 1)
      fprintf(stderr, PROGRAM ": not run as a CGI (GATEWAY_INTERFACE is not "
                      "set), and it takes no arguments\n");
    else if (!help)
      fprintf(stderr, PROGRAM ": not run as a CGI (GATEWAY_INTERFACE is not "
                      "set)\n");
    usage(help ? stdout : stderr);
    return help ? EXIT_SUCCESS : 2;
  }
  /* A server may pass the words of an ISINDEX query as arguments (RFC 3875
   * section 4.4); QUERY_STRING holds them too, so they are ignored. */
  cgi_request req;
  cgi_response resp;
  cgi_request_init(&req);
  cgi_response_init(&resp);
  const char *css = getenv("CYSEARCH_CSS_URL");
  cgi_context c = {.req = &req, .resp = &resp,
                   .css_url = css && *css ? css : DEFAULT_CSS_URL,
                   .time_limit = time_limit()};
  /* The last guard: whatever the work is, the process ends with a 503
   * after this much CPU. */
  cgi_cpu_limit_arm(cpu_seconds(c.time_limit));

  cgi_request_parse(&req, getenv("REQUEST_METHOD"), getenv("QUERY_STRING"));
  const char *path_info = getenv("PATH_INFO");
  if (req.status == 200 && path_info && *path_info)
    answer_error(&c, 404, "There is no page here.");
  else if (req.status != 200)
    answer_error(&c, req.status, req.error);
  else
    answer(&c, &req);
  if (resp.body.failed) {
    fprintf(stderr, PROGRAM ": out of memory or a rendering error\n");
    answer_error(&c, 500, "The search failed. Please try again later.");
    if (resp.body.failed)
      cgi_out_reset(&resp.body);
  }
  cgi_cpu_limit_disarm();
  int rc = cgi_response_write(stdout, &resp, req.head);
  cgi_response_free(&resp);
  return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
