/*
 * test_plain_words.c — the analyzer's shortcut for plain words (analyze.c,
 * read_plain) gives exactly the tokens of its general path: same forms,
 * stems, offsets, positions and flags.  Compared on tricky chunks, on
 * random text made of the characters the general path treats specially,
 * and on every title and body of the news corpus (../shared, or
 * CYSEARCH_SHARED_DIR; that part is skipped without it).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "analyze_internal.h"
#include "byte_buf.h"
#include "check.h"
#include "cysearch/analyze.h"

/* Every token as one line of text. */
static int record(void *ctx, const cys_token *t) {
  buf *out = ctx;
  char head[96];
  buf_append(out, t->exact, t->exact_len);
  buf_append(out, ">", 1);
  buf_append(out, t->stem, t->stem_len);
  snprintf(head, sizeof head, "@%zu-%zu#%u/%u\n", t->start, t->end,
           t->position, t->flags);
  buf_append_str(out, head);
  return 0;
}

static char *tokens(cys_analyzer *a, int plain, const char *text, size_t n) {
  buf out;
  buf_init(&out);
  analyzer_read_plain_words(a, plain);
  CHECK_INT(cys_analyze(a, text, n, record, &out), CYS_OK);
  char *s = buf_take(&out);
  CHECK(s != NULL);
  return s;
}

static size_t compared, differing, stems_checked, stems_moved;

/* A stemmed word's stem starts with the word's first byte. */
static int check_first_byte(void *ctx, const cys_token *t) {
  (void)ctx;
  if (t->flags & CYS_TOKEN_IDENTIFIER)
    return 0;
  stems_checked++;
  if (t->stem_len == 0 || t->stem[0] != t->exact[0]) {
    if (++stems_moved <= 5)
      printf("stem '%.*s' of '%.*s' starts elsewhere\n", (int)t->stem_len,
             t->stem, (int)t->exact_len, t->exact);
  }
  return 0;
}

/* Compare both paths on text[0..n); print the first few differences. */
static void same_tokens(cys_analyzer *a, const char *text, size_t n) {
  char *fast = tokens(a, 1, text, n), *general = tokens(a, 0, text, n);
  CHECK_INT(cys_analyze(a, text, n, check_first_byte, NULL), CYS_OK);
  compared++;
  if (strcmp(fast, general) != 0 && ++differing <= 5)
    printf("differs on '%.*s':\n  shortcut: %s\n  general:  %s\n",
           (int)(n < 200 ? n : 200), text, fast, general);
  free(fast);
  free(general);
}

static void test_cases(cys_analyzer *a) {
  static const char *const cases[] = {
      "hello world", "Hello, World!", "\"quoted\" (bracketed) [square]",
      "APT 28", "APT, 28", "(APT) 28", "FIN 7 and TA 505", "UNC 2452.",
      ".NET .exe C++ C# F# Notepad++ notepad++,", "U.S. U.S", "e.g. i.e.",
      "China's hackers' tools'", "don't", "hxxp: hxxp:// hxxps:[//]",
      "fxp: fxp://x", "(dot) [at] {.} (at)", "evil[.]com user[at]mail.com",
      "end.", "x.", "a", "'s", "'", "--- ... ,,,", "word_with_under _x x_",
      "CAPS IT US NATO", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa longword",
      "caf\xC3\xA9 na\xC3\xAFve \xEF\xAC\x81le", "non\xC2\xA0" "breaking",
      "CVE\xE2\x80\x93" "2018\xE2\x80\x93" "17456 word\xE2\x80\x94word",
      "evil\xEF\xBC\x8E" "com", "bad \xFF byte\xC3", "tab\tand\nnewline\r\n",
      "state-sponsored e-mail", "C:\\Windows\\System32 80.85.155.80:443",
      "2001:db8::1 fe80::1/64", "say: \"hi\"; then (go)!", "?!word?!",
      "+plus #hash word+ word#", "mid.dle", "*bold* _under_ ~tilde~",
      /* Porter2's exceptions and short words */
      "skis skies dying lying tying idly gently ugly early only singly sky "
      "news howe atlas cosmos bias andes inning outing canning herring "
      "earring proceed exceed succeed yes y ya yay youth Yelling cry by",
      "generously happily relational ability possibility operator "
      "activity hopefulness organization \xC3\xA9t\xC3\xA9 \xC3\x89" "cole",
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    same_tokens(a, cases[i], strlen(cases[i]));
}

/* Random text made of pieces the general path reads specially. */
static void test_random(cys_analyzer *a) {
  static const char *const pieces[] = {
      "a", "Z", "word", "APT", "FIN", "28", "7", "x", "IT", "hxxp", "fxp",
      "dot", "at", "NET", "C", "s", ".", "-", "'", "\xE2\x80\x99", "(", ")",
      "[", "]", "{", "}", ":", "+", "#", "_", "@", "/", "\\", ",", "\"",
      "!", " ", " ", " ", "\n", "\xC3\xA9", "\xC2\xA0", "\xE2\x80\x93",
      "\xEF\xBC\x8E", "\xFF", "//", "://", "0x1F", "1.2.3.4",
  };
  const size_t npieces = sizeof pieces / sizeof *pieces;
  unsigned long seed = 12345;
  char text[256];
  for (int round = 0; round < 20000; round++) {
    size_t n = 0;
    int count = 1 + (int)(seed % 12);
    for (int k = 0; k < count; k++) {
      seed = seed * 6364136223846793005ul + 1442695040888963407ul;
      const char *p = pieces[(seed >> 33) % npieces];
      size_t l = strlen(p);
      if (n + l >= sizeof text)
        break;
      memcpy(text + n, p, l);
      n += l;
    }
    same_tokens(a, text, n);
  }
}

static void analyse_field(cys_analyzer *a, json_t *article, const char *key) {
  const char *text = json_string_value(json_object_get(article, key));
  if (text)
    same_tokens(a, text, strlen(text));
}

static void test_news_corpus(cys_analyzer *a) {
  const char *dir = getenv("CYSEARCH_SHARED_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/corpus/news.jsonl.gz",
           dir ? dir : "../shared");
  gzFile f = gzopen(path, "rb");
  if (!f) {
    printf("skipping the news corpus: %s not found\n", path);
    return;
  }
  static char line[4 << 20];
  size_t articles = 0;
  while (gzgets(f, line, sizeof line)) {
    json_t *article = json_loads(line, 0, NULL);
    if (!article)
      continue;
    analyse_field(a, article, "title");
    analyse_field(a, article, "body");
    json_decref(article);
    articles++;
  }
  gzclose(f);
  printf("news corpus: %zu articles compared\n", articles);
  CHECK(articles > 1000);
}

int main(void) {
  cys_analyzer *a = NULL;
  CHECK_INT(cys_analyzer_new("english", &a), CYS_OK);
  test_cases(a);
  test_random(a);
  test_news_corpus(a);
  printf("%zu texts compared, %zu differ\n", compared, differing);
  CHECK_INT((long)differing, 0);
  printf("%zu stems checked, %zu start elsewhere\n", stems_checked,
         stems_moved);
  CHECK_INT((long)stems_moved, 0);
  cys_analyzer_free(a);
  return check_done();
}
