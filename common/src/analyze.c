/*
 * analyze.c — the shared analyzer (see analyze.h): word splitting over
 * Unicode categories, NFKC + case folding with utf8proc, stemming with
 * libstemmer behind a cache of recent stems.
 */
#include "cysearch/analyze.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "cysearch/schema.h"

/* ---- stem cache -----------------------------------------------------------
 * Frequent words are stemmed once: an open-addressing table from folded
 * form to stem, its strings in an arena.  When it fills up it is emptied
 * and starts again, which keeps memory bounded and the hot words in. */

#define CACHE_SLOTS 16384u /* power of two */
#define CACHE_MAX_USED (CACHE_SLOTS / 4 * 3)
#define ARENA_BYTES (CACHE_MAX_USED * 24u)

typedef struct cache_entry {
  uint32_t hash;
  uint32_t offset; /* into arena: exact bytes, then stem bytes */
  uint16_t exact_len, stem_len;
} cache_entry;

struct cys_analyzer {
  struct sb_stemmer *stemmer;
  const char *language;
  cache_entry *slots; /* offset 0 marks an empty slot */
  size_t used;
  char *arena;
  size_t arena_used;
  /* scratch for the folded form of the current word */
  utf8proc_int32_t fold[CYS_TOKEN_MAX * 4 + 16];
};

static uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static void cache_reset(cys_analyzer *a) {
  memset(a->slots, 0, CACHE_SLOTS * sizeof *a->slots);
  a->used = 0;
  a->arena_used = 1; /* offset 0 means empty */
}

/* Stem word[0..n) through the cache.  Returns 0 and sets *stem, *stem_len;
 * -1 when libstemmer runs out of memory. */
static int stem_word(cys_analyzer *a, const char *word, size_t n,
                     const char **stem, size_t *stem_len) {
  uint32_t h = hash_bytes(word, n);
  uint32_t i = h & (CACHE_SLOTS - 1);
  for (;;) {
    cache_entry *e = &a->slots[i];
    if (e->offset == 0)
      break;
    if (e->hash == h && e->exact_len == n &&
        memcmp(a->arena + e->offset, word, n) == 0) {
      *stem = a->arena + e->offset + e->exact_len;
      *stem_len = e->stem_len;
      return 0;
    }
    i = (i + 1) & (CACHE_SLOTS - 1);
  }
  const sb_symbol *s =
      sb_stemmer_stem(a->stemmer, (const sb_symbol *)word, (int)n);
  if (!s)
    return -1;
  size_t sn = (size_t)sb_stemmer_length(a->stemmer);
  if (a->used >= CACHE_MAX_USED || a->arena_used + n + sn > ARENA_BYTES) {
    cache_reset(a);
    i = h & (CACHE_SLOTS - 1);
  }
  cache_entry *e = &a->slots[i];
  e->hash = h;
  e->offset = (uint32_t)a->arena_used;
  e->exact_len = (uint16_t)n;
  e->stem_len = (uint16_t)sn;
  memcpy(a->arena + a->arena_used, word, n);
  memcpy(a->arena + a->arena_used + n, s, sn);
  a->arena_used += n + sn;
  a->used++;
  *stem = a->arena + e->offset + n;
  *stem_len = sn;
  return 0;
}

/* ---- life cycle ---------------------------------------------------------- */

cys_status cys_analyzer_new(const char *language, cys_analyzer **out) {
  if (!language)
    language = CYS_DEFAULT_LANGUAGE;
  /* Use libstemmer's canonical name so the index records one spelling. */
  const char *canonical = NULL;
  for (const char **l = sb_stemmer_list(); *l; l++)
    if (strcmp(*l, language) == 0)
      canonical = *l;
  if (!canonical)
    return CYS_NOT_FOUND;
  cys_analyzer *a = calloc(1, sizeof *a);
  if (!a)
    return CYS_NOMEM;
  a->language = canonical;
  a->stemmer = sb_stemmer_new(canonical, NULL);
  a->slots = malloc(CACHE_SLOTS * sizeof *a->slots);
  a->arena = malloc(ARENA_BYTES);
  if (!a->stemmer || !a->slots || !a->arena) {
    cys_analyzer_free(a);
    return CYS_NOMEM;
  }
  cache_reset(a);
  *out = a;
  return CYS_OK;
}

void cys_analyzer_free(cys_analyzer *a) {
  if (!a)
    return;
  sb_stemmer_delete(a->stemmer);
  free(a->slots);
  free(a->arena);
  free(a);
}

const char *cys_analyzer_language(const cys_analyzer *a) {
  return a->language;
}

const char **cys_analyzer_languages(void) { return sb_stemmer_list(); }

/* ---- character classes --------------------------------------------------- */

static int is_word_char(utf8proc_int32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
  case UTF8PROC_CATEGORY_PC:
    return 1;
  default:
    return 0;
  }
}

/* Zero-width spaces, joiners, soft hyphens, BOM: dropped inside a word. */
static int is_invisible(utf8proc_int32_t c) {
  return c >= 0x80 && (utf8proc_category(c) == UTF8PROC_CATEGORY_CF ||
                       c == 0x200B);
}

static int is_digit(utf8proc_int32_t c) {
  return (c >= '0' && c <= '9') ||
         (c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_ND);
}

