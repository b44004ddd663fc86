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
 * was there stays visible.  JSON output needs none of this: jansson
 * escapes controls as \uXXXX.
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
