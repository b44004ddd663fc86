/*
 * cgi_json.h — the format=json answers of cysearch.cgi: results in exactly
 * the JSON the command line prints (output_json in output.c is called, not
 * copied), and errors as {"error": {"status": N, "message": "..."}}.
 */
#ifndef CYSEARCH_CGI_JSON_H
#define CYSEARCH_CGI_JSON_H

#include "cgi_html.h"
#include "cysearch/search.h"

/* Append the JSON for the results of query with the options' filters to
 * out; sets out->failed when memory runs out. */
void cgi_json_results(cgi_out *out, const char *query,
                      const cys_search_options *options,
                      const cys_results *r);

/* Append an error object. */
void cgi_json_error(cgi_out *out, int status, const char *message);

#endif
