/* feed.c — see feed.h.  libxml2 builds the tree (recovering from broken
 * XML, counting what it recovered from); the items are read from it, and
 * their HTML goes through html_page_parse so that a feed's text is a
 * page's text. */
#include "feed.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"
#include "feed_date.h"
#include "fnv1a.h"
#include "html_page.h"
#include "strbuf.h"

/* ---- names and namespaces --------------------------------------------- */

typedef enum ns_kind {
  NS_PLAIN,
  NS_DC,
  NS_DCTERMS,
  NS_CONTENT,
  NS_XHTML,
  NS_RDF,
  NS_OTHER
} ns_kind;

static const struct {
  const char *uri;
  ns_kind kind;
} namespaces[] = {
    {"http://purl.org/rss/1.0/", NS_PLAIN},
    {"http://my.netscape.com/rdf/simple/0.9/", NS_PLAIN},
    {"http://backend.userland.com/rss2", NS_PLAIN},
    {"http://blogs.law.harvard.edu/tech/rss", NS_PLAIN},
    {"http://www.w3.org/2005/Atom", NS_PLAIN},
    {"http://purl.org/atom/ns#", NS_PLAIN},
    {"http://purl.org/dc/elements/1.1/", NS_DC},
    {"http://purl.org/dc/terms/", NS_DCTERMS},
    {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
    {"http://www.w3.org/1999/xhtml", NS_XHTML},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF},
};

static ns_kind ns_of(const xmlNode *n) {
  if (!n->ns || !n->ns->href)
    return NS_PLAIN;
  const xmlNode *root = n->doc ? xmlDocGetRootElement(n->doc) : NULL;
  if (root && root->ns && root->ns->href && root->name &&
      strcmp((const char *)root->name, "feed") == 0 &&
      strcmp((const char *)root->ns->href, (const char *)n->ns->href) == 0)
    return NS_PLAIN; /* an Atom of any namespace (Echo, drafts) */
  for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
    if (strcmp((const char *)n->ns->href, namespaces[i].uri) == 0)
      return namespaces[i].kind;
  return NS_OTHER;
}

static int is(const xmlNode *n, ns_kind kind, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && n->name &&
         strcmp((const char *)n->name, name) == 0 && ns_of(n) == kind;
}

/* The first child of n that is(kind, name), or NULL. */
static xmlNode *child(const xmlNode *n, ns_kind kind, const char *name) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (is(c, kind, name))
      return c;
  return NULL;
}

/* The last child of n that is(kind, name), or NULL. */
static xmlNode *last_child(const xmlNode *n, ns_kind kind, const char *name) {
  xmlNode *last = NULL;
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (is(c, kind, name))
      last = c;
  return last;
}

static char *attr(xmlNode *n, const char *name) {
  return (char *)xmlGetProp(n, BAD_CAST name);
}

/* ---- text --------------------------------------------------------------- */

/* The most text one element's entity references may add: entities are
 * expanded one level deep (an entity's text is taken as it stands), and
 * no more than this, so that no document can multiply its size. */
#define ENTITY_TEXT_MAX 4096

/* The replacement text of c, an entity reference, when it refers to an
 * entity declared in the document itself (never an external one). */
static void add_entity(const xmlNode *c, buf *b, size_t *budget) {
  xmlEntity *e = c->doc ? xmlGetDocEntity(c->doc, c->name) : NULL;
  if (!e || e->etype != XML_INTERNAL_GENERAL_ENTITY || !e->content)
    return;
  size_t n = strlen((const char *)e->content);
  if (n <= *budget) {
    buf_append(b, (const char *)e->content, n);
    *budget -= n;
  }
}

/* The text and CDATA of n and its descendants; references to the
 * document's own entities expanded within a budget. */
static void gather_text_within(const xmlNode *n, buf *b, size_t *budget) {
  for (const xmlNode *c = n->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
        c->content)
      buf_append(b, (const char *)c->content, strlen((const char *)c->content));
    else if (c->type == XML_ENTITY_REF_NODE)
      add_entity(c, b, budget);
    else if (c->type == XML_ELEMENT_NODE)
      gather_text_within(c, b, budget);
  }
}

