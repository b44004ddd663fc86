/*
 * dedup_kept.c — near-duplicate words kept at write time, read back by
 * the relink (dedup_kept.h).
 *
 * A file is a sequence of records, one per article added, in the order
 * written (ascending docids):
 *   head     the fixed part below: docid, counts, content hash, own key,
 *            date, flags, and the record's size
 *   bands    DEDUP_SIGN_BANDS 64-bit values, when the article is signed
 *   then the 64-bit hashes of the headline stems compared (ntitle), of
 *   all headline stems (nall_title), of the headline's words
 *   (ntitle_words) and of the article's distinct words, sorted (nwords).
 * That is what dedup_best and dedup_remember read of an article, and no
 * more: about 8 bytes per distinct word (3.6 KB for a 4.5 KB news
 * article), against the stored article's decompression and analysis.
 */
#define _XOPEN_SOURCE 700 /* pread */
#include "dedup_kept.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dedup_doc.h"

#define KEPT_MAGIC 0x6b707964u /* "dypk" in a little-endian dump */
#define FLAG_UNCACHEABLE 1u
#define FLAG_SIGNED 2u

typedef struct head {
  uint32_t magic;
  uint32_t bytes; /* of the whole record, head included */
  uint32_t docid; /* in the index of the writer that kept it */
  uint32_t nwords;
  unsigned char hash[DEDUP_KEPT_HASH];
  char key[DEDUP_KEY_LEN];
  char date[8]; /* all NUL: undated */
  uint8_t ntitle, nall_title, ntitle_words, flags;
} head;

/* The size a record with these counts must have. */
static size_t record_bytes(const head *h) {
  size_t values = (h->flags & FLAG_SIGNED ? DEDUP_SIGN_BANDS : 0) +
                  (size_t)h->ntitle + h->nall_title + h->ntitle_words +
                  h->nwords;
  return sizeof(head) + values * sizeof(uint64_t);
}

/* ---- writing ------------------------------------------------------------ */

struct dedup_kept_out {
  FILE *f;
  cys_status st; /* sticky */
  int err;       /* errno of the failure that set st */
};

/* Note a failed write: CYS_IO, with its errno kept for the message. */
static void failed(dedup_kept_out *k) {
  if (!k->st) {
    k->st = CYS_IO;
    k->err = errno;
  }
}

const char *dedup_kept_strerror(const dedup_kept_out *k) {
  return k && k->err ? strerror(k->err) : cys_status_str(k ? k->st : CYS_OK);
}

cys_status dedup_kept_create(const char *path, dedup_kept_out **out) {
  *out = NULL;
  dedup_kept_out *k = calloc(1, sizeof *k);
  if (!k)
    return CYS_NOMEM;
  if (!(k->f = fopen(path, "wb"))) {
    free(k);
    return CYS_IO;
  }
  setvbuf(k->f, NULL, _IOFBF, 1 << 20); /* records of a few KB each */
  *out = k;
  return CYS_OK;
}

static void put(dedup_kept_out *k, const void *p, size_t n) {
  if (!k->st && n && fwrite(p, 1, n, k->f) != n)
    failed(k);
}

cys_status dedup_kept_append(dedup_kept_out *k, dedup_doc *d,
                             cys_docid docid,
                             const unsigned char hash[DEDUP_KEPT_HASH],
                             const char key[DEDUP_KEY_LEN], const char *date) {
  if (k->st)
    return k->st;
  int made = dedup_doc_ready(d);
  if (made < 0 || d->nwords > UINT32_MAX)
    return CYS_OK; /* no record: the relink analyses the article */
  head h;
  memset(&h, 0, sizeof h);
  h.magic = KEPT_MAGIC;
  h.docid = docid;
  h.nwords = (uint32_t)d->nwords;
  memcpy(h.hash, hash, DEDUP_KEPT_HASH);
  memcpy(h.key, key, DEDUP_KEY_LEN);
  if (date)
    memcpy(h.date, date, sizeof h.date);
  h.ntitle = (uint8_t)d->ntitle;
  h.nall_title = (uint8_t)d->nall_title;
  h.ntitle_words = (uint8_t)d->ntitle_words;
  h.flags = (uint8_t)((d->uncacheable ? FLAG_UNCACHEABLE : 0) |
                      (made > 0 ? FLAG_SIGNED : 0));
  size_t bytes = record_bytes(&h);
  if (bytes > UINT32_MAX)
    return CYS_OK;
  h.bytes = (uint32_t)bytes;
  put(k, &h, sizeof h);
  if (made > 0)
    put(k, d->bands, sizeof d->bands);
  put(k, d->title_hash, d->ntitle * sizeof *d->title_hash);
  put(k, d->all_title, d->nall_title * sizeof *d->all_title);
  put(k, d->title_words, d->ntitle_words * sizeof *d->title_words);
  put(k, d->words, d->nwords * sizeof *d->words);
  return k->st;
}

