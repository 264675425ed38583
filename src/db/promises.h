/* promises.h: promises, the promiser's reports and the partner's confirmations (each in the
   ledger). Every query is scoped by the caller's couple; every change that matters to trust
   appends to the ledger in the same transaction. */
#ifndef MEND_DB_PROMISES_H
#define MEND_DB_PROMISES_H
#include "db.h"
#include "core/commitments.h"
#include "ledger.h"

typedef struct {
  int64_t id, promiser_id, created_at;
  pr_rule rule;
  const char *text;
  enum pr_state state;
  const char *end_reason;       /* the promiser's words when it was paused or ended (kept like text), or NULL */
  int64_t replaces, replaced_by; /* the version before and after it (0: none) */
} promise_t;
typedef struct {
  int64_t promise_id, day, reported_at, confirmed_at;
  int kept, confirmed; /* confirmed: -1 not yet, 0 disputed, 1 confirmed */
  const char *note, *confirm_note;
} report_t;
int promises_add(db_t *db, int64_t couple, int64_t me, const char *actor_name, const char *text, const pr_rule *r,
           int64_t now, int64_t *id);
int promises_list(db_t *db, int64_t couple, db_each cb /* const promise_t * */, void *ctx);
/* With its text copied into keep when given, else NULL. */
int promises_get(db_t *db, int64_t couple, int64_t id, promise_t *out, arena_t *keep);
/* Every report of the couple, by promise and day. */
int promises_reports(db_t *db, int64_t couple, db_each cb /* const report_t * */, void *ctx);
/* The reports of days from `since` on, and every one not yet confirmed, in no set order. */
int promises_reports_recent(db_t *db, int64_t couple, int64_t since, db_each cb /* const report_t * */, void *ctx);
/* DB_ROW with the report of that day (texts not kept), DB_DONE when none. */
int promises_report_get(db_t *db, int64_t couple, int64_t promise, int64_t day, report_t *out);
int promises_report(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int kept, const char *note,
              const char *actor_name, int64_t now);
int promises_confirm(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int confirmed,
               const char *note, int64_t me, const char *actor_name, int64_t now);

/* Pauses, ends or (how "edited", with promises_succeed in the same transaction) replaces p:
   from stop_day on it is no longer due (a promise paused already keeps its day); the reason is
   the promiser's. Conditional on p not having moved meanwhile: DB_CONSTRAINT when it had (a
   second device, the same tap twice). In the ledger. */
int promises_stop(db_t *db, int64_t couple, const promise_t *p, const char *how, int64_t stop_day, const char *reason,
                  const char *actor_name, int64_t now);
/* A new version in p's place from day start: new words and days (a change, after
   promises_stop "edited"), or the same again (a resume of a paused one). DB_CONSTRAINT when p
   has a successor already. In the ledger. */
int promises_succeed(db_t *db, int64_t couple, const promise_t *p, const char *text, const pr_rule *r, int resume,
                     const char *actor_name, int64_t now, int64_t *id);

#endif
