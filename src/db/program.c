/* program.c (db): which phase a couple is in, and who is ready to move on. */
#include "program.h"
#include "core/plan.h"
#include <string.h>

int program_set_ready(db_t *db, int64_t couple, int phase, int64_t me, int64_t now, int *moved) {
  *moved = 0;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db,
      "INSERT INTO program_ready (couple_id, user_id, phase, at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (couple_id, user_id) DO UPDATE SET phase = excluded.phase, at = excluded.at",
      "iiii", couple, me, (int64_t)phase, now);
  int64_t ready = rc == DB_OK ? db_count(db, "SELECT COUNT(*) FROM program_ready WHERE couple_id = $1 AND phase = $2", "ii",
                                         couple, (int64_t)phase) : 0;
  if (ready < 0) rc = DB_ERROR;
  if (rc == DB_OK && ready >= 2) {
    rc = db_write(db, "INSERT INTO program_phases (couple_id, phase, started_at) VALUES ($1, $2, $3)", "iii", couple,
                  (int64_t)phase + 1, now);
    if (rc == DB_OK) rc = db_write(db, "DELETE FROM program_ready WHERE couple_id = $1", "i", couple);
    *moved = rc == DB_OK;
  }
  rc = db_end(db, rc);
  if (rc != DB_OK) *moved = 0;
  return rc;
}

int program_unset_ready(db_t *db, int64_t couple, int64_t me) {
  return db_write(db, "DELETE FROM program_ready WHERE couple_id = $1 AND user_id = $2", "ii", couple, me);
}

static void read_waiting(db_stmt_t *st, void *row) {
  waiting_counts *out = row;
  out->questions = (int)db_col_int(st, 0);
  out->apologies = (int)db_col_int(st, 1);
  out->feelings = (int)db_col_int(st, 2);
  out->reports_to_confirm = (int)db_col_int(st, 3);
  out->promises_to_report = (int)db_col_int(st, 4);
}

int program_waiting(db_t *db, int64_t couple, int64_t me, int64_t today, int weekday, waiting_counts *out) {
  memset(out, 0, sizeof *out);
  /* integer division and modulo test the weekday's bit on both engines */
  int rc = db_row(db,
      "SELECT "
      "(SELECT COUNT(*) FROM questions WHERE couple_id = $1 AND waiting = 1 AND asker_id <> $2), "
      "(SELECT COUNT(*) FROM apologies WHERE couple_id = $1 AND author_id <> $2 AND delivered_at IS NOT NULL AND responded_at IS NULL), "
      "(SELECT COUNT(*) FROM feelings WHERE couple_id = $1 AND author_id <> $2 AND shared = 1 AND heard_at IS NULL), "
      "(SELECT COUNT(*) FROM promise_reports r JOIN promises p ON p.couple_id = r.couple_id AND p.id = r.promise_id "
      "  WHERE r.couple_id = $1 AND r.confirmed IS NULL AND p.promiser_id <> $2), "
      "(SELECT COUNT(*) FROM promises p WHERE p.couple_id = $1 AND p.promiser_id = $2 AND p.start_day <= $3 AND "
      "  (p.end_day IS NULL OR p.end_day > $3) AND (p.every = 'day' OR (p.every = 'once' AND p.due_day = $3) OR (p.every = 'week' AND (p.weekdays / $4) % 2 = 1)) "
      "  AND NOT EXISTS (SELECT 1 FROM promise_reports r WHERE r.couple_id = p.couple_id AND r.promise_id = p.id AND r.day = $3))",
      read_waiting, out, "iiii", couple, me, today, (int64_t)1 << weekday);
  return rc == DB_ROW ? DB_OK : rc;
}

typedef struct { int phase, mine, partners; int64_t started_at; } state_row;
static void read_state(db_stmt_t *st, void *row) {
  state_row *r = row;
  *r = (state_row){(int)db_col_int(st, 0), db_col_int(st, 2) > 0, db_col_int(st, 3) > 0, db_col_int(st, 1)};
}

int program_state_get(db_t *db, int64_t couple, int64_t me, int *phase, int64_t *started_at, int *mine, int *partners) {
  state_row r;
  int rc = db_row(db,
      "SELECT COALESCE((SELECT MAX(phase) FROM program_phases WHERE couple_id = $1), 1), "
      "COALESCE((SELECT started_at FROM program_phases WHERE couple_id = $1 ORDER BY phase DESC LIMIT 1), "
      "(SELECT created_at FROM couples WHERE id = $1)), "
      "(SELECT COUNT(*) FROM program_ready r WHERE r.couple_id = $1 AND r.user_id = $2 AND r.phase = "
      "  COALESCE((SELECT MAX(phase) FROM program_phases WHERE couple_id = $1), 1)), "
      "(SELECT COUNT(*) FROM program_ready r WHERE r.couple_id = $1 AND r.user_id <> $2 AND r.phase = "
      "  COALESCE((SELECT MAX(phase) FROM program_phases WHERE couple_id = $1), 1))",
      read_state, &r, "ii", couple, me);
  if (rc != DB_ROW) return rc;
  *phase = r.phase;
  *started_at = r.started_at;
  *mine = r.mine;
  *partners = r.partners;
  return DB_OK;
}

