/*
 * analyze.h — the one text analyzer shared by the indexer, the query parser
 * and the snippet highlighter, so that index and query can never drift.
 *
 * Words are runs of Unicode letters, digits, marks and '_' (apostrophes
 * between letters and invisible format characters do not split them), each
 * NFKC-normalised and case-folded with utf8proc and stemmed with libstemmer.
 * Security identifiers are kept whole and also given as their parts: CVE,
 * GHSA, CWE and ATT&CK ids, MS bulletins, threat-group designators ("APT28",
 * "APT 28", "APT-28" all give "apt28"), IPv4/IPv6 addresses and ranges,
 * domains, URLs, e-mail addresses, file names, Windows paths, registry keys,
 * versions, "C++", "C#", ".NET"; a URL's or address's host is a whole of
 * its own.  Defanged indicators ("evil[.]com", "hxxp://",
 * "user[at]mail.com") are read as their plain forms, and so are typographic
 * dashes before a number and fullwidth joiners ("CVE–2018–17456",
 * "evil．com"), with offsets into the original text.  Words with
 * a digit are identifiers and are never stemmed.  Capitalised acronyms
 * ("US", "U.S.", "IT") are flagged so that they can keep a case-sensitive
 * identity.  Invalid UTF-8 separates words and is otherwise ignored.
 *
 * Ownership: cys_analyzer_new's analyzer is the caller's, freed with
 * cys_analyzer_free (NULL accepted); the tokens handed to the callback
 * are borrowed for the call only; cys_analyzer_languages' list is static.
 * Errors: CYS_NOT_FOUND for a language libstemmer does not know, CYS_NOMEM;
 * analysis itself never fails on bad text.  No message beyond the status.
 * An analyzer is used by one thread at a time.
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
  /* An identifier: never stemmed (stem == exact). */
  CYS_TOKEN_IDENTIFIER = 1u << 0,
  /* Written in capitals, 2 to 8 ASCII letters, or dotted ("U.S."): the
   * upper-case form of exact is its case-sensitive identity. */
  CYS_TOKEN_ACRONYM = 1u << 1,
  /* A whole compound ("cve-2017-0144", "evil.com"); its parts follow as
   * tokens flagged PART, the first at the same position. */
  CYS_TOKEN_WHOLE = 1u << 2,
  CYS_TOKEN_PART = 1u << 3,
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
  unsigned position; /* 0-based word position (a whole shares its first
                        part's position) */
  unsigned flags;    /* enum cys_token_flag bits */
} cys_token;

/* Called once per word, in text order (a whole before its parts).  Return
 * 0 to go on; any other value stops the analysis, and cys_analyze returns
 * CYS_OK. */
typedef int (*cys_token_fn)(void *ctx, const cys_token *token);

/* Create an analyzer stemming with the libstemmer algorithm `language`
 * ("english", "french", ... or NULL for "english").  Returns
 * CYS_NOT_FOUND for a language libstemmer does not know.  *out is owned by
 * the caller and freed with cys_analyzer_free.  An analyzer is not
 * thread-safe: use one per thread. */
CYS_API cys_status cys_analyzer_new(const char *language, cys_analyzer **out);
CYS_API void cys_analyzer_free(cys_analyzer *analyzer);

/* The canonical language name in use, e.g. "english". */
CYS_API const char *cys_analyzer_language(const cys_analyzer *analyzer);

/* Analyse text[0..len) and call fn for each word.  Returns CYS_NOMEM if
 * memory runs out; never fails on bad text. */
CYS_API cys_status cys_analyze(cys_analyzer *analyzer, const char *text,
                               size_t len, cys_token_fn fn, void *ctx);

/* NULL-terminated list of the languages libstemmer offers (static). */
CYS_API const char **cys_analyzer_languages(void);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_ANALYZE_H */
