/*
 * cgi_cpu_limit.h — the CGI's last guard against a request that does not
 * end: a CPU-time limit (setrlimit RLIMIT_CPU) whose signal answers 503.
 *
 * The search's own time limit stops a match (cys_search_options
 * .time_limit); this catches whatever else could run long.  The answer is
 * built in memory and written once at the end (cgi_response_write), so
 * until then nothing has been written and the signal handler can answer
 * on its own: a fixed 503 page, then _exit.  Its state is the one static
 * of the CGI: a signal handler has no other way to know it.
 */
#ifndef CYSEARCH_CGI_CPU_LIMIT_H
#define CYSEARCH_CGI_CPU_LIMIT_H

/* After `seconds` of CPU, answer 503 and exit (SIGXCPU); the kernel kills
 * the process a second later if even that does not happen.  Leaves the
 * limits alone when they cannot be set (the server's own apply). */
void cgi_cpu_limit_arm(unsigned seconds);

/* The answer is about to be written: from now on SIGXCPU only ends the
 * process, never writes a second answer. */
void cgi_cpu_limit_disarm(void);

#endif
