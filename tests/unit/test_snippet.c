/*
 * test_snippet.c — cys_snippet_make (internal.h): highlights on whole words
 * matching stems and exact forms, spans pointing at the right snippet bytes,
 * "…" where text was cut, the lead when nothing matches, and never a cut
 * UTF-8 character, over multibyte texts and every target size.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/utf8.h"
#include "snippet.h"

#define ELLIPSIS "\xE2\x80\xA6"

static cys_analyzer *analyzer;

typedef struct snippet {
  cys_status status;
  char *text;
  cys_span *spans;
  size_t nspans;
} snippet;

/* Terms from two NULL-terminated lists (the strings are copied). */
static cys_query_terms make_terms(const char *const *stems,
                                  const char *const *exacts) {
  cys_query_terms t = {0};
  for (; stems && stems[t.nstems]; t.nstems++)
    ;
  for (; exacts && exacts[t.nexacts]; t.nexacts++)
    ;
  t.stems = calloc(t.nstems + 1, sizeof *t.stems);
  t.exacts = calloc(t.nexacts + 1, sizeof *t.exacts);
  for (size_t i = 0; i < t.nstems; i++)
    t.stems[i] = strdup(stems[i]);
  for (size_t i = 0; i < t.nexacts; i++)
    t.exacts[i] = strdup(exacts[i]);
  return t;
}

static void free_terms(cys_query_terms *t) {
  for (size_t i = 0; i < t->nstems; i++)
    free(t->stems[i]);
  for (size_t i = 0; i < t->nexacts; i++)
    free(t->exacts[i]);
  free(t->stems);
  free(t->exacts);
}

static snippet make(const cys_query_terms *t, const char *text, size_t len,
                    size_t target) {
  snippet s = {0};
  s.status = cys_snippet_make(analyzer, t, text, len, target, &s.text, &s.spans,
                              &s.nspans);
  return s;
}

static void free_snippet(snippet *s) {
  if (s->status == CYS_OK) {
    free(s->text);
    free(s->spans);
  }
}

/* The matching tokens of a snippet's own analysis, as [start, end). */
typedef struct token_set {
  const cys_query_terms *terms;
  size_t starts[256], ends[256];
  size_t n;
} token_set;

static int matches(const cys_query_terms *t, const cys_token *tok) {
  for (size_t i = 0; i < t->nstems; i++)
    if (strlen(t->stems[i]) == tok->stem_len &&
        memcmp(t->stems[i], tok->stem, tok->stem_len) == 0)
      return 1;
  for (size_t i = 0; i < t->nexacts; i++)
    if (strlen(t->exacts[i]) == tok->exact_len &&
        memcmp(t->exacts[i], tok->exact, tok->exact_len) == 0)
      return 1;
  return 0;
}

static int on_token(void *ctx, const cys_token *tok) {
  token_set *set = ctx;
  if (matches(set->terms, tok) && set->n < 256) {
    set->starts[set->n] = tok->start;
    set->ends[set->n++] = tok->end;
  }
  return 0;
}

/* Is text[0..to - from) a possessive "'s"?  (The analyzer's span of a
 * possessive word includes the "'s" when punctuation follows, so a span may
 * run that far past the token of the same word in the snippet.) */
static int possessive(const char *text, size_t to, size_t from) {
  size_t n = to > from ? to - from : 0;
  return (n == 2 && memcmp(text, "'s", 2) == 0) ||
         (n == 4 && (memcmp(text, "\xE2\x80\x99s", 4) == 0)) ||
         (n == 3 && memcmp(text, "\xCA\xBCs", 3) == 0);
}

/* What every snippet must be: valid UTF-8, spans in order, inside it, not
 * overlapping, each exactly on a word of the snippet that the terms match
 * (so never on part of a word).  Returns 1 when it is. */
static int well_formed(const snippet *s, const cys_query_terms *t) {
  if (s->status != CYS_OK || !s->text)
    return 0;
  size_t len = strlen(s->text);
  if (cys_utf8_invalid_offset(s->text, len) != len)
    return 0;
  token_set set = {.terms = t};
  cys_analyze(analyzer, s->text, len, on_token, &set);
  size_t prev_end = 0;
  for (size_t i = 0; i < s->nspans; i++) {
    const cys_span *sp = &s->spans[i];
    if (sp->start >= sp->end || sp->end > len || sp->start < prev_end)
      return 0;
    prev_end = sp->end;
    int found = 0;
    for (size_t k = 0; k < set.n && !found; k++)
      found = set.starts[k] == sp->start &&
              (set.ends[k] == sp->end ||
               possessive(s->text + set.ends[k], sp->end, set.ends[k]));
    if (!found)
      return 0;
  }
  return 1;
}

