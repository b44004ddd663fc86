/* segments.c — see segments.h.
 *
 * The reading thread fills a chunk with copies of the articles and queues
 * it; at most two chunks per writer are queued or being written, so
 * memory stays bounded whatever the input.  A writer takes the oldest
 * queued chunk and writes it from start to end into segment seg-NNNNNN
 * (NNNNNN its number in input order), through a writer of its own and an
 * analysis worker made from the job's writer (its --gazetteer files
 * included).  One mutex guards the queue and the first failure. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "segments.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cysearch/index.h"
#include "cysearch/writer.h"
#include "held_article.h"
#include "id_set.h"
#include "index_maint.h"

#define PATH_BYTES 4096

typedef struct chunk {
  unsigned number;
  held_article *items;
  size_t n;
  struct chunk *next;
} chunk;

typedef struct writer_thread {
  segments *s;
  cys_writer_worker *analysis;
  cys_prepared *prepared;
  pthread_t thread;
  int started;
} writer_thread;

struct segments {
  job *j;
  char dir[PATH_BYTES]; /* DB.build-PID; "" when not made */
  char *language;
  unsigned long chunk_size;
  unsigned chunks; /* numbered so far */
  chunk *filling;
  id_set *ids;   /* of the articles sent to segments */
  held_article *later;   /* articles whose id came earlier in the run */
  size_t nlater, later_cap;
  pthread_mutex_t lock;
  pthread_cond_t work, room; /* a chunk was queued or stop; one was written */
  chunk *head, *tail;        /* queued, oldest first */
  unsigned busy, max_busy;   /* chunks queued or being written */
  unsigned long written;     /* articles of the chunks written */
  uint64_t run;              /* the job's run, once merged (0 before) */
  char run_started[32];
  int stop;
  int failed;
  char message[700];
  writer_thread *threads;
  unsigned nthreads;
};

static void free_chunk(chunk *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++)
    held_article_clear(&c->items[i]);
  free(c->items);
  free(c);
}

static int segment_path(const segments *s, unsigned number, char *out) {
  int n = snprintf(out, PATH_BYTES, "%s/seg-%06u", s->dir, number);
  return n > 0 && n < PATH_BYTES ? 0 : -1;
}

/* The file beside segment number where its writer keeps the articles'
 * words for the relink (cys_writer_keep_words). */
static int words_path(const segments *s, unsigned number, char *out) {
  int n = snprintf(out, PATH_BYTES, "%s/seg-%06u.words", s->dir, number);
  return n > 0 && n < PATH_BYTES ? 0 : -1;
}

/* Write chunk c into its segment; CYS_OK, or why not in message. */
static cys_status write_chunk(writer_thread *t, const chunk *c, char *message,
                              size_t cap) {
  segments *s = t->s;
  char path[PATH_BYTES], words[PATH_BYTES];
  cys_writer *w = cys_writer_new();
  cys_status st = w ? CYS_OK : CYS_NOMEM;
  if (!st && (segment_path(s, c->number, path) != 0 ||
              words_path(s, c->number, words) != 0))
    st = CYS_INVALID;
  if (st) {
    snprintf(message, cap, "%s", cys_status_str(st));
    cys_writer_free(w);
    return st;
  }
  if ((st = cys_writer_open(w, path, s->language)) ||
      (st = cys_writer_keep_words(w, words)))
    snprintf(message, cap, "%s", cys_writer_errmsg(w));
  cys_writer_defer_keys(w); /* the merge relinks them all, from `words` */
  cys_writer_join_run(w, s->j->writer); /* the index records the run */
  for (size_t i = 0; i < c->n && !st; i++) {
    const held_article *h = &c->items[i];
    cys_writer_prepare(t->analysis, &h->article, t->prepared);
    st = cys_writer_put_prepared(w, &h->article, h->origin, t->prepared, NULL);
    if (st)
      snprintf(message, cap, "%s: %s", h->where, cys_writer_errmsg(w));
  }
  if (!st && (st = cys_writer_commit(w)))
    snprintf(message, cap, "commit failed: %s", cys_writer_errmsg(w));
  cys_writer_free(w);
  return st;
}

