/*
 * resolve.h — the host name lookup of a remote shard (HOST:PORT), bounded
 * by the connect timeout.  Xapian::Remote::open bounds the TCP connect,
 * but looks the name up first with a plain getaddrinfo(), which waits for
 * the resolver's own timeouts (5 s x attempts x name servers when DNS is
 * down).  So the opener (xapian_shim_open.cc) looks the host up here,
 * within the connect timeout, and gives Xapian the numeric address.
 * Private to the C++ shim; C, so declared extern "C".
 */
#ifndef CYSEARCH_RESOLVE_H
#define CYSEARCH_RESOLVE_H

#include <stddef.h>

#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any numeric address resolve_host gives (INET6_ADDRSTRLEN is
 * 46), with its NUL. */
#define RESOLVE_NUMERIC_SIZE 64

/* The numeric address of host, as Xapian 1.4 would connect to it: an
 * IPv4 address (Xapian's remote backend asks for AF_INET only), the first
 * the lookup gives.  host may be a name, or a numeric IPv4 or IPv6
 * address (brackets allowed), which is given back as it is, without a
 * lookup.
 *
 * The lookup (glibc's getaddrinfo_a) may take up to timeout_seconds;
 * 0 or less: no limit of ours, only the resolver's own.  A lookup given up
 * on keeps running in the background until the resolver gives up too; its
 * memory is freed then (resolve.c: who owns what).
 *
 * On success CYS_OK with the address in numeric[0..numeric_size) (at least
 * RESOLVE_NUMERIC_SIZE bytes).  Otherwise a message naming the host in
 * why[0..why_size) and
 *   CYS_TIMEOUT  the lookup took longer than timeout_seconds ("looking up
 *                host 'x' took longer than the connect timeout (N s)"),
 *   CYS_NETWORK  the name cannot be resolved ("cannot resolve host 'x'
 *                (Name or service not known)"), or a resolver failure,
 *   CYS_NOMEM    memory ran out,
 *   CYS_INVALID  an empty host, or numeric too small. */
cys_status resolve_host(const char *host, double timeout_seconds,
                        char *numeric, size_t numeric_size, char *why,
                        size_t why_size);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_RESOLVE_H */
