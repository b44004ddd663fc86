/*
 * test_entities.c — the gazetteer and the extractor: every row of the
 * entity table (each way of writing an entity resolves to its canonical
 * value), every precision trap the issue names, filter-value resolution and
 * suggestions, and MISP galaxy loading (with ../shared when present).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/entity.h"
#include "cysearch/entity_lib.h"
#include "extract_check.h"

/* Every example of the entity table. */
static void test_table_rows(void) {
  FINDS("Officials in China denied it.", "country:CN");
  FINDS("The PRC denied it.", "country:CN");
  FINDS("Chinese hackers struck again.", "country:CN");
  FINDS("Beijing-backed hackers struck again.", "country:CN");
  FINDS("The U.S. imposed sanctions.", "country:US");
  FINDS("The US imposed sanctions.", "country:US");
  FINDS("The U.S. Treasury imposed sanctions.", "agency:US-TREASURY");
  FINDS("The United States imposed sanctions.", "country:US");
  FINDS("An American company was breached.", "country:US");
  FINDS("Washington accused Moscow of the attack.", "country:US");
  FINDS("The NSA and GCHQ shared the report.", "agency:NSA");
  FINDS("The National Security Agency shared the report.", "agency:NSA");
  FINDS("CNCERT/CC published the claims.", "agency:CNCERT");
  FINDS("The FBI and CISA issued an advisory.", "agency:FBI");
  FINDS("The FBI and CISA issued an advisory.", "agency:CISA");
  FINDS("Germany's BSI warned manufacturers.", "agency:BSI");
  FINDS("Russia's GRU ran the operation.", "agency:GRU");
  FINDS("China's MSS ran the operation.", "agency:MSS");
  FINDS("The group APT28 phished officials.", "actor:APT28");
  FINDS("Fancy Bear phished officials.", "actor:APT28");
  FINDS("Sofacy phished officials.", "actor:APT28");
  FINDS("The Strontium group phished officials.", "actor:APT28");
  FINDS("Forest Blizzard phished officials.", "actor:APT28");
  FINDS("Exploited CVE-2021-44228 in Log4j.", "cve:CVE-2021-44228");
  FINDS("Exploited cve-2021-44228 in Log4j.", "cve:CVE-2021-44228");
  /* typographic dashes and fullwidth forms give the plain id */
  FINDS("Assigned CVE\xE2\x80\x93" "2018\xE2\x80\x93" "17456 by Mitre.",
        "cve:CVE-2018-17456");
  FINDS("(CVE\xE2\x80\x93" "2019-0708)", "cve:CVE-2019-0708");
  FINDS("CVE\xEF\xBC\x8D\xEF\xBC\x92" "017\xEF\xBC\x8D" "0144",
        "cve:CVE-2017-0144");
  FINDS("WannaCry spread worldwide.", "malware:WannaCry");
  FINDS("WannaCrypt spread worldwide.", "malware:WannaCry");
  FINDS("The Wanna Decryptor ransomware spread.", "malware:WannaCry");
  FINDS("Microsoft patched the flaw.", "vendor:Microsoft");
  FINDS("MSFT shares fell.", "vendor:Microsoft");
}

