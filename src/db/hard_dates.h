/* hard_dates.h: the days that are hard to live through (a discovery day, an anniversary, a
   place or event), which both partners see. Scoped by couple. */
#ifndef MEND_DB_HARD_DATES_H
#define MEND_DB_HARD_DATES_H
#include "db.h"

typedef struct {
  int64_t id, added_by, day, created_at;
  int yearly, remind_days;
  const char *title;
} hard_date_t;
#define HARD_DATE_REMIND_MAX 30

/* Whether a partner (their path word, their id) is reminded of h: the one who broke trust, or
   says both did; while neither path is said, the partner who did not add it. db/inbox.c asks
   the same in SQL. */
int hard_date_reminds(const char *path, int64_t user, const hard_date_t *h);
int hard_dates_add(db_t *db, int64_t couple, const hard_date_t *h);
/* Every hard date of the couple, by its month and day (cb gets a const hard_date_t *). */
int hard_dates_list(db_t *db, int64_t couple, db_each cb, void *ctx);
int hard_dates_get(db_t *db, int64_t couple, int64_t id, hard_date_t *out); /* DB_ROW; no title */
/* DB_OK when it was there and is gone, DB_DONE when there was none. */
int hard_dates_delete(db_t *db, int64_t couple, int64_t id);

#endif
