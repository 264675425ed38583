/* housekeeping.c (web): what has expired is removed in the background: sessions past their
   idle or whole life, log-in throttle windows long over, invites used or expired. One thread,
   with a connection of its own for each sweep, every --sweep-every seconds (default 600) and
   once at start, in batches of 500 rows so that no request waits long behind it. */
#include "housekeeping.h"
#include "loop.h"
#include "db/accounts.h"
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int running, stopping;
static db_target_t target;
static int every;

static void sweep(db_t *db) {
  long removed = 0;
  int64_t now = (int64_t)time(NULL);
  for (int round = 0; round < 10000; round++) {
    int n = 0;
    if (db_ready(db) != DB_OK || acct_sweep(db, now, SESSION_IDLE, SESSION_MAX, 500, &n) != DB_OK) return;
    removed += n;
    if (n < 500) break;
    pthread_mutex_lock(&mu);
    int stop = stopping;
    pthread_mutex_unlock(&mu);
    if (stop) break;
  }
  if (removed) fprintf(stderr, "mend: housekeeping removed %ld expired rows (sessions, throttle windows, invites)\n", removed);
}

static void *run(void *arg) {
  (void)arg;
  char err[512];
  pthread_mutex_lock(&mu);
  while (!stopping) {
    pthread_mutex_unlock(&mu);
    /* a connection a sweep, with a small page cache: the server's peak memory stays the loops' */
    db_t *db = db_open(&target, err, sizeof err);
    if (db && db_engine(db) == DB_SQLITE) db_exec(db, "PRAGMA cache_size = -128");
    if (db) sweep(db);
    db_close(db);
    pthread_mutex_lock(&mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += every;
    while (!stopping && pthread_cond_timedwait(&wake, &mu, &until) == 0) {
    }
  }
  pthread_mutex_unlock(&mu);
  return NULL;
}

void housekeeping_start(const db_target_t *t, int seconds) {
  target = *t;
  every = seconds > 0 ? seconds : 600;
  stopping = 0;
  running = pthread_create(&thread, NULL, run, NULL) == 0;
}

void housekeeping_stop(void) {
  if (!running) return;
  pthread_mutex_lock(&mu);
  stopping = 1;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&mu);
  pthread_join(thread, NULL);
  running = 0;
}
