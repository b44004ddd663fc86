/*
 * test_entity_vocab.c — the built-in tables generated from MISP galaxy and
 * ATT&CK (common/data/generated_tables.c): their names are found, each
 * mention says where its entity comes from, our hand-written tables win a
 * conflict, names shared by several records are left out, and names we did
 * not review need to be written as names (and ordinary words, their cue
 * next to them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/entity.h"
#include "cysearch/entity_lib.h"
#include "extract_check.h"

static void test_generated_names(void) {
  /* Families and actors no hand-written table has. */
  FINDS("The MirrorBlast loader was delivered by email.",
        "malware:MirrorBlast");
  FINDS("FlawedGrace was installed on the hosts.", "malware:FlawedGrace");
  FINDS("The GazGolder implant phoned home.", "malware:MINEBRIDGE");
  /* ATT&CK ids resolve to their group, in capitals only. */
  FINDS("ATT&CK lists the group as G0094.", "actor:Kimsuky");
  NOT_FINDS("ATT&CK lists the group as g0094.", "actor:Kimsuky");
  /* A hand-written entity keeps its value and gains the vocabularies'
   * names (TA505's SectorJ04 Group). */
  FINDS("SectorJ04 Group sent the emails.", "actor:TA505");
  CHECK_STR(source_of("The MirrorBlast loader ran.", CYS_ENTITY_MALWARE,
                      "MirrorBlast"),
            "misp-galaxy");
  CHECK_STR(source_of("SectorJ04 Group sent the emails.", CYS_ENTITY_ACTOR,
                      "TA505"),
            "cysearch,misp-galaxy,mitre-attack");
  CHECK_STR(source_of("The FBI issued an advisory.", CYS_ENTITY_AGENCY,
                      "FBI"),
            "cysearch");
}

static void test_conflicts(void) {
  /* MISP lists BlackMatter as a DarkSide alias; our table keeps them
   * apart, and ours wins. */
  FINDS("BlackMatter ransomware hit a farm cooperative.",
        "malware:BlackMatter");
  NOT_FINDS("BlackMatter ransomware hit a farm cooperative.",
            "malware:DarkSide");
  /* "ALPHA SPIDER" names two MISP records: left out, never guessed. */
  CHECK(strstr(extract("ALPHA SPIDER ran the ransomware program."),
               "actor:") == NULL);
}

static void test_unreviewed_names(void) {
  /* Written in lower case (URLs, file names), a name we did not review is
   * not taken. */
  NOT_FINDS("Download hxxp://example.com/mirrorblast.zip now.",
            "malware:MirrorBlast");
  /* An ordinary word needs its cue next to it. */
  FINDS("The Shifu trojan stole banking credentials.", "malware:Shifu");
  NOT_FINDS("Shifu, the master in the film, was not a hacker or a malware "
            "author.",
            "malware:Shifu");
  /* Platforms and languages are never family names. */
  NOT_FINDS("The Python malware loader was written in Python.",
            "malware:Python");
}

/* A name that needs its cue next to it may stand in a list with a sure
 * name of its type, the type's cue within ten words. */
static void test_listed_names(void) {
  FINDS("Trojans spread in Europe this year: Emotet, Shifu and Zeus.",
        "malware:Shifu");
  FINDS("Trojans spread in Europe this year, among them Emotet and Shifu.",
        "malware:Shifu");
  FINDS("Trojans spread in Europe, among them Shifu and Emotet.",
        "malware:Shifu");
  /* no cue at all; a sentence's first word; not a list's item */
  NOT_FINDS("Emotet, Shifu and Zeus were discussed.", "malware:Shifu");
  NOT_FINDS("Malware was found. Shifu, Emotet and more.", "malware:Shifu");
  NOT_FINDS("Against Emotet, Shifu wrote a tool about malware.",
            "malware:Shifu");
}

static int alias_is_grizzly(void *ctx, const char *name) {
  if (strcmp(name, "Grizzly Steppe") == 0)
    ++*(int *)ctx;
  return 0;
}

/* A name several groups share (the generated tables' '%' names: APT24 is
 * a record of its own and a name of BlackTech) is never guessed: it is the
 * group the field names otherwise, or a designator of its own. */
