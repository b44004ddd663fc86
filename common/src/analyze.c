/*
 * analyze.c — the shared analyzer (see analyze.h for the contract).
 *
 * Text is cut into chunks at white space.  Each chunk loses its surrounding
 * punctuation (quotes, brackets, a final full stop, a possessive 's), has
 * defanged indicators undone, and is then read as a sequence of compounds:
 * runs of word characters joined by single '.', '-', '/', ':', '@', '\' or
 * ":\".  A compound that looks like an identifier (it has a digit, or a
 * joiner other than '-') is emitted whole, then each maximal '.'-joined
 * piece of it (the domain of a URL or e-mail, the IP of "1.2.3.4:80", the
 * file of a path), then its parts; other compounds ("state-sponsored") are
 * just their words.  Special shapes: dotted acronyms ("U.S."), language
 * names ("C++", "C#", ".NET"), IPv6 addresses, URLs, and threat-group
 * designators written apart ("APT 28", "APT-28" both also give "apt28").
 *
 * Positions: a whole identifier takes the position of its first part and
 * the parts follow one by one, so phrases over the parts still work.
 *
 * Most chunks are a plain ASCII word in punctuation: read_plain emits them
 * without the general path, with the same result (test_analyzer_shortcuts).
 */
#include "cysearch/analyze.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "analyze_internal.h"
#include "ascii_class.h"
#include "cysearch/schema.h"
#include "stem_cache.h"

#define MAX_RUNS 32          /* runs in one compound; more start a new one */
#define MAX_DEFANG_CHUNK 65536u
#define ACRONYM_MAX 8        /* letters in a case-sensitive acronym */

typedef struct run {
  size_t start, end; /* in the chunk buffer */
  unsigned ascii : 1, letters_only : 1;
  unsigned digits, letters, upper;
} run;

struct cys_analyzer {
  stem_cache *stems;
  const char *language;
  /* the current chunk after undoing defanged forms, and its offset map */
  char *norm;
  size_t *map;
  size_t norm_cap;
  /* folding scratch: UTF-32 in, UTF-8 out in place */
  utf8proc_int32_t fold[CYS_TOKEN_MAX * 4 + 16];
  /* state of one cys_analyze call */
  cys_token_fn fn;
  void *ctx;
  int stop;
  int inside_whole; /* reading the parts of a whole: runs are PARTs */
  cys_status status;
  unsigned position;
  const char *chunk;  /* the chunk text being read (norm or the input) */
  size_t chunk_len;
  const size_t *cmap; /* its offset map, or NULL: offset = cbase + k */
  size_t cbase;
  /* a designator word ("APT") waiting for a number in the next chunk */
  int designator;
  size_t designator_start;
  unsigned designator_position;
  char designator_word[8];
  int plain_words; /* read plain words by read_plain (on unless a test
                      turns it off: analyzer_read_plain_words) */
  const unsigned char *stem_first; /* analyzer_stem_only_first, or NULL */
};

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
  int unknown;
  a->language = canonical;
  a->plain_words = 1;
  a->stems = stem_cache_new(canonical, &unknown);
  if (!a->stems) {
    free(a);
    return unknown ? CYS_NOT_FOUND : CYS_NOMEM;
  }
  *out = a;
  return CYS_OK;
}

void cys_analyzer_free(cys_analyzer *a) {
  if (!a)
    return;
  stem_cache_free(a->stems);
  free(a->norm);
  free(a->map);
  free(a);
}

const char *cys_analyzer_language(const cys_analyzer *a) {
  return a->language;
}

const char **cys_analyzer_languages(void) { return sb_stemmer_list(); }

/* ---- folding and emitting ------------------------------------------------ */

/* Fold s[0..n) (NFKC, case folding, invisible characters dropped,
 * typographic apostrophes made ASCII) into a->fold.  Returns the folded
 * length, or 0 when the result would be too long to keep. */
