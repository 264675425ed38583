/* values.c (db): the couple's shared values (proposed by one, affirmed by the other) and
   their goals with steps. */
#include "grow.h"

int values_add(db_t *db, int64_t couple, int64_t id, int64_t by, const char *text, int64_t now) {
  return db_do(db, "INSERT INTO shared_values (couple_id, id, proposed_by, text, created_at) VALUES ($1, $2, $3, $4, $5)",
               "iiisi", couple, id, by, text, now);
}

static void read_value(db_stmt_t *st, value_t *v) {
  v->id = db_col_int(st, 0);
  v->proposed_by = db_col_int(st, 1);
  v->created_at = db_col_int(st, 2);
  v->affirmed_at = db_col_int(st, 3);
  v->text = db_col_text(st, 4);
}

int values_list(db_t *db, int64_t couple, void (*cb)(void *, const value_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, proposed_by, created_at, COALESCE(affirmed_at, 0), text FROM shared_values WHERE couple_id = $1 "
      "ORDER BY created_at, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    value_t v;
    read_value(st, &v);
    cb(ctx, &v);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int values_get(db_t *db, int64_t couple, int64_t id, value_t *out) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, proposed_by, created_at, COALESCE(affirmed_at, 0), text FROM shared_values WHERE couple_id = $1 AND id = $2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  int rc = db_step(st);
  if (rc == DB_ROW) { read_value(st, out); out->text = NULL; }
  db_reset(st);
  return rc;
}

int values_affirm(db_t *db, int64_t couple, int64_t id, int64_t now) {
  return db_do(db, "UPDATE shared_values SET affirmed_at = $3 WHERE couple_id = $1 AND id = $2 AND affirmed_at IS NULL",
               "iii", couple, id, now);
}

int goals_write(db_t *db, int64_t couple, int64_t id, int64_t by, const char *title, const goal_step_t *steps, int n,
                int64_t now, int is_new) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = is_new
      ? db_do(db, "INSERT INTO goals (couple_id, id, created_by, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
              "iiisi", couple, id, by, title, now)
      : db_do(db, "UPDATE goals SET title = $3, updated_at = $4 WHERE couple_id = $1 AND id = $2", "iisi", couple, id, title, now);
  if (rc == DB_DONE && !is_new) rc = db_do(db, "DELETE FROM goal_steps WHERE couple_id = $1 AND goal_id = $2", "ii", couple, id);
  for (int i = 0; i < n && rc == DB_DONE; i++)
    rc = db_do(db, "INSERT INTO goal_steps (couple_id, goal_id, position, text, done) VALUES ($1, $2, $3, $4, $5)", "iiisi",
               couple, id, (int64_t)i, steps[i].text, (int64_t)(steps[i].done != 0));
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int goals_list(db_t *db, int64_t couple, void (*cb)(void *, const goal_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, created_by, created_at, updated_at, title FROM goals WHERE couple_id = $1 ORDER BY created_at, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    goal_t g = {db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_text(st, 4)};
    cb(ctx, &g);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int goals_exists(db_t *db, int64_t couple, int64_t id) {
  return (int)db_count(db, "SELECT COUNT(*) FROM goals WHERE couple_id = $1 AND id = $2", "ii", couple, id);
}

int goal_steps(db_t *db, int64_t couple, void (*cb)(void *, int64_t, const goal_step_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db, "SELECT goal_id, text, done FROM goal_steps WHERE couple_id = $1 ORDER BY goal_id, position");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    goal_step_t s = {db_col_text(st, 1), (int)db_col_int(st, 2)};
    cb(ctx, db_col_int(st, 0), &s);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}
