/*
 * glass_revision.c — see glass_revision.h.
 *
 * The layout of iamglass (Xapian 1.4, backends/glass/glass_version.cc):
 * 14 bytes of magic and 2 of format version, 16 of UUID, the revision,
 * then for each of the six tables (postlist, docdata, termlist,
 * position, spelling, synonym) its root block, level << 2 | sequential
 * << 1 | root_is_fake, entry count, block size >> 11, compress_min and
 * the free list as a string (its revision, first unused block, and two
 * cursors of block and offset / 4); then the statistics.  Every number
 * is Xapian's pack_uint: 7 bits a byte, low first, the top bit set on
 * all bytes but the last.
 */
#include "glass_revision.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAGIC_LEN 14
/* The glass format version this layout is (2016-03-14, Xapian 1.3.5 to
 * 1.4): (year - 2014) << 9 | month << 5 | day. */
#define VERSION_HIGH 0x04
#define VERSION_LOW 0x6e
#define HEADER_LEN 32 /* magic, version, UUID */
#define MAX_LEVELS 10 /* Xapian's BTREE_CURSOR_LEVELS */
#define MIN_BLOCK 2048u
#define MAX_BLOCK 65536u

static const char magic[MAGIC_LEN] = "\x0f\x0dXapian Glass";
static const char *const tables[] = {"postlist", "docdata",  "termlist",
                                     "position", "spelling", "synonym"};
enum { TABLES = sizeof tables / sizeof *tables };

typedef struct reader {
  const unsigned char *p, *end;
  int ok;
} reader;

static uint64_t next_uint(reader *r) {
  uint64_t v = 0;
  for (unsigned shift = 0; r->ok; shift += 7) {
    if (r->p == r->end || shift > 63) {
      r->ok = 0;
      break;
    }
    unsigned char b = *r->p++;
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      break;
  }
  return r->ok ? v : 0;
}

/* The fields of one table's root information that Xapian uses unchecked. */
typedef struct root_info {
  uint64_t root, level, block_size, fake;
  int has_free_list;
  uint64_t first_unused, fl_block, fl_offset, flw_block, flw_offset;
} root_info;

static void read_root_info(reader *r, root_info *t) {
  memset(t, 0, sizeof *t);
  t->root = next_uint(r);
  uint64_t flags = next_uint(r);
  t->level = flags >> 2;
  t->fake = flags & 1;
  next_uint(r); /* entries */
  t->block_size = next_uint(r) << 11;
  next_uint(r); /* compress_min */
  uint64_t len = next_uint(r);
  if (!r->ok || len > (uint64_t)(r->end - r->p)) {
    r->ok = 0;
    return;
  }
  reader fl = {r->p, r->p + len, 1};
  r->p += len;
  if (len == 0)
    return;
  t->has_free_list = 1;
  next_uint(&fl); /* its revision */
  t->first_unused = next_uint(&fl);
  t->fl_block = next_uint(&fl);
  t->fl_offset = next_uint(&fl) * 4;
  t->flw_block = next_uint(&fl);
  t->flw_offset = next_uint(&fl) * 4;
  if (!fl.ok || fl.p != fl.end)
    r->ok = 0;
}

/* Why a table's entry is implausible, or NULL.  The table file's size is
 * no bound: after deletions the first unused block can lie past its end. */
static const char *implausible(const root_info *t, char *detail,
                               size_t size) {
  if (t->block_size < MIN_BLOCK || t->block_size > MAX_BLOCK ||
      (t->block_size & (t->block_size - 1)))
    return "its block size is not a power of two from 2 to 64 KB";
  if (t->level >= MAX_LEVELS)
    return "its B-tree is deeper than Xapian allows";
  if (t->fake)
    return t->root == 0 && t->level == 0 ? NULL : "its empty root is not";
  if (t->has_free_list &&
      (t->root >= t->first_unused || t->fl_block >= t->first_unused ||
       t->flw_block >= t->first_unused || t->fl_offset >= t->block_size ||
       t->flw_offset >= t->block_size)) {
    snprintf(detail, size,
             "its root or free-list block is outside the "
             "table's %llu blocks",
             (unsigned long long)t->first_unused);
    return detail;
  }
  return NULL;
}

int glass_revision_check(const char *dir, char *why, size_t why_size) {
  char path[4096];
  unsigned char buf[1024];
  snprintf(path, sizeof path, "%s/iamglass", dir);
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  if (n < HEADER_LEN || memcmp(buf, magic, MAGIC_LEN) != 0 ||
      buf[MAGIC_LEN] != VERSION_HIGH || buf[MAGIC_LEN + 1] != VERSION_LOW)
    return 0; /* not glass, or Xapian's "magic incorrect" or version error */
  reader r = {buf + HEADER_LEN, buf + n, 1};
  next_uint(&r); /* revision */
  const char *bad = NULL, *table = NULL;
  char detail[128];
  for (size_t i = 0; i < TABLES && r.ok && !bad; i++) {
    root_info t;
    read_root_info(&r, &t);
    table = tables[i];
    if (r.ok)
      bad = implausible(&t, detail, sizeof detail);
  }
  if (!r.ok)
    snprintf(why, why_size,
             "%s is damaged: it ends inside its root "
             "information",
             path);
  else if (bad)
    snprintf(why, why_size,
             "%s is damaged: the %s table's entry is wrong "
             "(%s)",
             path, table, bad);
  return !r.ok || bad ? -1 : 0;
}
