/* job.c — see job.h. */
#include "job.h"

#include <stdarg.h>
#include <stdio.h>

#include "extract_mode.h"

static void say(const char *fmt, va_list ap) {
  fputs(PROGRAM ": ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void job_skip(job *j, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  say(fmt, ap);
  va_end(ap);
  j->count.skipped++;
}

void job_warn(job *j, const char *fmt, ...) {
  if (j->opt.quiet)
    return;
  va_list ap;
  va_start(ap, fmt);
  say(fmt, ap);
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

int job_commit(job *j) {
  if (!j->writer)
    return 0; /* --extract writes no index */
  if (cys_writer_commit(j->writer) != CYS_OK) {
    fprintf(stderr, PROGRAM ": commit failed: %s\n",
            cys_writer_errmsg(j->writer));
    return -1;
  }
  j->since_commit = 0;
  return 0;
}

int job_put(job *j, const cys_article *article, const char *where) {
  if (j->extractor) {
    cys_status st = extract_mode_put(j->extractor, article, stdout);
    if (st == CYS_IO) {
      fprintf(stderr, PROGRAM ": cannot write to standard output\n");
      return -1;
    }
    if (st != CYS_OK) {
      job_skip(j, "%s: %s; skipped", where, cys_status_str(st));
      return 0;
    }
    j->count.added++;
    return 0;
  }
  cys_put_outcome outcome;
  cys_status st = cys_writer_put(j->writer, article, &outcome);
  if (st == CYS_BAD_INPUT) {
    job_skip(j, "%s: %s; skipped", where, cys_writer_errmsg(j->writer));
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
  if (outcome != CYS_PUT_UNCHANGED && ++j->since_commit >= j->opt.commit_every)
    return job_commit(j);
  return 0;
}

int job_stopping(const job *j) { return j->interrupted && *j->interrupted; }
