/*
 * search.h — the search path the CLI and the CGI share: query text in,
 * ranked hits with their stored articles and highlighted snippets out.
 *
 * Ownership: the searcher is made by cys_searcher_new, opened by
 * cys_searcher_open or cys_searcher_open_shards, freed by
 * cys_searcher_free (NULL accepted).  cys_search puts new results in
 * *out, the caller's, freed with cys_results_free (NULL accepted); every
 * string and array in them lives as long as the results, independent of
 * the searcher.  Options and filters are borrowed for the call.
 * Errors: every call returns a cys_status and keeps the message on the
 * searcher (cys_searcher_errmsg, until its next call): CYS_NOT_FOUND,
 * CYS_CORRUPT, CYS_VERSION, CYS_LOCKED, CYS_IO, CYS_NETWORK, CYS_TIMEOUT
 * when opening; CYS_BAD_QUERY for a filter that cannot be resolved
 * (cys_searcher_bad_filter says which), CYS_MODIFIED, CYS_TIMEOUT when
 * searching; CYS_NOMEM anywhere.  A searcher is used by one thread at a
 * time; open one per thread.
 */
#ifndef CYSEARCH_SEARCH_H
#define CYSEARCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "cysearch/article.h"
#include "cysearch/entity.h"
#include "cysearch/kev.h"
#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cys_searcher cys_searcher;

/* NULL only when memory runs out. */
CYS_API cys_searcher *cys_searcher_new(void);
CYS_API void cys_searcher_free(cys_searcher *searcher);

/* Open the index at path read-only, with the analyzer the index was built
 * with.  CYS_NOT_FOUND, CYS_CORRUPT, CYS_VERSION (schema or Xapian format
 * not supported), ... with the details in cys_searcher_errmsg. */
CYS_API cys_status cys_searcher_open(cys_searcher *searcher, const char *path);
CYS_API const char *cys_searcher_errmsg(const cys_searcher *searcher);

/* Opening shards: how long a remote shard may take, and what to do when
 * one cannot be reached.  Initialise with cys_open_options_init. */
typedef struct cys_open_options {
  double timeout;         /* seconds each request to a remote shard may
                             take (default 10; 0: no limit) */
  double connect_timeout; /* seconds to connect to one (default 10) */
  int allow_partial;      /* 1: search the shards that can be reached;
                             the results say they are partial */
} cys_open_options;

CYS_API void cys_open_options_init(cys_open_options *options);

/* Open n entries as one index: each an index directory, a stub file (or
 * a directory holding one, XAPIANDB) listing shards, or HOST:PORT of an
 * xapian-tcpsrv.  Results over shards are those of one index holding the
 * same articles.  Errors as cys_searcher_open; a shard that cannot be
 * reached gives CYS_NETWORK or CYS_TIMEOUT, named in the message, unless
 * options->allow_partial (options NULL: the defaults). */
CYS_API cys_status cys_searcher_open_shards(cys_searcher *searcher,
                                            const char *const *paths, size_t n,
                                            const cys_open_options *options);

/* Shards skipped (allow_partial): the i-th one's name, and *why; NULL
 * past the end.  Strings live until the searcher is reopened or freed. */
CYS_API size_t cys_searcher_unavailable_count(const cys_searcher *searcher);
CYS_API const char *cys_searcher_unavailable(const cys_searcher *searcher,
                                             size_t i, const char **why);

CYS_API cys_status cys_searcher_doccount(cys_searcher *searcher, uint64_t *out);

/* The stemmer language the index was built with. */
CYS_API const char *cys_searcher_language(const cys_searcher *searcher);

/* The gazetteer the searcher's filters and facets use (the built-in one
 * plus the entities the index's indexer loaded), loaded when first needed:
 * for programs that describe the entities of hits (their countries,
 * aliases).  Owned by the searcher: valid until it is reopened or freed;
 * one thread only.  Errors as cys_searcher_open, with the message. */
CYS_API cys_status cys_searcher_gazetteer(cys_searcher *searcher,
                                          const cys_gazetteer **out);

/* ---- Runs ----------------------------------------------------------------
 * The indexing runs the index records (writer.h, "Runs"), as of the
 * revision the searcher has open: for "what is new" views (the filters
 * indexed:, changed:, added-since:, cysearch --watch).  Over shards, the
 * records of the first one. */
