/*
 * analyze.h — the one text analyzer shared by the indexer, the query parser
 * and the snippet highlighter, so that index and query can never drift.
 *
 * Text is split into words (Unicode letters, digits, marks, and '_';
 * apostrophes inside words and '.'/',' between digits do not split), each
 * word is NFKC-normalised and case-folded (utf8proc), invisible format
 * characters such as zero-width spaces are dropped without splitting, and
 * the folded form is stemmed with libstemmer.  Words containing a digit
 * are identifiers and are never stemmed.  Invalid UTF-8 separates words
 * and is otherwise ignored.
 */
#ifndef CYSEARCH_ANALYZE_H
#define CYSEARCH_ANALYZE_H

#include <stddef.h>

#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cys_analyzer cys_analyzer;

enum cys_token_flag {
  CYS_TOKEN_IDENTIFIER = 1u << 0, /* contains a digit: not stemmed */
  CYS_TOKEN_ALLCAPS = 1u << 1,    /* written in capitals, 2+ letters */
};

/* Longest word kept, in bytes of its folded form; longer runs (base64
 * blobs, ...) are skipped but still counted as a position. */
#define CYS_TOKEN_MAX 100

/* One word.  The strings are NOT NUL-terminated and are valid only during
 * the callback. */
typedef struct cys_token {
  const char *exact; /* normalised, case-folded form */
  size_t exact_len;
  const char *stem; /* stem of exact (equal to it for identifiers) */
  size_t stem_len;
  size_t start, end; /* byte offsets of the word in the analysed text */
  unsigned position; /* 0-based index of the word in the text */
  unsigned flags;    /* enum cys_token_flag bits */
} cys_token;

/* Called once per word, in text order.  Return 0 to go on; any other value
 * stops the analysis, and cys_analyze returns CYS_OK. */
typedef int (*cys_token_fn)(void *ctx, const cys_token *token);

/* Create an analyzer stemming with the libstemmer algorithm `language`
 * ("english", "french", ... or NULL for CYS_DEFAULT_LANGUAGE).  Returns
 * CYS_NOT_FOUND for a language libstemmer does not know.  *out is owned by
 * the caller and freed with cys_analyzer_free.  An analyzer is not
 * thread-safe: use one per thread. */
cys_status cys_analyzer_new(const char *language, cys_analyzer **out);
void cys_analyzer_free(cys_analyzer *analyzer);

/* The canonical language name in use, e.g. "english". */
const char *cys_analyzer_language(const cys_analyzer *analyzer);

/* Analyse text[0..len) and call fn for each word.  Returns CYS_NOMEM if
 * memory runs out; never fails on bad text. */
cys_status cys_analyze(cys_analyzer *analyzer, const char *text, size_t len,
                       cys_token_fn fn, void *ctx);

/* NULL-terminated list of the languages libstemmer offers (static). */
const char **cys_analyzer_languages(void);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_ANALYZE_H */
