/*
 * writer_run.c — the indexing run a writer records (writer.h, "Runs";
 * schema.h: CYS_META_RUN, CYS_META_RUN_RECORD, CYS_SLOT_ADDED_RUN,
 * CYS_SLOT_CHANGED_RUN).
 *
 * A writer takes its run number when it opens: one more than the highest
 * run any of its open databases records.  The number is spent only when
 * the run changes something: the first commit after a write records it
 * (cysearch.run and the run's record, in every open database), so a run
 * over unchanged input writes nothing, and the next run takes the number.
 * The record gains the end time when the job says it is done
 * (cys_writer_end_run); a run whose job stopped has none, and the next
 * recorded run closes it with "-".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cysearch/db.h"
#include "cysearch/schema.h"
#include "writer_internal.h"

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ", or SOURCE_DATE_EPOCH's
 * (reproducible builds: the same input gives byte-identical indexes). */
static void utc_now(char out[CYS_RUN_TIME_LEN + 1]) {
  time_t t = time(NULL);
  const char *fixed = getenv("SOURCE_DATE_EPOCH");
  char *end = NULL;
  long long epoch = fixed && *fixed ? strtoll(fixed, &end, 10) : -1;
  if (end && *end == '\0' && epoch >= 0)
    t = (time_t)epoch;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, CYS_RUN_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The last run database wdb records (0 when none), and its record. */
static cys_status last_run(cys_writer *w, cys_wdb *wdb, uint64_t *run,
                           char **record) {
  char *value = NULL;
  *run = 0;
  *record = NULL;
  cys_status st = cys_wdb_get_metadata(wdb, CYS_META_RUN, &value);
  if (st)
    return writer_db_error(w, wdb, st);
  char *end = value;
  if (*value)
    *run = strtoull(value, &end, 10);
  int bad = *end != '\0' || *run > CYS_RUN_MAX;
  free(value);
  if (bad)
    return writer_fail(w, CYS_CORRUPT,
                       "index '%s' holds a damaged run number (metadata "
                       "%s)",
                       w->paths[0], CYS_META_RUN);
  if (*run == 0)
    return CYS_OK;
  char key[CYS_RUN_KEY_MAX];
  cys_run_record_key(*run, key);
  st = cys_wdb_get_metadata(wdb, key, record);
  return st ? writer_db_error(w, wdb, st) : CYS_OK;
}

cys_status writer_run_open(cys_writer *w) {
  uint64_t highest = 0;
  char *latest = NULL; /* the record of run `highest` */
  cys_status st = CYS_OK;
  for (unsigned i = 0; i < w->nshards && !st; i++) {
    uint64_t run = 0;
    char *record = NULL;
    st = last_run(w, w->shard[i], &run, &record);
    if (!st && run > highest) {
      highest = run;
      free(latest);
      latest = record;
      record = NULL;
    }
    free(record);
  }
  if (st) {
    free(latest);
    return st;
  }
  w->run = highest + 1;
  w->run_before = highest;
  w->run_before_open = highest > 0 && latest &&
                       strlen(latest) == CYS_RUN_TIME_LEN;
  utc_now(w->run_started);
  /* Start times never go back, whatever the clock did. */
  if (latest && strlen(latest) >= CYS_RUN_TIME_LEN &&
      memcmp(latest, w->run_started, CYS_RUN_TIME_LEN) > 0) {
    memcpy(w->run_started, latest, CYS_RUN_TIME_LEN);
    w->run_started[CYS_RUN_TIME_LEN] = '\0';
  }
  if (latest && strlen(latest) >= CYS_RUN_TIME_LEN) {
    memcpy(w->run_before_started, latest, CYS_RUN_TIME_LEN);
    w->run_before_started[CYS_RUN_TIME_LEN] = '\0';
  }
  free(latest);
  return CYS_OK;
}

cys_status writer_run_values(cys_writer *w, cys_wdb *wdb, cys_docid existing,
                             cys_doc *doc) {
  char added[CYS_RUN_DIGITS + 1], changed[CYS_RUN_DIGITS + 1];
  cys_run_slot_value(w->run, changed);
  memcpy(added, changed, sizeof added);
  if (existing) {
    char *old = NULL;
    size_t old_len = 0;
    cys_status st =
        cys_wdb_get_value(wdb, existing, CYS_SLOT_ADDED_RUN, &old, &old_len);
    if (st)
      return writer_db_error(w, wdb, st);
    /* Written before runs were recorded: run 0. */
    if (old_len == CYS_RUN_DIGITS)
      memcpy(added, old, CYS_RUN_DIGITS);
    else
      cys_run_slot_value(0, added);
    free(old);
  }
  cys_status st;
  if ((st = cys_doc_set_value(doc, CYS_SLOT_ADDED_RUN, added,
                              CYS_RUN_DIGITS)) ||
      (st = cys_doc_set_value(doc, CYS_SLOT_CHANGED_RUN, changed,
                              CYS_RUN_DIGITS)))
    return st;
  return CYS_OK;
}

cys_status writer_run_record(cys_writer *w) {
  if (!w->run_changed || w->read_only || w->run_part)
    return CYS_OK;
  char number[32], key[CYS_RUN_KEY_MAX];
  char record[2 * CYS_RUN_TIME_LEN + 2];
  snprintf(number, sizeof number, "%" PRIu64, w->run);
  cys_run_record_key(w->run, key);
  if (w->run_ended) {
    char end[CYS_RUN_TIME_LEN + 1];
    utc_now(end);
    if (memcmp(end, w->run_started, CYS_RUN_TIME_LEN) < 0)
      memcpy(end, w->run_started, sizeof end);
    snprintf(record, sizeof record, "%s %s", w->run_started, end);
  } else {
    snprintf(record, sizeof record, "%s", w->run_started);
  }
  /* The run before, if its job stopped: closed, without an end time. */
  char before_key[CYS_RUN_KEY_MAX], before[CYS_RUN_TIME_LEN + 3];
  cys_run_record_key(w->run_before, before_key);
  snprintf(before, sizeof before, "%s -", w->run_before_started);
  cys_status st = CYS_OK;
  for (unsigned i = 0; i < w->nshards && !st; i++) {
    cys_wdb *wdb = w->shard[i];
    if ((st = cys_wdb_set_metadata(wdb, CYS_META_RUN, number)) ||
        (st = cys_wdb_set_metadata(wdb, key, record)) ||
        (w->run_before_open &&
         (st = cys_wdb_set_metadata(wdb, before_key, before))))
      writer_db_error(w, wdb, st);
  }
  if (!st)
    w->run_recorded = 1;
  return st;
}

uint64_t cys_writer_run(const cys_writer *w) { return w->run; }

void cys_writer_join_run(cys_writer *part, const cys_writer *whole) {
  part->run = whole->run;
  memcpy(part->run_started, whole->run_started, sizeof part->run_started);
  part->run_part = 1;
}

cys_status cys_writer_resume_run(cys_writer *w, uint64_t run,
                                 const char *started) {
  if (w->run != run || strlen(started) != CYS_RUN_TIME_LEN)
    return writer_fail(w, CYS_INVALID,
                       "index '%s' cannot carry on run %" PRIu64
                       ": its next run is %" PRIu64,
                       w->paths[0], run, w->run);
  memcpy(w->run_started, started, CYS_RUN_TIME_LEN + 1);
  w->run_changed = 1;
  return CYS_OK;
}

int cys_writer_run_recorded(const cys_writer *w) {
  return w->run_recorded;
}

const char *cys_writer_run_started(const cys_writer *w) {
  return w->run_started;
}

