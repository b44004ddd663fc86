/*
 * query_combine.c — how the parts of a parsed query combine (see the
 * grammar in query.c): a sequence of clauses written side by side as
 * (AND of +required) AND_MAYBE (OR of optional), filtered by its filters
 * (OR within a field, AND across; filter-only groups ANDed), minus its
 * excluded clauses; the operands of AND and OR; and the lists both use.
 * Groups of optional words only are merged into the enclosing sequence,
 * so parentheses in pasted sentences change nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "query_internal.h"

void qvec_push(parser *p, qvec *v, cys_query *q) {
  if (p->status != CYS_OK) {
    cys_query_free(q);
    return;
  }
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    cys_query **bigger = realloc(v->items, cap * sizeof *bigger);
    if (!bigger) {
      cys_query_free(q);
      p->status = CYS_NOMEM;
      return;
    }
    v->items = bigger;
    v->cap = cap;
  }
  v->items[v->n++] = q;
}

void qvec_free(qvec *v) {
  for (size_t i = 0; i < v->n; i++)
    cys_query_free(v->items[i]);
  free(v->items);
  v->items = NULL;
  v->n = v->cap = 0;
}

/* ---- clauses and sequences --------------------------------------------- */

void seq_free(seq *s) {
  if (!s)
    return;
  qvec_free(&s->optional);
  qvec_free(&s->required);
  qvec_free(&s->excluded);
  for (int f = 0; f < FILTER_FIELDS; f++)
    qvec_free(&s->filters[f]);
  qvec_free(&s->group_filters);
  qvec_free(&s->excluded_filters);
  free(s);
}

static void clause_free(clause *c) {
  cys_query_free(c->query);
  seq_free(c->group);
  memset(c, 0, sizeof *c);
}

static int seq_has_filters(const seq *s) {
  for (int f = 0; f < FILTER_FIELDS; f++)
    if (s->filters[f].n)
      return 1;
  return s->group_filters.n || s->excluded_filters.n;
}

/* *q = *q OP (the OR of items[0..n)), freeing the old *q on success. */
static cys_status attach(cys_query **q, cys_query_op op,
                         cys_query *const *items, size_t n) {
  cys_query *any = NULL, *joined = NULL;
  cys_status st = cys_query_new_combined(CYS_OP_OR, items, n, 0, &any);
  if (!st) {
    cys_query *pair[2] = {*q, any};
    st = cys_query_new_combined(op, pair, 2, 0, &joined);
  }
  if (!st) {
    cys_query_free(*q);
    *q = joined;
  }
  cys_query_free(any);
  return st;
}

/* A sequence as one query: the required clauses AND_MAYBE the optional
 * ones, filtered by each field's filters and the filter groups, minus the
 * excluded filters and clauses.  NULL (and CLAUSE_NONE) when it holds
 * nothing; a sequence of filters or exclusions only starts from all
 * documents and is CLAUSE_BOOLEAN. */
/* Is the filter-only sequence s one filter group, or the filters of one
 * field?  Then *q is that (NULL when memory ran out). */
static int one_filter(const seq *s, cys_query **q) {
  const qvec *only = s->group_filters.n ? &s->group_filters : NULL;
  for (int f = 0; f < FILTER_FIELDS; f++)
    if (s->filters[f].n) {
      if (only)
        return 0;
      only = &s->filters[f];
    }
  if (!only || (only == &s->group_filters && only->n != 1))
    return 0;
  *q = NULL;
  if (cys_query_new_combined(CYS_OP_OR, only->items, only->n, 0, q) != CYS_OK)
    *q = NULL;
  return 1;
}

