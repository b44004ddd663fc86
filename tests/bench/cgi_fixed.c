/*
 * cgi_fixed.c — the smallest useful CGI, a baseline for tests/bench/
 * cgi_load.sh: it prints a fixed HTML page of about the size of a short
 * result page and exits, so what the server measures for it is the cost
 * of starting a process through lighttpd's mod_cgi, and nothing of a
 * search.  Built by cgi_load.sh with the system C compiler; not part of
 * the programs.
 */
#include <stdio.h>
#include <string.h>

int main(void) {
  static char body[8192];
  size_t n = 0;
  n += (size_t)snprintf(body + n, sizeof body - n,
                        "<!DOCTYPE html>\n<html lang=\"en\"><head>"
                        "<meta charset=\"utf-8\"><title>fixed</title>"
                        "</head><body>\n");
  for (int i = 0; i < 60 && n + 128 < sizeof body; i++)
    n += (size_t)snprintf(body + n, sizeof body - n,
                          "<p>Line %d of a page that never changes.</p>\n",
                          i);
  n += (size_t)snprintf(body + n, sizeof body - n, "</body></html>\n");
  printf("Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
         "Content-Length: %zu\r\n\r\n",
         n);
  fwrite(body, 1, n, stdout);
  return 0;
}
