/* timeouts.h: the couple's time-out rule (how long, how to come back), agreed by both, and
   the time-outs called. Scoped by couple. */
#ifndef MEND_DB_TIMEOUTS_H
#define MEND_DB_TIMEOUTS_H
#include "db.h"

typedef struct {
  int set;                 /* 0: no rule yet */
  int minutes;
  int64_t set_by, set_at, agreed_by, agreed_at; /* agreed_by 0 while the other has not agreed */
  char text[2048];
} timeout_rule;
#define TIMEOUT_TEXT_MAX 500
#define TIMEOUT_MINUTES_DEFAULT 20
int timeout_rule_get(db_t *db, int64_t couple, timeout_rule *out); /* DB_OK (set 0 when none) */
/* The rule as `by` says it: the same words as a rule the other set agree to it; others replace
   it, waiting for the other's agreement again. Runs under the couple's lock (its caller's write). */
int timeout_rule_put(db_t *db, int64_t couple, int64_t by, int minutes, const char *text, int64_t now);

typedef struct { int64_t id, called_by, called_at, ends_at; } timeout_t;
/* A time-out until ends_at, unless one is running already (a conditional write on the couple,
   so two taps at once call one): DB_OK when called, DB_DONE when one runs (*out is that one). */
int timeouts_call(db_t *db, int64_t couple, int64_t id, int64_t by, int64_t now, int64_t ends_at, timeout_t *out);
/* The newest first (cb gets a const timeout_t *). */
int timeouts_list(db_t *db, int64_t couple, int limit, db_each cb, void *ctx);

#endif
