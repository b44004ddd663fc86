/*
 * test_dedup_sign.c — the near-duplicate signature (dedup_sign.c): the
 * same text gives the same bands, function words and short words
 * change nothing, a syndicated copy (a wire prefix, a footer, a word
 * changed) and a light rewrite share a band with the original, unrelated
 * stories share none; the band terms; an article without a word pair has
 * no signature.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "cysearch/schema.h"
#include "dedup_sign.h"

#define STORY                                                                 \
  "Investigators at Larkspur Security say a crew they call Copper Wren "     \
  "broke into the mail servers of a Danish shipping company, stole cargo "   \
  "manifests and demanded two million euros. The attackers used a phished "  \
  "administrator login and an unpatched remote desktop gateway, then moved " \
  "to the backup servers within a day. Dispatchers switched container "      \
  "tracking to spreadsheets while staff rebuilt systems from tape backups. " \
  "The company said no ship was ever at risk and that customer invoices "    \
  "may have been copied before the servers were wiped."

/* STORY as a wire service runs it: a prefix, one word changed, a footer. */
#define COPY                                                                  \
  "(Wire) - Investigators at Larkspur Security say a crew they call Copper " \
  "Wren broke into the mail servers of a Danish shipping company, stole "    \
  "cargo manifests and demanded two million euros. The attackers used a "    \
  "phished administrator login and an unpatched remote desktop gateway, "    \
  "then moved to the backup servers within a day. Dispatchers switched "     \
  "container tracking to spreadsheets while staff rebuilt systems from "     \
  "tape backups. The company said no ship was ever at risk and that "        \
  "customer invoices may have been copied before the servers were erased. "  \
  "This story first appeared on example.net."

/* STORY rewritten by another paper: new lead, sentences reworded. */
#define REWRITE                                                               \
  "A Danish shipping company was hit by extortionists. Investigators at "    \
  "Larkspur Security say the crew called Copper Wren broke into its mail "   \
  "servers, stole cargo manifests and demanded two million euros in "        \
  "bitcoin. The attackers used a phished administrator login and an "        \
  "unpatched remote desktop gateway. Dispatchers switched container "        \
  "tracking to spreadsheets while staff rebuilt systems from tape backups, " \
  "the company said, adding that no ship was ever at risk."

#define OTHER                                                                 \
  "A flaw in the popular Acme gateway firmware lets unauthenticated "        \
  "attackers run arbitrary commands on exposed management interfaces. The " \
  "vendor shipped patched builds on Tuesday and urged customers to update "  \
  "quickly, because exploitation attempts were already seen in several "    \
  "regions. Security firms published indicators and detection rules for "   \
  "the campaign, which targets internet service providers."

/* The bands of text, fed word by word as the analyzer's exact forms
 * (lower case, split at anything but letters, digits and '-'). */
static int bands_of(const char *text, uint64_t bands[DEDUP_SIGN_BANDS]) {
  dedup_sign s = {0};
  char word[64];
  size_t n = 0;
  for (const char *p = text;; p++) {
    if (*p && (isalnum((unsigned char)*p) || *p == '-') && n < sizeof word) {
      word[n++] = (char)tolower((unsigned char)*p);
      continue;
    }
    if (n)
      dedup_sign_word(&s, word, n);
    n = 0;
    if (!*p)
      break;
  }
  int made = dedup_sign_bands(&s, bands);
  dedup_sign_clear(&s);
  return made;
}

static int shared(const uint64_t *a, const uint64_t *b) {
  int n = 0;
  for (int i = 0; i < DEDUP_SIGN_BANDS; i++)
    n += a[i] == b[i];
  return n;
}

int main(void) {
  uint64_t story[DEDUP_SIGN_BANDS], again[DEDUP_SIGN_BANDS],
      copy[DEDUP_SIGN_BANDS], rewrite[DEDUP_SIGN_BANDS],
      other[DEDUP_SIGN_BANDS], padded[DEDUP_SIGN_BANDS];
  CHECK_INT(bands_of(STORY, story), 1);
  CHECK_INT(bands_of(STORY, again), 1);
  CHECK_INT(shared(story, again), DEDUP_SIGN_BANDS);
  /* Function words and short words change nothing. */
  CHECK_INT(bands_of("The " STORY " It is so, and it was for them.",
                     padded), 1);
  CHECK_INT(shared(story, padded), DEDUP_SIGN_BANDS);
  /* A syndicated copy shares most bands; a rewrite at least one. */
  CHECK_INT(bands_of(COPY, copy), 1);
  CHECK(shared(story, copy) >= DEDUP_SIGN_BANDS / 2);
  CHECK_INT(bands_of(REWRITE, rewrite), 1);
  CHECK(shared(story, rewrite) >= 1);
  CHECK(shared(story, rewrite) < DEDUP_SIGN_BANDS);
  /* Another story shares none, nor do the bands among themselves. */
  CHECK_INT(bands_of(OTHER, other), 1);
  CHECK_INT(shared(story, other), 0);
  CHECK_INT(shared(copy, other), 0);
  int distinct = 1;
  for (int i = 0; i < DEDUP_SIGN_BANDS; i++)
    for (int j = 0; j < i; j++)
      distinct &= story[i] != story[j];
  CHECK(distinct);
  /* No word pair, no signature. */
  CHECK_INT(bands_of("Ransomware", other), 0);
  CHECK_INT(bands_of("the and of ransomware to it", other), 0);
  CHECK_INT(bands_of("", other), 0);
  CHECK_INT(bands_of("water utility", other), 1);

  /* Band terms: the prefix and 8 characters, one per value. */
  char t1[DEDUP_SIGN_TERM_LEN + 1], t2[DEDUP_SIGN_TERM_LEN + 1];
  dedup_sign_term(story[0], t1);
  dedup_sign_term(story[1], t2);
  CHECK_INT(strlen(t1), DEDUP_SIGN_TERM_LEN);
  CHECK(memcmp(t1, CYS_PREFIX_SIGNATURE, strlen(CYS_PREFIX_SIGNATURE)) == 0);
  CHECK(strcmp(t1, t2) != 0);
  dedup_sign_term(again[0], t2);
  CHECK_STR(t1, t2);
  return check_done();
}