static void read_phase(db_stmt_t *st, void *row) {
  program_phase_row *p = row;
  p->phase = (int)db_col_int(st, 0);
  p->started_at = db_col_int(st, 1);
}

int program_phases_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  program_phase_row p;
  return db_rows(db, "SELECT phase, started_at FROM program_phases WHERE couple_id = $1 ORDER BY phase", read_phase, &p, cb, ctx,
                 "i", couple);
}

/* One column a check, in plan_checks' order: $1 couple, $2 me, $3 since (the phase began).
   What is in force (an agreement, the schedule, a closeness choice, a value) counts whenever
   it was made; what is done again and again counts when done in this phase. */
#define E(sql) "EXISTS (SELECT 1 FROM " sql ")"
static const char checks_sql[] =
  "SELECT " E("breach_accounts WHERE couple_id = $1 AND user_id = $2 AND updated_at >= $3") ", "
  E("breach_accounts WHERE couple_id = $1 AND user_id = $2 AND acknowledged_at >= $3") ", "
  E("feelings WHERE couple_id = $1 AND author_id = $2 AND created_at >= $3") ", "
  E("feelings WHERE couple_id = $1 AND author_id <> $2 AND heard_at >= $3") ", "
  E("questions WHERE couple_id = $1 AND last_asked_at >= $3") ", "
  E("answers WHERE couple_id = $1 AND author_id = $2 AND created_at >= $3") ", "
  /* a draft is its author's alone: the partner's step says nothing of it */
  E("apologies WHERE couple_id = $1 AND author_id = $2 AND updated_at >= $3") ", "
  E("apologies WHERE couple_id = $1 AND delivered_at >= $3") ", "
  E("agreements WHERE couple_id = $1 AND status = 'active' AND category = 'transparency'") ", "
  E("agreements WHERE couple_id = $1 AND status = 'active' AND category = 'third_party_contact'") ", "
  E("agreements WHERE couple_id = $1 AND status = 'active' AND category = 'deal_breaker'") ", "
  E("agreements WHERE couple_id = $1 AND status = 'active' AND category = 'privacy_and_space'") ", "
  E("checkin_schedule WHERE couple_id = $1") ", "
  E("promises WHERE couple_id = $1 AND promiser_id = $2") ", "
  E("promise_reports r JOIN promises p ON p.couple_id = r.couple_id AND p.id = r.promise_id "
    "WHERE r.couple_id = $1 AND p.promiser_id <> $2 AND r.confirmed_at >= $3") ", "
  E("truths WHERE couple_id = $1 AND author_id = $2 AND created_at >= $3") ", "
  E("checkin_answers WHERE couple_id = $1 AND user_id = $2 AND submitted_at >= $3") ", "
  E("closeness_choices WHERE couple_id = $1 AND user_id = $2") ", "
  E("moments WHERE couple_id = $1 AND created_at >= $3") ", "
  E("appreciations WHERE couple_id = $1 AND author_id = $2 AND created_at >= $3") ", "
  E("journal_entries WHERE couple_id = $1 AND author_id = $2 AND created_at >= $3") ", "
  E("shared_values WHERE couple_id = $1") ", "
  E("goals WHERE couple_id = $1") ", "
  E("forgiveness_notes WHERE couple_id = $1 AND author_id = $2") ", "
  E("rest_choices WHERE couple_id = $1 AND user_id = $2") ", "
  E("letters WHERE couple_id = $1 AND author_id = $2 AND kind = 'disclosure' AND given_at >= $3") ", "
  E("letters WHERE couple_id = $1 AND author_id = $2 AND kind = 'impact' AND given_at >= $3") ", "
  E("hard_dates WHERE couple_id = $1") ", "
  E("timeout_rules WHERE couple_id = $1 AND agreed_by IS NOT NULL");
#undef E

static void read_checks(db_stmt_t *st, void *row) {
  uint64_t *out = row;
  for (int i = 0; i < PLAN_CHECKS; i++)
    if (db_col_int(st, i)) *out |= (uint64_t)1 << i;
}

int program_checks(db_t *db, int64_t couple, int64_t me, int64_t since, uint64_t *out) {
  *out = 0;
  int rc = db_row(db, checks_sql, read_checks, out, "iii", couple, me, since);
  return rc == DB_ROW ? DB_OK : rc;
}