cys_status dedup_kept_flush(dedup_kept_out *k) {
  if (!k->st && fflush(k->f) != 0)
    failed(k);
  return k->st;
}

cys_status dedup_kept_close(dedup_kept_out *k) {
  if (!k)
    return CYS_OK;
  cys_status st = dedup_kept_flush(k);
  if (fclose(k->f) != 0 && !st)
    st = CYS_IO;
  free(k);
  return st;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct where {
  uint64_t offset;
  uint32_t file; /* + 1: 0 for no record */
  uint32_t bytes;
} where;

struct dedup_kept {
  char **paths;
  size_t npaths;
  where *at; /* [docid - 1] of the merged index */
  size_t nat;
};

void dedup_kept_free(dedup_kept *k) {
  if (!k)
    return;
  for (size_t i = 0; i < k->npaths; i++)
    free(k->paths[i]);
  free(k->paths);
  free(k->at);
  free(k);
}

/* Note where the record of merged docid is; -1 when memory runs out. */
static int note(dedup_kept *k, size_t *cap, uint64_t docid, where w) {
  if (docid > SIZE_MAX / sizeof(where) / 2)
    return -1;
  if (docid > *cap) {
    size_t c = *cap ? *cap : 4096;
    while (c < docid)
      c *= 2;
    where *bigger = realloc(k->at, c * sizeof *bigger);
    if (!bigger)
      return -1;
    memset(bigger + *cap, 0, (c - *cap) * sizeof *bigger);
    k->at = bigger;
    *cap = c;
  }
  k->at[docid - 1] = w;
  if (docid > k->nat)
    k->nat = (size_t)docid;
  return 0;
}

/* The heads of file i, noted from merged docid base + 1 on; *last: the
 * file's last docid. */
static cys_status scan(dedup_kept *k, size_t i, uint64_t base, size_t *cap,
                       uint64_t *last, char *why, size_t why_cap) {
  FILE *f = fopen(k->paths[i], "rb");
  if (!f) {
    snprintf(why, why_cap, "cannot open '%s': %s", k->paths[i],
             strerror(errno));
    return CYS_IO;
  }
  cys_status st = CYS_OK;
  uint64_t offset = 0;
  *last = 0;
  head h;
  size_t got;
  while ((got = fread(&h, 1, sizeof h, f)) == sizeof h) {
    if (h.magic != KEPT_MAGIC || h.bytes != record_bytes(&h) ||
        h.docid <= *last || h.ntitle > MAX_TITLE ||
        h.nall_title > MAX_OTHER_TITLE || h.ntitle_words > MAX_OTHER_TITLE) {
      snprintf(why, why_cap, "'%s': damaged record at byte %llu",
               k->paths[i], (unsigned long long)offset);
      st = CYS_CORRUPT;
      break;
    }
    if (note(k, cap, base + h.docid,
             (where){offset, (uint32_t)(i + 1), h.bytes}) != 0) {
      snprintf(why, why_cap, "out of memory");
      st = CYS_NOMEM;
      break;
    }
    *last = h.docid;
    offset += h.bytes;
    if (fseek(f, (long)(h.bytes - sizeof h), SEEK_CUR) != 0) {
      snprintf(why, why_cap, "cannot read '%s': %s", k->paths[i],
               strerror(errno));
      st = CYS_IO;
      break;
    }
  }
  struct stat sb;
  if (!st && (ferror(f) || fstat(fileno(f), &sb) != 0)) {
    snprintf(why, why_cap, "cannot read '%s': %s", k->paths[i],
             strerror(errno));
    st = CYS_IO;
  } else if (!st && (got != 0 || (uint64_t)sb.st_size != offset)) {
    snprintf(why, why_cap, "'%s' ends inside a record", k->paths[i]);
    st = CYS_CORRUPT;
  }
  fclose(f);
  return st;
}

cys_status dedup_kept_open(const char *const *paths, size_t n,
                           dedup_kept **out, char *why, size_t cap) {
  *out = NULL;
  dedup_kept *k = calloc(1, sizeof *k);
  cys_status st = k && (k->paths = calloc(n ? n : 1, sizeof *k->paths))
                      ? CYS_OK
                      : CYS_NOMEM;
  for (size_t i = 0; i < n && !st; i++, k->npaths++)
    if (!(k->paths[i] = strdup(paths[i])))
      st = CYS_NOMEM;
  if (st == CYS_NOMEM)
    snprintf(why, cap, "out of memory");
  size_t at_cap = 0;
  uint64_t base = 0;
  for (size_t i = 0; i < n && !st; i++) {
    uint64_t last = 0;
    st = scan(k, i, base, &at_cap, &last, why, cap);
    base += last;
  }
  if (st) {
    dedup_kept_free(k);
    return st;
  }
  *out = k;
  return CYS_OK;
}

void dedup_kept_cursor_close(dedup_kept_cursor *c) {
  if (c->fd)
    close(c->fd - 1);
  c->fd = 0;
}

/* Read n values of the record into v; p advances. */
static void take(uint64_t *v, const unsigned char **p, size_t n) {
  memcpy(v, *p, n * sizeof *v);
  *p += n * sizeof *v;
}

/* Where docid's record is, with c holding its file open: NULL when there
 * is none, or its file cannot be opened (*failed set). */
static const where *find(const dedup_kept *k, dedup_kept_cursor *c,
                         cys_docid docid, int *failed) {
  *failed = 0;
  if (docid == 0 || docid > k->nat || k->at[docid - 1].file == 0)
    return NULL;
  const where *w = &k->at[docid - 1];
  if (c->fd == 0 || c->file != w->file) {
    dedup_kept_cursor_close(c);
    int fd = open(k->paths[w->file - 1], O_RDONLY);
    if (fd < 0) {
      *failed = 1;
      return NULL;
    }
    c->fd = fd + 1;
    c->file = w->file;
  }
  return w;
}

int dedup_kept_hash(const dedup_kept *k, dedup_kept_cursor *c,
                    cys_docid docid, unsigned char hash[DEDUP_KEPT_HASH]) {
  int failed;
  const where *w = find(k, c, docid, &failed);
  if (!w)
    return failed ? -1 : 0;
  head h;
  if (pread(c->fd - 1, &h, sizeof h, (off_t)w->offset) != (ssize_t)sizeof h ||
      h.magic != KEPT_MAGIC || h.bytes != w->bytes)
    return -1;
  memcpy(hash, h.hash, DEDUP_KEPT_HASH);
  return 1;
}

int dedup_kept_load(const dedup_kept *k, dedup_kept_cursor *c,
                    cys_docid docid, dedup_doc *d, dedup_kept_facts *f) {
  int failed;
  const where *w = find(k, c, docid, &failed);
  if (!w)
    return failed ? -1 : 0;
  unsigned char *rec = malloc(w->bytes);
  if (!rec || pread(c->fd - 1, rec, w->bytes, (off_t)w->offset) !=
                  (ssize_t)w->bytes) {
    free(rec);
    return -1;
  }
  head h;
  memcpy(&h, rec, sizeof h);
  if (h.magic != KEPT_MAGIC || h.bytes != w->bytes ||
      record_bytes(&h) != w->bytes) {
    free(rec);
    return -1;
  }
  dedup_reset(d);
  if (h.nwords > d->cap) {
    uint64_t *bigger = realloc(d->words, h.nwords * sizeof *bigger);
    if (!bigger) {
      free(rec);
      return -1;
    }
    d->words = bigger;
    d->cap = h.nwords;
  }
  const unsigned char *p = rec + sizeof h;
  d->signature = h.flags & FLAG_SIGNED ? 1 : 0;
  if (d->signature)
    take(d->bands, &p, DEDUP_SIGN_BANDS);
  take(d->title_hash, &p, d->ntitle = h.ntitle);
  take(d->all_title, &p, d->nall_title = h.nall_title);
  take(d->title_words, &p, d->ntitle_words = h.ntitle_words);
  take(d->words, &p, d->nwords = h.nwords);
  d->sorted = 1;
  d->uncacheable = (h.flags & FLAG_UNCACHEABLE) != 0;
  memcpy(f->hash, h.hash, DEDUP_KEPT_HASH);
  memcpy(f->key, h.key, DEDUP_KEY_LEN);
  f->key[DEDUP_KEY_LEN] = '\0';
  memcpy(f->date, h.date, sizeof h.date);
  f->date[sizeof h.date] = '\0';
  free(rec);
  return 1;
}
