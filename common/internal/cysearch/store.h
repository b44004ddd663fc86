/*
 * store.h — the stored form of an article kept in the index as document
 * data: all fields, zlib-compressed, so that results and snippets never need
 * the original files.  The byte layout is described in schema.h.
 */
#ifndef CYSEARCH_STORE_H
#define CYSEARCH_STORE_H

#include <stddef.h>

#include "cysearch/article.h"
#include "cysearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Encode an article and the entities found in it (entities: one line per
 * entity, "TYPE<TAB>VALUE<TAB>LABEL<TAB>COUNT\n", or NULL).  *out is
 * malloc'd and owned by the caller. */
cys_status cys_store_encode(const cys_article *article, const char *entities,
                            unsigned char **out, size_t *out_len);

/* The same encoding with one zlib stream reused across articles (cheaper
 * than setting one up per call; the bytes are identical).  An encoder is
 * used by one thread at a time.  NULL when memory runs out; free accepts
 * NULL. */
typedef struct cys_store_encoder cys_store_encoder;
cys_store_encoder *cys_store_encoder_new(void);
void cys_store_encoder_free(cys_store_encoder *encoder);
cys_status cys_store_encode_with(cys_store_encoder *encoder,
                                 const cys_article *article,
                                 const char *entities, unsigned char **out,
                                 size_t *out_len);

/* Decode stored bytes into a cys_record (article.h).  Any damage (bad format byte, broken zlib stream,
 * lengths that do not add up) gives CYS_CORRUPT, never a crash.  *out is
 * owned by the caller; free it with cys_record_free. */
cys_status cys_store_decode(const void *data, size_t len, cys_record **out);
/* The same, but only the fields before the body: id, title, date, source
 * and url; body and entities stay NULL (body_len 0).  Inflates only as far
 * as those fields go, which for most articles is a small part of the
 * whole.  Damage in the part read gives CYS_CORRUPT; the rest is not
 * checked. */
cys_status cys_store_decode_head(const void *data, size_t len,
                                 cys_record **out);
void cys_record_free(cys_record *record);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_STORE_H */
