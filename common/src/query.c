/*
 * query.c — the user's query text to a cys_query (see query.h for the
 * language): the lexer and the grammar.  How clauses combine is in
 * query_combine.c, items themselves (words, phrases, wildcards) are built
 * in query_item.c, filters in query_filter.c.
 *
 * Grammar, loosest first (juxtaposition binds loosest, so that
 * "china hackers OR attackers" is china (hackers OR attackers)):
 *   sequence := clause*                       juxtaposition
 *   clause   := and (OR and)*
 *   and      := near (AND near)*
 *   near     := unary ((NEAR | NEAR/N) unary)*
 *   unary    := NOT* primary
 *   primary  := [+|-] ( "(" sequence ")" | field:"(" sequence ")"
 *                      | field:value | text item )
 * A sequence combines as flat queries always did: (AND of +required)
 * AND_MAYBE (OR of optional), filtered by its filters (OR within a field,
 * AND across), minus the OR of its -excluded / NOT clauses.  A clause made
 * only of filters (e.g. "(country:CN OR country:RU)") is a filter of its
 * sequence.  Operators are upper case words standing alone; anything the
 * grammar cannot use (a stray operator or ")", an unclosed "(" or quote,
 * parentheses nested deeper than CYS_QUERY_MAX_DEPTH) is dropped or read
 * as text, so parsing never fails but for memory or an unknown filter
 * value.  Every loop consumes input and nesting is bounded: no input can
 * recurse deeper than CYS_QUERY_MAX_DEPTH groups.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cysearch/query.h"
#include "cysearch/schema.h"
#include "ascii_class.h"
#include "query_internal.h"

/* ---- the lexer --------------------------------------------------------- */

typedef enum token_type {
  T_END,
  T_LPAREN,
  T_RPAREN,
  T_AND,
  T_OR,
  T_NOT,
  T_NEAR,
  T_ITEM
} token_type;

typedef struct lexer {
  const char *text;
  size_t len, i;
  int depth; /* groups open */
} lexer;

/* Does a ')' at i close a group?  Only inside one, and only at the end of
 * a word ("(CVE-2024-3094)"), not inside one ("25(OH)D"). */
static int closes(const lexer *lx, size_t i) {
  const char *t = lx->text;
  return lx->depth > 0 && t[i] == ')' &&
         (i + 1 >= lx->len || ascii_is_space(t[i + 1]) || t[i + 1] == ')');
}

/* The end of the unquoted run that starts at i. */
static size_t run_end(const lexer *lx, size_t i) {
  while (i < lx->len && !ascii_is_space(lx->text[i]) && !closes(lx, i))
    i++;
  return i;
}

/* An operator word at i (AND, OR, NOT, NEAR, NEAR/N) standing alone; sets
 * *end and, for NEAR, *gap. */
static token_type operator_at(const lexer *lx, size_t i, size_t *end,
                              unsigned *gap) {
  const char *t = lx->text + i;
  size_t n = 0;
  while (i + n < lx->len && !ascii_is_space(t[n]) && t[n] != '(' && t[n] != ')')
    n++;
  *end = i + n;
  if (n == 3 && memcmp(t, "AND", 3) == 0)
    return T_AND;
  if (n == 2 && memcmp(t, "OR", 2) == 0)
    return T_OR;
  if (n == 3 && memcmp(t, "NOT", 3) == 0)
    return T_NOT;
  if (n >= 4 && memcmp(t, "NEAR", 4) == 0) {
    unsigned g = CYS_NEAR_DEFAULT_GAP;
    if (n > 4) {
      if (t[4] != '/' || n == 5 || n > 8)
        return T_ITEM;
      g = 0;
      for (size_t k = 5; k < n; k++) {
        if (t[k] < '0' || t[k] > '9')
          return T_ITEM;
        g = g * 10 + (unsigned)(t[k] - '0');
      }
      if (g > CYS_NEAR_MAX_GAP)
        g = CYS_NEAR_MAX_GAP;
    }
    *gap = g;
    return T_NEAR;
  }
  return T_ITEM;
}