static void *write_chunks(void *arg) {
  writer_thread *t = arg;
  segments *s = t->s;
  char message[sizeof s->message];
  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (!s->stop && !s->head)
      pthread_cond_wait(&s->work, &s->lock);
    if (s->stop)
      break;
    chunk *c = s->head;
    s->head = c->next;
    if (!s->head)
      s->tail = NULL;
    int skip = s->failed; /* after a failure, nothing more is written */
    pthread_mutex_unlock(&s->lock);
    cys_status st = skip ? CYS_OK : write_chunk(t, c, message, sizeof message);
    size_t n = c->n;
    free_chunk(c);
    pthread_mutex_lock(&s->lock);
    s->written += st || skip ? 0 : n;
    if (st && !s->failed) {
      s->failed = 1;
      snprintf(s->message, sizeof s->message, "%s", message);
    }
    s->busy--;
    pthread_cond_broadcast(&s->room);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

/* Can the build directory be made beside db, and the built index take
 * db's place there: is db's parent directory writable? */
static int parent_writable(const char *db) {
  char real[PATH_MAX];
  if (!realpath(db, real))
    return 0;
  char *slash = strrchr(real, '/');
  if (!slash)
    return 0;
  if (slash == real)
    slash++; /* db is a directory of the root */
  *slash = '\0';
  return access(real, W_OK) == 0;
}

int segments_apply(job *j) {
  uint64_t docs = 1;
  const char *one_writer = getenv("CYSEARCH_ONE_WRITER");
  if (one_writer && *one_writer && strcmp(one_writer, "0") != 0)
    return 0; /* asked for, to compare the two ways (segments.h) */
  /* One thread asked to commit more often than every 100 articles keeps
   * its commits: a segmented job commits only at the end. */
  if (j->opt.threads == 1 && j->opt.commit_every < 100)
    return 0;
  return j->opt.shard < 0 && j->total_shards == 1 &&
         access(j->opt.db, W_OK) == 0 && parent_writable(j->opt.db) &&
         cys_writer_doccount(j->writer, &docs) == CYS_OK && docs == 0;
}

segments *segments_new(job *j, unsigned long chunk_size) {
  segments *s = calloc(1, sizeof *s);
  if (!s) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    return NULL;
  }
  s->j = j;
  s->chunk_size = chunk_size ? chunk_size : 1;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->work, NULL);
  pthread_cond_init(&s->room, NULL);
  unsigned n = j->opt.threads;
  s->max_busy = 2 * n;
  const char *language = cys_writer_language(j->writer);
  if (index_side_dir(j->opt.db, "build", s->dir, sizeof s->dir) != 0) {
    fprintf(stderr, PROGRAM ": cannot make a directory beside '%s' for "
                    "the segments of a new index: %s; free some space, or "
                    "set CYSEARCH_ONE_WRITER=1 to write it without them\n",
            j->opt.db, strerror(errno));
    s->dir[0] = '\0';
    goto fail;
  }
  s->ids = id_set_new();
  s->threads = calloc(n, sizeof *s->threads);
  s->language = language ? strdup(language) : NULL;
  if (!s->ids || !s->threads || !s->language) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    goto fail;
  }
  for (unsigned i = 0; i < n; i++) {
    writer_thread *t = &s->threads[i];
    t->s = s;
    t->analysis = cys_writer_worker_new(j->writer);
    t->prepared = cys_prepared_new();
    s->nthreads++;
    if (!t->analysis || !t->prepared ||
        pthread_create(&t->thread, NULL, write_chunks, t) != 0) {
      fprintf(stderr, PROGRAM ": cannot start %u writing thread%s (out of "
                      "memory?)%s\n", n, n == 1 ? "" : "s",
              n == 1 ? "" : "; try --threads 1");
      goto fail;
    }
    t->started = 1;
  }
  return s;
fail:
  segments_free(s);
  return NULL;
}

unsigned long segments_written(segments *s) {
  pthread_mutex_lock(&s->lock);
  unsigned long n = s->written;
  pthread_mutex_unlock(&s->lock);
  return n;
}

