/*
 * input_json.h — a JSON document that is an array of articles, indexed
 * element by element as it is read (json_elements.h), so that its size
 * does not matter: memory follows the largest element, and an element
 * over --max-article-bytes is skipped (named by line and index) while
 * the others are indexed.  A document that is one object is read whole
 * (document.h).
 */
#ifndef CYSEARCH_INDEXER_INPUT_JSON_H
#define CYSEARCH_INDEXER_INPUT_JSON_H

#include <stddef.h>

#include "document.h"
#include "line_reader.h"

/* Index the array that the rest of r holds, after first[0..first_len)
 * (its first line when it was already read, with the line number
 * line_reader_lineno gives; first NULL when nothing was).  Problems are
 * reported and counted; returns -1 only when the job must stop. */
int input_json_array(job *j, line_reader *r, const input_source *src,
                     const char *first, size_t first_len);

#endif
