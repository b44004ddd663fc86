/* input.c — see input.h.  Every input is read through line_reader (plain
 * or gzip, files or standard input): the first non-blank line decides
 * the format, then JSON Lines are indexed line by line and the other
 * formats are gathered whole and handed to document.c. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dir_walk.h"
#include "document.h"
#include "input_json.h"
#include "line_reader.h"
#include "byte_buf.h"

/* The largest JSON document or feed read whole: it may hold many
 * articles. */
#define JSON_DOCUMENT_MAX (1ul << 30)

/* A JSON document and a feed hold many articles; a page holds one. */
static size_t document_limit(const job *j, input_format format) {
  return format == INPUT_JSON || format == INPUT_FEED ? JSON_DOCUMENT_MAX
                                                      : j->opt.max_article_bytes;
}

static int is_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' &&
        s[i] != '\v')
      return 0;
  return 1;
}

static void skip_binary(job *j, const input_source *src, unsigned long lineno,
                        const char *line, size_t at) {
  job_skip(j, JOB_SKIP_not_a_document,
           "%s:%lu: binary data, not text (byte 0x%02x at column %zu); "
           "skipped",
           src->name, lineno, (unsigned char)line[at], at + 1);
}

/* The kind of a LINE_ERROR of the line reader. */
static job_skip_kind read_error_kind(const line_reader *r) {
  switch (line_reader_fault(r)) {
  case LINE_FAULT_READ:
    return JOB_SKIP_unreadable;
  case LINE_FAULT_GZIP:
    return JOB_SKIP_damaged_gzip;
  default:
    return JOB_SKIP_other;
  }
}

/* ---- JSON Lines --------------------------------------------------------- */

/* One line.  Returns -1 when the job must stop. */
static int jsonl_line(job *j, const input_source *src, unsigned long lineno,
                      const char *line, size_t len) {
  if (is_blank(line, len))
    return 0;
  if (memchr(line, '\0', len)) {
    job_skip(j, JOB_SKIP_nul_byte, "%s:%lu: line contains a NUL byte; skipped",
             src->name, lineno);
    return 0;
  }
  if (len > j->opt.max_article_bytes) {
    job_skip(j, JOB_SKIP_too_large,
             "%s:%lu: line longer than %zu bytes (--max-article-bytes); "
             "skipped",
             src->name, lineno, j->opt.max_article_bytes);
    return 0;
  }
  json_article ja;
  char error[256];
  if (json_article_parse_mapped(line, len, &j->opt.fields, &ja, error,
                                sizeof error) != 0) {
    job_skip(j, job_json_skip_kind(ja.fault), "%s:%lu: %s; skipped", src->name,
             lineno, error);
    return 0;
  }
  char where[512];
  snprintf(where, sizeof where, "%s:%lu", src->name, lineno);
  if (ja.warning[0])
    job_warn(j, "%s: warning: %s", where, ja.warning);
  if (ja.utf8_repairs)
    j->count.repaired++;
  int rc = job_put(j, &ja.article, where);
  json_article_release(&ja);
  return rc;
}

/* In a gzip file found damaged when it was opened, is this line where the
 * damage begins?  zlib notices damage only later (often at the file's
 * end) and hands out garbage until then: the first line that does not
 * read as an article is taken for the damage, and reading stops there
 * with one message instead of one per garbled line. */
static int at_damage(job *j, line_reader *r, const input_source *src,
                     line_result lr, const char *line, size_t len) {
  const char *why = "";
  if (!line_reader_damaged(r, &why))
    return 0;
  int bad = lr == LINE_TOO_LONG || len > j->opt.max_article_bytes ||
            memchr(line, '\0', len) != NULL;
  if (!bad && !is_blank(line, len)) {
    json_article ja;
    char error[256];
    size_t byte;
    unsigned long code;
    bad = json_article_parse_mapped(line, len, &j->opt.fields, &ja, error,
                                    sizeof error) != 0;
    if (!bad) {
      bad = cys_article_id_flaw(ja.article.id, &byte, &code) != NULL;
      json_article_release(&ja);
    }
  }
  if (bad)
    job_skip(j, JOB_SKIP_damaged_gzip,
             "%s:%lu: damaged gzip data (%s): from this line on the text "
             "is garbled; the lines before it are indexed; rest of file "
             "skipped", src->name, line_reader_lineno(r), why);
  return bad;
}

/* The lines from the current one (lr, line, len) to the end. */
static int read_jsonl(job *j, line_reader *r, const input_source *src,
                      line_result lr, const char *line, size_t len) {
  for (;;) {
    unsigned long lineno = line_reader_lineno(r);
    if (at_damage(j, r, src, lr, line, len)) {
      return 0;
    } else if (lr == LINE_TOO_LONG) {
      job_skip(j, JOB_SKIP_too_large,
               "%s:%lu: line longer than %zu bytes "
               "(--max-article-bytes); skipped",
               src->name, lineno, j->opt.max_article_bytes);
    } else if (jsonl_line(j, src, lineno, line, len) < 0) {
      return -1;
    }
    if (job_stopping(j))
      return 0;
    lr = line_reader_next(r, &line, &len);
    if (lr == LINE_END)
      return 0;
    if (lr == LINE_ERROR) {
      job_skip(j, read_error_kind(r),
               "%s: after line %lu: %s; rest of file skipped", src->name,
               line_reader_lineno(r), line_reader_error(r));
      return 0;
    }
  }
}

