/*
 * test_analyzer_table.c — the analyzer's behaviour as a table: text in,
 * every token out ("exact>stem@start-end" plus W whole, P part, A acronym).
 * Then the same cases through the query side: each text, indexed as an
 * article, is found by itself typed as a query and as a quoted phrase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cysearch/analyze.h"
#include "cysearch/search.h"
#include "cysearch/writer.h"

typedef struct analyzer_case {
  const char *text;
  const char *tokens;
} analyzer_case;

static const analyzer_case cases[] = {
    {"hello world",
     "hello@0-5 world@6-11"},
    {"Hello World",
     "hello@0-5 world@6-11"},
    {"HELLO",
     "hello@0-5A"},
    {"hacking",
     "hacking>hack@0-7"},
    {"hacked",
     "hacked>hack@0-6"},
    {"hacks",
     "hacks>hack@0-5"},
    {"hackers",
     "hackers>hacker@0-7"},
    {"China's",
     "china@0-5"},
    {"China’s hackers",
     "china@0-5 hackers>hacker@10-17"},
    {"hackers' tools",
     "hackers>hacker@0-7 tools>tool@9-14"},
    {"don't",
     "don't@0-5"},
    {"state-sponsored",
     "state@0-5 sponsored>sponsor@6-15"},
    {"e-mail",
     "e@0-1 mail@2-6"},
    {"U.S.-China",
     "us@0-4A china@5-10"},
    {"Ｈｅｌｌｏ",
     "hello@0-15"},
    {"ｆｕｌｌ\xe3\x80\x80ｗｉｄｔｈ",
     "full@0-12 width@15-30"},
    {"hack\xe2\x80\x8b" "ers",
     "hackers>hacker@0-10"},
    {"soft\xc2\xadware",
     "software>softwar@0-10"},
    {"word word",
     "word@0-4 word@5-9"},
    {"“quoted”",
     "quoted>quot@3-9"},
    {"‘single’",
     "single>singl@3-9"},
    {"(parenthesised)",
     "parenthesised>parenthesis@1-14"},
    {"[bracketed]",
     "bracketed>bracket@1-10"},
    {"end.",
     "end@0-3"},
    {"question?",
     "question@0-8"},
    {"exclaim!",
     "exclaim@0-7"},
    {"semi;colon",
     "semi@0-4 colon@5-10"},
    {"a,b",
     "a@0-1 b@2-3"},
    {"ellipsis…",
     "ellipsis>ellipsi@0-8"},
    {"em—dash",
     "em@0-2 dash@5-9"},
    {"naïve café",
     "naïve>naïv@0-6 café@7-12"},
    {"Müller",
     "müller@0-7"},
    {"São Paulo",
     "são@0-4 paulo@5-10"},
    {"Türkiye",
     "türkiye>türkiy@0-8"},
    {"Ελλάδα",
     "ελλάδα@0-12"},
    {"Москва",
     "москва@0-12"},
    {"中国",
     "中国@0-6"},
    {"ﬁnance",
     "finance>financ@0-8"},
    {"①",
     "1@0-3"},
    {"CVE-2017-0144",
     "cve-2017-0144@0-13W cve@0-3P 2017@4-8P 0144@9-13P"},
    {"cve-2017-0144",
     "cve-2017-0144@0-13W cve@0-3P 2017@4-8P 0144@9-13P"},
    {"Cve-2017-0144",
     "cve-2017-0144@0-13W cve@0-3P 2017@4-8P 0144@9-13P"},
    {"(CVE-2024-3094)",
     "cve-2024-3094@1-14W cve@1-4P 2024@5-9P 3094@10-14P"},
    {"CVE-2024-3094,",
     "cve-2024-3094@0-13W cve@0-3P 2024@4-8P 3094@9-13P"},
    {"CVE-2021-44228's",
     "cve-2021-44228@0-14W cve@0-3P 2021@4-8P 44228@9-14P"},
    {"CVE-2023-12345",
     "cve-2023-12345@0-14W cve@0-3P 2023@4-8P 12345@9-14P"},
    {"GHSA-jfh8-c2jp-5v3q",
     "ghsa-jfh8-c2jp-5v3q@0-19W ghsa@0-4P jfh8@5-9P c2jp@10-14P 5v3q@15-19P"},
    {"CWE-79",
     "cwe-79@0-6W cwe@0-3P 79@4-6P"},
    {"MS17-010",
     "ms17-010@0-8W ms17@0-4P 010@5-8P"},
    {"T1059",
     "t1059@0-5"},
    {"T1059.001",
     "t1059.001@0-9W t1059@0-5P 001@6-9P"},
    {"TA0001",
     "ta0001@0-6"},
    {"G0007",
     "g0007@0-5"},
    {"S0154",
     "s0154@0-5"},
    {"APT28",
     "apt28@0-5"},
    {"apt28",
     "apt28@0-5"},
    {"APT 28",
     "apt@0-3A apt28@0-6W 28@4-6"},
    {"APT-28",
     "apt28@0-6W apt@0-3P 28@4-6P"},
    {"APT28's",
     "apt28@0-5"},
    {"APT-C-23",
     "apt-c-23@0-8W apt@0-3P c@4-5P 23@6-8P"},
    {"UNC2452",
     "unc2452@0-7"},
    {"TA505",
     "ta505@0-5"},
    {"TA 505",
     "ta@0-2A ta505@0-6W 505@3-6"},
    {"FIN7",
     "fin7@0-4"},
    {"FIN 7",
     "fin@0-3A fin7@0-5W 7@4-5"},
    {"DEV-0537",
     "dev-0537@0-8W dev@0-3P 0537@4-8P"},
    {"Storm-0558",
     "storm-0558@0-10W storm@0-5P 0558@6-10P"},
    {"POL-358",
     "pol-358@0-7W pol@0-3P 358@4-7P"},
    {"COVID-19",
     "covid-19@0-8W covid@0-5P 19@6-8P"},
    {"Log4j",
     "log4j@0-5"},
    {"Log4Shell",
     "log4shell@0-9"},
    {"x86-64",
     "x86-64@0-6W x86@0-3P 64@4-6P"},
    {"1.2.3.4",
     "1.2.3.4@0-7W 1@0-1P 2@2-3P 3@4-5P 4@6-7P"},
    {"192.168.1.1",
     "192.168.1.1@0-11W 192@0-3P 168@4-7P 1@8-9P 1@10-11P"},
    {"10.0.0.0/8",
     "10.0.0.0/8@0-10W 10.0.0.0@0-8W 10@0-2P 0@3-4P 0@5-6P 0@7-8P 8@9-10P"},
    {"203.0.113.77:8080",
     "203.0.113.77:8080@0-17W 203.0.113.77@0-12W 203@0-3P 0@4-5P 113@6-9P 77@10-12P 8080@13-17P"},
    {"1.2.3[.]4",
     "1.2.3.4@0-9W 1@0-1P 2@2-3P 3@4-5P 4@8-9P"},
    {"203.0.113[.]77",
     "203.0.113.77@0-14W 203@0-3P 0@4-5P 113@6-9P 77@12-14P"},
    {"2001:db8::1",
     "2001:db8::1@0-11W 2001@0-4P db8@5-8P 1@10-11P"},
    {"fe80::1ff:fe23:4567:890a",
     "fe80::1ff:fe23:4567:890a@0-24W fe80@0-4P 1ff@6-9P fe23@10-14P 4567@15-19P 890a@20-24P"},
    {"::1",
     "1@2-3"},
    {"2001:0db8:85a3:0000:0000:8a2e:0370:7334",
     "2001:0db8:85a3:0000:0000:8a2e:0370:7334@0-39W 2001@0-4P 0db8@5-9P 85a3@10-14P 0000@15-19P 0000@20-24P 8a2e@25-29P 0370@30-34P 7334@35-39P"},
    {"evil.com",
     "evil.com@0-8W evil@0-4P com@5-8P"},
    {"EVIL.COM",
     "evil.com@0-8W evil@0-4P com@5-8P"},
    {"sub.evil.co.uk",
     "sub.evil.co.uk@0-14W sub@0-3P evil@4-8P co@9-11P uk@12-14P"},
    {"evil[.]com",
     "evil.com@0-10W evil@0-4P com@7-10P"},
    {"evil(.)com",
     "evil.com@0-10W evil@0-4P com@7-10P"},
    {"evil[dot]com",
     "evil.com@0-12W evil@0-4P com@9-12P"},
    {"evil{.}com",
     "evil.com@0-10W evil@0-4P com@7-10P"},
    {"update-check[.]example",
     "update-check.example@0-22W check.example@7-22W update>updat@0-6P check@7-12P example>exampl@15-22P"},
    {"http://evil.com",
     "http://evil.com@0-15W http@0-4P evil.com@7-15W evil@7-11P com@12-15P"},
    {"https://evil.com/path/file.php?id=1",
     "https://evil.com/path/file.php?id=1@0-35W https@0-5P evil.com/path/file.php@8-30W evil.com@8-16W file.php@22-30W evil@8-12P com@13-16P path@17-21P file@22-26P php@27-30P id@31-33P 1@34-35P"},
    {"hxxp://evil[.]com",
     "http://evil.com@0-17W http@0-4P evil.com@7-17W evil@7-11P com@14-17P"},
    {"hxxps://evil[.]com/x",
     "https://evil.com/x@0-20W https@0-5P evil.com/x@8-20W evil.com@8-18W evil@8-12P com@15-18P x@19-20P"},
    {"HXXP://EVIL.COM",
     "http://evil.com@0-15W http@0-4P evil.com@7-15W evil@7-11P com@12-15P"},
    {"ftp://files.example.org/a.zip",
     "ftp://files.example.org/a.zip@0-29W ftp@0-3P files.example.org/a.zip@6-29W files.example.org@6-23W a.zip@24-29W files>file@6-11P example>exampl@12-19P org@20-23P a@24-25P zip@26-29P"},
    {"fxp://files.example.org",
     "ftp://files.example.org@0-23W ftp@0-3P files.example.org@6-23W files>file@6-11P example>exampl@12-19P org@20-23P"},
    {"user@mail.com",
     "user@mail.com@0-13W mail.com@5-13W user@0-4P mail@5-9P com@10-13P"},
    {"user[@]mail.com",
     "user@mail.com@0-15W mail.com@7-15W user@0-4P mail@7-11P com@12-15P"},
    {"user[at]mail.com",
     "user@mail.com@0-16W mail.com@8-16W user@0-4P mail@8-12P com@13-16P"},
    {"user(at)mail.com",
     "user@mail.com@0-16W mail.com@8-16W user@0-4P mail@8-12P com@13-16P"},
    {"First.Last@Example.ORG",
     "first.last@example.org@0-22W first.last@0-10W example.org@11-22W first@0-5P last@6-10P example>exampl@11-18P org@19-22P"},
    {"d41d8cd98f00b204e9800998ecf8427e",
     "d41d8cd98f00b204e9800998ecf8427e@0-32"},
    {"da39a3ee5e6b4b0d3255bfef95601890afd80709",
     "da39a3ee5e6b4b0d3255bfef95601890afd80709@0-40"},
    {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855@0-64"},
    {"invoice.pdf.exe",
     "invoice.pdf.exe@0-15W invoice>invoic@0-7P pdf@8-11P exe@12-15P"},
    {"report.docx",
     "report.docx@0-11W report@0-6P docx@7-11P"},
    {"payload.dll",
     "payload.dll@0-11W payload@0-7P dll@8-11P"},
    {"C:\\Windows\\System32\\drivers\\etc\\hosts",
     "c:\\windows\\system32\\drivers\\etc\\hosts@0-37W c@0-1P windows>window@3-10P system32@11-19P drivers>driver@20-27P etc@28-31P hosts>host@32-37P"},
    {"C:\\Windows\\System32\\evil.dll",
     "c:\\windows\\system32\\evil.dll@0-28W evil.dll@20-28W c@0-1P windows>window@3-10P system32@11-19P evil@20-24P dll@25-28P"},
    {"c:\\temp",
     "c:\\temp@0-7W c@0-1P temp@3-7P"},
    {"\\\\server\\share\\file.txt",
     "server\\share\\file.txt@2-23W file.txt@15-23W server@2-8P share@9-14P file@15-19P txt@20-23P"},
    {"HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
     "hklm\\software\\microsoft\\windows\\currentversion\\run@0-50W hklm@0-4P software>softwar@5-13P microsoft@14-23P windows>window@24-31P currentversion>currentvers@32-46P run@47-50P"},
    {"HKEY_LOCAL_MACHINE\\SYSTEM",
     "hkey_local_machine\\system@0-25W hkey_local_machine>hkey_local_machin@0-18P system@19-25P"},
    {"2.4.49",
     "2.4.49@0-6W 2@0-1P 4@2-3P 49@4-6P"},
    {"v1.2.3",
     "v1.2.3@0-6W v1@0-2P 2@3-4P 3@5-6P"},
    {"3.5",
     "3.5@0-3W 3@0-1P 5@2-3P"},
    {"1,000",
     "1@0-1 000@2-5"},
    {"9/11",
     "9/11@0-4W 9@0-1P 11@2-4P"},
    {"2021-03-04",
     "2021-03-04@0-10W 2021@0-4P 03@5-7P 04@8-10P"},
    {"10:30",
     "10:30@0-5W 10@0-2P 30@3-5P"},
    {"C++",
     "c++@0-3W c@0-1P"},
    {"c++",
     "c++@0-3W c@0-1P"},
    {"C#",
     "c#@0-2W c@0-1P"},
    {"F#",
     "f#@0-2W f@0-1P"},
    {".NET",
     ".net@0-4W net@1-4P"},
    {".net",
     ".net@0-4W net@1-4P"},
    {"Node.js",
     "node.js@0-7W node@0-4P js@5-7P"},
    {"node.js",
     "node.js@0-7W node@0-4P js@5-7P"},
    {"Notepad++",
     "notepad++@0-9W notepad@0-7P"},
    {"US",
     "us@0-2A"},
    {"us",
     "us@0-2"},
    {"U.S.",
     "us@0-4A"},
    {"U.S",
     "us@0-3A"},
    {"u.s.",
     "us@0-4"},
    {"U.K.",
     "uk@0-4A"},
    {"E.U.",
     "eu@0-4A"},
    {"IT",
     "it@0-2A"},
    {"it",
     "it@0-2"},
    {"AIM",
     "aim@0-3A"},
    {"aim",
     "aim@0-3"},
    {"SAP",
     "sap@0-3A"},
    {"ICE",
     "ice@0-3A"},
    {"NSA",
     "nsa@0-3A"},
    {"FBI",
     "fbi@0-3A"},
    {"CISA",
     "cisa@0-4A"},
    {"GCHQ",
     "gchq@0-4A"},
    {"NASA's",
     "nasa@0-4A"},
    {"USA",
     "usa@0-3A"},
    {"Nato",
     "nato@0-4"},
    {"NATO",
     "nato@0-4A"},
    {"HTTP",
     "http@0-4A"},
    {"DoS",
     "dos@0-3"},
    {"iPhone",
     "iphone>iphon@0-6"},
    {"McAfee",
     "mcafee>mcafe@0-6"},
    {"WannaCry",
     "wannacry>wannacri@0-8"},
    {"NotPetya",
     "notpetya@0-8"},
    {"Lapsus$",
     "lapsus@0-6"},
    {"$100",
     "100@1-4"},
    {"100%",
     "100@0-3"},
    {"#hashtag",
     "hashtag@1-8"},
    {"@handle",
     "handle>handl@1-7"},
    {"--flag",
     "flag@2-6"},
    {"a",
     "a@0-1"},
    {"I",
     "i@0-1"},
    {"x",
     "x@0-1"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890",
     ""},
    {"The U.S. and U.K. said.",
     "the@0-3 us@4-8A and@9-12 uk@13-17A said@18-22"},
    {"Hackers exploited CVE-2017-0144 (EternalBlue) against U.S. hospitals.",
     "hackers>hacker@0-7 exploited>exploit@8-17 cve-2017-0144@18-31W cve@18-21P 2017@22-26P 0144@27-31P eternalblue>eternalblu@33-44 against@46-53 us@54-58A hospitals>hospit@59-68"},
    {"APT28, also known as Fancy Bear, used evil[.]com and 198.51.100[.]23.",
     "apt28@0-5 also@7-11 known@12-17 as@18-20 fancy>fanci@21-26 bear@27-31 used>use@33-37 evil.com@38-48W evil@38-42P com@45-48P and@49-52 198.51.100.23@53-68W 198@53-56P 51@57-59P 100@60-63P 23@66-68P"},
    {"Contact admin[at]corp.example or visit hxxps://corp[.]example/login.",
     "contact@0-7 admin@corp.example@8-29W corp.example@17-29W admin@8-13P corp@17-21P example>exampl@22-29P or@30-32 visit@33-38 https://corp.example/login@39-67W https@39-44P corp.example/login@47-67W corp.example@47-61W corp@47-51P example>exampl@54-61P login@62-67P"},
    {"Drop C:\\Users\\Public\\run.bat then reg add HKCU\\Software\\Run.",
     "drop@0-4 c:\\users\\public\\run.bat@5-28W run.bat@21-28W c@5-6P users>user@8-13P public@14-20P run@21-24P bat@25-28P then@29-33 reg@34-37 add@38-41 hkcu\\software\\run@42-59W hkcu@42-46P software>softwar@47-55P run@56-59P"},
    {"Upgrade Apache 2.4.49 to 2.4.51 on Node.js and .NET hosts.",
     "upgrade>upgrad@0-7 apache>apach@8-14 2.4.49@15-21W 2@15-16P 4@17-18P 49@19-21P to@22-24 2.4.51@25-31W 2@25-26P 4@27-28P 51@29-31P on@32-34 node.js@35-42W node@35-39P js@40-42P and@43-46 .net@47-51W net@48-51P hosts>host@52-57"},
    /* invalid UTF-8 separates words and loses nothing else */
    {"hel\xff" "lo wor\xc3" "ld", "hel@0-3 lo@4-6 wor@7-10 ld@11-13"},
    {"\xed\xa0\x80" "surrogate \xc0\xaf" "overlong", "surrogate>surrog@3-12 overlong@15-23"},
    {"cut at the end \xe2\x82", "cut@0-3 at@4-6 the@7-10 end@11-14"},
    {"", ""},
    {"   \t\n ", ""},
};

