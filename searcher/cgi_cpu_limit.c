/* cgi_cpu_limit.c — see cgi_cpu_limit.h. */
#include "cgi_cpu_limit.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static volatile sig_atomic_t answering = 1;

static void on_cpu_limit(int sig) {
  static const char answer[] =
      "Status: 503 Service Unavailable\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "X-Content-Type-Options: nosniff\r\n"
      "Cache-Control: no-store\r\n"
      "\r\n"
      "The search took too long and was stopped. Please try a narrower "
      "query, or try again in a moment.\n";
  static const char logged[] =
      "cysearch.cgi: the request used up its CPU time limit; answered 503\n";
  (void)sig;
  if (answering) {
    ssize_t ignored = write(STDOUT_FILENO, answer, sizeof answer - 1);
    ignored = write(STDERR_FILENO, logged, sizeof logged - 1);
    (void)ignored;
  }
  _exit(1);
}

void cgi_cpu_limit_arm(unsigned seconds) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_CPU, &limit) != 0)
    return;
  rlim_t soft = seconds;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max <= soft)
    return; /* the server's limit is tighter */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_cpu_limit;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGXCPU, &sa, NULL) != 0)
    return;
  limit.rlim_cur = soft;
  limit.rlim_max = soft + 1;
  setrlimit(RLIMIT_CPU, &limit);
}

void cgi_cpu_limit_disarm(void) { answering = 0; }