cys_query *seq_combine(parser *p, const seq *s, int nested, clause_kind *kind) {
  cys_query *q = NULL;
  cys_status st = CYS_OK;
  *kind = CLAUSE_NONE;
  if (p->status != CYS_OK)
    return NULL;
  if (s->required.n) {
    st = cys_query_new_combined(CYS_OP_AND, s->required.items, s->required.n, 0,
                                &q);
    if (!st && s->optional.n)
      st = attach(&q, CYS_OP_AND_MAYBE, s->optional.items, s->optional.n);
    *kind = CLAUSE_SCORED;
  } else if (s->optional.n) {
    st = cys_query_new_combined(CYS_OP_OR, s->optional.items, s->optional.n, 0,
                                &q);
    *kind = CLAUSE_SCORED;
  } else if (nested && !s->excluded.n && !s->excluded_filters.n &&
             one_filter(s, &q)) {
    /* a group of one filter, or of one field's filters: just those */
    *kind = q ? CLAUSE_BOOLEAN : CLAUSE_NONE;
    if (!q)
      p->status = CYS_NOMEM;
    return q;
  } else if (s->excluded.n || seq_has_filters(s)) {
    st = cys_query_new_all(&q); /* only "-word" or filters: all, then */
    *kind = CLAUSE_BOOLEAN;
  } else {
    return NULL;
  }
  for (int f = 0; f < FILTER_FIELDS && !st; f++)
    if (s->filters[f].n)
      st = attach(&q, CYS_OP_FILTER, s->filters[f].items, s->filters[f].n);
  for (size_t i = 0; i < s->group_filters.n && !st; i++)
    st = attach(&q, CYS_OP_FILTER, &s->group_filters.items[i], 1);
  if (!st && s->excluded_filters.n)
    st = attach(&q, CYS_OP_AND_NOT, s->excluded_filters.items,
                s->excluded_filters.n);
  if (!st && s->excluded.n)
    st = attach(&q, CYS_OP_AND_NOT, s->excluded.items, s->excluded.n);
  if (st) {
    cys_query_free(q);
    p->status = st;
    *kind = CLAUSE_NONE;
    return NULL;
  }
  return q;
}

/* Turn a group clause into its query. */
static void clause_resolve(parser *p, clause *c) {
  if (!c->group)
    return;
  c->query = seq_combine(p, c->group, 1, &c->kind);
  seq_free(c->group);
  c->group = NULL;
}

/* A group of optional words only, e.g. "(AMPK)" or "(E. coli)" pasted from
 * a sentence: its items join the enclosing sequence as they are, so that
 * parentheses in plain text change nothing. */
static int pure_optional(const seq *s) {
  return s->optional.n && !s->required.n && !s->excluded.n &&
         !seq_has_filters(s);
}

void seq_add(parser *p, seq *s, clause *c) {
  if (c->group && !c->neg && !c->req && pure_optional(c->group)) {
    for (size_t i = 0; i < c->group->optional.n; i++) {
      qvec_push(p, &s->optional, c->group->optional.items[i]);
      c->group->optional.items[i] = NULL;
    }
    clause_free(c);
    return;
  }
  clause_resolve(p, c);
  if (c->kind == CLAUSE_NONE || !c->query || p->status != CYS_OK) {
    clause_free(c);
    return;
  }
  qvec *to;
  if (c->filter)
    to = c->neg ? &s->excluded_filters : &s->filters[c->filter - 1];
  else if (c->kind == CLAUSE_BOOLEAN)
    to = c->neg ? &s->excluded_filters : &s->group_filters;
  else
    to = c->neg ? &s->excluded : c->req ? &s->required : &s->optional;
  qvec_push(p, to, c->query);
  c->query = NULL;
  clause_free(c);
}

/* ---- combining operands ------------------------------------------------ */

void clist_push(parser *p, clist *l, clause *c) {
  if (c->kind == CLAUSE_NONE && !c->group)
    return; /* a dangling operator's missing operand */
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 4;
    clause *bigger = realloc(l->items, cap * sizeof *bigger);
    if (!bigger) {
      clause_free(c);
      p->status = CYS_NOMEM;
      return;
    }
    l->items = bigger;
    l->cap = cap;
  }
  l->items[l->n++] = *c;
  memset(c, 0, sizeof *c);
}

