/* housekeeping.c (web): what has expired is removed in the background: sessions past their
   idle or whole life, log-in throttle windows long over, invites used or expired. One thread,
   with a connection of its own for each sweep, every --sweep-every seconds (default 600) and
   once at start, in batches of 500 rows so that no request waits long behind it. */
#include "housekeeping.h"
#include "loop.h"
#include "db/accounts.h"
#include "periodic.h"
#include <stdio.h>
#include <time.h>

static periodic_t sweeper;

static void sweep(periodic_t *p, db_t *db) {
  long removed = 0;
  int64_t now = (int64_t)time(NULL);
  for (int round = 0; round < 10000; round++) {
    int n = 0;
    if (db_ready(db) != DB_OK || acct_sweep(db, now, SESSION_IDLE, SESSION_MAX, 500, &n) != DB_OK) return;
    removed += n;
    if (n < 500 || periodic_stopping(p)) break;
  }
  if (removed) fprintf(stderr, "mend: housekeeping removed %ld expired rows (sessions, throttle windows, invites)\n", removed);
}

void housekeeping_start(const db_target_t *t, int seconds) {
  sweeper.round = sweep;
  periodic_start(&sweeper, t, seconds > 0 ? seconds : 600);
}

void housekeeping_stop(void) { periodic_stop(&sweeper); }
