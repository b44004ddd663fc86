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
 *     (query_item.c makes that a wildcard on "c:\windows\system32\");
 *     written with forward slashes, "C:/Windows/System32" is that path,
 *     or its words as a phrase (the analyzer reads "c:/windows/system32"
 *     as "c" and "windows/system32", so that is how articles that write
 *     it so are indexed);
 *   - an IPv4 address block is every address of the index inside it:
 *     "10.1.2.0/24" finds "10.1.2.0" to "10.1.2.255" (and blocks written
 *     inside it, "10.1.2.128/25"); ioc_block_terms walks the index's terms
 *     that start with the block's whole leading octets ("10.1.2.") and
 *     keeps those inside, the most frequent CYS_WILDCARD_MAX_EXPANSION.
 * All of it is done at query time, on the analyzer's exact forms: the
 * index already holds the host of every URL and the whole of every domain
 * and path, so no index needs rebuilding and the schema is unchanged.
 * Writing the twins and the path prefixes as terms instead would have
 * been cheap too (196 more terms, 233 postings on the news corpus, 0.2%
 * of its 86,759 terms) but would have needed a re-index and a schema
 * version; at query time the cost is one more term, or one walk of the
 * terms under a path (bounded like prefix*).
 */
#include <stdio.h>
#include <stdlib.h>
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

size_t ioc_drive_path(const char *s, size_t n, char *out, size_t cap) {
  int letter = (s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z';
  if (n < 4 || n >= cap || !letter || s[1] != ':' || s[2] != '/' ||
      s[3] == '/' || memchr(s, '\\', n))
    return 0;
  for (size_t i = 0; i < n; i++)
    out[i] = s[i] == '/' ? '\\' : s[i];
  out[n] = '\0';
  return n;
}

/* ---- IPv4 address blocks ------------------------------------------------ */

/* Read a decimal octet (1 to 3 digits, at most 255) at s[*i..n). */
static int octet_at(const char *s, size_t n, size_t *i, uint32_t *out) {
  size_t k = *i;
  uint32_t v = 0;
  while (k < n && k - *i < 3 && s[k] >= '0' && s[k] <= '9')
    v = v * 10 + (uint32_t)(s[k++] - '0');
  if (k == *i || v > 255 || (k < n && s[k] >= '0' && s[k] <= '9'))
    return 0;
  *i = k;
  *out = v;
  return 1;
}

/* A dotted quad at the start of s[0..n); the bytes it took, or 0. */
static size_t ipv4_prefix(const char *s, size_t n, uint32_t *out) {
  size_t i = 0;
  uint32_t ip = 0;
  for (int part = 0; part < 4; part++) {
    uint32_t o;
    if (part > 0) {
      if (i >= n || s[i] != '.')
        return 0;
      i++;
    }
    if (!octet_at(s, n, &i, &o))
      return 0;
    ip = ip << 8 | o;
  }
  *out = ip;
  return i;
}

int ioc_ipv4(const char *s, size_t n, uint32_t *out) {
  uint32_t ip;
  size_t end = ipv4_prefix(s, n, &ip);
  if (end == 0 || end != n) /* 0: no address, also when n is 0 */
    return 0;
  *out = ip;
  return 1;
}

/* "a.b.c.d/N" with any N from 0 to 32; the block it names. */
static int any_block(const char *s, size_t n, ioc_block *out) {
  uint32_t ip, bits = 0;
  size_t i = ipv4_prefix(s, n, &ip);
  if (i == 0 || i + 1 >= n || s[i] != '/' || n - i - 1 > 2)
    return 0;
  for (i++; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    bits = bits * 10 + (uint32_t)(s[i] - '0');
  }
  if (bits > 32)
    return 0;
  out->bits = (unsigned)bits;
  out->mask = bits ? 0xFFFFFFFFu << (32 - bits) : 0;
  out->net = ip & out->mask;
  return 1;
}

int ioc_block_parse(const char *s, size_t n, ioc_block *out) {
  ioc_block b;
  if (!any_block(s, n, &b) || b.bits < IOC_BLOCK_MIN_BITS)
    return 0;
  *out = b;
  return 1;
}

/* Is the term (an address, or a block written as such) inside b? */
static int inside(const ioc_block *b, const char *s, size_t n) {
  uint32_t ip;
  ioc_block sub;
  if (ioc_ipv4(s, n, &ip))
    return (ip & b->mask) == b->net;
  return any_block(s, n, &sub) && sub.bits >= b->bits &&
         (sub.net & b->mask) == b->net;
}

typedef struct block_walk {
  const ioc_block *block;
  ioc_terms *out;
  size_t skip; /* bytes of field prefix before the address */
} block_walk;

/* Keep the term when it is inside the block: the out->max most frequent
 * (the rarest is replaced by a more frequent one). */
static int keep_inside(void *ctx, const char *term, size_t len,
                       uint64_t count) {
  block_walk *w = ctx;
  ioc_terms *t = w->out;
  if (len <= w->skip || !inside(w->block, term + w->skip, len - w->skip))
    return 0;
  size_t slot = t->n;
  if (t->n == t->max) {
    t->cut = 1;
    slot = 0;
    for (size_t i = 1; i < t->n; i++)
      if (t->counts[i] < t->counts[slot])
        slot = i;
    if (count <= t->counts[slot])
      return 0;
    free(t->terms[slot]);
    t->terms[slot] = NULL;
  } else {
    t->n++;
  }
  size_t n = len - w->skip;
  char *copy = malloc(n + 1);
  if (!copy) {
    t->counts[slot] = 0;
    return 1; /* t->terms[slot] stays NULL: out of memory */
  }
  memcpy(copy, term + w->skip, n);
  copy[n] = '\0';
  t->terms[slot] = copy;
  t->counts[slot] = count;
  return 0;
}

static int by_bytes(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

cys_status ioc_block_terms(const cys_query_context *ctx, const char *prefix,
                           const ioc_block *b, size_t max, ioc_terms *out) {
  memset(out, 0, sizeof *out);
  out->max = max;
  size_t pl = strlen(prefix);
  if (!ctx->each_term || max == 0)
    return CYS_OK;
  if (pl > 16)
    return CYS_INVALID;
  out->terms = calloc(max, sizeof *out->terms);
  out->counts = calloc(max, sizeof *out->counts);
  if (!out->terms || !out->counts) {
    ioc_terms_free(out);
    return CYS_NOMEM;
  }
  /* Walk the terms that start with the block's whole leading octets
   * ("10.1." for 10.1.0.0/16 to /23), plus the field prefix. */
  char walk[64];
  size_t wl = pl;
  memcpy(walk, prefix, pl);
  for (unsigned k = 0; k < b->bits / 8 && k < 3; k++)
    wl += (size_t)snprintf(walk + wl, sizeof walk - wl, "%u.",
                           (unsigned)(b->net >> (24 - 8 * k)) & 0xFFu);
  block_walk w = {.block = b, .out = out, .skip = pl};
  cys_status st = ctx->each_term(ctx->term_ctx, walk, wl, keep_inside, &w);
  for (size_t i = 0; i < out->n && st == CYS_OK; i++)
    if (!out->terms[i])
      st = CYS_NOMEM;
  if (st != CYS_OK) {
    ioc_terms_free(out);
    return st;
  }
  qsort(out->terms, out->n, sizeof *out->terms, by_bytes);
  return CYS_OK;
}

void ioc_terms_free(ioc_terms *t) {
  for (size_t i = 0; i < t->n; i++)
    free(t->terms[i]);
  free(t->terms);
  free(t->counts);
  memset(t, 0, sizeof *t);
}

/* The first word of the value as the analyzer reads it, defanged forms
 * undone ("10.1.2[.]0/24" -> "10.1.2.0/24"). */
typedef struct first_word {
  char text[CYS_TOKEN_MAX + 1];
  size_t len;
} first_word;

static int take_first(void *ctx, const cys_token *t) {
  first_word *f = ctx;
  memcpy(f->text, t->exact, t->exact_len);
  f->len = t->exact_len;
  return 1;
}

cys_status ioc_block_filter(const cys_query_context *ctx, const char *value,
                            cys_query **out, char *error, size_t esize) {
  first_word f = {.len = 0};
  ioc_block b;
  uint32_t ip;
  cys_status st = cys_analyze(ctx->analyzer, value, strlen(value),
                              take_first, &f);
  if (st != CYS_OK)
    return st;
  if (ioc_ipv4(f.text, f.len, &ip)) {
    b.net = ip;
    b.mask = 0xFFFFFFFFu;
    b.bits = 32;
  } else if (!ioc_block_parse(f.text, f.len, &b)) {
    snprintf(error, esize,
             "ip:%s is not an IPv4 address or block; write ip:192.0.2.7 or "
             "ip:192.0.2.0/24 (a block of /%d to /32)",
             value, IOC_BLOCK_MIN_BITS);
    return CYS_BAD_QUERY;
  }
  ioc_terms t;
  if ((st = ioc_block_terms(ctx, "", &b, IOC_FILTER_MAX_ADDRESSES, &t)))
    return st;
  cys_query **parts = calloc(t.n + 1, sizeof *parts);
  size_t k = 0;
  if (t.cut) {
    snprintf(error, esize,
             "ip:%s holds more than %d addresses of the index, more than a "
             "filter may; give a narrower block",
             value, IOC_FILTER_MAX_ADDRESSES);
    st = CYS_BAD_QUERY;
  } else if (!parts) {
    st = CYS_NOMEM;
  }
  /* The value as written, and every address inside it. */
  if (st == CYS_OK)
    st = cys_query_new_boolean_term(f.text, f.len, &parts[k++]);
  for (size_t i = 0; i < t.n && st == CYS_OK; i++)
    if (strlen(t.terms[i]) != f.len || memcmp(t.terms[i], f.text, f.len))
      st = cys_query_new_boolean_term(t.terms[i], strlen(t.terms[i]),
                                      &parts[k++]);
  if (st == CYS_OK)
    st = cys_query_new_combined(CYS_OP_OR, parts, k, 0, out);
  for (size_t i = 0; i < k; i++)
    cys_query_free(parts[i]);
  free(parts);
  ioc_terms_free(&t);
  return st;
}
