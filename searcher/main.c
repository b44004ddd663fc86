/*
 * cysearch — search a cysearch index from the command line.
 *
 *   cysearch --db DIR [options] QUERY...
 *   cysearch --db DIR [options] --queries FILE
 *   cysearch --db DIR [options] --like ID [QUERY...]
 *   cysearch --db DIR --watch FILE [--state FILE]      (watch.c)
 *
 * Exit status: 0 when the search ran (with or without hits), 2 for a usage
 * error, 1 for any other error, with a one-line message on stderr; with
 * --watch, 0 new stories, 3 nothing new (watch.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cysearch/search.h"
#include "cysearch/version.h"
#include "output.h"
#include "output_stix.h"
#include "output_timeline.h"
#include "query_file.h"
#include "term_text.h"
#include "watch.h"

#define PROGRAM "cysearch"
#define MAX_LIMIT 10000u
#define MAX_DBS 256
#define MAX_FILTERS 64

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

typedef struct options {
  const char *dbs[MAX_DBS]; /* --db, in order */
  size_t ndbs;
  cys_open_options open;
  const char *queries;
  output_format format;
  int color;
  cys_search_options search;
  cys_filter filters[MAX_FILTERS]; /* --filter, pointing into argv */
  const cys_gazetteer *gazetteer;  /* --format stix: the searcher's */
  watch_options watch;             /* --watch, --state */
} options;

