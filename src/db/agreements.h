/* agreements.h: agreements and their versions, signatures and retirement (each step in the
   ledger). Every query is scoped by the caller's couple; every change that matters to trust
   appends to the ledger in the same transaction. */
#ifndef MEND_DB_AGREEMENTS_H
#define MEND_DB_AGREEMENTS_H
#include "db.h"
#include "core/commitments.h"
#include "ledger.h"

typedef struct {
  int64_t id, root_id, version, proposed_by, created_at, activated_at, retire_asked_by, retired_at;
  int64_t other_signed_at; /* 0: the partner who did not propose has not signed */
  int64_t declined_by, declined_at, withdrawn_by, withdrawn_at; /* 0 when none */
  const char *decline_reason, *withdrawn_reason;                /* NULL when none */
  int64_t review_on;                                            /* the day of its review, 0: none */
  char review_proposer[8], review_other[8];                     /* this round's choices ("" not yet) */
  int status;              /* enum ag_status */
  const char *title, *text, *category;
  char catbuf[40];         /* agreements_get keeps the category here */
} agreement_t;
int agreements_list(db_t *db, int64_t couple, db_each cb /* const agreement_t * */, void *ctx);
/* With title and text copied into keep when given, else NULL. */
int agreements_get(db_t *db, int64_t couple, int64_t id, agreement_t *out, arena_t *keep);
int agreements_pending_revision(db_t *db, int64_t couple, int64_t root);
/* A proposal (root 0: a new agreement) signed by its proposer. */
int agreements_propose(db_t *db, int64_t couple, int64_t me, const char *actor_name, int64_t root, int64_t version,
               const char *title, const char *text, const char *category, int64_t now, int64_t *id);
/* The second signature: the version becomes active, an older active one superseded. */
int agreements_sign(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int64_t now);
/* Asks to retire; complete retires it. */
int agreements_retire(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int complete, int64_t now);

/* The partner asked to sign declines, with a reason: DB_CONSTRAINT when it is no proposal now. */
int agreements_decline(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, const char *reason,
                       int64_t now);
/* The one who asked to retire takes it back, with a reason: DB_CONSTRAINT when they had not. */
int agreements_withdraw_retire(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name,
                               const char *reason, int64_t now);
/* The partner asked to sign answers with other words: the proposal is superseded by a new
   version of theirs (signed by them), in one transaction. */
int agreements_counter(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, const char *text,
                       int64_t now, int64_t *id);
/* Sets the day of its review (0: none). */
int agreements_set_review(db_t *db, int64_t couple, int64_t id, int64_t day);
/* One partner's choice at the review (keep, loosen, end): DB_CONSTRAINT when they chose already
   this round. When it is the second, the round closes (*closed set): both end retires it; else
   the next review comes after the same span (at least a week) from today. Under the couple's
   lock (its caller's write). */
int agreements_review(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, const char *choice,
                      int64_t today, int64_t now, int *closed);
/* The wording of one version of an agreement (root), copied into keep: DB_ROW, DB_DONE. */
int agreements_version_text(db_t *db, int64_t couple, int64_t root, int64_t version, arena_t *keep, const char **text);

#endif
