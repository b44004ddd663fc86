/*
 * status.h — the one status type every cysearch function returns, and the
 * conventions every public header follows.
 *
 * 0 is success; every error is negative.  Only errors a caller can act on
 * get a code of their own.  The table below is the single source of the
 * codes and of the strings cys_status_str() returns.
 *
 * Conventions of the public API (libcysearch, pkg-config cysearch):
 *   - Names are cys_<thing>_<verb>; only cys_* symbols are exported.
 *   - Handles are opaque.  A handle that is opened (cys_searcher,
 *     cys_writer) is made by cys_<thing>_new() (NULL only when memory runs
 *     out) and then opened by cys_<thing>_open*(); other objects are made
 *     by a call that returns a status and puts the object in *out
 *     (cys_gazetteer_new, cys_extractor_new, cys_kev_catalogue_load, and
 *     cys_search's results).  Each has its cys_<thing>_free(), which
 *     accepts NULL.  *out is written only on success.
 *   - Errors: a function returns a cys_status.  The message saying what
 *     went wrong and what to do is kept on the handle the function works
 *     on, read with cys_<thing>_errmsg() (valid until the next call on the
 *     handle), never in a global.  Functions without such a handle
 *     (cys_index_*, cys_kev_catalogue_load) return the message through
 *     their last argument, char **error (or **report), malloc'd: the
 *     caller frees it.
 *   - Strings are UTF-8 and NUL-terminated.  Strings and arrays a
 *     function returns are borrowed from the handle that returned them
 *     (living as long as it, or as said there) unless the header says
 *     malloc'd.
 *   - A handle is used by one thread at a time; different handles may be
 *     used at once on different threads.
 */
#ifndef CYSEARCH_STATUS_H
#define CYSEARCH_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the declarations libcysearch exports; the library is built with
 * hidden visibility, so everything else stays inside it. */
#if defined(__GNUC__) || defined(__clang__)
#define CYS_API __attribute__((visibility("default")))
#else
#define CYS_API
#endif

/* X(name, value, text) */
#define CYS_STATUS_TABLE(X)                                                 \
  X(OK, 0, "ok")                                                            \
  X(NOT_FOUND, -1, "not found")                                             \
  X(LOCKED, -2, "locked by another writer")                                 \
  X(CORRUPT, -3, "index is corrupt")                                        \
  X(BAD_QUERY, -4, "bad query")                                             \
  X(NOMEM, -5, "out of memory")                                             \
  X(IO, -6, "input/output error")                                           \
  X(INVALID, -7, "invalid argument")                                        \
  X(MODIFIED, -8, "index was modified by a writer; reopen and retry")       \
  X(VERSION, -9, "index format not supported by this version")              \
  X(NETWORK, -10, "network error")                                          \
  X(TIMEOUT, -11, "timed out")                                              \
  X(BAD_INPUT, -12, "malformed input")                                      \
  X(EXISTS, -13, "already exists")                                          \
  X(INTERNAL, -14, "internal error")                                        \
  X(INTERRUPTED, -15, "interrupted")

typedef enum cys_status {
#define CYS_STATUS_ENUM(name, value, text) CYS_##name = value,
  CYS_STATUS_TABLE(CYS_STATUS_ENUM)
#undef CYS_STATUS_ENUM
} cys_status;

/* A short, static, human-readable description of a status code.  Never
 * NULL: unknown values give "unknown status". */
CYS_API const char *cys_status_str(cys_status status);

/* A last word when Xapian ends the process.  Xapian 1.4.22 can throw from
 * a destructor while a commit fails on a full disk (its value table's
 * writer, glass_values.cc), which C++ turns into std::terminate past every
 * error check of this library: the commit did not happen, the index is as
 * of its last commit, and the process would die of SIGABRT.  With a
 * handler set, it is called first with what Xapian said ("DatabaseError:
 * Error writing block 41 (No space left on device)"), in the failing
 * thread while the others still run: it should say so, remove what the
 * program made, and end the process with _exit(); if it returns, the
 * process aborts as before.  Process-wide (std::set_terminate); NULL puts
 * back the default. */
CYS_API void cys_on_abort(void (*handler)(const char *what, void *ctx),
                          void *ctx);
#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_STATUS_H */