#define NCASES (sizeof cases / sizeof *cases)

typedef struct rendered {
  char text[4096];
} rendered;

static int render(void *ctx, const cys_token *t) {
  rendered *r = ctx;
  char tok[512], stem[256] = "";
  if (t->stem_len != t->exact_len ||
      memcmp(t->stem, t->exact, t->exact_len) != 0)
    snprintf(stem, sizeof stem, ">%.*s", (int)t->stem_len, t->stem);
  snprintf(tok, sizeof tok, "%s%.*s%s@%zu-%zu%s%s%s", r->text[0] ? " " : "",
           (int)t->exact_len, t->exact, stem, t->start, t->end,
           t->flags & CYS_TOKEN_WHOLE ? "W" : "",
           t->flags & CYS_TOKEN_PART ? "P" : "",
           t->flags & CYS_TOKEN_ACRONYM ? "A" : "");
  strncat(r->text, tok, sizeof r->text - strlen(r->text) - 1);
  return 0;
}

static void check_tokens(cys_analyzer *a) {
  for (size_t i = 0; i < NCASES; i++) {
    rendered r = {.text = ""};
    CHECK_INT(cys_analyze(a, cases[i].text, strlen(cases[i].text), render, &r),
              CYS_OK);
    if (strcmp(r.text, cases[i].tokens) != 0)
      fprintf(stderr, "case %zu: text \"%s\"\n", i, cases[i].text);
    CHECK_STR(r.text, cases[i].tokens);
  }
}

