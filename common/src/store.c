/*
 * store.c — the stored article record (see store.h; layout in schema.h).
 *
 * Layout: 'C' (format 1), then one zlib stream.  Inside the stream, for each
 * field in the order id, title, date, source, url, body, entities: a
 * varint v, where
 * v == 0 means the field is absent (NULL) and v == n + 1 means n bytes of
 * UTF-8 follow.
 */
#include "cysearch/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define STORE_FORMAT 'C'
#define NFIELDS 7
/* A stored record never inflates beyond this: the indexer's article limit
 * is far below it, so anything larger is damage. */
#define MAX_RAW_BYTES (256u * 1024u * 1024u)

static const char **field_slot(cys_record *r, int i) {
  cys_article *a = &r->article;
  switch (i) {
  case 0:
    return &a->id;
  case 1:
    return &a->title;
  case 2:
    return &a->date;
  case 3:
    return &a->source;
  case 4:
    return &a->url;
  case 5:
    return &a->body;
  default:
    return &r->entities;
  }
}

static size_t put_varint(unsigned char *p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (unsigned char)v;
  return n;
}

/* Read a varint from p[*i..len); returns -1 when it is cut short or too
 * long. */
static int get_varint(const unsigned char *p, size_t len, size_t *i,
                      uint64_t *v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*i >= len)
      return -1;
    unsigned char b = p[(*i)++];
    r |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      *v = r;
      return 0;
    }
  }
  return -1;
}

struct cys_store_encoder {
  z_stream z;
  unsigned char *raw; /* the record before compression, reused */
  size_t raw_cap;
};

cys_store_encoder *cys_store_encoder_new(void) {
  cys_store_encoder *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  /* What compress2(..., 6) sets up, so the bytes are the same. */
  if (deflateInit(&e->z, 6) != Z_OK) {
    free(e);
    return NULL;
  }
  return e;
}

void cys_store_encoder_free(cys_store_encoder *e) {
  if (!e)
    return;
  deflateEnd(&e->z);
  free(e->raw);
  free(e);
}

cys_status cys_store_encode_with(cys_store_encoder *e,
                                 const cys_article *article,
                                 const char *entities, unsigned char **out,
                                 size_t *out_len) {
  cys_record a = {.article = *article, .entities = entities};
  size_t lens[NFIELDS];
  size_t raw_len = 0;
  for (int f = 0; f < NFIELDS; f++) {
    const char *s = *field_slot(&a, f);
    lens[f] = s ? strlen(s) : 0;
    raw_len += lens[f] + 10;
  }
  if (raw_len > e->raw_cap) {
    unsigned char *bigger = realloc(e->raw, raw_len);
    if (!bigger)
      return CYS_NOMEM;
    e->raw = bigger;
    e->raw_cap = raw_len;
  }
  unsigned char *raw = e->raw;
  size_t n = 0;
  for (int f = 0; f < NFIELDS; f++) {
    const char *s = *field_slot(&a, f);
    n += put_varint(raw + n, s ? (uint64_t)lens[f] + 1 : 0);
    if (s) {
      memcpy(raw + n, s, lens[f]);
      n += lens[f];
    }
  }
  uLong packed_cap = deflateBound(&e->z, (uLong)n);
  unsigned char *packed = malloc(packed_cap + 1);
  if (!packed)
    return CYS_NOMEM;
  packed[0] = STORE_FORMAT;
  e->z.next_in = raw;
  e->z.avail_in = (uInt)n;
  e->z.next_out = packed + 1;
  e->z.avail_out = (uInt)packed_cap;
  int zr = deflate(&e->z, Z_FINISH);
  size_t packed_len = packed_cap - e->z.avail_out;
  if (deflateReset(&e->z) != Z_OK || zr != Z_STREAM_END) {
    free(packed);
    return zr == Z_MEM_ERROR ? CYS_NOMEM : CYS_INTERNAL;
  }
  *out = packed;
  *out_len = packed_len + 1;
  return CYS_OK;
}

cys_status cys_store_encode(const cys_article *article, const char *entities,
                            unsigned char **out, size_t *out_len) {
  cys_store_encoder *e = cys_store_encoder_new();
  if (!e)
    return CYS_NOMEM;
  cys_status st = cys_store_encode_with(e, article, entities, out, out_len);
  cys_store_encoder_free(e);
  return st;
}

/* Inflate src into a malloc'd buffer; CYS_CORRUPT on any damage. */
/* The fields before the body (id, title, date, source, url). */
#define HEAD_FIELDS 5