/* Report the first failure of a writer; -1. */
static int report(segments *s) {
  pthread_mutex_lock(&s->lock);
  fprintf(stderr, PROGRAM ": %s\n", s->message);
  pthread_mutex_unlock(&s->lock);
  return -1;
}

/* Queue the chunk being filled, waiting for room. */
static int submit(segments *s) {
  chunk *c = s->filling;
  s->filling = NULL;
  if (!c)
    return 0;
  pthread_mutex_lock(&s->lock);
  while (!s->failed && s->busy >= s->max_busy)
    pthread_cond_wait(&s->room, &s->lock);
  int failed = s->failed;
  if (!failed) {
    if (s->tail)
      s->tail->next = c;
    else
      s->head = c;
    s->tail = c;
    s->busy++;
    pthread_cond_signal(&s->work);
  }
  pthread_mutex_unlock(&s->lock);
  if (failed) {
    free_chunk(c);
    return report(s);
  }
  return 0;
}

static int hold_for_later(segments *s, const cys_article *a, const char *where,
                          const char *origin) {
  if (s->nlater == s->later_cap) {
    size_t cap = s->later_cap ? 2 * s->later_cap : 16;
    held_article *bigger = realloc(s->later, cap * sizeof *bigger);
    if (!bigger)
      return -1;
    s->later = bigger;
    s->later_cap = cap;
  }
  if (held_article_copy(&s->later[s->nlater], a, where, origin) != 0)
    return -1;
  s->nlater++;
  return 0;
}

/* The chunk being filled, made when there is none; NULL when memory
 * runs out. */
static chunk *filling(segments *s) {
  if (s->filling)
    return s->filling;
  chunk *c = calloc(1, sizeof *c);
  if (c && !(c->items = calloc(s->chunk_size, sizeof *c->items))) {
    free(c);
    return NULL;
  }
  if (c) {
    c->number = s->chunks++;
    s->filling = c;
  }
  return c;
}

int segments_put(segments *s, const cys_article *a, const char *where,
                 const char *origin) {
  int seen = id_set_add(s->ids, a->id);
  chunk *c = seen > 0 ? filling(s) : NULL;
  if (seen == 0 && hold_for_later(s, a, where, origin) == 0)
    return 0;
  if (!c || held_article_copy(&c->items[c->n], a, where, origin) != 0) {
    fprintf(stderr, PROGRAM ": %s: out of memory\n", where);
    return -1;
  }
  if (++c->n == s->chunk_size && submit(s) < 0)
    return -1;
  return 1;
}

/* Put the articles held for later into the merged index, in order. */
static int put_later(segments *s, cys_writer *w) {
  job_counts *count = &s->j->count;
  for (size_t i = 0; i < s->nlater; i++) {
    const held_article *h = &s->later[i];
    cys_put_outcome outcome = CYS_PUT_UNCHANGED;
    if (cys_writer_put_from(w, &h->article, h->origin, &outcome) != CYS_OK) {
      fprintf(stderr, PROGRAM ": %s: %s\n", h->where, cys_writer_errmsg(w));
      return -1;
    }
    if (outcome == CYS_PUT_REPLACED)
      count->replaced++;
    else if (outcome == CYS_PUT_UNCHANGED)
      count->unchanged++;
    else
      count->added++; /* cannot be: its id is in the index */
  }
  return 0;
}

static int stop_relink(void *ctx, uint64_t examined, uint64_t changed,
                       uint64_t total) {
  (void)examined, (void)changed, (void)total;
  return job_stopping(ctx);
}

/* Sources merged at once: each open glass database holds about five
 * files, so a merge of many segments is done in groups of consecutive
 * ones, kept under the limit on open files. */
static size_t merge_fan_in(void) {
  struct rlimit r;
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max &&
      r.rlim_cur != RLIM_INFINITY) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    getrlimit(RLIMIT_NOFILE, &r);
  }
  size_t files = r.rlim_cur == RLIM_INFINITY || r.rlim_cur > 1u << 20
                     ? 1u << 20
                     : (size_t)r.rlim_cur;
  size_t n = files > 128 ? (files - 64) / 8 : 8;
  return n < 8 ? 8 : n;
}

