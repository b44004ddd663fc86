/*
 * test_cgi_cpu_limit.c — cysearch.cgi's last guard (searcher/
 * cgi_cpu_limit.c) in both of its forms, in child processes that burn
 * CPU: per process (CGI: RLIMIT_CPU, the 503 on stdout) and per request
 * (FastCGI: a CPU timer, the 503 framed as FastCGI records on the
 * request's socket, cgi_fastcgi_frame_cpu_limit); and that a disarmed
 * guard neither answers nor stops the process.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgi_cpu_limit.h"
#include "cgi_fastcgi.h"
#include "check.h"

enum { FCGI_VERSION = 1, STDOUT_RECORD = 6, END_REQUEST_RECORD = 3 };

/* Spin until `seconds` of this process's CPU time have passed. */
static void burn_cpu(double seconds) {
  struct timespec t;
  volatile unsigned long sink = 0;
  do {
    for (int i = 0; i < 100000; i++)
      sink += (unsigned long)i;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  } while ((double)t.tv_sec + (double)t.tv_nsec / 1e9 < seconds);
  (void)sink;
}

/* Everything the other end writes until it closes, and its exit status. */
static size_t read_all(int fd, unsigned char *out, size_t size) {
  size_t n = 0;
  ssize_t got;
  while (n < size && (got = read(fd, out + n, size - n)) > 0)
    n += (size_t)got;
  return n;
}

static int exit_status(pid_t pid) {
  int status;
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The records of the framed 503: stdout with the CGI response, empty
 * stdout, end of request with application status 1. */
static void test_frame(void) {
  unsigned char out[1024];
  size_t answer_len;
  const char *answer = cgi_cpu_limit_answer(&answer_len);
  size_t n = cgi_fastcgi_frame_cpu_limit(out, sizeof out, 0x1234);
  CHECK_INT((long)n, (long)(answer_len + 32));
  CHECK_INT(out[0], FCGI_VERSION);
  CHECK_INT(out[1], STDOUT_RECORD);
  CHECK_INT(out[2] << 8 | out[3], 0x1234);
  CHECK_INT((long)(out[4] << 8 | out[5]), (long)answer_len);
  CHECK(memcmp(out + 8, answer, answer_len) == 0);
  CHECK(strncmp(answer, "Status: 503 ", 12) == 0);
  const unsigned char *p = out + 8 + answer_len;
  CHECK_INT(p[1], STDOUT_RECORD);
  CHECK_INT(p[4] << 8 | p[5], 0);
  CHECK_INT(p[2] << 8 | p[3], 0x1234);
  p += 8;
  CHECK_INT(p[1], END_REQUEST_RECORD);
  CHECK_INT(p[4] << 8 | p[5], 8);
  CHECK_INT(p[2] << 8 | p[3], 0x1234);
  CHECK_INT(p[8 + 3], 1); /* appStatus */
  CHECK_INT(p[8 + 4], 0); /* FCGI_REQUEST_COMPLETE */
  CHECK_INT((long)cgi_fastcgi_frame_cpu_limit(out, 40, 1), 0);
}

/* FastCGI: a request over its CPU time gets the framed 503 and the
 * process ends; disarmed, nothing is written and it lives on. */
static void test_per_request(int disarm) {
  unsigned char frame[1024], got[2048];
  size_t len = cgi_fastcgi_frame_cpu_limit(frame, sizeof frame, 7);
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    cgi_cpu_limit_arm_request(1, sv[1], (const char *)frame, len);
    if (disarm)
      cgi_cpu_limit_disarm();
    burn_cpu(disarm ? 1.5 : 8.0);
    _exit(0);
  }
  close(sv[1]);
  size_t n = read_all(sv[0], got, sizeof got);
  close(sv[0]);
  int status = exit_status(pid);
  if (disarm) {
    CHECK_INT((long)n, 0);
    CHECK_INT(status, 0);
  } else {
    CHECK_INT((long)n, (long)len);
    CHECK(n == len && memcmp(got, frame, len) == 0);
    CHECK_INT(status, 1);
  }
}

/* CGI: the process's CPU limit; the 503 on stdout. */
static void test_per_process(void) {
  unsigned char got[2048];
  size_t answer_len;
  const char *answer = cgi_cpu_limit_answer(&answer_len);
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    dup2(sv[1], STDOUT_FILENO);
    cgi_cpu_limit_arm(1);
    burn_cpu(8.0);
    _exit(0);
  }
  close(sv[1]);
  size_t n = read_all(sv[0], got, sizeof got);
  close(sv[0]);
  CHECK_INT((long)n, (long)answer_len);
  CHECK(n == answer_len && memcmp(got, answer, n) == 0);
  CHECK_INT(exit_status(pid), 1);
}

int main(void) {
  test_frame();
  test_per_request(0);
  test_per_request(1);
  test_per_process();
  return check_done();
}
