/* pipeline.c — see pipeline.h.
 *
 * A ring of `depth` slots, numbered by sequence: [taken, queued) are in
 * the pipeline, [claimed, queued) wait for a worker.  One mutex guards the
 * counters and slot states; a worker analyses its slot outside the lock
 * with its own cys_writer_worker, so workers share nothing else. */
#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "held_article.h"

enum slot_state { SLOT_QUEUED, SLOT_WORKING, SLOT_DONE };

typedef struct slot {
  held_article held;
  cys_prepared *prepared;
  enum slot_state state;
} slot;

typedef struct worker {
  pipeline *p;
  cys_writer_worker *analysis;
  pthread_t thread;
  int started;
} worker;

struct pipeline {
  pthread_mutex_t lock;
  pthread_cond_t work;  /* a slot was queued, or stop */
  pthread_cond_t done;  /* a slot was analysed */
  slot *slots;
  unsigned depth;
  unsigned long taken, claimed, queued; /* sequence numbers */
  int stop;
  worker *workers;
  unsigned nworkers;
};

static void *work(void *arg) {
  worker *w = arg;
  pipeline *p = w->p;
  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (!p->stop && p->claimed == p->queued)
      pthread_cond_wait(&p->work, &p->lock);
    if (p->stop)
      break;
    slot *s = &p->slots[p->claimed++ % p->depth];
    s->state = SLOT_WORKING;
    pthread_mutex_unlock(&p->lock);
    cys_writer_prepare(w->analysis, &s->held.article, s->prepared);
    pthread_mutex_lock(&p->lock);
    s->state = SLOT_DONE;
    pthread_cond_broadcast(&p->done);
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

pipeline *pipeline_new(cys_writer *writer, unsigned threads,
                       unsigned depth) {
  pipeline *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_cond_init(&p->done, NULL);
  p->depth = depth < threads ? threads : depth;
  p->slots = calloc(p->depth, sizeof *p->slots);
  p->workers = calloc(threads, sizeof *p->workers);
  if (!p->slots || !p->workers)
    goto fail;
  for (unsigned i = 0; i < p->depth; i++)
    if (!(p->slots[i].prepared = cys_prepared_new()))
      goto fail;
  for (unsigned i = 0; i < threads; i++) {
    worker *w = &p->workers[i];
    w->p = p;
    if (!(w->analysis = cys_writer_worker_new(writer)))
      goto fail;
    p->nworkers++;
    if (pthread_create(&w->thread, NULL, work, w) != 0)
      goto fail;
    w->started = 1;
  }
  return p;
fail:
  pipeline_free(p);
  return NULL;
}

void pipeline_free(pipeline *p) {
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->lock);
  for (unsigned i = 0; i < p->nworkers; i++) {
    if (p->workers[i].started)
      pthread_join(p->workers[i].thread, NULL);
    cys_writer_worker_free(p->workers[i].analysis);
  }
  for (unsigned i = 0; p->slots && i < p->depth; i++) {
    held_article_clear(&p->slots[i].held);
    cys_prepared_free(p->slots[i].prepared);
  }
  free(p->slots);
  free(p->workers);
  pthread_cond_destroy(&p->work);
  pthread_cond_destroy(&p->done);
  pthread_mutex_destroy(&p->lock);
  free(p);
}

/* Only the calling thread changes queued and taken. */
int pipeline_full(const pipeline *p) {
  return p->queued - p->taken == p->depth;
}

unsigned pipeline_pending(const pipeline *p) {
  return (unsigned)(p->queued - p->taken);
}

int pipeline_put(pipeline *p, const cys_article *a, const char *where,
                 const char *origin) {
  if (pipeline_full(p))
    return -1;
  slot *s = &p->slots[p->queued % p->depth];
  if (held_article_copy(&s->held, a, where, origin) != 0)
    return -1;
  pthread_mutex_lock(&p->lock);
  s->state = SLOT_QUEUED;
  p->queued++;
  pthread_cond_signal(&p->work);
  pthread_mutex_unlock(&p->lock);
  return 0;
}

int pipeline_next(pipeline *p, int wait, const cys_article **article,
                  const char **where, const char **origin,
                  cys_prepared **prepared) {
  if (p->taken == p->queued)
    return 0;
  slot *s = &p->slots[p->taken % p->depth];
  pthread_mutex_lock(&p->lock);
  while (wait && s->state != SLOT_DONE)
    pthread_cond_wait(&p->done, &p->lock);
  int ready = s->state == SLOT_DONE;
  pthread_mutex_unlock(&p->lock);
  if (!ready)
    return 0;
  *article = &s->held.article;
  *where = s->held.where ? s->held.where : "";
  *origin = s->held.origin;
  *prepared = s->prepared;
  return 1;
}

void pipeline_done(pipeline *p) {
  slot *s = &p->slots[p->taken % p->depth];
  held_article_clear(&s->held);
  pthread_mutex_lock(&p->lock);
  s->state = SLOT_QUEUED; /* free again; reused once queued */
  p->taken++;
  pthread_mutex_unlock(&p->lock);
}
