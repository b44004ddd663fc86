/*
 * test_analyze.c — the shared analyzer, table-driven: each case is a text and
 * its tokens as "exact/stem@start-end" (append more cases to `cases`), plus
 * positions, flags, long words, early stop, languages and the stem cache.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/analyze.h"
#include "cysearch/utf8.h"

/* ---- collecting tokens --------------------------------------------------- */

#define MAX_TOKENS 64

typedef struct collected {
  char text[4096]; /* "exact/stem@start-end" joined by single spaces */
  unsigned positions[MAX_TOKENS];
  unsigned flags[MAX_TOKENS];
  size_t n;
  size_t stop_after; /* 0 = never stop */
} collected;

static int collect(void *ctx, const cys_token *t) {
  collected *c = ctx;
  char one[512];
  snprintf(one, sizeof one, "%s%.*s/%.*s@%zu-%zu", c->n ? " " : "",
           (int)t->exact_len, t->exact, (int)t->stem_len, t->stem, t->start,
           t->end);
  if (strlen(c->text) + strlen(one) < sizeof c->text)
    strcat(c->text, one);
  if (c->n < MAX_TOKENS) {
    c->positions[c->n] = t->position;
    c->flags[c->n] = t->flags;
  }
  c->n++;
  return c->stop_after && c->n >= c->stop_after;
}

static cys_status run(cys_analyzer *a, const char *text, size_t len,
                      collected *c) {
  memset(c, 0, sizeof *c);
  return cys_analyze(a, text, len, collect, c);
}

/* ---- the table ----------------------------------------------------------- */

/* One case.  tokens: "exact/stem@start-end" joined by spaces ("" for none).
 * positions: the token positions, or NULL for 0, 1, 2, ...  flags: one word
 * per token, of I (identifier), A (acronym), W (whole), P (part) or "-" for
 * none; NULL leaves them unchecked. */
typedef struct analyze_case {
  const char *text;
  const char *tokens;
  const char *positions;
  const char *flags;
} analyze_case;