static size_t fold(cys_analyzer *a, const char *s, size_t n, int ascii) {
  char *out = (char *)a->fold;
  if (ascii) {
    if (n > CYS_TOKEN_MAX)
      return 0;
    for (size_t i = 0; i < n; i++) {
      char c = s[i];
      out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    return n;
  }
  if (n > CYS_TOKEN_MAX * 4)
    return 0;
  const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                 UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                 UTF8PROC_IGNORE;
  utf8proc_ssize_t cap = (utf8proc_ssize_t)(sizeof a->fold / sizeof *a->fold);
  utf8proc_ssize_t count = utf8proc_decompose(
      (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, a->fold, cap, opts);
  if (count <= 0 || count > cap)
    return 0;
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

/* Offset in the analysed text of chunk byte k. */
static size_t orig(const cys_analyzer *a, size_t k) {
  return a->cmap ? a->cmap[k] : a->cbase + k;
}

/* Hand the folded word in a->fold[0..n) to the caller. */
static void emit(cys_analyzer *a, size_t n, size_t start, size_t end,
                 unsigned position, unsigned flags) {
  if (a->stop || n == 0)
    return;
  cys_token t;
  t.exact = (const char *)a->fold;
  t.exact_len = n;
  t.start = start;
  t.end = end;
  t.position = position;
  t.flags = flags;
  if (flags & CYS_TOKEN_IDENTIFIER) {
    t.stem = t.exact;
    t.stem_len = n;
  } else if (a->stem_first &&
             !(a->stem_first[(unsigned char)t.exact[0] >> 3] &
               (1u << (t.exact[0] & 7)))) {
    t.stem = NULL; /* analyzer_stem_only_first: a stem it cannot want */
    t.stem_len = 0;
  } else if (stem_cache_stem(a->stems, t.exact, n, &t.stem, &t.stem_len)) {
    a->status = CYS_NOMEM;
    a->stop = 1;
    return;
  }
  if (a->fn(a->ctx, &t))
    a->stop = 1;
}

/* Emit one run as a word. */
static void emit_run(cys_analyzer *a, const run *r, unsigned position,
                     unsigned flags) {
  size_t n = fold(a, a->chunk + r->start, r->end - r->start, r->ascii);
  const char *w = (const char *)a->fold;
  size_t end = r->end;
  /* Possessives: "China's" is "china", and its span ends before the 's. */
  if (n > 2 && w[n - 2] == '\'' && w[n - 1] == 's') {
    n -= 2;
    end--; /* the s */
    while (end > r->start &&
           ((unsigned char)a->chunk[end - 1] & 0xC0) == 0x80)
      end--; /* continuation bytes of a typographic apostrophe */
    end--;   /* the apostrophe's first byte */
  }
  /* A word with a digit is an identifier ("2017", "apt28", a hash). */
  if (r->digits)
    flags |= CYS_TOKEN_IDENTIFIER;
  else if (!(flags & CYS_TOKEN_PART) && r->ascii && r->letters_only &&
           r->letters >= 2 && r->letters <= ACRONYM_MAX &&
           r->upper == r->letters)
    flags |= CYS_TOKEN_ACRONYM;
  emit(a, n, orig(a, r->start), orig(a, end), position, flags);
}

/* ---- runs and compounds -------------------------------------------------- */

/* Scan the run of word characters at s[i]: apostrophes between letters and
 * invisible characters between word characters stay inside it. */
static size_t scan_run(const char *s, size_t n, size_t i, run *r) {
  memset(r, 0, sizeof *r);
  r->start = i;
  r->ascii = 1;
  r->letters_only = 1;
  int32_t prev = -1;
  while (i < n) {
    size_t len;
    int32_t c = cp_decode(s, n, i, &len);
    if (cp_is_word(c)) {
      r->ascii &= c < 0x80;
      if (cp_is_letter(c)) {
        r->letters++;
        if (c >= 'A' && c <= 'Z')
          r->upper++;
      } else {
        r->letters_only = 0;
        if (cp_is_digit(c))
          r->digits++;
      }
      prev = c;
      i += len;
      continue;
    }
    if (i + len >= n || prev < 0)
      break;
    size_t next_len;
    int32_t next = cp_decode(s, n, i + len, &next_len);
    int joins = cp_is_invisible(c) ? cp_is_word(next)
                : cp_is_apostrophe(c)
                    ? cp_is_letter(prev) && cp_is_letter(next)
                    : 0;
    if (!joins)
      break;
    r->ascii &= c < 0x80;
    i += len;
  }
  r->end = i;
  return i;
}

/* Length of the joiner at s[i] ("." "-" "/" ":" "@" "\" or ":\"), or 0. */
static size_t joiner_at(const char *s, size_t n, size_t i) {
  if (i >= n)
    return 0;
  switch (s[i]) {
  case ':':
    return (i + 1 < n && s[i + 1] == '\\') ? 2 : 1;
  case '.':
  case '-':
  case '/':
  case '@':
  case '\\':
    return 1;
  default:
    return 0;
  }
}

static int word_at(const char *s, size_t n, size_t i) {
  size_t len;
  return i < n && cp_is_word(cp_decode(s, n, i, &len));
}

static int is_designator(const char *w, size_t n) {
  static const char *const words[] = {"apt", "fin", "ta", "unc", "temp"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
      return 1;
  return 0;
}

/* Emit runs[k..e] of a compound at position p + k as a whole of its own. */
static void emit_piece(cys_analyzer *a, const run *runs, size_t k, size_t e,
                       unsigned p) {
  int ascii = 1;
  for (size_t q = k; q <= e; q++)
    ascii &= runs[q].ascii;
  size_t n = fold(a, a->chunk + runs[k].start, runs[e].end - runs[k].start,
                  ascii);
  emit(a, n, orig(a, runs[k].start), orig(a, runs[e].end), p + (unsigned)k,
       CYS_TOKEN_IDENTIFIER | CYS_TOKEN_WHOLE);
}

/* Emit a compound of nr runs (nr >= 2) joined by joiners[0..nr-2]. */
static void emit_compound(cys_analyzer *a, const run *runs,
                          const char *joiners, size_t nr) {
  const char *s = a->chunk;
  unsigned p = a->position;
  int has_digit = 0, only_hyphens = 1, single_letters = 1, only_dots = 1;
  for (size_t k = 0; k < nr; k++) {
    has_digit |= runs[k].digits > 0;
    single_letters &= runs[k].ascii && runs[k].letters_only &&
                      runs[k].end - runs[k].start == 1;
    if (k + 1 < nr) {
      only_hyphens &= joiners[k] == '-';
      only_dots &= joiners[k] == '.';
    }
  }
  if (single_letters && only_dots) { /* "U.S", "E.U": one acronym */
    char *w = (char *)a->fold;
    unsigned upper = 0;
    for (size_t k = 0; k < nr; k++) {
      char c = s[runs[k].start];
      upper += c >= 'A' && c <= 'Z';
      w[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    size_t end = runs[nr - 1].end;
    if (end < a->chunk_len && s[end] == '.')
      end++;
    emit(a, nr, orig(a, runs[0].start), orig(a, end), p,
         upper == nr ? CYS_TOKEN_ACRONYM : 0);
    a->position = p + 1;
    return;
  }
  if (only_hyphens && !has_digit) { /* "state-sponsored": just words */
    for (size_t k = 0; k < nr; k++)
      emit_run(a, &runs[k], p + (unsigned)k, 0);
    a->position = p + (unsigned)nr;
    return;
  }
  int ascii = 1;
  for (size_t k = 0; k < nr; k++)
    ascii &= runs[k].ascii;
  /* The whole; "APT-28" is written as "apt28", the form "APT28" takes. */
  size_t n;
  if (nr == 2 && joiners[0] == '-' && runs[0].letters_only &&
      runs[1].digits == runs[1].end - runs[1].start && ascii &&
      runs[1].end - runs[0].start <= 16) {
    char w[20];
    size_t l0 = runs[0].end - runs[0].start;
    for (size_t i = 0; i < l0; i++) {
      char c = s[runs[0].start + i];
      w[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    if (is_designator(w, l0)) {
      size_t l1 = runs[1].end - runs[1].start;
      memcpy(w + l0, s + runs[1].start, l1);
      memcpy(a->fold, w, l0 + l1);
      emit(a, l0 + l1, orig(a, runs[0].start), orig(a, runs[1].end), p,
           CYS_TOKEN_IDENTIFIER | CYS_TOKEN_WHOLE);
      goto parts;
    }
  }
  n = fold(a, s + runs[0].start, runs[nr - 1].end - runs[0].start, ascii);
  emit(a, n, orig(a, runs[0].start), orig(a, runs[nr - 1].end), p,
       CYS_TOKEN_IDENTIFIER | CYS_TOKEN_WHOLE);
  /* Dotted pieces inside a larger whole: domains, IPs, file names.  A
   * piece with hyphenated labels around it ("evil-cdn.example" in a URL
   * or an e-mail address) is also given with them, first: the host. */
  if (!only_dots) {
    size_t k = 0, host_end = 0;
    while (k + 1 < nr) {
      size_t e = k;
      while (e + 1 < nr && joiners[e] == '.')
        e++;
      if (e > k) {
        size_t b = k, f = e;
        while (b > 0 && (joiners[b - 1] == '-' || joiners[b - 1] == '.'))
          b--;
        while (f + 1 < nr && (joiners[f] == '-' || joiners[f] == '.'))
          f++;
        if ((b < k || f > e) && !(b == 0 && f == nr - 1) &&
            (host_end == 0 || f + 1 > host_end)) {
          emit_piece(a, runs, b, f, p);
          host_end = f + 1;
        }
        emit_piece(a, runs, k, e, p);
      }
      k = e + 1;
    }
  }
parts:
  for (size_t k = 0; k < nr; k++)
    emit_run(a, &runs[k], p + (unsigned)k, CYS_TOKEN_PART);
  a->position = p + (unsigned)nr;
}

/* Read s[0..n) (the current chunk) as compounds. */
static void read_compounds(cys_analyzer *a, size_t from, size_t n) {
  const char *s = a->chunk;
  run runs[MAX_RUNS];
  char joiners[MAX_RUNS];
  size_t i = from;
  while (i < n && !a->stop) {
    if (!word_at(s, n, i)) {
      size_t len;
      cp_decode(s, n, i, &len);
      i += len;
      continue;
    }
    size_t nr = 0, j = i;
    for (;;) {
      scan_run(s, n, j, &runs[nr]);
      size_t e = runs[nr].end, jl = joiner_at(s, n, e);
      nr++;
      if (jl && nr < MAX_RUNS && word_at(s, n, e + jl)) {
        joiners[nr - 1] = s[e];
        j = e + jl;
        continue;
      }
      break;
    }
    if (nr == 1) {
      emit_run(a, &runs[0], a->position,
               a->inside_whole ? CYS_TOKEN_PART : 0);
      a->position++;
    } else {
      emit_compound(a, runs, joiners, nr);
    }
    i = runs[nr - 1].end;
  }
}

/* ---- special shapes ------------------------------------------------------ */

/* "C++", "C#", "F#", "Notepad++": a short name and its suffix. */
static size_t language_name_len(const char *s, size_t n) {
  size_t suffix = (n >= 3 && s[n - 1] == '+' && s[n - 2] == '+') ? 2
                  : (n >= 2 && s[n - 1] == '#')                  ? 1
                                                                  : 0;
  if (!suffix || n - suffix > 10 || !ascii_is_alpha(s[0]))
    return 0;
  for (size_t i = 1; i < n - suffix; i++)
    if (!ascii_is_alnum(s[i]))
      return 0;
  return n - suffix;
}

/* ".NET", ".exe": a dot and a short name. */
static int is_dot_name(const char *s, size_t n) {
  if (n < 3 || n > 12 || s[0] != '.' || !ascii_is_alpha(s[1]))
    return 0;
  for (size_t i = 2; i < n; i++)
    if (!ascii_is_alnum(s[i]))
      return 0;
  return 1;
}

/* An IPv6 address (optionally with a /prefix): hex groups and colons, with
 * "::" or at least five colons. */
static int is_ipv6(const char *s, size_t n) {
  size_t colons = 0, group = 0;
  int double_colon = 0, hex = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ':') {
      colons++;
      if (i + 1 < n && s[i + 1] == ':')
        double_colon = 1;
      group = 0;
    } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
               (c >= 'A' && c <= 'F')) {
      if (++group > 4)
        return 0;
      hex = 1;
    } else if (c == '/' || c == '.') {
      group = 0;
    } else {
      return 0;
    }
  }
  return hex && colons >= 2 && (double_colon || colons >= 5);
}

/* Length of a URL scheme with its "://", or 0. */
static size_t url_scheme_len(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && i <= 10 && ascii_is_alpha(s[i]))
    i++;
  if (i < 2 || i + 3 > n || memcmp(s + i, "://", 3) != 0)
    return 0;
  return i + 3;
}

/* Emit the entire chunk as one whole, then its parts: as compounds (the
 * host of a URL is a whole of its own) or, for `plain_parts`, run by run. */
static void whole_then_parts(cys_analyzer *a, size_t n, int ascii,
                             int plain_parts) {
  size_t len = fold(a, a->chunk, n, ascii);
  emit(a, len, orig(a, 0), orig(a, n), a->position,
       CYS_TOKEN_IDENTIFIER | CYS_TOKEN_WHOLE);
  if (plain_parts) {
    for (size_t i = 0; i < n && !a->stop;) {
      if (!word_at(a->chunk, n, i)) {
        i++;
        continue;
      }
      run r;
      i = scan_run(a->chunk, n, i, &r);
      emit_run(a, &r, a->position++, CYS_TOKEN_PART);
    }
    return;
  }
  a->inside_whole = 1;
  read_compounds(a, 0, n);
  a->inside_whole = 0;
}

/* ---- chunks -------------------------------------------------------------- */

/* The offset just before the last character of s[0..end). */
static size_t last_char(const char *s, size_t start, size_t end) {
  size_t i = end - 1;
  while (i > start && ((unsigned char)s[i] & 0xC0) == 0x80)
    i--;
  return i;
}

/* Trim [*cs, *ce) of punctuation around it, and a possessive 's. */
static void trim(const char *text, size_t *cs, size_t *ce) {
  size_t s = *cs, e = *ce;
  while (s < e) {
    size_t len;
    int32_t c = cp_decode(text, e, s, &len);
    if (cp_is_word(c) || (c == '.' && is_dot_name(text + s, e - s)))
      break;
    s += len;
  }
  while (e > s) {
    size_t i = last_char(text, s, e), len;
    int32_t c = cp_decode(text, e, i, &len);
    if (cp_is_word(c) || language_name_len(text + s, e - s))
      break;
    /* The full stop of a dotted acronym belongs to it: "U.S." */
    if (c == '.' && i - s >= 3 && ascii_is_alpha(text[i - 1]) &&
        text[i - 2] == '.' && ascii_is_alpha(text[i - 3]))
      break;
    e = i;
  }
  /* Possessive: "APT28's", "China’s". */
  if (e - s > 2 && text[e - 1] == 's') {
    size_t i = last_char(text, s, e - 1), len;
    int32_t c = cp_decode(text, e - 1, i, &len);
    if (cp_is_apostrophe(c) && i > s)
      e = i;
  }
  *cs = s;
  *ce = e;
}

static int all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return n > 0;
}

static int is_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80)
      return 0;
  return 1;
}

/* After a chunk s[0..n) of one word: remember it when it is a lone
 * designator word written in capitals ("APT"), for a number in the next
 * chunk ("APT 28" also gives "apt28"). */
static void remember_designator(cys_analyzer *a, const char *s, size_t n,
                                unsigned first) {
  if (n > 4)
    return;
  char w[8];
  int upper = 1;
  for (size_t i = 0; i < n; i++) {
    upper &= s[i] >= 'A' && s[i] <= 'Z';
    w[i] = (char)(s[i] | 0x20);
  }
  if (upper && is_designator(w, n)) {
    memcpy(a->designator_word, w, n);
    a->designator_word[n] = '\0';
    a->designator = 1;
    a->designator_start = orig(a, 0);
    a->designator_position = first;
  }
}

static void read_chunk(cys_analyzer *a, const char *text, size_t cs,
                       size_t ce) {
  trim(text, &cs, &ce);
  if (cs >= ce) {
    a->designator = 0;
    return;
  }
  a->chunk = text + cs;
  a->cmap = NULL;
  a->cbase = cs;
  size_t n = ce - cs;
  if (n <= MAX_DEFANG_CHUNK && defang_needed(text + cs, n)) {
    if (n + 1 > a->norm_cap) {
      char *norm = realloc(a->norm, n + 1);
      if (norm)
        a->norm = norm;
      size_t *map = realloc(a->map, (n + 1) * sizeof *map);
      if (map)
        a->map = map;
      if (!norm || !map) {
        a->status = CYS_NOMEM;
        a->stop = 1;
        return;
      }
      a->norm_cap = n + 1;
    }
    n = defang(text + cs, n, cs, a->norm, a->map);
    a->chunk = a->norm;
    a->cmap = a->map;
  }
  a->chunk_len = n;
  const char *s = a->chunk;

  /* "APT 28": the number after a designator word also gives "apt28". */
  if (a->designator && n <= 6 && all_digits(s, n)) {
    size_t l = strlen(a->designator_word);
    memcpy(a->fold, a->designator_word, l);
    memcpy((char *)a->fold + l, s, n);
    emit(a, l + n, a->designator_start, orig(a, n), a->designator_position,
         CYS_TOKEN_IDENTIFIER | CYS_TOKEN_WHOLE);
  }
  a->designator = 0;

  unsigned first = a->position;
  if (language_name_len(s, n) || is_dot_name(s, n) || is_ipv6(s, n)) {
    whole_then_parts(a, n, 1, 1);
  } else if (url_scheme_len(s, n)) {
    whole_then_parts(a, n, is_ascii(s, n), 0);
  } else {
    read_compounds(a, 0, n);
  }

  if (a->position == first + 1)
    remember_designator(a, s, n, first);
}

/* ---- plain words ----------------------------------------------------------
 * Most chunks of prose are one ASCII word between ASCII punctuation
 * ("said", "(malware),", "'attack'"): read_chunk would trim the
 * punctuation, find nothing to undefang (patterns and typographic joiners
 * need a bracket, a colon or a non-ASCII byte inside the trimmed word),
 * read one run of letters and emit it as one word.  plain_word finds that
 * shape with a byte loop and read_plain emits the same token at the same
 * position, without decoding every character several times. */

/* ASCII punctuation: neither a word character nor white space. */
static int punct(char c) {
  return c > ' ' && c < 0x7F && !ascii_is_alnum(c) && c != '_';
}

/* Does text[cs..ce) hold punctuation, letters A-Z/a-z, punctuation, all
 * ASCII?  Sets [*ws, *we) to the letters.  Left out, for read_chunk: a
 * '.' before the letters (".NET"), '+' or '#' after them ("C#"), digits,
 * '_' and anything non-ASCII (folding, Unicode spaces, dashes). */
static int plain_word(const char *text, size_t cs, size_t ce, size_t *ws,
                      size_t *we) {
  size_t i = cs;
  while (i < ce && punct(text[i]) && text[i] != '.')
    i++;
  size_t start = i;
  while (i < ce && ascii_is_alpha(text[i]))
    i++;
  if (i == start)
    return 0;
  size_t end = i;
  while (i < ce && punct(text[i]) && text[i] != '+' &&
         text[i] != '#')
    i++;
  if (i != ce)
    return 0;
  *ws = start;
  *we = end;
  return 1;
}

/* Emit the plain word text[ws..we) as read_chunk would. */
static void read_plain(cys_analyzer *a, const char *text, size_t ws,
                       size_t we) {
  a->chunk = text;
  a->chunk_len = we;
  a->cmap = NULL;
  a->cbase = 0;
  a->designator = 0;
  run r;
  memset(&r, 0, sizeof r);
  r.start = ws;
  r.end = we;
  r.ascii = 1;
  r.letters_only = 1;
  r.letters = (unsigned)(we - ws);
  for (size_t i = ws; i < we; i++)
    r.upper += text[i] >= 'A' && text[i] <= 'Z';
  unsigned first = a->position;
  emit_run(a, &r, a->position++, 0);
  a->chunk = text + ws; /* remember_designator reads from the chunk */
  a->cbase = ws;
  remember_designator(a, a->chunk, we - ws, first);
}

/* Is there white space at text[i] (cp_is_space)?  Sets *n to the bytes
 * of its character.  ASCII, most of any text, is told by its byte, without
 * decoding. */
static int space_at(const char *text, size_t len, size_t i, size_t *n) {
  unsigned char b = (unsigned char)text[i];
  if (b < 0x80) {
    *n = 1;
    return b <= ' ' || b == 0x7F;
  }
  return cp_is_space(cp_decode(text, len, i, n));
}

cys_status cys_analyze(cys_analyzer *a, const char *text, size_t len,
                       cys_token_fn fn, void *ctx) {
  a->fn = fn;
  a->ctx = ctx;
  a->stop = 0;
  a->status = CYS_OK;
  a->position = 0;
  a->designator = 0;
  size_t i = 0;
  while (i < len && !a->stop) {
    size_t n;
    if (space_at(text, len, i, &n)) {
      i += n;
      continue;
    }
    size_t start = i;
    while (i < len && !space_at(text, len, i, &n))
      i += n;
    size_t ws, we;
    if (a->plain_words && plain_word(text, start, i, &ws, &we))
      read_plain(a, text, ws, we);
    else
      read_chunk(a, text, start, i);
  }
  return a->status;
}

void analyzer_read_plain_words(cys_analyzer *a, int on) { a->plain_words = on; }

void analyzer_stem_only_first(cys_analyzer *a, const unsigned char *set) {
  a->stem_first = set;
}
