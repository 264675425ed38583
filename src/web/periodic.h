/* periodic.h: a background thread that does one round of work at start and then every few
   seconds, with a database connection of its own for each round (so between rounds it holds
   none), and stops cleanly: what the housekeeping sweep and the reminders worker share. */
#ifndef MEND_WEB_PERIODIC_H
#define MEND_WEB_PERIODIC_H
#include <pthread.h>
#include "db/db.h"

typedef struct periodic {
  void (*round)(struct periodic *p, db_t *db); /* one round, on the thread */
  void (*done)(struct periodic *p);            /* when it stops, on the thread (may be NULL) */
  void *ctx;
  /* the machinery's own */
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t wake;
  int running, stopping, every;
  db_target_t target;
} periodic_t;

/* Starts p (its round, done and ctx set) every `seconds`: 0, or -1 when no thread could start. */
int periodic_start(periodic_t *p, const db_target_t *t, int seconds);
/* Whether a stop was asked: a long round looks between its batches. */
int periodic_stopping(periodic_t *p);
/* Stops it, waiting for a round under way. */
void periodic_stop(periodic_t *p);

#endif
