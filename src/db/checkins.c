/* checkins.c (db): the check-in schedule and answers. */
#include "checkins.h"
#include <stdio.h>
#include <string.h>

static void read_schedule(db_stmt_t *st, void *row) {
  checkins_schedule *out = row;
  out->set = 1;
  out->weekday = (int)db_col_int(st, 0);
  snprintf(out->time, sizeof out->time, "%s", db_col_text(st, 1));
  snprintf(out->timezone, sizeof out->timezone, "%s", db_col_text(st, 2));
  out->updated_by = db_col_int(st, 3);
  out->updated_at = db_col_int(st, 4);
}

int checkins_schedule_get(db_t *db, int64_t couple, checkins_schedule *out) {
  memset(out, 0, sizeof *out);
  int rc = db_row(db, "SELECT weekday, time, timezone, updated_by, updated_at FROM checkin_schedule WHERE couple_id = $1",
                  read_schedule, out, "i", couple);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int checkins_schedule_set(db_t *db, int64_t couple, int weekday, const char *time, const char *tz, int64_t by, int64_t now) {
  return db_write(db,
      "INSERT INTO checkin_schedule (couple_id, weekday, time, timezone, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (couple_id) DO UPDATE SET weekday = excluded.weekday, time = excluded.time, timezone = excluded.timezone, "
      "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
      "iissii", couple, (int64_t)weekday, time, tz, by, now);
}

static void read_answer(db_stmt_t *st, void *row) {
  checkins_answer *a = row;
  *a = (checkins_answer){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 3), db_col_text(st, 2)};
}

int checkins_answers_list(db_t *db, int64_t couple, int64_t since, db_each cb, void *ctx) {
  checkins_answer a;
  return db_rows(db, "SELECT week, user_id, answers, submitted_at FROM checkin_answers WHERE couple_id = $1 AND week >= $2 "
                     "ORDER BY week DESC, user_id",
                 read_answer, &a, cb, ctx, "ii", couple, since);
}

/* Once the other partner has answered too, answers are revealed and stay: the update is
   conditional, so no order of two requests changes a revealed answer (DB_CONSTRAINT). */
int checkins_answers_put(db_t *db, int64_t couple, int64_t week, int64_t user, const char *json, int64_t now) {
  int rc = db_write(db,
      "INSERT INTO checkin_answers (couple_id, week, user_id, answers, submitted_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (couple_id, week, user_id) DO UPDATE SET answers = excluded.answers, submitted_at = excluded.submitted_at "
      "WHERE NOT EXISTS (SELECT 1 FROM checkin_answers o WHERE o.couple_id = $1 AND o.week = $2 AND o.user_id <> $3)",
      "iiisi", couple, week, user, json, now);
  if (rc == DB_OK && db_changes(db) != 1) rc = DB_CONSTRAINT;
  return rc;
}
