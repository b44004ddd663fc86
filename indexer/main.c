/*
 * cysearch-index — build or update a cysearch index from articles.
 *
 *   cysearch-index --db DIR [options] INPUT...
 *
 * Each input is a file (JSON Lines, a JSON document, a text or HTML news
 * page; plain or gzip-compressed), a directory of them, or "-" for
 * standard input; input.c reads them.  Bad input is reported with file
 * and line, skipped and counted; the rest of the batch goes on.  Work is
 * committed every --commit-every articles and at the end, so an
 * interrupted job keeps everything up to its last commit.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "cysearch/analyze.h"
#include "extract_mode.h"
#include "cysearch/version.h"
#include "cysearch/writer.h"
#include "index_maint.h"
#include "input.h"
#include "job.h"
#include "kev_run.h"
#include "pipeline.h"
#include "removals.h"
#include "segments.h"
#include "shard_hint.h"

/* Exit statuses, documented in the man page and README. */
enum {
  EXIT_DONE = 0,    /* everything indexed */
  EXIT_FATAL = 1,   /* the job stopped early; the index is at its last commit */
  EXIT_USAGE = 2,   /* bad command line */
  EXIT_SKIPPED = 3  /* the job finished, but some input was skipped */
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

static void usage(FILE *f) {
  fprintf(f,
          "Usage: " PROGRAM " --db DIR [OPTION]... INPUT...\n"
          "   or: " PROGRAM " --extract [OPTION]... INPUT...\n"
          "Index articles into the cysearch index DIR, creating it if needed.\n"
          "Each INPUT is a file, a directory (read recursively, in sorted order,\n"
          "skipping hidden files), or - for standard input.  Files may be JSON\n"
          "Lines (.jsonl), JSON (.json: an article object or an array of them),\n"
          "news pages saved as text (.txt) or HTML (.html, .htm), RSS or Atom\n"
          "feeds (.rss, .atom, .xml: one article per item), each possibly\n"
          "gzip-compressed (.gz); the content confirms the format.  An article\n"
          "whose id is already indexed is replaced; an unchanged one is left\n"
          "alone.  Pages get their path (below the directory named) as id.\n"
          "\n"
          "  -d, --db DIR               the index directory (required)\n"
          "  -f, --format FORMAT        read every input as FORMAT: jsonl, json,\n"
          "                             txt, html or feed (default: by name and\n"
          "                             content)\n"
          "      --field FIELD=KEY      read FIELD (id, title, date, source, url,\n"
          "                             body) from JSON key KEY; a.b is a nested\n"
          "                             key; repeatable\n"
          "  -l, --language LANG        stemmer for a new index, or for --extract\n"
          "                             (default english)\n"
          "      --list-languages       print the stemmer languages and exit\n"
          "  -c, --commit-every N       commit after every N articles (default 10000)\n"
          "      --max-article-bytes N  skip JSON Lines lines, text and HTML pages\n"
          "                             longer than N bytes (default 10485760)\n"
          "      --gazetteer FILE       also tag the entities of a MISP galaxy\n"
          "                             cluster file (repeatable; kept in the\n"
          "                             index for later runs and searches)\n"
          "      --check                check the index's consistency (Xapian's\n"
          "                             check) and report; exit 1 if damaged\n"
          "      --delete ID            remove the article with this id (repeatable)\n"
          "      --strict               stop at the first problem, writing nothing\n"
          "                             since the last commit\n"
          "      --compact              compact the index at the end (smaller,\n"
          "                             faster to search)\n"
          "  -j, --threads N            analyse articles on N threads (default:\n"
          "                             one per core); the index is the same\n"
          "                             whatever N\n"
          "      --prune                remove the articles read earlier from\n"
          "                             files that are gone from the directories\n"
          "                             given as INPUTs (a file that is there but\n"
          "                             fails to parse keeps its articles);\n"
          "                             more than half of a directory's\n"
          "                             articles only with --force\n"
          "      --force                let --prune remove more than half of\n"
          "                             the articles read from a directory\n"
          "      --shards N             make a new index DIR a sharded index of\n"
          "                             N ordinary indexes DIR/shard-00 ... and a\n"
          "                             Xapian stub DIR/XAPIANDB listing them; an\n"
          "                             article goes to shard FNV-1a(id) %% N.\n"
          "                             Later runs need no --shards\n"
          "      --shard K              build only shard K (0-based) of the\n"
          "                             sharded index DIR: read all the input,\n"
          "                             keep the articles of shard K, open and\n"
          "                             lock only DIR/shard-KK, so N jobs can\n"
          "                             build the N shards at once, here or on\n"
          "                             several machines.  A new DIR needs\n"
          "                             --shards N.  --delete, --prune, --check,\n"
          "                             --compact and --stats-json act on shard\n"
          "                             K only.  Near-duplicates are found\n"
          "                             within shard K only: run --relink once\n"
          "                             all the shards are together\n"
          "      --relink               recompute every article's near-duplicate\n"
          "                             key across all the shards of DIR (or the\n"
          "                             one index), as if written in docid order,\n"
          "                             on --threads threads; writes only the\n"
          "                             keys that change\n"
          "      --cve-data FILE        mark the articles' CVEs found in CISA's\n"
          "                             Known Exploited Vulnerabilities catalogue\n"
          "                             FILE (its JSON feed) after indexing: the\n"
          "                             filters kev:yes|no, kev-ransomware:known;\n"
          "                             with no INPUT, update the marks of every\n"
          "                             article (terms and values only)\n"
          "      --merge OUT            write one compacted index OUT with every\n"
          "                             article of DIR (sharded or not), after\n"
          "                             indexing the INPUTs if any are given\n"
          "      --stats-json FILE      write counts, errors by kind, seconds and\n"
          "                             throughput as JSON\n"
          "      --extract              print the entities of each article as\n"
          "                             JSON Lines instead of indexing (no --db,\n"
          "                             nor options that act on an index)\n"
          "  -q, --quiet                print only errors\n"
          "  -v, --verbose              also say how each file is read and which\n"
          "                             files are ignored\n"
          "      --progress             print the progress line (articles, MB,\n"
          "                             rate) also when standard error is not\n"
          "                             a terminal, one line a second\n"
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

static void list_languages(void) {
  for (const char **l = cys_analyzer_languages(); *l; l++)
    printf("%s\n", *l);
}

/* The first option given that acts on an index (check: --check was
 * given), for refusing it with --extract; NULL when there is none.
 * --commit-every and --threads are left alone: they change nothing
 * without an index. */
static const char *index_only_option(const job_options *opt, int check) {
  if (opt->ndeletes)
    return "--delete";
  if (opt->compact)
    return "--compact";
  if (check)
    return "--check";
  if (opt->merge)
    return "--merge";
  if (opt->prune)
    return "--prune";
  if (opt->shards)
    return "--shards";
  if (opt->relink)
    return "--relink";
  if (opt->cve_data)
    return "--cve-data";
  return NULL;
}

/* Bytes of a regular file (0 for anything else), for the progress ETA. */
static unsigned long long file_size(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
             ? (unsigned long long)sb.st_size
             : 0;
}

/* Is there an index (plain or sharded) at path? */
static int has_index(const char *path) {
  static const char *const marks[] = {"iamglass", "XAPIANDB"};
  int found = 0;
  for (size_t i = 0; i < sizeof marks / sizeof *marks && !found; i++) {
    char file[4096];
    struct stat sb;
    int n = snprintf(file, sizeof file, "%s/%s", path, marks[i]);
    found = n > 0 && (size_t)n < sizeof file && stat(file, &sb) == 0 &&
            S_ISREG(sb.st_mode);
  }
  return found;
}

/* Nothing at path: no such file, or an empty directory — a mistyped --db
 * rather than an index that lost its files, which --check reports as
 * damaged or not checkable. */
static int nothing_at(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0)
    return errno == ENOENT || errno == ENOTDIR;
  if (!S_ISDIR(sb.st_mode))
    return 0;
  DIR *d = opendir(path);
  if (!d)
    return 0;
  int empty = 1;
  for (struct dirent *e; empty && (e = readdir(d)) != NULL;)
    empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
  closedir(d);
  return empty;
}

/* --relink's progress line, and the way to stop it. */
static int relink_progress(void *ctx, uint64_t examined, uint64_t changed,
                           uint64_t total) {
  job *j = ctx;
  double t = job_now();
  if (j->opt.progress == 1 && t - j->last_progress >= 0.5) {
    j->last_progress = t;
    fprintf(stderr, "\r\033[K" PROGRAM ": relink: %llu of %llu articles, "
                    "%llu keys changed", (unsigned long long)examined,
            (unsigned long long)total, (unsigned long long)changed);
  }
  return job_stopping(j);
}

/* --relink: every collapse key again, over all the shards. */
static int relink(job *j) {
  double t0 = job_now();
  uint64_t examined = 0, changed = 0;
  j->last_progress = 0;
  cys_status st =
      cys_writer_relink(j->writer, j->opt.commit_every, j->opt.threads,
                        relink_progress, j, &examined, &changed);
  if (j->opt.progress == 1 && j->last_progress > 0)
    fputs("\r\033[K", stderr);
  j->count.relinked = examined;
  j->count.keys_changed = changed;
  j->count.relink_seconds = job_now() - t0;
  if (st != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s; the keys changed up to the last commit "
                    "are kept: run --relink again\n",
            cys_writer_errmsg(j->writer));
    return -1;
  }
  if (!j->opt.quiet)
    fprintf(stderr, PROGRAM ": relink: %llu articles examined, %llu "
                    "collapse keys changed in %.2f s%s\n",
            (unsigned long long)examined, (unsigned long long)changed,
            j->count.relink_seconds,
            job_stopping(j) ? " (stopped early: run --relink again)" : "");
  return 0;
}

/* Open the index, with the --gazetteer files; prints why on failure. */
/* --language names a stemmer libstemmer has; 0, or -1 said. */
static int check_language(const char *language) {
  cys_analyzer *probe = NULL;
  cys_status st = language ? cys_analyzer_new(language, &probe) : CYS_OK;
  cys_analyzer_free(probe);
  if (st == CYS_NOT_FOUND)
    fprintf(stderr, PROGRAM ": unknown stemmer language '%s' (" PROGRAM
                    " --list-languages lists them)\n", language);
  else if (st != CYS_OK)
    fprintf(stderr, PROGRAM ": cannot create the analyzer: %s\n",
            cys_status_str(st));
  return st == CYS_OK ? 0 : -1;
}

static int open_writer(job *j) {
  if (check_language(j->opt.language))
    return -1;
  j->writer = cys_writer_new();
  if (!j->writer) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    return -1;
  }
  cys_status st =
      j->opt.shard >= 0
          ? cys_writer_open_shard(j->writer, j->opt.db, j->opt.language,
                                  j->opt.shards, (unsigned)j->opt.shard)
          : cys_writer_open_shards(j->writer, j->opt.db, j->opt.language,
                                   j->opt.shards);
  if (st != CYS_OK) {
    /* The library's message cannot name our options: the hints are ours. */
    const char *hint = shard_hint(j->opt.db, j->opt.shards, j->opt.shard, st);
    fprintf(stderr, PROGRAM ": %s%s%s\n", cys_writer_errmsg(j->writer),
            st == CYS_CORRUPT ? "; cysearch-index --check --db DIR says more"
            : hint            ? "; "
                              : "",
            hint ? hint : "");
    return -1;
  }
  cys_writer_set_interrupt(j->writer, &interrupted);
  j->total_shards = cys_writer_shards(j->writer);
  for (size_t i = 0; i < j->opt.ngazetteers; i++)
    if (cys_writer_load_gazetteer(j->writer, j->opt.gazetteers[i]) !=
        CYS_OK) {
      fprintf(stderr, PROGRAM ": %s\n", cys_writer_errmsg(j->writer));
      return -1;
    }
  return 0;
}