/* Identifiers in running text: wholes share the first part's position,
 * parts are consecutive, and "APT 28" joins at the position of "APT". */
typedef struct positions {
  char text[1024];
} positions;

static int render_positions(void *ctx, const cys_token *t) {
  positions *p = ctx;
  char tok[160];
  snprintf(tok, sizeof tok, "%s%.*s:%u", p->text[0] ? " " : "",
           (int)t->exact_len, t->exact, t->position);
  strncat(p->text, tok, sizeof p->text - strlen(p->text) - 1);
  return 0;
}

static void check_positions(cys_analyzer *a) {
  const char *text = "saw APT 28 use CVE-2017-0144 on evil.com today";
  positions p = {.text = ""};
  cys_analyze(a, text, strlen(text), render_positions, &p);
  CHECK_STR(p.text, "saw:0 apt:1 apt28:1 28:2 use:3 cve-2017-0144:4 cve:4 "
                    "2017:5 0144:6 on:7 evil.com:8 evil:8 com:9 today:10");
}

/* ---- the query side ------------------------------------------------------ */

static int has_tokens(cys_analyzer *a, const char *text) {
  rendered r = {.text = ""};
  cys_analyze(a, text, strlen(text), render, &r);
  return r.text[0] != '\0';
}

/* Does searching query find the article with this id? */
static int finds(cys_searcher *s, const char *query, const char *id) {
  cys_search_options o;
  cys_search_options_init(&o);
  o.limit = 1000;
  o.snippet_bytes = 0;
  cys_results *r = NULL;
  if (cys_search(s, query, &o, &r) != CYS_OK)
    return 0;
  int found = 0;
  for (size_t i = 0; i < r->nhits && !found; i++)
    found = strcmp(r->hits[i].record->article.id, id) == 0;
  cys_results_free(r);
  return found;
}

