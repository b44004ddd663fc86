/*
 * extract_intro.c — see extract_intro.h.
 *
 * A trigger ("dubbed", "tracked as", ...), perhaps with who named it ("dubbed
 * by Proofpoint as", "tracked by Microsoft as"), is followed by the name: a quoted
 * string of up to four words, or up to three words that each start with a
 * capital or a digit ("Raspberry Robin", "TA4557", "DEV-0537").  The type
 * is the nearest type noun before the trigger (within three words: "a new
 * loader dubbed X" -> malware, "a group known as X" -> actor) or right
 * after the name ("X ransomware", "X gang").  "tracked as" and "threat
 * actor" are actor triggers of their own; "the X gang/crew" needs no
 * trigger ("the X group" is as often a company: "the BMW Group").  Words that only start a sentence ("The", "This") are no names.
 */
#include "extract_intro.h"

#include <string.h>

#include "ascii_class.h"

/* A letter or digit of a name: ASCII ones, and any byte of a non-ASCII
 * character. */
static int is_alnum(unsigned char c) { return ascii_is_alnum(c) || c >= 0x80; }

static int is_upper_or_digit(unsigned char c) {
  return ascii_is_upper(c) || ascii_is_digit(c);
}

/* Does the lower-case phrase p stand at text[at] as whole words? */
static int phrase_at(const char *text, size_t len, size_t at, const char *p) {
  size_t n = strlen(p);
  if (at + n > len || (at > 0 && is_alnum((unsigned char)text[at - 1])))
    return 0;
  for (size_t i = 0; i < n; i++)
    if (ascii_to_lower(text[at + i]) != p[i])
      return 0;
  return at + n == len || !is_alnum((unsigned char)text[at + n]);
}

static const char *const malware_nouns[] = {
    "malware", "ransomware", "backdoor", "loader", "rat", "stealer",
    "trojan", "botnet", "wiper", "implant", "dropper", "worm", "spyware",
    "rootkit", "infostealer", "downloader", "framework", "strain",
    "variant", "family", "webshell", "keylogger", "banker"};
static const char *const actor_nouns[] = {
    "group", "gang", "actor", "actors", "crew", "cluster", "hackers",
    "apt", "adversary", "operators", "collective", "syndicate"};

/* The type a lower-cased word names, or -1; a plural names its
 * singular's ("downloaders", "groups"). */
static int noun_type(const char *w, size_t n) {
  for (int plural = 0; plural < 2; plural++) {
    for (size_t i = 0; i < sizeof malware_nouns / sizeof *malware_nouns; i++)
      if (strlen(malware_nouns[i]) == n &&
          memcmp(malware_nouns[i], w, n) == 0)
        return CYS_ENTITY_MALWARE;
    for (size_t i = 0; i < sizeof actor_nouns / sizeof *actor_nouns; i++)
      if (strlen(actor_nouns[i]) == n && memcmp(actor_nouns[i], w, n) == 0)
        return CYS_ENTITY_ACTOR;
    if (n < 4 || w[n - 1] != 's')
      break;
    n--;
  }
  return -1;
}

/* The word at text[at] (letters and digits), lower-cased into buf. */
static size_t word_at(const char *text, size_t len, size_t at, char *buf,
                      size_t cap) {
  size_t n = 0;
  while (at + n < len && is_alnum((unsigned char)text[at + n]) && n + 1 < cap) {
    buf[n] = ascii_to_lower(text[at + n]);
    n++;
  }
  buf[n] = '\0';
  return n;
}

/* The nearest type noun among the three words before byte at, or -1. */
static int type_before(const char *text, size_t at) {
  size_t i = at;
  for (int words = 0; words < 3 && i > 0; words++) {
    while (i > 0 && !is_alnum((unsigned char)text[i - 1]))
      i--;
    size_t end = i;
    while (i > 0 && is_alnum((unsigned char)text[i - 1]))
      i--;
    if (end - i < 24) {
      char w[24];
      for (size_t k = i; k < end; k++)
        w[k - i] = ascii_to_lower(text[k]);
      int t = noun_type(w, end - i);
      if (t >= 0)
        return t;
    }
  }
  return -1;
}

/* The type noun right after byte at ("X ransomware", "X gang"), or -1. */
static int type_after(const char *text, size_t len, size_t at) {
  while (at < len && (text[at] == ' ' || text[at] == '-'))
    at++;
  char w[24];
  size_t n = word_at(text, len, at, w, sizeof w);
  return n ? noun_type(w, n) : -1;
}

