/* closeness.h: each partner's private choice per closeness step, and the steps both chose. Every
   query is scoped by the caller's couple. Texts passed to callbacks are valid only during the
   callback. Ids are made by the caller, since a sealed text is bound to its id. */
#ifndef MEND_DB_CLOSENESS_H
#define MEND_DB_CLOSENESS_H
#include "db.h"

/* Who may read a choice ($2 the viewer): its own partner only; the other learns only matches. */
#define CLOSENESS_VISIBLE "(user_id = $2)"

/* updated_at is when the choice became what it is: saving the same choice again keeps it. */
int closeness_set(db_t *db, int64_t couple, int64_t user, const char *step, const char *choice, int64_t now);
/* The user's own choices. */
typedef struct { const char *step, *choice; } closeness_choice;
int closeness_mine(db_t *db, int64_t couple, int64_t user, db_each cb /* const closeness_choice * */, void *ctx);
/* The steps both partners marked ready before `ready_before` (the start of today): nothing else
   about the other's choices leaves here, and a "ready" marked today is not yet one of them, so
   marking everything ready and taking it back at once tells nothing. */
int closeness_matches(db_t *db, int64_t couple, int64_t ready_before, db_each cb /* const closeness_choice * */, void *ctx);

#endif