static void check_query_side(cys_analyzer *a, const char *dir) {
  cys_writer *w = cys_writer_new();
  CHECK_INT(cys_writer_open(w, dir, NULL), CYS_OK);
  char id[32];
  for (size_t i = 0; i < NCASES; i++) {
    if (!has_tokens(a, cases[i].text))
      continue;
    snprintf(id, sizeof id, "case-%zu", i);
    cys_article art = {.id = id, .body = cases[i].text};
    CHECK_INT(cys_writer_put(w, &art, NULL), CYS_OK);
  }
  CHECK_INT(cys_writer_commit(w), CYS_OK);
  cys_writer_free(w);

  cys_searcher *s = cys_searcher_new();
  CHECK_INT(cys_searcher_open(s, dir), CYS_OK);
  char phrase[4200];
  for (size_t i = 0; i < NCASES; i++) {
    const char *t = cases[i].text;
    if (!has_tokens(a, t) || strchr(t, '"'))
      continue;
    snprintf(id, sizeof id, "case-%zu", i);
    /* Typed as it is (a leading + - = is query syntax, so not those). */
    if (t[0] != '-' && t[0] != '+' && t[0] != '=') {
      int ok = finds(s, t, id);
      if (!ok)
        fprintf(stderr, "query \"%s\" does not find its own text\n", t);
      CHECK(ok);
    }
    snprintf(phrase, sizeof phrase, "\"%s\"", t);
    int ok = finds(s, phrase, id);
    if (!ok)
      fprintf(stderr, "phrase %s does not find its own text\n", phrase);
    CHECK(ok);
  }
  cys_searcher_free(s);
}

