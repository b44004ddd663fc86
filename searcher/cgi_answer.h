/*
 * cgi_answer.h — one request to the search page, answered into memory:
 * what cysearch.cgi does the same whether a web server starts it per
 * request (CGI) or keeps it running (FastCGI, cgi_fastcgi.h).
 *
 * Ownership: the caller's.  The settings and the environment are
 * borrowed for the call; the answer goes into the caller's response
 * (cgi_response.h), which the caller writes and frees; the index
 * (cgi_index.h) is the caller's and outlives the request.
 */
#ifndef CYSEARCH_CGI_ANSWER_H
#define CYSEARCH_CGI_ANSWER_H

#include "cgi_index.h"
#include "cgi_response.h"

/* What the server's configuration says, from the environment a request
 * comes with (never from the request itself: a client's headers reach
 * the environment only as HTTP_* variables, RFC 3875 section 4.1.18). */
typedef struct cgi_settings {
  const char *db;      /* CYSEARCH_DB, the index; NULL or "" when unset */
  const char *css_url; /* CYSEARCH_CSS_URL, or /cysearch.css */
  double time_limit;   /* CYSEARCH_TIME_LIMIT seconds of matching, or 2 */
} cgi_settings;

/* The value of name in envp ("NAME=value" strings, NULL-terminated, as
 * environ or a FastCGI request's parameters), NULL when absent. */
const char *cgi_env(char *const *envp, const char *name);

/* Read the settings from envp, and those it lacks from fallback (NULL:
 * none; a FastCGI process: its own environment, which the server's
 * configuration may set instead of each request's).  A
 * CYSEARCH_TIME_LIMIT that is not a number of seconds from 0 to 3600 is
 * reported on stderr and the default used.  Strings point into envp or
 * fallback. */
void cgi_settings_read(cgi_settings *settings, char *const *envp,
                       char *const *fallback);

/* CPU seconds one request may use in all (opening the index, a search,
 * rendering), with room to spare: the last guard (cgi_cpu_limit.h). */
unsigned cgi_cpu_seconds(const cgi_settings *settings);

/* Answer the request in envp (REQUEST_METHOD, QUERY_STRING, PATH_INFO)
 * into resp, searching the index settings->db through `index`.  *head_only
 * is set for a HEAD request.  Never fails: every failure becomes an error
 * page in resp (its detail on stderr). */
void cgi_answer(const cgi_settings *settings, char *const *envp,
                cgi_index *index, cgi_response *resp, int *head_only);

#endif
