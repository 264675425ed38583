/* talks.c (db): talk and listen. A step is added under a condition on the talk's count of
   steps, and takes its number from it: never MAX()+1, and two partners tapping at once add one
   step (the other is told it changed). */
#include "talks.h"
#include "core/secret.h"
#include <string.h>

#define T_COLS "t.id, t.topic, t.started_by, t.first_speaker, t.in_person, t.turn_minutes, t.steps, t.created_at, " \
  "COALESCE(t.closed_by, 0), COALESCE(t.closed_at, 0), s.kind, COALESCE(s.by_id, 0), COALESCE(s.at, 0)"
#define T_FROM "FROM talks t LEFT JOIN talk_steps s ON s.couple_id = t.couple_id AND s.talk_id = t.id AND s.seq = t.steps"

static enum tk_step kind_of(const char *k) {
  enum tk_step s;
  return k && tk_step_parse(k, strlen(k), &s) == 0 ? s : TK_NONE;
}

static void read_t(db_stmt_t *st, void *row) {
  talk_t *t = row;
  *t = (talk_t){.id = db_col_int(st, 0), .topic = db_col_kept(st, 1), .started_by = db_col_int(st, 2),
      .first_speaker = db_col_int(st, 3), .in_person = (int)db_col_int(st, 4), .turn_minutes = (int)db_col_int(st, 5),
      .steps = (int)db_col_int(st, 6), .created_at = db_col_int(st, 7), .closed_by = db_col_int(st, 8),
      .closed_at = db_col_int(st, 9), .last = kind_of(db_col_text(st, 10)), .last_by = db_col_int(st, 11),
      .last_at = db_col_int(st, 12)};
}

int talks_start(db_t *db, int64_t couple, int64_t by, const char *topic, int64_t first_speaker, int in_person, int minutes,
                int64_t now, int64_t *id) {
  *id = secret_id();
  return db_write(db,
      "INSERT INTO talks (couple_id, id, topic, started_by, first_speaker, in_person, turn_minutes, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      "iisiiiii", couple, *id, topic, by, first_speaker, (int64_t)(in_person != 0), (int64_t)minutes, now);
}

int talks_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  talk_t t;
  return db_rows(db, "SELECT " T_COLS " " T_FROM " WHERE t.couple_id = $1 ORDER BY t.created_at DESC, t.id", read_t, &t, cb,
                 ctx, "i", couple);
}

int talks_get(db_t *db, int64_t couple, int64_t id, talk_t *out, arena_t *keep) {
  return db_row_keep(db, "SELECT " T_COLS " " T_FROM " WHERE t.couple_id = $1 AND t.id = $2", read_t, out, keep, "ii", couple,
                     id);
}

static void read_s(db_stmt_t *st, void *row) {
  talk_step_t *s = row;
  *s = (talk_step_t){(int)db_col_int(st, 0), kind_of(db_col_text(st, 1)), db_col_int(st, 2), db_col_int(st, 3),
                     db_col_text(st, 4)};
}

int talks_steps(db_t *db, int64_t couple, int64_t talk, db_each cb, void *ctx) {
  talk_step_t s;
  return db_rows(db, "SELECT seq, kind, by_id, at, text FROM talk_steps WHERE couple_id = $1 AND talk_id = $2 ORDER BY seq",
                 read_s, &s, cb, ctx, "ii", couple, talk);
}

int talks_step(db_t *db, int64_t couple, int64_t talk, int after, enum tk_step kind, int64_t by, const char *text, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "UPDATE talks SET steps = steps + 1 WHERE couple_id = $1 AND id = $2 AND steps = $3 AND closed_at IS NULL",
                    "iii", couple, talk, (int64_t)after);
  if (rc == DB_OK && db_changes(db) != 1) rc = DB_CONSTRAINT;
  if (rc == DB_OK)
    rc = db_write(db, "INSERT INTO talk_steps (couple_id, talk_id, seq, kind, by_id, text, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  "iiisisi", couple, talk, (int64_t)after + 1, tk_step_name(kind), by, text ? text : "", now);
  return db_end(db, rc);
}

int talks_close(db_t *db, int64_t couple, int64_t talk, int64_t by, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "UPDATE talks SET closed_by = $3, closed_at = $4 WHERE couple_id = $1 AND id = $2 AND closed_at IS NULL",
                    "iiii", couple, talk, by, now);
  if (rc == DB_OK && db_changes(db) != 1) rc = DB_CONSTRAINT;
  return db_end(db, rc);
}