static void gather_text(const xmlNode *n, buf *b) {
  size_t budget = ENTITY_TEXT_MAX;
  gather_text_within(n, b, &budget);
}

/* n's content as HTML source: its text as it stands (escaped HTML and
 * CDATA become markup again), and its child elements (inline XHTML)
 * serialised. */
static void gather_markup(xmlDoc *doc, const xmlNode *n, buf *b) {
  size_t budget = ENTITY_TEXT_MAX;
  for (xmlNode *c = n->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
        c->content) {
      buf_append(b, (const char *)c->content, strlen((const char *)c->content));
    } else if (c->type == XML_ENTITY_REF_NODE) {
      add_entity(c, b, &budget);
    } else if (c->type == XML_ELEMENT_NODE) {
      xmlBuffer *x = xmlBufferCreate();
      if (!x) {
        b->failed = 1;
        return;
      }
      if (xmlNodeDump(x, doc, c, 0, 0) >= 0)
        buf_append(b, (const char *)xmlBufferContent(x),
                   (size_t)xmlBufferLength(x));
      xmlBufferFree(x);
    }
  }
}

/* text[0..len) with white space collapsed to single spaces and trimmed,
 * control characters as spaces and invalid UTF-8 (which libxml2 passes on
 * when it recovers from a wrong encoding) as U+FFFD; NULL when nothing is
 * left. */
static char *flat(const char *text, size_t len, int *failed) {
  buf b = BUF_INIT;
  int space = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c <= 0x20 || c == 0x7f) {
      space = 1;
      continue;
    }
    if (space && b.len > 0)
      buf_append_char(&b, ' ');
    space = 0;
    buf_append_char(&b, (char)c);
  }
  char *s = strbuf_steal(&b, failed), *repaired = NULL;
  size_t n = s ? strlen(s) : 0;
  if (!s || cys_utf8_invalid_offset(s, n) == n)
    return s;
  if (cys_utf8_repair(s, n, &repaired, NULL, NULL) != CYS_OK)
    *failed = 1;
  free(s);
  return repaired;
}

/* The plain text of element n, flat; NULL for no element or no text. */
static char *plain(const xmlNode *n, int *failed) {
  if (!n)
    return NULL;
  buf b = BUF_INIT;
  gather_text(n, &b);
  char *s = flat(b.data ? b.data : "", b.len, failed);
  if (b.failed)
    *failed = 1;
  buf_free(&b);
  return s;
}

/* The title a fragment is given so that html_page_parse takes none of
 * its own (which would drop a first paragraph repeating it): U+E000, a
 * private-use character no text begins with. */
#define FRAGMENT_HEAD "<html><head><title>\xee\x80\x80</title></head><body>"

/* HTML source html[0..len) to text, exactly as a page's body; flat turns
 * its paragraphs into one line (a title). */
static char *html_text(const char *html, size_t len, int flat_text,
                       int *failed) {
  buf w = BUF_INIT;
  buf_append(&w, FRAGMENT_HEAD, strlen(FRAGMENT_HEAD));
  buf_append(&w, html, len);
  char *text = NULL;
  html_page page;
  if (w.failed || html_page_parse(w.data, w.len, &page) != 0) {
    *failed = 1;
  } else {
    text = page.body;
    page.body = NULL;
    html_page_free(&page);
  }
  buf_free(&w);
  if (text && flat_text) {
    char *one = flat(text, strlen(text), failed);
    free(text);
    text = one;
  }
  return text;
}

/* text[0..len) as HTML source: &, < and > escaped. */
static void escape_text(const char *text, size_t len, buf *b) {
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '&')
      buf_append(b, "&amp;", 5);
    else if (text[i] == '<')
      buf_append(b, "&lt;", 4);
    else if (text[i] == '>')
      buf_append(b, "&gt;", 4);
    else
      buf_append_char(b, text[i]);
  }
}

/* Is the Atom construct n (title, content, summary) plain text: type
 * "text" or "text/plain" (Atom 1.0 has text as its default; Atom 0.3
 * has text/plain, but its "escaped" mode makes it HTML). */
