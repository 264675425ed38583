/* commitments.h: queries for agreements, promises and their reports, and the ledger. Every
   change that matters to trust appends to the couple's ledger in the same transaction. */
#ifndef MEND_DB_COMMITMENTS_H
#define MEND_DB_COMMITMENTS_H
#include "db.h"
#include "core/commitments.h"

/* ---- agreements (db/agreements.c) ---- */
typedef struct {
  int64_t id, root_id, version, proposed_by, created_at, activated_at, retire_asked_by, retired_at;
  int64_t other_signed_at; /* 0: the partner who did not propose has not signed */
  int status;              /* enum ag_status */
  const char *title, *text, *category;
  char catbuf[40];         /* ag_get keeps the category here */
} agreement_t;
int ag_list(db_t *db, int64_t couple, void (*cb)(void *, const agreement_t *), void *ctx);
/* With copies of title and text (malloc, caller frees) when asked. */
int ag_get(db_t *db, int64_t couple, int64_t id, agreement_t *out, char **title, char **text);
int ag_has_pending_revision(db_t *db, int64_t couple, int64_t root);
/* A proposal (root 0: a new agreement) signed by its proposer. */
int ag_propose(db_t *db, int64_t couple, int64_t me, const char *actor_name, int64_t root, int64_t version,
               const char *title, const char *text, const char *category, int64_t now, int64_t *id);
/* The second signature: the version becomes active, an older active one superseded. */
int ag_sign(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int64_t now);
/* Asks to retire; complete retires it. */
int ag_retire(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int complete, int64_t now);

/* ---- promises (db/promises.c) ---- */
typedef struct {
  int64_t id, promiser_id, created_at;
  pr_rule rule;
  const char *text;
} promise_t;
typedef struct {
  int64_t promise_id, day, reported_at, confirmed_at;
  int kept, confirmed; /* confirmed: -1 not yet, 0 disputed, 1 confirmed */
  const char *note, *confirm_note;
} report_t;
int pr_add(db_t *db, int64_t couple, int64_t me, const char *actor_name, const char *text, const pr_rule *r,
           int64_t now, int64_t *id);
int pr_list(db_t *db, int64_t couple, void (*cb)(void *, const promise_t *), void *ctx);
int pr_get(db_t *db, int64_t couple, int64_t id, promise_t *out, char **text);
/* Every report of the couple, by promise and day. */
int pr_reports(db_t *db, int64_t couple, void (*cb)(void *, const report_t *), void *ctx);
/* The reports of days from `since` on, and every one not yet confirmed, in no set order. */
int pr_reports_recent(db_t *db, int64_t couple, int64_t since, void (*cb)(void *, const report_t *), void *ctx);
/* DB_ROW with the report of that day (texts not kept), DB_DONE when none. */
int pr_report_get(db_t *db, int64_t couple, int64_t promise, int64_t day, report_t *out);
int pr_report(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int kept, const char *note,
              const char *actor_name, int64_t now);
int pr_confirm(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int confirmed,
               const char *note, int64_t me, const char *actor_name, int64_t now);

/* ---- the ledger (db/ledger.c) ---- */
/* Appends inside the caller's transaction. */
int ledger_append(db_t *db, int64_t couple, int64_t actor, const char *kind, int64_t subject, const char *summary, int64_t now);
typedef struct { int64_t seq, at, actor_id, subject_id; const char *kind, *summary; const unsigned char *prev, *hash; } ledger_row;
int ledger_list(db_t *db, int64_t couple, void (*cb)(void *, const ledger_row *), void *ctx);
/* Walks one couple's chain (couple 0: every couple). Returns 0 when intact, 1 when broken
   (problem describes the first broken entry), -1 on a database error. */
/* The newest entry's number and hash: DB_ROW, or DB_DONE when the ledger is empty. */
int ledger_head(db_t *db, int64_t couple, int64_t *seq, unsigned char hash[LEDGER_HASH]);
int ledger_verify(db_t *db, int64_t couple, char *problem, size_t cap, long *entries);

#endif
