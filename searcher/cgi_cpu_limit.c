/* cgi_cpu_limit.c — see cgi_cpu_limit.h. */
#include "cgi_cpu_limit.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

static const char cgi_answer_503[] =
    "Status: 503 Service Unavailable\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Cache-Control: no-store\r\n"
    "\r\n"
    "The search took too long and was stopped. Please try a narrower "
    "query, or try again in a moment.\n";

/* What the handler writes, where; answering is 0 once the real answer is
 * being written. */
static volatile sig_atomic_t answering = 0;
static int answer_fd = STDOUT_FILENO;
static const char *answer_bytes = cgi_answer_503;
static size_t answer_len = sizeof cgi_answer_503 - 1;
static int timer_armed = 0;

const char *cgi_cpu_limit_answer(size_t *len) {
  *len = sizeof cgi_answer_503 - 1;
  return cgi_answer_503;
}

static void on_cpu_limit(int sig) {
  static const char logged[] =
      "cysearch.cgi: the request used up its CPU time limit; answered 503\n";
  (void)sig;
  if (answering) {
    size_t done = 0;
    while (done < answer_len) {
      ssize_t n = write(answer_fd, answer_bytes + done, answer_len - done);
      if (n <= 0)
        break;
      done += (size_t)n;
    }
    ssize_t ignored = write(STDERR_FILENO, logged, sizeof logged - 1);
    (void)ignored;
  }
  _exit(1);
}

static int catch_signal(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_cpu_limit;
  sigemptyset(&sa.sa_mask);
  return sigaction(sig, &sa, NULL);
}

void cgi_cpu_limit_arm(unsigned seconds) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_CPU, &limit) != 0)
    return;
  rlim_t soft = seconds;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max <= soft)
    return; /* the server's limit is tighter */
  if (catch_signal(SIGXCPU) != 0)
    return;
  answering = 1;
  limit.rlim_cur = soft;
  limit.rlim_max = soft + 1;
  setrlimit(RLIMIT_CPU, &limit);
}

void cgi_cpu_limit_arm_request(unsigned seconds, int fd, const char *answer,
                               size_t len) {
  struct itimerval t;
  memset(&t, 0, sizeof t);
  t.it_value.tv_sec = seconds;
  answering = 0; /* while the handler's state changes */
  answer_fd = fd;
  answer_bytes = answer;
  answer_len = len;
  if (catch_signal(SIGPROF) != 0)
    return;
  atomic_signal_fence(memory_order_seq_cst); /* the state, then the flag */
  answering = 1;
  timer_armed = setitimer(ITIMER_PROF, &t, NULL) == 0;
}

void cgi_cpu_limit_disarm(void) {
  answering = 0;
  if (timer_armed) {
    struct itimerval off;
    memset(&off, 0, sizeof off);
    setitimer(ITIMER_PROF, &off, NULL);
    timer_armed = 0;
  }
}