static int sentence_word(const char *text, size_t at, size_t n) {
  static const char *const words[] = {
      "The", "This", "That", "These", "Those", "It", "Its", "A", "An",
      "In", "On", "For", "And", "Or", "But", "We", "They", "He", "She",
      "Our", "Their", "Some", "Many", "One", "New", "Another", "Both",
      /* headings: "Threat Actor Profile: TA505" */
      "Profile", "Profiles", "Report", "Update", "Spotlight", "Insight",
      "Insights", "Activity", "Overview", "Analysis", "Summary", "Brief",
      "Alert", "Advisory", "APT", "Intelligence", "Operation",
      /* platforms: "Linux malware called X", "Android.Oldboot" */
      "Linux", "Android", "Windows", "OSX", "MacOS", "macOS", "iOS", "PHP",
      "Java", "Python", "BIOS", "UEFI"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && memcmp(words[i], text + at, n) == 0)
      return 1;
  return 0;
}

/* Can text[s..e) be a name: not a CVE id ("tracked as CVE-2021-44228"),
 * not a file name ("IntelRS.exe"), with a capital or a digit ("darksupp"
 * in quotes is a handle), and ending in a letter, digit or dot? */
static int plausible(const char *text, size_t s, size_t e) {
  if (e - s >= 4 && memcmp(text + s, "CVE-", 4) == 0)
    return 0;
  int capital = 0, letter = 0;
  for (size_t i = s; i < e; i++) {
    capital |= is_upper_or_digit((unsigned char)text[i]);
    letter |= is_alnum((unsigned char)text[i]) &&
              !(text[i] >= '0' && text[i] <= '9');
  }
  char lw[24];
  if (e - s < sizeof lw) {
    for (size_t i = s; i < e; i++)
      lw[i - s] = ascii_to_lower(text[i]);
    if (noun_type(lw, e - s) >= 0)
      return 0; /* "Dropper" */
  }
  size_t dot = e;
  while (dot > s && text[dot - 1] != '.')
    dot--;
  int extension = dot > s && dot < e;
  for (size_t i = dot; extension && i < e; i++)
    extension = text[i] >= 'a' && text[i] <= 'z';
  unsigned char last = (unsigned char)text[e - 1];
  return capital && letter && !extension && (is_alnum(last) || last == '.');
}

/* The name starting at text[at] (after spaces): its span, or 0. */
static int name_after(const char *text, size_t len, size_t at, intro *out) {
  while (at < len && text[at] == ' ')
    at++;
  const char *open[] = {"\"", "'", "\xe2\x80\x9c", "\xe2\x80\x98"};
  const char *close[] = {"\"", "'", "\xe2\x80\x9d", "\xe2\x80\x99"};
  for (size_t q = 0; q < 4; q++) {
    size_t ol = strlen(open[q]);
    if (at + ol > len || memcmp(text + at, open[q], ol) != 0)
      continue;
    size_t s = at + ol, e = s, words = 1, cl = strlen(close[q]);
    /* (a closing quote near the end is compared only as far as the text
     * goes) */
    while (e < len && e - s < INTRO_NAME_MAX - 1 &&
           !(e + cl <= len && memcmp(text + e, close[q], cl) == 0) &&
           text[e] != '\n') {
      words += text[e] == ' ';
      e++;
    }
    if (e >= len || e == s || words > 4 || text[e] == '\n' || e + cl > len ||
        memcmp(text + e, close[q], cl) != 0)
      return 0;
    /* “Gamker.” ends a sentence; “E.K.P.” keeps its dots. */
    if (e - s > 1 && text[e - 1] == '.' && !memchr(text + s, '.', e - s - 1))
      e--;
    out->start = s;
    out->end = e;
    return plausible(text, s, e);
  }
  size_t s = at, e = at;
  for (int words = 0; words < 3; words++) {
    size_t w = e;
    if (w > s) {
      if (w >= len || text[w] != ' ')
        break;
      w++;
    }
    if (w >= len || !is_upper_or_digit((unsigned char)text[w]))
      break;
    size_t we = w;
    while (we < len && (is_alnum((unsigned char)text[we]) ||
                        ((text[we] == '-' || text[we] == '.') && we + 1 < len &&
                         is_alnum((unsigned char)text[we + 1]))))
      we++;
    if (words == 0 && sentence_word(text, w, we - w))
      return 0;
    /* A type noun is no name ("Dropper") and ends one ("X Ransomware"). */
    char lw[24];
    if (we - w < sizeof lw) {
      for (size_t k = w; k < we; k++)
        lw[k - w] = ascii_to_lower(text[k]);
      if (noun_type(lw, we - w) >= 0) {
        if (words == 0)
          return 0;
        break;
      }
    }
    e = we;
  }
  if (e == s || e - s >= INTRO_NAME_MAX)
    return 0;
  out->start = s;
  out->end = e;
  return plausible(text, s, e);
}

