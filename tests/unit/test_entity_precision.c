/*
 * test_entity_precision.c — the precision rules of issue #15 for countries
 * and agencies, each with the near misses that must not match: three-letter
 * codes need a national context; regions are not countries; demonyms count
 * before what a country has, not as languages; an acronym the text defines
 * as something else is not the agency; a generic agency name qualified by
 * another country is not this one's; the agencies that were missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/entity.h"
#include "extract_check.h"

static void test_country_codes(void) {
  NOT_FINDS("The call is at 9 EST tomorrow.", "country:EE");
  NOT_FINDS("Check out the SVN repository.", "country:SI");
  NOT_FINDS("The MLT model and the SOM layer.", "country:SO");
  FINDS("The RUS government denied it.", "country:RU");
  /* "stated" is no national context. */
  NOT_FINDS("Outlets such as BGR assumed it; no one stated it.",
            "country:BG");
  /* Everyday abbreviations stay. */
  FINDS("The USA and the UAE signed it.", "country:US");
  FINDS("The USA and the UAE signed it.", "country:AE");
  /* A time zone after a time, across a sentence with a national context. */
  NOT_FINDS("It starts at 9 EST. The government said so.",
            "country:EE");
  NOT_FINDS("It starts at 10:30 a.m. EST; the government said so.",
            "country:EE");
  FINDS("The EST government said so.", "country:EE");
  /* A code at the end of a longer name, or before a masthead word. */
  NOT_FINDS("The talk is at Black Hat USA 2016.", "country:US");
  NOT_FINDS("Virgin Mobile USA users were warned.", "country:US");
  NOT_FINDS("Equifax told USA TODAY on Wednesday.", "country:US");
  FINDS("Hackers Spy On UAE, Kuwait Government Agencies", "country:AE");
  FINDS("The UAE CERT warned.", "country:AE");
  FINDS("Agents of the PRC MSS ran it.", "country:CN");
  FINDS("Columbia University, USA, found it.", "country:US");
}

/* A two-letter code counts alone in a table's cell, where the row holds a
 * network or the column is headed Country; never in running text. */
static void test_codes_in_tables(void) {
  FINDS("| AS1 | Fink AG | 185.140.53[.]0/24 | SE | RIPE |", "country:SE");
  FINDS("- X\xc2\xa0| Y\xc2\xa0| 79.134.224[.]0/19\xc2\xa0| CH\xc2\xa0| RIPE |",
        "country:CH");
  FINDS("| Host | Country |\n|---|---|\n| example | DE |", "country:DE");
  NOT_FINDS("| Host | Owner |\n|---|---|\n| example | DE |", "country:DE");
  NOT_FINDS("| 10.0.0.1 | IT team |", "country:IT");
  NOT_FINDS("Is IT | NO | or | DE the answer?", "country:NO");
  NOT_FINDS("The IT and NO teams met at 10.0.0.1 today.", "country:IT");
}

static void test_regions_and_demonyms(void) {
  NOT_FINDS("North American utilities were hit.", "country:US");
  NOT_FINDS("Latin American banks were hit.", "country:US");
  FINDS("South African banks were hit.", "country:ZA");
  FINDS("North Korean hackers stole it.", "country:KP");
  FINDS("Spanish banks were hit.", "country:ES");
  FINDS("A Polish security researcher found it.", "country:PL");
  FINDS("The attack hit a city in Turkey.", "country:TR");
  NOT_FINDS("Spanish is spoken there.", "country:ES");
  NOT_FINDS("Polish the code before release.", "country:PL");
  NOT_FINDS("It was sold on a Russian-language forum.", "country:RU");
}