static int is_apostrophe(utf8proc_int32_t c) {
  return c == '\'' || c == 0x2019 || c == 0x02BC;
}

static int is_letter(utf8proc_int32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  utf8proc_category_t cat = utf8proc_category(c);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

/* Decode one code point at s[i..len); invalid bytes decode as -1 (one byte
 * long), which no class accepts. */
static utf8proc_int32_t decode(const char *s, size_t len, size_t i,
                               size_t *n) {
  unsigned char c = (unsigned char)s[i];
  if (c < 0x80) {
    *n = 1;
    return c;
  }
  utf8proc_int32_t cp;
  utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                        (utf8proc_ssize_t)(len - i), &cp);
  if (r <= 0) {
    *n = 1;
    return -1;
  }
  *n = (size_t)r;
  return cp;
}

/* ---- folding ------------------------------------------------------------- */

/* Fold text[0..n) into the analyzer's scratch buffer as UTF-8.  Returns the
 * folded length, or 0 when the word is too long to keep. */
static size_t fold_word(cys_analyzer *a, const char *text, size_t n,
                        int ascii) {
  char *out = (char *)a->fold;
  if (ascii) {
    if (n > CYS_TOKEN_MAX)
      return 0;
    for (size_t i = 0; i < n; i++) {
      char c = text[i];
      out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    return n;
  }
  const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                 UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                 UTF8PROC_IGNORE;
  utf8proc_ssize_t cap = (utf8proc_ssize_t)(sizeof a->fold / sizeof *a->fold);
  utf8proc_ssize_t count =
      utf8proc_decompose((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)n,
                         a->fold, cap, opts);
  if (count <= 0 || count > cap)
    return 0;
  /* Typographic apostrophes fold to the ASCII one. */
  for (utf8proc_ssize_t i = 0; i < count; i++)
    if (a->fold[i] == 0x2019 || a->fold[i] == 0x02BC)
      a->fold[i] = '\'';
  count = utf8proc_normalize_utf32(a->fold, count, opts);
  if (count < 0)
    return 0;
  count = utf8proc_reencode(a->fold, count, opts);
  if (count <= 0 || count > CYS_TOKEN_MAX)
    return 0;
  return (size_t)count;
}

/* ---- the analyzer -------------------------------------------------------- */

cys_status cys_analyze(cys_analyzer *a, const char *text, size_t len,
                       cys_token_fn fn, void *ctx) {
  unsigned position = 0;
  size_t i = 0;
  while (i < len) {
    size_t n;
    utf8proc_int32_t c = decode(text, len, i, &n);
    if (!is_word_char(c)) {
      i += n;
      continue;
    }
    /* A word: extend it while word characters (or joiners between them)
     * follow. */
    size_t start = i, end = i + n;
    int ascii = c < 0x80, has_digit = is_digit(c);
    unsigned letters = is_letter(c), lower = 0;
    if (c < 0x80 ? (c >= 'a' && c <= 'z')
                 : utf8proc_category(c) == UTF8PROC_CATEGORY_LL)
      lower++;
    utf8proc_int32_t prev = c;
    size_t j = end;
    while (j < len) {
      size_t m;
      utf8proc_int32_t d = decode(text, len, j, &m);
      if (is_word_char(d)) {
        j += m;
        end = j;
        ascii &= d < 0x80;
        has_digit |= is_digit(d);
        if (is_letter(d)) {
          letters++;
          if (d < 0x80 ? (d >= 'a' && d <= 'z')
                       : utf8proc_category(d) == UTF8PROC_CATEGORY_LL)
            lower++;
        }
        prev = d;
        continue;
      }
      /* Joiners count only when a word character follows them. */
      if (j + m >= len)
        break;
      size_t k;
      utf8proc_int32_t next = decode(text, len, j + m, &k);
      int joins = 0;
      if (is_invisible(d))
        joins = is_word_char(next);
      else if (is_apostrophe(d))
        joins = is_letter(prev) && is_letter(next);
      else if (d == '.' || d == ',')
        joins = is_digit(prev) && is_digit(next);
      if (!joins)
        break;
      ascii &= d < 0x80;
      j += m;
    }

    size_t folded_len = fold_word(a, text + start, end - start, ascii);
    const char *folded = (const char *)a->fold;
    /* Possessives: "China's" is "china". */
    if (folded_len > 2 && folded[folded_len - 2] == '\'' &&
        folded[folded_len - 1] == 's')
      folded_len -= 2;
    if (folded_len > 0) {
      cys_token tok;
      tok.exact = folded;
      tok.exact_len = folded_len;
      tok.start = start;
      tok.end = end;
      tok.position = position;
      tok.flags = 0;
      if (has_digit)
        tok.flags |= CYS_TOKEN_IDENTIFIER;
      if (letters >= 2 && lower == 0)
        tok.flags |= CYS_TOKEN_ALLCAPS;
      if (has_digit) {
        tok.stem = folded;
        tok.stem_len = folded_len;
      } else if (stem_word(a, folded, folded_len, &tok.stem, &tok.stem_len)) {
        return CYS_NOMEM;
      }
      if (fn(ctx, &tok))
        return CYS_OK;
    }
    position++;
    i = end;
  }
  return CYS_OK;
}
