/* program.c (db): which phase a couple is in, and who is ready to move on. */
#include "atone.h"
#include <string.h>

int program_set_ready(db_t *db, int64_t couple, int phase, int64_t me, int64_t now, int *moved) {
  *moved = 0;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *up = db_prepare(db,
      "INSERT INTO program_ready (couple_id, user_id, phase, at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (couple_id, user_id) DO UPDATE SET phase = excluded.phase, at = excluded.at");
  db_stmt_t *count = db_prepare(db, "SELECT COUNT(*) FROM program_ready WHERE couple_id = $1 AND phase = $2");
  db_stmt_t *next = db_prepare(db, "INSERT INTO program_phases (couple_id, phase, started_at) VALUES ($1, $2, $3)");
  db_stmt_t *clear = db_prepare(db, "DELETE FROM program_ready WHERE couple_id = $1");
  if (!up || !count || !next || !clear) { db_rollback(db); return DB_ERROR; }
  db_bind_int(up, 1, couple);
  db_bind_int(up, 2, me);
  db_bind_int(up, 3, phase);
  db_bind_int(up, 4, now);
  int rc = db_step(up);
  db_reset(up);
  if (rc == DB_DONE) {
    db_bind_int(count, 1, couple);
    db_bind_int(count, 2, phase);
    int both = db_step(count) == DB_ROW && db_col_int(count, 0) >= 2;
    db_reset(count);
    if (both) {
      db_bind_int(next, 1, couple);
      db_bind_int(next, 2, phase + 1);
      db_bind_int(next, 3, now);
      rc = db_step(next);
      db_reset(next);
      if (rc == DB_DONE) {
        db_bind_int(clear, 1, couple);
        rc = db_step(clear);
        db_reset(clear);
      }
      *moved = rc == DB_DONE;
    }
  }
  if (rc != DB_DONE) { db_rollback(db); *moved = 0; return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int program_unset_ready(db_t *db, int64_t couple, int64_t me) {
  return db_do(db, "DELETE FROM program_ready WHERE couple_id = $1 AND user_id = $2", "ii", couple, me);
}

int program_waiting(db_t *db, int64_t couple, int64_t me, int64_t today, int weekday, waiting_counts *out) {
  db_stmt_t *st = db_prepare(db,
      "SELECT "
      "(SELECT COUNT(*) FROM questions WHERE couple_id = $1 AND waiting = 1 AND asker_id <> $2), "
      "(SELECT COUNT(*) FROM apologies WHERE couple_id = $1 AND author_id <> $2 AND delivered_at IS NOT NULL AND responded_at IS NULL), "
      "(SELECT COUNT(*) FROM feelings WHERE couple_id = $1 AND author_id <> $2 AND shared = 1 AND heard_at IS NULL), "
      "(SELECT COUNT(*) FROM promise_reports r JOIN promises p ON p.couple_id = r.couple_id AND p.id = r.promise_id "
      "  WHERE r.couple_id = $1 AND r.confirmed IS NULL AND p.promiser_id <> $2), "
      "(SELECT COUNT(*) FROM promises p WHERE p.couple_id = $1 AND p.promiser_id = $2 AND p.start_day <= $3 AND "
      "  (p.every = 'day' OR (p.every = 'once' AND p.due_day = $3) OR (p.every = 'week' AND (p.weekdays / $4) % 2 = 1)) "
      "  AND NOT EXISTS (SELECT 1 FROM promise_reports r WHERE r.couple_id = p.couple_id AND r.promise_id = p.id AND r.day = $3))");
  memset(out, 0, sizeof *out);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, me);
  db_bind_int(st, 3, today);
  db_bind_int(st, 4, 1 << weekday); /* integer division and modulo test the weekday's bit on both engines */
  int rc = db_step(st);
  if (rc == DB_ROW) {
    out->questions = (int)db_col_int(st, 0);
    out->apologies = (int)db_col_int(st, 1);
    out->feelings = (int)db_col_int(st, 2);
    out->reports_to_confirm = (int)db_col_int(st, 3);
    out->promises_to_report = (int)db_col_int(st, 4);
    rc = DB_OK;
  }
  db_reset(st);
  return rc;
}

int program_state_get(db_t *db, int64_t couple, int64_t me, int *phase, int64_t *started_at, int *mine, int *partners) {
  db_stmt_t *st = db_prepare(db,
      "SELECT COALESCE((SELECT MAX(phase) FROM program_phases WHERE couple_id = $1), 1), "
      "COALESCE((SELECT started_at FROM program_phases WHERE couple_id = $1 ORDER BY phase DESC LIMIT 1), "
      "(SELECT created_at FROM couples WHERE id = $1)), "
      "(SELECT COUNT(*) FROM program_ready r WHERE r.couple_id = $1 AND r.user_id = $2 AND r.phase = "
      "  COALESCE((SELECT MAX(phase) FROM program_phases WHERE couple_id = $1), 1)), "
      "(SELECT COUNT(*) FROM program_ready r WHERE r.couple_id = $1 AND r.user_id <> $2 AND r.phase = "
      "  COALESCE((SELECT MAX(phase) FROM program_phases WHERE couple_id = $1), 1))");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, me);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *phase = (int)db_col_int(st, 0);
    *started_at = db_col_int(st, 1);
    *mine = db_col_int(st, 2) > 0;
    *partners = db_col_int(st, 3) > 0;
    rc = DB_OK;
  }
  db_reset(st);
  return rc;
}

int program_phases_list(db_t *db, int64_t couple, void (*cb)(void *, int phase, int64_t started_at), void *ctx) {
  db_stmt_t *st = db_prepare(db, "SELECT phase, started_at FROM program_phases WHERE couple_id = $1 ORDER BY phase");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) cb(ctx, (int)db_col_int(st, 0), db_col_int(st, 1));
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}