static int merge_paths(char **paths, size_t n, const char *out) {
  char *error = NULL;
  if (cys_index_merge((const char *const *)paths, n, out, &error) != CYS_OK) {
    fprintf(stderr, PROGRAM ": --threads: cannot merge the segments into "
                    "'%s': %s\n", out, error ? error : "failed");
    free(error);
    return -1;
  }
  return 0;
}

/* paths[0..n) merged in order into out, fan_in at a time: groups of
 * consecutive ones first (into s->dir/group-NNNNNN, removed after), then
 * the groups. */
static int merge_all(segments *s, char **paths, size_t n, const char *out) {
  size_t fan_in = merge_fan_in();
  if (n <= fan_in)
    return merge_paths(paths, n, out);
  size_t ngroups = (n + fan_in - 1) / fan_in;
  char **groups = calloc(ngroups, sizeof *groups);
  int rc = groups ? 0 : -1;
  for (size_t g = 0; g < ngroups && !rc; g++) {
    size_t first = g * fan_in, count = n - first < fan_in ? n - first : fan_in;
    rc = (groups[g] = malloc(PATH_BYTES)) == NULL ||
         snprintf(groups[g], PATH_BYTES, "%s/group-%06zu", s->dir, g) >=
             PATH_BYTES;
    if (!rc)
      rc = merge_paths(paths + first, count, groups[g]);
  }
  if (!rc)
    rc = merge_all(s, groups, ngroups, out);
  for (size_t g = 0; groups && g < ngroups; g++) {
    if (groups[g])
      index_remove_dir(groups[g]);
    free(groups[g]);
  }
  free(groups);
  return rc;
}

/* The index's own database and the segments, in order, into merged;
 * then the later articles and the keys. */
static int merge(segments *s, const char *merged) {
  job *j = s->j;
  size_t n = (size_t)s->chunks + 1;
  char **paths = calloc(n, sizeof *paths);
  int rc = paths ? 0 : -1;
  if (paths)
    rc = (paths[0] = strdup(j->opt.db)) == NULL;
  for (unsigned i = 0; paths && i < s->chunks && !rc; i++)
    rc = (paths[i + 1] = malloc(PATH_BYTES)) == NULL ||
         segment_path(s, i, paths[i + 1]) != 0;
  if (rc) {
    fprintf(stderr, PROGRAM ": out of memory\n");
    rc = -1;
    goto done;
  }
  if ((rc = merge_all(s, paths, n, merged)) != 0)
    goto done;
  /* The segments are merged: their space back now; the words their
   * writers kept take the places of their paths, in the same order. */
  for (unsigned i = 0; i < s->chunks && !rc; i++) {
    index_remove_dir(paths[i + 1]);
    rc = words_path(s, i, paths[i + 1]);
  }
  cys_writer *w = cys_writer_new();
  uint64_t examined = 0, changed = 0;
  if (rc || !w || cys_writer_open(w, merged, s->language) != CYS_OK ||
      (cys_writer_join_run(w, j->writer),
       cys_writer_set_interrupt(w, j->interrupted), put_later(s, w) != 0) ||
      cys_writer_relink_kept(w, (const char *const *)paths + 1, s->chunks,
                             j->opt.commit_every, j->opt.threads,
                             stop_relink, j, &examined, &changed) != CYS_OK ||
      cys_writer_commit(w) != CYS_OK) {
    if (w && *cys_writer_errmsg(w))
      fprintf(stderr, PROGRAM ": %s\n", cys_writer_errmsg(w));
    rc = -1;
  }
  cys_writer_free(w);
  for (unsigned i = 0; i < s->chunks; i++)
    unlink(paths[i + 1]); /* the kept words: read */
  if (!rc && job_stopping(j))
    rc = -1; /* interrupted during the relink: keys are missing */
  if (!rc)
    job_note(j, "--threads: %u segments merged, %llu collapse keys set "
                "across them", s->chunks, (unsigned long long)changed);
done:
  for (size_t i = 0; paths && i < n; i++)
    free(paths[i]);
  free(paths);
  return rc;
}

