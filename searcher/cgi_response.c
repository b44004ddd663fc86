/*
 * cgi_response.c — writing the response (see cgi_response.h).
 *
 * Cache-Control is no-store on every answer: a query can say what an
 * analyst is investigating, so no cache (shared or the browser's disk)
 * should keep it, and the results change whenever the index does.
 */
#include "cgi_response.h"

#include <stdio.h>
#include <string.h>

void cgi_response_init(cgi_response *resp) {
  memset(resp, 0, sizeof *resp);
  resp->status = 200;
  resp->content_type = CGI_TYPE_HTML;
  cgi_out_init(&resp->body);
}

void cgi_response_free(cgi_response *resp) { cgi_out_free(&resp->body); }

const char *cgi_reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 400: return "Bad Request";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 414: return "URI Too Long";
  case 503: return "Service Unavailable";
  default: return "Internal Server Error";
  }
}

int cgi_response_head(const cgi_response *resp, char *out, size_t size) {
  int n = snprintf(out, size,
                   "Status: %d %s\r\n"
                   "Content-Type: %s\r\n"
                   "Content-Length: %zu\r\n"
                   "Content-Security-Policy: " CGI_CSP "\r\n"
                   "X-Content-Type-Options: nosniff\r\n"
                   "Referrer-Policy: no-referrer\r\n"
                   "Cache-Control: no-store\r\n"
                   "%s"
                   "\r\n",
                   resp->status, cgi_reason(resp->status),
                   resp->content_type, resp->body.len,
                   resp->status == 405 ? "Allow: GET, HEAD\r\n" : "");
  return n > 0 && (size_t)n < size ? n : -1;
}

int cgi_response_write(FILE *f, const cgi_response *resp, int head_only) {
  char head[CGI_RESPONSE_HEAD_MAX];
  int n = cgi_response_head(resp, head, sizeof head);
  if (n < 0)
    return -1;
  fwrite(head, 1, (size_t)n, f);
  if (!head_only && resp->body.len)
    fwrite(resp->body.data, 1, resp->body.len, f);
  return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
