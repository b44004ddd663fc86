/*
 * test_entity_shapes.c — names recognised by their shape or their context:
 * threat-actor designators known or not (TA4557, Storm-0558, APT 41),
 * Microsoft weather-family names, ransomware operations as actors where the
 * text speaks of their operators, and names inside URLs, paths, file names
 * and handles, which do not count; names an article introduces ("a new
 * loader dubbed X"), for every mention in it.  Near misses for every
 * pattern.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/entity.h"
#include "cysearch/query.h"
#include "extract_check.h"
#include "extract_designator.h"
#include "extract_intro.h"

static void test_designator_shapes(void) {
  char v[32];
  const char *t = "APT 41";
  CHECK_INT((int)designator_at(t, strlen(t), 0, v), 6);
  CHECK_STR(v, "APT41");
  t = "APT-C-36 struck";
  CHECK_INT((int)designator_at(t, strlen(t), 0, v), 8);
  CHECK_STR(v, "APT-C-36");
  t = "APT41-linked";
  CHECK_INT((int)designator_at(t, strlen(t), 0, v), 5);
  /* Near misses: a version, too few digits, glued to more, lower case. */
  const char *misses[] = {"TA-1",      "TA12",     "FIN",      "FIN group",
                          "G12",       "G00321",   "TA575.zip", "UNC2452_x",
                          "ta575",     "storm-0558", "Storm-55", "APT41x",
                          "DEV-05377", "TAG-2",    "APT-1-2",
                          "TA0001" /* an ATT&CK tactic */};
  for (size_t i = 0; i < sizeof misses / sizeof *misses; i++) {
    size_t n = designator_at(misses[i], strlen(misses[i]), 0, v);
    if (n)
      fprintf(stderr, "  %s matched as %s\n", misses[i], v);
    CHECK(n == 0);
  }
  t = "0a3fG0032ff";
  CHECK_INT((int)designator_at(t, strlen(t), 4, v), 0);
  CHECK_STR(weather_family_country("Typhoon", 7), "CN");
  CHECK_STR(weather_family_country("Sleet", 5), "KP");
  CHECK(weather_family_country("Storm", 5) == NULL);
}

static void test_designators(void) {
  /* Unknown ones are actors whose value is the designator. */
  FINDS("Proofpoint attributes the campaign to TA4999.", "actor:TA4999");
  CHECK_STR(source_of("The group UNC9999 was new.", CYS_ENTITY_ACTOR,
                      "UNC9999"),
            "shape");
  FINDS("Microsoft tracks the cluster as Storm-9876.", "actor:Storm-9876");
  FINDS("CERT-UA attributed it to UAC-0999.", "actor:UAC-0999");
  /* Known ones resolve to their cluster, however they are written. */
  FINDS("Mandiant linked it to APT 41.", "actor:APT41");
  FINDS("Mandiant linked it to APT-41.", "actor:APT41");
  FINDS("Microsoft calls them DEV-0537.", "actor:Lapsus$");
  FINDS("ATT&CK's G0032 entry.", "actor:Lazarus Group");
  /* Near misses in running text. */
  NOT_FINDS("Upgrade the firmware to TA-1 now.", "actor:TA-1");
  CHECK(strstr(extract("The FIN team at the bank met."), "actor:") == NULL);
  CHECK(strstr(extract("The hash was 0a3fG0032ff1."), "actor:") == NULL);
  CHECK(strstr(extract("Download it from https://x.example/TA4999/."),
               "actor:") == NULL);
}

static void test_weather_names(void) {
  FINDS("Microsoft said Volt Typhoon hackers hid in routers.",
        "actor:Volt Typhoon");
  /* An unknown one with an actor cue, its country from the family. */
  FINDS("Microsoft attributes the intrusions to Lilac Typhoon, a group it "
        "tracks.",
        "actor:Lilac Typhoon");
  extract("Microsoft attributes the intrusions to Lilac Typhoon, a group.");
  int cn = 0;
  for (size_t i = 0; i < cys_extractor_count(extractor); i++) {
    const cys_mention *m = cys_extractor_mention(extractor, i);
    cn |= m->type == CYS_ENTITY_ACTOR && m->country &&
          strcmp(m->country, "CN") == 0;
  }
  CHECK(cn);
  /* Weather news. */
  CHECK(strstr(extract("Typhoon Haiyan hit the coast; the Great Blizzard "
                       "closed schools. A Winter Storm followed."),
               "actor:") == NULL);
  CHECK(strstr(extract("Storm warnings were issued for the weekend."),
               "actor:") == NULL);
}