static void stop_threads(segments *s) {
  pthread_mutex_lock(&s->lock);
  s->stop = 1;
  pthread_cond_broadcast(&s->work);
  pthread_mutex_unlock(&s->lock);
  for (unsigned i = 0; i < s->nthreads; i++) {
    writer_thread *t = &s->threads[i];
    if (t->started)
      pthread_join(t->thread, NULL);
    t->started = 0;
  }
}

int segments_finish(segments *s) {
  job *j = s->j;
  if (submit(s) < 0)
    return -1;
  pthread_mutex_lock(&s->lock);
  while (!s->failed && s->busy > 0)
    pthread_cond_wait(&s->room, &s->lock);
  int failed = s->failed;
  pthread_mutex_unlock(&s->lock);
  stop_threads(s);
  if (failed)
    return report(s);
  /* What the index's writer holds (metadata, --gazetteer files) goes into
   * the merged index with the index's own database. */
  if (cys_writer_commit(j->writer) != CYS_OK) {
    fprintf(stderr, PROGRAM ": commit failed: %s\n",
            cys_writer_errmsg(j->writer));
    return -1;
  }
  char merged[PATH_BYTES];
  struct stat sb;
  int n = snprintf(merged, sizeof merged, "%s/merged", s->dir);
  if (n < 0 || (size_t)n >= sizeof merged || stat(j->opt.db, &sb) != 0 ||
      mkdir(merged, sb.st_mode & 07777) != 0) {
    fprintf(stderr, PROGRAM ": --threads: cannot make '%s': %s\n", merged,
            strerror(errno));
    return -1;
  }
  if (merge(s, merged) != 0)
    return -1;
  s->run = cys_writer_run(j->writer);
  snprintf(s->run_started, sizeof s->run_started, "%s",
           cys_writer_run_started(j->writer));
  return index_replace_locked(j->opt.db, merged, "--threads", &j->writer);
}

int segments_resume_run(segments *s, cys_writer *w) {
  if (!s->run || segments_written(s) == 0)
    return 0; /* nothing written: nothing to record */
  if (cys_writer_resume_run(w, s->run, s->run_started) != CYS_OK) {
    fprintf(stderr, PROGRAM ": --threads: %s\n", cys_writer_errmsg(w));
    return -1;
  }
  return 0;
}

/* Remove the build directory: the segments' index directories, the
 * merged index (or the old index it replaced), then itself. */
static void remove_build(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[PATH_BYTES];
  while (d && (e = readdir(d)) != NULL) {
    struct stat sb;
    int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
        n < 0 || (size_t)n >= sizeof path || lstat(path, &sb) != 0)
      continue;
    if (S_ISDIR(sb.st_mode))
      index_remove_dir(path);
    else
      unlink(path);
  }
  if (d)
    closedir(d);
  if (rmdir(dir) != 0)
    fprintf(stderr, PROGRAM ": --threads: could not remove '%s': %s\n", dir,
            strerror(errno));
}

void segments_abandon(segments *s) {
  if (s && s->dir[0])
    remove_build(s->dir);
}

void segments_free(segments *s) {
  if (!s)
    return;
  stop_threads(s);
  for (chunk *c = s->head, *next; c; c = next) {
    next = c->next;
    free_chunk(c);
  }
  free_chunk(s->filling);
  for (unsigned i = 0; i < s->nthreads; i++) {
    cys_writer_worker_free(s->threads[i].analysis);
    cys_prepared_free(s->threads[i].prepared);
  }
  free(s->threads);
  for (size_t i = 0; i < s->nlater; i++)
    held_article_clear(&s->later[i]);
  free(s->later);
  id_set_free(s->ids);
  free(s->language);
  segments_abandon(s);
  pthread_cond_destroy(&s->work);
  pthread_cond_destroy(&s->room);
  pthread_mutex_destroy(&s->lock);
  free(s);
}
