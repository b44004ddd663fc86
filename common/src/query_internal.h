/*
 * query_internal.h — shared by the files of the query parser:
 *   query.c         the lexer and the grammar (operators, groups, fields)
 *   query_combine.c how clauses combine: sequences, AND and OR
 *   query_item.c    one item (a word, a run, a phrase, a wildcard, a NEAR
 *                   group) analysed into its query and highlight terms
 *   query_filter.c  field:value filters
 *   query_ioc.c     the other forms an indicator stands for (a URL's host,
 *                   a domain's "www." twin, the paths below a path)
 */
#ifndef CYSEARCH_QUERY_INTERNAL_H
#define CYSEARCH_QUERY_INTERNAL_H

#include <stddef.h>

#include "cysearch/db.h"
#include "cysearch/query.h"

typedef enum filter_field {
  FILTER_COUNTRY,
  FILTER_AGENCY,
  FILTER_ACTOR,
  FILTER_CVE,
  FILTER_MALWARE,
  FILTER_VENDOR,
  FILTER_AGENCY_COUNTRY,
  FILTER_ACTOR_COUNTRY,
  FILTER_MALWARE_COUNTRY,
  FILTER_VENDOR_COUNTRY,
  FILTER_SOURCE,
  FILTER_SITE, /* source: as pasted from web searches; unknown ones are text */
  FILTER_YEAR,
  FILTER_DATE,
  FILTER_AFTER,
  FILTER_BEFORE,
  FILTER_KEV,            /* kev:yes|no (kev.h) */
  FILTER_KEV_RANSOMWARE, /* kev-ransomware:known|unknown */
  FILTER_FIELDS
} filter_field;

/* If s[0..n) starts with a known "field:" followed by a value, set *out and
 * return the length of "field:"; else 0. */
size_t filter_field_at(const char *s, size_t n, filter_field *out);
const char *filter_field_name(filter_field field);

/* The filter for field:value (value NUL-terminated, quotes removed).
 * CYS_BAD_QUERY with a message saying how to write it instead. */
cys_status filter_query(const cys_query_context *ctx, filter_field field,
                        const char *value, cys_query **out, char *error,
                        size_t error_size);

/* ---- indicators (query_ioc.c), on the analyzer's exact forms ------------ */

/* The host of the URL s[0..n) ("http://user@evil.com:80/x" -> "evil.com")
 * into out (cap bytes, NUL-terminated); its length, or 0 when s is not a
 * URL or its host has no dot or does not fit. */
size_t ioc_url_host(const char *s, size_t n, char *out, size_t cap);

/* The "www." twin of the domain s[0..n) ("evil.com" <-> "www.evil.com")
 * into out (cap bytes, NUL-terminated); its length, or 0 when s is not a
 * domain or the twin does not fit. */
size_t ioc_www_twin(const char *s, size_t n, char *out, size_t cap);

/* Is s[0..n) a Windows path or registry key ("c:\windows",
 * "hklm\software"), whose paths below it it also stands for? */
int ioc_is_path(const char *s, size_t n);

/* ---- the parser's state (query.c and query_item.c) --------------------- */

/* A growable list of owned queries. */
typedef struct qvec {
  cys_query **items;
  size_t n, cap;
} qvec;

/* One analysed word of the current item (copied out of the analyzer). */
typedef struct qword {
  char exact[CYS_TOKEN_MAX + 1];
  char stem[CYS_TOKEN_MAX + 1];
  size_t exact_len, stem_len;
  size_t start, end;
  unsigned flags;
} qword;

/* Where an item's words are looked for. */
typedef enum text_field {
  FIELD_ANY,   /* title and body, with the title boost */
  FIELD_TITLE, /* title:  the title's own terms (S, ZS) */
  FIELD_BODY   /* body:   the article's text terms, without the title boost
                  (the index has no body-only terms; see query.h) */
} text_field;