/* The highlighted words joined by '|'. */
static const char *spans_text(const snippet *s) {
  static char out[1024];
  out[0] = '\0';
  for (size_t i = 0; i < s->nspans && s->status == CYS_OK; i++) {
    size_t n = strlen(out);
    snprintf(out + n, sizeof out - n, "%s%.*s", i ? "|" : "",
             (int)(s->spans[i].end - s->spans[i].start),
             s->text + s->spans[i].start);
  }
  return out;
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_short_texts(void) {
  /* the whole text fits: no markers, blanks collapsed, stems matched on
   * word boundaries ("hackers" stems to "hacker", "shack" is another word) */
  cys_query_terms t = make_terms(L("hack"), NULL);
  const char *text = "Hackers hacked  the\nhacking shack; HACKS!";
  snippet s = make(&t, text, strlen(text), 240);
  CHECK_INT(s.status, CYS_OK);
  CHECK_STR(s.text, "Hackers hacked the hacking shack; HACKS!");
  CHECK_INT(s.nspans, 3);
  CHECK_STR(spans_text(&s), "hacked|hacking|HACKS");
  if (s.nspans == 3) {
    CHECK_INT(s.spans[0].start, 8);
    CHECK_INT(s.spans[0].end, 14);
    CHECK_INT(s.spans[1].start, 19);
    CHECK_INT(s.spans[1].end, 26);
    CHECK_INT(s.spans[2].start, 34);
    CHECK_INT(s.spans[2].end, 39);
  }
  CHECK(well_formed(&s, &t));
  free_snippet(&s);
  free_terms(&t);

  /* exact forms: case-folded, whole words only */
  t = make_terms(NULL, L("log4j"));
  text = "The Log4j flaw, log4j2 and LOG4J.";
  s = make(&t, text, strlen(text), 240);
  CHECK_STR(s.text, text);
  CHECK_STR(spans_text(&s), "Log4j|LOG4J");
  CHECK(well_formed(&s, &t));
  free_snippet(&s);
  free_terms(&t);

  /* stems and exacts together; multibyte words */
  t = make_terms(L("attack"), L("caf\xC3\xA9"));
  text = "Le caf\xC3\xA9 \xE2\x80\x94 attacks on CAF\xC3\x89 networks";
  s = make(&t, text, strlen(text), 240);
  CHECK_STR(s.text, text);
  CHECK_STR(spans_text(&s), "caf\xC3\xA9|attacks|CAF\xC3\x89");
  CHECK(well_formed(&s, &t));
  free_snippet(&s);
  free_terms(&t);

  /* an identifier is highlighted whole, once */
  t = make_terms(NULL, L("cve-2021-44228"));
  text = "Patch CVE-2021-44228 now.";
  s = make(&t, text, strlen(text), 240);
  CHECK_STR(spans_text(&s), "CVE-2021-44228");
  CHECK_INT(s.nspans, 1);
  free_snippet(&s);
  free_terms(&t);

  /* empty text, and no terms at all */
  t = make_terms(L("hack"), NULL);
  s = make(&t, "", 0, 100);
  CHECK_INT(s.status, CYS_OK);
  CHECK_STR(s.text, "");
  CHECK_INT(s.nspans, 0);
  free_snippet(&s);
  free_terms(&t);
  t = make_terms(NULL, NULL);
  s = make(&t, "plain words", 11, 100);
  CHECK_STR(s.text, "plain words");
  CHECK_INT(s.nspans, 0);
  free_snippet(&s);
  free_terms(&t);
}

/* A long text of filler words with one match far inside. */
static char *long_text(const char *middle, size_t *len) {
  const char *filler = "the quick brown fox jumps over the lazy dog ";
  size_t fl = strlen(filler), ml = strlen(middle);
  char *text = malloc(fl * 40 + ml + 1);
  if (!text)
    return NULL;
  size_t n = 0;
  for (int i = 0; i < 20; i++, n += fl)
    memcpy(text + n, filler, fl);
  memcpy(text + n, middle, ml);
  n += ml;
  for (int i = 0; i < 20; i++, n += fl)
    memcpy(text + n, filler, fl);
  text[n] = '\0';
  *len = n;
  return text;
}

static void test_cut_texts(void) {
  size_t len;
  char *text = long_text("ransomware gang hacked the hospital ", &len);
  if (!text) {
    CHECK(0);
    return;
  }
  cys_query_terms t = make_terms(L("hack", "hospit"), NULL);
  snippet s = make(&t, text, len, 80);
  CHECK_INT(s.status, CYS_OK);
  CHECK(well_formed(&s, &t));
  CHECK_STR(spans_text(&s), "hacked|hospital");
  size_t n = s.text ? strlen(s.text) : 0;
  /* cut on both sides: markers, whole words, about the target size */
  CHECK(n >= 8 && memcmp(s.text, ELLIPSIS " ", 4) == 0);
  CHECK(n >= 8 && memcmp(s.text + n - 4, " " ELLIPSIS, 4) == 0);
  CHECK(n <= 80 + 8);
  CHECK(n >= 40);
  /* between the markers: a piece of the text cut at blanks on both sides */
  if (n >= 8) {
    char inner[256];
    snprintf(inner, sizeof inner, "%.*s", (int)(n - 8), s.text + 4);
    const char *at = strstr(text, inner);
    CHECK(at != NULL);
    if (at) {
      CHECK(at > text && at[-1] == ' ');
      CHECK(at[strlen(inner)] == ' ');
    }
  }
  free_snippet(&s);
  free_terms(&t);

  /* no match: the lead of the text, cut at a word, marker at the end only */
  t = make_terms(L("zebra"), NULL);
  s = make(&t, text, len, 50);
  CHECK_INT(s.status, CYS_OK);
  CHECK_STR(s.text,
            "the quick brown fox jumps over the lazy dog the " ELLIPSIS);
  CHECK_INT(s.nspans, 0);
  free_snippet(&s);
  free_terms(&t);

  /* a match at the very start: no leading marker */
  t = make_terms(L("quick"), NULL);
  s = make(&t, text, len, 30);
  CHECK(s.text && strncmp(s.text, "the quick", 9) == 0);
  CHECK(s.text && strstr(s.text, " " ELLIPSIS) != NULL);
  CHECK_STR(spans_text(&s), "quick");
  free_snippet(&s);
  free_terms(&t);
  free(text);
}

/* Multibyte texts at every target size: always valid UTF-8, spans right. */
static int check_all_targets(const char *text, const cys_query_terms *t,
                             size_t want_spans_min) {
  size_t len = strlen(text);
  int bad = 0;
  for (size_t target = 1; target <= len + 10; target++) {
    snippet s = make(t, text, len, target);
    if (!well_formed(&s, t) || s.nspans < want_spans_min) {
      bad++;
      if (bad <= 3)
        fprintf(stderr, "  target %zu: snippet \"%s\" (%zu spans)\n", target,
                s.text ? s.text : "(null)", s.nspans);
    }
    free_snippet(&s);
  }
  return bad;
}

static void test_utf8_safety(void) {
  /* Cyrillic, CJK, emoji, accents; matches in the middle */
  static const char *const texts[] = {
      "\xD0\xA5\xD0\xB0\xD0\xBA\xD0\xB5\xD1\x80\xD1\x8B "
      "\xD0\xB2\xD0\xB7\xD0\xBB\xD0\xBE\xD0\xBC\xD0\xB0\xD0\xBB\xD0\xB8 "
      "\xF0\x9F\x94\x92 hospital \xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97 "
      "\xC3\xA9t\xC3\xA9 attacks \xD1\x81\xD0\xB5\xD1\x82\xD1\x8C "
      "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 r\xC3\xA9seau attacked",
      /* no blanks near the match: the window edge falls inside runs of
       * multibyte characters that touch the matched word */
      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\x94hospital\xE2\x80\x94"
      "\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD"
      "\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD",
      "\xF0\x9F\x94\x92\xF0\x9F\x94\x92\xF0\x9F\x94\x92\xF0\x9F\x94\x92"
      "\xF0\x9F\x94\x92\xF0\x9F\x94\x92\xF0\x9F\x94\x92\xF0\x9F\x94\x92,"
      "attacks,"
      "\xF0\x9F\x94\x92\xF0\x9F\x94\x92\xF0\x9F\x94\x92\xF0\x9F\x94\x92",
      /* multibyte without any blank at all, and no match */
      ("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD"
       "\x97\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97\xE4\xB8\xAD\xE6\x96\x87"),
  };
  cys_query_terms t = make_terms(L("hospit", "attack"), NULL);
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    int bad = check_all_targets(texts[i], &t, 0);
    if (bad)
      fprintf(stderr, "  text %zu: %d bad snippets\n", i, bad);
    CHECK_INT(bad, 0);
  }
  /* with a large enough target the match is always shown */
  for (size_t i = 0; i < 3; i++) {
    size_t len = strlen(texts[i]);
    snippet s = make(&t, texts[i], len, len);
    CHECK(s.nspans >= 1);
    free_snippet(&s);
  }
  free_terms(&t);
}