static void test_ransomware_operators(void) {
  FINDS("The DarkSide gang apologised.", "actor:DarkSide");
  FINDS("The DarkSide gang apologised.", "malware:DarkSide");
  FINDS("REvil ransomware operators demanded $70 million.", "actor:REvil");
  FINDS("DarkSide's affiliates encrypted the servers.", "actor:DarkSide");
  FINDS("The operators of the BlackMatter service quit.", "actor:BlackMatter");
  CHECK_STR(source_of("The DarkSide gang apologised.", CYS_ENTITY_ACTOR,
                      "DarkSide"),
            "context");
  FINDS("They shut the DarkSide RaaS program down.", "actor:DarkSide");
  FINDS("DarkSide was not the only group to quit.", "actor:DarkSide");
  /* The software alone is not the gang. */
  NOT_FINDS("DarkSide is a ransomware strain used by many.",
            "actor:DarkSide");
  NOT_FINDS("DarkSide was found. The group left.", "actor:DarkSide");
  NOT_FINDS("The DarkSide ransomware encrypted the servers.",
            "actor:DarkSide");
  NOT_FINDS("A DarkSide sample was uploaded.", "actor:DarkSide");
}

static void test_links_and_files(void) {
  /* Defanged host names. */
  NOT_FINDS("C2: remcos[.]got-game[.]org:2265", "malware:Remcos");
  NOT_FINDS("It beacons to update(.)ta505(.)com.", "actor:TA505");
  FINDS("The Remcos [RAT] was dropped.", "malware:Remcos");
  NOT_FINDS("See https://example.com/china/report.", "country:CN");
  NOT_FINDS("Open /us/post/threat-actor-profile-ta505-dridex now.",
            "actor:TA505");
  NOT_FINDS("The dropper wrote TA505.zip to disk.", "actor:TA505");
  NOT_FINDS("The forum user @China posted it.", "country:CN");
  NOT_FINDS("It loads C:\\Users\\China\\x.dll.", "country:CN");
  /* A markdown link's text is a name; "US/UK" joins two names. */
  FINDS("Read [TA505](https://example.com/p) for more.", "actor:TA505");
  FINDS("US/UK officials said so.", "country:GB");
}

/* The first introduction in text as "type:name", or "". */
static const char *introduced(const char *text) {
  static char out[96];
  intro in;
  size_t next;
  out[0] = '\0';
  if (intro_find(text, strlen(text), 0, &in, &next))
    snprintf(out, sizeof out, "%s:%s", cys_entity_type_name(in.type),
             in.name);
  return out;
}

/* A quoted name left open at the very end of a field: the closing quote
 * (3 bytes) must not be looked for past the text, which is not
 * terminated (ASan: a heap-buffer-overflow before the fix). */
static void test_open_quote_at_end(void) {
  static const char field[] = "a new loader dubbed \xe2\x80\x9cZorgbot";
  size_t len = sizeof field - 1;
  char *text = malloc(len); /* exactly the field, no terminator */
  CHECK(text != NULL);
  if (!text)
    return;
  memcpy(text, field, len);
  intro in;
  size_t next;
  CHECK_INT(intro_find(text, len, 0, &in, &next), 0);
  free(text);
}

static void test_introductions(void) {
  CHECK_STR(introduced("Researchers found a new loader dubbed Zorgbot."),
            "malware:Zorgbot");
  CHECK_STR(introduced("The activity is tracked as TA4999 by Proofpoint."),
            "actor:TA4999");
  CHECK_STR(introduced("the eCrime gang we dubbed \xe2\x80\x9c" "E.K.P."
                       "\xe2\x80\x9d sold access"),
            "actor:E.K.P.");
  CHECK_STR(introduced("The Groove gang leaked the data."), "actor:Groove");
  CHECK_STR(introduced("a backdoor known as Raspberry Robin spread"),
            "malware:Raspberry Robin");
  CHECK_STR(introduced("Threat actor Hive0999 sent the emails."),
            "actor:Hive0999");
  CHECK_STR(introduced("a ransomware which we call Zorg spread"),
            "malware:Zorg");
  /* Who named it, between the trigger and the name; a plural type noun. */
  CHECK_STR(introduced("simple downloaders, dubbed by Proofpoint as "
                       "ReflectiveGnome."),
            "malware:ReflectiveGnome");
  CHECK_STR(introduced("The cluster is tracked by Mandiant as Zorgpanda."),
            "actor:Zorgpanda");
  CHECK_STR(introduced("Packages are tracked by version and date."), "");
  CHECK_STR(introduced("It is tracked by the team as part of a set."), "");
  /* Near misses: no type said, not a name, a CVE id, a file, a company. */
  CHECK_STR(introduced("The file was dubbed Invoice by its author."), "");
  CHECK_STR(introduced("a new loader dubbed the best of the year"), "");
  CHECK_STR(introduced("The flaw is tracked as CVE-2021-44228."), "");
  CHECK_STR(introduced("The malware called IntelRS.exe ran."), "");
  CHECK_STR(introduced("The BMW Group said its cars are safe."), "");
  CHECK_STR(introduced("Threat Actor Profile: TA505"), "");
  CHECK_STR(introduced("a new malware called Dropper"), "");
}

