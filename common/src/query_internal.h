/*
 * query_internal.h — shared by the files of the query parser:
 *   query.c         the lexer and the grammar (operators, groups, fields)
 *   query_combine.c how clauses combine: sequences, AND and OR
 *   query_item.c    one item (a word, a run, a phrase, a wildcard, a NEAR
 *                   group) analysed into its query and highlight terms
 *   query_filter.c  field:value filters
 *   query_ioc.c     the other forms an indicator stands for (a URL's host,
 *                   a domain's "www." twin, the paths below a path)
 *   query_record.c  the record of what was read: the items of the text
 *                   with their byte ranges and words, kept on the parsed
 *                   query for "did you mean" and --explain
 */
#ifndef CYSEARCH_QUERY_INTERNAL_H
#define CYSEARCH_QUERY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

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
  FILTER_IP,             /* ip:10.1.2.0/24, ip:1.2.3.4 (query_ioc.c) */
  FILTER_INDEXED,        /* indexed:7, indexed:7.., indexed:3..5 (runs:
                            query_run.c) */
  FILTER_CHANGED,        /* changed:7.. */
  FILTER_ADDED_SINCE,    /* added-since:2026-12-01 */
  FILTER_STORY,          /* story:0123456789abcdef, a collapse key */
  FILTER_PERIOD,         /* period:2021-W13, a timeline's period */
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

/* A Windows path written with forward slashes ("C:/Windows/System32"):
 * the same with backslashes into out (cap bytes, NUL-terminated), its
 * length; 0 when s[0..n) does not start with a drive letter, ":/" and a
 * name, or does not fit. */
size_t ioc_drive_path(const char *s, size_t n, char *out, size_t cap);

/* An IPv4 address block, "a.b.c.d/N": the addresses whose first N bits
 * are those of net (host bits of the written address are dropped, as in
 * "10.1.2.5/24" for 10.1.2.0/24).  Blocks wider than /8 stand for
 * themselves as written (a query for "0.0.0.0/0" means that text, not
 * every address). */
#define IOC_BLOCK_MIN_BITS 8
typedef struct ioc_block {
  uint32_t net, mask;
  unsigned bits;
} ioc_block;

/* Is s[0..n) exactly a dotted-quad IPv4 address (octets 0-255)? */
int ioc_ipv4(const char *s, size_t n, uint32_t *out);

/* Is s[0..n) a block "a.b.c.d/N" with IOC_BLOCK_MIN_BITS <= N <= 32? */
int ioc_block_parse(const char *s, size_t n, ioc_block *out);

/* The terms of the index inside a block (addresses, and blocks written
 * inside it), without their field prefix: at most max, the most frequent,
 * sorted by bytes; cut is 1 when the block held more.  Owned by the
 * struct: free with ioc_terms_free (also after a failure, harmlessly). */
typedef struct ioc_terms {
  char **terms;
  uint64_t *counts;
  size_t n, max;
  int cut;
} ioc_terms;

/* Fill *out from one walk of ctx->each_term over the terms under prefix
 * (the field prefix: "" or "S") and the block's whole leading octets.
 * Without each_term, no term.  CYS_NOMEM, or the walk's failure. */
cys_status ioc_block_terms(const cys_query_context *ctx, const char *prefix,
                           const ioc_block *b, size_t max, ioc_terms *out);
void ioc_terms_free(ioc_terms *t);

/* The filter ip:VALUE: the articles with an IPv4 address inside the block
 * (or the address) VALUE, defanged or not, as boolean terms; at most
 * IOC_FILTER_MAX_ADDRESSES addresses, else CYS_BAD_QUERY saying so, as
 * for a value that is not an address or a block /8 to /32. */
#define IOC_FILTER_MAX_ADDRESSES 1000
/* ---- query_run.c ---- */

/* indexed:, changed: and added-since: (FILTER_INDEXED, FILTER_CHANGED,
 * FILTER_ADDED_SINCE): a range of runs over the run slots (schema.h);
 * story: (FILTER_STORY): the copies of one story.  name is the field's
 * name as written (filter_field_name), for the messages. */
cys_status run_filter(const cys_query_context *ctx, filter_field f,
                      const char *name, const char *value, cys_query **out,
                      char *error, size_t esize);