/* Random texts from words, multibyte characters, blanks and punctuation,
 * at random targets: every snippet well formed. */
static void test_random(void) {
  static const char *const pieces[] = {"hack",
                                       "Hacked",
                                       "hacking",
                                       "shack",
                                       "attack",
                                       "the",
                                       " ",
                                       "  ",
                                       "\n",
                                       ",",
                                       ".",
                                       "-",
                                       "\xE2\x80\x94",
                                       "\xC3\xA9",
                                       "caf\xC3\xA9",
                                       "\xE4\xB8\xAD",
                                       "\xF0\x9F\x94\x92",
                                       "CVE-2021-44228",
                                       "log4j",
                                       "\xD1\x81\xD0\xB5\xD1\x82",
                                       "\xE2\x80\x8B",
                                       "\xC2\xA0",
                                       "'s",
                                       "\t"};
  cys_query_terms t = make_terms(L("hack", "attack"), L("log4j", "2021"));
  char text[600];
  unsigned long v = 99;
  int bad = 0;
  for (int round = 0; round < 3000; round++) {
    size_t len = 0;
    for (;;) {
      v = v * 6364136223846793005ul + 1442695040888963407ul;
      const char *p = pieces[(v >> 33) % (sizeof pieces / sizeof *pieces)];
      if (len + strlen(p) >= sizeof text || (v >> 20) % 97 == 0)
        break;
      memcpy(text + len, p, strlen(p));
      len += strlen(p);
    }
    text[len] = '\0';
    size_t target = 1 + (size_t)((v >> 40) % 200);
    snippet s = make(&t, text, len, target);
    if (!well_formed(&s, &t)) {
      if (++bad <= 3)
        fprintf(stderr, "  random round %d (target %zu): \"%s\"\n", round,
                target, s.text ? s.text : "(null)");
    }
    free_snippet(&s);
  }
  CHECK_INT(bad, 0);
  free_terms(&t);
}

