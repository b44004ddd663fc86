/*
 * cgi_answer.c — one request of the search page (see cgi_answer.h): decode
 * it (cgi_request.c), search the index with the same code as the command
 * line (cys_search: q as sent, the filter parameters as a filter list),
 * render HTML (cgi_page.c) or the CLI's JSON (cgi_json.c) into memory.
 *
 * Answers: 200; 400 for a malformed request; 404 for a path below the
 * CGI; 405 for methods other than GET and HEAD; 414 for a query string
 * over 8 KB; 503 when the index cannot be opened (or is being rewritten,
 * or is damaged), or the search ran out of time; 500 otherwise.  Error
 * pages say what was wrong in the request, never anything about the
 * server; details go to stderr, the server's error log.
 */
#include "cgi_answer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi_json.h"
#include "cgi_page.h"
#include "cgi_request.h"
#include "cgi_runs.h"
#include "cysearch/search.h"

#define PROGRAM "cysearch.cgi"
#define DEFAULT_CSS_URL "/cysearch.css"
/* Matching stops counting after half of this, so that no request ties up
 * the server (the page then says "About N": the totals are estimates),
 * and a match still running at the limit is stopped (503).
 * CYSEARCH_TIME_LIMIT in the server's environment sets another. */
#define TIME_LIMIT_SECONDS 2.0

/* Everything one answer needs. */
typedef struct cgi_context {
  const cgi_settings *settings;
  const cgi_request *req;
  cgi_response *resp;
  const cgi_runs *runs; /* the index's runs once read, else NULL */
  int index_failed;     /* the index failed us: open it afresh next time */
} cgi_context;

const char *cgi_env(char *const *envp, const char *name) {
  size_t n = strlen(name);
  for (; envp && *envp; envp++)
    if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
      return *envp + n + 1;
  return NULL;
}

/* name from envp, else from fallback. */
static const char *setting(char *const *envp, char *const *fallback,
                           const char *name) {
  const char *v = cgi_env(envp, name);
  return v ? v : cgi_env(fallback, name);
}

void cgi_settings_read(cgi_settings *settings, char *const *envp,
                       char *const *fallback) {
  const char *css = setting(envp, fallback, "CYSEARCH_CSS_URL");
  const char *v = setting(envp, fallback, "CYSEARCH_TIME_LIMIT");
  char *end;
  double limit = v && *v ? strtod(v, &end) : 0.0;
  if (v && *v && (*end || !(limit > 0.0) || limit > 3600.0)) {
    fprintf(stderr, PROGRAM ": CYSEARCH_TIME_LIMIT is '%s', not a number of "
                    "seconds from 0 to 3600; using %g\n",
            v, TIME_LIMIT_SECONDS);
    limit = 0.0;
  }
  settings->db = setting(envp, fallback, "CYSEARCH_DB");
  settings->css_url = css && *css ? css : DEFAULT_CSS_URL;
  settings->time_limit = limit > 0.0 ? limit : TIME_LIMIT_SECONDS;
}

/* Opening the index, a search of two matches at most (sort=recent) and
 * rendering, with room to spare. */
unsigned cgi_cpu_seconds(const cgi_settings *settings) {
  return (unsigned)(settings->time_limit * 3.0) + 10u;
}

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
    cgi_page page = {.req = c->req, .css_url = c->settings->css_url,
                     .status = status, .error = message, .runs = c->runs};
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
  c->index_failed = 1;
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

/* Search (or show the front page) in the open index. */
static void answer_from(cgi_context *c, cgi_request *req, cys_searcher *s,
                        const struct timespec *t0) {
  cys_results *results = NULL;
  cgi_search_filters filters;
  cgi_runs runs;
  cys_status st;
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
  opt.time_limit = c->settings->time_limit;
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
    cgi_page page = {.req = req, .css_url = c->settings->css_url,
                     .status = 200, .runs = &runs};
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
    cgi_page page = {.req = req, .css_url = c->settings->css_url,
                     .status = 200, .results = results, .runs = &runs,
                     .seconds = seconds_since(t0)};
    cgi_page_render(&c->resp->body, &page);
  }
done:
  c->runs = NULL; /* runs lives on this stack frame */
  cys_results_free(results);
}

/* Search, or show the front page, for a request that is good. */
static void answer(cgi_context *c, cgi_request *req, cgi_index *index) {
  const char *db = c->settings->db;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!db || !*db) {
    fprintf(stderr, PROGRAM ": CYSEARCH_DB is not set; the server "
                    "configuration must name the index\n");
    answer_error(c, 503, "The search index is not available. Please try "
                         "again later.");
    return;
  }
  cys_searcher *s;
  char message[600];
  cys_status st = cgi_index_searcher(index, db, &s, message, sizeof message);
  if (st == CYS_NOMEM) {
    answer_error(c, 500, "The search failed. Please try again later.");
    return;
  }
  if (st != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", message);
    answer_error(c, 503, "The search index is not available. Please try "
                         "again later.");
    return;
  }
  answer_from(c, req, s, &t0);
  cgi_index_done(index, c->index_failed);
}

void cgi_answer(const cgi_settings *settings, char *const *envp,
                cgi_index *index, cgi_response *resp, int *head_only) {
  cgi_request req;
  cgi_request_init(&req);
  cgi_context c = {.settings = settings, .req = &req, .resp = resp};
  cgi_request_parse(&req, cgi_env(envp, "REQUEST_METHOD"),
                    cgi_env(envp, "QUERY_STRING"));
  const char *path_info = cgi_env(envp, "PATH_INFO");
  if (req.status == 200 && path_info && *path_info)
    answer_error(&c, 404, "There is no page here.");
  else if (req.status != 200)
    answer_error(&c, req.status, req.error);
  else
    answer(&c, &req, index);
  if (resp->body.failed) {
    fprintf(stderr, PROGRAM ": out of memory or a rendering error\n");
    answer_error(&c, 500, "The search failed. Please try again later.");
    if (resp->body.failed)
      cgi_out_reset(&resp->body);
  }
  *head_only = req.head;
}
