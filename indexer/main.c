/*
 * cysearch-index — build or update a cysearch index from JSON Lines input.
 *
 *   cysearch-index --db DIR [options] INPUT...
 *
 * Each input is a .jsonl file, a .jsonl.gz file, or "-" for standard input.
 * Bad lines are reported with file and line, skipped and counted; the rest
 * of the batch goes on.  Work is committed every --commit-every articles
 * and at the end, so an interrupted job keeps everything up to its last
 * commit.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "article_json.h"
#include "cysearch/analyze.h"
#include "cysearch/version.h"
#include "cysearch/writer.h"
#include "line_reader.h"

#define PROGRAM "cysearch-index"

/* Exit statuses, documented in the man page and README. */
enum {
  EXIT_DONE = 0,    /* everything indexed */
  EXIT_FATAL = 1,   /* the job stopped early; the index is at its last commit */
  EXIT_USAGE = 2,   /* bad command line */
  EXIT_SKIPPED = 3  /* the job finished, but some input was skipped */
};

typedef struct options {
  const char *db;
  const char *language;
  unsigned long commit_every;
  size_t max_article_bytes;
  int quiet;
} options;

typedef struct counts {
  unsigned long added, replaced, unchanged, skipped, repaired, failed_inputs;
  unsigned long long bytes;
} counts;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

static void usage(FILE *f) {
  fprintf(f,
          "Usage: " PROGRAM " --db DIR [OPTION]... INPUT...\n"
          "Index articles from JSON Lines files (.jsonl, .jsonl.gz, or - for\n"
          "standard input) into the cysearch index DIR, creating it if needed.\n"
          "An article whose id is already indexed is replaced; an unchanged one\n"
          "is left alone.\n"
          "\n"
          "  -d, --db DIR               the index directory (required)\n"
          "  -l, --language LANG        stemmer for a new index (default english)\n"
          "      --list-languages       print the stemmer languages and exit\n"
          "  -c, --commit-every N       commit after every N articles (default 10000)\n"
          "      --max-article-bytes N  skip input lines longer than N bytes\n"
          "                             (default 10485760)\n"
          "  -q, --quiet                print only errors\n"
          "  -h, --help                 show this help and exit\n"
          "  -V, --version              show the version and exit\n"
          "\n"
          "Exit status: 0 all indexed; 3 finished but some input was skipped\n"
          "(see the messages); 1 stopped by an error (the index keeps everything\n"
          "up to its last commit); 2 usage error.\n");
}

static int parse_count(const char *s, unsigned long long *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || *s == '-' || v == 0)
    return -1;
  *out = v;
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Commit, reporting failure. */
static int commit(cys_writer *w) {
  if (cys_writer_commit(w) != CYS_OK) {
    fprintf(stderr, PROGRAM ": commit failed: %s\n", cys_writer_errmsg(w));
    return -1;
  }
  return 0;
}

/* Index every line of one input.  Returns -1 when the job must stop. */
static int index_input(cys_writer *w, const char *path, const options *opt,
                       counts *c, unsigned long *since_commit) {
  const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
  line_reader *r = line_reader_open(path, opt->max_article_bytes);
  if (!r) {
    fprintf(stderr, PROGRAM ": cannot open '%s': %s\n", name,
            strerror(errno));
    c->failed_inputs++;
    return 0;
  }
  int rc = 0;
  for (;;) {
    if (interrupted)
      break;
    const char *line;
    size_t len;
    line_result lr = line_reader_next(r, &line, &len);
    if (lr == LINE_END)
      break;
    if (lr == LINE_ERROR) {
      fprintf(stderr, PROGRAM ": %s: after line %lu: %s; rest of file skipped\n",
              name, line_reader_lineno(r), line_reader_error(r));
      c->failed_inputs++;
      break;
    }
    unsigned long lineno = line_reader_lineno(r);
    if (lr == LINE_TOO_LONG) {
      fprintf(stderr,
              PROGRAM ": %s:%lu: line longer than %zu bytes "
              "(--max-article-bytes); skipped\n",
              name, lineno, opt->max_article_bytes);
      c->skipped++;
      continue;
    }
    size_t start = 0;
    while (start < len && (line[start] == ' ' || line[start] == '\t'))
      start++;
    if (start == len)
      continue; /* blank line */
    json_article ja;
    char error[256];
    if (memchr(line, '\0', len)) {
      fprintf(stderr, PROGRAM ": %s:%lu: line contains a NUL byte; skipped\n",
              name, lineno);
      c->skipped++;
      continue;
    }
    if (json_article_parse(line, len, &ja, error, sizeof error) != 0) {
      fprintf(stderr, PROGRAM ": %s:%lu: %s; skipped\n", name, lineno, error);
      c->skipped++;
      continue;
    }
    if (ja.warning[0] && !opt->quiet)
      fprintf(stderr, PROGRAM ": %s:%lu: warning: %s\n", name, lineno,
              ja.warning);
    if (ja.utf8_repairs)
      c->repaired++;
    cys_put_outcome outcome;
    cys_status st = cys_writer_put(w, &ja.article, &outcome);
    json_article_release(&ja);
    if (st == CYS_BAD_INPUT) {
      fprintf(stderr, PROGRAM ": %s:%lu: %s; skipped\n", name, lineno,
              cys_writer_errmsg(w));
      c->skipped++;
      continue;
    }
    if (st != CYS_OK) {
      fprintf(stderr, PROGRAM ": %s:%lu: %s\n", name, lineno,
              cys_writer_errmsg(w));
      rc = -1;
      break;
    }
    if (outcome == CYS_PUT_ADDED)
      c->added++;
    else if (outcome == CYS_PUT_REPLACED)
      c->replaced++;
    else
      c->unchanged++;
    if (outcome != CYS_PUT_UNCHANGED && ++*since_commit >= opt->commit_every) {
      if (commit(w) < 0) {
        rc = -1;
        break;
      }
      *since_commit = 0;
    }
  }
  c->bytes += line_reader_bytes(r);
  line_reader_close(r);
  return rc;
}