static void test_introduced_everywhere(void) {
  const char *title = "Zorgbot and E.K.P. return";
  const char *body = "Researchers found a new loader dubbed Zorgbot. The "
                     "gang we dubbed \xe2\x80\x9c" "E.K.P."
                     "\xe2\x80\x9d sold access; later, Zorgbot and "
                     "E.K.P. came back.";
  cys_extractor_reset(extractor);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 0, title, strlen(title)),
            CYS_OK);
  CHECK_INT(cys_extractor_field(extractor, analyzer, 1, body, strlen(body)),
            CYS_OK);
  int zorg[2] = {0, 0}, ekp[2] = {0, 0}, sources_ok = 1;
  for (size_t i = 0; i < cys_extractor_count(extractor); i++) {
    const cys_mention *m = cys_extractor_mention(extractor, i);
    const char *text = m->field ? body : title;
    if (m->type == CYS_ENTITY_MALWARE && strcmp(m->value, "Zorgbot") == 0 &&
        memcmp(text + m->start, "Zorgbot", 7) == 0)
      zorg[m->field]++;
    if (m->type == CYS_ENTITY_ACTOR && strcmp(m->value, "E.K.P.") == 0 &&
        memcmp(text + m->start, "E.K.P.", 6) == 0)
      ekp[m->field]++;
    if (!strcmp(m->value, "Zorgbot") || !strcmp(m->value, "E.K.P."))
      sources_ok &= strcmp(m->source, "context") == 0;
  }
  CHECK_INT(zorg[0], 1); /* the title, before the body introduced it */
  CHECK_INT(zorg[1], 2);
  CHECK_INT(ekp[0], 1);
  CHECK_INT(ekp[1], 2);
  CHECK(sources_ok);
  /* The mentions stay in field and position order. */
  int ordered = 1;
  for (size_t i = 1; i < cys_extractor_count(extractor); i++) {
    const cys_mention *a = cys_extractor_mention(extractor, i - 1);
    const cys_mention *b = cys_extractor_mention(extractor, i);
    ordered &= a->field < b->field ||
               (a->field == b->field && a->start <= b->start);
  }
  CHECK(ordered);
  /* The next article starts afresh. */
  NOT_FINDS("Zorgbot was mentioned again.", "malware:Zorgbot");
  /* A known name is not learned again. */
  FINDS("A new loader dubbed MirrorBlast ran.", "malware:MirrorBlast");
  CHECK_STR(source_of("A new loader dubbed MirrorBlast ran.",
                      CYS_ENTITY_MALWARE, "MirrorBlast"),
            "misp-galaxy");
}

/* An index that holds only the actor term of TA4999. */
static int only_ta4999(void *ctx, const char *term, size_t len) {
  (void)ctx;
  return len == 10 && memcmp(term, "XACTTA4999", 10) == 0;
}

/* A filter finds an actor the index holds though no table knows it (as
 * the facets and chips of such actors link to it); others stay unknown. */
static void test_filter_unknown_actor(void) {
  cys_query_context qc = {.analyzer = analyzer, .gazetteer = gazetteer,
                          .term_exists = only_ta4999};
  cys_parsed_query *pq = NULL;
  char err[256];
  CHECK_INT(cys_query_parse(&qc, "actor:TA4999", 12, &pq, err, sizeof err),
            CYS_OK);
  cys_parsed_query_free(pq);
  pq = NULL;
  CHECK_INT(cys_query_parse(&qc, "actor:TA4998", 12, &pq, err, sizeof err),
            CYS_BAD_QUERY);
  cys_parsed_query_free(pq);
}

int main(void) {
  if (extract_setup())
    return 1;
  test_designator_shapes();
  test_designators();
  test_weather_names();
  test_ransomware_operators();
  test_links_and_files();
  test_introductions();
  test_open_quote_at_end();
  test_introduced_everywhere();
  test_filter_unknown_actor();
  extract_teardown();
  return check_done();
}
