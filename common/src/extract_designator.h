/*
 * extract_designator.h — threat-actor names recognised by their shape, known
 * or not: vendors' designators (APT41, TA575, UNC2452, FIN7, DEV-0537,
 * Storm-0558, TAG-22, APT-C-36, UAC-0056, TG-3390, UAT-4356, ATT&CK's
 * G0032) and Microsoft's weather-family names ("Volt Typhoon").  Pure text
 * functions; extract.c turns their answers into candidates.
 */
#ifndef CYSEARCH_EXTRACT_DESIGNATOR_H
#define CYSEARCH_EXTRACT_DESIGNATOR_H

#include <stddef.h>

/* A designator starting at text[at]: returns its length (0 when there is
 * none) and writes its canonical form ("APT 41" -> "APT41") to value (at
 * least 24 bytes).  It must stand alone: not inside a word, a hex string, a
 * URL, a path or a file name ("TA575.zip"), and not be a version ("TA-1"). */
size_t designator_at(const char *text, size_t len, size_t at, char *value);

/* The country of a Microsoft weather family ("Typhoon" -> "CN"); "" for a
 * family with no country (Tempest: financially motivated; Flood: influence
 * operations; Tsunami: private-sector offensive actors); NULL when word
 * (len bytes, as written, capitalised) is no family. */
const char *weather_family_country(const char *word, size_t len);

#endif
