/* checkins.h: the couple's check-in schedule and each partner's weekly answers. */
#ifndef MEND_DB_CHECKINS_H
#define MEND_DB_CHECKINS_H
#include "db.h"

typedef struct { int set, weekday; char time[6], timezone[64]; int64_t updated_by, updated_at; } checkins_schedule;
int checkins_schedule_get(db_t *db, int64_t couple, checkins_schedule *out);
int checkins_schedule_set(db_t *db, int64_t couple, int weekday, const char *time, const char *tz, int64_t by, int64_t now);

typedef struct { int64_t week, user_id, submitted_at; const char *answers; } checkins_answer;
/* Who may read a week's answers ($2 the viewer): their author, and the partner once both answered. */
#define CHECKIN_ANSWERS_VISIBLE \
  "(user_id = $2 OR (SELECT COUNT(*) FROM checkin_answers o WHERE o.couple_id = $1 AND o.week = checkin_answers.week) = 2)"
/* Every answer of the couple from week `since` on, newest week first. */
int checkins_answers_list(db_t *db, int64_t couple, int64_t since, db_each cb /* const checkins_answer * */, void *ctx);
/* Writes (or rewrites) one partner's answers for a week. */
int checkins_answers_put(db_t *db, int64_t couple, int64_t week, int64_t user, const char *json, int64_t now);

#endif