/* Different spellings of one indicator find each other; near misses and
 * other forms do not. */
static void check_equivalences(const char *dir) {
  static const struct {
    const char *text, *query;
    int match;
  } pairs[] = {
      {"seen at evil.com", "evil[.]com", 1},
      {"seen at evil[.]com", "evil.com", 1},
      {"seen at evil(.)com", "evil[dot]com", 1},
      {"seen at http://evil.com/a", "hxxp://evil[.]com/a", 1},
      {"from 1.2.3[.]4 today", "1.2.3.4", 1},
      {"mail user[@]mail.com now", "user@mail.com", 1},
      {"mail user@mail.com now", "mail.com", 1},
      {"listening on 203.0.113.77:8080", "203.0.113.77", 1},
      {"group APT 28 struck", "apt28", 1},
      {"group APT-28 struck", "APT28", 1},
      {"group APT28 struck", "APT 28", 1},
      {"patched CVE-2017-0144 fast", "cve-2017-0144", 1},
      {"patched CVE-2017-0144 fast", "CVE-2017-0145", 0},
      {"patched CVE-2017-0144 fast", "CVE-2017", 0},
      {"they were hacked", "hacking", 1},
      {"they were hacked", "=hacking", 0},
      {"they were hacked", "\"were hacking\"", 0},
      {"they were hacked", "\"were hacked\"", 1},
      {"running Apache 2.4.49", "2.4.49", 1},
      {"running Apache 2.4.49", "2.4.4", 0},
      {"invoice.pdf.exe attached", "invoice", 1},
      {"written in C++ mostly", "c++", 1},
      {"the U.S. government", "US", 1},
      {"the U.S. government", "=US", 1},
      {"let us know", "=US", 0},
      {"let us know", "us", 1},
      {"the IT department", "=IT", 1},
      {"and it said", "=IT", 0},
      {"dropped to C:\\Windows\\System32\\evil.dll", "evil.dll", 1},
      {"dropped to C:\\Windows\\System32\\evil.dll",
       "c:\\windows\\system32\\evil.dll", 1},
  };
  size_t n = sizeof pairs / sizeof *pairs;
  for (size_t i = 0; i < n; i++) {
    char sub[512];
    snprintf(sub, sizeof sub, "%s/eq%zu", dir, i);
    cys_writer *w = cys_writer_new();
    cys_article art = {.id = "x", .body = pairs[i].text};
    CHECK_INT(cys_writer_open(w, sub, NULL), CYS_OK);
    CHECK_INT(cys_writer_put(w, &art, NULL), CYS_OK);
    CHECK_INT(cys_writer_commit(w), CYS_OK);
    cys_writer_free(w);
    cys_searcher *s = cys_searcher_new();
    CHECK_INT(cys_searcher_open(s, sub), CYS_OK);
    int found = finds(s, pairs[i].query, "x");
    if (found != pairs[i].match)
      fprintf(stderr, "query \"%s\" on \"%s\": found %d, expected %d\n",
              pairs[i].query, pairs[i].text, found, pairs[i].match);
    CHECK_INT(found, pairs[i].match);
    cys_searcher_free(s);
  }
}