static int is_text_type(xmlNode *n, int atom) {
  char *type = attr(n, "type"), *mode = attr(n, "mode");
  int text = 0;
  if (type)
    text = strcmp(type, "text") == 0 || strcmp(type, "text/plain") == 0;
  else
    text = atom && !mode;
  if (mode && strcmp(mode, "escaped") == 0)
    text = 0;
  xmlFree(type);
  xmlFree(mode);
  return text;
}

/* Is the Atom construct n base64-encoded: mode="base64" (Atom 0.3), or
 * a type that is a media type other than text and XML (Atom 1.0)? */
static int is_base64(xmlNode *n) {
  char *type = attr(n, "type"), *mode = attr(n, "mode");
  int base64 = mode && strcmp(mode, "base64") == 0;
  if (type && !mode && strchr(type, '/'))
    base64 = strncmp(type, "text/", 5) != 0 && !strstr(type, "xml");
  xmlFree(type);
  xmlFree(mode);
  return base64;
}

/* The text of a title, description or content element n. */
static char *content_text(xmlDoc *doc, xmlNode *n, int atom, int flat_text,
                          int *failed) {
  if (!n || is_base64(n))
    return NULL;
  buf src = BUF_INIT;
  if (is_text_type(n, atom)) {
    buf raw = BUF_INIT;
    gather_text(n, &raw);
    escape_text(raw.data ? raw.data : "", raw.len, &src);
    if (raw.failed)
      src.failed = 1;
    buf_free(&raw);
  } else {
    gather_markup(doc, n, &src);
  }
  char *text = NULL;
  if (src.failed)
    *failed = 1;
  else if (src.len > 0)
    text = html_text(src.data, src.len, flat_text, failed);
  buf_free(&src);
  return text;
}

/* A resolved URI fit to keep: valid UTF-8 without control characters. */
static int clean_uri(const char *uri) {
  size_t n = strlen(uri);
  if (cys_utf8_invalid_offset(uri, n) != n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)uri[i] < 0x20 || uri[i] == 0x7f)
      return 0;
  return 1;
}

/* href resolved against n's xml:base, else against fallback (the feed's
 * link, in RSS); NULL when empty, before or after resolving.
 * (xmlBuildURI leaves an absolute href as it is, and can resolve to the
 * empty string: "//" against a base whose authority it cannot parse.) */
static char *resolve(xmlDoc *doc, xmlNode *n, const char *href,
                     const char *fallback, int *failed) {
  char *h = href ? flat(href, strlen(href), failed) : NULL;
  if (!h)
    return NULL;
  xmlChar *base = xmlNodeGetBase(doc, n);
  const char *against = base ? (const char *)base : fallback;
  xmlChar *uri = against ? xmlBuildURI(BAD_CAST h, BAD_CAST against) : NULL;
  xmlFree(base);
  /* xmlBuildURI can unescape a base's host ("news.f%edexample" gives an
   * invalid UTF-8 byte): then the href as written, which flat() made
   * clean, is kept. */
  char *out = h;
  if (uri && clean_uri((const char *)uri)) {
    out = strdup((const char *)uri);
    if (!out)
      *failed = 1;
    free(h);
  }
  xmlFree(uri);
  if (out && !out[0]) {
    free(out);
    return NULL;
  }
  return out;
}

/* An Atom element's alternate link: <link rel="alternate" href> (no rel
 * means alternate), resolved; NULL if none. */
static char *atom_link(xmlDoc *doc, xmlNode *n, int *failed) {
  for (xmlNode *c = n->children; c; c = c->next) {
    if (!is(c, NS_PLAIN, "link"))
      continue;
    char *rel = attr(c, "rel"), *href = attr(c, "href");
    char *text = href ? NULL : plain(c, failed); /* early Atom 0.3 */
    char *link = NULL;
    if ((href || text) && (!rel || strcmp(rel, "alternate") == 0))
      link = resolve(doc, c, href ? href : text, NULL, failed);
    xmlFree(rel);
    xmlFree(href);
    free(text);
    if (link)
      return link;
  }
  return NULL;
}

/* ---- items ---------------------------------------------------------------- */

typedef struct feed_ctx {
  xmlDoc *doc;
  int atom;
  const char *base_id;
  char *feed_title, *feed_link;
  feed_item_fn each;
  void *ctx;
  feed_report *report;
  int failed, stopped;
} feed_ctx;