/* The lines of a JSON file that holds JSON Lines, read whole. */
static int jsonl_lines_of(job *j, const input_source *src, const char *text,
                          size_t len) {
  unsigned long lineno = 0;
  for (size_t pos = 0; pos < len && !job_stopping(j);) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
    if (jsonl_line(j, src, ++lineno, text + pos, n) < 0)
      return -1;
    pos += n + 1;
  }
  return 0;
}

/* ---- documents read whole ---------------------------------------------- */

static int read_document(job *j, line_reader *r, const input_source *src,
                         input_format format, const char *line, size_t len) {
  size_t limit = document_limit(j, format);
  buf doc = BUF_INIT;
  /* keep the leading blank lines, so that line numbers stay right */
  for (unsigned long k = 1; k < line_reader_lineno(r); k++)
    buf_append_char(&doc, '\n');
  line_result lr = LINE_OK;
  int rc = 0;
  for (;;) {
    if (lr == LINE_TOO_LONG || doc.len + len + 1 > limit) {
      job_skip(j, JOB_SKIP_too_large_file, "%s: larger than %zu bytes%s; "
               "skipped", src->name, limit,
               limit == JSON_DOCUMENT_MAX ? "" : " (--max-article-bytes)");
      goto done;
    }
    const char *nul = memchr(line, '\0', len);
    if (nul) {
      skip_binary(j, src, line_reader_lineno(r), line, (size_t)(nul - line));
      goto done;
    }
    buf_append(&doc, line, len);
    buf_append_char(&doc, '\n');
    lr = line_reader_next(r, &line, &len);
    if (lr == LINE_END)
      break;
    if (lr == LINE_ERROR) {
      job_skip(j, read_error_kind(r), "%s: after line %lu: %s; skipped",
               src->name, line_reader_lineno(r), line_reader_error(r));
      goto done;
    }
  }
  if (doc.failed) {
    job_skip(j, JOB_SKIP_other, "%s: out of memory; skipped", src->name);
    goto done;
  }
  size_t at = input_binary_offset(doc.data, doc.len);
  if (at < doc.len) {
    const char *start = doc.data + at;
    unsigned long lineno = 1;
    for (const char *p = doc.data; p < start; p++)
      if (*p == '\n') {
        lineno++;
        line = p + 1;
      }
    if (lineno == 1)
      line = doc.data;
    skip_binary(j, src, lineno, line, (size_t)(start - line));
    goto done;
  }
  if (format == INPUT_JSON && input_json_is_lines(doc.data, doc.len)) {
    job_note(j, "%s: JSON Lines, reading line by line", src->name);
    rc = jsonl_lines_of(j, src, doc.data, doc.len);
  } else if (format == INPUT_JSON && doc.len > j->opt.max_article_bytes) {
    /* one article object (an array is read by input_json.c) */
    job_skip(j, JOB_SKIP_too_large_file,
             "%s: larger than %zu bytes (--max-article-bytes); skipped",
             src->name, j->opt.max_article_bytes);
  } else {
    rc = document_index(j, src, format, doc.data, doc.len);
  }
done:
  buf_free(&doc);
  return rc;
}

/* ---- one input ------------------------------------------------------------
 */

static int read_source(job *j, const input_source *src) {
  input_format format = j->opt.format ? j->opt.format : src->announced;
  size_t line_max = document_limit(j, format);
  line_reader *r = line_reader_open(src->path, line_max);
  if (!r) {
    job_skip(j, JOB_SKIP_unreadable, "cannot open '%s': %s", src->name,
             strerror(errno));
    return 0;
  }
  j->count.files++;
  j->reading = r;
  int rc = 0;
  if (format == INPUT_JSON && line_reader_peek(r) == '[') {
    rc = input_json_array(j, r, src, NULL, 0); /* streamed */
    goto done;
  }
  /* the first line that is not blank */
  const char *line = NULL;
  size_t len = 0;
  line_result lr;
  while ((lr = line_reader_next(r, &line, &len)) == LINE_OK) {
    if (line_reader_lineno(r) == 1 && len >= 3 &&
        memcmp(line, "\xef\xbb\xbf", 3) == 0)
      line += 3, len -= 3; /* a byte order mark */
    if (!is_blank(line, len))
      break;
  }
  if (lr == LINE_END) {
    if (strcmp(src->path, "-") != 0)
      job_skip(j, JOB_SKIP_empty_file, "%s: empty file; skipped", src->name);
  } else if (lr == LINE_ERROR) {
    job_skip(j, read_error_kind(r), "%s: after line %lu: %s; skipped",
             src->name, line_reader_lineno(r), line_reader_error(r));
  } else if (lr == LINE_TOO_LONG) {
    if (format == INPUT_UNKNOWN || format == INPUT_JSONL)
      rc = read_jsonl(j, r, src, lr, line, len);
    else
      job_skip(j, JOB_SKIP_too_large_file, "%s: larger than %zu bytes%s; "
               "skipped", src->name, line_max,
               line_max == JSON_DOCUMENT_MAX ? "" : " (--max-article-bytes)");
  } else {
    size_t at = input_binary_offset(line, len);
    if (at < len) {
      skip_binary(j, src, line_reader_lineno(r), line, at);
    } else {
      if (!j->opt.format)
        format = input_format_refine(src->announced, line, len);
      job_note(j, "%s: reading as %s", src->name, input_format_name(format));
      if (format == INPUT_JSONL)
        rc = read_jsonl(j, r, src, lr, line, len);
      else if (format == INPUT_JSON && line[strspn(line, " \t\r")] == '[')
        rc = input_json_array(j, r, src, line, len);
      else
        rc = read_document(j, r, src, format, line, len);
    }
  }
done:
  j->count.bytes += line_reader_bytes(r);
  j->done_bytes += line_reader_file_offset(r);
  j->reading = NULL;
  line_reader_close(r);
  return rc;
}