typedef struct cys_run_record {
  uint64_t run;      /* its number, from 1 */
  char started[24];  /* "YYYY-MM-DDTHH:MM:SSZ" (UTC) */
  char ended[24];    /* the same once its job finished; "-" when its job
                        stopped and a later run closed it; "" while it may
                        still be under way */
} cys_run_record;

/* *out the number of the last run recorded, 0 when none is. */
CYS_API cys_status cys_searcher_last_run(cys_searcher *searcher,
                                         uint64_t *out);
/* The record of run `run`; CYS_NOT_FOUND when there is none. */
CYS_API cys_status cys_searcher_run_record(cys_searcher *searcher,
                                           uint64_t run, cys_run_record *out);

/* A copy of a story: a document whose story (cys_hit.story) is one of a
 * set of keys (cys_searcher_story_copies). */
typedef struct cys_story_copy {
  uint32_t docid; /* the index's own number, for options.docids */
  size_t story;   /* which key: an index into the keys given */
} cys_story_copy;

/* Every copy of the stories keys[0..nkeys) (16 hex digits each, sorted
 * by strcmp, distinct) added by run `through` or earlier (as the filter
 * indexed:..through; CYS_ANY_RUN: whatever added it), in docid order,
 * into *copies (malloc'd: free(); NULL when none) and *n: one pass over
 * the index's story keys (and one over its runs), found once for many
 * searches (cysearch --watch).  CYS_INVALID when the index is not one
 * local database (remote or several shards): filter with story:KEY,...
 * there instead; also, the message naming the key, when the keys are not
 * sorted and distinct. */
#define CYS_ANY_RUN UINT64_MAX
CYS_API cys_status cys_searcher_story_copies(cys_searcher *searcher,
                                             const char *const *keys,
                                             size_t nkeys, uint64_t through,
                                             cys_story_copy **copies,
                                             size_t *n);

/* The documents added by run `from` or later (as the filter
 * indexed:from..), in docid order, into *docids (malloc'd: free(); NULL
 * when none) and *n, for options.docids: one pass over the index's runs.
 * CYS_INVALID where cys_searcher_story_copies is. */
CYS_API cys_status cys_searcher_run_documents(cys_searcher *searcher,
                                              uint64_t from, uint32_t **docids,
                                              size_t *n);

/* BM25 defaults; docs/ranking.md gives the measurements behind them. */
#define CYS_DEFAULT_BM25_K1 1.0
#define CYS_DEFAULT_BM25_B 0.75
#define CYS_DEFAULT_TITLE_WEIGHT 0.3
/* Pseudo-relevance feedback is experimental and off by default (it did
 * not help on held-out queries and doubles the match time: docs/ranking.md,
 * "Experimental switches"): feedback_terms 20 adds the 20 stems that best
 * tell the top hit apart. */
#define CYS_DEFAULT_FEEDBACK_TERMS 0u

/* How much of the match is counted (cys_search_options.exact_total).  By
 * default a search examines what its page needs, as Xapian and Omega do:
 * the total is Xapian's estimate, with bounds, and exact only when the
 * match happened to see every match.  CYS_COUNT_ALL counts every match:
 * exact totals (in stories when collapsing), facets and copies per story
 * (cysearch --exact, the page's exact=1; what timelines need).  Facets
 * without it are counted over at least facet_sample matches: the first
 * matches in index order plus every one that competed for the page
 * (docs/performance.md measures what that changes). */
#define CYS_DEFAULT_EXACT_TOTAL 0u
#define CYS_COUNT_ALL UINT32_MAX
#define CYS_DEFAULT_FACET_SAMPLE 1000u

/* The order of the hits. */
typedef enum cys_sort {
  CYS_SORT_RELEVANCE, /* best match first (BM25) */
  CYS_SORT_DATE,      /* newest first, then best match; undated last */
  CYS_SORT_RECENT,    /* best match with a freshness bonus (below) */
  CYS_SORT_OLDEST     /* oldest first, then best match; undated last */
} cys_sort;

/* "relevance", "date", "recent", "oldest"; CYS_NOT_FOUND for other
 * names. */
CYS_API cys_status cys_sort_parse(const char *name, cys_sort *out);
CYS_API const char *cys_sort_name(cys_sort sort);

/* CYS_SORT_RECENT: each hit gains up to CYS_DEFAULT_RECENCY_WEIGHT times
 * the best match's score, the whole of it when dated on the index's newest
 * date and half as much for every half-life before that (docs/ranking.md
 * says why). */
#define CYS_DEFAULT_HALF_LIFE_DAYS 180.0
#define CYS_DEFAULT_RECENCY_WEIGHT 0.5