typedef struct parser {
  const cys_query_context *ctx;
  cys_query_terms *terms; /* the highlight lists being filled */
  qword *words;           /* the words of the current item */
  size_t nwords, words_cap;
  unsigned qpos; /* query position of the next term */
  size_t words_seen;      /* words of the items so far (CYS_QUERY_MAX_WORDS) */
  size_t positional_seen; /* words in phrase and NEAR groups so far */
  unsigned limits;        /* CYS_LIMIT_* bits */
  size_t nfilters;
  qvec title_terms; /* the free words again, as title terms */
  char *error;      /* the caller's message buffer */
  size_t error_size;
  cys_status status; /* sticky: once set, nothing more is built */
} parser;

/* Append q to v (taking it; freed when the parser has failed). */
void qvec_push(parser *p, qvec *v, cys_query *q);
void qvec_free(qvec *v);

/* How one text item is to be read. */
typedef struct item_spec {
  const char *text; /* the characters of the item (without quotes) */
  size_t len;
  text_field field;
  int exact;    /* '=' before it: exact forms only */
  int phrase;   /* it was quoted */
  int wildcard; /* unquoted, ended with '*' (stripped from text) */
  int near;     /* quoted and followed by ~N: the words within a window */
  unsigned gap; /* for near: other words allowed inside the window */
} item_spec;

/* One word as a NEAR operand: its exact form, in the title or anywhere. */
typedef struct near_word {
  char exact[CYS_TOKEN_MAX + 1];
  size_t len; /* 0: the item was not one plain word */
  int title;
} near_word;

/* What an item turned into: its query (NULL when it has no searchable
 * word) and, when it was one plain word, that word for NEAR. */
typedef struct item_result {
  cys_query *query;
  near_word word;
} item_result;

/* Analyse and build one text item (query_item.c). */
void item_build(parser *p, const item_spec *spec, item_result *out);

/* "APT 28" typed apart: if text[start..end) is a threat-group designator
 * word and the next item is a number, write them joined ("apt28") into buf
 * and return the end of the number; else 0. */
size_t join_designator(const char *text, size_t len, size_t start, size_t end,
                       char *buf, size_t cap);

/* The words in any order within window positions (Xapian's OP_NEAR over
 * their exact terms, which carry positions); highlights them. */
cys_query *near_query(parser *p, const near_word *words, size_t n,
                      unsigned window);

/* q guarded for the match's time limit when the context asks for it
 * (taking q; NULL when q is NULL or the parser has failed). */
cys_query *guard_positional(parser *p, cys_query *q);

/* ---- clauses and sequences (query_combine.c) --------------------------- */

typedef enum clause_kind {
  CLAUSE_NONE,   /* nothing searchable */
  CLAUSE_SCORED, /* adds weight */
  CLAUSE_BOOLEAN /* selects only (filters) */
} clause_kind;

typedef struct seq {
  qvec optional, required, excluded;
  qvec filters[FILTER_FIELDS]; /* OR within a field, AND across fields */
  qvec group_filters;          /* filter-only groups, each ANDed */
  qvec excluded_filters;
} seq;

typedef struct clause {
  clause_kind kind;
  cys_query *query; /* owned */
  seq *group;       /* owned: a group, combined when needed */
  int neg, req;     /* -x or NOT x; +x */
  int filter;       /* one field:value filter: its field + 1; else 0 */
  near_word word;   /* word.len: the clause is one plain word */
} clause;

typedef struct clist {
  clause *items;
  size_t n, cap;
} clist;

void seq_free(seq *s);
/* The sequence as one query (NULL, CLAUSE_NONE: nothing in it); nested:
 * a group, where a lone filter stands for itself. */
cys_query *seq_combine(parser *p, const seq *s, int nested, clause_kind *kind);
/* Add a clause to a sequence by its kind and sign (taking it). */
void seq_add(parser *p, seq *s, clause *c);
/* Append an operand (taking it; empty ones are dropped). */
void clist_push(parser *p, clist *l, clause *c);
void clist_free(clist *l);
/* a AND b AND NOT c; a OR b OR NOT c. */
clause combine_and(parser *p, clist *l);
clause combine_or(parser *p, clist *l);
/* The operands as one clause: the operand itself when there is one, else
 * combine()d.  Frees the list. */
clause reduce(parser *p, clist *l, clause (*combine)(parser *, clist *));

#endif