static void usage(FILE *f) {
  cys_open_options defaults;
  cys_open_options_init(&defaults);
  fprintf(f,
      "Usage: " PROGRAM " --db DIR [OPTION]... QUERY...\n"
      "   or: " PROGRAM " --db DIR [OPTION]... --queries FILE\n"
      "   or: " PROGRAM " --db DIR [OPTION]... --like ID [QUERY]...\n"
      "   or: " PROGRAM " --db DIR --watch FILE [--state FILE] [--format json]\n"
      "Search the cysearch index DIR and print the best-ranked articles.\n"
      "\n"
      "  -d, --db INDEX        the index (required): a directory, a stub file\n"
      "                        listing shards, or HOST:PORT of xapian-tcpsrv;\n"
      "                        repeat it to search several as one\n"
      "      --timeout SECONDS how long a remote shard may take to answer\n"
      "                        (default %.0f; 0: no limit)\n"
      "      --connect-timeout SECONDS\n"
      "                        how long connecting to one may take (default %.0f)\n"
      "      --allow-partial   when shards cannot be reached, search the others\n"
      "                        and say so (warning; \"partial\": true in JSON)\n"
      "  -n, --limit N         hits to show (default 10, at most 10000)\n"
      "  -o, --offset N        hits to skip first, for paging (default 0)\n"
      "  -f, --format FORMAT   text (default), json, trec, stix (a STIX 2.1\n"
      "                        bundle; one a line with --queries), or csv\n"
      "                        (the hits; the timeline with --timeline)\n"
      "  -Q, --queries FILE    run every line of FILE as a query, in one\n"
      "                        process: 'QID<TAB>QUERY' or just 'QUERY'\n"
      "                        (numbered from 1); - reads standard input\n"
      "      --no-snippets     leave snippets out (faster)\n"
      "      --facets LIST     count the values of these facets over the\n"
      "                        first %u matches and the best (all with\n"
      "                        --exact): country,agency,actor,cve,malware,\n"
      "                        vendor,source,year,kev,kev-ransomware, or all\n"
      "      --exact           count every match: an exact total (not\n"
      "                        \"About N\"), exact facets and copies\n"
      "      --facet-limit N   values shown per facet (default 10)\n"
      "      --timeline UNIT   count the stories of all matches per day, week\n"
      "                        (ISO), month or year (or auto); with --facets\n"
      "                        FACET, one series per top value of it\n"
      "      --k1 X            BM25 term-frequency saturation (default %.2f)\n"
      "      --b X             BM25 length normalisation, 0..1 (default %.2f)\n"
      "      --title-weight X  extra weight of title matches (default %.2f)\n"
      "      --feedback N      EXPERIMENTAL pseudo-relevance feedback: re-rank\n"
      "                        with the N stems that best tell the top hit\n"
      "                        apart (default %u: off; 20 was the best value;\n"
      "                        it did not help on held-out queries and\n"
      "                        doubles the match time)\n"
      "  -s, --sort ORDER      relevance (default); date: newest first, then\n"
      "                        relevance; oldest: oldest first; recent:\n"
      "                        relevance plus a freshness bonus that halves\n"
      "                        every --half-life days before the index's\n"
      "                        newest article\n"
      "      --half-life DAYS  for --sort recent (default %.0f)\n"
      "      --no-collapse     show near-duplicate articles (syndicated\n"
      "                        copies of a story) instead of one hit per\n"
      "                        story marked (+N similar)\n"
      "      --filter FIELD:VALUE\n"
      "                        only articles with this filter, whatever the\n"
      "                        query says (repeatable; one FIELD's values are\n"
      "                        alternatives): the query language's filter\n"
      "                        fields, VALUE taken whole, e.g. --filter\n"
      "                        'actor:Fancy Bear' --filter after:2020\n"
      "      --watch FILE      print only the stories new since the last run\n"
      "                        of the saved searches in FILE ('NAME<TAB>QUERY'\n"
      "                        lines), one per story; --format json: JSON\n"
      "                        Lines.  Exit status 0 new stories, 3 none\n"
      "      --state FILE      where --watch keeps what it has seen (default:\n"
      "                        the watch FILE with .state added)\n"
      "      --like ID         articles like the one with this id; a QUERY\n"
      "                        is optional and narrows them (filters, words)\n"
      "      --explain         show what each hit's score is made of\n"
      "      --time-limit SECONDS\n"
      "                        stop matching after this long (totals then\n"
      "                        become estimates; default: no limit)\n"
      "      --no-suggest      no \"Did you mean\" spelling suggestion\n"
      "      --color WHEN      highlight matches: auto (default), always, never\n"
      "  -h, --help            show this help and exit\n"
      "  -V, --version         show the version and exit\n"
      "\n"
      "Query syntax: words (ranked, matched by stem), \"an exact phrase\",\n"
      "=word (exact form), +word (required), -word (excluded), title:word;\n"
      "filters: country:CN agency:NSA actor:\"Fancy Bear\" cve:CVE-2021-44228\n"
      "malware: vendor: source: actor-country:RU year:2021\n"
      "date:2023-05..2023-12 after:2020 before:2022 (-country:US excludes);\n"
      "runs: indexed:7.. changed:7 added-since:2026-12-01.\n"
      "\n"
      "Exit status: 0 search done (with or without hits), 1 error, 2 usage\n"
      "(including a filter value that names nothing known, or a --like id\n"
      "that is not in the index).\n",
      defaults.timeout, defaults.connect_timeout, CYS_DEFAULT_FACET_SAMPLE,
      CYS_DEFAULT_BM25_K1,
      CYS_DEFAULT_BM25_B, CYS_DEFAULT_TITLE_WEIGHT,
      CYS_DEFAULT_FEEDBACK_TERMS, CYS_DEFAULT_HALF_LIFE_DAYS);
}

static int parse_size(const char *s, unsigned long max, size_t *out) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || end == s || *end || *s == '-' || v > max)
    return -1;
  *out = v;
  return 0;
}

static int parse_double(const char *s, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= lo && v <= hi))
    return -1;
  *out = v;
  return 0;
}

/* --format stix writes articles and entities: what has no place in a
 * bundle is refused rather than silently dropped.  Returns 1 when
 * refused. */
static int stix_refusal(const options *opt) {
  const char *what = opt->search.facets    ? "--facets"
                     : opt->search.explain ? "--explain"
                                           : NULL;
  if (opt->format != FORMAT_STIX || !what)
    return 0;
  fprintf(stderr, PROGRAM ": %s cannot be written as STIX (a bundle holds "
                  "the articles and their entities); use --format json\n",
          what);
  return 1;
}

/* --watch runs the saved searches of its file, as text or JSON Lines:
 * a query, --queries, --like or another format is refused, and --state
 * needs --watch.  Returns 1 when refused. */
