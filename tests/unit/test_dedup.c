/*
 * test_dedup.c — near-duplicate keys of undated articles (dedup.c), end to
 * end through cys_writer and cys_searcher: with no date to agree on, only
 * near copies fold.  Reference pages that share a headline and most of
 * their wording (ATT&CK's enterprise and mobile pages of one technique,
 * monthly bulletins of one template) stay apart; a syndicated copy with
 * small edits still folds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"
#include "tempdir.h"

/* ATT&CK "Input Capture", enterprise (T1056) and mobile (T1417): the
 * descriptions differ in a few words, the pages in their ids. */
#define ENTERPRISE                                                            \
  "Adversaries may use methods of capturing user input to obtain "           \
  "credentials or collect information. During normal system usage, users "   \
  "often provide credentials to various different locations, such as "      \
  "login pages/portals or system dialog boxes. Input capture mechanisms "    \
  "may be transparent to the user (e.g. Credential API Hooking) or rely on " \
  "deceiving the user into providing input into what they believe to be a "  \
  "genuine service (e.g. Web Portal Capture)."
#define MOBILE                                                                \
  "Adversaries may use methods of capturing user input to obtain "           \
  "credentials or collect information. During normal device usage, users "   \
  "often provide credentials to various different locations, such as "      \
  "login pages/portals or system dialog boxes. Input capture mechanisms "    \
  "may be transparent to the user (e.g. Keylogging) or rely on deceiving "   \
  "the user into providing input into what they believe to be a genuine "    \
  "application prompt (e.g. GUI Input Capture)."

/* A bulletin template, two months: the same words but the ids. */
#define BULLETIN(a, b, c)                                                     \
  "Vendor security bulletin. The following vulnerabilities were found and "  \
  "reported by our research team and fixed by the vendor in this month's "   \
  "update: " a ", " b " and " c ". Each allows remote code execution when "  \
  "a user opens a crafted document. Administrators should apply the update " \
  "as soon as possible; no workaround is known. Thanks to the vendor's "     \
  "security response team for working with us on the disclosure."

/* A story and a syndicated copy of it with small edits. */
#define STORY                                                                 \
  "Researchers at Northwind Labs say a ransomware crew called Glass Heron "  \
  "broke into the network of a regional water utility in Ohio, encrypted "   \
  "billing servers and demanded four million dollars. The intruders used "  \
  "a stolen VPN password and a vulnerable file transfer appliance, then "    \
  "moved to domain controllers within hours. Operators switched pumps to "   \
  "manual control while engineers restored systems from offline backups. "  \
  "The utility said drinking water was never at risk and that customer "     \
  "payment data may have been copied before the encryption started."
#define COPY                                                                  \
  "(Wire) - Researchers at Northwind Labs say a ransomware crew called "     \
  "Glass Heron broke into the network of a regional water utility in Ohio, " \
  "encrypted billing servers and demanded four million dollars. The "        \
  "intruders used a stolen VPN password and a vulnerable file transfer "     \
  "appliance, then moved to domain controllers within hours. Operators "     \
  "switched pumps to manual control while engineers restored systems from "  \
  "offline backups. The utility said drinking water was never at risk and " \
  "that customer payment data may have been copied before the encryption "   \
  "began. This story first appeared on example.net."

typedef struct art {
  const char *id, *title, *date, *body;
} art;

static const art articles[] = {
    {"attack-enterprise", "Input Capture", NULL,
     ENTERPRISE " ID: T1056. Sub-techniques: T1056.001, T1056.002, "
                "T1056.003, T1056.004. Tactics: Collection, Credential "
                "Access. Platforms: Linux, Network, Windows, macOS."},
    {"attack-mobile", "Input Capture", NULL,
     MOBILE " ID: T1417. Sub-techniques: T1417.001, T1417.002. Tactics: "
            "Collection, Credential Access. Platforms: Android, iOS."},
    {"text-enterprise", "Capturing user input", NULL, ENTERPRISE},
    {"text-mobile", "Capturing user input", NULL, MOBILE},
    {"bulletin-feb", "Unit 9 vulnerability research bulletin", NULL,
     BULLETIN("CVE-2017-2961", "CVE-2017-2962", "CVE-2017-2963")},
    {"bulletin-may", "Unit 9 vulnerability research bulletin", "2017",
     BULLETIN("CVE-2017-3051", "CVE-2017-3052", "CVE-2017-2963")},
    {"story", "Glass Heron ransomware hits Ohio water utility", NULL, STORY},
    {"story-copy", "Glass Heron ransomware hits Ohio water utility | Wire",
     NULL, COPY},
};
#define NARTICLES (sizeof articles / sizeof *articles)

static int build(const char *path) {
  cys_writer *w = cys_writer_new();
  int ok = w && cys_writer_open(w, path, NULL) == CYS_OK;
  for (size_t i = 0; ok && i < NARTICLES; i++) {
    const art *a = &articles[i];
    cys_article x = {a->id, a->title, a->date, "example.org", NULL, a->body};
    ok = cys_writer_put(w, &x, NULL) == CYS_OK;
  }
  ok = ok && cys_writer_commit(w) == CYS_OK;
  cys_writer_free(w);
  return ok;
}

/* The number of stories (collapsed hits) for query q. */
static uint64_t stories(cys_searcher *s, const char *q) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 50;
  cys_results *r = NULL;
  uint64_t n = 0;
  if (cys_search(s, q, &o, &r) == CYS_OK && r->total_exact)
    n = r->total;
  else
    fprintf(stderr, "search '%s' failed or was not exact\n", q);
  cys_results_free(r);
  return n;
}

int main(void) {
  char dir[] = "/tmp/cysearch-test-dedup-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/index", dir);
  CHECK(build(path));
  cys_searcher *s = cys_searcher_new();
  CHECK(s && cys_searcher_open(s, path) == CYS_OK);
  if (s) {
    /* one headline, two documents: different ids */
    CHECK_INT(stories(s, "title:\"input capture\""), 2);
    /* one headline, two documents: a few words differ, no ids at all */
    CHECK_INT(stories(s, "title:\"capturing user input\""), 2);
    /* one template, two bulletins (one dated to the year only) */
    CHECK_INT(stories(s, "title:bulletin"), 2);
    /* a syndicated copy with small edits is still one story */
    CHECK_INT(stories(s, "title:\"glass heron\""), 1);
  }
  cys_searcher_free(s);
  remove_tree(dir);
  return check_done();
}
