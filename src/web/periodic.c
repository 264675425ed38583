/* periodic.c: see periodic.h. */
#include "periodic.h"
#include <stdio.h>
#include <time.h>

static void *run(void *arg) {
  periodic_t *p = arg;
  char err[512];
  pthread_mutex_lock(&p->mu);
  while (!p->stopping) {
    pthread_mutex_unlock(&p->mu);
    /* a connection a round, with a small page cache: the server's peak memory stays the loops' */
    db_t *db = db_open(&p->target, err, sizeof err);
    if (db && db_engine(db) == DB_SQLITE) db_exec(db, "PRAGMA cache_size = -128");
    if (db) p->round(p, db);
    db_close(db);
    pthread_mutex_lock(&p->mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += p->every;
    while (!p->stopping && pthread_cond_timedwait(&p->wake, &p->mu, &until) == 0) {
    }
  }
  pthread_mutex_unlock(&p->mu);
  if (p->done) p->done(p);
  return NULL;
}

int periodic_start(periodic_t *p, const db_target_t *t, int seconds) {
  p->target = *t;
  p->every = seconds;
  p->stopping = 0;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->wake, NULL);
  p->running = pthread_create(&p->thread, NULL, run, p) == 0;
  return p->running ? 0 : -1;
}

int periodic_stopping(periodic_t *p) {
  pthread_mutex_lock(&p->mu);
  int stop = p->stopping;
  pthread_mutex_unlock(&p->mu);
  return stop;
}

void periodic_stop(periodic_t *p) {
  if (!p->running) return;
  pthread_mutex_lock(&p->mu);
  p->stopping = 1;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  p->running = 0;
}
