/*
 * extract_designator.c — see extract_designator.h.
 *
 * Each shape is a prefix written exactly so (case matters: "ta575" in a
 * URL is not Proofpoint's TA575), an optional separator, and a run of
 * digits of a given length.  Lengths are what the vendors use, so near
 * misses stay out: "TA-1" (a product version), "FIN" alone, "G12".
 */
#include "extract_designator.h"

#include <string.h>

#include "ascii_class.h"

typedef struct shape {
  const char *prefix; /* as written, separator included ("DEV-") */
  int spaced;         /* a space or '-' may follow the prefix ("APT 41") */
  unsigned min_digits, max_digits;
} shape;

/* Longer prefixes first ("APT-C-" before "APT"). */
static const shape shapes[] = {
    {"APT-C-", 0, 2, 3}, /* Qihoo 360 */
    {"APT", 1, 1, 3},    /* Mandiant */
    {"TA", 0, 3, 4},     /* Proofpoint */
    {"UNC", 0, 3, 5},    /* Mandiant, uncategorised */
    {"FIN", 0, 1, 3},    /* Mandiant, financially motivated */
    {"DEV-", 0, 4, 4},   /* Microsoft, before 2023 */
    {"Storm-", 0, 4, 4}, /* Microsoft, since 2023 */
    {"TAG-", 0, 2, 3},   /* Recorded Future */
    {"UAC-", 0, 4, 4},   /* CERT-UA */
    {"TG-", 0, 4, 4},    /* Secureworks */
    {"UAT-", 0, 4, 4},   /* Cisco Talos */
    {"G", 0, 4, 4},      /* MITRE ATT&CK group id */
};

/* Characters that make a token part of a URL, path, handle, file name or
 * identifier when they touch it. */
static int joins(char c) {
  return c == '/' || c == '\\' || c == '_' || c == '@' || c == '.' ||
         c == '=' || c == '#' || c == '&' || c == '?' || c == '%' ||
         c == ':' || c == '$' || c == '~';
}

size_t designator_at(const char *text, size_t len, size_t at, char *value) {
  if (at >= len || !memchr("ATUFDSG", text[at], 7) ||
      (at > 0 && (ascii_is_alnum(text[at - 1]) || joins(text[at - 1]) ||
                  text[at - 1] == '-')))
    return 0; /* every prefix starts with one of these */
  for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
    const shape *sh = &shapes[s];
    size_t pl = strlen(sh->prefix), i = at + pl;
    if (len - at < pl || memcmp(text + at, sh->prefix, pl) != 0)
      continue;
    if (sh->spaced && i < len && (text[i] == ' ' || text[i] == '-'))
      i++;
    size_t digits = i;
    while (i < len && ascii_is_digit(text[i]))
      i++;
    size_t nd = i - digits;
    if (nd < sh->min_digits || nd > sh->max_digits)
      continue;
    /* ATT&CK's tactics are TA0001..TA0043; Proofpoint's actors have no
     * leading zero. */
    if (strcmp(sh->prefix, "TA") == 0 && text[digits] == '0')
      return 0;
    /* It must end here: not "APT41x", "TA575.zip", "UNC2452_x" or a
     * version "APT-1-2"; "APT41-linked" is fine. */
    if (i < len &&
        (ascii_is_alnum(text[i]) || text[i] == '_' ||
         (i + 1 < len && joins(text[i]) && ascii_is_alnum(text[i + 1])) ||
         (text[i] == '-' && i + 1 < len && ascii_is_digit(text[i + 1]))))
      return 0;
    size_t n = 0;
    memcpy(value, sh->prefix, pl);
    n = pl;
    memcpy(value + n, text + digits, nd);
    n += nd;
    value[n] = '\0';
    return i - at;
  }
  return 0;
}

const char *weather_family_country(const char *word, size_t len) {
  static const struct {
    const char *family, *country;
  } families[] = {
      {"Typhoon", "CN"}, {"Blizzard", "RU"}, {"Sandstorm", "IR"},
      {"Sleet", "KP"},   {"Cyclone", "VN"},  {"Dust", "TR"},
      {"Hail", "KR"},    {"Rain", "LB"},     {"Tempest", ""},
      {"Flood", ""},     {"Tsunami", ""},
  };
  if (len < 4 || len > 9 || !memchr("TBSCDHRF", word[0], 8))
    return NULL; /* the families' lengths and first letters */
  for (size_t i = 0; i < sizeof families / sizeof *families; i++)
    if (strlen(families[i].family) == len &&
        memcmp(families[i].family, word, len) == 0)
      return families[i].country;
  return NULL;
}