/* The next token, without consuming it (stray ")" are skipped). */
static token_type peek(parser *p, lexer *lx, size_t *end, unsigned *gap) {
  if (p->status != CYS_OK)
    return T_END;
  for (;;) {
    while (lx->i < lx->len && ascii_is_space(lx->text[lx->i]))
      lx->i++;
    if (lx->i >= lx->len)
      return T_END;
    char c = lx->text[lx->i];
    *end = lx->i + 1;
    if (c == ')' && lx->depth > 0)
      return T_RPAREN;
    if (c == ')' &&
        (lx->i + 1 >= lx->len || ascii_is_space(lx->text[lx->i + 1]) ||
         lx->text[lx->i + 1] == ')')) {
      lx->i++; /* nothing to close */
      continue;
    }
    if (c == '(' && lx->depth < CYS_QUERY_MAX_DEPTH)
      return T_LPAREN;
    return operator_at(lx, lx->i, end, gap);
  }
}

/* Consume the token at lx->i (an operator or a parenthesis) up to end,
 * recording it. */
static void take(parser *p, lexer *lx, size_t end, query_item_kind kind) {
  query_item it = {.kind = kind,
                   .start = lx->i,
                   .end = end,
                   .value_start = lx->i,
                   .value_end = end};
  record_item(p, &it, 0, 0);
  lx->i = end;
}

/* The record's flags for a clause's sign. */
static unsigned sign_flags(const clause *c) {
  return (c->neg ? QUERY_ITEM_NEGATED : 0u) |
         (c->req ? QUERY_ITEM_REQUIRED : 0u);
}

/* ---- items and filters ------------------------------------------------- */

static int starts_with_field(const char *s, size_t n, const char *field) {
  size_t f = strlen(field);
  if (n <= f)
    return 0;
  for (size_t i = 0; i < f; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    if (c != field[i])
      return 0;
  }
  return !ascii_is_space(s[f]);
}

/* The value after "field:": a quoted string (quotes dropped; an unclosed
 * quote runs to the end) or a run.  Copied to value (truncated to its
 * size), its place in the text in *item; returns the offset after it. */
static size_t read_value(const lexer *lx, size_t i, char *value, size_t size,
                         query_item *item) {
  const char *text = lx->text;
  size_t start, end, next;
  if (text[i] == '"') {
    start = i + 1;
    end = start;
    while (end < lx->len && text[end] != '"')
      end++;
    next = end < lx->len ? end + 1 : end;
  } else {
    start = i;
    end = run_end(lx, i);
    next = end;
  }
  size_t n = end - start < size - 1 ? end - start : size - 1;
  memcpy(value, text + start, n);
  value[n] = '\0';
  item->value_start = start;
  item->value_end = end;
  return next;
}

/* "field:value" at lx->i (its sign at from): 1 with *c set (or the
 * parser failed) and the lexer moved past it, or 0 when it is to be read
 * as text. */
static int parse_filter(parser *p, lexer *lx, size_t from, clause *c) {
  filter_field field;
  size_t name_len = filter_field_at(lx->text + lx->i, lx->len - lx->i, &field);
  if (!name_len)
    return 0;
  char value[256];
  query_item item = {.kind = QUERY_ITEM_FILTER,
                     .flags = sign_flags(c),
                     .start = from,
                     .field = (int)field};
  size_t next = read_value(lx, lx->i + name_len, value, sizeof value, &item);
  cys_query *q = NULL;
  cys_status st =
      filter_query(p->ctx, field, value, &q, p->error, p->error_size);
  if (st == CYS_BAD_QUERY && field == FILTER_SITE) {
    if (p->error_size)
      p->error[0] = '\0';
    return 0; /* a pasted "site:x" that we do not index: just words */
  }
  lx->i = next;
  if (st != CYS_OK) {
    p->status = st;
    return 1;
  }
  c->kind = CLAUSE_BOOLEAN;
  c->query = q;
  c->filter = (int)field + 1;
  p->nfilters++;
  item.end = next;
  record_item(p, &item, 0, 0);
  return 1;
}

/* A text item at lx->i (its sign and field at from): '=', a quoted
 * phrase (with ~N), or a run (with a trailing '*'). */
