/* job.c — see job.h. */
#include "job.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "extract_mode.h"
#include "line_reader.h"
#include "pipeline.h"
#include "segments.h"

static void say(const char *fmt, va_list ap) {
  fputs(PROGRAM ": ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

static const char *const skip_names[JOB_SKIP_COUNT] = {
#define JOB_SKIP_NAME(name, text) #name,
    JOB_SKIP_KINDS(JOB_SKIP_NAME)
#undef JOB_SKIP_NAME
};

job_skip_kind job_json_skip_kind(json_fault fault) {
  switch (fault) {
  case JSON_FAULT_SYNTAX:
    return JOB_SKIP_malformed_json;
  case JSON_FAULT_NOT_OBJECT:
  case JSON_FAULT_TYPE:
    return JOB_SKIP_wrong_type;
  case JSON_FAULT_NO_ID:
    return JOB_SKIP_missing_field;
  default:
    return JOB_SKIP_other;
  }
}

/* The kind of an article the writer refused (CYS_BAD_INPUT), from what
 * cys_writer_put requires of one, in the order writer.c checks it. */
static job_skip_kind refused_kind(const cys_article *a) {
  if (!a->id || !*a->id)
    return JOB_SKIP_missing_field;
  if (strlen(a->id) > CYS_ID_MAX)
    return JOB_SKIP_other; /* an id too long to be a term */
  size_t at;
  unsigned long code;
  if (cys_article_id_flaw(a->id, &at, &code))
    return JOB_SKIP_bad_id;
  if ((!a->title || !*a->title) && (!a->body || !*a->body))
    return JOB_SKIP_empty_article;
  return JOB_SKIP_other;
}

static void clear_progress(job *j) {
  if (j->opt.progress == 1 && j->last_progress > 0)
    fputs("\r\033[K", stderr);
}

/* With --threads, articles read before this message may still be in the
 * pipeline; write them first, so that messages come in input order
 * whatever the number of threads. */
static void catch_up(job *j) {
  if (j->pipeline && !j->in_pipeline && job_flush(j) < 0)
    j->pipeline_failed = 1;
}

/* A message about the input, in its place among the others: the articles
 * before it written first, the progress line cleared. */
static void say_in_order(job *j, const char *fmt, va_list ap) {
  catch_up(j);
  clear_progress(j);
  say(fmt, ap);
}

void job_skip(job *j, job_skip_kind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  say_in_order(j, fmt, ap);
  va_end(ap);
  j->count.skipped++;
  if ((unsigned)kind >= JOB_SKIP_COUNT)
    kind = JOB_SKIP_other;
  j->count.skipped_by_kind[kind]++;
  if (j->opt.strict)
    j->strict_stop = 1;
}

double job_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The live progress line, at most twice a second on a terminal; for a
 * log (--progress), one line a second, each ending in a newline. */
static void progress(job *j) {
  double t = job_now();
  if (t - j->last_progress < (j->opt.progress == 2 ? 1.0 : 0.5))
    return;
  j->last_progress = t;
  const job_counts *c = &j->count;
  /* Writing in segments, the articles written, not those queued. */
  unsigned long n = j->segments ? segments_written(j->segments)
                                : c->added + c->replaced + c->unchanged;
  /* The file being read counts as far as it has been read: a job of one
   * large file said 0.0 MB and gave no ETA until its end.  The ETA is
   * reckoned in bytes as stored (a gzip file's size is of its compressed
   * bytes), the MB shown are of the text read. */
  unsigned long long bytes = c->bytes, done = j->done_bytes;
  if (j->reading) {
    bytes += line_reader_bytes(j->reading);
    done += line_reader_file_offset(j->reading);
  }
  double secs = t - j->started, mb = (double)bytes / 1e6;
  fprintf(stderr, "%s" PROGRAM ": %lu articles, %.1f MB, %.0f/s, %.2f MB/s",
          j->opt.progress == 1 ? "\r\033[K" : "", n, mb,
          secs >= 1 ? n / secs : 0.0, secs >= 1 ? mb / secs : 0.0);
  if (j->total_bytes && done && done < j->total_bytes && secs > 1)
    fprintf(stderr, ", ETA %.0f s",
            secs * (double)(j->total_bytes - done) / (double)done);
  if (j->opt.progress == 2)
    fprintf(stderr, " after %.1f s\n", secs);
  fflush(stderr);
}

int job_write_stats(const job *j, double seconds,
                    unsigned long long index_bytes) {
  const job_counts *c = &j->count;
  json_t *root = json_object(), *errors = json_object();
  json_object_set_new(root, "added", json_integer((json_int_t)c->added));
  json_object_set_new(root, "replaced", json_integer((json_int_t)c->replaced));
  json_object_set_new(root, "unchanged",
                      json_integer((json_int_t)c->unchanged));
  json_object_set_new(root, "deleted", json_integer((json_int_t)c->deleted));
  json_object_set_new(root, "skipped", json_integer((json_int_t)c->skipped));
  for (int k = 0; k < JOB_SKIP_COUNT; k++)
    if (c->skipped_by_kind[k])
      json_object_set_new(errors, skip_names[k],
                          json_integer((json_int_t)c->skipped_by_kind[k]));
  json_object_set_new(root, "errors", errors);
  json_object_set_new(root, "files", json_integer((json_int_t)c->files));
  json_object_set_new(root, "ignored", json_integer((json_int_t)c->ignored));
  json_object_set_new(root, "seconds", json_real(seconds));
  json_object_set_new(root, "bytes", json_integer((json_int_t)c->bytes));
  json_object_set_new(root, "commits", json_integer((json_int_t)c->commits));
  if (!j->opt.extract)
    json_object_set_new(root, "uncommitted",
                        json_integer((json_int_t)job_uncommitted(j)));
  unsigned long n = c->added + c->replaced + c->unchanged;
  json_object_set_new(root, "articles_per_second",
                      json_real(seconds > 0 ? n / seconds : 0.0));
  json_object_set_new(root, "mb_per_second",
                      json_real(seconds > 0 ? c->bytes / 1e6 / seconds : 0.0));
  json_object_set_new(root, "index_bytes",
                      json_integer((json_int_t)index_bytes));
  if (!j->opt.extract && j->run) {
    /* The run's number and start; "recorded" false: it changed nothing,
     * and the next run takes the number. */
    json_object_set_new(root, "run", json_integer((json_int_t)j->run));
    json_object_set_new(root, "run_started", json_string(j->run_started));
    json_object_set_new(root, "run_recorded",
                        json_boolean(j->run_recorded));
  }
  if (j->opt.shard >= 0) {
    json_object_set_new(root, "shard", json_integer(j->opt.shard));
    json_object_set_new(root, "other_shards",
                        json_integer((json_int_t)c->other_shards));
  }
  if (j->opt.relink) {
    json_object_set_new(root, "relinked",
                        json_integer((json_int_t)c->relinked));
    json_object_set_new(root, "keys_changed",
                        json_integer((json_int_t)c->keys_changed));
    json_object_set_new(root, "relink_seconds", json_real(c->relink_seconds));
  }
  /* json_dump_file ends without a newline: a text file should have one. */
  FILE *f = fopen(j->opt.stats_json, "w");
  int rc = !f || json_dumpf(root, f, JSON_INDENT(2)) != 0 ||
           fputc('\n', f) == EOF;
  if (f && fclose(f) != 0)
    rc = 1;
  json_decref(root);
  if (rc) {
    fprintf(stderr, PROGRAM ": cannot write --stats-json file '%s'\n",
            j->opt.stats_json);
    return -1;
  }
  return 0;
}

void job_warn(job *j, const char *fmt, ...) {
  if (j->opt.quiet)
    return;
  va_list ap;
  va_start(ap, fmt);
  say_in_order(j, fmt, ap);
  va_end(ap);
}

void job_note(job *j, const char *fmt, ...) {
  if (!j->opt.verbose)
    return;
  va_list ap;
  va_start(ap, fmt);
  say(fmt, ap);
  va_end(ap);
}

int job_commit(job *j, int last) {
  if (!j->writer)
    return 0; /* --extract writes no index */
  cys_status st =
      last ? cys_writer_end_run(j->writer) : cys_writer_commit(j->writer);
  if (st != CYS_OK) {
    fprintf(stderr, PROGRAM ": commit failed: %s\n",
            cys_writer_errmsg(j->writer));
    return -1;
  }
  j->since_commit = 0;
  j->count.commits++;
  j->count.committed = j->count.added + j->count.replaced + j->count.deleted;
  return 0;
}

unsigned long job_uncommitted(const job *j) {
  const job_counts *c = &j->count;
  return c->added + c->replaced + c->deleted - c->committed;
}

/* Count what writing an article did, or report why it was not written;
 * commits every --commit-every changes.  -1 when the job must stop. */
static int account(job *j, cys_status st, cys_put_outcome outcome,
                   const cys_article *a, const char *where) {
  if (st == CYS_INTERRUPTED)
    return 0; /* a signal came during its analysis: the job stops */
  if (st == CYS_BAD_INPUT) {
    job_skip(j, refused_kind(a), "%s: %s; skipped", where,
             cys_writer_errmsg(j->writer));
    return 0;
  }
  if (st != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s: %s\n", where, cys_writer_errmsg(j->writer));
    return -1;
  }
  if (outcome == CYS_PUT_ADDED)
    j->count.added++;
  else if (outcome == CYS_PUT_REPLACED)
    j->count.replaced++;
  else
    j->count.unchanged++;
  if (j->opt.progress)
    progress(j);
  if (outcome != CYS_PUT_UNCHANGED && ++j->since_commit >= j->opt.commit_every)
    return job_commit(j, 0);
  return 0;
}

/* Write the oldest article of the pipeline, waiting for its analysis when
 * wait is set.  1 written (or dropped because the job is stopping), 0
 * none ready, -1 the job must stop. */
static int take_one(job *j, int wait) {
  const cys_article *a;
  const char *where, *origin;
  cys_prepared *prepared;
  if (!pipeline_next(j->pipeline, wait, &a, &where, &origin, &prepared))
    return 0;
  int rc = 0;
  if (!job_stopping(j)) { /* after --strict's problem, nothing is written */
    cys_put_outcome outcome = CYS_PUT_UNCHANGED;
    cys_status st =
        cys_writer_put_prepared(j->writer, a, origin, prepared, &outcome);
    j->in_pipeline = 1;
    rc = account(j, st, outcome, a, where);
    j->in_pipeline = 0;
  }
  pipeline_done(j->pipeline);
  return rc < 0 ? -1 : 1;
}

/* job_put with --threads: queue the article, then write the analysed ones
 * at the head of the queue (waiting only when the queue is full). */
static int pipe_put(job *j, const cys_article *article, const char *where) {
  int rc = 0;
  while (pipeline_full(j->pipeline) && rc >= 0)
    rc = take_one(j, 1);
  if (rc >= 0 && pipeline_put(j->pipeline, article, where, j->origin) < 0) {
    fprintf(stderr, PROGRAM ": %s: out of memory\n", where);
    rc = -1;
  }
  while (rc >= 0 && (rc = take_one(j, 0)) == 1)
    ;
  return rc < 0 ? -1 : 0;
}

/* job_put when writing in segments: an article the writer would refuse
 * is reported here, in input order, and the others go to a segment. */
static int segment_put(job *j, const cys_article *article, const char *where) {
  char why[256];
  if (cys_writer_check_article(article, why, sizeof why) != CYS_OK) {
    job_skip(j, refused_kind(article), "%s: %s; skipped", where, why);
    return 0;
  }
  int rc = segments_put(j->segments, article, where, j->origin);
  if (rc > 0) {
    j->count.added++;
    if (j->opt.progress)
      progress(j);
  }
  return rc < 0 ? -1 : 0;
}

int job_flush(job *j) {
  int rc = 1;
  while (j->pipeline && rc == 1)
    rc = take_one(j, 1);
  return rc < 0 ? -1 : 0;
}

int job_put(job *j, const cys_article *article, const char *where) {
  if (j->extractor) {
    cys_status st = extract_mode_put(j->extractor, article, stdout);
    if (st == CYS_IO) {
      fprintf(stderr, PROGRAM ": cannot write to standard output\n");
      return -1;
    }
    if (st == CYS_INTERRUPTED)
      return 0; /* the job stops */
    if (st != CYS_OK) {
      job_skip(j, JOB_SKIP_other, "%s: %s; skipped", where,
               cys_status_str(st));
      return 0;
    }
    j->count.added++;
    return 0;
  }
  if (j->opt.shard >= 0 && article->id &&
      cys_shard_of(article->id, j->total_shards) != (unsigned)j->opt.shard) {
    j->count.other_shards++; /* another job's: not even analysed */
    return 0;
  }
  if (j->segments)
    return segment_put(j, article, where);
  if (j->pipeline)
    return pipe_put(j, article, where);
  cys_put_outcome outcome = CYS_PUT_UNCHANGED;
  cys_status st = cys_writer_put_from(j->writer, article, j->origin, &outcome);
  return account(j, st, outcome, article, where);
}

int job_stopping(const job *j) {
  return j->strict_stop || j->pipeline_failed ||
         (j->interrupted && *j->interrupted);
}