static int watch_refusal(const options *opt, int nwords) {
  const char *what = !opt->watch.file ? NULL
                     : nwords         ? "a QUERY"
                     : opt->queries   ? "--queries"
                     : opt->search.like ? "--like"
                     : opt->format != FORMAT_TEXT && opt->format != FORMAT_JSON
                         ? "--format trec, stix or csv"
                         : NULL;
  if (opt->watch.state && !opt->watch.file) {
    fprintf(stderr, PROGRAM ": --state needs --watch FILE\n");
    return 1;
  }
  if (!what)
    return 0;
  fprintf(stderr, PROGRAM ": --watch runs the saved searches of its file: "
                  "leave out %s (put it in the file as NAME<TAB>QUERY)\n",
          what);
  return 1;
}

/* --timeline: what it can be written as, and the facet of its series
 * (the one facet of --facets); JSON facets carry first and last dates.
 * Returns 1 after a usage error. */
static int timeline_setup(options *opt) {
  unsigned facets = opt->search.facets;
  opt->search.facet_dates = opt->format == FORMAT_JSON;
  if (opt->search.timeline == CYS_TIMELINE_NONE)
    return 0;
  opt->search.exact_total = CYS_COUNT_ALL; /* a timeline counts them all */
  const char *refused = opt->format == FORMAT_TREC   ? "a TREC run"
                        : opt->format == FORMAT_STIX ? "STIX"
                        : opt->format == FORMAT_CSV && opt->queries
                            ? "CSV for a batch (one table per query)"
                            : NULL;
  if (refused) {
    fprintf(stderr, PROGRAM ": --timeline cannot be written as %s; use "
                    "--format text, json or csv\n", refused);
    return 1;
  }
  if (facets & (facets - 1)) {
    fprintf(stderr, PROGRAM ": --timeline splits by one facet at most; give "
                    "--facets one name (e.g. --facets actor)\n");
    return 1;
  }
  for (int f = 0; facets && f < CYS_FACETS; f++)
    if (facets == 1u << f)
      opt->search.timeline_facet = f;
  return 0;
}

/* After a failure about the index (not found, damaged): the program that
 * helps, which the library's message does not name. */
static const char *index_hint(cys_status st) {
  if (st == CYS_NOT_FOUND)
    return "; make an index with cysearch-index --db PATH";
  if (st == CYS_CORRUPT)
    return "; check it with cysearch-index --check --db PATH";
  return "";
}

/* Report a failed query: on stderr (naming its QID in batch mode; hint,
 * "" or index_hint's, after the message), and in batch JSON output as an
 * object of its own in the place of its results. */
static void report_failure(const options *opt, const output_opts *out,
                           const char *message, const char *hint) {
  fputs(PROGRAM ": ", stderr);
  if (opt->queries)
    fprintf(stderr, "query %s: ", out->qid);
  term_puts(stderr, message);
  fputs(hint, stderr);
  fputc('\n', stderr);
  if (opt->queries && opt->format == FORMAT_JSON)
    output_json_error(stdout, out, message);
  else if (opt->queries && opt->format == FORMAT_TEXT)
    fputs("(failed; see the error above)\n", stdout);
}

/* Run one query and print it.  Returns 0; -1 after printing an error
 * about the index, which ends a batch; -2 for a query that is wrong (a
 * usage error); -3 for one that ran out of time (only it failed). */
static int run_query(cys_searcher *s, const options *opt, const char *qid,
                     const char *query) {
  cys_results *r = NULL;
  output_opts out = {.qid = qid, .query = query, .like = opt->search.like,
                     .facets = opt->search.facets, .color = opt->color,
                     .filters = opt->search.filters,
                     .nfilters = opt->search.nfilters};
  cys_status st = cys_search(s, query, &opt->search, &r);
  if (st != CYS_OK) {
    report_failure(opt, &out, cys_searcher_errmsg(s),
                   st == CYS_CORRUPT ? index_hint(st) : "");
    if (st == CYS_BAD_QUERY || (st == CYS_NOT_FOUND && opt->search.like))
      return -2;
    return st == CYS_TIMEOUT ? -3 : -1;
  }
  int rc;
  switch (opt->format) {
  case FORMAT_JSON:
    rc = output_json(stdout, &out, r);
    break;
  case FORMAT_TREC:
    if (r->warning)
      fprintf(stderr, PROGRAM ": query %s: note: %s\n", qid ? qid : "1",
              r->warning);
    rc = output_trec(stdout, qid, r);
    break;
  case FORMAT_STIX:
    rc = output_stix(stdout, r, opt->gazetteer, opt->queries != NULL);
    break;
  case FORMAT_CSV:
    rc = r->timeline ? output_timeline_csv(stdout, r->timeline)
                     : output_hits_csv(stdout, qid, r, !opt->queries);
    break;
  default:
    rc = output_text(stdout, &out, r);
    break;
  }
  cys_results_free(r);
  if (rc < 0)
    fprintf(stderr, PROGRAM ": cannot write results: %s\n", strerror(errno));
  return rc;
}

