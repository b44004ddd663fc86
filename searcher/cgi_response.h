/*
 * cgi_response.h — the CGI response of cysearch.cgi: a status, a content
 * type and a body built in memory, written at the end with the same
 * security headers on every answer, so an error found while rendering can
 * still turn into a clean error page.
 */
#ifndef CYSEARCH_CGI_RESPONSE_H
#define CYSEARCH_CGI_RESPONSE_H

#include <stddef.h>
#include <stdio.h>

#include "cgi_html.h"

#define CGI_TYPE_HTML "text/html; charset=utf-8"
#define CGI_TYPE_JSON "application/json"

/* The policy of the HTML page: nothing but our own stylesheet and images
 * (data: ones too, for the page's icon, so the browser asks the server
 * for no /favicon.ico), forms only to ourselves, no framing, no script. */
#define CGI_CSP                                                             \
  "default-src 'none'; style-src 'self'; img-src 'self' data:; "            \
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

typedef struct cgi_response {
  int status;
  const char *content_type;
  cgi_out body;
} cgi_response;

void cgi_response_init(cgi_response *resp);
void cgi_response_free(cgi_response *resp);

/* The reason phrase of a status ("Not Found"). */
const char *cgi_reason(int status);

/* Room for the header block: a content type of ours and the fixed
 * fields. */
#define CGI_RESPONSE_HEAD_MAX 1024

/* The CGI header block (RFC 3875 section 6), ending in its empty line, in
 * out; its length, or -1 when it does not fit. */
int cgi_response_head(const cgi_response *resp, char *out, size_t size);

/* Write the CGI header block and, unless head_only, the body.  A 405 also
 * gets "Allow: GET, HEAD".  Returns -1 when writing fails. */
int cgi_response_write(FILE *f, const cgi_response *resp, int head_only);

#endif
