/* text_page.c — see text_page.h.  The page is split into trimmed lines;
 * the header (breadcrumb, category, title and its repeats, a date line) is
 * read from the top, the related-articles block is cut from the bottom,
 * and what is left is the body. */
#include "text_page.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cysearch/utf8.h"
#include "loose_date.h"
#include "strbuf.h"

/* The longest line taken as a category. */
#define CATEGORY_MAX 80

typedef struct line {
  const char *s;
  size_t n;
  int para; /* a blank line came before it */
} line;

/* Lines that open the related-articles block (compared without case,
 * with an optional trailing colon). */
static const char *const related_markers[] = {"related articles",
                                              "related posts",
                                              "related stories",
                                              "related news",
                                              "related reading",
                                              "related content",
                                              "related",
                                              "you may also like",
                                              "you might also like",
                                              "you may like",
                                              "more stories",
                                              "more articles",
                                              "read more",
                                              "read next",
                                              "recommended",
                                              "recommended for you",
                                              "more from this category",
                                              NULL};

/* Length of the space-like sequence at s[0..n): ASCII space and controls,
 * U+00A0 NO-BREAK SPACE, U+FEFF BYTE ORDER MARK; 0 when there is none. */
static size_t space_at(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (n >= 1 && (u[0] <= 0x20 || u[0] == 0x7f))
    return 1;
  if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
    return 2;
  if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
    return 3;
  return 0;
}

/* Length of a space-like sequence ending at s[n). */
static size_t space_before(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (n >= 1 && (u[n - 1] <= 0x20 || u[n - 1] == 0x7f))
    return 1;
  if (n >= 2 && u[n - 2] == 0xc2 && u[n - 1] == 0xa0)
    return 2;
  if (n >= 3 && u[n - 3] == 0xef && u[n - 2] == 0xbb && u[n - 1] == 0xbf)
    return 3;
  return 0;
}

/* Split text into trimmed non-blank lines; returns their count, or -1 when
 * memory runs out. */
static long split_lines(const char *text, size_t len, line **out) {
  size_t cap = 64, count = 0;
  line *lines = malloc(cap * sizeof *lines);
  if (!lines)
    return -1;
  int para = 0;
  size_t pos = 0;
  while (pos < len) {
    size_t end = pos;
    while (end < len && text[end] != '\n' && text[end] != '\r')
      end++;
    const char *s = text + pos;
    size_t n = end - pos, k;
    while ((k = space_at(s, n)) > 0)
      s += k, n -= k;
    while ((k = space_before(s, n)) > 0)
      n -= k;
    if (n == 0) {
      para = 1;
    } else {
      if (count == cap) {
        line *bigger = realloc(lines, 2 * cap * sizeof *lines);
        if (!bigger) {
          free(lines);
          return -1;
        }
        lines = bigger;
        cap *= 2;
      }
      lines[count++] = (line){s, n, para};
      para = 0;
    }
    pos = end;
    if (pos < len && text[pos] == '\r')
      pos++;
    if (pos < len && text[pos] == '\n')
      pos++;
  }
  *out = lines;
  return (long)count;
}

