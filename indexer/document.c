/* document.c — see document.h.  The parsers (article_json, text_page,
 * html_page) know nothing of files; this is where their results get an
 * id, a url and messages that name the input. */
#include "document.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/utf8.h"
#include "feed.h"
#include "feed_input.h"
#include "fnv1a.h"
#include "html_page.h"
#include "text_page.h"

/* The line (from 1) holding byte offset `at` of text. */
static unsigned long line_of(const char *text, size_t at) {
  unsigned long line = 1;
  for (size_t i = 0; i < at; i++)
    line += text[i] == '\n';
  return line;
}

/* Warn about invalid UTF-8 replaced in a page or document. */
static void warn_repaired(job *j, const input_source *src, const char *text,
                          size_t len, size_t repairs) {
  size_t at = cys_utf8_invalid_offset(text, len);
  j->count.repaired++;
  job_warn(j,
           "%s:%lu: warning: invalid UTF-8 at byte %zu (%zu bytes "
           "replaced by U+FFFD)",
           src->name, line_of(text, at), at + 1, repairs);
}

/* The id of a page from standard input, which has no file name: a hash
 * of its bytes (FNV-1a), so the same page read again is unchanged. */
static void stdin_id(const char *text, size_t len, char out[32]) {
  snprintf(out, 32, "stdin-%016llx", (unsigned long long)fnv1a64(text, len));
}

/* ---- JSON documents ------------------------------------------------------ */

typedef struct json_ctx {
  job *j;
  const input_source *src;
  int fatal;
} json_ctx;

static int on_json_article(void *ctx, size_t index, const json_article *a,
                           json_fault fault, const char *error) {
  json_ctx *c = ctx;
  char where[512];
  if (index > 0)
    snprintf(where, sizeof where, "%s: element %zu", c->src->name, index);
  else
    snprintf(where, sizeof where, "%s", c->src->name);
  if (!a) {
    job_skip(c->j, job_json_skip_kind(fault), "%s: %s; skipped", where, error);
    return job_stopping(c->j);
  }
  if (a->warning[0])
    job_warn(c->j, "%s: warning: %s", where, a->warning);
  if (job_put(c->j, &a->article, where) < 0) {
    c->fatal = 1;
    return 1;
  }
  return job_stopping(c->j);
}

static int index_json(job *j, const input_source *src, char *text, size_t len) {
  char *repaired = NULL;
  size_t repairs = 0;
  if (cys_utf8_invalid_offset(text, len) < len) {
    size_t repaired_len;
    if (cys_utf8_repair(text, len, &repaired, &repaired_len, &repairs) !=
        CYS_OK) {
      job_skip(j, JOB_SKIP_other, "%s: out of memory; skipped", src->name);
      return 0;
    }
    warn_repaired(j, src, text, len, repairs);
    text = repaired;
    len = repaired_len;
  }
  json_ctx c = {j, src, 0};
  char error[256];
  json_fault fault = JSON_FAULT_NONE;
  if (json_document_each(text, len, &j->opt.fields, src->id, on_json_article,
                         &c, &fault, error, sizeof error) < 0)
    job_skip(j, job_json_skip_kind(fault), "%s: %s; skipped", src->name,
             error);
  free(repaired);
  return c.fatal ? -1 : 0;
}

/* ---- pages ----------------------------------------------------------------
 */

static int index_text(job *j, const input_source *src, const char *text,
                      size_t len) {
  text_page page;
  if (text_page_parse(text, len, &page) != 0) {
    job_skip(j, JOB_SKIP_other, "%s: out of memory; skipped", src->name);
    return 0;
  }
  if (page.utf8_repairs)
    warn_repaired(j, src, text, len, page.utf8_repairs);
  /* The category stays searchable as the first line of the body. */
  char *body = page.body;
  if (page.category && page.body) {
    size_t nc = strlen(page.category), nb = strlen(page.body);
    body = malloc(nc + nb + 3);
    if (!body) {
      text_page_free(&page);
      job_skip(j, JOB_SKIP_other, "%s: out of memory; skipped", src->name);
      return 0;
    }
    memcpy(body, page.category, nc);
    memcpy(body + nc, "\n\n", 2);
    memcpy(body + nc + 2, page.body, nb + 1);
  }
  char id[32];
  if (!src->id)
    stdin_id(text, len, id);
  cys_article a = {.id = src->id ? src->id : id,
                   .title = page.title,
                   .date = page.date[0] ? page.date : NULL,
                   .url = src->url,
                   .body = body};
  int rc = job_put(j, &a, src->name);
  if (body != page.body)
    free(body);
  text_page_free(&page);
  return rc;
}

static int index_html(job *j, const input_source *src, const char *text,
                      size_t len) {
  html_page page;
  if (html_page_parse(text, len, &page) != 0) {
    job_skip(j, JOB_SKIP_other, "%s: out of memory; skipped", src->name);
    return 0;
  }
  if (page.utf8_repairs)
    warn_repaired(j, src, text, len, page.utf8_repairs);
  if (page.cut_short)
    job_warn(j,
             "%s: warning: HTML nested more than 256 elements deep; the "
             "text after that point is not indexed",
             src->name);
  char id[32];
  const char *page_id = src->id ? src->id : page.url;
  if (!page_id) {
    stdin_id(text, len, id);
    page_id = id;
  }
  cys_article a = {.id = page_id,
                   .title = page.title,
                   .date = page.date[0] ? page.date : NULL,
                   .source = page.source,
                   .url = page.url ? page.url : src->url,
                   .body = page.body};
  int rc = job_put(j, &a, src->name);
  html_page_free(&page);
  return rc;
}

int document_index(job *j, const input_source *src, input_format format,
                   char *text, size_t len) {
  switch (format) {
  case INPUT_JSON:
    return index_json(j, src, text, len);
  case INPUT_TXT:
    return index_text(j, src, text, len);
  case INPUT_HTML:
    if (!j->opt.format && feed_sniff(text, len)) {
      job_note(j, "%s: an RSS or Atom feed, reading its items", src->name);
      return feed_index(j, src, text, len);
    }
    return index_html(j, src, text, len);
  case INPUT_FEED:
    return feed_index(j, src, text, len);
  default:
    job_skip(j, JOB_SKIP_not_a_document, "%s: not a document format; skipped",
             src->name);
    return 0;
  }
}
