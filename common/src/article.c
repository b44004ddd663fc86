/* article.c — validating article fields (see article.h). */
#include "cysearch/article.h"
#include "cysearch/db.h"
#include "cysearch/schema.h"

#include <string.h>
#include <utf8proc.h>

/* An id is kept as one term, its prefix CYS_PREFIX_ID ("Q") and itself. */
_Static_assert(CYS_ID_MAX == CYS_TERM_MAX - 1, "CYS_ID_MAX is a term's room");

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int days_in_month(int year, int month) {
  static const int days[12] = {31, 28, 31, 30, 31, 30,
                               31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 29;
  return days[month - 1];
}

cys_status cys_date_normalize(const char *in, char out[CYS_DATE_MAX]) {
  out[0] = '\0';
  if (!in)
    return CYS_BAD_INPUT;
  size_t n = strlen(in);
  /* Drop the time of an ISO 8601 date-time. */
  const char *t = memchr(in, 'T', n);
  if (!t)
    t = memchr(in, ' ', n);
  if (t && t - in == 10) {
    /* A date-time: the time must at least start as HH:MM. */
    const char *h = t + 1;
    if (strlen(h) < 5 || !digits(h, 2) || h[2] != ':' || !digits(h + 3, 2))
      return CYS_BAD_INPUT;
    n = 10;
  }
  if (!(n == 4 || n == 7 || n == 10) || !digits(in, 4))
    return CYS_BAD_INPUT;
  int year = (in[0] - '0') * 1000 + (in[1] - '0') * 100 +
             (in[2] - '0') * 10 + (in[3] - '0');
  if (year < 1000)
    return CYS_BAD_INPUT;
  if (n >= 7) {
    if (in[4] != '-' || !digits(in + 5, 2))
      return CYS_BAD_INPUT;
    int month = (in[5] - '0') * 10 + (in[6] - '0');
    if (month < 1 || month > 12)
      return CYS_BAD_INPUT;
    if (n == 10) {
      if (in[7] != '-' || !digits(in + 8, 2))
        return CYS_BAD_INPUT;
      int day = (in[8] - '0') * 10 + (in[9] - '0');
      if (day < 1 || day > days_in_month(year, month))
        return CYS_BAD_INPUT;
    }
  }
  memcpy(out, in, n);
  out[n] = '\0';
  return CYS_OK;
}

void cys_date_sortkey(const char *normalized, char out[9]) {
  memcpy(out, "00000000", 9);
  size_t n = normalized ? strlen(normalized) : 0;
  if (n >= 4)
    memcpy(out, normalized, 4);
  if (n >= 7)
    memcpy(out + 4, normalized + 5, 2);
  if (n >= 10)
    memcpy(out + 6, normalized + 8, 2);
}

/* The code point of the UTF-8 sequence at s (valid UTF-8), and its length
 * in *len. */
static unsigned long decode(const unsigned char *s, size_t *len) {
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  if (s[0] < 0xe0) {
    *len = 2;
    return ((s[0] & 0x1fUL) << 6) | (s[1] & 0x3f);
  }
  if (s[0] < 0xf0) {
    *len = 3;
    return ((s[0] & 0x0fUL) << 12) | ((s[1] & 0x3fUL) << 6) | (s[2] & 0x3f);
  }
  *len = 4;
  return ((s[0] & 0x07UL) << 18) | ((s[1] & 0x3fUL) << 12) |
         ((s[2] & 0x3fUL) << 6) | (s[3] & 0x3f);
}

const char *cys_article_id_flaw(const char *id, size_t *at,
                                unsigned long *code) {
  const unsigned char *s = (const unsigned char *)id;
  for (size_t i = 0; s[i];) {
    size_t len;
    unsigned long c = decode(s + i, &len);
    const char *flaw = NULL;
    if (c == ' ')
      flaw = "a space";
    else if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
      flaw = "white space";
    else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f && c != 0x85))
      flaw = "a control character";
    else if (c == 0x85 || c == 0xa0 || c == 0x1680 ||
             (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
             c == 0x202f || c == 0x205f || c == 0x3000)
      flaw = "Unicode white space";
    else if (c >= 0x80 && utf8proc_category((utf8proc_int32_t)c) ==
                              UTF8PROC_CATEGORY_CF)
      flaw = "an invisible format character";
    if (flaw) {
      *at = i;
      *code = c;
      return flaw;
    }
    i += len;
  }
  return NULL;
}