/* The last child of n of the first kind:name pair present. */
static xmlNode *first_of(const xmlNode *n, const ns_kind *kinds,
                         const char *const *names) {
  for (size_t i = 0; names[i]; i++) {
    xmlNode *c = last_child(n, kinds[i], names[i]);
    if (c)
      return c;
  }
  return NULL;
}

static char *item_date_text(feed_ctx *f, xmlNode *n) {
  static const ns_kind rss_kinds[] = {NS_PLAIN, NS_DC, NS_DCTERMS,
                                      NS_DCTERMS, NS_DCTERMS};
  static const char *const rss_names[] = {"pubDate", "date", "issued",
                                          "created", "modified", NULL};
  static const ns_kind atom_kinds[] = {NS_PLAIN, NS_PLAIN, NS_PLAIN,
                                       NS_PLAIN, NS_PLAIN, NS_DC};
  static const char *const atom_names[] = {"published", "issued", "updated",
                                           "modified", "created", "date",
                                           NULL};
  return plain(f->atom ? first_of(n, atom_kinds, atom_names)
                       : first_of(n, rss_kinds, rss_names),
               &f->failed);
}

static char *item_author(feed_ctx *f, xmlNode *n) {
  xmlNode *a = child(n, NS_PLAIN, "author");
  if (a && f->atom)
    a = child(a, NS_PLAIN, "name");
  if (!a)
    a = child(n, NS_DC, "creator");
  if (!a)
    a = child(n, NS_DC, "author");
  return plain(a, &f->failed);
}

static char *item_categories(feed_ctx *f, xmlNode *n) {
  buf b = BUF_INIT;
  for (xmlNode *c = n->children; c; c = c->next) {
    char *value = NULL;
    if (is(c, NS_PLAIN, "category") || is(c, NS_PLAIN, "tags")) {
      char *term = f->atom ? attr(c, "term") : NULL;
      value = term ? flat(term, strlen(term), &f->failed) : plain(c, &f->failed);
      xmlFree(term);
    } else if (is(c, NS_DC, "subject")) {
      value = plain(c, &f->failed);
    }
    if (value) {
      if (b.len)
        buf_append(&b, ", ", 2);
      buf_append(&b, value, strlen(value));
      free(value);
    }
  }
  return strbuf_steal(&b, &f->failed);
}

static char *item_body(feed_ctx *f, xmlNode *n) {
  xmlNode *c = f->atom ? child(n, NS_PLAIN, "content")
                       : child(n, NS_CONTENT, "encoded");
  if (!c && !f->atom)
    c = child(n, NS_XHTML, "body");
  if (!c && !f->atom)
    c = child(n, NS_PLAIN, "fullitem");
  char *body = content_text(f->doc, c, f->atom, 0, &f->failed);
  if (!body) {
    c = f->atom ? child(n, NS_PLAIN, "summary")
                : child(n, NS_PLAIN, "description");
    body = content_text(f->doc, c, f->atom, 0, &f->failed);
  }
  if (!body)
    body = content_text(f->doc, child(n, NS_DC, "description"), 0, 0,
                        &f->failed);
  return body;
}

/* RSS: link, else a guid that is a permalink URL. */
static char *rss_link(feed_ctx *f, xmlNode *n) {
  char *href = plain(child(n, NS_PLAIN, "link"), &f->failed);
  if (!href) {
    xmlNode *g = child(n, NS_PLAIN, "guid");
    char *perma = g ? attr(g, "isPermaLink") : NULL;
    if (g && !(perma && strcmp(perma, "false") == 0)) {
      href = plain(g, &f->failed);
      if (href && !strstr(href, "://")) {
        free(href);
        href = NULL;
      }
    }
    xmlFree(perma);
  }
  char *link =
      href ? resolve(f->doc, n, href, f->feed_link, &f->failed) : NULL;
  free(href);
  return link;
}

/* "feed-" and FNV-1a of the feed, the title and the date as written. */
static void hash_id(const char *const parts[3], char out[32]) {
  uint64_t h = FNV1A64_OFFSET;
  for (int p = 0; p < 3; p++) {
    const char *s = parts[p] ? parts[p] : "";
    h = fnv1a64_add(h, s, strlen(s));
    h = fnv1a64_add(h, "\xff", 1); /* a separator no UTF-8 text holds */
  }
  snprintf(out, 32, "feed-%016llx", (unsigned long long)h);
}

