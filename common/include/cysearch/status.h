/*
 * status.h — the one status type every cysearch function returns.
 *
 * 0 is success; every error is negative.  Only errors a caller can act on
 * get a code of their own.  The table below is the single source of the
 * codes and of the strings cys_status_str() returns.
 *
 * Where a function works on a handle (cys_db, cys_writer, cys_searcher, ...)
 * the detailed message for the last error is kept on that handle and read
 * with the handle's *_errmsg() function; never in a global.
 */
#ifndef CYSEARCH_STATUS_H
#define CYSEARCH_STATUS_H

#ifdef __cplusplus
extern "C" {
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
const char *cys_status_str(cys_status status);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_STATUS_H */