static void test_shared_names(void) {
  FINDS("BlackTech, also tracked as APT24, hit the banks.",
        "actor:BlackTech");
  NOT_FINDS("APT24 hit the banks.", "actor:BlackTech");
  FINDS("APT24 hit the banks.", "actor:APT24");
  NOT_FINDS("APT27 overlaps with UNC215, Mandiant says.", "actor:UNC215");
  NOT_FINDS("UNC215 hit Israel.", "actor:APT27");
  /* a filter value that several groups share resolves to none, and no
   * group lists it among its aliases (cysearch --format stix) */
  CHECK(cys_gazetteer_resolve(gazetteer, CYS_ENTITY_ACTOR, "APT24") == NULL);
  const cys_entity *apt28 =
      cys_gazetteer_find(gazetteer, CYS_ENTITY_ACTOR, "APT28");
  int listed = 0;
  CHECK(apt28 != NULL);
  if (apt28)
    cys_gazetteer_each_alias(gazetteer, apt28, alias_is_grizzly, &listed);
  CHECK_INT(listed, 0);
  /* a generic agency name alone is its unqualified owner's, if any */
  const cys_entity *nis = cys_gazetteer_resolve(
      gazetteer, CYS_ENTITY_AGENCY, "National Intelligence Service");
  CHECK(nis != NULL && strcmp(nis->value, "NIS") == 0);
  CHECK(cys_gazetteer_resolve(gazetteer, CYS_ENTITY_AGENCY,
                              "State Security Service") == NULL);
  /* all the records of a shared name are one group here: that group */
  FINDS("MONTY SPIDER sent the emails.", "actor:TA505");
}

/* "Cobalt Strike Beacon" is one mention of Cobalt Strike, Beacon and all. */
static void test_beacon(void) {
  const char *text = "It dropped a Cobalt Strike Beacon on the host.";
  FINDS(text, "malware:Cobalt Strike");
  CHECK_INT(cys_extractor_count(extractor), 1);
  const cys_mention *m = cys_extractor_mention(extractor, 0);
  CHECK(m != NULL);
  if (m)
    CHECK_INT((int)m->end, (int)(strstr(text, " on") - text));
}

static void test_glued_rat(void) {
  FINDS("NetwireRAT and RemcosRAT payloads were dropped.", "malware:NetWire");
  FINDS("NetwireRAT and RemcosRAT payloads were dropped.", "malware:Remcos");
  /* Near misses: a word that only ends in RAT, a file, a path. */
  CHECK(strstr(extract("The PIRATE and the DEMOCRAT met."), "malware:") ==
        NULL);
  NOT_FINDS("It dropped NetwireRAT.exe to disk.", "malware:NetWire");
  NOT_FINDS("See /blogs/NetwireRAT/email.png now.", "malware:NetWire");
}

static void test_lazy_lookups(void) {
  /* A searcher's lazy gazetteer knows the generated entities too. */
  cys_gazetteer *lazy;
  CHECK_INT(cys_gazetteer_new_lazy(analyzer, &lazy), CYS_OK);
  const cys_entity *e = cys_gazetteer_find(lazy, CYS_ENTITY_MALWARE,
                                           "MirrorBlast");
  CHECK(e != NULL && strcmp(e->source, "misp-galaxy") == 0);
  e = cys_gazetteer_resolve(lazy, CYS_ENTITY_ACTOR, "sectorj04 group");
  CHECK(e != NULL && strcmp(e->value, "TA505") == 0);
  e = cys_gazetteer_resolve(lazy, CYS_ENTITY_MALWARE, "GraceWire");
  CHECK(e != NULL && strcmp(e->value, "FlawedGrace") == 0);
  cys_gazetteer_free(lazy);
}

int main(void) {
  if (extract_setup())
    return 1;
  test_generated_names();
  test_conflicts();
  test_unreviewed_names();
  test_listed_names();
  test_shared_names();
  test_beacon();
  test_glued_rat();
  test_lazy_lookups();
  extract_teardown();
  return check_done();
}
