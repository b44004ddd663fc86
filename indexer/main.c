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
#include "cysearch/db.h"
#include "extract_mode.h"
#include "cysearch/version.h"
#include "cysearch/writer.h"
#include "input.h"
#include "job.h"

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
          "news pages saved as text (.txt) or HTML (.html, .htm), each possibly\n"
          "gzip-compressed (.gz); the content confirms the format.  An article\n"
          "whose id is already indexed is replaced; an unchanged one is left\n"
          "alone.  Pages get their path (below the directory named) as id.\n"
          "\n"
          "  -d, --db DIR               the index directory (required)\n"
          "  -f, --format FORMAT        read every input as FORMAT: jsonl, json,\n"
          "                             txt or html (default: by name and content)\n"
          "      --field FIELD=KEY      read FIELD (id, title, date, source, url,\n"
          "                             body) from JSON key KEY; a.b is a nested\n"
          "                             key; repeatable\n"
          "  -l, --language LANG        stemmer for a new index (default english)\n"
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
          "      --stats-json FILE      write counts, errors by kind, seconds and\n"
          "                             throughput as JSON\n"
          "      --extract              print the entities of each article as\n"
          "                             JSON Lines instead of indexing (no --db)\n"
          "  -q, --quiet                print only errors\n"
          "  -v, --verbose              also say how each file is read and which\n"
          "                             files are ignored\n"
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

/* Bytes of a regular file (0 for anything else), for the progress ETA. */
static unsigned long long file_size(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
             ? (unsigned long long)sb.st_size
             : 0;
}

/* Bytes of the files directly in a directory (an index). */
static unsigned long long dir_bytes(const char *path) {
  unsigned long long total = 0;
  DIR *d = opendir(path);
  if (!d)
    return 0;
  struct dirent *e;
  char file[4096];
  while ((e = readdir(d)) != NULL) {
    int n = snprintf(file, sizeof file, "%s/%s", path, e->d_name);
    if (n > 0 && (size_t)n < sizeof file)
      total += file_size(file);
  }
  closedir(d);
  return total;
}

/* --delete: remove articles by id before reading the inputs. */
static int delete_articles(job *j) {
  for (size_t i = 0; i < j->opt.ndeletes; i++) {
    cys_status st = cys_writer_delete(j->writer, j->opt.deletes[i]);
    if (st == CYS_NOT_FOUND) {
      job_warn(j, "--delete: no article with id '%s'", j->opt.deletes[i]);
    } else if (st != CYS_OK) {
      fprintf(stderr, PROGRAM ": %s\n", cys_writer_errmsg(j->writer));
      return -1;
    } else {
      j->count.deleted++;
      j->since_commit++;
    }
  }
  return 0;
}

/* Remove an index directory (Xapian's files are all directly in it). */
static int remove_index_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return -1;
  struct dirent *e;
  char file[4096];
  int rc = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    int n = snprintf(file, sizeof file, "%s/%s", path, e->d_name);
    if (n < 0 || (size_t)n >= sizeof file || unlink(file) != 0)
      rc = -1;
  }
  closedir(d);
  return rmdir(path) != 0 ? -1 : rc;
}

/* --compact: compact DIR into a new directory beside it, then swap the two
 * (a rename each, so readers see either the old or the new index). */
static int compact_index(const char *db) {
  char tmp[4096], old[4096];
  snprintf(tmp, sizeof tmp, "%s.compact-%ld", db, (long)getpid());
  snprintf(old, sizeof old, "%s.old-%ld", db, (long)getpid());
  char *error = NULL;
  if (cys_db_compact(db, tmp, &error) != CYS_OK) {
    fprintf(stderr, PROGRAM ": --compact: %s; the index is unchanged\n",
            error ? error : "failed");
    free(error);
    return -1;
  }
  if (rename(db, old) != 0 || rename(tmp, db) != 0) {
    fprintf(stderr, PROGRAM ": --compact: cannot swap '%s' and '%s': %s\n",
            tmp, db, strerror(errno));
    return -1;
  }
  if (remove_index_dir(old) != 0)
    fprintf(stderr, PROGRAM ": --compact: could not remove '%s': %s\n", old,
            strerror(errno));
  return 0;
}

/* --check: Xapian's consistency check of the index, reported. */
static int check_index(const char *db) {
  if (!db) {
    fprintf(stderr, PROGRAM ": --check needs --db DIR\n");
    return EXIT_USAGE;
  }
  char *report = NULL;
  cys_status st = cys_db_check(db, &report);
  if (report && !(st == CYS_OK && !isatty(STDOUT_FILENO)))
    fputs(report, st == CYS_OK ? stdout : stderr);
  free(report);
  if (st == CYS_OK) {
    printf(PROGRAM ": index '%s' is sound\n", db);
    return EXIT_DONE;
  }
  fprintf(stderr, PROGRAM ": index '%s' %s\n", db,
          st == CYS_CORRUPT ? "is damaged (see above): rebuild it, or restore "
                              "a copy"
                            : "could not be checked");
  return EXIT_FATAL;
}

