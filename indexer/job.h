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
  const char **deletes;    /* --delete ids */
  size_t ndeletes;
  const char *stats_json;  /* --stats-json FILE */
  int strict;              /* --strict: stop at the first problem */
  int compact;             /* --compact: compact the index at the end */
  int progress;            /* a live progress line: 1 on a terminal,
                              2 for a log (--progress), 0 none (-q) */
  size_t ngazetteers;
  int extract;             /* --extract: print entities, write no index */
  unsigned shards;         /* --shards N, 0 when not given */
  unsigned threads;        /* --threads N: analysis workers (1: none) */
  int prune;               /* --prune */
  int force;               /* --force: --prune may remove more than half */
  const char *merge;       /* --merge OUT */
  int shard;               /* --shard K, -1 when not given */
  int relink;              /* --relink */
  const char *cve_data;    /* --cve-data FILE (KEV catalogue) */
} job_options;

/* What was skipped, by kind (for --stats-json, under these names; the man
 * page lists them).  The caller of job_skip says which kind a skip is:
 * the message, which names the input, is never searched for it. */
#define JOB_SKIP_KINDS(X)                                                    \
  X(malformed_json, "not valid JSON")                                        \
  X(wrong_type, "a field, line or element of the wrong JSON type")           \
  X(missing_field, "no id, or an empty one")                                 \
  X(bad_id, "an id holding white space or control characters")               \
  X(empty_article, "neither title nor body")                                 \
  X(nul_byte, "a line holding a NUL byte")                                   \
  X(too_large, "a line longer than --max-article-bytes")                     \
  X(too_large_file, "a page or document over its limit")                     \
  X(damaged_gzip, "damaged or truncated gzip data")                          \
  X(unreadable, "a file or directory that cannot be opened or read")         \
  X(empty_file, "nothing but white space")                                   \
  X(not_a_document, "binary data, or no document format")                    \
  X(other, "anything else, such as running out of memory")

typedef enum job_skip_kind {
#define JOB_SKIP_ENUM(name, text) JOB_SKIP_##name,
  JOB_SKIP_KINDS(JOB_SKIP_ENUM)
#undef JOB_SKIP_ENUM
  JOB_SKIP_COUNT
} job_skip_kind;

typedef struct job_counts {
  unsigned long added, replaced, unchanged, deleted;
  unsigned long skipped_by_kind[JOB_SKIP_COUNT];
  unsigned long skipped; /* articles, lines and files left out */
  unsigned long repaired;
  unsigned long files;   /* inputs opened */
  unsigned long ignored; /* files in directories of no input format */
  unsigned long long bytes;
  unsigned long commits; /* successful commits, the final one included */
  unsigned long committed; /* added + replaced + deleted at the last commit */
  unsigned long other_shards; /* --shard K: articles of the other shards */
  unsigned long long relinked, keys_changed; /* --relink */
  double relink_seconds;
} job_counts;

struct extract_mode;
struct line_reader;
struct pipeline;
struct segments;

typedef struct job {
  job_options opt;
  job_counts count;
  cys_writer *writer;               /* NULL with --extract */
  struct extract_mode *extractor;   /* only with --extract */
  struct pipeline *pipeline;        /* --threads N > 1: analysis on workers */
  struct segments *segments;        /* --threads N > 1 on a new index:
                                       writing on N threads (segments.h) */
  struct cys_kev_catalogue *kev;    /* --cve-data, read before indexing */
  int in_pipeline;        /* writing an article taken from the pipeline */
  int pipeline_failed;    /* writing one failed: the job must stop */
  const char *origin;     /* absolute path of the file being read, or NULL */
  unsigned long since_commit;
  int strict_stop;        /* --strict met a problem */
  double started, last_progress;
  unsigned long long total_bytes; /* of the inputs, when known (for ETA) */
  unsigned long long done_bytes;  /* of the inputs read through, as stored */
  const struct line_reader *reading; /* the input being read, or NULL: the
                                        progress line counts its bytes */
  unsigned total_shards;  /* shards of the index (--shard: drop the others) */
  volatile sig_atomic_t *interrupted; /* set by the signal handler */
  /* The run (cys_writer_run), kept for the summary once the writer is
   * freed; run_recorded when it changed the index. */
  unsigned long long run;
  int run_recorded;
  char run_started[32];
} job;

/* Report something left out of the index and count it as skipped, as
 * one of kind.  The message should name the input and end in
 * "; skipped". */
void job_skip(job *j, job_skip_kind kind, const char *fmt, ...)
    JOB_PRINTF(3, 4);

/* The kind of a JSON record or document the parser refused. */
job_skip_kind job_json_skip_kind(json_fault fault);

/* A warning (not with --quiet), e.g. repaired UTF-8. */
void job_warn(job *j, const char *fmt, ...) JOB_PRINTF(2, 3);

/* A note only --verbose shows, e.g. an ignored file. */
void job_note(job *j, const char *fmt, ...) JOB_PRINTF(2, 3);

/* Index one article; `where` names it in messages ("FILE:LINE").  An
 * article the writer refuses is reported and skipped; with --shard K, an
 * article of another shard is counted and dropped before analysis.
 * Commits every --commit-every changes.  Returns -1 when the job must
 * stop. */
int job_put(job *j, const cys_article *article, const char *where);

/* With --threads: write every article still in the pipeline (before the
 * final commit).  -1 when the job must stop. */
int job_flush(job *j);

/* Articles added, replaced or deleted since the last commit: what a job
 * that stops now does not write. */
unsigned long job_uncommitted(const job *j);

/* Commit, reporting failure; -1 when it failed.  last: the job's final
 * commit, which records the run's end time (cys_writer_end_run). */
int job_commit(job *j, int last);

/* Seconds on a monotonic clock. */
double job_now(void);

/* Write the --stats-json file; -1 (reported) when it cannot be written. */
int job_write_stats(const job *j, double seconds, unsigned long long index_bytes);

/* Has the job been asked to stop (SIGINT, SIGTERM, or --strict after a
 * problem)? */
int job_stopping(const job *j);

#endif
