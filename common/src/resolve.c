/*
 * resolve.c — looking up the host of a remote shard within the connect
 * timeout (resolve.h).  glibc's getaddrinfo_a runs the lookup on a thread
 * of its own, and we wait for it with gai_suspend no longer than the
 * timeout.
 *
 * Who owns what.  A lookup that is running cannot be cancelled (gai_cancel
 * says EAI_NOTCANCELED): glibc's thread goes on using the request — the
 * gaicb, its hints and the name — until the resolver gives up.  So the
 * request is on the heap (struct lookup) and has two owners: the caller
 * of resolve_host, and the completion notice glibc delivers on a thread
 * of its own (SIGEV_THREAD) when the lookup ends.  Each lets go with
 * lookup_release; the last frees the request and the addresses found.  A
 * lookup given up on is thus freed when it ends, some seconds later, and
 * nothing leaks (LeakSanitizer: until then glibc's request list still
 * points to it).  Only when glibc cannot deliver the notice (no memory or
 * thread for it) is the request left allocated: a small leak, and only
 * then.
 */
#define _GNU_SOURCE /* getaddrinfo_a, gai_suspend, gai_cancel (glibc) */

#include "resolve.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* One lookup.  cb, hints and name are what glibc's lookup thread uses. */
struct lookup {
  struct gaicb cb;
  struct addrinfo hints;
  atomic_int owners; /* 2: resolve_host and the completion notice */
  char name[];       /* the host, without brackets */
};

static void lookup_release(struct lookup *l) {
  if (atomic_fetch_sub(&l->owners, 1) == 1) {
    if (l->cb.ar_result)
      freeaddrinfo(l->cb.ar_result);
    free(l);
  }
}

/* The completion notice, on a thread glibc starts when the lookup ends. */
static void lookup_done(union sigval v) { lookup_release(v.sival_ptr); }

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static struct timespec to_timespec(double seconds) {
  struct timespec t;
  t.tv_sec = (time_t)seconds;
  t.tv_nsec = (long)((seconds - (double)t.tv_sec) * 1e9);
  if (t.tv_nsec < 0)
    t.tv_nsec = 0;
  if (t.tv_nsec > 999999999)
    t.tv_nsec = 999999999;
  return t;
}

static int is_numeric(const char *host) {
  unsigned char addr[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, host, addr) == 1 ||
         inet_pton(AF_INET6, host, addr) == 1;
}

/* Wait for the lookup until deadline (0: no deadline).  Returns 1 when it
 * has ended, 0 when time ran out first. */
static int wait_for(struct lookup *l, double deadline) {
  const struct gaicb *list[1] = {&l->cb};
  while (gai_error(&l->cb) == EAI_INPROGRESS) {
    struct timespec left;
    if (deadline > 0) {
      double s = deadline - now_seconds();
      if (s <= 0)
        return 0;
      left = to_timespec(s);
    }
    int r = gai_suspend(list, 1, deadline > 0 ? &left : NULL);
    if (r != 0 && r != EAI_AGAIN && r != EAI_INTR &&
        gai_error(&l->cb) == EAI_INPROGRESS) {
      /* (Not expected: do not spin.) */
      struct timespec pause = {0, 1000000};
      nanosleep(&pause, NULL);
    }
  }
  return 1;
}

static cys_status lookup_failed(int eai, const char *host, char *why,
                                size_t why_size) {
  snprintf(why, why_size, "cannot resolve host '%s' (%s)", host,
           gai_strerror(eai));
  return eai == EAI_MEMORY ? CYS_NOMEM : CYS_NETWORK;
}

cys_status resolve_host(const char *host, double timeout_seconds,
                        char *numeric, size_t numeric_size, char *why,
                        size_t why_size) {
  if (why_size)
    why[0] = '\0';
  if (numeric_size)
    numeric[0] = '\0';
  size_t len = host ? strlen(host) : 0;
  if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
    host++;
    len -= 2;
  }
  if (len == 0) {
    snprintf(why, why_size, "no host name");
    return CYS_INVALID;
  }
  if (numeric_size < RESOLVE_NUMERIC_SIZE) {
    snprintf(why, why_size, "no room for the address of host '%.*s'",
             (int)len, host);
    return CYS_INVALID;
  }

  struct lookup *l = calloc(1, sizeof *l + len + 1);
  if (!l) {
    snprintf(why, why_size, "out of memory looking up host '%.*s'",
             (int)len, host);
    return CYS_NOMEM;
  }
  memcpy(l->name, host, len);
  l->name[len] = '\0';
  if (is_numeric(l->name)) {
    snprintf(numeric, numeric_size, "%s", l->name);
    free(l);
    return CYS_OK;
  }

  /* As Xapian 1.4's remote backend asks (net/resolver.h): IPv4 only, and
   * AI_ADDRCONFIG except for localhost (glibc leaves out loopback
   * addresses when deciding what is configured). */
  l->hints.ai_family = AF_INET;
  l->hints.ai_socktype = SOCK_STREAM;
  l->hints.ai_flags = strcmp(l->name, "localhost") ? AI_ADDRCONFIG : 0;
  l->cb.ar_name = l->name;
  l->cb.ar_service = NULL;
  l->cb.ar_request = &l->hints;
  atomic_init(&l->owners, 2);

  struct sigevent notice;
  memset(&notice, 0, sizeof notice);
  notice.sigev_notify = SIGEV_THREAD;
  notice.sigev_notify_function = lookup_done;
  notice.sigev_value.sival_ptr = l;
  double deadline = timeout_seconds > 0 ? now_seconds() + timeout_seconds : 0;
  struct gaicb *list[1] = {&l->cb};
  int r = getaddrinfo_a(GAI_NOWAIT, list, 1, &notice);
  if (r != 0) {
    /* Not queued (EAI_SYSTEM: glibc still sends the notice), or queued
     * without a notice (EAI_AGAIN): in both cases let go of our part only,
     * never free it here. */
    cys_status st = lookup_failed(r, l->name, why, why_size);
    lookup_release(l);
    return st;
  }

  if (!wait_for(l, deadline)) {
    int c = gai_cancel(&l->cb);
    if (c == EAI_CANCELED) {
      /* Dequeued before it started: glibc sends no notice. */
      lookup_release(l);
      lookup_release(l);
      l = NULL;
    } else if (gai_error(&l->cb) == EAI_INPROGRESS) {
      /* Running: the notice frees it when it ends. */
      lookup_release(l);
      l = NULL;
    } /* else it ended after all: use it */
    if (!l) {
      snprintf(why, why_size,
               "looking up host '%.*s' took longer than the connect timeout "
               "(%g s)",
               (int)len, host, timeout_seconds);
      return CYS_TIMEOUT;
    }
  }

  cys_status st = CYS_OK;
  int e = gai_error(&l->cb);
  if (e != 0) {
    st = lookup_failed(e, l->name, why, why_size);
  } else if (!l->cb.ar_result) {
    st = lookup_failed(EAI_NONAME, l->name, why, why_size);
  } else {
    struct addrinfo *ai = l->cb.ar_result;
    int g = getnameinfo(ai->ai_addr, ai->ai_addrlen, numeric, numeric_size,
                        NULL, 0, NI_NUMERICHOST);
    if (g != 0) {
      numeric[0] = '\0';
      snprintf(why, why_size, "cannot use the address of host '%s' (%s)",
               l->name, gai_strerror(g));
      st = g == EAI_MEMORY ? CYS_NOMEM : CYS_NETWORK;
    }
  }
  lookup_release(l);
  return st;
}