/* Open the index, with the --gazetteer files; prints why on failure. */
static int open_writer(job *j) {
  j->writer = cys_writer_new();
  if (!j->writer) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    return -1;
  }
  if (cys_writer_open(j->writer, j->opt.db, j->opt.language) != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", cys_writer_errmsg(j->writer));
    return -1;
  }
  for (size_t i = 0; i < j->opt.ngazetteers; i++)
    if (cys_writer_load_gazetteer(j->writer, j->opt.gazetteers[i]) !=
        CYS_OK) {
      fprintf(stderr, PROGRAM ": %s\n", cys_writer_errmsg(j->writer));
      return -1;
    }
  return 0;
}

/* The whole run; main frees what it leaves in the job, whatever the exit. */
static int run(job *j, int argc, char **argv) {
  job_options *opt = &j->opt;
  opt->commit_every = 10000;
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
      {"gazetteer", required_argument, NULL, 'G'},
      {"extract", no_argument, NULL, 'X'},
      {"check", no_argument, NULL, 'K'},
      {"delete", required_argument, NULL, 'D'},
      {"stats-json", required_argument, NULL, 'S'},
      {"strict", no_argument, NULL, 'T'},
      {"compact", no_argument, NULL, 'C'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  int ch, check_only = 0;
  unsigned long long n;
  char error[256];
  while ((ch = getopt_long(argc, argv, "d:f:l:c:qvhV", longopts, NULL)) !=
         -1) {
    switch (ch) {
    case 'd':
      opt->db = optarg;
      break;
    case 'f':
      opt->format = input_format_named(optarg);
      if (opt->format == INPUT_UNKNOWN) {
        fprintf(stderr, PROGRAM ": --format needs jsonl, json, txt or html, "
                        "not '%s'\n", optarg);
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
  if (check_only)
    return check_index(opt->db);
  if (!opt->db && !opt->extract) {
    fprintf(stderr, PROGRAM ": --db DIR is required (or --extract)\n"
                    "Try '" PROGRAM " --help' for more information.\n");
    return EXIT_USAGE;
  }
  if (opt->db && opt->extract) {
    fprintf(stderr, PROGRAM ": --extract writes no index: leave out --db\n");
    return EXIT_USAGE;
  }
  if (optind >= argc && !opt->ndeletes && !opt->compact) {
    fprintf(stderr, PROGRAM ": no input given (name files or directories, "
                    "or - for standard input)\n");
    return EXIT_USAGE;
  }

  if (opt->extract) {
    j->extractor = extract_mode_new(opt->gazetteers, opt->ngazetteers);
    if (!j->extractor)
      return EXIT_FATAL;
  } else if (open_writer(j) != 0) {
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
  opt->progress = !opt->quiet && !opt->extract && isatty(STDERR_FILENO);
  for (int i = optind; i < argc; i++)
    j->total_bytes += file_size(argv[i]);
  int failed = delete_articles(j) < 0;
  for (int i = optind; i < argc && !failed && !job_stopping(j); i++)
    failed = input_index(j, argv[i]) < 0;
  if (opt->progress && j->last_progress > 0)
    fputs("\r\033[K", stderr);
  if (j->strict_stop) {
    fprintf(stderr, PROGRAM ": --strict: stopped at the first problem; "
                    "nothing since the last commit was written\n");
    failed = 1;
  } else if (!failed && job_commit(j) < 0) {
    failed = 1;
  }
  double secs = now() - t0;
  uint64_t total = 0;
  if (!failed && j->writer)
    cys_writer_doccount(j->writer, &total);
  cys_writer_free(j->writer); /* drops anything uncommitted after a failure */
  j->writer = NULL;
  if (!failed && opt->compact && compact_index(opt->db) < 0)
    failed = 1;
  if (opt->stats_json &&
      job_write_stats(j, secs, opt->db ? dir_bytes(opt->db) : 0) < 0)
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
                    "read, %lu ignored%s",
            c->added, c->replaced, c->unchanged, c->deleted, c->skipped, secs,
            mb,
            secs > 0 ? mb / secs : 0.0, c->files, c->ignored,
            failed ? "; job stopped\n" : "");
    if (!failed)
      fprintf(stderr, "; index holds %llu articles\n",
              (unsigned long long)total);
  }
  if (failed || interrupted)
    return EXIT_FATAL;
  return j->count.skipped ? EXIT_SKIPPED : EXIT_DONE;
}

int main(int argc, char **argv) {
  job j;
  memset(&j, 0, sizeof j);
  /* --gazetteer and --delete values: at most one per argument. */
  j.opt.gazetteers = calloc((size_t)argc, sizeof *j.opt.gazetteers);
  j.opt.deletes = calloc((size_t)argc, sizeof *j.opt.deletes);
  int status = EXIT_FATAL;
  if (j.opt.gazetteers && j.opt.deletes)
    status = run(&j, argc, argv);
  else
    fprintf(stderr, PROGRAM ": out of memory\n");
  cys_writer_free(j.writer); /* an open writer here is one that failed */
  extract_mode_free(j.extractor);
  free(j.opt.gazetteers);
  free(j.opt.deletes);
  return status;
}