/* Articles per segment on a new index: --commit-every shared among the
 * threads, so that the writers hold no more uncommitted work than one
 * would; at most SEGMENT_MAX, so that even a few thousand articles keep
 * every thread busy and Xapian's buffer of uncommitted postings stays
 * small (news corpus, one thread, two runs: 250 per segment took 13.0
 * and 11.6 s of CPU, 1,000 took 16.5 and 13.7 s), and at least
 * SEGMENT_MIN (a segment costs about 30 ms to make, and all of them are
 * merged at the end). */
#define SEGMENT_MIN 100
#define SEGMENT_MAX 250
static unsigned long segment_size(const job_options *opt) {
  unsigned long n = opt->commit_every / opt->threads;
  return n < SEGMENT_MIN ? SEGMENT_MIN : n > SEGMENT_MAX ? SEGMENT_MAX : n;
}

/* The whole run; main frees what it leaves in the job, whatever the exit. */
static int run(job *j, int argc, char **argv) {
  job_options *opt = &j->opt;
  opt->commit_every = 10000;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  opt->threads = cores > 1 ? (unsigned)(cores > 256 ? 256 : cores) : 1;
  opt->max_article_bytes = 10u << 20;
  json_field_map_default(&opt->fields);
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},
      {"format", required_argument, NULL, 'f'},
      {"field", required_argument, NULL, 'F'},
      {"language", required_argument, NULL, 'l'},
      {"list-languages", no_argument, NULL, 'L'},
      {"commit-every", required_argument, NULL, 'c'},
      {"max-article-bytes", required_argument, NULL, 'M'},
      {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, 'v'},
      {"progress", no_argument, NULL, 'p'},
      {"gazetteer", required_argument, NULL, 'G'},
      {"extract", no_argument, NULL, 'X'},
      {"check", no_argument, NULL, 'K'},
      {"delete", required_argument, NULL, 'D'},
      {"stats-json", required_argument, NULL, 'S'},
      {"strict", no_argument, NULL, 'T'},
      {"compact", no_argument, NULL, 'C'},
      {"shards", required_argument, NULL, 'N'},
      {"threads", required_argument, NULL, 'j'},
      {"prune", no_argument, NULL, 'P'},
      {"force", no_argument, NULL, 'O'},
      {"merge", required_argument, NULL, 'R'},
      {"shard", required_argument, NULL, 'k'},
      {"relink", no_argument, NULL, 'r'},
      {"cve-data", required_argument, NULL, 'E'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  int ch, check_only = 0, progress_log = 0;
  opt->shard = -1;
  unsigned long long n;
  char error[256];
  while ((ch = getopt_long(argc, argv, "d:f:l:c:j:qvhV", longopts, NULL)) !=
         -1) {
    switch (ch) {
    case 'd':
      opt->db = optarg;
      break;
    case 'f':
      opt->format = input_format_named(optarg);
      if (opt->format == INPUT_UNKNOWN) {
        fprintf(stderr,
                PROGRAM ": --format needs jsonl, json, txt, html or feed, "
                        "not '%s'\n",
                optarg);
        return EXIT_USAGE;
      }
      break;
    case 'F':
      if (json_field_map_set(&opt->fields, optarg, error, sizeof error)) {
        fprintf(stderr, PROGRAM ": %s\n", error);
        return EXIT_USAGE;
      }
      break;
    case 'l':
      opt->language = optarg;
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
      opt->commit_every = (unsigned long)n;
      break;
    case 'M':
      if (parse_count(optarg, &n) || n > (1ULL << 30)) {
        fprintf(stderr, PROGRAM ": --max-article-bytes needs a number from 1 "
                        "to 1073741824, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      opt->max_article_bytes = (size_t)n;
      break;
    case 'q':
      opt->quiet = 1;
      opt->verbose = 0;
      break;
    case 'G':
      opt->gazetteers[opt->ngazetteers++] = optarg;
      break;
    case 'X':
      opt->extract = 1;
      break;
    case 'K':
      check_only = 1;
      break;
    case 'D':
      opt->deletes[opt->ndeletes++] = optarg;
      break;
    case 'S':
      opt->stats_json = optarg;
      break;
    case 'T':
      opt->strict = 1;
      break;
    case 'C':
      opt->compact = 1;
      break;
    case 'N':
      if (parse_count(optarg, &n) || n > CYS_MAX_SHARDS) {
        fprintf(stderr, PROGRAM ": --shards needs a number from 1 to %d, "
                        "not '%s'\n", CYS_MAX_SHARDS, optarg);
        return EXIT_USAGE;
      }
      opt->shards = (unsigned)n;
      break;
    case 'R':
      opt->merge = optarg;
      break;
    case 'k':
      /* parse_count refuses 0, the first shard: read "0" apart. */
      if (strcmp(optarg, "0") == 0) {
        opt->shard = 0;
      } else if (parse_count(optarg, &n) || n >= CYS_MAX_SHARDS) {
        fprintf(stderr, PROGRAM ": --shard needs a shard number from 0 to "
                        "%d, not '%s'\n", CYS_MAX_SHARDS - 1, optarg);
        return EXIT_USAGE;
      } else {
        opt->shard = (int)n;
      }
      break;
    case 'r':
      opt->relink = 1;
      break;
    case 'E':
      opt->cve_data = optarg;
      break;
    case 'P':
      opt->prune = 1;
      break;
    case 'O':
      opt->force = 1;
      break;
    case 'j':
      if (parse_count(optarg, &n) || n > 256) {
        fprintf(stderr, PROGRAM ": --threads needs a number from 1 to 256, "
                        "not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      opt->threads = (unsigned)n;
      break;
    case 'p':
      progress_log = 1;
      break;
    case 'v':
      opt->verbose = 1;
      opt->quiet = 0;
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
  if (opt->shard >= 0 && (opt->extract || opt->merge || opt->relink)) {
    fprintf(stderr, PROGRAM ": --shard K builds one shard: --merge and "
                    "--relink need every shard (run them without --shard "
                    "where all the shards are), --extract no index\n");
    return EXIT_USAGE;
  }
  if (opt->shard >= 0 && opt->shards &&
      (opt->shards < 2 || (unsigned)opt->shard >= opt->shards)) {
    fprintf(stderr, PROGRAM ": --shard %d --shards %u: shards are numbered "
                    "0 to N-1 of N >= 2 shards\n", opt->shard, opt->shards);
    return EXIT_USAGE;
  }
  const char *needs_index = index_only_option(opt, check_only);
  if (opt->extract && needs_index) {
    fprintf(stderr, PROGRAM ": %s needs an index (--db DIR), and --extract "
                    "writes none: leave out one or the other\n",
            needs_index);
    return EXIT_USAGE;
  }
  if (check_only) {
    if (!opt->db) {
      fprintf(stderr, PROGRAM ": --check needs --db DIR\n");
      return EXIT_USAGE;
    }
    if (nothing_at(opt->db)) {
      fprintf(stderr, PROGRAM ": --check: there is no index at '%s': check "
                      "--db\n", opt->db);
      return EXIT_USAGE;
    }
    return index_check(opt->db, opt->shard) ? EXIT_FATAL : EXIT_DONE;
  }
  if (!opt->db && !opt->extract) {
    fprintf(stderr, PROGRAM ": --db DIR is required (or --extract)\n"
                    "Try '" PROGRAM " --help' for more information.\n");
    return EXIT_USAGE;
  }
  if (opt->db && opt->extract) {
    fprintf(stderr, PROGRAM ": --extract writes no index: leave out --db\n");
    return EXIT_USAGE;
  }
  if (optind >= argc && !opt->ndeletes && !opt->compact && !opt->relink &&
      !opt->cve_data && opt->merge) {
    /* Only merging: the index is read, not opened for writing. */
    return index_merge(opt->db, opt->merge) ? EXIT_FATAL : EXIT_DONE;
  }
  if (optind >= argc && !opt->ndeletes && !opt->compact && !opt->relink &&
      !opt->cve_data) {
    fprintf(stderr, PROGRAM ": no input given (name files or directories, "
                    "or - for standard input)\n");
    return EXIT_USAGE;
  }
  if (opt->force && !opt->prune) {
    fprintf(stderr, PROGRAM ": --force only applies to --prune\n");
    return EXIT_USAGE;
  }
  if ((optind >= argc || opt->prune) && !has_index(opt->db)) {
    /* Only maintenance, or pruning, which has nothing to prune in a new
     * index: a mistyped --db must not make an empty index. */
    fprintf(stderr, PROGRAM ": %s: there is no index at '%s': check --db "
                    "(nothing was created)\n",
            opt->prune ? "--prune" : opt->ndeletes ? "--delete"
                                   : opt->compact  ? "--compact"
                                   : opt->relink   ? "--relink"
                                                   : "--cve-data",
            opt->db);
    return EXIT_USAGE;
  }
  /* A bad catalogue stops the run before anything is written. */
  if (opt->cve_data && !(j->kev = kev_run_load(opt->cve_data)))
    return EXIT_FATAL;

  if (opt->extract) {
    j->extractor =
        extract_mode_new(opt->language, opt->gazetteers, opt->ngazetteers);
    if (!j->extractor)
      return EXIT_FATAL;
    extract_mode_set_interrupt(j->extractor, &interrupted);
  } else if (open_writer(j) != 0) {
    return EXIT_FATAL;
  } else if (segments_apply(j)) {
    if (!(j->segments = segments_new(j, segment_size(opt))))
      return EXIT_FATAL;
    job_note(j, "a new index: writing on %u thread%s, %lu articles per "
                "segment, merged at the end", opt->threads,
             opt->threads == 1 ? "" : "s", segment_size(opt));
  } else if (opt->threads > 1 &&
             !(j->pipeline = pipeline_new(j->writer, opt->threads,
                                          4 * opt->threads))) {
    fprintf(stderr, PROGRAM ": cannot start %u analysis threads (out of "
                    "memory?); try --threads 1\n", opt->threads);
    return EXIT_FATAL;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  j->interrupted = &interrupted;

  double t0 = now();
  j->started = job_now();
  opt->progress = opt->quiet || opt->extract ? 0
                  : progress_log                ? 2
                                                : isatty(STDERR_FILENO) != 0;
  for (int i = optind; i < argc; i++)
    j->total_bytes += file_size(argv[i]);
  int failed = delete_articles(j) < 0;
  for (int i = optind; i < argc && !failed && !job_stopping(j); i++)
    failed = input_index(j, argv[i]) < 0;
  if ((!failed && job_flush(j) < 0) || j->pipeline_failed)
    failed = 1;
  pipeline_free(j->pipeline);
  j->pipeline = NULL;
  if (j->segments && !failed && !job_stopping(j))
    failed = segments_finish(j->segments) < 0 || open_writer(j) < 0 ||
             segments_resume_run(j->segments, j->writer) < 0;
  segments_free(j->segments);
  j->segments = NULL;
  int prune_refused = 0;
  if (!failed && opt->prune && !job_stopping(j)) {
    int rc = prune_directories(j, argv + optind, argc - optind);
    failed = rc < 0;
    prune_refused = rc > 0;
  }
  if (opt->progress == 1 && j->last_progress > 0)
    fputs("\r\033[K", stderr);
  if (j->strict_stop) {
    fprintf(stderr, PROGRAM ": --strict: stopped at the first problem; "
                    "nothing since the last commit was written\n");
    failed = 1;
  } else if (!failed && job_commit(j, !job_stopping(j)) < 0) {
    failed = 1;
  }
  if (prune_refused)
    failed = 1; /* after the commit: what was indexed is kept */
  if (!failed && opt->relink && !job_stopping(j))
    failed = relink(j) < 0;
  if (!failed && j->kev && !job_stopping(j))
    failed = kev_run_mark(j->writer, j->kev, opt->cve_data, opt->quiet) < 0;
  double secs = now() - t0;
  uint64_t total = 0;
  if (!failed && j->writer)
    cys_writer_doccount(j->writer, &total);
  if (j->writer) {
    j->run = (unsigned long long)cys_writer_run(j->writer);
    j->run_recorded = cys_writer_run_recorded(j->writer);
    snprintf(j->run_started, sizeof j->run_started, "%s",
             cys_writer_run_started(j->writer));
  }
  /* --compact while the writer still holds the write locks (it frees the
   * writer), and not after an interruption. */
  if (!failed && opt->compact && !job_stopping(j) &&
      index_compact_locked(opt->db, opt->shard, &j->writer) < 0)
    failed = 1;
  cys_writer_free(j->writer); /* drops anything uncommitted after a failure */
  j->writer = NULL;
  if (!failed && opt->merge && index_merge(opt->db, opt->merge) < 0)
    failed = 1;
  if (opt->stats_json &&
      job_write_stats(j, secs, opt->db ? index_bytes(opt->db, opt->shard)
                                       : 0) < 0)
    failed = 1;

  if (interrupted)
    fprintf(stderr, PROGRAM ": interrupted; work up to the last commit is "
                    "kept\n");
  if (opt->extract && (!opt->quiet || failed)) {
    fprintf(stderr,
            PROGRAM ": entities of %lu articles printed, %lu skipped in "
                    "%.2f s; %lu files read, %lu ignored; no index written\n",
            j->count.added, j->count.skipped, secs, j->count.files,
            j->count.ignored);
  } else if (!opt->quiet || failed) {
    const job_counts *c = &j->count;
    double mb = (double)c->bytes / 1e6;
    fprintf(stderr,
            PROGRAM ": %lu added, %lu replaced, %lu unchanged, %lu deleted, "
                    "%lu skipped in %.2f s (%.1f MB, %.2f MB/s); %lu files "
                    "read, %lu ignored",
            c->added, c->replaced, c->unchanged, c->deleted, c->skipped, secs,
            mb,
            secs > 0 ? mb / secs : 0.0, c->files, c->ignored);
    if (opt->shard >= 0)
      fprintf(stderr, "; %lu articles left to the other shards' jobs",
              c->other_shards);
    unsigned long lost = failed ? job_uncommitted(j) : 0;
    if (failed && lost)
      fprintf(stderr, "; job stopped: %lu of those changes came after the "
                      "last commit and were not written\n", lost);
    else if (failed)
      fputs("; job stopped\n", stderr);
    if (!failed && opt->shard >= 0)
      fprintf(stderr, "; shard %d holds %llu articles", opt->shard,
              (unsigned long long)total);
    else if (!failed)
      fprintf(stderr, "; index holds %llu articles",
              (unsigned long long)total);
    if (!failed && j->run_recorded)
      fprintf(stderr, "; run %llu\n", j->run);
    else if (!failed)
      fputs("; nothing changed: no run recorded\n", stderr);
  }
  if (failed || interrupted)
    return EXIT_FATAL;
  return j->count.skipped ? EXIT_SKIPPED : EXIT_DONE;
}

/* When Xapian ends the process in a failed commit (cys_on_abort):
 * say what happened, remove the segments' build directory, exit 1. */
static void on_xapian_abort(const char *what, void *ctx) {
  job *j = ctx;
  fprintf(stderr, PROGRAM ": commit failed: %s; Xapian cannot go on after "
                  "this error, so the job stops here and the index is as of "
                  "its last commit (is the disk full?)\n", what);
  segments_abandon(j->segments);
  _exit(EXIT_FATAL);
}

int main(int argc, char **argv) {
  job j;
  memset(&j, 0, sizeof j);
  cys_on_abort(on_xapian_abort, &j);
  /* --gazetteer and --delete values: at most one per argument. */
  j.opt.gazetteers = calloc((size_t)argc, sizeof *j.opt.gazetteers);
  j.opt.deletes = calloc((size_t)argc, sizeof *j.opt.deletes);
  int status = EXIT_FATAL;
  if (j.opt.gazetteers && j.opt.deletes)
    status = run(&j, argc, argv);
  else
    fprintf(stderr, PROGRAM ": out of memory\n");
  pipeline_free(j.pipeline);
  segments_free(j.segments);
  cys_writer_free(j.writer); /* an open writer here is one that failed */
  extract_mode_free(j.extractor);
  cys_kev_catalogue_free(j.kev);
  free(j.opt.gazetteers);
  free(j.opt.deletes);
  return status;
}
