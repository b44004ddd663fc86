/* cgi_fastcgi.c — the resident FastCGI mode (see cgi_fastcgi.h). */
#include "cgi_fastcgi.h"

#include <fastcgi.h>
#include <fcgiapp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cgi_answer.h"
#include "cgi_cpu_limit.h"

#define PROGRAM "cysearch.cgi"

extern char **environ;

/* libfcgi's test alone (getpeername fails with ENOTCONN) also takes a
 * socket that is not listening — a UDP socket, a TCP one never connected
 * or reset by its peer — for FastCGI, and the process would then end at
 * its first accept without a word or an answer.  Only a listening stream
 * socket is a FastCGI server's. */
int cgi_fastcgi_started(void) {
  int listening = 0;
  socklen_t len = sizeof listening;
  if (getsockopt(FCGI_LISTENSOCK_FILENO, SOL_SOCKET, SO_ACCEPTCONN,
                 &listening, &len) != 0 || !listening)
    return 0;
  return !FCGX_IsCGI();
}

/* One FastCGI record header (the protocol's section 3.3). */
static void record_header(unsigned char *h, int type, int request_id,
                          size_t content_length) {
  h[0] = FCGI_VERSION_1;
  h[1] = (unsigned char)type;
  h[2] = (unsigned char)((request_id >> 8) & 0xff);
  h[3] = (unsigned char)(request_id & 0xff);
  h[4] = (unsigned char)((content_length >> 8) & 0xff);
  h[5] = (unsigned char)(content_length & 0xff);
  h[6] = 0; /* padding */
  h[7] = 0;
}

size_t cgi_fastcgi_frame_cpu_limit(unsigned char *out, size_t size,
                                   int request_id) {
  size_t len;
  const char *answer = cgi_cpu_limit_answer(&len);
  size_t total = 3 * FCGI_HEADER_LEN + len + sizeof(FCGI_EndRequestBody);
  if (len > 0xffff || total > size)
    return 0;
  unsigned char *p = out;
  record_header(p, FCGI_STDOUT, request_id, len);
  memcpy(p + FCGI_HEADER_LEN, answer, len);
  p += FCGI_HEADER_LEN + len;
  record_header(p, FCGI_STDOUT, request_id, 0);
  p += FCGI_HEADER_LEN;
  record_header(p, FCGI_END_REQUEST, request_id, sizeof(FCGI_EndRequestBody));
  p += FCGI_HEADER_LEN;
  FCGI_EndRequestBody end;
  memset(&end, 0, sizeof end);
  end.appStatusB0 = 1;
  end.protocolStatus = FCGI_REQUEST_COMPLETE;
  memcpy(p, &end, sizeof end);
  return total;
}

static void answer_one(FCGX_Request *r, cgi_index *index) {
  unsigned char guard_answer[1024];
  cgi_settings settings;
  cgi_response resp;
  int head_only = 0;
  cgi_settings_read(&settings, r->envp, environ);
  cgi_response_init(&resp);
  size_t guard_len = cgi_fastcgi_frame_cpu_limit(
      guard_answer, sizeof guard_answer, r->requestId);
  if (guard_len)
    cgi_cpu_limit_arm_request(cgi_cpu_seconds(&settings), r->ipcFd,
                              (const char *)guard_answer, guard_len);
  if (r->role == FCGI_RESPONDER) {
    cgi_answer(&settings, r->envp, index, &resp, &head_only);
  } else {
    /* An authorizer or a filter: a 200 would authorize whatever the
     * server asked about, so refuse. */
    fprintf(stderr, PROGRAM ": asked in FastCGI role %d; it answers only "
                    "as a responder (role 1)\n",
            r->role);
    static const char refusal[] =
        "cysearch.cgi answers only as a FastCGI responder.\n";
    resp.status = 500;
    resp.content_type = "text/plain; charset=utf-8";
    cgi_out_append(&resp.body, refusal, sizeof refusal - 1);
  }
  cgi_cpu_limit_disarm();
  char head[CGI_RESPONSE_HEAD_MAX];
  int n = cgi_response_head(&resp, head, sizeof head);
  if (n < 0 || FCGX_PutStr(head, n, r->out) != n ||
      (!head_only && resp.body.len &&
       FCGX_PutStr(resp.body.data, (int)resp.body.len, r->out) !=
           (int)resp.body.len))
    fprintf(stderr, PROGRAM ": could not write the answer to the server\n");
  cgi_response_free(&resp);
}

/* The server stops its processes with SIGTERM; libfcgi's own signal is
 * SIGUSR1, taken here too, so that a wait in poll sees it.  Either
 * finishes the request under way, if any, then ends the loop, and the
 * process exits normally.  Without SA_RESTART, so that a wait for the
 * next request ends at once. */
static volatile sig_atomic_t stopping = 0;

static void on_stop(int sig) {
  (void)sig;
  stopping = 1;
  FCGX_ShutdownPending();
}

/* What FCGX_Accept_r returns when accept failed and errno said nothing
 * (otherwise it returns minus errno). */
#define ACCEPT_FAILED_WITHOUT_ERRNO (-9999)

/* How often an idle process looks at its index. */
#define IDLE_CHECK_MS 5000

/* Wait for the next request; meanwhile, every IDLE_CHECK_MS, let go of an
 * index that a batch job has replaced (--compact, a rebuild moved into
 * place): an idle process would otherwise hold the old files, deleted
 * but not freed, until its next request, which with several processes
 * may never come to the ones the server rarely picks. */
static void wait_for_request(const FCGX_Request *r, cgi_index *index) {
  while (!stopping) {
    struct pollfd fds[2];
    nfds_t n = 0;
    fds[n].fd = FCGI_LISTENSOCK_FILENO;
    fds[n++].events = POLLIN;
    if (r->keepConnection && r->ipcFd >= 0) { /* the next request may come */
      fds[n].fd = r->ipcFd;                   /* on this connection */
      fds[n++].events = POLLIN;
    }
    int k = poll(fds, n, IDLE_CHECK_MS);
    if (k != 0)
      return; /* a request, a signal, or an error FCGX_Accept_r meets too */
    cgi_index_release_if_changed(index);
  }
}

int cgi_fastcgi_serve(void) {
  FCGX_Request request;
  struct sigaction stop;
  memset(&stop, 0, sizeof stop);
  stop.sa_handler = on_stop;
  sigemptyset(&stop.sa_mask);
  if (FCGX_Init() != 0 ||
      FCGX_InitRequest(&request, FCGI_LISTENSOCK_FILENO, 0) != 0 ||
      sigaction(SIGTERM, &stop, NULL) != 0 ||
      sigaction(SIGUSR1, &stop, NULL) != 0) {
    fprintf(stderr, PROGRAM ": cannot start FastCGI on standard input\n");
    return 1;
  }
  cgi_index index;
  cgi_index_init(&index, 1);
  long answered = 0;
  int rc;
  for (;;) {
    wait_for_request(&request, &index);
    if ((rc = FCGX_Accept_r(&request)) < 0)
      break;
    answer_one(&request, &index);
    /* The answer's end goes out now, not when the next request comes. */
    FCGX_Finish_r(&request);
    answered++;
  }
  FCGX_Finish_r(&request);
  cgi_index_close(&index);
  if (!stopping && answered == 0) { /* not the server stopping us */
    fprintf(stderr, PROGRAM ": cannot accept FastCGI connections on "
                    "standard input (%s)\n",
            rc < 0 && rc != ACCEPT_FAILED_WITHOUT_ERRNO ? strerror(-rc)
                                                       : "unknown error");
    return 1;
  }
  return 0;
}