/* The batch mode: one query per line (query_file.h). */
static int run_batch(cys_searcher *s, const options *opt) {
  query_file *f = query_file_open(opt->queries);
  if (!f) {
    fprintf(stderr, PROGRAM ": cannot open query file '%s': %s\n",
            opt->queries, strerror(errno));
    return EXIT_ERROR;
  }
  char *line;
  size_t n;
  unsigned long number = 0;
  int status = EXIT_OK;
  query_read got;
  if (opt->format == FORMAT_CSV) /* one table for the whole batch */
    output_hits_csv(stdout, NULL, NULL, 1);
  while ((got = query_file_next(f, &line, &n)) != QUERY_END) {
    unsigned long lineno = query_file_lineno(f);
    if (got == QUERY_ERROR) {
      fprintf(stderr, PROGRAM ": error reading '%s': %s\n", opt->queries,
              strerror(errno));
      status = EXIT_ERROR;
      break;
    }
    if (got == QUERY_BINARY) {
      fprintf(stderr,
              PROGRAM ": %s:%lu: binary data (a control character), not a "
                      "file of queries; stopped\n",
              opt->queries, lineno);
      status = EXIT_ERROR;
      break;
    }
    if (got == QUERY_TOO_LONG) {
      fprintf(stderr, PROGRAM ": %s:%lu: query longer than %u bytes; skipped\n",
              opt->queries, lineno, QUERY_FILE_MAX_LINE);
      status = EXIT_ERROR;
      continue;
    }
    while (n > 0 && line[n - 1] == '\r')
      line[--n] = '\0';
    if (n == 0)
      continue;
    char numbered[32];
    const char *qid, *query;
    char *tab = strchr(line, '\t');
    if (tab) {
      *tab = '\0';
      qid = line;
      query = tab + 1;
    } else {
      snprintf(numbered, sizeof numbered, "%lu", ++number);
      qid = numbered;
      query = line;
    }
    if (opt->format == FORMAT_TEXT)
      printf("%s[%s] ", lineno > 1 ? "\n" : "", qid);
    int rc = run_query(s, opt, qid, query);
    if (rc < 0)
      status = EXIT_ERROR;
    if (rc == -1)
      break; /* the index failed; a bad or slow query spoils only itself */
  }
  query_file_close(f);
  return status;
}

/* Warn about shards left out, and refuse what the index cannot do (over
 * remote shards; cys_search would refuse it too, once per query).
 * Returns 1 when refused. */
static int remote_refusal(cys_searcher *s, const options *opt) {
  for (size_t i = 0; i < cys_searcher_unavailable_count(s); i++) {
    const char *why = "";
    const char *name = cys_searcher_unavailable(s, i, &why);
    fprintf(stderr, PROGRAM ": warning: shard '%s' is unavailable, results "
                    "are partial: %s\n", name, why);
  }
  if (cys_searcher_check_options(s, &opt->search) == CYS_OK)
    return 0;
  fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
  return 1;
}

/* "country,actor,year" (or "all") to facet bits.  Empty items, as in
 * "country," or ",country", are passed over; a list of none is refused. */
static int parse_facets(const char *list, unsigned *out) {
  unsigned bits = 0;
  const char *p = list;
  if (strcmp(list, "all") == 0) {
    *out = (1u << CYS_FACETS) - 1;
    return 0;
  }
  while (*p) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    if (n > 0) {
      unsigned f;
      if (cys_facet_parse(p, n, &f) != CYS_OK)
        return -1;
      bits |= 1u << f;
    }
    p += n + (comma ? 1 : 0);
  }
  *out = bits;
  return bits ? 0 : -1;
}

