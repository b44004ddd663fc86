/*
 * term_text.h — writing stored text (titles, urls, snippets, ids, sources,
 * entity and facet names) and messages to a terminal without letting it
 * act on the terminal.
 *
 * Scraped pages carry escape sequences: ESC [ 2 J clears the screen,
 * ESC ] 0 ; … BEL retitles the window, CR and backspace overwrite what
 * was printed, and U+009B (or a bare 0x9B byte, which some terminals read
 * as the same CSI) starts a control sequence of its own.  Written through
 * these functions, tab, newline, CR, vertical tab and form feed become a
 * space (text output has one line per field, so a newline in a field
 * would forge a line), and every other C0 control, DEL, C1 control
 * (U+0080–U+009F) and invalid UTF-8 byte becomes U+FFFD, so that what
 * was there stays visible.
 *
 * Invisible format characters (Unicode category Cf) act on the terminal
 * too: U+202E (right-to-left override) shows "exploitkit<RLO>gnp.exe" as
 * "exploitkitexe.png", the other bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069, U+061C) reorder what follows, and
 * zero-width ones (U+200B–U+200F, U+FEFF, U+00AD) make two different
 * strings look the same.  Every Cf character becomes U+FFFD as well:
 * visible, and one rule from utf8proc's table rather than a list that
 * misses the next one.  Text lost this way (a zero-width joiner inside an
 * emoji, a soft hyphen) is cosmetic; the stored text is unchanged and
 * JSON keeps it.  The line and paragraph separators U+2028 and U+2029
 * (categories Zl, Zp) become a space, as newline does.  JSON output needs
 * none of this: jansson escapes controls as \uXXXX.
 */
#ifndef CYSEARCH_SEARCHER_TERM_TEXT_H
#define CYSEARCH_SEARCHER_TERM_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Write s[0..len) to f, controls replaced as above. */
void term_write(FILE *f, const char *s, size_t len);
/* The same for a NUL-terminated s. */
void term_puts(FILE *f, const char *s);

#endif