/* ---- directories ----------------------------------------------------------
 */

typedef struct tree {
  job *j;
  const char *root_abs; /* the directory's absolute path, for page urls */
  int fatal;
} tree;

static int tree_file(void *ctx, const char *path, const char *rel) {
  tree *t = ctx;
  job *j = t->j;
  int gz = 0;
  input_format announced =
      j->opt.format ? j->opt.format : input_format_from_name(rel, &gz);
  if (announced == INPUT_UNKNOWN && !gz) {
    j->count.ignored++;
    job_note(j, "%s: not a known input format; ignored", path);
    return 0;
  }
  buf url = BUF_INIT;
  buf_append(&url, t->root_abs, strlen(t->root_abs));
  buf_append_char(&url, '/');
  buf_append(&url, rel, strlen(rel));
  input_source src = {path, path, rel, url.data, announced, 1};
  j->origin = url.data; /* the file's absolute path, for --prune */
  if (read_source(j, &src) < 0)
    t->fatal = 1;
  j->origin = NULL;
  buf_free(&url);
  return t->fatal || job_stopping(j);
}

static void tree_other(void *ctx, const char *path, dir_walk_event event,
                       int err) {
  tree *t = ctx;
  switch (event) {
  case DIR_WALK_HIDDEN:
    job_note(t->j, "%s: hidden; not read", path);
    break;
  case DIR_WALK_LOOP:
    job_note(t->j, "%s: a directory inside itself; not entered again", path);
    break;
  case DIR_WALK_SYMLINK:
    t->j->count.ignored++;
    job_warn(t->j, "%s: a symbolic link; not followed (links inside a "
                   "directory are never followed: name the file or "
                   "directory it points to as an INPUT to index it)",
             path);
    break;
  case DIR_WALK_SPECIAL:
    t->j->count.ignored++;
    job_note(t->j, "%s: not a regular file or directory; ignored", path);
    break;
  case DIR_WALK_TOO_DEEP:
    job_skip(t->j, JOB_SKIP_other,
             "%s: more than %d directory levels down; skipped", path,
             DIR_WALK_MAX_DEPTH);
    break;
  case DIR_WALK_UNREADABLE:
    job_skip(t->j, JOB_SKIP_unreadable, "cannot read '%s': %s; skipped", path,
             strerror(err));
    break;
  }
}

static int tree_stop(void *ctx) { return job_stopping(((tree *)ctx)->j); }

static int index_tree(job *j, const char *root) {
  char *abs = realpath(root, NULL);
  tree t = {j, abs ? abs : root, 0};
  dir_walk_callbacks cb = {tree_file, tree_other, tree_stop};
  int rc = dir_walk(root, &cb, &t);
  free(abs);
  if (rc < 0)
    fprintf(stderr, PROGRAM ": out of memory walking '%s'\n", root);
  return rc < 0 || t.fatal ? -1 : 0;
}

int input_index(job *j, const char *arg) {
  if (strcmp(arg, "-") == 0) {
    input_source src = {"-", "(stdin)", NULL, NULL, INPUT_UNKNOWN, 0};
    return read_source(j, &src);
  }
  struct stat st;
  if (stat(arg, &st) != 0) {
    job_skip(j, JOB_SKIP_unreadable, "cannot open '%s': %s", arg,
             strerror(errno));
    return 0;
  }
  if (S_ISDIR(st.st_mode))
    return index_tree(j, arg);
  const char *id = arg;
  while (id[0] == '.' && id[1] == '/')
    id += 2;
  char *abs = realpath(arg, NULL);
  input_source src = {arg, arg, id, abs ? abs : arg,
                      input_format_from_name(arg, NULL), 0};
  j->origin = abs;
  int rc = read_source(j, &src);
  j->origin = NULL;
  free(abs);
  return rc;
}