static void read_item(feed_ctx *f, xmlNode *n) {
  feed_item it;
  memset(&it, 0, sizeof it);
  it.number = f->report->items + 1;
  it.line = xmlGetLineNo(n);
  char *title = content_text(f->doc, child(n, NS_PLAIN, "title"), f->atom, 1,
                             &f->failed);
  if (!title)
    title = content_text(f->doc, child(n, NS_DC, "title"), 0, 1, &f->failed);
  char *link = f->atom ? atom_link(f->doc, n, &f->failed) : rss_link(f, n);
  char *id = plain(child(n, NS_PLAIN, f->atom ? "id" : "guid"), &f->failed);
  if (!id && !f->atom) { /* RSS 1.0: the item's rdf:about */
    xmlChar *about = xmlGetNsProp(
        n, BAD_CAST "about",
        BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
    id = about ? flat((const char *)about, strlen((const char *)about),
                      &f->failed)
               : NULL;
    xmlFree(about);
  }
  char *date_text = item_date_text(f, n);
  char *author = item_author(f, n);
  char *categories = item_categories(f, n);
  char *body = item_body(f, n);
  char hashed[32];
  if (!id && !link) {
    const char *parts[3] = {f->feed_link ? f->feed_link : f->base_id, title,
                            date_text};
    hash_id(parts, hashed);
  }
  if (date_text)
    feed_date_parse(date_text, it.date);
  it.id = id ? id : link ? link : hashed;
  it.title = title;
  it.link = link;
  it.date_text = date_text;
  it.author = author;
  it.categories = categories;
  it.body = body;
  it.feed_title = f->feed_title;
  it.feed_link = f->feed_link;
  if (!f->failed) {
    f->report->items++;
    if (f->each(f->ctx, &it))
      f->stopped = 1;
  }
  free(title);
  free(link);
  free(id);
  free(date_text);
  free(author);
  free(categories);
  free(body);
}

/* The items (or entries) among the children of n. */
static void read_items(feed_ctx *f, xmlNode *n) {
  const char *name = f->atom ? "entry" : "item";
  for (xmlNode *c = n ? n->children : NULL; c && !f->failed && !f->stopped;
       c = c->next)
    if (is(c, NS_PLAIN, name))
      read_item(f, c);
}

/* ---- the document ------------------------------------------------------- */

/* libxml2's errors while parsing: counted, the first kept. */
static void on_xml_error(void *ctx, xmlError *e) {
  feed_report *r = ctx;
  if (!e || e->level < XML_ERR_ERROR)
    return;
  if (r->xml_errors++ == 0) {
    snprintf(r->first_error, sizeof r->first_error, "line %d: %s", e->line,
             e->message ? e->message : "not well-formed");
    size_t n = strlen(r->first_error);
    while (n > 0 && (r->first_error[n - 1] == '\n' || r->first_error[n - 1] == ' '))
      r->first_error[--n] = '\0';
    /* one line: libxml2 puts the offending bytes on a line of their own */
    for (char *c = r->first_error; *c; c++)
      if (*c == '\n')
        *c = ' ';
  }
}

static void set_kind(feed_report *r, xmlNode *root, int atom) {
  const char *kind = "RSS";
  char *version = attr(root, "version");
  if (atom)
    kind = root->ns && strcmp((const char *)root->ns->href,
                              "http://purl.org/atom/ns#") == 0
               ? "Atom 0.3"
               : "Atom 1.0";
  else if (strcmp((const char *)root->name, "RDF") == 0)
    kind = root->nsDef && root->nsDef->href &&
                   xmlSearchNsByHref(root->doc, root,
                                     BAD_CAST "http://my.netscape.com/rdf/"
                                              "simple/0.9/")
               ? "RSS 0.90"
               : "RSS 1.0";
  snprintf(r->kind, sizeof r->kind, "%s%s%s", kind,
           !atom && version && strcmp(kind, "RSS") == 0 ? " " : "",
           !atom && version && strcmp(kind, "RSS") == 0 ? version : "");
  xmlFree(version);
}

feed_status feed_read(const char *xml, size_t len, const char *base_id,
                      feed_item_fn each, void *ctx, feed_report *report) {
  memset(report, 0, sizeof *report);
  xmlInitParser();
  if (len > INT_MAX)
    len = INT_MAX;
  /* No XML_PARSE_NOENT (entities stay references), no DTDLOAD/DTDATTR,
   * NONET: an external entity or DTD is never fetched. */
  xmlSetStructuredErrorFunc(report, on_xml_error);
  xmlDoc *doc =
      len ? xmlReadMemory(xml, (int)len, NULL, NULL,
                          XML_PARSE_RECOVER | XML_PARSE_NONET |
                              XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                              XML_PARSE_NOCDATA)
          : NULL;
  xmlSetStructuredErrorFunc(NULL, NULL);
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  feed_status status = FEED_OK;
  if (root && root->name)
    snprintf(report->root, sizeof report->root, "%s", (const char *)root->name);
  int atom = root && is(root, NS_PLAIN, "feed");
  int rss = root && (is(root, NS_PLAIN, "rss") ||
                     strcmp((const char *)root->name, "RDF") == 0);
  if (!atom && !rss) {
    status = FEED_NOT_A_FEED;
    goto done;
  }
  set_kind(report, root, atom);
  feed_ctx f = {doc, atom, base_id, NULL, NULL, each, ctx, report, 0, 0};
  xmlNode *channel = atom ? root : child(root, NS_PLAIN, "channel");
  f.feed_title = content_text(doc, child(channel, NS_PLAIN, "title"), atom, 1,
                              &f.failed);
  if (!f.feed_title)
    f.feed_title =
        content_text(doc, child(channel, NS_DC, "title"), 0, 1, &f.failed);
  if (atom) {
    f.feed_link = atom_link(doc, root, &f.failed);
  } else {
    char *href = plain(child(channel, NS_PLAIN, "link"), &f.failed);
    f.feed_link = href ? resolve(doc, channel, href, NULL, &f.failed) : NULL;
    free(href);
  }
  if (!atom)
    read_items(&f, channel);
  read_items(&f, root);
  report->feed_title = f.feed_title;
  report->feed_link = f.feed_link;
  if (f.failed)
    status = FEED_NO_MEMORY;
done:
  xmlFreeDoc(doc);
  return status;
}

void feed_report_free(feed_report *report) {
  free(report->feed_title);
  free(report->feed_link);
  report->feed_title = report->feed_link = NULL;
}

/* ---- sniffing ------------------------------------------------------------ */

/* Does the declaration d[0..n) open an internal subset ('[' before its
 * first '>')? */
static int has_subset(const char *d, size_t n) {
  for (size_t k = 0; k < n && d[k] != '>'; k++)
    if (d[k] == '[')
      return 1;
  return 0;
}

int feed_sniff(const char *text, size_t len) {
  size_t end = len < 65536 ? len : 65536, i = 0;
  if (end >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < end) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      i++;
      continue;
    }
    if (c != '<' || i + 1 >= end)
      return 0;
    const char *close = NULL;
    if (text[i + 1] == '?')
      close = "?>";
    else if (i + 3 < end && memcmp(text + i, "<!--", 4) == 0)
      close = "-->";
    else if (text[i + 1] == '!') /* a doctype, perhaps with a subset */
      close = has_subset(text + i, end - i) ? "]>" : ">";
    if (close) {
      const char *at = NULL;
      for (size_t k = i + 2; k + strlen(close) <= end && !at; k++)
        if (memcmp(text + k, close, strlen(close)) == 0)
          at = text + k;
      if (!at)
        return 0;
      i = (size_t)(at - text) + strlen(close);
      continue;
    }
    /* the first element: its name, without a prefix */
    size_t s = i + 1, e = s;
    while (e < end && !strchr(" \t\r\n/>", text[e]))
      e++;
    const char *colon = memchr(text + s, ':', e - s);
    if (colon)
      s = (size_t)(colon - text) + 1;
    size_t n = e - s;
    return (n == 3 && memcmp(text + s, "rss", 3) == 0) ||
           (n == 3 && memcmp(text + s, "RDF", 3) == 0) ||
           (n == 4 && memcmp(text + s, "feed", 4) == 0);
  }
  return 0;
}