static void parse_text(parser *p, lexer *lx, size_t from, text_field field,
                       clause *c) {
  const char *text = lx->text;
  size_t len = lx->len, i = lx->i;
  item_spec s = {.field = field, .start = from, .flags = sign_flags(c)};
  if (text[i] == '=' && i + 1 < len && !ascii_is_space(text[i + 1])) {
    s.exact = 1;
    s.flags |= QUERY_ITEM_EXACT;
    i++;
  }
  size_t start, end;
  if (text[i] == '"') {
    s.phrase = 1;
    start = ++i;
    while (i < len && text[i] != '"')
      i++;
    end = i;
    if (i < len) {
      i++; /* the closing quote; an unclosed one runs to the end */
      if (i < len && text[i] == '~') {
        unsigned gap = 0;
        size_t d = 0;
        for (i++; i < len && text[i] >= '0' && text[i] <= '9'; i++, d++)
          if (gap <= CYS_NEAR_MAX_GAP)
            gap = gap * 10 + (unsigned)(text[i] - '0');
        s.near = 1;
        s.gap = d == 0                   ? CYS_NEAR_DEFAULT_GAP
                : gap > CYS_NEAR_MAX_GAP ? CYS_NEAR_MAX_GAP
                                         : gap;
      }
    }
  } else {
    start = i;
    end = i = run_end(lx, i);
    while (end > start && text[end - 1] == '*') {
      end--;
      s.wildcard = 1;
    }
  }
  s.text = text + start;
  s.len = end - start;
  s.at = start;
  char joined[16];
  if (!s.phrase && !s.exact && !s.wildcard) {
    size_t joined_end =
        join_designator(text, len, start, end, joined, sizeof joined);
    if (joined_end) {
      s.text = joined;
      s.len = strlen(joined);
      s.at = SIZE_MAX;
      end = i = joined_end;
    }
  }
  s.end = lx->i = i;
  s.value_start = start;
  s.value_end = end;
  item_result r;
  item_build(p, &s, &r);
  c->query = r.query;
  c->kind = r.query ? CLAUSE_SCORED : CLAUSE_NONE;
  c->word = r.word;
}

/* ---- the grammar ------------------------------------------------------- */

static seq *parse_sequence(parser *p, lexer *lx, text_field field);

/* "(" sequence ")" at lx->i (its sign and field at from), the "(" not yet
 * consumed. */
static void parse_group(parser *p, lexer *lx, size_t from, text_field field,
                        clause *c) {
  query_item open = {.kind = QUERY_ITEM_OPEN,
                     .flags = sign_flags(c),
                     .start = from,
                     .end = lx->i + 1,
                     .value_start = lx->i,
                     .value_end = lx->i + 1,
                     .field = (int)field};
  record_item(p, &open, 0, 0);
  lx->i++;
  lx->depth++;
  c->group = parse_sequence(p, lx, field);
  size_t end;
  unsigned gap;
  /* an unclosed group ends with the query */
  if (peek(p, lx, &end, &gap) == T_RPAREN)
    take(p, lx, end, QUERY_ITEM_CLOSE);
  lx->depth--;
  c->kind = CLAUSE_SCORED; /* until resolved */
}

static clause parse_primary(parser *p, lexer *lx, text_field field) {
  clause c = {0};
  const char *text = lx->text;
  size_t len = lx->len, from = lx->i;
  if ((text[lx->i] == '+' || text[lx->i] == '-') && lx->i + 1 < len &&
      !ascii_is_space(text[lx->i + 1])) {
    c.neg = text[lx->i] == '-';
    c.req = text[lx->i] == '+';
    lx->i++;
  }
  int can_open = lx->depth < CYS_QUERY_MAX_DEPTH;
  if (text[lx->i] == '(' && can_open) {
    parse_group(p, lx, from, field, &c);
    return c;
  }
  if (parse_filter(p, lx, from, &c))
    return c;
  static const struct {
    const char *name;
    text_field field;
  } fields[] = {{"title:", FIELD_TITLE}, {"body:", FIELD_BODY}};
  for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
    size_t n = strlen(fields[k].name);
    if (!starts_with_field(text + lx->i, len - lx->i, fields[k].name))
      continue;
    lx->i += n;
    field = fields[k].field;
    if (text[lx->i] == '(' && can_open) {
      parse_group(p, lx, from, field, &c);
      return c;
    }
    break;
  }
  parse_text(p, lx, from, field, &c);
  return c;
}

