/*
 * test_kev_catalogue.c — the KEV catalogue reader (kev.h): entries found by CVE id,
 * fields kept, the errors for files that are not the catalogue (each
 * naming the file, and the entry at fault), and CYS_SLOT_KEV values split
 * back into entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cysearch/kev.h"
#include "cysearch/schema.h"

static char path[64];

static void write_file(const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(1);
  }
  fputs(text, f);
  fclose(f);
}

/* Load text as a catalogue: the status, with *error kept for checks. */
static cys_status load(const char *text, cys_kev_catalogue **out,
                       char **error) {
  write_file(text);
  *out = NULL;
  return cys_kev_catalogue_load(path, out, error);
}

static int contains(const char *s, const char *part) {
  return s && strstr(s, part) != NULL;
}

static void test_good(void) {
  cys_kev_catalogue *c = NULL;
  char *error = NULL;
  cys_status st = load(
      "{\"catalogVersion\": \"2025.08.25\", \"vulnerabilities\": ["
      "{\"cveID\": \"CVE-2021-44228\", \"vendorProject\": \"Apache\","
      " \"product\": \"Log4j2\", \"dateAdded\": \"2021-12-10\","
      " \"knownRansomwareCampaignUse\": \"Known\", \"cwes\": []},"
      "{\"cveID\": \"CVE-2017-0144\", \"vendorProject\": \"Microsoft\","
      " \"product\": \"SMBv1\", \"dateAdded\": \"2022-02-10\","
      " \"knownRansomwareCampaignUse\": \"Unknown\"},"
      "{\"cveID\": \"CVE-2024-1234567\", \"dateAdded\": \"2024-01-01\"}]}",
      &c, &error);
  CHECK_INT(st, CYS_OK);
  CHECK(error == NULL);
  CHECK_INT(cys_kev_catalogue_size(c), 3);
  CHECK_STR(cys_kev_catalogue_version(c), "2025.08.25");
  const cys_kev_entry *e = cys_kev_find(c, "CVE-2021-44228", 14);
  CHECK(e != NULL);
  if (e) {
    CHECK_STR(e->vendor, "Apache");
    CHECK_STR(e->product, "Log4j2");
    CHECK_STR(e->date_added, "2021-12-10");
    CHECK_INT(e->ransomware, 1);
  }
  e = cys_kev_find(c, "CVE-2017-0144", 13);
  CHECK(e && e->ransomware == 0 && strcmp(e->product, "SMBv1") == 0);
  e = cys_kev_find(c, "CVE-2024-1234567", 16);
  CHECK(e && strcmp(e->vendor, "") == 0 && e->ransomware == 0);
  CHECK(cys_kev_find(c, "CVE-2017-014", 12) == NULL);
  CHECK(cys_kev_find(c, "CVE-2017-01445", 14) == NULL);
  CHECK(cys_kev_find(c, "CVE-1999-0001", 13) == NULL);
  cys_kev_catalogue_free(c);
  cys_kev_catalogue_free(NULL);
}

/* Each bad file: the status, and the parts the message must hold. */
static void test_bad(void) {
  static const struct {
    const char *text, *part;
    cys_status status;
  } cases[] = {
      {"{\"vulnerabilities\": [", "not a JSON file", CYS_BAD_INPUT},
      {"[1, 2]", "\"vulnerabilities\"", CYS_BAD_INPUT},
      {"{\"vulnerabilities\": {}}", "\"vulnerabilities\"", CYS_BAD_INPUT},
      {"{\"vulnerabilities\": [{\"cveID\": \"CVE-2021-1111\", \"dateAdded\":"
       " \"2021-01-01\"}, {\"cveID\": \"cve-2021-2222\", \"dateAdded\":"
       " \"2021-01-01\"}]}",
       "vulnerabilities[1]: cveID \"cve-2021-2222\"", CYS_BAD_INPUT},
      {"{\"vulnerabilities\": [{\"dateAdded\": \"2021-01-01\"}]}",
       "vulnerabilities[0]: cveID (missing)", CYS_BAD_INPUT},
      {"{\"vulnerabilities\": [{\"cveID\": \"CVE-2021-123\", \"dateAdded\":"
       " \"2021-01-01\"}]}",
       "vulnerabilities[0]", CYS_BAD_INPUT},
      {"{\"vulnerabilities\": [{\"cveID\": \"CVE-2021-1234\"}]}",
       "vulnerabilities[0] (CVE-2021-1234): dateAdded", CYS_BAD_INPUT},
      {"{\"vulnerabilities\": [{\"cveID\": \"CVE-2021-1234\", \"dateAdded\":"
       " \"2021-01-01\", \"product\": 7}]}",
       "vulnerabilities[0] (CVE-2021-1234)", CYS_BAD_INPUT},
      {"{\"vulnerabilities\": [7]}", "vulnerabilities[0] is not an object",
       CYS_BAD_INPUT},
      {"{\"vulnerabilities\": [{\"cveID\": \"CVE-2021-1234\", \"dateAdded\":"
       " \"2021-01-01\"}, {\"cveID\": \"CVE-2021-1234\", \"dateAdded\":"
       " \"2021-01-02\"}]}",
       "CVE-2021-1234 is listed twice", CYS_BAD_INPUT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    cys_kev_catalogue *c = NULL;
    char *error = NULL;
    cys_status st = load(cases[i].text, &c, &error);
    CHECK_INT(st, cases[i].status);
    CHECK(c == NULL);
    CHECK(contains(error, path));
    if (!contains(error, cases[i].part))
      fprintf(stderr, "case %zu: \"%s\" lacks \"%s\"\n", i,
              error ? error : "(null)", cases[i].part);
    CHECK(contains(error, cases[i].part));
    free(error);
  }
  cys_kev_catalogue *c = NULL;
  char *error = NULL;
  CHECK_INT(cys_kev_catalogue_load("/nonexistent/kev.json", &c, &error),
            CYS_IO);
  CHECK(contains(error, "/nonexistent/kev.json"));
  free(error);
}

static void test_split(void) {
  const char value[] = "CVE-2017-0144\x1f" "2022-02-10\x1fMicrosoft\x1fSMBv1"
                       "\x1fUnknown\x1e" "CVE-2021-44228\x1f" "2021-12-10"
                       "\x1f" "Apache\x1fLog4j2\x1fKnown";
  cys_kev_entry e[2];
  char *buf = NULL;
  CHECK_INT(cys_kev_value_split(value, sizeof value - 1, e, 1, &buf), 2);
  free(buf);
  CHECK_INT(cys_kev_value_split(value, sizeof value - 1, e, 2, &buf), 2);
  CHECK_STR(e[0].cve, "CVE-2017-0144");
  CHECK_STR(e[0].product, "SMBv1");
  CHECK_INT(e[0].ransomware, 0);
  CHECK_STR(e[1].vendor, "Apache");
  CHECK_STR(e[1].date_added, "2021-12-10");
  CHECK_INT(e[1].ransomware, 1);
  free(buf);
  CHECK_INT(cys_kev_value_split("", 0, e, 2, &buf), 0);
  free(buf);
}

int main(void) {
  snprintf(path, sizeof path, "/tmp/test_kev.%ld.json", (long)getpid());
  test_good();
  test_bad();
  test_split();
  unlink(path);
  return check_done();
}
