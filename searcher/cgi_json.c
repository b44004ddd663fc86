/*
 * cgi_json.c — JSON answers (see cgi_json.h).  output_json writes to a
 * FILE, so it writes to a memory stream here.
 */
#include "cgi_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

void cgi_json_results(cgi_out *out, const char *query,
                      const cys_search_options *options,
                      const cys_results *r) {
  char *data = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&data, &len);
  if (!f) {
    out->failed = 1;
    return;
  }
  output_opts o = {.query = query, .filters = options->filters,
                   .nfilters = options->nfilters,
                   .url_shown = cgi_url_is_web};
  int rc = output_json(f, &o, r);
  if (fclose(f) != 0 || rc < 0)
    out->failed = 1;
  else
    cgi_out_append(out, data, len);
  free(data);
}

void cgi_json_error(cgi_out *out, int status, const char *message) {
  json_t *root = json_pack("{s:{s:i,s:s}}", "error", "status", status,
                           "message", message);
  char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
  if (!text) {
    out->failed = 1;
  } else {
    cgi_out_append(out, text, strlen(text));
    cgi_out_append(out, "\n", 1);
  }
  free(text);
  json_decref(root);
}
