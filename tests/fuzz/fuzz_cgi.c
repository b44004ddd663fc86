/*
 * fuzz_cgi.c — the CGI's request path on any input: the first byte picks
 * the method, the rest is the query string.  The parameters are decoded;
 * an accepted search runs against a small index made once (with hostile
 * titles and a javascript: url), and the page is rendered.  The status is
 * always one the CGI documents, and no markup from the input or the index
 * ever reaches the page unescaped.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgi_html.h"
#include "cgi_page.h"
#include "cgi_request.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"

static cys_searcher *searcher;
static char dir[] = "/tmp/fuzz-cgi-XXXXXX";

/* Remove the index at exit (its files are all directly in dir). */
static void cleanup(void) {
  cys_searcher_free(searcher);
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  char path[sizeof dir + 300];
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.' &&
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name) > 0)
      unlink(path);
  closedir(d);
  rmdir(dir);
}

static void setup(void) {
  if (!mkdtemp(dir))
    abort();
  atexit(cleanup);
  cys_writer *w = cys_writer_new();
  if (!w || cys_writer_open(w, dir, NULL) != CYS_OK)
    abort();
  const cys_article articles[] = {
      {.id = "a1", .title = "China espionage <script>alert(1)</script>",
       .body = "Chinese hackers used CVE-2021-44228 against U.S. firms.",
       .url = "javascript:alert(1)", .date = "2021-12"},
      {.id = "a2", .title = "\"><img src=x onerror=alert(1)> ransomware",
       .body = "Ransomware hit a hospital in Germany; the BSI warned.",
       .url = "https://example.org/a2", .source = "example.org"},
  };
  for (size_t i = 0; i < sizeof articles / sizeof *articles; i++)
    if (cys_writer_put(w, &articles[i], NULL) != CYS_OK)
      abort();
  if (cys_writer_commit(w) != CYS_OK)
    abort();
  cys_writer_free(w);
  searcher = cys_searcher_new();
  if (!searcher || cys_searcher_open(searcher, dir) != CYS_OK)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", ""};
  if (!searcher)
    setup();
  if (size == 0)
    return 0;
  const char *method = methods[data[0] % 5];
  char *qs = malloc(size);
  if (!qs)
    return 0;
  memcpy(qs, data + 1, size - 1);
  qs[size - 1] = '\0';
  cgi_request req;
  cgi_request_init(&req);
  int status = cgi_request_parse(&req, method, qs);
  if (status != 200 && status != 400 && status != 405 && status != 414)
    abort();
  cys_results *results = NULL;
  cgi_page page = {.req = &req, .css_url = "/cysearch.css", .status = status,
                   .error = status == 200 ? NULL : req.error};
  if (status == 200 && cgi_request_has_search(&req)) {
    cgi_search_filters filters;
    cgi_request_filters(&req, &filters);
    cys_search_options o;
    cys_search_options_init(&o);
    o.facets = ~0u & ((1u << CYS_FACETS) - 1);
    o.filters = filters.list;
    o.nfilters = filters.n;
    if (cys_search(searcher, req.q, &o, &results) == CYS_OK)
      page.results = results;
    else
      page.status = 400, page.error = "bad query";
  }
  cgi_out out;
  cgi_out_init(&out);
  cgi_page_render(&out, &page);
  if (out.data && (strstr(out.data, "<script") || strstr(out.data, "<img") ||
                   strstr(out.data, "href=\"javascript:")))
    abort();
  cgi_out_free(&out);
  cys_results_free(results);
  free(qs);
  return 0;
}
