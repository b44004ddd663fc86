/* input_format.c — see input_format.h. */
#include "input_format.h"

#include <string.h>
#include <strings.h>

#include "ascii_class.h"

static const struct {
  const char *ext;
  input_format format;
} extensions[] = {
    {".jsonl", INPUT_JSONL}, {".ndjson", INPUT_JSONL}, {".json", INPUT_JSON},
    {".txt", INPUT_TXT},     {".html", INPUT_HTML},    {".htm", INPUT_HTML},
    {".xhtml", INPUT_HTML},  {".rss", INPUT_FEED},    {".atom", INPUT_FEED},
    {".xml", INPUT_FEED},
};

static const char *const names[] = {"input", "jsonl", "json", "txt", "html",
                                     "feed"};

input_format input_format_named(const char *name) {
  for (int f = INPUT_JSONL; f <= INPUT_FEED; f++)
    if (strcmp(name, names[f]) == 0)
      return (input_format)f;
  return INPUT_UNKNOWN;
}

const char *input_format_name(input_format format) {
  return (unsigned)format <= INPUT_FEED ? names[format] : names[0];
}

/* Does name[0..len) end in ext, ignoring case? */
static int ends_with(const char *name, size_t len, const char *ext) {
  size_t n = strlen(ext);
  return len > n && strncasecmp(name + len - n, ext, n) == 0;
}

input_format input_format_from_name(const char *name, int *gz) {
  size_t len = strlen(name);
  int compressed = ends_with(name, len, ".gz");
  if (compressed)
    len -= 3;
  if (gz)
    *gz = compressed;
  for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
    if (ends_with(name, len, extensions[i].ext))
      return extensions[i].format;
  return INPUT_UNKNOWN;
}

/* Does line[0..len) begin with prefix, ignoring ASCII case? */
static int starts_with(const char *line, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  return len >= n && strncasecmp(line, prefix, n) == 0;
}

input_format input_format_refine(input_format announced, const char *line,
                                 size_t len) {
  while (len > 0 && ascii_is_space(*line))
    line++, len--;
  while (len > 0 && ascii_is_space(line[len - 1]))
    len--;
  char first = len ? line[0] : '\0';
  switch (announced) {
  case INPUT_TXT:
    return starts_with(line, len, "<!doctype html") ||
                   starts_with(line, len, "<html")
               ? INPUT_HTML
               : INPUT_TXT;
  case INPUT_HTML:
  case INPUT_JSON:
  case INPUT_FEED:
    return announced;
  case INPUT_UNKNOWN:
  case INPUT_JSONL:
    break;
  }
  if (first == '[' || (first == '{' && len == 1))
    return INPUT_JSON;
  if (announced == INPUT_UNKNOWN && first == '<')
    return INPUT_HTML;
  return INPUT_JSONL;
}

/* The next non-blank line of text[*pos..len): its start and length, or
 * 0 at the end; *pos moves past it. */
static size_t next_line(const char *text, size_t len, size_t *pos,
                        const char **line) {
  while (*pos < len) {
    const char *start = text + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - start) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    while (n > 0 && ascii_is_space(*start))
      start++, n--;
    while (n > 0 && ascii_is_space(start[n - 1]))
      n--;
    if (n > 0) {
      *line = start;
      return n;
    }
  }
  return 0;
}

int input_json_is_lines(const char *text, size_t len) {
  size_t pos = 0;
  const char *a = NULL, *b = NULL;
  size_t na = next_line(text, len, &pos, &a);
  size_t nb = next_line(text, len, &pos, &b);
  return na > 1 && a[0] == '{' && a[na - 1] == '}' && nb > 0 && b[0] == '{';
}

size_t input_binary_offset(const char *buf, size_t len) {
  const char *nul = memchr(buf, '\0', len);
  size_t scan = len < 4096 ? len : 4096, controls = 0, first = len;
  for (size_t i = 0; i < scan; i++) {
    unsigned char c = (unsigned char)buf[i];
    if ((c < 0x20 && !ascii_is_space((char)c)) || c == 0x7f) {
      controls++;
      if (first == len)
        first = i;
    }
  }
  size_t at = controls * 16 > scan ? first : len;
  if (nul && (size_t)(nul - buf) < at)
    at = (size_t)(nul - buf);
  return at;
}