/* Facets that can be counted: one per entity type, then these.  The two
 * kev facets count the marks of cysearch-index --cve-data (kev.h): "yes"
 * and "no" as the kev: filter, "known" and "unknown" as kev-ransomware:;
 * articles without CVE tags, or not marked since, count in neither. */
enum cys_facet {
  CYS_FACET_SOURCE = CYS_ENTITY_TYPES,
  CYS_FACET_YEAR,
  CYS_FACET_KEV,
  CYS_FACET_KEV_RANSOMWARE,
  CYS_FACETS /* the number of facets */
};

/* The facet's name: the entity type names, "source", "year", "kev",
 * "kev-ransomware". */
CYS_API const char *cys_facet_name(unsigned facet);
/* The facet with this name; CYS_NOT_FOUND when there is none. */
CYS_API cys_status cys_facet_parse(const char *name, size_t len, unsigned *out);

/* Timelines (search_timeline.c): the stories of all matches counted per
 * period.  Weeks are ISO 8601 weeks (Monday to Sunday, numbered in the
 * year of their Thursday).  AUTO picks the finest unit whose periods
 * from the first to the last dated match are at most
 * CYS_TIMELINE_AUTO_PERIODS, skipping units finer than the dates of most
 * matches (an index of articles dated to the month gets months). */
typedef enum cys_timeline_unit {
  CYS_TIMELINE_NONE,
  CYS_TIMELINE_DAY,
  CYS_TIMELINE_WEEK,
  CYS_TIMELINE_MONTH,
  CYS_TIMELINE_YEAR,
  CYS_TIMELINE_AUTO
} cys_timeline_unit;

#define CYS_TIMELINE_AUTO_PERIODS 60u
/* At most this many periods from the first to the last: more is
 * CYS_INVALID, with a message that suggests a coarser unit. */
#define CYS_TIMELINE_MAX_PERIODS 100000u

/* "day", "week", "month", "year", "auto"; CYS_NOT_FOUND for others. */
CYS_API cys_status cys_timeline_unit_parse(const char *name,
                                           cys_timeline_unit *out);
CYS_API const char *cys_timeline_unit_name(cys_timeline_unit unit);

/* A period's key, as timelines name it: "2021" (year), "2021-03" (month),
 * "2021-W09" (ISO week), "2021-03-05" (day).  The date filters that
 * select exactly the articles a timeline counts in that period, as values
 * of the filter field "date" (cys_filter; several values of one field are
 * alternatives): one range, or two for a week that spans two months — a
 * range over the month boundary would also take the articles dated only
 * to the later month ("2021-04" sorts as 2021-04-00), which a week never
 * counts.  ranges[i] holds "YYYY-MM-DD..YYYY-MM-DD" (or a month, or a
 * year); *unit is the period's unit.  CYS_INVALID when period is not a
 * key of that form or names no real day or week. */
#define CYS_PERIOD_RANGE_MAX 24
CYS_API cys_status cys_timeline_period_filters(
    const char *period, cys_timeline_unit *unit,
    char ranges[2][CYS_PERIOD_RANGE_MAX], size_t *n);

/* A filter given as structure, beside the query text: what the query
 * language writes field:value (cysearch(1), QUERY SYNTAX), e.g.
 * {"country", "CN"}, {"actor", "Fancy Bear"}, {"date", "2023-05..2023-12"},
 * {"after", "2020-06"}.  The value is taken whole: quotes, spaces and
 * words such as NOT or OR in it are part of the value, never syntax, so no
 * query text can turn a filter off or invert it.  Both strings are borrowed. */
typedef struct cys_filter {
  const char *field;
  const char *value;
} cys_filter;