/* A huge article is analysed only in its first 256 KiB (snippet.c), so a
 * snippet's cost is bounded: a match inside that part is shown, one past it
 * is not looked for and the snippet is the lead. */
static void test_huge_text(void) {
  size_t len = (size_t)1 << 20;
  char *text = malloc(len + 1);
  if (!text) {
    CHECK(0);
    return;
  }
  for (size_t i = 0; i < len; i++)
    text[i] = "filler "[i % 7];
  text[len] = '\0';
  memcpy(text + 100 * 7, " hospital ", 10);
  memcpy(text + 140000 * 7, " ransomware ", 12);
  cys_query_terms near = make_terms(L("hospit"), NULL);
  snippet s = make(&near, text, len, 80);
  CHECK_INT(s.status, CYS_OK);
  CHECK_STR(spans_text(&s), "hospital");
  free_snippet(&s);
  free_terms(&near);
  cys_query_terms far = make_terms(L("ransomwar"), NULL);
  s = make(&far, text, len, 80);
  CHECK_INT(s.status, CYS_OK);
  CHECK_INT(s.nspans, 0);
  CHECK(s.text && strncmp(s.text, "filler filler", 13) == 0);
  free_snippet(&s);
  free_terms(&far);
  free(text);
}

int main(void) {
  if (cys_analyzer_new("english", &analyzer) != CYS_OK) {
    CHECK(0);
    return check_done();
  }
  test_short_texts();
  test_cut_texts();
  test_utf8_safety();
  test_random();
  test_huge_text();
  cys_analyzer_free(analyzer);
  return check_done();
}
