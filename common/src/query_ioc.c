/*
 * query_ioc.c — the other forms an indicator in a query also stands for,
 * so that an analyst finds an indicator however the articles wrote it:
 *   - a URL is also its host: "http://avsvmcloud.com" finds the articles
 *     that name only "avsvmcloud.com" (every URL in an article is indexed
 *     with its host as a term of its own, so the host finds them all);
 *   - a domain is also its "www." twin, and back: "example.com" finds
 *     "www.example.com" and "www.example.com" finds "example.com";
 *   - a Windows path or registry key is also every path below it:
 *     "C:\Windows\System32" finds "C:\Windows\System32\drivers\etc\hosts"
 *     (query_item.c makes that a wildcard on "c:\windows\system32\").
 * All of it is done at query time, on the analyzer's exact forms: the
 * index already holds the host of every URL and the whole of every domain
 * and path, so no index needs rebuilding and the schema is unchanged.
 * Writing the twins and the path prefixes as terms instead would have
 * been cheap too (196 more terms, 233 postings on the news corpus, 0.2%
 * of its 86,759 terms) but would have needed a re-index and a schema
 * version; at query time the cost is one more term, or one walk of the
 * terms under a path (bounded like prefix*).
 */
#include <string.h>

#include "query_internal.h"

size_t ioc_url_host(const char *s, size_t n, char *out, size_t cap) {
  const char *sep = NULL;
  for (size_t i = 0; i + 3 <= n && i <= 10; i++)
    if (memcmp(s + i, "://", 3) == 0) {
      sep = s + i + 3;
      break;
    }
  if (!sep)
    return 0;
  size_t from = (size_t)(sep - s), to = from;
  while (to < n && s[to] != '/' && s[to] != '?' && s[to] != '#' &&
         s[to] != ':' && s[to] != '\\')
    to++;
  /* "user@host": the host is after the last '@'. */
  for (size_t i = from; i < to; i++)
    if (s[i] == '@')
      from = i + 1;
  size_t len = to - from;
  if (len == 0 || len >= cap || !memchr(s + from, '.', len))
    return 0;
  memcpy(out, s + from, len);
  out[len] = '\0';
  return len;
}

/* Does s[0..n) read as a domain name: labels of letters, digits and '-'
 * joined by dots, the last one letters only (so not an IPv4 address, a
 * version or "1.2")? */
static int is_domain(const char *s, size_t n) {
  size_t dots = 0, label = 0, tld_letters = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '.') {
      if (label == 0)
        return 0;
      dots++;
      label = tld_letters = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || (unsigned char)c >= 0x80) {
      label++;
      tld_letters += (c >= 'a' && c <= 'z') || (unsigned char)c >= 0x80;
    } else {
      return 0;
    }
  }
  return dots >= 1 && label >= 2 && tld_letters == label;
}

size_t ioc_www_twin(const char *s, size_t n, char *out, size_t cap) {
  if (!is_domain(s, n))
    return 0;
  size_t len;
  if (n > 4 && memcmp(s, "www.", 4) == 0) {
    len = n - 4;
    if (len >= cap || !memchr(s + 4, '.', len))
      return 0; /* "www.com" has no twin "com" */
    memcpy(out, s + 4, len);
  } else {
    len = n + 4;
    if (len >= cap)
      return 0;
    memcpy(out, "www.", 4);
    memcpy(out + 4, s, n);
  }
  out[len] = '\0';
  return len;
}

int ioc_is_path(const char *s, size_t n) {
  return memchr(s, '\\', n) != NULL && !memchr(s, '/', n);
}