typedef struct cys_search_options {
  size_t offset;         /* hits to skip */
  size_t limit;          /* hits to return */
  uint32_t exact_total;  /* count matches exactly up to this many;
                            CYS_COUNT_ALL: all of them (see above) */
  size_t snippet_bytes;  /* target snippet length; 0 = no snippets */
  double bm25_k1;
  double bm25_b;
  double title_weight;     /* extra weight of title matches; 0 = off */
  unsigned feedback_terms; /* EXPERIMENTAL pseudo-relevance feedback:
                              stems of the top hit added to re-rank the
                              matches (0 off; docs/ranking.md) */
  unsigned facets;       /* bit (1 << facet) for each facet to count */
  size_t facet_limit;    /* values per facet, most frequent first */
  uint32_t facet_sample; /* with facets: examine at least this many
                            matches (CYS_DEFAULT_FACET_SAMPLE) */
  cys_sort sort;
  double half_life_days;   /* CYS_SORT_RECENT: halving time of the bonus */
  double recency_weight;   /* ... the bonus at the newest date, relative to
                              the best match's score */
  int collapse;          /* 1 (default): one hit per story; near-duplicates
                            of a hit are counted in its `duplicates` */
  int suggest;           /* 1 (default): look for a spelling suggestion */
  int explain;           /* 1: each hit says what its score is made of */
  double time_limit;     /* seconds of matching at most (0: no limit); when
                            it is reached, totals become estimates */
  const char *like;      /* an article id: find articles like it instead
                            (the query text may add filters or words that
                            narrow them); NULL: off */
  /* Filters applied to whatever the query text matches (OP_FILTER: they
   * select without changing scores): those of one field are
   * alternatives, of different fields all apply, as in the query
   * language.  With query text that has nothing to search, they select
   * from all articles.  NULL / 0: none.  Borrowed for the call. */
  const cys_filter *filters;
  size_t nfilters;
  /* Timeline (results.timeline): CYS_TIMELINE_NONE (default) for none.
   * It counts the matches examined, like the total: every match with
   * exact_total CYS_COUNT_ALL (what a timeline is for; the timeline's
   * exact says whether every match was seen), in stories when collapsing
   * (in matches with collapse 0).  timeline_facet: -1 (default)
   * for one series; a facet (enum cys_facet) for one series per value of
   * it among its facet_limit most frequent over the matches.  Over remote
   * shards a timeline is refused (cys_searcher_check_options). */
  cys_timeline_unit timeline;
  int timeline_facet;
  /* 1: each facet value gets the dates of its first and last match
   * (cys_facet_value.first/.last); over remote shards they stay "". */
  int facet_dates;
  /* 1: hits read briefly: each hit's record holds the article's id,
   * title, date, source and url only (body and entities NULL, no
   * entities, KEV entries or snippet), read without inflating the rest of
   * the stored article, which is most of it: for programs that compare or
   * list many hits (cysearch --watch). */
  int brief;
  /* Non-NULL: only these documents (docids from cys_searcher_story_copies
   * or cys_searcher_run_documents, ascending; ndocids may be 0), as one more filter: the list drives the
   * match, so the query is checked on these documents only.  Refused
   * where cys_searcher_story_copies is, and (CYS_INVALID, the message
   * naming the entry) when not strictly ascending or holding 0.
   * Borrowed for the call. */
  const uint32_t *docids;
  size_t ndocids;
} cys_search_options;

CYS_API void cys_search_options_init(cys_search_options *options);

/* CYS_OK when the open index can run searches with these options; else
 * CYS_INVALID, and the searcher's message says what it cannot do and what
 * to do instead: over remote shards, sorting by recency and explanations
 * need code of ours inside the match, which xapian-tcpsrv cannot run.
 * cys_search checks this itself; a program may call it once before a
 * batch of searches. */
CYS_API cys_status
cys_searcher_check_options(cys_searcher *searcher,
                           const cys_search_options *options);

/* A highlighted range [start, end) in bytes, relative to the snippet. */
typedef struct cys_span {
  size_t start, end;
} cys_span;

/* An entity found in an article; strings live as long as the results. */
typedef struct cys_hit_entity {
  cys_entity_type type;
  const char *value, *label;
  unsigned count; /* mentions in title and body */
} cys_hit_entity;

/* One part of a hit's score (options.explain). */
typedef struct cys_explain {
  const char *what;  /* the word, "phrase", or a name such as "recency" */
  const char *field; /* "text" (title and body), "title", "acronym",
                        "phrase", "proximity", "feedback", "like",
                        "recency" */
  double weight;     /* the parts of a hit add up to its score */
} cys_explain;

typedef struct cys_hit {
  uint32_t rank;      /* 1-based rank over the whole result */
  double score;       /* BM25 score */
  uint32_t duplicates; /* near-duplicates collapsed into this hit: exact
                          when the results' total is, else at least this
                          many; 0 when collapsing is off */
  cys_explain *explain; /* options.explain; strings live as long as the
                           results */
  size_t nexplain;
  cys_record *record; /* the stored article */
  char *snippet;      /* NUL-terminated; NULL when snippets are off */
  cys_span *spans;    /* matched words in the snippet */
  size_t nspans;
  cys_hit_entity *entities; /* by type, then most mentioned first */
  size_t nentities;
  /* Its CVEs in CISA's KEV catalogue, as cysearch-index --cve-data last
   * marked them (kev.h), by CVE id; strings live as long as the results */
  cys_kev_entry *kev;
  size_t nkev;
  char *kev_text; /* holds kev's strings */
  /* Its story: the near-duplicate key its copies share (the filter
   * story:KEY finds them all); "" when the index has none for it */
  char story[24];
} cys_hit;