cys_status ioc_block_filter(const cys_query_context *ctx, const char *value,
                            cys_query **out, char *error, size_t error_size);

/* ---- the record of what was read (query_record.c) --------------------- */

/* What the parser made of a stretch of the text. */
typedef enum query_item_kind {
  QUERY_ITEM_WORDS,      /* an unquoted run of words ("ransomware",
                            "e-mail", "=word", "title:word") */
  QUERY_ITEM_IDENTIFIER, /* an unquoted run read as one identifier or
                            indicator: its first word is a whole
                            ("CVE-2017-0144", "evil[.]com", "HIV-1"), or
                            a designator typed apart ("APT 28") */
  QUERY_ITEM_PHRASE,     /* "quoted words", also "..."~N */
  QUERY_ITEM_WILDCARD,   /* prefix* */
  QUERY_ITEM_FILTER,     /* field:value */
  QUERY_ITEM_OPERATOR,   /* AND, OR, NOT, NEAR, NEAR/N */
  QUERY_ITEM_OPEN,       /* the "(" of a group, with its sign and field
                            ("-(", "title:(") */
  QUERY_ITEM_CLOSE       /* the ")" that closes a group */
} query_item_kind;

/* query_item.flags */
#define QUERY_ITEM_NEGATED 1u  /* -x, NOT x (NOT NOT x is not) */
#define QUERY_ITEM_REQUIRED 2u /* +x */
#define QUERY_ITEM_EXACT 4u    /* =x: exact forms only */

/* Items past this many are not recorded (query_record.truncated); with
 * the words past CYS_QUERY_MAX_WORDS ignored, a record is bounded. */
#define QUERY_RECORD_MAX_ITEMS (4 * CYS_QUERY_MAX_WORDS)

typedef struct query_item {
  query_item_kind kind;
  unsigned flags;                /* QUERY_ITEM_* */
  size_t start, end;             /* the whole item in the query text: sign,
                                    field:, '=', quotes, ~N and '*' */
  size_t value_start, value_end; /* what was read: the words (inside the
                                    quotes), a filter's value */
  int field;                     /* text items and groups: a text_field;
                                    filters: a filter_field */
  size_t first_term, nterms;     /* its words: terms[first_term..+nterms) */
} query_item;

/* The items of a query in text order, and the words the analyzer found in
 * each text item (wholes and their parts, as it gave them; words past
 * CYS_QUERY_MAX_WORDS are not there).  A term's start and end are byte
 * offsets in the query text; the words of a designator typed apart
 * ("APT 28", read as "apt28") span their item's value.  Owned by the
 * parsed query (cys_parsed_query.record). */
struct cys_query_record {
  query_item *items;
  size_t nitems, items_cap;
  struct qword *terms;
  size_t nterms, terms_cap;
  int truncated; /* items past QUERY_RECORD_MAX_ITEMS were dropped */
};
typedef struct cys_query_record query_record;

void query_record_free(query_record *r);

/* ---- the parser's state (query.c and query_item.c) --------------------- */

/* A growable list of owned queries. */
typedef struct qvec {
  cys_query **items;
  size_t n, cap;
} qvec;

/* One analysed word of the current item (copied out of the analyzer);
 * also the words of the record (query_record). */
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
  query_record *record; /* what was read, item by item; NULL while a
                           stretch already recorded is read a second way
                           (a drive path's backslash form) */
} parser;

/* Append an item to the record, with the words of p->words as its terms
 * when with_words (their offsets moved by `at`, the offset of the
 * analysed text in the query text; SIZE_MAX: it was not the query's own
 * text, and the words span the item's value).  Returns the item's index,
 * or SIZE_MAX when it was not recorded (the record is full, the parser
 * has failed, or p->record is NULL). */
size_t record_item(parser *p, const query_item *item, int with_words,
                   size_t at);

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
  /* For the record: the whole item and its value in the query text,
   * where text starts in it (SIZE_MAX: text is not the query's own, as
   * "apt28" joined from "APT 28"), its sign and '='. */
  size_t start, end, value_start, value_end, at;
  unsigned flags; /* QUERY_ITEM_* */
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
