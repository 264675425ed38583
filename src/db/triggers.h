/* triggers.h: the trigger log, private to its author unless shared; a shared one can be
   answered once by the partner ("I'm here", and a line). Every query is scoped by the
   caller's couple. Texts passed to callbacks are valid only during the callback. */
#ifndef MEND_DB_TRIGGERS_H
#define MEND_DB_TRIGGERS_H
#include "db.h"

typedef struct {
  int64_t id, author_id, created_at, replied_at;
  int strength, shared, local_minute, local_weekday;
  const char *words;            /* what, a newline, the note; empty for a private one: sealed */
  const void *sealed;
  size_t sealed_n;
  const char *reply;            /* the partner's line with "I'm here", or NULL */
} trigger_t;
/* Who may see a trigger ($2 the viewer): its author, and their partner once it is shared. The
   export keeps the same rows. */
#define TRIGGERS_VISIBLE "(author_id = $2 OR shared = 1)"
/* id: made by the caller (a sealed text is bound to it). sealed NULL for a shared one. */
int triggers_add(db_t *db, int64_t couple, int64_t id, int64_t author, int strength, const char *words, const void *sealed,
                 size_t sealed_n, int shared, int local_minute, int local_weekday, int64_t now);
/* What viewer may see, newest first; and a page of it before (before_at, before_id). */
int triggers_list(db_t *db, int64_t couple, int64_t viewer, int limit, db_each cb /* const trigger_t * */, void *ctx);
int triggers_page(db_t *db, int64_t couple, int64_t viewer, int64_t before_at, int64_t before_id, int limit,
                  db_each cb /* const trigger_t * */, void *ctx);
/* DB_ROW with the trigger (no words) when viewer may see it. */
int triggers_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, trigger_t *out);
/* The partner's answer to a shared trigger, once: DB_CONSTRAINT when it is not a shared trigger
   of the other partner's, or already answered (the condition is in the write). */
int triggers_reply(db_t *db, int64_t couple, int64_t id, int64_t by, const char *text, int64_t now);
/* What the patterns count: each trigger viewer may see of `author` from `since` on. */
typedef struct { int local_minute, local_weekday, strength; } trigger_mark;
int triggers_marks(db_t *db, int64_t couple, int64_t viewer, int64_t author, int64_t since,
                   db_each cb /* const trigger_mark * */, void *ctx);

#endif