/* Join argv words into one query string. */
static char *join_words(int argc, char **argv) {
  size_t len = 1;
  for (int i = 0; i < argc; i++)
    len += strlen(argv[i]) + 1;
  char *q = malloc(len);
  if (!q)
    return NULL;
  q[0] = '\0';
  for (int i = 0; i < argc; i++) {
    if (i)
      strcat(q, " ");
    strcat(q, argv[i]);
  }
  return q;
}

int main(int argc, char **argv) {
  options opt = {.format = FORMAT_TEXT};
  cys_search_options_init(&opt.search);
  cys_open_options_init(&opt.open);
  const char *color = "auto";
  enum { OPT_NO_SNIPPETS = 256, OPT_K1, OPT_B, OPT_COLOR, OPT_FACETS,
         OPT_FACET_LIMIT, OPT_TITLE_WEIGHT, OPT_FEEDBACK,
         OPT_HALF_LIFE, OPT_NO_COLLAPSE, OPT_LIKE, OPT_EXPLAIN,
         OPT_TIME_LIMIT, OPT_NO_SUGGEST, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT,
         OPT_FILTER, OPT_EXACT,
         OPT_ALLOW_PARTIAL, OPT_WATCH, OPT_STATE, OPT_TIMELINE };
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},
      {"limit", required_argument, NULL, 'n'},
      {"offset", required_argument, NULL, 'o'},
      {"format", required_argument, NULL, 'f'},
      {"queries", required_argument, NULL, 'Q'},
      {"no-snippets", no_argument, NULL, OPT_NO_SNIPPETS},
      {"k1", required_argument, NULL, OPT_K1},
      {"b", required_argument, NULL, OPT_B},
      {"color", required_argument, NULL, OPT_COLOR},
      {"facets", required_argument, NULL, OPT_FACETS},
      {"facet-limit", required_argument, NULL, OPT_FACET_LIMIT},
      {"exact", no_argument, NULL, OPT_EXACT},
      {"timeline", required_argument, NULL, OPT_TIMELINE},
      {"title-weight", required_argument, NULL, OPT_TITLE_WEIGHT},
      {"feedback", required_argument, NULL, OPT_FEEDBACK},
      {"sort", required_argument, NULL, 's'},
      {"half-life", required_argument, NULL, OPT_HALF_LIFE},
      {"no-collapse", no_argument, NULL, OPT_NO_COLLAPSE},
      {"like", required_argument, NULL, OPT_LIKE},
      {"filter", required_argument, NULL, OPT_FILTER},
      {"explain", no_argument, NULL, OPT_EXPLAIN},
      {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
      {"no-suggest", no_argument, NULL, OPT_NO_SUGGEST},
      {"timeout", required_argument, NULL, OPT_TIMEOUT},
      {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
      {"allow-partial", no_argument, NULL, OPT_ALLOW_PARTIAL},
      {"watch", required_argument, NULL, OPT_WATCH},
      {"state", required_argument, NULL, OPT_STATE},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  int ch;
  while ((ch = getopt_long(argc, argv, "d:n:o:f:Q:s:hV", longopts, NULL)) !=
         -1) {
    switch (ch) {
    case 'd':
      if (!*optarg || opt.ndbs == MAX_DBS) {
        fprintf(stderr, PROGRAM ": --db needs an index (at most %d of them)\n",
                MAX_DBS);
        return EXIT_USAGE;
      }
      opt.dbs[opt.ndbs++] = optarg;
      break;
    case OPT_TIMEOUT:
    case OPT_CONNECT_TIMEOUT:
      if (parse_double(optarg, 0.0, 86400.0,
                       ch == OPT_TIMEOUT ? &opt.open.timeout
                                         : &opt.open.connect_timeout)) {
        fprintf(stderr, PROGRAM ": --%s needs a number of seconds from 0 to "
                        "86400, not '%s'\n",
                ch == OPT_TIMEOUT ? "timeout" : "connect-timeout", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_ALLOW_PARTIAL:
      opt.open.allow_partial = 1;
      break;
    case OPT_WATCH:
      opt.watch.file = optarg;
      break;
    case OPT_STATE:
      opt.watch.state = optarg;
      break;
    case 'n':
      if (parse_size(optarg, MAX_LIMIT, &opt.search.limit)) {
        fprintf(stderr, PROGRAM ": --limit needs a number from 0 to %u, not "
                        "'%s'\n", MAX_LIMIT, optarg);
        return EXIT_USAGE;
      }
      break;
    case 'o':
      if (parse_size(optarg, 1000000000ul, &opt.search.offset)) {
        fprintf(stderr, PROGRAM ": --offset needs a number, not '%s'\n",
                optarg);
        return EXIT_USAGE;
      }
      break;
    case 'f':
      if (strcmp(optarg, "text") == 0)
        opt.format = FORMAT_TEXT;
      else if (strcmp(optarg, "json") == 0)
        opt.format = FORMAT_JSON;
      else if (strcmp(optarg, "trec") == 0) {
        opt.format = FORMAT_TREC;
        opt.search.snippet_bytes = 0; /* a TREC run prints no snippets */
      } else if (strcmp(optarg, "stix") == 0)
        opt.format = FORMAT_STIX;
      else if (strcmp(optarg, "csv") == 0)
        opt.format = FORMAT_CSV;
      else {
        fprintf(stderr, PROGRAM ": --format is text, json, trec, stix or csv, "
                        "not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case 'Q':
      opt.queries = optarg;
      break;
    case OPT_NO_SNIPPETS:
      opt.search.snippet_bytes = 0;
      break;
    case OPT_K1:
      if (parse_double(optarg, 0.0, 100.0, &opt.search.bm25_k1)) {
        fprintf(stderr, PROGRAM ": --k1 needs a number from 0 to 100, not "
                        "'%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_B:
      if (parse_double(optarg, 0.0, 1.0, &opt.search.bm25_b)) {
        fprintf(stderr, PROGRAM ": --b needs a number from 0 to 1, not '%s'\n",
                optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_COLOR:
      color = optarg;
      if (strcmp(color, "auto") && strcmp(color, "always") &&
          strcmp(color, "never")) {
        fprintf(stderr, PROGRAM ": --color is auto, always or never, not "
                        "'%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_FACETS:
      if (parse_facets(optarg, &opt.search.facets)) {
        fprintf(stderr, PROGRAM ": --facets takes names from country, agency, "
                        "actor, cve, malware, vendor, source, year, kev, "
                        "kev-ransomware (or all), separated by commas, not "
                        "'%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_TIMELINE:
      if (cys_timeline_unit_parse(optarg, &opt.search.timeline) != CYS_OK) {
        fprintf(stderr, PROGRAM ": --timeline is day, week, month, year or "
                        "auto, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_FACET_LIMIT:
      if (parse_size(optarg, 1000, &opt.search.facet_limit) ||
          opt.search.facet_limit == 0) {
        fprintf(stderr, PROGRAM ": --facet-limit needs a number from 1 to "
                        "1000, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_EXACT:
      opt.search.exact_total = CYS_COUNT_ALL;
      break;
    case OPT_TITLE_WEIGHT:
      if (parse_double(optarg, 0.0, 100.0, &opt.search.title_weight)) {
        fprintf(stderr, PROGRAM ": --title-weight needs a number from 0 to "
                        "100, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_FEEDBACK: {
      size_t n;
      if (parse_size(optarg, 100, &n)) {
        fprintf(stderr, PROGRAM ": --feedback needs a number of terms from 0 "
                        "to 100, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      opt.search.feedback_terms = (unsigned)n;
      break;
    }
    case 's':
      if (cys_sort_parse(optarg, &opt.search.sort) != CYS_OK) {
        fprintf(stderr, PROGRAM ": --sort is relevance, date, oldest or "
                        "recent, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_HALF_LIFE:
      if (parse_double(optarg, 1.0, 36500.0, &opt.search.half_life_days)) {
        fprintf(stderr, PROGRAM ": --half-life needs a number of days from 1 "
                        "to 36500, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_NO_COLLAPSE:
      opt.search.collapse = 0;
      break;
    case OPT_LIKE:
      if (!*optarg) {
        fprintf(stderr, PROGRAM ": --like needs an article id\n");
        return EXIT_USAGE;
      }
      opt.search.like = optarg;
      break;
    case OPT_FILTER: {
      char *colon = strchr(optarg, ':');
      if (opt.search.nfilters == MAX_FILTERS) {
        fprintf(stderr, PROGRAM ": too many --filter options: at most %d "
                        "('%s' is one more); combine values of one field "
                        "in the query instead (country:CN OR country:RU)\n",
                MAX_FILTERS, optarg);
        return EXIT_USAGE;
      }
      if (!colon || colon == optarg) {
        fprintf(stderr, PROGRAM ": --filter needs FIELD:VALUE, e.g. "
                        "country:CN, not '%s'\n",
                optarg);
        return EXIT_USAGE;
      }
      *colon = '\0';
      opt.filters[opt.search.nfilters++] = (cys_filter){optarg, colon + 1};
      opt.search.filters = opt.filters;
      break;
    }
    case OPT_EXPLAIN:
      opt.search.explain = 1;
      break;
    case OPT_TIME_LIMIT:
      if (parse_double(optarg, 0.0, 3600.0, &opt.search.time_limit) ||
          opt.search.time_limit <= 0.0) {
        fprintf(stderr, PROGRAM ": --time-limit needs a number of seconds "
                        "above 0 and at most 3600, not '%s'\n", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_NO_SUGGEST:
      opt.search.suggest = 0;
      break;
    case 'h':
      usage(stdout);
      return EXIT_OK;
    case 'V':
      printf(PROGRAM " " CYS_VERSION_STRING "\n");
      return EXIT_OK;
    default:
      fprintf(stderr, "Try '" PROGRAM " --help' for more information.\n");
      return EXIT_USAGE;
    }
  }
  if (opt.ndbs == 0) {
    fprintf(stderr, PROGRAM ": --db DIR is required\n"
                    "Try '" PROGRAM " --help' for more information.\n");
    return EXIT_USAGE;
  }
  if (watch_refusal(&opt, argc - optind))
    return EXIT_USAGE;
  if (!opt.queries && optind >= argc && !opt.search.like &&
      !opt.search.nfilters && !opt.watch.file) {
    fprintf(stderr, PROGRAM ": no query given\n"
                    "Try '" PROGRAM " --help' for more information.\n");
    return EXIT_USAGE;
  }
  if (opt.queries && optind < argc) {
    fprintf(stderr, PROGRAM ": give either --queries FILE or a query, not "
                    "both\n");
    return EXIT_USAGE;
  }
  if (stix_refusal(&opt) || timeline_setup(&opt))
    return EXIT_USAGE;
  opt.color = strcmp(color, "always") == 0 ||
              (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO) &&
               !getenv("NO_COLOR"));

  cys_searcher *s = cys_searcher_new();
  if (!s) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    return EXIT_ERROR;
  }
  int status;
  cys_status opened = cys_searcher_open_shards(s, opt.dbs, opt.ndbs, &opt.open);
  if (opened != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s%s\n", cys_searcher_errmsg(s),
            index_hint(opened));
    status = EXIT_ERROR;
  } else if (remote_refusal(s, &opt)) {
    status = EXIT_USAGE;
  } else if (opt.format == FORMAT_STIX &&
             cys_searcher_gazetteer(s, &opt.gazetteer) != CYS_OK) {
    fprintf(stderr, PROGRAM ": %s\n", cys_searcher_errmsg(s));
    status = EXIT_ERROR;
  } else if (opt.watch.file) {
    opt.watch.json = opt.format == FORMAT_JSON;
    status = watch_run(s, &opt.watch);
  } else if (opt.queries) {
    status = run_batch(s, &opt);
  } else {
    char *query = join_words(argc - optind, argv + optind);
    if (!query) {
      fprintf(stderr, PROGRAM ": out of memory\n");
      status = EXIT_ERROR;
    } else {
      int rc = run_query(s, &opt, NULL, query);
      status = rc == 0 ? EXIT_OK : rc == -2 ? EXIT_USAGE : EXIT_ERROR;
      free(query);
    }
  }
  cys_searcher_free(s);
  if (fflush(stdout) != 0 && status == EXIT_OK) {
    fprintf(stderr, PROGRAM ": cannot write results: %s\n", strerror(errno));
    status = EXIT_ERROR;
  }
  return status;
}
