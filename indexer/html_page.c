/* html_page.c — see html_page.h.  libxml2 builds the tree; one walk over
 * it collects the metadata and picks the element holding the article, a
 * second one turns that element into paragraphs.  Both walks are
 * iterative, so no nesting depth can exhaust the stack. */
#include "html_page.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cysearch/utf8.h"
#include "loose_date.h"
#include "strbuf.h"

/* Elements whose content is never article text. */
static const char *const removed_tags[] = {
    "nav",      "header",   "footer",   "aside",  "script", "style",
    "noscript", "form",     "template", "iframe", "svg",    "button",
    "select",   "textarea", "object",   "embed",  "canvas", NULL};

/* Elements that begin and end a paragraph. */
static const char *const block_tags[] = {
    "address",  "article",    "blockquote", "body",   "caption", "center",
    "dd",       "details",    "dialog",     "div",    "dl",      "dt",
    "fieldset", "figcaption", "figure",     "h1",     "h2",      "h3",
    "h4",       "h5",         "h6",         "hgroup", "hr",      "li",
    "main",     "ol",         "p",          "pre",    "section", "summary",
    "table",    "tbody",      "thead",      "tfoot",  "tr",      "ul",
    NULL};

/* <meta name=...> values that give the publication date. */
static const char *const date_names[] = {"date",
                                         "pubdate",
                                         "publishdate",
                                         "publish-date",
                                         "publish_date",
                                         "dc.date",
                                         "dc.date.issued",
                                         "dc.date.created",
                                         "dcterms.date",
                                         "dcterms.issued",
                                         "dcterms.created",
                                         "sailthru.date",
                                         "parsely-pub-date",
                                         "article.published",
                                         "citation_publication_date",
                                         "citation_date",
                                         "originalpublicationdate",
                                         NULL};

/* Ranks of the sources of each part: the lowest found wins.  (<title> and
 * <h1>, the last resorts for the title, are looked at after the walk.) */
enum {
  RANK_NONE = 100,
  TITLE_OG = 1,
  TITLE_TWITTER,
  URL_OG = 1,
  URL_CANONICAL,
  DATE_ARTICLE = 1,
  DATE_ITEMPROP,
  DATE_META,
  DATE_TIME_MARKED,
  DATE_TIME,
  DATE_TIME_TEXT
};

static int is_element(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && n->name &&
         strcmp((const char *)n->name, name) == 0;
}

static int in_list(const char *s, const char *const *list) {
  for (; *list; list++)
    if (strcasecmp(s, *list) == 0)
      return 1;
  return 0;
}

static int element_in(const xmlNode *n, const char *const *list) {
  return n->type == XML_ELEMENT_NODE && n->name &&
         in_list((const char *)n->name, list);
}

static int is_removed(xmlNode *n) {
  return element_in(n, removed_tags) ||
         (n->type == XML_ELEMENT_NODE && xmlHasProp(n, BAD_CAST "hidden"));
}

/* Depth-first walk of root and its descendants: enter(n) says whether to
 * go into n's children; leave(n) follows every enter(n). */
typedef int (*enter_fn)(xmlNode *n, void *ctx);
typedef void (*leave_fn)(xmlNode *n, void *ctx);

static void walk(xmlNode *root, enter_fn enter, leave_fn leave, void *ctx) {
  xmlNode *n = root;
  while (n) {
    if (enter(n, ctx) && n->children) {
      n = n->children;
      continue;
    }
    for (;;) {
      leave(n, ctx);
      if (n == root)
        return;
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
    }
  }
}

/* ---- text with collapsed white space --------------------------------- */

typedef struct text {
  buf b;
  int space; /* white space is pending */
  int brk;   /* 1: a line break is pending; 2: a paragraph break */
  int pre;   /* inside <pre>: newlines are line breaks */
  int flat;  /* breaks are spaces (a title) */
  const xmlNode *root;
} text;

static void pending_break(text *t, int brk) {
  if (t->flat)
    t->space = 1;
  else if (brk > t->brk)
    t->brk = brk;
}

