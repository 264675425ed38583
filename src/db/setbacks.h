/* setbacks.h: setbacks either partner logs; they mark the charts and reset nothing. Every query is
   scoped by the caller's couple. Texts passed to callbacks are valid only during the callback. Ids
   are made by the caller, since a sealed text is bound to its id. */
#ifndef MEND_DB_SETBACKS_H
#define MEND_DB_SETBACKS_H
#include "db.h"

typedef struct { int64_t id, author_id, day, created_at; int severity; const char *what, *helped; } setback_t;
int setbacks_add(db_t *db, int64_t couple, int64_t id, int64_t author, int64_t day, const char *what, int severity,
                 const char *helped, int64_t now);
/* From day `since` on, newest first. */
int setbacks_list(db_t *db, int64_t couple, int64_t since, db_each cb /* const setback_t * */, void *ctx);

#endif