/* The traps of the issue, one or more tests each. */
static void test_traps(void) {
  /* US vs us */
  NOT_FINDS("Tell us what you saw.", "country:US");
  NOT_FINDS("Let us know, said the CEO.", "country:US");
  /* Georgia */
  FINDS("Georgia's government in Tbilisi accused Russia of the attack.",
        "country:GE");
  NOT_FINDS("A county in Georgia paid the ransom.", "country:GE");
  NOT_FINDS("Researchers at Georgia Tech found the flaw.", "country:GE");
  NOT_FINDS("Hospitals in Atlanta, Georgia were hit.", "country:GE");
  /* Turkey / Türkiye */
  FINDS("Firms in Türkiye were targeted.", "country:TR");
  FINDS("The Turkish government responded.", "country:TR");
  NOT_FINDS("A Thanksgiving turkey recipe site was hacked.", "country:TR");
  /* Jordan and Chad as first names */
  NOT_FINDS("Jordan Reyes, a researcher, found the bug.", "country:JO");
  NOT_FINDS("Chad Smith, a researcher, found the bug.", "country:TD");
  FINDS("The government of Jordan said its ministry was hit.", "country:JO");
  /* Play: ransomware vs Google Play */
  FINDS("The Play ransomware gang claimed the attack.", "malware:Play");
  NOT_FINDS("The app was removed from Google Play.", "malware:Play");
  NOT_FINDS("Download it from the Play Store.", "malware:Play");
  /* DoS is not an entity */
  CHECK_STR(extract("A DoS attack took the site down."), "");
  /* MSS: managed security services vs the ministry */
  NOT_FINDS("Managed security services (MSS) providers grew.", "agency:MSS");
  /* Ambiguous acronyms need their country nearby */
  NOT_FINDS("Children with ASD were studied.", "agency:ASD");
  FINDS("Australia's ASD issued the warning.", "agency:ASD");
  NOT_FINDS("Students of computer science and engineering (CSE) won.",
            "agency:CSE");
  NOT_FINDS("The think tank CSIS (Center for Strategic and International "
            "Studies) published a report.",
            "agency:CSIS");
  NOT_FINDS("The meeting is at 9 a.m. PST on Monday.", "agency:PST");
  NOT_FINDS("The keyboard has RGB lighting.", "agency:RGB");
  NOT_FINDS("Certified by BSI, the British Standards Institution.",
            "agency:BSI");
  /* Cuba: ransomware and country */
  FINDS("Cuba ransomware hit a bank in Ohio.", "malware:Cuba");
  NOT_FINDS("Cuba ransomware hit a bank in Ohio.", "country:CU");
  FINDS("Officials in Havana said Cuba was not involved.", "country:CU");
  /* Indiana is not India, Niger is not Nigeria */
  NOT_FINDS("A hospital in Indiana was hit.", "country:IN");
  NOT_FINDS("Attackers in Nigeria ran the scam.", "country:NE");
  FINDS("Attackers in Nigeria ran the scam.", "country:NG");
  /* Russian-speaking describes language */
  NOT_FINDS("Russian-speaking forum members sold access.", "country:RU");
  NOT_FINDS("A Russian-language forum sold access.", "country:RU");
  FINDS("The Russian government denied it.", "country:RU");
  /* Microsoft weather names need both words */
  FINDS("Volt Typhoon targeted Guam.", "actor:Volt Typhoon");
  NOT_FINDS("A typhoon hit the coast; the volt meter broke.",
            "actor:Volt Typhoon");
  /* ordinary words written in lower case are not names */
  NOT_FINDS("The ideal target is a small supplier.", "vendor:Target");
  NOT_FINDS("The attackers remained anonymous.", "actor:Anonymous");
  /* an ambiguous name inside a longer capitalised name */
  NOT_FINDS("The malware analyst told Redline Weekly about it.",
            "malware:RedLine");
  FINDS("The RedLine malware stole browser passwords.", "malware:RedLine");
  FINDS("Cuba Ransomware hit a bank.", "malware:Cuba");
  /* country codes match filters, not text */
  NOT_FINDS("The IT department was notified.", "country:IT");
  NOT_FINDS("Logged IN as admin.", "country:IN");
}

static void test_linking(void) {
  cys_extractor_reset(extractor);
  const char *t = "APT28 and the NSA.";
  cys_extractor_field(extractor, analyzer, 0, t, strlen(t));
  CHECK_INT(cys_extractor_count(extractor), 2);
  const cys_mention *m = cys_extractor_mention(extractor, 0);
  CHECK_STR(m->value, "APT28");
  CHECK_STR(m->country, "RU");
  CHECK_INT(m->field, 0);
  CHECK_INT(m->start, 0);
  CHECK_INT(m->end, 5);
  m = cys_extractor_mention(extractor, 1);
  CHECK_STR(m->value, "NSA");
  CHECK_STR(m->country, "US");
  CHECK_INT(m->start, 14);
  CHECK_INT(m->end, 17);
}

static void test_resolve(void) {
  const cys_entity *e;
  e = cys_gazetteer_resolve(gazetteer, CYS_ENTITY_COUNTRY, "china");
  CHECK(e && strcmp(e->value, "CN") == 0);
  e = cys_gazetteer_resolve(gazetteer, CYS_ENTITY_COUNTRY, "Chinese");
  CHECK(e && strcmp(e->value, "CN") == 0);
  e = cys_gazetteer_resolve(gazetteer, CYS_ENTITY_COUNTRY, "cn");
  CHECK(e && strcmp(e->value, "CN") == 0);
  e = cys_gazetteer_resolve(gazetteer, CYS_ENTITY_COUNTRY, "IT");
  CHECK(e && strcmp(e->value, "IT") == 0);
  e = cys_gazetteer_resolve(gazetteer, CYS_ENTITY_ACTOR, "fancy bear");
  CHECK(e && strcmp(e->value, "APT28") == 0);
  e = cys_gazetteer_resolve(gazetteer, CYS_ENTITY_AGENCY, "cncert/cc");
  CHECK(e && strcmp(e->value, "CNCERT") == 0);
  CHECK(cys_gazetteer_resolve(gazetteer, CYS_ENTITY_COUNTRY, "Chna") == NULL);
  const cys_entity *near[3];
  size_t n = cys_gazetteer_suggest(gazetteer, CYS_ENTITY_COUNTRY, "Chna",
                                   near, 3);
  CHECK(n >= 1);
  CHECK(n >= 1 && strcmp(near[0]->value, "CN") == 0);
  /* Two letters swapped are one edit (edit_distance.h): Cuba comes
   * first, before the names two edits away. */
  n = cys_gazetteer_suggest(gazetteer, CYS_ENTITY_COUNTRY, "Cuab", near, 3);
  CHECK(n >= 1 && strcmp(near[0]->value, "CU") == 0);
  /* the sizes the issue asks for */
  CHECK(cys_gazetteer_count(gazetteer, CYS_ENTITY_COUNTRY) >= 240);
  CHECK(cys_gazetteer_count(gazetteer, CYS_ENTITY_AGENCY) >= 120);
  CHECK(cys_gazetteer_count(gazetteer, CYS_ENTITY_ACTOR) >= 200);
  CHECK(cys_gazetteer_count(gazetteer, CYS_ENTITY_MALWARE) >= 200);
  CHECK(cys_gazetteer_count(gazetteer, CYS_ENTITY_VENDOR) >= 100);
}

