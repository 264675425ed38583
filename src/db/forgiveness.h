/* forgiveness.h: sealed notes on readiness to forgive, and letting the past rest. Every query is
   scoped by the caller's couple. Texts passed to callbacks are valid only during the callback. Ids
   are made by the caller, since a sealed text is bound to its id. */
#ifndef MEND_DB_FORGIVENESS_H
#define MEND_DB_FORGIVENESS_H
#include "db.h"

typedef struct {
  int64_t id, author_id, created_at, shared_at;
  const char *about, *text;   /* text: only once shared */
  const void *sealed;
  size_t sealed_n;
} forgiveness_t;
/* Who may read a note ($2 the viewer): its author, and their partner once it is shared. */
#define FORGIVENESS_VISIBLE "(author_id = $2 OR shared_at IS NOT NULL)"
/* Whose wish to let it rest is told ($2 the viewer): one's own, and both once both chose it. */
#define REST_VISIBLE "(user_id = $2 OR (SELECT COUNT(*) FROM rest_choices r WHERE r.couple_id = $1) = 2)"
int forgiveness_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *about, const void *sealed, size_t sealed_n,
                    int64_t now);
/* viewer's own notes and the partner's shared ones, newest first. */
int forgiveness_list(db_t *db, int64_t couple, int64_t viewer, db_each cb /* const forgiveness_t * */, void *ctx);
/* DB_ROW after calling cb with the author's own note, DB_DONE when there is none. */
int forgiveness_get(db_t *db, int64_t couple, int64_t author, int64_t id, db_each cb /* const forgiveness_t * */,
                    void *ctx);
/* Shares the author's note: its words stored open from now on. */
int forgiveness_share(db_t *db, int64_t couple, int64_t author, int64_t id, const char *text, int64_t now);
/* A partner chooses to let the past rest; while both have, it rests. Bringing it back clears both. */
int rest_choose(db_t *db, int64_t couple, int64_t user, int64_t now);
int rest_withdraw(db_t *db, int64_t couple, int64_t user);
/* *mine: the user chose it; returns the moment both had chosen (0: not resting), or -1. */
int64_t rest_state(db_t *db, int64_t couple, int64_t user, int *mine);

#endif
