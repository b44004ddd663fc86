/*
 * glass_revision.h — a sanity check of a glass index's revision file
 * (iamglass) before Xapian opens it.
 *
 * Xapian 1.4 trusts the numbers in iamglass: a damaged B-tree level, root
 * block or free-list cursor there makes it read outside its buffers and
 * crash (a 4-byte change at offsets 33-35, 47, 49, 64, 79 or 81 of the
 * news corpus index's file segfaulted cysearch, cysearch.cgi and
 * cysearch-index).  The file has no checksum, so this checks what can be
 * checked: the fields Xapian uses without checking, against each other
 * (block size, B-tree depth, root and free-list blocks below the first
 * unused block).  Reading the file costs microseconds per open (docs/bad-input.md,
 * "Bad input").  Used by the C++ shim
 * (xapian_shim_open.cc, xapian_shim_write.cc).
 */
#ifndef CYSEARCH_GLASS_REVISION_H
#define CYSEARCH_GLASS_REVISION_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 when dir/iamglass is plausible, or is absent, unreadable, or of
 * another format or version (Xapian's own errors say those better); -1
 * when it is damaged, with the reason in why[0..why_size) (NUL-ended). */
int glass_revision_check(const char *dir, char *why, size_t why_size);

#ifdef __cplusplus
}
#endif
#endif