static const analyze_case cases[] = {
    /* ASCII words, case folding */
    {"Hackers breach the network",
     "hackers/hacker@0-7 breach/breach@8-14 the/the@15-18 "
     "network/network@19-26",
     NULL, "- - - -"},
    {"RANSOMWARE Gang", "ransomware/ransomwar@0-10 gang/gang@11-15", NULL,
     "- -"},
    {"  leading, trailing.  ", "leading/lead@2-9 trailing/trail@11-19", NULL,
     NULL},
    {"\"quoted,\" (paren) [x]", "quoted/quot@1-7 paren/paren@11-16 x/x@19-20",
     NULL, NULL},
    {"my_var __init__", "my_var/my_var@0-6 __init__/__init__@7-15", NULL, NULL},
    /* stemming; hyphenated words are just their words */
    {"hacking hacked hacks Hack",
     "hacking/hack@0-7 hacked/hack@8-14 hacks/hack@15-20 hack/hack@21-25", NULL,
     NULL},
    {"attackers exploited vulnerabilities",
     "attackers/attack@0-9 exploited/exploit@10-19 "
     "vulnerabilities/vulner@20-35",
     NULL, NULL},
    {"state-sponsored e-mail",
     "state/state@0-5 sponsored/sponsor@6-15 "
     "e/e@16-17 mail/mail@18-22",
     NULL, "- - - -"},
    /* possessives (the 's is not part of the word) and apostrophes */
    {"China's hackers", "china/china@0-5 hackers/hacker@8-15", NULL, NULL},
    /* the span of a possessive word is the same whatever follows it */
    {"China's-backed", "china/china@0-5 backed/back@8-14", NULL, NULL},
    {"China's\xE2\x80\x94"
     "backed",
     "china/china@0-5 backed/back@10-16", NULL, NULL},
    {"China\xE2\x80\x99s APT", "china/china@0-5 apt/apt@10-13", NULL, "- A"},
    {"Microsoft\xCA\xBCs patch", "microsoft/microsoft@0-9 patch/patch@13-18",
     NULL, NULL},
    {"don't", "don't/don't@0-5", NULL, NULL},
    {"don\xE2\x80\x99t", "don't/don't@0-7", NULL, NULL},
    {"'quoted' hackers' tools",
     "quoted/quot@1-7 hackers/hacker@9-16 tools/tool@18-23", NULL, NULL},
    {"it's 's", "it/it@0-2 s/s@6-7", NULL, NULL},
    /* a word of apostrophes and a possessive, which the English stemmer
       reduces to nothing, is its own stem (found by fuzz_analyzer) */
    {"\xCA\xBC\xCA\xBCs\xCA\xBC", "''s'/''s'@0-7", NULL, NULL},
    /* identifiers are not stemmed; dotted versions and CVE ids are kept
     * whole, then given as their parts, the whole at the first part's
     * position */
    {"log4j Log4Shell", "log4j/log4j@0-5 log4shell/log4shell@6-15", NULL,
     "I I"},
    {"hacking123 win32s", "hacking123/hacking123@0-10 win32s/win32s@11-17",
     NULL, "I I"},
    {"Apache 2.4.49",
     "apache/apach@0-6 2.4.49/2.4.49@7-13 2/2@7-8 4/4@9-10 49/49@11-13",
     "0 1 1 2 3", "- IW IP IP IP"},
    {"v1.2, 3. 4,a",
     "v1.2/v1.2@0-4 v1/v1@0-2 2/2@3-4 3/3@6-7 4/4@9-10 a/a@11-12",
     "0 0 1 2 3 4", "IW IP IP I I -"},
    {"1,000 victims", "1/1@0-1 000/000@2-5 victims/victim@6-13", NULL, "I I -"},
    {"CVE-2021-44228",
     "cve-2021-44228/cve-2021-44228@0-14 cve/cve@0-3 2021/2021@4-8 "
     "44228/44228@9-14",
     "0 0 1 2", "IW P IP IP"},
    {"192.168.1.1:8080",
     "192.168.1.1:8080/192.168.1.1:8080@0-16 192.168.1.1/192.168.1.1@0-11 "
     "192/192@0-3 168/168@4-7 1/1@8-9 1/1@10-11 8080/8080@12-16",
     "0 0 0 1 2 3 4", "IW IW IP IP IP IP IP"},
    /* defanged indicators are read plain; offsets stay in the original */
    {"evil[.]com", "evil.com/evil.com@0-10 evil/evil@0-4 com/com@7-10", "0 0 1",
     "IW P P"},
    /* typographic dashes before a number are '-' (en dash, minus,
     * fullwidth hyphen-minus, an em dash between digits); offsets stay in
     * the original text */
    {"CVE\xE2\x80\x93" "2018\xE2\x80\x93" "17456",
     "cve-2018-17456/cve-2018-17456@0-18 cve/cve@0-3 2018/2018@6-10 "
     "17456/17456@13-18",
     "0 0 1 2", "IW P IP IP"},
    {"(CVE\xE2\x80\x93" "2019-0708)",
     "cve-2019-0708/cve-2019-0708@1-16 cve/cve@1-4 2019/2019@7-11 "
     "0708/0708@12-16",
     "0 0 1 2", "IW P IP IP"},
    {"CVE\xE2\x88\x92" "2017\xE2\x80\x94" "0144",
     "cve-2017-0144/cve-2017-0144@0-17 cve/cve@0-3 2017/2017@6-10 "
     "0144/0144@13-17",
     "0 0 1 2", "IW P IP IP"},
    {"\xEF\xBC\xA3VE\xEF\xBC\x8D" "2018\xEF\xBC\x8D"
     "\xEF\xBC\x91\xEF\xBC\x97" "456",
     "cve-2018-17456/cve-2018-17456@0-24 cve/cve@0-5 2018/2018@8-12 "
     "17456/17456@15-24",
     "0 0 1 2", "IW P IP IP"},
    /* ... but an em dash before a word is punctuation: the CVE stays */
    {"CVE-2017-14491\xE2\x80\x94" "A flaw",
     "cve-2017-14491/cve-2017-14491@0-14 cve/cve@0-3 2017/2017@4-8 "
     "14491/14491@9-14 a/a@17-18 flaw/flaw@19-23",
     "0 0 1 2 3 4", "IW P IP IP - -"},
    {"state\xE2\x80\x93" "sponsored", "state/state@0-5 sponsored/sponsor@8-17",
     NULL, "- -"},
    /* fullwidth joiners between word characters */
    {"evil\xEF\xBC\x8E" "com", "evil.com/evil.com@0-10 evil/evil@0-4 com/com@7-10",
     "0 0 1", "IW P P"},
    /* the host of a URL or address with hyphenated labels is a whole too
     * (before its dotted piece); a version after a name stays its own */
    {"ops@evil-cdn.example",
     "ops@evil-cdn.example/ops@evil-cdn.example@0-20 "
     "evil-cdn.example/evil-cdn.example@4-20 cdn.example/cdn.example@9-20 "
     "ops/op@0-3 evil/evil@4-8 cdn/cdn@9-12 example/exampl@13-20",
     "0 1 2 0 1 2 3", "IW IW IW P P P P"},
    {"openssl-1.0.2k",
     "openssl-1.0.2k/openssl-1.0.2k@0-14 1.0.2k/1.0.2k@8-14 "
     "openssl/openssl@0-7 1/1@8-9 0/0@10-11 2k/2k@12-14",
     "0 1 0 1 2 3", "IW IW P IP IP IP"},
    /* threat-group designators, acronyms, language names */
    {"APT 28", "apt/apt@0-3 apt28/apt28@0-6 28/28@4-6", "0 0 1", "A IW I"},
    {"APT-29", "apt29/apt29@0-6 apt/apt@0-3 29/29@4-6", "0 0 1", "IW P IP"},
    {"U.S. NSA", "us/us@0-4 nsa/nsa@5-8", NULL, "A A"},
    {"C++ and .NET",
     "c++/c++@0-3 c/c@0-1 and/and@4-7 .net/.net@8-12 net/net@9-12", "0 0 1 2 2",
     "IW P - IW P"},
    /* NFKC: full-width letters and digits, ligatures, composed accents */
    {"\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "abc/abc@0-9", NULL, "-"},
    {"\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x91", "2021/2021@0-12", NULL,
     "I"},
    {"\xEF\xAC\x81le", "file/file@0-5", NULL, NULL},
    {"cafe\xCC\x81 caf\xC3\xA9",
     "caf\xC3\xA9/caf\xC3\xA9@0-6 caf\xC3\xA9/caf\xC3\xA9@7-12", NULL, NULL},
    {"Stra\xC3\x9F"
     "e",
     "strasse/strass@0-7", NULL, NULL},
    {"\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91",
     "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1/"
     "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1@0-10",
     NULL, "-"},
    /* invisible characters join, spaces of any kind split */
    {"mal\xE2\x80\x8Bware", "malware/malwar@0-10", NULL, NULL},
    {"ran\xC2\xADsom", "ransom/ransom@0-8", NULL, NULL},
    {"\xE2\x80\x8Bzero", "zero/zero@3-7", NULL, NULL},
    {"zero\xE2\x80\x8B", "zero/zero@0-4", NULL, NULL},
    {"zero\xC2\xA0"
     "day",
     "zero/zero@0-4 day/day@6-9", NULL, NULL},
    {"zero\xE2\x80\x83"
     "day\xE3\x80\x80"
     "exploit",
     "zero/zero@0-4 day/day@7-10 exploit/exploit@13-20", NULL, NULL},
    {"one\ttwo\nthree", "one/one@0-3 two/two@4-7 three/three@8-13", NULL, NULL},
    /* invalid UTF-8 separates words and the rest of the text is kept */
    {"abc\xFF"
     "def ghi",
     "abc/abc@0-3 def/def@4-7 ghi/ghi@8-11", NULL, NULL},
    {"x\xE2\x82y", "x/x@0-1 y/y@3-4", NULL, NULL},
    {"\xC0\xAF"
     "attack\xED\xA0\x80"
     "ok",
     "attack/attack@2-8 ok/ok@11-13", NULL, NULL},
    {"ok \xC3", "ok/ok@0-2", NULL, NULL},
    {"\xF0\x9F\x98", "", NULL, NULL},
    {"\xF0\x9F\x98\x80 emoji", "emoji/emoji@5-10", NULL, NULL},
    /* nothing to find */
    {"", "", NULL, NULL},
    {"--- !!! ... \"\" () ''", "", NULL, NULL},
};

/* Flags as the table writes them. */
static void flag_word(unsigned f, char *out) {
  char *p = out;
  if (f & CYS_TOKEN_IDENTIFIER)
    *p++ = 'I';
  if (f & CYS_TOKEN_ACRONYM)
    *p++ = 'A';
  if (f & CYS_TOKEN_WHOLE)
    *p++ = 'W';
  if (f & CYS_TOKEN_PART)
    *p++ = 'P';
  if (p == out)
    *p++ = '-';
  *p = '\0';
}

static int check_case(cys_analyzer *a, const analyze_case *k, int index) {
  collected c;
  cys_status st = run(a, k->text, strlen(k->text), &c);
  char positions[512] = "", flags[512] = "", one[16];
  for (size_t i = 0; i < c.n && i < MAX_TOKENS; i++) {
    snprintf(one, sizeof one, "%s%u", i ? " " : "", c.positions[i]);
    strcat(positions, one);
    strcat(flags, i ? " " : "");
    flag_word(c.flags[i], one);
    strcat(flags, one);
  }
  int ok = st == CYS_OK && c.n <= MAX_TOKENS && strcmp(c.text, k->tokens) == 0;
  if (k->positions) {
    ok &= strcmp(positions, k->positions) == 0;
  } else {
    for (size_t i = 0; i < c.n && i < MAX_TOKENS; i++)
      ok &= c.positions[i] == i;
  }
  if (k->flags)
    ok &= strcmp(flags, k->flags) == 0;
  if (!ok)
    fprintf(stderr,
            "  case %d: status %d\n    got  \"%s\" [%s] [%s]\n"
            "    want \"%s\" [%s] [%s]\n",
            index, (int)st, c.text, positions, flags, k->tokens,
            k->positions ? k->positions : "0, 1, ...",
            k->flags ? k->flags : "any");
  return ok;
}

static void test_table(cys_analyzer *a) {
  int failed = 0;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    if (!check_case(a, &cases[i], (int)i))
      failed++;
  CHECK_INT(failed, 0);
}

/* ---- flags --------------------------------------------------------------- */

/* Flags of the first token of word (0xFFFF when there is none). */
static unsigned flags_of(cys_analyzer *a, const char *word) {
  collected c;
  if (run(a, word, strlen(word), &c) != CYS_OK || c.n == 0)
    return 0xFFFFu;
  return c.flags[0];
}

static void test_flags(cys_analyzer *a) {
  CHECK_INT(flags_of(a, "NSA"), CYS_TOKEN_ACRONYM);
  CHECK_INT(flags_of(a, "ABCDEFGH"), CYS_TOKEN_ACRONYM); /* 8 letters */
  CHECK_INT(flags_of(a, "ABCDEFGHI"), 0);                /* 9: a word */
  CHECK_INT(flags_of(a, "U.S."), CYS_TOKEN_ACRONYM);
  CHECK_INT(flags_of(a, "u.s."), 0);
  CHECK_INT(flags_of(a, "Nsa"), 0);
  CHECK_INT(flags_of(a, "nSA"), 0);
  CHECK_INT(flags_of(a, "I"), 0); /* one letter is not an acronym */
  CHECK_INT(flags_of(a, "APT41"), CYS_TOKEN_IDENTIFIER); /* has a digit */
  CHECK_INT(flags_of(a, "A1"), CYS_TOKEN_IDENTIFIER);
  CHECK_INT(flags_of(a, "hacking"), 0);
  CHECK_INT(flags_of(a, "2021"), CYS_TOKEN_IDENTIFIER);
  CHECK_INT(flags_of(a, "2.4.49"), CYS_TOKEN_IDENTIFIER | CYS_TOKEN_WHOLE);
  CHECK_INT(flags_of(a, "log4j"), CYS_TOKEN_IDENTIFIER);
  /* acronyms are ASCII: full-width and Greek capitals are plain words */
  CHECK_INT(flags_of(a, "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3"), 0);
  CHECK_INT(flags_of(a, "\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91"), 0);
  CHECK_INT(flags_of(a, "\xEF\xBC\x92\xEF\xBC\x90"), CYS_TOKEN_IDENTIFIER);
  CHECK_INT(flags_of(a, "..."), 0xFFFF);
}

/* ---- long words ---------------------------------------------------------- */

static void test_long_words(cys_analyzer *a) {
  char text[1024], want[512];
  collected c;

  /* 100 bytes is kept, 101 is skipped but still takes a position */
  char w100[CYS_TOKEN_MAX + 1], w101[CYS_TOKEN_MAX + 2];
  memset(w100, 'x', CYS_TOKEN_MAX);
  w100[CYS_TOKEN_MAX] = '\0';
  memset(w101, 'y', CYS_TOKEN_MAX + 1);
  w101[CYS_TOKEN_MAX + 1] = '\0';
  snprintf(text, sizeof text, "short %s %s after", w100, w101);
  CHECK_INT(run(a, text, strlen(text), &c), CYS_OK);
  snprintf(want, sizeof want, "short/short@0-5 %s/%s@6-106 after/after@209-214",
           w100, w100);
  CHECK_STR(c.text, want);
  CHECK_INT(c.n, 3);
  CHECK_INT(c.positions[0], 0);
  CHECK_INT(c.positions[1], 1);
  CHECK_INT(c.positions[2], 3);

  /* the limit is on the folded bytes: 50 e-acute (100 bytes) are kept, 51
   * are not; a base64-like blob is skipped */
  char *p = text;
  for (int i = 0; i < 51; i++, p += 2)
    memcpy(p, "\xC3\x89", 2); /* É, folds to é (2 bytes) */
  memcpy(p, " ok", 4);
  CHECK_INT(run(a, text, strlen(text), &c), CYS_OK);
  CHECK_STR(c.text, "ok/ok@103-105");
  CHECK_INT(c.positions[0], 1);
  CHECK_INT(run(a, text + 2, strlen(text + 2), &c), CYS_OK);
  CHECK_INT(c.n, 2);
  CHECK_INT(c.positions[1], 1);

  memset(text, 'A', 600);
  memcpy(text + 600, "== end", 7);
  CHECK_INT(run(a, text, strlen(text), &c), CYS_OK);
  CHECK_STR(c.text, "end/end@603-606");
  CHECK_INT(c.positions[0], 1);
}

/* ---- early stop, empty input --------------------------------------------- */

static void test_stop_and_empty(cys_analyzer *a) {
  collected c;
  memset(&c, 0, sizeof c);
  c.stop_after = 2;
  const char *text = "one two three four";
  CHECK_INT(cys_analyze(a, text, strlen(text), collect, &c), CYS_OK);
  CHECK_INT(c.n, 2);
  CHECK_STR(c.text, "one/one@0-3 two/two@4-7");

  memset(&c, 0, sizeof c);
  c.stop_after = 1;
  CHECK_INT(cys_analyze(a, text, strlen(text), collect, &c), CYS_OK);
  CHECK_INT(c.n, 1);

  CHECK_INT(run(a, "", 0, &c), CYS_OK);
  CHECK_INT(c.n, 0);
  /* the length is respected: nothing past len is read */
  CHECK_INT(run(a, "abc def", 3, &c), CYS_OK);
  CHECK_STR(c.text, "abc/abc@0-3");
  CHECK_INT(run(a, "abc def", 5, &c), CYS_OK);
  CHECK_STR(c.text, "abc/abc@0-3 d/d@4-5");
}

/* ---- languages ----------------------------------------------------------- */

static void test_languages(void) {
  cys_analyzer *a = (cys_analyzer *)&a; /* must stay untouched on failure */
  cys_analyzer *const sentinel = a;
  CHECK_INT(cys_analyzer_new("klingon", &a), CYS_NOT_FOUND);
  CHECK(a == sentinel);
  CHECK_INT(cys_analyzer_new("", &a), CYS_NOT_FOUND);
  CHECK_INT(cys_analyzer_new("English", &a), CYS_NOT_FOUND);

  a = NULL;
  CHECK_INT(cys_analyzer_new(NULL, &a), CYS_OK);
  CHECK_STR(cys_analyzer_language(a), "english");
  cys_analyzer_free(a);

  a = NULL;
  CHECK_INT(cys_analyzer_new("french", &a), CYS_OK);
  if (a) {
    CHECK_STR(cys_analyzer_language(a), "french");
    const char *text = "Les attaques informatiques";
    collected c;
    CHECK_INT(run(a, text, strlen(text), &c), CYS_OK);
    CHECK_STR(c.text, "les/le@0-3 attaques/attaqu@4-12 "
                      "informatiques/informat@13-26");
    cys_analyzer_free(a);
  }

  int english = 0, french = 0, count = 0;
  for (const char **l = cys_analyzer_languages(); *l; l++, count++) {
    english |= strcmp(*l, "english") == 0;
    french |= strcmp(*l, "french") == 0;
  }
  CHECK(english);
  CHECK(french);
  CHECK(count > 10);
  cys_analyzer_free(NULL);
}

/* ---- the stem cache ------------------------------------------------------ */

#define CACHE_WORDS 30000
#define STEM_BYTES 16

typedef struct stem_log {
  char (*stems)[STEM_BYTES];
  size_t n, offset, bad;
  int compare; /* 0: record stems, 1: compare with the recorded ones */
} stem_log;

static int log_stem(void *ctx, const cys_token *tok) {
  stem_log *l = ctx;
  size_t i = l->offset + l->n++;
  if (i >= CACHE_WORDS || tok->stem_len >= STEM_BYTES) {
    l->bad++;
    return 0;
  }
  char s[STEM_BYTES] = {0};
  memcpy(s, tok->stem, tok->stem_len);
  if (!l->compare)
    memcpy(l->stems[i], s, STEM_BYTES);
  else if (memcmp(l->stems[i], s, STEM_BYTES) != 0)
    l->bad++;
  return 0;
}

/* Many distinct words overflow the cache of stems (which then starts
 * again): each stem must equal the one a fresh analyzer gives. */
static void test_cache(cys_analyzer *a) {
  const size_t word_len = 9; /* "q" + 4 letters + "ing" + " " */
  char *text = malloc(CACHE_WORDS * word_len);
  stem_log log = {.stems = calloc(CACHE_WORDS, STEM_BYTES)};
  if (!text || !log.stems) {
    CHECK(0);
    free(text);
    free(log.stems);
    return;
  }
  for (size_t i = 0; i < CACHE_WORDS; i++) {
    char *w = text + i * word_len;
    size_t v = i;
    w[0] = 'q';
    for (int k = 1; k <= 4; k++, v /= 26)
      w[k] = (char)('a' + v % 26);
    memcpy(w + 5, "ing ", 4);
  }
  size_t len = CACHE_WORDS * word_len;
  CHECK_INT(cys_analyze(a, text, len, log_stem, &log), CYS_OK);
  CHECK_INT(log.n, CACHE_WORDS);
  CHECK_INT(log.bad, 0);

  /* the reference: fresh analyzers over chunks too small to overflow */
  const size_t chunk = 5000;
  log.compare = 1;
  for (size_t first = 0; first < CACHE_WORDS; first += chunk) {
    cys_analyzer *fresh = NULL;
    if (cys_analyzer_new("english", &fresh) != CYS_OK) {
      CHECK(0);
      break;
    }
    log.n = 0;
    log.offset = first;
    cys_analyze(fresh, text + first * word_len, chunk * word_len, log_stem,
                &log);
    cys_analyzer_free(fresh);
  }
  CHECK_INT(log.bad, 0);
  free(text);
  free(log.stems);
  test_table(a); /* the table again, after the cache was refilled */
}

/* ---- random text --------------------------------------------------------- */

typedef struct fuzz_state {
  size_t len, n, bad;
} fuzz_state;

/* What every token must be, whatever the text. */
static int on_fuzz_token(void *ctx, const cys_token *t) {
  fuzz_state *f = ctx;
  const unsigned known = CYS_TOKEN_IDENTIFIER | CYS_TOKEN_ACRONYM |
                         CYS_TOKEN_WHOLE | CYS_TOKEN_PART;
  f->n++;
  if (t->start >= t->end || t->end > f->len || t->exact_len == 0 ||
      t->exact_len > CYS_TOKEN_MAX || t->stem_len == 0 ||
      t->stem_len > CYS_TOKEN_MAX ||
      cys_utf8_invalid_offset(t->exact, t->exact_len) != t->exact_len ||
      (t->flags & ~known) ||
      ((t->flags & CYS_TOKEN_IDENTIFIER) &&
       (t->stem_len != t->exact_len ||
        memcmp(t->stem, t->exact, t->exact_len) != 0)))
    f->bad++;
  return 0;
}

/* Random bytes, and random picks from pieces the analyzer treats
 * specially: never a crash, and every token well formed. */
static void test_random(cys_analyzer *a) {
  static const char *const pieces[] = {"a",
                                       "Z",
                                       "7",
                                       " ",
                                       ".",
                                       "-",
                                       "/",
                                       ":",
                                       "@",
                                       "\\",
                                       "'",
                                       "\xE2\x80\x99",
                                       "[.]",
                                       "(dot)",
                                       "[at]",
                                       "hxxp",
                                       "://",
                                       "APT",
                                       "C++",
                                       "#",
                                       ".NET",
                                       "\xC3\xA9",
                                       "\xE2\x80\x8B",
                                       "\xC2\xA0",
                                       "\xFF",
                                       "\xC3",
                                       "\xE4\xB8\xAD",
                                       "\xF0\x9F\x98\x80",
                                       "\xCC\x81",
                                       "'s",
                                       "::",
                                       "[",
                                       "]",
                                       "\"",
                                       ",",
                                       "_"};
  size_t cap = 4096;
  char *text = malloc(cap);
  if (!text) {
    CHECK(0);
    return;
  }
  unsigned long v = 7;
  size_t bad = 0, tokens = 0;
  for (int round = 0; round < 400; round++) {
    size_t len = 0;
    while (len + 8 < cap) {
      v = v * 6364136223846793005ul + 1442695040888963407ul;
      unsigned r = (unsigned)(v >> 33);
      if (round % 2 == 0) {
        text[len++] = (char)(r & 0xFF);
      } else {
        const char *p = pieces[r % (sizeof pieces / sizeof *pieces)];
        memcpy(text + len, p, strlen(p));
        len += strlen(p);
      }
      if (r % 509 == 0)
        break;
    }
    fuzz_state f = {len, 0, 0};
    if (cys_analyze(a, text, len, on_fuzz_token, &f) != CYS_OK)
      f.bad++;
    bad += f.bad;
    tokens += f.n;
  }
  CHECK_INT(bad, 0);
  CHECK(tokens > 1000);
  free(text);
}

int main(void) {
  cys_analyzer *a = NULL;
  CHECK_INT(cys_analyzer_new("english", &a), CYS_OK);
  if (!a)
    return check_done();
  CHECK_STR(cys_analyzer_language(a), "english");
  test_table(a);
  test_flags(a);
  test_long_words(a);
  test_stop_and_empty(a);
  test_cache(a);
  test_random(a);
  cys_analyzer_free(a);
  test_languages();
  return check_done();
}
