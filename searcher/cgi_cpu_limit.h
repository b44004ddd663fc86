/*
 * cgi_cpu_limit.h — the CGI's last guard against a request that does not
 * end: a CPU-time limit whose signal answers 503.
 *
 * The search's own time limit stops a match (cys_search_options
 * .time_limit); this catches whatever else could run long.  The answer is
 * built in memory and written once at the end (cgi_response_write), so
 * until then nothing has been written and the signal handler can answer
 * on its own: a fixed 503, then _exit.  Two ways to arm it:
 *   - a process per request (CGI): the process's CPU limit (setrlimit
 *     RLIMIT_CPU, SIGXCPU); the 503 goes to stdout;
 *   - a resident process (FastCGI): a timer of this request's CPU time
 *     (setitimer ITIMER_PROF, SIGPROF); the 503, already framed for the
 *     server's protocol by the caller, goes to the request's socket, and
 *     the process ends: the web server starts another.
 * Its state is the one static of the CGI: a signal handler has no other
 * way to know it.
 */
#ifndef CYSEARCH_CGI_CPU_LIMIT_H
#define CYSEARCH_CGI_CPU_LIMIT_H

#include <stddef.h>

/* The CGI response the guard sends (headers and body), and its length. */
const char *cgi_cpu_limit_answer(size_t *len);

/* A process per request: after `seconds` of CPU, answer 503 on stdout and
 * exit (SIGXCPU); the kernel kills the process a second later if even
 * that does not happen.  Leaves the limits alone when they cannot be set
 * (the server's own apply). */
void cgi_cpu_limit_arm(unsigned seconds);

/* A resident process, at the start of each request: after `seconds` of
 * CPU from now, write answer[0..len) to fd and exit (SIGPROF).  answer is
 * borrowed until cgi_cpu_limit_disarm. */
void cgi_cpu_limit_arm_request(unsigned seconds, int fd, const char *answer,
                               size_t len);

/* The answer is about to be written: from now on the signal only ends
 * the process, never writes a second answer; a request's timer stops. */
void cgi_cpu_limit_disarm(void);

#endif