/* 1 when raw[0..n) holds the first nfields fields whole. */
static int holds_fields(const unsigned char *raw, size_t n, int nfields) {
  size_t i = 0;
  for (int f = 0; f < nfields; f++) {
    uint64_t v;
    if (get_varint(raw, n, &i, &v) || (v && v - 1 > n - i))
      return 0;
    i += v ? (size_t)(v - 1) : 0;
  }
  return 1;
}

/* Inflate src[0..len) into *out (malloc'd), all of it, or, when nfields
 * is below NFIELDS, only as far as the first nfields fields go (give or
 * take a few hundred bytes). */
static cys_status inflate_fields(const unsigned char *src, size_t len,
                                 int nfields, unsigned char **out,
                                 size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit(&z) != Z_OK)
    return CYS_NOMEM;
  int whole = nfields >= NFIELDS;
  size_t cap = whole ? len * 4 + 64 : 512, n = 0;
  unsigned char *buf = malloc(cap);
  cys_status status = CYS_OK;
  if (!buf) {
    status = CYS_NOMEM;
    goto done;
  }
  z.next_in = (Bytef *)src;
  z.avail_in = (uInt)len;
  for (;;) {
    if (n == cap) {
      if (cap >= MAX_RAW_BYTES) {
        status = CYS_CORRUPT;
        goto done;
      }
      cap *= 2;
      unsigned char *bigger = realloc(buf, cap);
      if (!bigger) {
        status = CYS_NOMEM;
        goto done;
      }
      buf = bigger;
    }
    z.next_out = buf + n;
    z.avail_out = (uInt)(cap - n);
    int zr = inflate(&z, Z_NO_FLUSH);
    n = cap - z.avail_out;
    if (zr == Z_STREAM_END)
      break;
    if (!whole && zr == Z_OK && holds_fields(buf, n, nfields))
      goto done; /* the rest is not wanted */
    if (zr == Z_MEM_ERROR) {
      status = CYS_NOMEM;
      goto done;
    }
    if (zr != Z_OK || (z.avail_in == 0 && z.avail_out != 0)) {
      status = CYS_CORRUPT; /* bad data, or input ended before the stream */
      goto done;
    }
  }
  if (z.avail_in != 0)
    status = CYS_CORRUPT; /* trailing garbage */
done:
  inflateEnd(&z);
  if (status == CYS_OK) {
    *out = buf;
    *out_len = n;
  } else {
    free(buf);
  }
  return status;
}

/* The first nfields fields of a stored record (all: NFIELDS). */
static cys_status decode_fields(const void *data, size_t len, int nfields,
                                cys_record **out) {
  const unsigned char *p = data;
  if (len < 2 || p[0] != STORE_FORMAT)
    return CYS_CORRUPT;
  unsigned char *raw;
  size_t raw_len;
  cys_status status = inflate_fields(p + 1, len - 1, nfields, &raw, &raw_len);
  if (status != CYS_OK)
    return status;

  /* One allocation: the record, then the strings with their NULs. */
  cys_record *rec = malloc(sizeof *rec + raw_len + NFIELDS);
  if (!rec) {
    free(raw);
    return CYS_NOMEM;
  }
  memset(rec, 0, sizeof *rec);
  char *strings = (char *)(rec + 1);
  size_t i = 0, o = 0;
  for (int f = 0; f < nfields; f++) {
    uint64_t v;
    if (get_varint(raw, raw_len, &i, &v) || (v && v - 1 > raw_len - i)) {
      status = CYS_CORRUPT;
      break;
    }
    if (v == 0)
      continue;
    size_t n = (size_t)(v - 1);
    if (memchr(raw + i, '\0', n)) {
      status = CYS_CORRUPT;
      break;
    }
    memcpy(strings + o, raw + i, n);
    strings[o + n] = '\0';
    *field_slot(rec, f) = strings + o;
    if (f == 5)
      rec->body_len = n;
    o += n + 1;
    i += n;
  }
  if (status == CYS_OK &&
      ((nfields >= NFIELDS && i != raw_len) || !rec->article.id))
    status = CYS_CORRUPT;
  free(raw);
  if (status != CYS_OK) {
    free(rec);
    return status;
  }
  *out = rec;
  return CYS_OK;
}

cys_status cys_store_decode(const void *data, size_t len, cys_record **out) {
  return decode_fields(data, len, NFIELDS, out);
}

cys_status cys_store_decode_head(const void *data, size_t len,
                                 cys_record **out) {
  return decode_fields(data, len, HEAD_FIELDS, out);
}

void cys_record_free(cys_record *record) { free(record); }