static clause parse_unary(parser *p, lexer *lx, text_field field) {
  int neg = 0;
  size_t end;
  unsigned gap;
  token_type t;
  while ((t = peek(p, lx, &end, &gap)) == T_NOT) {
    neg = !neg;
    take(p, lx, end, QUERY_ITEM_OPERATOR);
  }
  if (t != T_ITEM && t != T_LPAREN)
    return (clause){0}; /* NOT with nothing after it */
  size_t first = p->record->nitems;
  clause c = parse_primary(p, lx, field);
  if (neg) {
    c.neg = !c.neg;
    if (first < p->record->nitems) /* the item, or its group's "(" */
      p->record->items[first].flags ^= QUERY_ITEM_NEGATED;
  }
  return c;
}

/* a NEAR b NEAR/5 c: one group of single words within the largest window
 * asked for; operands that are not single words make it an AND. */
static clause parse_near(parser *p, lexer *lx, text_field field) {
  clist l = {0};
  clause c = parse_unary(p, lx, field);
  clist_push(p, &l, &c);
  unsigned widest = 0, gap = 0;
  size_t end;
  int saw_near = 0;
  while (peek(p, lx, &end, &gap) == T_NEAR) {
    take(p, lx, end, QUERY_ITEM_OPERATOR);
    saw_near = 1;
    if (gap > widest)
      widest = gap;
    c = parse_unary(p, lx, field);
    clist_push(p, &l, &c);
  }
  int words = saw_near && l.n > 1;
  for (size_t i = 0; i < l.n && words; i++)
    words = l.items[i].word.len > 0 && !l.items[i].neg;
  if (!words || p->status != CYS_OK)
    return reduce(p, &l, combine_and);
  near_word *w = malloc(l.n * sizeof *w);
  clause r = {.kind = CLAUSE_SCORED};
  if (!w) {
    p->status = CYS_NOMEM;
  } else {
    for (size_t i = 0; i < l.n; i++)
      w[i] = l.items[i].word;
    r.query = near_query(p, w, l.n, (unsigned)l.n + widest);
  }
  free(w);
  clist_free(&l);
  if (!r.query)
    r.kind = CLAUSE_NONE;
  return r;
}

static clause parse_and(parser *p, lexer *lx, text_field field) {
  clist l = {0};
  clause c = parse_near(p, lx, field);
  clist_push(p, &l, &c);
  size_t end;
  unsigned gap;
  while (peek(p, lx, &end, &gap) == T_AND) {
    take(p, lx, end, QUERY_ITEM_OPERATOR);
    c = parse_near(p, lx, field);
    clist_push(p, &l, &c);
  }
  return reduce(p, &l, combine_and);
}

static clause parse_or(parser *p, lexer *lx, text_field field) {
  clist l = {0};
  clause c = parse_and(p, lx, field);
  clist_push(p, &l, &c);
  size_t end;
  unsigned gap;
  while (peek(p, lx, &end, &gap) == T_OR) {
    take(p, lx, end, QUERY_ITEM_OPERATOR);
    c = parse_and(p, lx, field);
    clist_push(p, &l, &c);
  }
  return reduce(p, &l, combine_or);
}

/* Clauses up to the end, or the ")" closing the current group. */
static seq *parse_sequence(parser *p, lexer *lx, text_field field) {
  seq *s = calloc(1, sizeof *s);
  if (!s) {
    p->status = CYS_NOMEM;
    return NULL;
  }
  size_t end;
  unsigned gap;
  for (;;) {
    token_type t = peek(p, lx, &end, &gap);
    if (t == T_END || t == T_RPAREN)
      break;
    if (t == T_AND || t == T_OR || t == T_NEAR) {
      take(p, lx, end, QUERY_ITEM_OPERATOR); /* with nothing before it */
      continue;
    }
    clause c = parse_or(p, lx, field);
    seq_add(p, s, &c);
  }
  return s;
}

/* ---- the boosts and the entry point ------------------------------------ */

/* The boost of parsed queries (see query.h): title matches of the free
 * words. */
static void build_boosts(parser *p, cys_parsed_query *r) {
  cys_status st = CYS_OK;
  if (p->title_terms.n)
    st = cys_query_new_combined(CYS_OP_OR, p->title_terms.items,
                                p->title_terms.n, 0, &r->title_boost);
  if (st && p->status == CYS_OK)
    p->status = st;
}

