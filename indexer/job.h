/*
 * job.h — one run of cysearch-index as the input readers see it: the
 * options, the writer, the counts for the summary, and the one place
 * messages are printed (all to standard error, "cysearch-index: " first).
 */
#ifndef CYSEARCH_INDEXER_JOB_H
#define CYSEARCH_INDEXER_JOB_H

#include <signal.h>
#include <stddef.h>

#include "article_json.h"
#include "cysearch/article.h"
#include "cysearch/writer.h"
#include "input_format.h"

#define PROGRAM "cysearch-index"

#if defined(__GNUC__)
#define JOB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define JOB_PRINTF(f, a)
#endif

typedef struct job_options {
  const char *db;
  const char *language;
  unsigned long commit_every;
  size_t max_article_bytes; /* a JSON Lines line, a text or HTML page */
  int quiet, verbose;
  input_format format;   /* --format, or INPUT_UNKNOWN */
  json_field_map fields; /* --field */
  const char **gazetteers; /* --gazetteer files (MISP galaxies) */
  size_t ngazetteers;
  int extract;             /* --extract: print entities, write no index */
} job_options;

typedef struct job_counts {
  unsigned long added, replaced, unchanged;
  unsigned long skipped; /* articles, lines and files left out */
  unsigned long repaired;
  unsigned long files;   /* inputs opened */
  unsigned long ignored; /* files in directories of no input format */
  unsigned long long bytes;
} job_counts;

struct extract_mode;

typedef struct job {
  job_options opt;
  job_counts count;
  cys_writer *writer;               /* NULL with --extract */
  struct extract_mode *extractor;   /* only with --extract */
  unsigned long since_commit;
  volatile sig_atomic_t *interrupted; /* set by the signal handler */
} job;

/* Report something left out of the index and count it as skipped.  The
 * message should name the input and end in "; skipped". */
void job_skip(job *j, const char *fmt, ...) JOB_PRINTF(2, 3);

/* A warning (not with --quiet), e.g. repaired UTF-8. */
void job_warn(job *j, const char *fmt, ...) JOB_PRINTF(2, 3);

/* A note only --verbose shows, e.g. an ignored file. */
void job_note(job *j, const char *fmt, ...) JOB_PRINTF(2, 3);

/* Index one article; `where` names it in messages ("FILE:LINE").  An
 * article the writer refuses is reported and skipped.  Commits every
 * --commit-every changes.  Returns -1 when the job must stop. */
int job_put(job *j, const cys_article *article, const char *where);

/* Commit, reporting failure; -1 when it failed. */
int job_commit(job *j);

/* Has the job been asked to stop (SIGINT, SIGTERM)? */
int job_stopping(const job *j);

#endif