/* TSV entities added at run time, exported and imported again. */
static void test_extra_roundtrip(void) {
  cys_gazetteer *g = NULL;
  CHECK_INT(cys_gazetteer_new(analyzer, &g), CYS_OK);
  const char *tsv = "Made Up Panda\tMade Up Panda\tCN\tMUP-1|=MUPANDA\n";
  CHECK_INT(cys_gazetteer_load_tsv(g, CYS_ENTITY_ACTOR, tsv, strlen(tsv), "x"),
            CYS_OK);
  char *exported = NULL;
  CHECK_INT(cys_gazetteer_export_extra(g, &exported), CYS_OK);
  cys_gazetteer *g2 = NULL;
  CHECK_INT(cys_gazetteer_new(analyzer, &g2), CYS_OK);
  CHECK_INT(cys_gazetteer_import_extra(g2, exported), CYS_OK);
  const cys_entity *e = cys_gazetteer_resolve(g2, CYS_ENTITY_ACTOR, "mup-1");
  CHECK(e && strcmp(e->value, "Made Up Panda") == 0 && e->country &&
        strcmp(e->country, "CN") == 0);
  /* importing twice adds nothing */
  size_t before = cys_gazetteer_count(g2, CYS_ENTITY_ACTOR);
  CHECK_INT(cys_gazetteer_import_extra(g2, exported), CYS_OK);
  CHECK_INT(cys_gazetteer_count(g2, CYS_ENTITY_ACTOR), before);
  const char *bad = "only one field\n";
  CHECK_INT(cys_gazetteer_load_tsv(g2, CYS_ENTITY_ACTOR, bad, strlen(bad),
                                   "bad.tsv"),
            CYS_BAD_INPUT);
  CHECK(strstr(cys_gazetteer_errmsg(g2), "bad.tsv:1") != NULL);
  free(exported);
  cys_gazetteer_free(g);
  cys_gazetteer_free(g2);
}

static void test_misp(void) {
  cys_gazetteer *g = NULL;
  CHECK_INT(cys_gazetteer_new(analyzer, &g), CYS_OK);
  CHECK_INT(cys_gazetteer_load_misp(g, "/nonexistent/galaxy.json"),
            CYS_NOT_FOUND);
  const char *dir = getenv("CYSEARCH_SHARED_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/gazetteers/misp/threat-actor.json",
           dir ? dir : "../shared");
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("skipping the MISP part: %s not found\n", path);
    cys_gazetteer_free(g);
    return;
  }
  fclose(f);
  size_t before = cys_gazetteer_count(g, CYS_ENTITY_ACTOR);
  CHECK_INT(cys_gazetteer_load_misp(g, path), CYS_OK);
  CHECK(cys_gazetteer_count(g, CYS_ENTITY_ACTOR) > before + 500);
  /* A MISP name of a known actor extends it rather than inventing one. */
  const cys_entity *e = cys_gazetteer_resolve(g, CYS_ENTITY_ACTOR, "APT1");
  CHECK(e && e->country && strcmp(e->country, "CN") == 0);
  cys_extractor *x = NULL;
  CHECK_INT(cys_extractor_new(g, &x), CYS_OK);
  const char *t = "The Comment Crew, tracked as APT1, returned.";
  cys_extractor_field(x, analyzer, 1, t, strlen(t));
  CHECK(cys_extractor_count(x) >= 1);
  cys_extractor_free(x);
  snprintf(path, sizeof path, "%s/gazetteers/countries.json",
           dir ? dir : "../shared");
  CHECK_INT(cys_gazetteer_load_misp(g, path), CYS_INVALID);
  CHECK(strstr(cys_gazetteer_errmsg(g), "galaxy") != NULL);
  cys_gazetteer_free(g);
}

int main(void) {
  if (extract_setup())
    return 1;
  test_table_rows();
  test_traps();
  test_linking();
  test_resolve();
  test_extra_roundtrip();
  test_misp();
  extract_teardown();
  return check_done();
}