cys_status cys_query_parse(const cys_query_context *ctx, const char *text,
                           size_t len, cys_parsed_query **out, char *error,
                           size_t error_size) {
  if (error_size)
    error[0] = '\0';
  cys_parsed_query *result = calloc(1, sizeof *result);
  if (result && !(result->record = calloc(1, sizeof *result->record))) {
    free(result);
    result = NULL;
  }
  if (!result)
    return CYS_NOMEM;
  parser p = {.ctx = ctx,
              .terms = &result->highlight,
              .error = error,
              .error_size = error_size,
              .record = result->record};
  lexer lx = {.text = text, .len = len};
  seq *top = parse_sequence(&p, &lx, FIELD_ANY);
  if (top && p.status == CYS_OK) {
    result->has_text = top->optional.n || top->required.n;
    result->has_filters = p.nfilters > 0;
    result->limits = p.limits;
    build_boosts(&p, result);
    clause_kind kind;
    result->query = seq_combine(&p, top, 0, &kind);
    if (!result->query && p.status == CYS_OK) {
      cys_status st = cys_query_new_none(&result->query);
      if (st)
        p.status = st;
    }
  }
  seq_free(top);
  qvec_free(&p.title_terms);
  free(p.words);
  if (p.status != CYS_OK) {
    if (p.status == CYS_NOMEM && error_size)
      snprintf(error, error_size, "out of memory");
    cys_parsed_query_free(result);
    return p.status;
  }
  *out = result;
  return CYS_OK;
}

/* The notes name the bounds of query.h by their values. */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define GROUP_WORDS STRINGIFY(CYS_QUERY_MAX_GROUP_WORDS)
#define POSITIONAL_WORDS STRINGIFY(CYS_QUERY_MAX_POSITIONAL_WORDS)
#define GROUPS_NOTE                                                            \
  "phrases or NEAR groups past " GROUP_WORDS                                   \
  " words (or past " POSITIONAL_WORDS                                          \
  " in all groups) were searched as all their words in any "                   \
  "order"
#define WORDS_NOTE                                                             \
  "the query is too long: only its first " STRINGIFY(                          \
      CYS_QUERY_MAX_WORDS) " words were searched"

#define SNIPPETS_NOTE                                                          \
  "snippets were cut short by the time limit: later hits have none"

/* The sentence for a cut address block comes first when there is one. */
#define BLOCK_NOTE                                                             \
  "an address block held more addresses than a query searches: only "        \
  "its " STRINGIFY(CYS_WILDCARD_MAX_EXPANSION) " most frequent were searched"
#define WITH_BLOCK(note) (block ? BLOCK_NOTE "; " note : note)

const char *cys_query_limits_note(unsigned limits) {
  int groups =
      (limits & (CYS_LIMIT_GROUP_WORDS | CYS_LIMIT_POSITIONAL_WORDS)) != 0;
  int words = (limits & CYS_LIMIT_WORDS) != 0;
  int snippets = (limits & CYS_LIMIT_SNIPPET_TIME) != 0;
  int block = (limits & CYS_LIMIT_ADDRESS_BLOCK) != 0;
  if (groups && words)
    return snippets ? WITH_BLOCK(WORDS_NOTE ", and " GROUPS_NOTE
                                            "; " SNIPPETS_NOTE)
                    : WITH_BLOCK(WORDS_NOTE ", and " GROUPS_NOTE);
  if (groups)
    return snippets ? WITH_BLOCK(GROUPS_NOTE "; " SNIPPETS_NOTE)
                    : WITH_BLOCK(GROUPS_NOTE);
  if (words)
    return snippets ? WITH_BLOCK(WORDS_NOTE "; " SNIPPETS_NOTE)
                    : WITH_BLOCK(WORDS_NOTE);
  if (snippets)
    return WITH_BLOCK(SNIPPETS_NOTE);
  return block ? BLOCK_NOTE : NULL;
}

static void free_list(char **list, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(list[i]);
  free(list);
}

void cys_parsed_query_free(cys_parsed_query *parsed) {
  if (!parsed)
    return;
  cys_query_free(parsed->query);
  cys_query_free(parsed->title_boost);
  free_list(parsed->highlight.stems, parsed->highlight.nstems);
  free_list(parsed->highlight.exacts, parsed->highlight.nexacts);
  query_record_free(parsed->record);
  free(parsed);
}