/* After a trigger, "by Proofpoint as", "by Microsoft's researchers as":
 * the byte after "as", or at when there is no such phrase.  Up to four
 * words between "by" and "as". */
static size_t by_whom_as(const char *text, size_t len, size_t at) {
  size_t i = at;
  while (i < len && text[i] == ' ')
    i++;
  if (!phrase_at(text, len, i, "by"))
    return at;
  i += 2;
  for (int words = 0; words < 5 && i < len; words++) {
    while (i < len && text[i] == ' ')
      i++;
    if (phrase_at(text, len, i, "as"))
      return words ? i + 2 : at;
    while (i < len && text[i] != ' ' && text[i] != '\n')
      i++;
  }
  return at;
}

static const struct {
  const char *phrase;
  int type; /* -1: from the words around */
} triggers[] = {
    {"dubbed", -1},        {"tracked as", CYS_ENTITY_ACTOR},
    {"known as", -1},      {"which we call", -1},
    {"we call", -1},       {"named", -1},
    {"called", -1},        {"threat actor", CYS_ENTITY_ACTOR},
    {"threat group", CYS_ENTITY_ACTOR}, {"codenamed", -1},
    {"nicknamed", -1},     {"tracked", CYS_ENTITY_ACTOR},
};

int intro_find(const char *text, size_t len, size_t from, intro *out,
               size_t *next) {
  for (size_t at = from; at < len; at++) {
    /* Every trigger, and "the", starts with one of these letters. */
    char first = ascii_to_lower(text[at]);
    if ((at > 0 && is_alnum((unsigned char)text[at - 1])) ||
        !memchr("dtkwnc", first, 6))
      continue;
    intro found;
    int type = -1, ok = 0;
    for (size_t t = 0; t < sizeof triggers / sizeof *triggers && !ok; t++) {
      if (triggers[t].phrase[0] != first ||
          !phrase_at(text, len, at, triggers[t].phrase))
        continue;
      /* "dubbed by Proofpoint as X"; "tracked" needs it. */
      size_t end = at + strlen(triggers[t].phrase);
      size_t as = by_whom_as(text, len, end);
      if (as == end && strcmp(triggers[t].phrase, "tracked") == 0)
        continue;
      if (!name_after(text, len, as, &found))
        break;
      type = triggers[t].type;
      if (type < 0)
        type = type_after(text, len, found.end);
      if (type < 0)
        type = type_before(text, at);
      ok = type >= 0;
    }
    /* "the X gang": a capitalised name between "the" and an actor noun */
    if (!ok && first == 't' && phrase_at(text, len, at, "the") &&
        name_after(text, len, at + 3, &found) &&
        type_after(text, len, found.end) == CYS_ENTITY_ACTOR) {
      char w[24];
      size_t after = found.end;
      while (after < len && text[after] == ' ')
        after++;
      size_t n = word_at(text, len, after, w, sizeof w);
      ok = n && (strcmp(w, "gang") == 0 || strcmp(w, "crew") == 0 ||
                 strcmp(w, "collective") == 0);
      type = CYS_ENTITY_ACTOR;
    }
    if (!ok)
      continue;
    size_t n = 0;
    for (size_t i = found.start; i < found.end; i++)
      if (!(text[i] == ' ' && n && found.name[n - 1] == ' '))
        found.name[n++] = text[i];
    found.name[n] = '\0';
    found.type = (cys_entity_type)type;
    *out = found;
    *next = found.end;
    return 1;
  }
  return 0;
}

/* An ASCII letter or digit: a name's edge may touch a curly quote. */
int intro_name_at(const char *text, size_t len, size_t at, const char *name) {
  size_t n = strlen(name);
  return at + n <= len && memcmp(text + at, name, n) == 0 &&
         (at == 0 || !ascii_is_alnum((unsigned char)text[at - 1])) &&
         (at + n == len || !ascii_is_alnum((unsigned char)text[at + n]));
}
