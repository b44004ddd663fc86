/*
 * cgi_fastcgi.h — cysearch.cgi as a resident FastCGI process: the web
 * server starts it once (lighttpd's mod_fastcgi with "bin-path", or any
 * FastCGI process manager) with a listening socket as its standard input,
 * and it answers request after request over that socket, keeping the
 * index open between them (cgi_index.h) instead of paying a process
 * start, the dynamic linker and an index open for every page.
 *
 * The FastCGI protocol is Debian's libfcgi (its FCGX interface); each
 * request is answered by the same code as a CGI request (cgi_answer.h)
 * and guarded by the same CPU limit (cgi_cpu_limit.h), per request.
 */
#ifndef CYSEARCH_CGI_FASTCGI_H
#define CYSEARCH_CGI_FASTCGI_H

#include <stddef.h>

/* Whether this process was started as a FastCGI application (its standard
 * input is a listening socket), not run per request or from a shell. */
int cgi_fastcgi_started(void);

/* The CPU guard's 503 (cgi_cpu_limit_answer) as the whole answer to
 * request request_id on the wire: the CGI response in a stdout record,
 * the empty record that ends stdout, and the end of the request (the
 * FastCGI specification, sections 3.3, 5.3 and 5.5).  Built before a
 * request is answered, because the signal handler that sends it can
 * build nothing.  Its length, or 0 when out is too small. */
size_t cgi_fastcgi_frame_cpu_limit(unsigned char *out, size_t size,
                                   int request_id);

/* Answer requests until the server stops the process (SIGTERM, SIGUSR1)
 * or accepting fails.  Returns the exit status. */
int cgi_fastcgi_serve(void);

#endif