typedef struct cys_facet_value {
  char *value;
  const char *label; /* for entities, the gazetteer's label; else value */
  uint64_t count;
  /* options.facet_dates: the earliest and the latest date of a match
   * with this value ("2021-03-05", "2021-03" or "2021"), "" when none is
   * dated or dates were not asked for */
  char first[CYS_DATE_MAX], last[CYS_DATE_MAX];
} cys_facet_value;

/* A timeline (options.timeline): every period from the first dated match
 * to the last, oldest first, empty ones included. */
typedef struct cys_timeline {
  cys_timeline_unit unit; /* the unit counted (never AUTO) */
  size_t nperiods;
  char (*periods)[CYS_DATE_MAX]; /* their keys (cys_timeline_period_filters) */
  uint64_t *counts;   /* stories (matches without collapse) per period: a
                         story counts in each period where one of its
                         matching articles is dated */
  uint64_t undated;   /* stories with a matching article without a date */
  uint64_t imprecise; /* ... with one dated less precisely than the unit
                         (only to the month in a timeline by day or week,
                         only to the year below years): in no period */
  int exact;          /* 0 when the count did not see every match (the
                         time limit cut it short, or exact_total was
                         not CYS_COUNT_ALL and the match stopped early) */
  int facet;          /* the facet of the series; -1 for none */
  size_t nseries;
  cys_facet_value *series; /* its values, most frequent first */
  uint64_t *series_counts; /* series_counts[k * nperiods + p]: stories of
                              period p with value series[k] (in the block
                              of counts: never freed apart) */
} cys_timeline;

typedef struct cys_results {
  uint64_t total;  /* number of matches (one per story when collapsing) */
  int total_exact; /* 1 when total is exact, 0 when estimated */
  /* Bounds of the true total: total_lower <= total <= total_upper, all
   * three equal when total_exact */
  uint64_t total_lower, total_upper;
  /* The query with misspelt words replaced by much more frequent words
   * of the index within two edits, or NULL when there is nothing to
   * suggest (options.suggest) */
  char *suggestion;
  /* What the query's bounds changed (a phrase or NEAR group
   * searched without positions, words ignored), as a sentence for users;
   * NULL when nothing was.  Static: never freed. */
  const char *warning;
  size_t nhits;
  cys_hit *hits;
  /* facets[f] for each facet asked for (others empty); counts are over all
   * matches when facets_exact, else over the facet_matches matches
   * examined (options.facet_sample); with collapsing, a value counts once
   * per story, as total does */
  int facets_exact;
  uint64_t facet_matches;
  struct {
    cys_facet_value *values;
    size_t n;
  } facets[CYS_FACETS];
  /* Shards that could not be searched (cys_open_options.allow_partial):
   * the results come from the others.  Names (paths, HOST:PORT) are
   * malloc'd and owned by the results. */
  int partial;
  char **unavailable;
  size_t nunavailable;
  cys_timeline *timeline; /* options.timeline; NULL when not asked */
} cys_results;

/* Run the query text (its language: cysearch(1), QUERY SYNTAX; NULL is
 * the empty text) with options.filters (NULL options: the defaults of
 * cys_search_options_init).
 * Syntax never fails; CYS_BAD_QUERY means a filter value (in the text or
 * in options.filters) or a filter field is unknown, and the message says
 * what to write instead; CYS_NOT_FOUND that options.like names no
 * article.  Other errors are about the index (CYS_CORRUPT, CYS_MODIFIED
 * after retries, ...) or memory.  *out is owned by the caller
 * (cys_results_free). */
CYS_API cys_status cys_search(cys_searcher *searcher, const char *query,
                              const cys_search_options *options,
                              cys_results **out);

/* After cys_search failed with CYS_BAD_QUERY: the index in
 * options.filters of the filter at fault, or -1 when the fault is in the
 * query text (or the last search did not fail so). */
CYS_API long cys_searcher_bad_filter(const cys_searcher *searcher);
CYS_API void cys_results_free(cys_results *results);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_SEARCH_H */
