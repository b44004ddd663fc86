/*
 * cysearch.cgi — the search page, as a program behind a web server.
 *
 * Two ways to run it, the same answers:
 *   - CGI (RFC 3875): the server starts it for each request, with the
 *     request in the environment; it answers on stdout and ends;
 *   - FastCGI: the server starts it once with a listening socket as its
 *     standard input (lighttpd's mod_fastcgi, searcher/lighttpd-fastcgi.conf)
 *     and it answers request after request, keeping the index open
 *     (cgi_fastcgi.h).
 * Either way a request is answered by cgi_answer.c into memory and
 * written at the end (cgi_response.c).
 *
 * Environment (from the server's configuration; for FastCGI each
 * request's parameters, else the process's own environment):
 *   REQUEST_METHOD, QUERY_STRING, PATH_INFO   from the server (RFC 3875)
 *   CYSEARCH_DB       the index: a directory, a stub file listing shards
 *                     (local or "remote HOST:PORT" lines), or HOST:PORT of
 *                     an xapian-tcpsrv; set by the server configuration
 *                     only, never taken from the request
 *   CYSEARCH_CSS_URL  the stylesheet's URL (default /cysearch.css)
 *   CYSEARCH_TIME_LIMIT  seconds of matching (default 2)
 *
 * Run from a shell (neither GATEWAY_INTERFACE nor REQUEST_METHOD set,
 * both of which every CGI server sets, RFC 3875 section 4.1, and standard
 * input not a socket), it prints its usage and exits 2, or 0 for --help;
 * it never answers a shell with an HTTP page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi_answer.h"
#include "cgi_cpu_limit.h"
#include "cgi_fastcgi.h"

#define PROGRAM "cysearch.cgi"

extern char **environ;

static void usage(FILE *to) {
  fputs("usage: " PROGRAM "\n"
        "cysearch.cgi is the search page as a CGI or FastCGI program: a web\n"
        "server runs it, with the request in the environment (REQUEST_METHOD,\n"
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

/* One request, this process's whole life. */
static int serve_cgi(void) {
  /* A server may pass the words of an ISINDEX query as arguments (RFC 3875
   * section 4.4); QUERY_STRING holds them too, so they are ignored. */
  cgi_settings settings;
  cgi_response resp;
  cgi_index index;
  int head_only = 0;
  cgi_settings_read(&settings, environ, NULL);
  cgi_response_init(&resp);
  cgi_index_init(&index, 0);
  /* The last guard: whatever the work is, the process ends with a 503
   * after this much CPU. */
  cgi_cpu_limit_arm(cgi_cpu_seconds(&settings));
  cgi_answer(&settings, environ, &index, &resp, &head_only);
  cgi_cpu_limit_disarm();
  int rc = cgi_response_write(stdout, &resp, head_only);
  cgi_response_free(&resp);
  cgi_index_close(&index);
  return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int main(int argc, char **argv) {
  /* A listening socket as standard input is FastCGI whatever the
   * environment says: a CGI's is a pipe or /dev/null. */
  if (cgi_fastcgi_started())
    return cgi_fastcgi_serve();
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
  return serve_cgi();
}