static void test_agencies(void) {
  FINDS("The UK Ministry of Defence (MoD) said.", "agency:MOD-UK");
  FINDS("The UK Ministry of Defence (MoD) said.", "country:GB");
  FINDS("Germany's Federal Intelligence Service said.", "agency:BND");
  FINDS("Germany's Federal Intelligence Service said.", "country:DE");
  FINDS("Denmark's DDIS warned.", "agency:DDIS");
  FINDS("China's SSF runs it.", "agency:SSF");
  FINDS("Taiwan's NSB said.", "agency:NSB-TW");
  FINDS("ThaiCERT warned.", "agency:THAICERT");
  FINDS("The US Director of National Intelligence said.", "agency:ODNI");
  FINDS("GRU Unit 26165 ran it.", "agency:GRU");
  FINDS("GRU Unit 26165 ran it.", "actor:APT28");
  /* Generic names qualified by another country. */
  FINDS("North Korea's Ministry of State Security arrested him.",
        "agency:MSS-KP");
  NOT_FINDS("North Korea's Ministry of State Security arrested him.",
            "agency:MSS");
  FINDS("Vietnam's Ministry of Public Security arrested him.",
        "agency:MPS-VN");
  NOT_FINDS("Vietnam's Ministry of Public Security arrested him.",
            "agency:MPS");
  NOT_FINDS("Cuba's Ministry of Public Security said so.", "agency:MPS");
  NOT_FINDS("Switzerland's Federal Intelligence Service said.",
            "agency:BND");
  /* A generic name is the agency of the country qualifying it, or none. */
  FINDS("Lithuania's National Cyber Security Centre warned.",
        "agency:NKSC");
  FINDS("The Lithuanian National Cyber Security Centre warned.",
        "agency:NKSC");
  FINDS("The National Cyber Security Centre of Lithuania warned.",
        "agency:NKSC");
  NOT_FINDS("Lithuania's National Cyber Security Centre warned.",
            "agency:NCSC-UK");
  FINDS("Greece's National Intelligence Service spied on him.",
        "agency:EYP");
  NOT_FINDS("Greece's National Intelligence Service spied on him.",
            "agency:NIS");
  FINDS("Georgia's State Security Service said so.", "agency:SSG-GE");
  NOT_FINDS("The State Security Service said so.", "agency:SSG-GE");
  NOT_FINDS("The State Security Service said so.", "agency:VDD");
  NOT_FINDS("The National Cyber Security Centre said so.", "agency:NKSC");
  NOT_FINDS("Cuba's National Intelligence Service said so.", "agency:NIS");
  NOT_FINDS("Cuba's National Intelligence Service said so.", "agency:EYP");
  FINDS("Ukraine's cyber police arrested them.", "agency:CYBERPOLICE-UA");
  NOT_FINDS("The cyber police arrested them.", "agency:CYBERPOLICE-UA");
  FINDS("The Pentagon said so.", "agency:DOD");
  NOT_FINDS("Draw a pentagon.", "agency:DOD");
  /* Acronyms that are also words need their country nearby. */
  FINDS("Croatia's Security and Intelligence Agency (SOA) said so.",
        "agency:SOA");
  NOT_FINDS("The DNS server returned an SOA record.", "agency:SOA");
  NOT_FINDS("Copy the BIN file and check the BIN of the card.",
            "agency:BIN");
  /* US city police are not London's. */
  NOT_FINDS("The Las Vegas Metropolitan Police Department arrested him.",
            "agency:MET-POLICE");
  NOT_FINDS("The Metropolitan Police in Nashville arrested him.",
            "agency:MET-POLICE");
  FINDS("London's Metropolitan Police arrested him.", "agency:MET-POLICE");
  /* An acronym the text defines as something else. */
  NOT_FINDS("Staff sat Phishing Security Tests (PST) with Norway police.",
            "agency:PST");
  FINDS("The National Security Agency (NSA) said.", "agency:NSA");
  /* MGM the hospital is not MGM Resorts. */
  NOT_FINDS("Ransomware hit the MGM hospital; the company said so.",
            "vendor:MGM Resorts");
  FINDS("MGM Resorts said its Las Vegas casinos were hit.",
        "vendor:MGM Resorts");
  FINDS("MGM said its Las Vegas casino systems were hit.",
        "vendor:MGM Resorts");
}

int main(void) {
  if (extract_setup())
    return 1;
  test_country_codes();
  test_codes_in_tables();
  test_regions_and_demonyms();
  test_agencies();
  extract_teardown();
  return check_done();
}
