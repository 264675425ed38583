/* truths.h: the daily truth, one a day per partner, shared with the other. */
#ifndef MEND_DB_TRUTHS_H
#define MEND_DB_TRUTHS_H
#include "db.h"

typedef struct {
  int64_t id, author_id, day, created_at;
  const char *text;
  int64_t replied_at;           /* the partner's answer, once: 0 while none */
  int heart;
  const char *reply;            /* its line ("" with a heart alone) */
} truth_t;
/* DB_OK, or DB_CONSTRAINT when the author wrote one that day already. */
int truths_add(db_t *db, int64_t couple, int64_t author, int64_t day, const char *text, int64_t now, int64_t *id);
/* The couple's truths from day `since` on, newest first. */
int truths_list(db_t *db, int64_t couple, int64_t since, db_each cb /* const truth_t * */, void *ctx);
/* DB_ROW with the truth (no words). */
int truths_get(db_t *db, int64_t couple, int64_t id, truth_t *out);
/* The partner's answer to a truth, once: DB_CONSTRAINT when it is by `by` or answered already
   (the condition is in the write). */
int truths_reply(db_t *db, int64_t couple, int64_t id, int64_t by, int heart, const char *text, int64_t now);
/* One author's days with a truth, oldest first, from `since` (for the streak). */
int truths_days(db_t *db, int64_t couple, int64_t author, int64_t since, int64_t *days, int cap);

#endif