static int same(const line *a, const line *b) {
  return a && b && a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* Breadcrumb separators beyond spaces and > / | - : — » › → · •. */
static const char *const wide_separators[] = {"\xc2\xbb",     "\xe2\x80\xba",
                                              "\xe2\x86\x92", "\xc2\xb7",
                                              "\xe2\x80\xa2", NULL};

/* Length of the breadcrumb separators at s[0..n). */
static size_t separator_at(const char *s, size_t n) {
  const char *const *wide = wide_separators;
  size_t at = 0;
  for (;;) {
    size_t k = space_at(s + at, n - at);
    if (k == 0 && at < n && s[at] && strchr(">/|-:", s[at]))
      k = 1;
    for (int w = 0; k == 0 && wide[w]; w++) {
      size_t wl = strlen(wide[w]);
      if (n - at >= wl && memcmp(s + at, wide[w], wl) == 0)
        k = wl;
    }
    if (k == 0)
      return at;
    at += k;
  }
}

/* Length of one separator ending at s[n), 0 when there is none. */
static size_t separator_before(const char *s, size_t n) {
  size_t k = space_before(s, n);
  if (k == 0 && n > 0 && s[n - 1] && strchr(">/|-:", s[n - 1]))
    k = 1;
  for (int w = 0; k == 0 && wide_separators[w]; w++) {
    size_t wl = strlen(wide_separators[w]);
    if (n >= wl && memcmp(s + n - wl, wide_separators[w], wl) == 0)
      k = wl;
  }
  return k;
}

/* "Home", alone or followed by a separator. */
static int is_breadcrumb(const line *l) {
  return l->n >= 4 && strncasecmp(l->s, "Home", 4) == 0 &&
         (l->n == 4 || separator_at(l->s + 4, l->n - 4) > 0);
}

/* Does crumb hold word as a whole, space-delimited part? */
static int contains_part(const line *crumb, const line *word) {
  for (size_t i = 0; i + word->n <= crumb->n; i++) {
    if (memcmp(crumb->s + i, word->s, word->n) != 0)
      continue;
    int starts = i == 0 || separator_before(crumb->s, i) > 0;
    size_t after = i + word->n;
    int ends = after == crumb->n ||
               separator_at(crumb->s + after, crumb->n - after) > 0;
    if (starts && ends)
      return 1;
  }
  return 0;
}

/* Does crumb end with tail, after a separator? */
static int ends_with_part(const line *crumb, const line *tail) {
  return crumb->n > tail->n &&
         memcmp(crumb->s + crumb->n - tail->n, tail->s, tail->n) == 0 &&
         separator_before(crumb->s, crumb->n - tail->n) > 0;
}

static int is_related_marker(const line *l) {
  size_t n = l->n;
  if (n > 0 && l->s[n - 1] == ':')
    n--;
  for (const char *const *m = related_markers; *m; m++)
    if (strlen(*m) == n && strncasecmp(l->s, *m, n) == 0)
      return 1;
  return 0;
}

/* The middle of "Home > Category > Title", between "Home" and the title;
 * empty when there is none. */
static line crumb_middle(const line *crumb, const line *title) {
  line mid = {crumb->s + 4, crumb->n - 4 - title->n, 0};
  size_t k = separator_at(mid.s, mid.n);
  mid.s += k, mid.n -= k;
  size_t k2;
  while ((k2 = separator_before(mid.s, mid.n)) > 0)
    mid.n -= k2;
  return mid;
}

static char *copy_line(const line *l, int *failed) {
  buf b = BUF_INIT;
  if (l && l->n)
    strbuf_add_clean(&b, l->s, l->n);
  return strbuf_steal(&b, failed);
}

static int parse_lines(const line *L, size_t n, text_page *page) {
  size_t i = 0;
  const line *title = NULL, *category = NULL, *crumb = NULL;
  line derived = {NULL, 0, 0};
  if (n > 0 && is_breadcrumb(&L[0])) {
    crumb = &L[0];
    i = 1;
    /* a category line is a part of the breadcrumb, but not its end (the
     * title) */
    if (i < n && L[i].n <= CATEGORY_MAX && contains_part(crumb, &L[i]) &&
        !ends_with_part(crumb, &L[i]))
      category = &L[i++];
    if (i < n && L[i].n <= TEXT_PAGE_TITLE_MAX)
      title = &L[i++];
    if (!category && title && ends_with_part(crumb, title)) {
      derived = crumb_middle(crumb, title);
      if (derived.n > 0 && derived.n <= CATEGORY_MAX)
        category = &derived;
    }
  } else if (n > 0 && L[0].n <= TEXT_PAGE_TITLE_MAX) {
    title = &L[i++];
  }
  /* the title repeated, the category again, a date line */
  while (i < n) {
    if (same(&L[i], title) || same(&L[i], category)) {
      i++;
    } else if (!page->date[0] &&
               loose_date_parse(L[i].s, L[i].n, page->date) == 0) {
      i++;
    } else {
      break;
    }
  }
  size_t end = i;
  while (end < n && !is_related_marker(&L[end]) &&
         !(category && end + 2 < n && same(&L[end + 1], category) &&
           same(&L[end + 2], &L[end])))
    end++;

  int failed = 0;
  page->title = copy_line(title, &failed);
  page->category = copy_line(category, &failed);
  buf body = BUF_INIT;
  for (size_t k = i; k < end; k++) {
    if (k > i)
      buf_append(&body, L[k].para ? "\n\n" : "\n", L[k].para ? 2 : 1);
    strbuf_add_clean(&body, L[k].s, L[k].n);
  }
  page->body = strbuf_steal(&body, &failed);
  return failed ? -1 : 0;
}

int text_page_parse(const char *text, size_t len, text_page *page) {
  memset(page, 0, sizeof *page);
  char *repaired = NULL;
  if (cys_utf8_invalid_offset(text, len) < len) {
    size_t repaired_len;
    if (cys_utf8_repair(text, len, &repaired, &repaired_len,
                        &page->utf8_repairs) != CYS_OK)
      return -1;
    text = repaired;
    len = repaired_len;
  }
  line *lines = NULL;
  long n = split_lines(text, len, &lines);
  int rc = n < 0 ? -1 : parse_lines(lines, (size_t)n, page);
  free(lines);
  free(repaired);
  if (rc != 0)
    text_page_free(page);
  return rc;
}

void text_page_free(text_page *page) {
  free(page->title);
  free(page->category);
  free(page->body);
  page->title = page->category = page->body = NULL;
}
