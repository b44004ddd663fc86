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
 *   XFIL    absolute path of the file the article was read from (not for
 *           standard input; left out when too long for a term); what
 *           cysearch-index --prune looks for
 *   Y       year, "YYYY"                                 (year:)
 *   M       year and month, "YYYYMM"
 *   Entities found by the extractor (entity.h), one boolean term per
 *   entity and article, canonical value after the prefix:
 *   XCTY    country mentioned, ISO code          (country:CN)
 *   XAGY    agency, canonical id                 (agency:NSA)
 *   XACT    threat actor, canonical name         (actor:APT28)
 *   XCVE    CVE id, upper case                   (cve:CVE-2017-0144)
 *   XMAL    malware family                       (malware:WannaCry)
 *   XVEN    vendor                               (vendor:Microsoft)
 *   XLCG, XLCA, XLCM, XLCV
 *           the country an agency, actor, malware family or vendor found in
 *           the article belongs to — kept apart from countries mentioned
 *                                                (actor-country:RU)
 *   Marks from CISA's Known Exploited Vulnerabilities catalogue (kev.h),
 *   written by cysearch-index --cve-data and rewritten in place when the
 *   catalogue changes (kev_mark.c); indexes never marked lack them:
 *   XKEV    "yes" when one of the article's CVEs is in the catalogue, "no"
 *           when it has CVE tags and none is; absent without CVE tags
 *                                                (kev:yes, kev:no)
 *   XKRW    with XKEVyes: "known" when one of those CVEs has
 *           knownRansomwareCampaignUse "Known", else "unknown"
 *                                                (kev-ransomware:known)
 *   XSIG    a band of the article's near-duplicate signature, six
 *           base64url characters (36 bits of a hash of two min-hashes of
 *           its content-word pairs; dedup_sign.c); DEDUP_SIGN_BANDS (24)
 *           per article with at least one word pair, none otherwise.  The
 *           writer finds an article's earlier copies through them
 *           (dedup.c).  Indexes written before them lack them: their
 *           articles are not found as copies of new ones until
 *           cysearch-index --relink adds them (relink.c).
 *   All X prefixes are four letters, so none is a prefix of another.
 *
 * VALUE SLOTS
 * ------------------------------------------------------------------------
 *   0  CYS_SLOT_DATE     "YYYYMMDD" with unknown parts as "00" (sortable;
 *                        used for date ranges and date sorts); absent when
 *                        the article has no date.
 *   1  CYS_SLOT_HASH     16 bytes: a hash of the article's stored record;
 *                        re-indexing an unchanged article is skipped.
 *   2  CYS_SLOT_COLLAPSE near-duplicate collapse key, 16 hex digits:
 *                        articles that tell the same story (syndicated
 *                        copies, light rewrites) share one, which searches
 *                        collapse on (Enquire::set_collapse_key).  The
 *                        writer gives an article the key of the most
 *                        similar earlier article of its story, else a hash
 *                        of its Q term; the rule is in dedup.c, and
 *                        cysearch-index --relink computes every key again
 *                        over the whole index (relink.c).  Indexes
 *                        written before keys existed lack it: their
 *                        articles are never collapsed.
 *   3  CYS_SLOT_FACETS   what the facets count, all in one value so that
 *                        one read per match serves every facet and
 *                        Xapian's own ValueCountMatchSpy can count it
 *                        (also inside xapian-tcpsrv, which knows no
 *                        classes of ours): the collapse key, then one
 *                        field per facet in this order — country, agency,
 *                        actor, cve, malware, vendor (cys_entity_type
 *                        order; canonical values), the source host, the
 *                        year ("YYYY"; empty when unknown) — each field
 *                        introduced by 0x1E and its values separated by
 *                        0x1F.  See facet_value.c.  cysearch-index
 *                        --cve-data appends two fields to the value of an
 *                        article with CVE tags (kev_mark.c): its XKEV mark
 *                        ("yes"/"no") and its XKRW mark ("known"/
 *                        "unknown", or empty); a value written without
 *                        them counts in neither kev facet.
 *   4  CYS_SLOT_KEV      the article's CVEs that are in the KEV catalogue,
 *                        by CVE id, each as "CVE<US>dateAdded<US>
 *                        vendorProject<US>product<US>Known|Unknown"
 *                        (US = 0x1F), separated by 0x1E; absent when none
 *                        is (or never marked).  Set with the XKEV terms.
 *   5  CYS_SLOT_ADDED_RUN   the indexing run (METADATA, cysearch.run) that
 *                        first added the article, as CYS_RUN_DIGITS decimal
 *                        digits with leading zeros (sortable; indexed:).
 *                        Replacing a changed article keeps it; an article
 *                        deleted and indexed again is added again.  An
 *                        article indexed before runs were recorded has
 *                        none until it changes, and then "0000000000".
 *   6  CYS_SLOT_CHANGED_RUN the run that last wrote the article (added or
 *                        replaced it), in the same form (changed:).
 *                        Neither changes when --cve-data or --relink
 *                        rewrite marks or keys: the article is the same.
 *
 * DOCUMENT DATA
 * ------------------------------------------------------------------------
 *   The stored article, encoded by store.h: one format byte ('C', version
 *   1) followed by a zlib stream holding, in this order, id, title, date,
 *   source, url, body and the entities found ("TYPE<TAB>VALUE<TAB>LABEL
 *   <TAB>COUNT" lines) — each as a varint (0 for absent, else length + 1)
 *   and the bytes; see store.c.
 *
 * METADATA
 * ------------------------------------------------------------------------
 *   cysearch.schema    "2" — CYS_SCHEMA_VERSION; a searcher refuses other
 *                      versions with CYS_VERSION.
 *   cysearch.language  the libstemmer algorithm used (e.g. "english"); the
 *                      searcher always uses this one, never its own setting.
 *   cysearch.gazetteer entities loaded from files at index time (MISP
 *                      galaxies), as TSV, so searchers resolve filters and
 *                      labels exactly as the indexer tagged.
 *   cysearch.run       the number of the last indexing run that changed
 *                      the index, in decimal ("" before the first): runs
 *                      are numbered 1, 2, ... per index, and a run that
 *                      changes nothing is not recorded (its number is
 *                      taken by the next run that does).  Written with the
 *                      run's first commit, so it may name a run still
 *                      under way.
 *   cysearch.run.NNNNNNNNNN  (the run number in CYS_RUN_DIGITS digits) that
 *                      run's record: its start time, "YYYY-MM-DDTHH:MM:SSZ"
 *                      (UTC), then, once its job finished, a space and its
 *                      end time in the same form.  A run without an end
 *                      time is under way, or its job stopped (the next run
 *                      writes the end time "-" for it).  Start times never
 *                      decrease from one run to the next (a clock set back
 *                      is read as the previous run's start).
 *   Every shard of a sharded index holds the same run records when its
 *   runs open the whole index; a cysearch-index --shard K job records its
 *   run in shard K alone, numbered after shard K's last run (run_log.c).
 */
#ifndef CYSEARCH_SCHEMA_H
#define CYSEARCH_SCHEMA_H

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "cysearch/kev.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CYS_SCHEMA_VERSION "2"

#define CYS_PREFIX_EXACT ""
#define CYS_PREFIX_STEM "Z"
#define CYS_PREFIX_ACRONYM "K"
#define CYS_PREFIX_TITLE "S"
#define CYS_PREFIX_TITLE_STEM "ZS"
#define CYS_PREFIX_ID "Q"
#define CYS_PREFIX_SOURCE "XSRC"
#define CYS_PREFIX_ORIGIN "XFIL"
#define CYS_PREFIX_YEAR "Y"
#define CYS_PREFIX_MONTH "M"
#define CYS_PREFIX_SIGNATURE "XSIG"

#define CYS_SLOT_DATE 0u
#define CYS_SLOT_HASH 1u
#define CYS_SLOT_COLLAPSE 2u
#define CYS_SLOT_FACETS 3u
#define CYS_SLOT_KEV 4u
#define CYS_SLOT_ADDED_RUN 5u
#define CYS_SLOT_CHANGED_RUN 6u
#define CYS_RUN_DIGITS 10 /* the run numbers of slots and metadata keys */
#define CYS_RUN_MAX 9999999999ull /* the largest of CYS_RUN_DIGITS digits */

/* A run number as slots CYS_SLOT_ADDED_RUN and CYS_SLOT_CHANGED_RUN hold
 * it: CYS_RUN_DIGITS digits, zero-padded so that runs sort bytewise (one
 * above CYS_RUN_MAX is written as CYS_RUN_MAX). */
static inline void cys_run_slot_value(uint64_t run,
                                      char out[CYS_RUN_DIGITS + 1]) {
  snprintf(out, CYS_RUN_DIGITS + 1, "%0*" PRIu64, CYS_RUN_DIGITS,
           run < CYS_RUN_MAX ? run : (uint64_t)CYS_RUN_MAX);
}

/* KEV marks (kev.h): boolean terms beside CYS_SLOT_KEV. */
#define CYS_PREFIX_KEV "XKEV"
#define CYS_PREFIX_KEV_RANSOMWARE "XKRW"

/* Entity term prefixes, indexed by cys_entity_type (country, agency, actor,
 * cve, malware, vendor), and the prefixes of the countries they belong to
 * ("" where there is none: a country's country, a CVE's). */
#define CYS_ENTITY_PREFIXES {"XCTY", "XAGY", "XACT", "XCVE", "XMAL", "XVEN"}
#define CYS_ENTITY_COUNTRY_PREFIXES {"", "XLCG", "XLCA", "", "XLCM", "XLCV"}
#define CYS_VALUE_SEPARATOR '\x1f' /* between values of one field */
#define CYS_FIELD_SEPARATOR '\x1e' /* before each field of CYS_SLOT_FACETS */
#define CYS_DATE_SEPARATOR '\x1d' /* before the date a dated count adds
                                     (db.h, cys_match_params.count_dated) */
#define CYS_FACET_FIELDS 8       /* the fields of CYS_SLOT_FACETS */
#define CYS_FACET_KEV_FIELDS 2   /* the fields --cve-data appends to them */

/* Positions skipped between the title and the body. */
#define CYS_FIELD_POSITION_GAP 100u

#define CYS_META_SCHEMA "cysearch.schema"
#define CYS_META_LANGUAGE "cysearch.language"
#define CYS_META_GAZETTEER "cysearch.gazetteer"
#define CYS_META_RUN "cysearch.run"
#define CYS_META_RUN_RECORD "cysearch.run." /* + CYS_RUN_DIGITS digits */
#define CYS_RUN_TIME_LEN 20 /* "YYYY-MM-DDTHH:MM:SSZ" */
#define CYS_RUN_KEY_MAX 32 /* CYS_META_RUN_RECORD, its digits and NUL */

/* The metadata key of run's record: CYS_META_RUN_RECORD and
 * CYS_RUN_DIGITS digits. */
static inline void cys_run_record_key(uint64_t run,
                                      char out[CYS_RUN_KEY_MAX]) {
  snprintf(out, CYS_RUN_KEY_MAX, "%s%0*" PRIu64, CYS_META_RUN_RECORD,
           CYS_RUN_DIGITS, run);
}

/* The stemmer used when the user names none. */
#define CYS_DEFAULT_LANGUAGE "english"

/* ---- values written in the slots ---------------------------------------- */

/* CYS_SLOT_DATE: the sortable form of a normalised date, "YYYYMMDD" with
 * unknown parts as "00" ("2021-03" -> "20210300").  out must hold 9
 * bytes. */
void cys_date_sortkey(const char *normalized, char out[9]);

/* CYS_SLOT_KEV's value split into its entries: at most max entries into
 * out, whose strings point into a copy of value made in *buf (malloc'd;
 * the caller frees it, also when 0 entries).  Returns how many entries
 * value holds (may exceed max); -1 when memory runs out. */
long cys_kev_value_split(const char *value, size_t len, cys_kev_entry *out,
                         size_t max, char **buf);

#ifdef __cplusplus
}
#endif
#endif /* CYSEARCH_SCHEMA_H */