static void add_text(text *t, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n' && t->pre) {
      pending_break(t, 1);
      i++;
      continue;
    }
    if (c <= 0x20 || c == 0x7f) {
      t->space = 1;
      i++;
      continue;
    }
    if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
      t->space = 1; /* U+00A0 NO-BREAK SPACE */
      i += 2;
      continue;
    }
    size_t run = i;
    while (run < n && (unsigned char)s[run] > 0x20 &&
           (unsigned char)s[run] != 0x7f &&
           !((unsigned char)s[run] == 0xc2 && run + 1 < n &&
             (unsigned char)s[run + 1] == 0xa0))
      run++;
    if (t->b.len > 0) {
      if (t->brk == 2)
        buf_append(&t->b, "\n\n", 2);
      else if (t->brk == 1)
        buf_append_char(&t->b, '\n');
      else if (t->space)
        buf_append_char(&t->b, ' ');
    }
    t->brk = t->space = 0;
    buf_append(&t->b, s + i, run - i);
    i = run;
  }
}

/* Is n an element whose content is left out of the text of t->root? */
static int left_out(const text *t, xmlNode *n) {
  return is_removed(n) || (n != t->root && is_element(n, "article") &&
                           is_element(t->root, "article"));
}

static int text_enter(xmlNode *n, void *ctx) {
  text *t = ctx;
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content)
      add_text(t, (const char *)n->content, strlen((const char *)n->content));
    return 0;
  }
  if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE &&
      n->type != XML_HTML_DOCUMENT_NODE)
    return 0;
  if (left_out(t, n))
    return 0;
  if (element_in(n, block_tags))
    pending_break(t, 2);
  else if (is_element(n, "br"))
    pending_break(t, 1);
  else if (is_element(n, "td") || is_element(n, "th"))
    t->space = 1;
  if (is_element(n, "pre"))
    t->pre++;
  return 1;
}

static void text_leave(xmlNode *n, void *ctx) {
  text *t = ctx;
  if (n->type != XML_ELEMENT_NODE || left_out(t, n))
    return;
  if (is_element(n, "pre"))
    t->pre--;
  if (element_in(n, block_tags))
    pending_break(t, 2);
  else if (is_element(n, "td") || is_element(n, "th"))
    t->space = 1;
}

/* The text of root: paragraphs, or one line when flat.  Sets *failed when
 * memory runs out. */
static char *text_of(xmlNode *root, int flat, int *failed) {
  text t = {BUF_INIT, 0, 0, 0, flat, root};
  if (root)
    walk(root, text_enter, text_leave, &t);
  return strbuf_steal(&t.b, failed);
}

/* ---- the metadata walk -------------------------------------------------- */

typedef struct scan {
  int removed, articles; /* depth inside removed elements, articles */
  xmlNode *article;      /* the top-level <article> being read */
  size_t article_len;    /* its text bytes so far */
  xmlNode *best;         /* the largest <article> so far */
  size_t best_len;
  xmlNode *main, *body, *title, *h1, *h1_removed;
  char *meta_title, *url;
  int title_rank, url_rank, date_rank;
  char date[CYS_DATE_MAX];
  int failed;
} scan;

static char *prop(xmlNode *n, const char *name) {
  return (char *)xmlGetProp(n, BAD_CAST name);
}

static void offer_date(scan *s, int rank, const char *value) {
  char date[CYS_DATE_MAX];
  if (value && rank < s->date_rank &&
      loose_date_parse(value, strlen(value), date) == 0) {
    memcpy(s->date, date, sizeof date);
    s->date_rank = rank;
  }
}

/* Keep value, its white space collapsed, as *slot when rank beats
 * *slot_rank. */
static void offer_string(scan *s, char **slot, int *slot_rank, int rank,
                         const char *value) {
  if (!value || rank >= *slot_rank)
    return;
  text t = {BUF_INIT, 0, 0, 0, 1, NULL};
  add_text(&t, value, strlen(value));
  char *copy = strbuf_steal(&t.b, &s->failed);
  if (!copy)
    return;
  free(*slot);
  *slot = copy;
  *slot_rank = rank;
}

