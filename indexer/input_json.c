/* input_json.c — see input_json.h. */
#include "input_json.h"

#include <stdio.h>
#include <string.h>

#include "article_json.h"
#include "json_elements.h"

typedef struct reading {
  job *j;
  const input_source *src;
  int fatal;
} reading;

/* One element: parsed by jansson, then indexed. */
static int on_element(void *ctx, size_t index, unsigned long line,
                      unsigned long column, const char *text, size_t len) {
  reading *rd = ctx;
  job *j = rd->j;
  char where[512];
  snprintf(where, sizeof where, "%s: element %zu", rd->src->name, index);
  if (!text) {
    job_skip(j, JOB_SKIP_too_large,
             "%s: larger than %zu bytes (--max-article-bytes); skipped", where,
             j->opt.max_article_bytes);
    return job_stopping(j);
  }
  json_article ja;
  char error[256];
  if (json_article_parse_at(text, len, &j->opt.fields, line, column, &ja,
                            error, sizeof error) != 0) {
    job_skip(j, job_json_skip_kind(ja.fault), "%s: %s; skipped", where, error);
    return job_stopping(j);
  }
  if (ja.warning[0])
    job_warn(j, "%s: warning: %s", where, ja.warning);
  if (ja.utf8_repairs)
    j->count.repaired++;
  if (job_put(j, &ja.article, where) < 0)
    rd->fatal = 1;
  json_article_release(&ja);
  return rd->fatal || job_stopping(j);
}

int input_json_array(job *j, line_reader *r, const input_source *src,
                     const char *first, size_t first_len) {
  reading rd = {j, src, 0};
  unsigned long line = line_reader_lineno(r) + (first ? 0 : 1);
  json_elements *e =
      json_elements_new(line, j->opt.max_article_bytes, on_element, &rd);
  if (!e) {
    job_skip(j, JOB_SKIP_other, "%s: out of memory; skipped", src->name);
    return 0;
  }
  json_split st = JSON_SPLIT_MORE;
  if (first) {
    st = json_elements_feed(e, first, first_len);
    if (st == JSON_SPLIT_MORE)
      st = json_elements_feed(e, "\n", 1);
  }
  const char *data;
  size_t len;
  line_result lr = LINE_OK;
  int checked = first != NULL; /* for binary data */
  while (st == JSON_SPLIT_MORE &&
         (lr = line_reader_read(r, &data, &len)) == LINE_OK) {
    if (!checked) {
      size_t at = input_binary_offset(data, len);
      checked = 1;
      if (at < len) {
        job_skip(j, JOB_SKIP_not_a_document,
                 "%s: binary data, not text (byte 0x%02x at offset %zu); "
                 "skipped",
                 src->name, (unsigned char)data[at], at);
        goto done;
      }
    }
    st = json_elements_feed(e, data, len);
  }
  if (lr == LINE_ERROR) {
    line_fault fault = line_reader_fault(r);
    job_skip(j,
             fault == LINE_FAULT_GZIP   ? JOB_SKIP_damaged_gzip
             : fault == LINE_FAULT_READ ? JOB_SKIP_unreadable
                                        : JOB_SKIP_other,
             "%s: after element %zu: %s; rest of file skipped", src->name,
             json_elements_count(e), line_reader_error(r));
    goto done;
  }
  if (st == JSON_SPLIT_MORE)
    st = json_elements_finish(e);
  if (st == JSON_SPLIT_BAD)
    job_skip(j, JOB_SKIP_malformed_json,
             "%s: not valid JSON: %s; rest of file skipped", src->name,
             json_elements_error(e));
  else if (st == JSON_SPLIT_NOMEM)
    job_skip(j, JOB_SKIP_other,
             "%s: element %zu: out of memory; rest of file skipped",
             src->name, json_elements_count(e) + 1);
done:
  json_elements_free(e);
  return rd.fatal ? -1 : 0;
}
