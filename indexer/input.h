/*
 * input.h — one INPUT of the command line to the index: standard input
 * ("-"), a file of any input format, or a directory, walked.
 *
 * Format: --format when given; else the file name (.jsonl, .json, .txt,
 * .html, ..., possibly .gz) refined by the first line of the content
 * (input_format.h).  In a directory only files of a known format (and
 * bare .gz files) are read, the others ignored.  Compression is always
 * recognised from the content.
 *
 * Identity of pages (text and HTML): in a directory, the path below the
 * directory named on the command line; a file named on the command line,
 * its path as given; from standard input, a hash of its bytes (or an
 * HTML page's own url).  A page without a url of its own gets the
 * absolute path of its file.
 */
#ifndef CYSEARCH_INDEXER_INPUT_H
#define CYSEARCH_INDEXER_INPUT_H

#include "job.h"

/* Index every article of arg.  Problems with the input are reported and
 * counted as skipped; returns -1 only when the job must stop. */
int input_index(job *j, const char *arg);

#endif
