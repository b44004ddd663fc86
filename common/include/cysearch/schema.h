/*
 * schema.h — the cysearch index schema, written down in exactly one place.
 *
 * A cysearch index is a Xapian database (glass backend).  Everything the
 * indexer writes and the searcher reads is described here; code refers to
 * these names, never to literal prefixes or slot numbers.
 *
 * TERMS  (prefixes follow Xapian Omega's conventions where one exists)
 * ------------------------------------------------------------------------
 *   (none)  exact form of a word from title or body: Unicode-normalised and
 *           case-folded but not stemmed, WITH positions.  Quoted phrases,
 *           proximity and "=word" queries match these.  Title tokens take
 *           positions 1..n, body tokens continue after a gap of
 *           CYS_FIELD_POSITION_GAP so that a phrase never spans the two.
 *           Identifiers (see analyze.h) are indexed whole ("cve-2017-0144",
 *           "evil.com") and as their parts, the whole at the position of
 *           its first part.
 *   Z       stem of a word from title or body (libstemmer, the language in
 *           metadata CYS_META_LANGUAGE), wdf only, no positions.  Free-text
 *           queries match these.  Identifiers have no Z term: they are
 *           never stemmed, so their exact term serves.
 *   K       case-sensitive acronym: the upper-case form of a word written
 *           in capitals ("US", "U.S." -> KUS; "IT" -> KIT), wdf only, so a
 *           query for "US" can prefer the country over the pronoun.
 *   S       exact form of a title word, with positions  (title:"...")
 *   ZS      stem of a title word, wdf only               (title:word)
 *   Q       the article id, exactly as given (unique: one document per id).
 *   XSRC    source host, lower case                      (source:)
 *   Y       year, "YYYY"                                 (year:)
 *   M       year and month, "YYYYMM"
 *   Prefixes for extracted entities (country, agency, actor, ...) are
 *   added to this table by the entity extractor; all of them start with X.
 *
 * VALUE SLOTS
 * ------------------------------------------------------------------------
 *   0  CYS_SLOT_DATE     "YYYYMMDD" with unknown parts as "00" (sortable;
 *                        used for date ranges and date sorts); absent when
 *                        the article has no date.
 *   1  CYS_SLOT_HASH     16 bytes: a hash of the article's stored record;
 *                        re-indexing an unchanged article is skipped.
 *   2  CYS_SLOT_COLLAPSE reserved: near-duplicate collapse key.
 *
 * DOCUMENT DATA
 * ------------------------------------------------------------------------
 *   The stored article, encoded by store.h: one format byte ('C', version
 *   1) followed by a zlib stream holding, in this order, id, title, date,
 *   source, url, body — each as a varint byte length and the bytes
 *   (NULL fields are stored with length 0 and a flag bit; see store.c).
 *
 * METADATA
 * ------------------------------------------------------------------------
 *   cysearch.schema    "1" — CYS_SCHEMA_VERSION; a searcher refuses other
 *                      versions with CYS_VERSION.
 *   cysearch.language  the libstemmer algorithm used (e.g. "english"); the
 *                      searcher always uses this one, never its own setting.
 */
#ifndef CYSEARCH_SCHEMA_H
#define CYSEARCH_SCHEMA_H

#ifdef __cplusplus
extern "C" {
#endif

#define CYS_SCHEMA_VERSION "1"

#define CYS_PREFIX_EXACT ""
#define CYS_PREFIX_STEM "Z"
#define CYS_PREFIX_ACRONYM "K"
#define CYS_PREFIX_TITLE "S"
#define CYS_PREFIX_TITLE_STEM "ZS"
#define CYS_PREFIX_ID "Q"
#define CYS_PREFIX_SOURCE "XSRC"
#define CYS_PREFIX_YEAR "Y"
#define CYS_PREFIX_MONTH "M"

#define CYS_SLOT_DATE 0u
#define CYS_SLOT_HASH 1u
#define CYS_SLOT_COLLAPSE 2u

/* Positions skipped between the title and the body. */
#define CYS_FIELD_POSITION_GAP 100u

#define CYS_META_SCHEMA "cysearch.schema"
#define CYS_META_LANGUAGE "cysearch.language"

/* The stemmer used when the user names none. */
#define CYS_DEFAULT_LANGUAGE "english"

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_SCHEMA_H */
