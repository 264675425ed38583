/* breach.h: each partner's account of what broke trust, and its acknowledgement. Every query is
   scoped by the caller's couple. Texts passed to callbacks are valid only during the callback:
   callbacks copy what they keep. */
#ifndef MEND_DB_BREACH_H
#define MEND_DB_BREACH_H
#include "db.h"

typedef struct {
  int64_t user_id, updated_at, acknowledged_at; /* acknowledged_at 0: not yet */
  const char *text, *root_cause, *category, *broke_trust;
} breach_account_t;
/* Who may read an account ($2 the viewer): its author, and the partner once both are written. */
#define BREACH_VISIBLE "(user_id = $2 OR (SELECT COUNT(*) FROM breach_accounts b WHERE b.couple_id = $1) = 2)"
/* Calls cb for each partner's account (0..2). */
int breach_accounts(db_t *db, int64_t couple, db_each cb /* const breach_account_t * */, void *ctx);
/* Writes the caller's account and clears every acknowledgement (they read other words). */
int breach_write(db_t *db, int64_t couple, int64_t user, const char *text, const char *root, const char *category,
                 const char *broke, int64_t now);
int breach_acknowledge(db_t *db, int64_t couple, int64_t user, int64_t now);

#endif
