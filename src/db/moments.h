/* moments.h: moments planned and lived together, each partner's note on them, and appreciations.
   Every query is scoped by the caller's couple. Texts passed to callbacks are valid only during
   the callback. Ids are made by the caller, since a sealed text is bound to its id. */
#ifndef MEND_DB_MOMENTS_H
#define MEND_DB_MOMENTS_H
#include "db.h"

typedef struct {
  int64_t id, created_by, day, created_at;
  int done;
  const char *title, *kind;
} moment_t;
int moments_add(db_t *db, int64_t couple, int64_t id, int64_t by, const char *title, const char *kind, int64_t day, int done,
                int64_t now);
/* Planned ones first (soonest first), then lived ones (newest first). */
int moments_list(db_t *db, int64_t couple, db_each cb /* const moment_t * */, void *ctx);
int moments_exists(db_t *db, int64_t couple, int64_t id);
/* done: 0 or 1, or -1 to keep it; day: -1 to keep it. */
int moments_set_done(db_t *db, int64_t couple, int64_t id, int done, int64_t day);
int moment_note_set(db_t *db, int64_t couple, int64_t moment, int64_t user, const char *note, int64_t now);
typedef struct { int64_t moment, user; const char *note; } moment_note;
int moment_notes(db_t *db, int64_t couple, db_each cb /* const moment_note * */, void *ctx);
typedef struct { int64_t id, author_id, created_at; const char *text; } appreciation_t;
int appreciations_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *text, int64_t now);
int appreciations_list(db_t *db, int64_t couple, int limit, db_each cb /* const appreciation_t * */, void *ctx);

#endif
