/* feed_input.c — see feed_input.h. */
#include "feed_input.h"

#include <libxml/uri.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "strbuf.h"

typedef struct feed_ctx {
  job *j;
  const input_source *src;
  int fatal;
} feed_ctx;

/* The host of an absolute URL, lower case, without "www."; NULL if it
 * has none.  (libxml2 parses the URL.) */
static char *host_of(const char *url) {
  xmlURI *uri = url ? xmlParseURI(url) : NULL;
  char *host = NULL;
  if (uri && uri->server && uri->server[0]) {
    const char *s = uri->server;
    if (strncmp(s, "www.", 4) == 0 && s[4])
      s += 4;
    host = strdup(s);
    for (char *p = host; p && *p; p++)
      if (*p >= 'A' && *p <= 'Z')
        *p = (char)(*p + 32);
  }
  xmlFreeURI(uri);
  return host;
}

/* The categories and the author lead the body, as a paragraph each, so
 * that they stay searchable (a text page keeps its category the same
 * way). */
static char *body_of(const feed_item *it, int *failed) {
  if (!it->categories && !it->author)
    return NULL;
  buf b = BUF_INIT;
  if (it->categories) {
    buf_append(&b, it->categories, strlen(it->categories));
    buf_append(&b, "\n\n", 2);
  }
  if (it->author) {
    buf_append(&b, "By ", 3);
    buf_append(&b, it->author, strlen(it->author));
    buf_append(&b, "\n\n", 2);
  }
  if (it->body)
    buf_append(&b, it->body, strlen(it->body));
  strbuf_rtrim(&b);
  return strbuf_steal(&b, failed);
}

static int on_item(void *ctx, const feed_item *it) {
  feed_ctx *c = ctx;
  char where[512];
  snprintf(where, sizeof where, "%s:%ld: item %zu", c->src->name, it->line,
           it->number);
  if (it->date_text && !it->date[0])
    job_warn(c->j, "%s: warning: date \"%.40s\" not understood; left out",
             where, it->date_text);
  int failed = 0;
  char *body = body_of(it, &failed);
  char *source = host_of(it->link ? it->link : it->feed_link);
  if (failed) {
    job_skip(c->j, JOB_SKIP_other, "%s: out of memory; skipped", where);
  } else {
    cys_article a = {.id = it->id,
                     .title = it->title,
                     .date = it->date[0] ? it->date : NULL,
                     .source = source,
                     .url = it->link,
                     .body = body ? body : it->body};
    if (job_put(c->j, &a, where) < 0)
      c->fatal = 1;
  }
  free(body);
  free(source);
  return c->fatal || job_stopping(c->j);
}

int feed_index(job *j, const input_source *src, const char *text, size_t len) {
  feed_ctx c = {j, src, 0};
  feed_report r;
  feed_status st =
      feed_read(text, len, src->id ? src->id : src->name, on_item, &c, &r);
  if (r.xml_errors)
    job_warn(j,
             "%s: warning: not well-formed XML (%s; %zu error%s); read "
             "what could be recovered: %zu item%s",
             src->name, r.first_error, r.xml_errors,
             r.xml_errors == 1 ? "" : "s", r.items, r.items == 1 ? "" : "s");
  if (st == FEED_NOT_A_FEED && src->walked && !j->opt.format) {
    /* an .xml file met in a directory may be anything: not ours */
    j->count.ignored++;
    job_note(j, "%s: XML but not an RSS or Atom feed; ignored", src->name);
  } else if (st == FEED_NOT_A_FEED)
    job_skip(j, JOB_SKIP_not_a_document,
             "%s: not an RSS or Atom feed (%s%s%s); skipped", src->name,
             r.root[0] ? "its root element is <" : "no XML element found",
             r.root, r.root[0] ? ">" : "");
  else if (st == FEED_NO_MEMORY)
    job_skip(j, JOB_SKIP_other, "%s: out of memory; skipped", src->name);
  else if (r.items == 0)
    job_warn(j, "%s: warning: %s feed without items", src->name, r.kind);
  else
    job_note(j, "%s: %s feed, %zu item%s", src->name, r.kind, r.items,
             r.items == 1 ? "" : "s");
  feed_report_free(&r);
  return c.fatal ? -1 : 0;
}
