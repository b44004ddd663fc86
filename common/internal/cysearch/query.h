/*
 * query.h — turning what a user typed into a cys_query, through the same
 * analyzer the indexer used.
 *
 * The language:
 *   words           free text, matched by stem and ranked with BM25
 *   "a phrase"      the exact words in this order (an unclosed quote runs
 *                   to the end of the query)
 *   =word           the exact (unstemmed) form only
 *   +word -word     required / excluded (also +"phrase", -"phrase", -(...))
 *   title:word      in the title only (also title:"phrase", title:(...))
 *   body:word       in the text without the title boost: the index has no
 *                   body-only terms, so this is title and body, unboosted
 *   prefix*         the exact forms starting with prefix (at least
 *                   CYS_WILDCARD_MIN_CHARS characters, else the word
 *                   itself), bounded to CYS_WILDCARD_MAX_EXPANSION terms,
 *                   the most frequent; title:prefix* too
 *   10.1.2.0/24     every IPv4 address of the index inside the block (/8
 *                   to /32, defanged too), at most
 *                   CYS_WILDCARD_MAX_EXPANSION, the most frequent; also
 *                   the filter ip:10.1.2.0/24 (ip:1.2.3.4 for one)
 *   "a b"~N         the exact words in any order with at most N other
 *                   words among them (Xapian OP_NEAR, window = words + N)
 *   a NEAR b, a NEAR/N b   the same for single words
 *   a AND b, a OR b, NOT a, ( ... )   operators (upper case, standing
 *                   alone) and groups; NOT > NEAR > AND > OR > words side
 *                   by side, which keep the meaning above
 *   field:value     a filter, which selects without changing scores:
 *                   country: agency: actor: cve: malware: vendor: (values
 *                   through the gazetteer's aliases), agency-country:
 *                   actor-country: malware-country: vendor-country:,
 *                   source: (or site:), year:2021, date:2023-05..2023-12,
 *                   after:2020 (on or after), before:2021-06 (strictly
 *                   before), ip: (above), indexed:7.. and changed:3..5
 *                   (the run that added / last changed an article),
 *                   added-since:2026-12-01 (added by a run that started
 *                   then or later).  The same field twice is OR, different fields
 *                   AND, -field:value excludes.  A group of filters
 *                   filters the rest of its group; in OR, a filter is one
 *                   alternative.
 * Anything else is read as text: syntax never fails (stray operators and
 * parentheses are dropped, nesting is bounded by CYS_QUERY_MAX_DEPTH).
 * Only a filter value that cannot be resolved is an error (CYS_BAD_QUERY),
 * with a message saying what to write instead.
 */
#ifndef CYSEARCH_QUERY_H
#define CYSEARCH_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "cysearch/analyze.h"
#include "cysearch/db.h"
#include "cysearch/entity.h"
#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a query looks for, for highlighting: the stems of free-text words
 * and the exact forms of phrase and =word terms, without prefixes. */
typedef struct cys_query_terms {
  char **stems;
  size_t nstems;
  char **exacts;
  size_t nexacts;
} cys_query_terms;

/* prefix*: prefixes of fewer characters are read as the word itself; a
 * prefix stands for at most this many terms, the most frequent ones. */
#define CYS_WILDCARD_MIN_CHARS 3
#define CYS_WILDCARD_MAX_EXPANSION 100

/* a NEAR b, a NEAR/N b, "a b"~N: at most N other words inside the span of
 * the words (default, and largest N). */
#define CYS_NEAR_DEFAULT_GAP 10
#define CYS_NEAR_MAX_GAP 100

/* Parentheses nested deeper than this are read as plain characters. */
#define CYS_QUERY_MAX_DEPTH 32

/* Bounds on the work one query asks for (docs/bad-input.md, "The worst
 * request", has the measurements).  Checking the positions of a phrase or NEAR
 * group costs, per candidate article, in proportion to its words, and
 * common words make every article a candidate.  A group of more than
 * CYS_QUERY_MAX_GROUP_WORDS words, or one that would bring the query's
 * positional words past CYS_QUERY_MAX_POSITIONAL_WORDS, is searched as
 * all of its words without their positions (AND); words past
 * CYS_QUERY_MAX_WORDS are ignored.  The query still runs (it never fails
 * to parse), and cys_parsed_query.limits says what was changed
 * (cys_query_limits_note). */
