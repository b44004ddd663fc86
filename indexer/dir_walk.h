/*
 * dir_walk.h — every file under a directory, in an order that does not
 * depend on the file system: the entries of each directory sorted by
 * their bytes, each subdirectory walked where its name sorts.  Names
 * beginning with "." are passed over, and so are symbolic links found
 * inside the tree: a link may point anywhere (a planted link to a private
 * file would make it searchable), so only the root itself may be one (it
 * was named on purpose).  A directory that is already being walked (a bind
 * mount of an ancestor) is not entered again.
 */
#ifndef CYSEARCH_INDEXER_DIR_WALK_H
#define CYSEARCH_INDEXER_DIR_WALK_H

/* Why an entry was not passed to the file callback. */
typedef enum dir_walk_event {
  DIR_WALK_HIDDEN,    /* its name begins with "." */
  DIR_WALK_LOOP,      /* a directory already being walked */
  DIR_WALK_SYMLINK,   /* a symbolic link: not followed */
  DIR_WALK_SPECIAL,   /* not a regular file or directory (fifo, device) */
  DIR_WALK_TOO_DEEP,  /* more than DIR_WALK_MAX_DEPTH levels down */
  DIR_WALK_UNREADABLE /* stat or opendir failed: err says why */
} dir_walk_event;

#define DIR_WALK_MAX_DEPTH 64

typedef struct dir_walk_callbacks {
  /* A regular file: path to open it, rel its path below the root (with
   * "/" between names).  A non-zero return stops the walk. */
  int (*file)(void *ctx, const char *path, const char *rel);
  /* An entry left out; err is an errno value for DIR_WALK_UNREADABLE. */
  void (*other)(void *ctx, const char *path, dir_walk_event event, int err);
  /* Asked before each entry: non-zero stops the walk (an interrupt). */
  int (*stop)(void *ctx);
} dir_walk_callbacks;

/* Walk the directory root.  Returns 0 when every entry was seen, 1 when a
 * callback stopped the walk, -1 when memory ran out. */
int dir_walk(const char *root, const dir_walk_callbacks *cb, void *ctx);

#endif
