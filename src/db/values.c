/* values.c (db): the couple's shared values (proposed by one, affirmed by the other) and
   their goals with steps. */
#include "values.h"

#define V_COLS "id, proposed_by, created_at, COALESCE(affirmed_at, 0), text"

static void read_value(db_stmt_t *st, void *row) {
  value_t *v = row;
  *v = (value_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_text(st, 4)};
}

static void read_goal(db_stmt_t *st, void *row) {
  goal_t *g = row;
  *g = (goal_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_text(st, 4)};
}

static void read_step(db_stmt_t *st, void *row) {
  goal_step_row *s = row;
  *s = (goal_step_row){db_col_int(st, 0), {db_col_text(st, 1), (int)db_col_int(st, 2)}};
}

int values_add(db_t *db, int64_t couple, int64_t id, int64_t by, const char *text, int64_t now) {
  return db_write(db, "INSERT INTO shared_values (couple_id, id, proposed_by, text, created_at) VALUES ($1, $2, $3, $4, $5)",
                  "iiisi", couple, id, by, text, now);
}

int values_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  value_t v;
  return db_rows(db, "SELECT " V_COLS " FROM shared_values WHERE couple_id = $1 ORDER BY created_at, id", read_value, &v, cb, ctx,
                 "i", couple);
}

int values_get(db_t *db, int64_t couple, int64_t id, value_t *out) {
  int rc = db_row(db, "SELECT " V_COLS " FROM shared_values WHERE couple_id = $1 AND id = $2", read_value, out, "ii", couple, id);
  if (rc == DB_ROW) out->text = NULL;
  return rc;
}

int values_affirm(db_t *db, int64_t couple, int64_t id, int64_t now) {
  return db_write(db, "UPDATE shared_values SET affirmed_at = $3 WHERE couple_id = $1 AND id = $2 AND affirmed_at IS NULL",
                  "iii", couple, id, now);
}

int goals_write(db_t *db, int64_t couple, int64_t id, int64_t by, const char *title, const goal_step_t *steps, int n,
                int64_t now, int is_new) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = is_new
      ? db_write(db, "INSERT INTO goals (couple_id, id, created_by, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
                 "iiisi", couple, id, by, title, now)
      : db_write(db, "UPDATE goals SET title = $3, updated_at = $4 WHERE couple_id = $1 AND id = $2", "iisi", couple, id, title, now);
  if (rc == DB_OK && !is_new) rc = db_write(db, "DELETE FROM goal_steps WHERE couple_id = $1 AND goal_id = $2", "ii", couple, id);
  for (int i = 0; i < n && rc == DB_OK; i++)
    rc = db_write(db, "INSERT INTO goal_steps (couple_id, goal_id, position, text, done) VALUES ($1, $2, $3, $4, $5)", "iiisi",
                  couple, id, (int64_t)i, steps[i].text, (int64_t)(steps[i].done != 0));
  return db_end(db, rc);
}

int goals_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  goal_t g;
  return db_rows(db, "SELECT id, created_by, created_at, updated_at, title FROM goals WHERE couple_id = $1 ORDER BY created_at, id",
                 read_goal, &g, cb, ctx, "i", couple);
}

int goals_exists(db_t *db, int64_t couple, int64_t id) {
  return (int)db_count(db, "SELECT COUNT(*) FROM goals WHERE couple_id = $1 AND id = $2", "ii", couple, id);
}

int goal_steps(db_t *db, int64_t couple, db_each cb, void *ctx) {
  goal_step_row s;
  return db_rows(db, "SELECT goal_id, text, done FROM goal_steps WHERE couple_id = $1 ORDER BY goal_id, position", read_step, &s, cb,
                 ctx, "i", couple);
}