/* "US" ranks the country above the pronoun; "us" does not care. */
static void check_acronym_ranking(const char *dir) {
  char sub[512];
  snprintf(sub, sizeof sub, "%s/acronym", dir);
  cys_writer *w = cys_writer_new();
  cys_article pronoun = {.id = "pronoun", .body = "Tell us what you saw."};
  cys_article country = {.id = "country", .body = "The US said so."};
  CHECK_INT(cys_writer_open(w, sub, NULL), CYS_OK);
  CHECK_INT(cys_writer_put(w, &pronoun, NULL), CYS_OK);
  CHECK_INT(cys_writer_put(w, &country, NULL), CYS_OK);
  CHECK_INT(cys_writer_commit(w), CYS_OK);
  cys_writer_free(w);
  cys_searcher *s = cys_searcher_new();
  CHECK_INT(cys_searcher_open(s, sub), CYS_OK);
  cys_search_options o;
  cys_search_options_init(&o);
  cys_results *r = NULL;
  CHECK_INT(cys_search(s, "US", &o, &r), CYS_OK);
  CHECK_INT(r->nhits, 2);
  if (r->nhits == 2)
    CHECK_STR(r->hits[0].record->article.id, "country");
  cys_results_free(r);
  cys_searcher_free(s);
}

int main(void) {
  char dir[] = "/tmp/cysearch-table-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  cys_analyzer *a = NULL;
  CHECK_INT(cys_analyzer_new(NULL, &a), CYS_OK);
  CHECK(NCASES >= 150);
  check_tokens(a);
  check_positions(a);
  check_query_side(a, dir);
  check_equivalences(dir);
  check_acronym_ranking(dir);
  cys_analyzer_free(a);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", dir);
  return check_done();
}