#define CYS_QUERY_MAX_GROUP_WORDS 32
#define CYS_QUERY_MAX_POSITIONAL_WORDS 64
#define CYS_QUERY_MAX_WORDS 256

/* Bits of cys_parsed_query.limits. */
#define CYS_LIMIT_GROUP_WORDS 1u      /* a group was too long: AND */
#define CYS_LIMIT_POSITIONAL_WORDS 2u /* too many positional words: AND */
#define CYS_LIMIT_WORDS 4u            /* words past the bound ignored */
#define CYS_LIMIT_SNIPPET_TIME 8u     /* time limit passed: later hits have
                                       * no snippet (set by cys_search) */
#define CYS_LIMIT_ADDRESS_BLOCK 16u   /* an IPv4 block ("10.0.0.0/8") held
                                       * more than CYS_WILDCARD_MAX_EXPANSION
                                       * addresses: the most frequent */

/* A sentence saying what the limits bits changed, for users (static);
 * NULL when limits is 0. */
const char *cys_query_limits_note(unsigned limits);

typedef struct cys_parsed_query {
  cys_query *query; /* never NULL; empty when nothing searchable was typed */
  /* Optional extra weight for the free words (NULL when there is none):
   * their title terms.  Added with AND_MAYBE, so it never changes what
   * matches. */
  cys_query *title_boost;
  cys_query_terms highlight;
  int has_text;     /* words to rank by, not only filters */
  int has_filters;
  unsigned limits; /* CYS_LIMIT_* bits: what the bounds above changed */
  /* The library's own record of what was read, item by item (byte
   * ranges, kinds, words): "did you mean" and explanations use it. */
  struct cys_query_record *record;
} cys_parsed_query;

/* What the parser needs besides the text. */
typedef struct cys_query_context {
  cys_analyzer *analyzer;
  const cys_gazetteer *gazetteer; /* NULL: entity filters are unknown */
  /* Is term in the index?  NULL: assume so (source: is then not checked) */
  int (*term_exists)(void *ctx, const char *term, size_t len);
  /* Call fn for each term of the index that starts with prefix (as
   * cys_db_terms does), so that the words a wildcard stands for are
   * highlighted.  NULL: only the prefix itself is. */
  cys_status (*each_term)(void *ctx, const char *prefix, size_t len,
                          cys_term_fn fn, void *fn_ctx);
  /* The first indexing run that started at or after `when` (UTC,
   * "YYYY-MM-DDTHH:MM:SSZ"), or one past the last run when none did, for
   * added-since:.  NULL: added-since: is refused. */
  cys_status (*run_since)(void *ctx, const char *when, uint64_t *run);
  void *term_ctx; /* passed to term_exists, each_term and run_since */
  /* 1: phrase and NEAR groups are guarded (cys_query_new_guarded), so
   * that the match's time limit stops them; only for local indexes,
   * which can also run story:'s posting source (query_run.c). */
  int guard_positional;
} cys_query_context;

/* Parse text[0..len).  Invalid UTF-8 is tolerated.  *out is owned by the
 * caller (cys_parsed_query_free).  Fails with CYS_NOMEM, or CYS_BAD_QUERY
 * for a filter value that cannot be resolved, described in error. */
cys_status cys_query_parse(const cys_query_context *ctx, const char *text,
                           size_t len, cys_parsed_query **out, char *error,
                           size_t error_size);
void cys_parsed_query_free(cys_parsed_query *parsed);

/* The filter "field:value" of the language above, given as structure
 * rather than text (cys_search_options.filters): field is a filter
 * field's name ("country", "actor-country", "source", "date", ...; "site"
 * is "source"), value is taken whole (no quoting, no operators: whatever
 * it holds is the value).  The same resolution and messages as in the
 * text.  *group tells fields apart: filters with the same group are
 * alternatives (OR), different groups all apply (AND).  CYS_BAD_QUERY for
 * an unknown field or value, with what to write instead in error; *out
 * (the caller frees it) is set only on success. */
cys_status cys_query_new_filter(const cys_query_context *ctx,
                                const char *field, const char *value,
                                cys_query **out, unsigned *group, char *error,
                                size_t error_size);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_QUERY_H */
