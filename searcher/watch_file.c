/*
 * watch_file.c — the watch list and its state file (watch_file.h).
 *
 * The state is JSON: {"format": 1, "run": 7, "seen": ["id", ...]}.  It is
 * replaced atomically (a temporary file, fsync, rename, fsync of the
 * directory), so a crash or a full disk leaves the previous state, and
 * the next run reports again what this one could not record.
 */
#define _POSIX_C_SOURCE 200809L
#include "watch_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "query_file.h"

#define PROGRAM "cysearch"
#define STATE_FORMAT 1

static int by_bytes(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void watch_ids_sort(char **ids, size_t n) {
  if (n > 1)
    qsort(ids, n, sizeof *ids, by_bytes);
}

int watch_ids_have(char *const *ids, size_t n, const char *id) {
  return n > 0 && bsearch(&id, ids, n, sizeof *ids, by_bytes) != NULL;
}

void watch_list_free(watch_list *list) {
  for (size_t i = 0; i < list->n; i++) {
    free(list->searches[i].name);
    free(list->searches[i].query);
  }
  free(list->searches);
  list->searches = NULL;
  list->n = 0;
}

static void bad_line(const char *path, unsigned long line, const char *why) {
  fprintf(stderr, PROGRAM ": %s:%lu: %s\n", path, line, why);
}

/* One line "NAME<TAB>QUERY" into list; 0, or -1 after reporting it. */
static int add_line(const char *path, unsigned long lineno, char *line,
                    watch_list *list, size_t *cap) {
  char *tab = strchr(line, '\t');
  if (!tab) {
    bad_line(path, lineno, "no tab: write NAME<TAB>QUERY, e.g. "
                           "'lockbit<TAB>lockbit ransomware'");
    return -1;
  }
  *tab = '\0';
  const char *name = line, *query = tab + 1;
  while (*query == ' ' || *query == '\t')
    query++;
  if (!*name || !*query) {
    bad_line(path, lineno, !*name ? "the saved search has no name before "
                                    "the tab"
                                  : "the saved search has no query after "
                                    "the tab");
    return -1;
  }
  for (size_t i = 0; i < list->n; i++)
    if (strcmp(list->searches[i].name, name) == 0) {
      char why[200];
      snprintf(why, sizeof why, "the name '%.60s' is used on line %lu "
               "already: give each saved search its own",
               name, list->searches[i].line);
      bad_line(path, lineno, why);
      return -1;
    }
  if (list->n == *cap) {
    size_t grown = *cap ? 2 * *cap : 16;
    saved_search *more = realloc(list->searches, grown * sizeof *more);
    if (!more)
      return -1;
    list->searches = more;
    *cap = grown;
  }
  saved_search *s = &list->searches[list->n];
  s->name = strdup(name);
  s->query = strdup(query);
  s->line = lineno;
  if (!s->name || !s->query) {
    free(s->name);
    free(s->query);
    fprintf(stderr, PROGRAM ": out of memory\n");
    return -1;
  }
  list->n++;
  return 0;
}

int watch_list_read(const char *path, watch_list *out) {
  memset(out, 0, sizeof *out);
  query_file *f = query_file_open(path);
  if (!f) {
    fprintf(stderr, PROGRAM ": cannot open watch file '%s': %s\n", path,
            strerror(errno));
    return -1;
  }
  size_t cap = 0;
  int bad = 0;
  char *line;
  size_t n;
  query_read got;
  while ((got = query_file_next(f, &line, &n)) != QUERY_END) {
    unsigned long lineno = query_file_lineno(f);
    if (got == QUERY_ERROR) {
      fprintf(stderr, PROGRAM ": error reading '%s': %s\n", path,
              strerror(errno));
      bad = 1;
      break;
    }
    if (got == QUERY_BINARY) {
      bad_line(path, lineno, "binary data (a control character), not a "
                             "watch file; stopped");
      bad = 1;
      break;
    }
    if (got == QUERY_TOO_LONG) {
      bad_line(path, lineno, "line too long for a saved search");
      bad = 1;
      continue;
    }
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
      line[--n] = '\0';
    if (n == 0 || line[0] == '#')
      continue;
    if (add_line(path, lineno, line, out, &cap) < 0)
      bad = 1;
  }
  query_file_close(f);
  if (!bad && out->n == 0) {
    fprintf(stderr, PROGRAM ": watch file '%s' holds no saved search: write "
                    "one NAME<TAB>QUERY line for each\n", path);
    bad = 1;
  }
  return bad ? -1 : 0;
}

void watch_state_free(watch_state *state) {
  for (size_t i = 0; i < state->nseen; i++)
    free(state->seen[i]);
  free(state->seen);
  memset(state, 0, sizeof *state);
}

static int state_error(const char *path, const char *why) {
  fprintf(stderr, PROGRAM ": state file '%s' %s; remove it to start the "
                  "watch list afresh (its next run then reports nothing "
                  "and records where the index stands)\n", path, why);
  return -1;
}

int watch_state_read(const char *path, watch_state *out) {
  memset(out, 0, sizeof *out);
  if (access(path, F_OK) != 0 && errno == ENOENT)
    return 0;
  json_error_t error;
  json_t *root = json_load_file(path, 0, &error);
  if (!root) {
    char why[300];
    snprintf(why, sizeof why, "cannot be read (line %d: %s)", error.line,
             error.text);
    return state_error(path, why);
  }
  json_t *format = json_object_get(root, "format");
  json_t *run = json_object_get(root, "run");
  json_t *seen = json_object_get(root, "seen");
  int rc = 0;
  if (!json_is_integer(format) || json_integer_value(format) != STATE_FORMAT ||
      !json_is_integer(run) || json_integer_value(run) < 0 ||
      !json_is_array(seen)) {
    rc = state_error(path, "is not a cysearch watch state");
  } else {
    out->present = 1;
    out->run = (uint64_t)json_integer_value(run);
    size_t n = json_array_size(seen);
    out->seen = calloc(n ? n : 1, sizeof *out->seen);
    for (size_t i = 0; out->seen && i < n && rc == 0; i++) {
      const char *id = json_string_value(json_array_get(seen, i));
      if (!id)
        rc = state_error(path, "is not a cysearch watch state");
      else if (!(out->seen[out->nseen++] = strdup(id)))
        rc = -1;
    }
    if (!out->seen || rc)
      rc = rc ? rc : -1;
    else
      watch_ids_sort(out->seen, out->nseen);
  }
  json_decref(root);
  return rc;
}

/* Make the rename durable: fsync the directory that holds path. */
static void sync_directory(const char *path) {
  char *copy = strdup(path);
  if (!copy)
    return;
  int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  free(copy);
}

int watch_state_write(const char *path, const watch_state *state) {
  json_t *root = json_object(), *seen = json_array();
  int rc = -1;
  char *tmp = NULL;
  FILE *f = NULL;
  if (!root || !seen)
    goto done;
  for (size_t i = 0; i < state->nseen; i++)
    json_array_append_new(seen, json_string(state->seen[i]));
  json_object_set_new(root, "format", json_integer(STATE_FORMAT));
  json_object_set_new(root, "run", json_integer((json_int_t)state->run));
  json_object_set(root, "seen", seen);
  size_t len = strlen(path) + 32;
  if (!(tmp = malloc(len)))
    goto done;
  snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || !(f = fdopen(fd, "w"))) {
    if (fd >= 0)
      close(fd);
    goto done;
  }
  if (json_dumpf(root, f, JSON_COMPACT) != 0 || fputc('\n', f) == EOF ||
      fflush(f) != 0 || fsync(fileno(f)) != 0)
    goto done;
  int closed = fclose(f);
  f = NULL;
  if (closed != 0 || rename(tmp, path) != 0)
    goto done;
  sync_directory(path);
  rc = 0;
done:
  if (rc != 0) {
    fprintf(stderr, PROGRAM ": cannot write state file '%s': %s; the state "
                    "stays as it was, so the next run reports these "
                    "stories again\n", path, errno ? strerror(errno)
                                                   : "out of memory");
    if (f)
      fclose(f);
    if (tmp)
      unlink(tmp);
  }
  free(tmp);
  json_decref(seen);
  json_decref(root);
  return rc;
}