static void on_meta(scan *s, xmlNode *n) {
  char *content = prop(n, "content");
  if (!content)
    return;
  static const char *const keys[] = {"property", "name", "itemprop"};
  for (int k = 0; k < 3; k++) {
    char *key = prop(n, keys[k]);
    if (!key)
      continue;
    if (strcasecmp(key, "og:title") == 0)
      offer_string(s, &s->meta_title, &s->title_rank, TITLE_OG, content);
    else if (strcasecmp(key, "twitter:title") == 0)
      offer_string(s, &s->meta_title, &s->title_rank, TITLE_TWITTER, content);
    else if (strcasecmp(key, "og:url") == 0 && strstr(content, "://"))
      offer_string(s, &s->url, &s->url_rank, URL_OG, content);
    else if (strcasecmp(key, "article:published_time") == 0)
      offer_date(s, DATE_ARTICLE, content);
    else if (strcasecmp(key, "datepublished") == 0)
      offer_date(s, DATE_ITEMPROP, content);
    else if (in_list(key, date_names))
      offer_date(s, DATE_META, content);
    xmlFree(key);
  }
  xmlFree(content);
}

/* <link rel="canonical" href="...">; rel is a list of words. */
static void on_link(scan *s, xmlNode *n) {
  char *rel = prop(n, "rel"), *href = prop(n, "href");
  if (rel && href && strstr(href, "://")) {
    for (char *w = rel; *w;) {
      size_t len = strcspn(w, " \t\r\n\f");
      if (len == 9 && strncasecmp(w, "canonical", 9) == 0) {
        offer_string(s, &s->url, &s->url_rank, URL_CANONICAL, href);
        break;
      }
      w += len;
      w += strspn(w, " \t\r\n\f");
    }
  }
  xmlFree(rel);
  xmlFree(href);
}

static void on_time(scan *s, xmlNode *n) {
  char *datetime = prop(n, "datetime"), *itemprop = prop(n, "itemprop");
  int marked = xmlHasProp(n, BAD_CAST "pubdate") ||
               (itemprop && strcasecmp(itemprop, "datepublished") == 0);
  if (datetime) {
    offer_date(s, marked ? DATE_TIME_MARKED : DATE_TIME, datetime);
  } else if (DATE_TIME_TEXT < s->date_rank) {
    /* the shown date: the element's own text, not its descendants' */
    char shown[80];
    size_t len = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
      if (c->type != XML_TEXT_NODE || !c->content)
        continue;
      size_t k = strlen((const char *)c->content);
      if (len + k >= sizeof shown) {
        len = 0;
        break;
      }
      memcpy(shown + len, c->content, k);
      len += k;
    }
    shown[len] = '\0';
    if (len > 0)
      offer_date(s, DATE_TIME_TEXT, shown);
  }
  xmlFree(datetime);
  xmlFree(itemprop);
}

static int scan_enter(xmlNode *n, void *ctx) {
  scan *s = ctx;
  if (n->type == XML_TEXT_NODE) {
    if (s->article && s->removed == 0 && s->articles == 1 && n->content)
      s->article_len += strlen((const char *)n->content);
    return 0;
  }
  if (n->type != XML_ELEMENT_NODE)
    return n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE;
  if (is_removed(n))
    s->removed++;
  if (is_element(n, "meta")) {
    on_meta(s, n);
  } else if (is_element(n, "link")) {
    on_link(s, n);
  } else if (is_element(n, "time")) {
    on_time(s, n);
  } else if (is_element(n, "title")) {
    if (!s->title)
      s->title = n;
  } else if (is_element(n, "h1")) {
    if (s->removed == 0 && !s->h1)
      s->h1 = n;
    if (!s->h1_removed)
      s->h1_removed = n;
  } else if (s->removed == 0 && is_element(n, "article")) {
    if (s->articles++ == 0) {
      s->article = n;
      s->article_len = 0;
    }
  } else if (s->removed == 0 && is_element(n, "main")) {
    if (!s->main)
      s->main = n;
  } else if (is_element(n, "body")) {
    if (!s->body)
      s->body = n;
  }
  /* script and style hold no markup worth a look */
  return !is_element(n, "script") && !is_element(n, "style");
}

static void scan_leave(xmlNode *n, void *ctx) {
  scan *s = ctx;
  if (n->type != XML_ELEMENT_NODE)
    return;
  if (is_removed(n)) {
    s->removed--;
  } else if (s->removed == 0 && is_element(n, "article")) {
    if (--s->articles == 0) {
      if (!s->best || s->article_len > s->best_len) {
        s->best = s->article;
        s->best_len = s->article_len;
      }
      s->article = NULL;
    }
  }
}

/* ---- putting the page together ---------------------------------------- */