static void list_languages(void) {
  for (const char **l = cys_analyzer_languages(); *l; l++)
    printf("%s\n", *l);
}

int main(int argc, char **argv) {
  options opt = {.commit_every = 10000, .max_article_bytes = 10u << 20};
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},
      {"language", required_argument, NULL, 'l'},
      {"list-languages", no_argument, NULL, 'L'},
      {"commit-every", required_argument, NULL, 'c'},
      {"max-article-bytes", required_argument, NULL, 'M'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  int ch;
  unsigned long long n;
  while ((ch = getopt_long(argc, argv, "d:l:c:qhV", longopts, NULL)) != -1) {
    switch (ch) {
    case 'd':
      opt.db = optarg;
      break;
    case 'l':
      opt.language = optarg;
      break;
    case 'L':
      list_languages();
      return EXIT_DONE;
    case 'c':
      if (parse_count(optarg, &n) || n > 1000000000ULL) {
        fprintf(stderr, PROGRAM ": --commit-every needs a positive number, "
                        "not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      opt.commit_every = (unsigned long)n;
      break;
    case 'M':
      if (parse_count(optarg, &n) || n > (1ULL << 30)) {
        fprintf(stderr, PROGRAM ": --max-article-bytes needs a number from 1 "
                        "to 1073741824, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      opt.max_article_bytes = (size_t)n;
      break;
    case 'q':
      opt.quiet = 1;
      break;
    case 'h':
      usage(stdout);
      return EXIT_DONE;
    case 'V':
      printf(PROGRAM " " CYS_VERSION_STRING "\n");
      return EXIT_DONE;
    default:
      fprintf(stderr, "Try '" PROGRAM " --help' for more information.\n");
      return EXIT_USAGE;
    }
  }
  if (!opt.db) {
    fprintf(stderr, PROGRAM ": --db DIR is required\n"
                    "Try '" PROGRAM " --help' for more information.\n");
    return EXIT_USAGE;
  }
  if (optind >= argc) {
    fprintf(stderr, PROGRAM ": no input given (name .jsonl files, or - for "
                    "standard input)\n");
    return EXIT_USAGE;
  }

  cys_writer *w = cys_writer_new();
  if (!w) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    return EXIT_FATAL;
  }
  if (cys_writer_open(w, opt.db, opt.language) != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", cys_writer_errmsg(w));
    cys_writer_free(w);
    return EXIT_FATAL;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  counts c = {0};
  unsigned long since_commit = 0;
  double t0 = now();
  int failed = 0;
  for (int i = optind; i < argc && !failed && !interrupted; i++)
    failed = index_input(w, argv[i], &opt, &c, &since_commit) < 0;
  if (!failed && commit(w) < 0)
    failed = 1;
  double secs = now() - t0;
  uint64_t total = 0;
  if (!failed)
    cys_writer_doccount(w, &total);
  cys_writer_free(w); /* drops anything uncommitted after a failure */

  if (interrupted)
    fprintf(stderr, PROGRAM ": interrupted; work up to the last commit is "
                    "kept\n");
  if (!opt.quiet || failed) {
    double mb = (double)c.bytes / 1e6;
    fprintf(stderr,
            PROGRAM ": %lu added, %lu replaced, %lu unchanged, %lu skipped "
                    "in %.2f s (%.1f MB, %.2f MB/s)%s",
            c.added, c.replaced, c.unchanged, c.skipped, secs, mb,
            secs > 0 ? mb / secs : 0.0, failed ? "; job stopped\n" : "");
    if (!failed)
      fprintf(stderr, "; index holds %llu articles\n",
              (unsigned long long)total);
  }
  if (failed || interrupted)
    return EXIT_FATAL;
  return (c.skipped || c.failed_inputs) ? EXIT_SKIPPED : EXIT_DONE;
}