void clist_free(clist *l) {
  for (size_t i = 0; i < l->n; i++)
    clause_free(&l->items[i]);
  free(l->items);
}

static cys_query *combine_list(parser *p, cys_query_op op, qvec *v) {
  cys_query *q = NULL;
  if (p->status == CYS_OK && v->n) {
    cys_status st = cys_query_new_combined(op, v->items, v->n, 0, &q);
    if (st)
      p->status = st;
  }
  return q;
}

/* a AND b AND NOT c: the scored operands ANDed, filter operands as
 * filters, minus the negated ones.  Only negated operands: one negated
 * clause (NOT a AND NOT b is NOT (a OR b)). */
clause combine_and(parser *p, clist *l) {
  clause r = {0};
  qvec scored = {0}, boolean = {0}, negated = {0};
  for (size_t i = 0; i < l->n; i++) {
    clause *c = &l->items[i];
    clause_resolve(p, c);
    if (c->kind == CLAUSE_NONE || !c->query)
      continue;
    qvec_push(p,
              c->neg                     ? &negated
              : c->kind == CLAUSE_SCORED ? &scored
                                         : &boolean,
              c->query);
    c->query = NULL;
  }
  cys_status st = CYS_OK;
  if (scored.n || boolean.n) {
    r.kind = scored.n ? CLAUSE_SCORED : CLAUSE_BOOLEAN;
    r.query = combine_list(p, CYS_OP_AND, scored.n ? &scored : &boolean);
    if (scored.n && boolean.n && r.query)
      for (size_t i = 0; i < boolean.n && !st; i++)
        st = attach(&r.query, CYS_OP_FILTER, &boolean.items[i], 1);
    if (negated.n && r.query && !st)
      st = attach(&r.query, CYS_OP_AND_NOT, negated.items, negated.n);
  } else if (negated.n) {
    r.kind = CLAUSE_SCORED;
    r.neg = 1;
    r.query = combine_list(p, CYS_OP_OR, &negated);
  }
  if (st && p->status == CYS_OK)
    p->status = st;
  if (p->status != CYS_OK) {
    cys_query_free(r.query);
    r = (clause){0};
  }
  qvec_free(&scored);
  qvec_free(&boolean);
  qvec_free(&negated);
  return r;
}

/* a OR b OR NOT c: any of them (NOT c: every document without c). */
clause combine_or(parser *p, clist *l) {
  clause r = {.kind = CLAUSE_BOOLEAN};
  qvec parts = {0};
  for (size_t i = 0; i < l->n && p->status == CYS_OK; i++) {
    clause *c = &l->items[i];
    clause_resolve(p, c);
    if (c->kind == CLAUSE_NONE || !c->query)
      continue;
    if (c->kind == CLAUSE_SCORED && !c->neg)
      r.kind = CLAUSE_SCORED;
    if (c->neg) {
      cys_query *all = NULL;
      cys_status st = cys_query_new_all(&all);
      if (!st)
        st = attach(&all, CYS_OP_AND_NOT, &c->query, 1);
      if (st) {
        cys_query_free(all);
        p->status = st;
        break;
      }
      qvec_push(p, &parts, all);
    } else {
      qvec_push(p, &parts, c->query);
      c->query = NULL;
    }
  }
  r.query = combine_list(p, CYS_OP_OR, &parts);
  if (!r.query)
    r.kind = CLAUSE_NONE;
  qvec_free(&parts);
  return r;
}

/* A list of operands as one clause: the operand itself when there is one
 * (keeping its sign, so "NOT x" alone is "-x"), else combined. */
clause reduce(parser *p, clist *l, clause (*combine)(parser *, clist *)) {
  clause r = {0};
  if (l->n == 1) {
    r = l->items[0];
    memset(&l->items[0], 0, sizeof r);
  } else if (l->n > 1) {
    r = combine(p, l);
  }
  clist_free(l);
  return r;
}