/* The host of an absolute URL, lower case, without "www."; NULL if none. */
static char *host_of(const char *url, int *failed) {
  const char *p = url ? strstr(url, "://") : NULL;
  if (!p)
    return NULL;
  p += 3;
  size_t n = strcspn(p, "/?#\\");
  for (size_t i = n; i > 0; i--)
    if (p[i - 1] == '@') { /* user:password@ */
      p += i;
      n -= i;
      break;
    }
  if (n > 0 && p[0] == '[') {
    const char *close = memchr(p, ']', n);
    n = close ? (size_t)(close - p) + 1 : n;
  } else {
    const char *colon = memchr(p, ':', n);
    if (colon)
      n = (size_t)(colon - p);
  }
  if (n > 4 && strncasecmp(p, "www.", 4) == 0)
    p += 4, n -= 4;
  buf b = BUF_INIT;
  strbuf_add_clean(&b, p, n);
  for (size_t i = 0; i < b.len; i++)
    if (b.data[i] >= 'A' && b.data[i] <= 'Z')
      b.data[i] = (char)(b.data[i] + 32);
  return strbuf_steal(&b, failed);
}

/* Drop the body's first paragraph when it repeats the title. */
static void drop_title_paragraph(char *body, const char *title) {
  if (!body || !title)
    return;
  size_t n = strlen(title);
  if (strncmp(body, title, n) != 0)
    return;
  if (body[n] == '\0')
    body[0] = '\0';
  else if (body[n] == '\n' && body[n + 1] == '\n')
    memmove(body, body + n + 2, strlen(body + n + 2) + 1);
}

/* Replace invalid UTF-8 in *s (a safety net: libxml2 gives UTF-8). */
static void ensure_utf8(char **s, int *failed) {
  if (!*s)
    return;
  size_t len = strlen(*s);
  if (len == 0) {
    free(*s);
    *s = NULL;
    return;
  }
  if (cys_utf8_invalid_offset(*s, len) == len)
    return;
  char *fixed = NULL;
  size_t fixed_len;
  if (cys_utf8_repair(*s, len, &fixed, &fixed_len, NULL) != CYS_OK) {
    *failed = 1;
    return;
  }
  free(*s);
  *s = fixed;
}

/* Does the page declare a charset other than UTF-8 near its start? */
static int declares_other_charset(const char *html, size_t len) {
  size_t scan_len = len < 4096 ? len : 4096;
  for (size_t i = 0; i + 7 < scan_len; i++) {
    if (strncasecmp(html + i, "charset", 7) != 0)
      continue;
    size_t j = i + 7;
    while (j < scan_len && strchr(" \t\r\n=\"'", html[j]) && html[j])
      j++;
    size_t k = j;
    while (k < scan_len && html[k] &&
           strchr("abcdefghijklmnopqrstuvwxyz"
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789-_.:",
                  html[k]))
      k++;
    if (k == j)
      continue;
    int utf8 = (k - j == 5 && strncasecmp(html + j, "utf-8", 5) == 0) ||
               (k - j == 4 && strncasecmp(html + j, "utf8", 4) == 0);
    return !utf8;
  }
  return 0;
}

/* Inline elements that only set the look of text.  Old pages leave
 * thousands of them unclosed (a <font> for every paragraph), nesting
 * deeper than libxml2 reads (256 levels); their tags say nothing about
 * the text, so such a page is read again without them. */
static const char *const look_tags[] = {
    "font", "b",  "i",  "u",      "s",    "strike", "big",
    "small", "tt", "em", "strong", "span", NULL};

/* The length of the look tag (start or end) at html[0..len), without a
 * hidden attribute, or 0. */
static size_t look_tag_at(const char *html, size_t len) {
  size_t i = 1;
  if (len < 3 || html[0] != '<')
    return 0;
  if (html[i] == '/')
    i++;
  size_t name = i;
  while (i < len && ((html[i] >= 'a' && html[i] <= 'z') ||
                     (html[i] >= 'A' && html[i] <= 'Z')))
    i++;
  if (i == name || i == len || !strchr(" \t\r\n\f/>", html[i]) || !html[i])
    return 0;
  int look = 0;
  for (size_t k = 0; look_tags[k] && !look; k++)
    look = strlen(look_tags[k]) == i - name &&
           strncasecmp(html + name, look_tags[k], i - name) == 0;
  char quote = 0;
  for (; look && i < len; i++) {
    if (quote) {
      quote = html[i] == quote ? 0 : quote;
    } else if (html[i] == '"' || html[i] == '\'') {
      quote = html[i];
    } else if (html[i] == '>') {
      return i + 1;
    } else if (len - i >= 6 && strncasecmp(html + i, "hidden", 6) == 0) {
      return 0;
    }
  }
  return 0;
}

/* html[0..len) without its look tags, in out; -1 when memory runs out. */
static int without_look_tags(const char *html, size_t len, buf *out) {
  size_t from = 0;
  for (size_t i = 0; i < len; i++) {
    size_t n = html[i] == '<' ? look_tag_at(html + i, len - i) : 0;
    if (n) {
      buf_append(out, html + from, i - from);
      i += n - 1;
      from = i + 1;
    }
  }
  buf_append(out, html + from, len - from);
  return out->failed ? -1 : 0;
}

/* Parse with libxml2; *halted says whether it stopped before the end of
 * the page (nesting deeper than it reads): the rest was not read. */
static xmlDoc *read_html(const char *html, size_t len, const char *encoding,
                         int *halted) {
  *halted = 0;
  if (len == 0)
    return NULL;
  if (len > INT_MAX)
    len = INT_MAX;
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt)
    return NULL;
  xmlDoc *doc = htmlCtxtReadMemory(
      ctxt, html, (int)len, NULL, encoding,
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
          HTML_PARSE_NONET | HTML_PARSE_COMPACT);
  *halted = ctxt->disableSAX != 0;
  htmlFreeParserCtxt(ctxt);
  return doc;
}

/* read_html, and when libxml2 stops early, again without the look
 * tags; page->cut_short says whether it still stopped early. */
static xmlDoc *read_page(const char *html, size_t len, const char *encoding,
                         html_page *page, int *failed) {
  int halted;
  xmlDoc *doc = read_html(html, len, encoding, &halted);
  if (halted) {
    buf plain = BUF_INIT;
    if (without_look_tags(html, len, &plain) == 0) {
      xmlFreeDoc(doc);
      doc = read_html(plain.data, plain.len, encoding, &halted);
    } else {
      *failed = 1;
    }
    buf_free(&plain);
  }
  page->cut_short = halted;
  return doc;
}

int html_page_parse(const char *html, size_t len, html_page *page) {
  memset(page, 0, sizeof *page);
  xmlInitParser();
  char *repaired = NULL;
  xmlDoc *doc = NULL;
  int failed = 0;
  if (cys_utf8_invalid_offset(html, len) == len) {
    doc = read_page(html, len, "UTF-8", page, &failed);
  } else if (declares_other_charset(html, len)) {
    doc = read_page(html, len, NULL, page, &failed);
  } else {
    size_t repaired_len;
    if (cys_utf8_repair(html, len, &repaired, &repaired_len,
                        &page->utf8_repairs) != CYS_OK)
      return -1;
    doc = read_page(repaired, repaired_len, "UTF-8", page, &failed);
  }
  scan s;
  memset(&s, 0, sizeof s);
  s.title_rank = s.url_rank = s.date_rank = RANK_NONE;
  if (doc)
    walk((xmlNode *)doc, scan_enter, scan_leave, &s);

  page->title = s.meta_title;
  if (!page->title && s.title)
    page->title = text_of(s.title, 1, &s.failed);
  if (!page->title)
    page->title = text_of(s.h1 ? s.h1 : s.h1_removed, 1, &s.failed);
  page->url = s.url;
  page->source = host_of(page->url, &s.failed);
  memcpy(page->date, s.date, sizeof page->date);
  xmlNode *root = s.best ? s.best : s.main ? s.main : s.body;
  if (!root && doc)
    root = xmlDocGetRootElement(doc);
  page->body = text_of(root, 0, &s.failed);
  drop_title_paragraph(page->body, page->title);

  ensure_utf8(&page->title, &s.failed);
  ensure_utf8(&page->url, &s.failed);
  ensure_utf8(&page->source, &s.failed);
  ensure_utf8(&page->body, &s.failed);
  xmlFreeDoc(doc);
  free(repaired);
  if (s.failed || failed) {
    html_page_free(page);
    return -1;
  }
  return 0;
}

void html_page_free(html_page *page) {
  free(page->title);
  free(page->url);
  free(page->source);
  free(page->body);
  page->title = page->url = page->source = page->body = NULL;
}
