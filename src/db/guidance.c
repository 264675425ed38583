/* guidance.c (db): the prompt toward a therapist, put aside per partner. */
#include "guidance.h"

static void read_at(db_stmt_t *st, void *row) { *(int64_t *)row = db_col_int(st, 0); }

int64_t guidance_dismissed_at(db_t *db, int64_t couple, int64_t user) {
  int64_t at = 0;
  int rc = db_row(db, "SELECT COALESCE(dismissed_at, 0) FROM guidance_prompts WHERE couple_id = $1 AND user_id = $2", read_at,
                  &at, "ii", couple, user);
  return rc == DB_ROW ? at : rc == DB_DONE ? 0 : -1;
}

int guidance_dismiss(db_t *db, int64_t couple, int64_t user, int64_t now) {
  return db_write(db,
      "INSERT INTO guidance_prompts (couple_id, user_id, checked_day, stuck, dismissed_at) VALUES ($1, $2, -1, 0, $3) "
      "ON CONFLICT (couple_id, user_id) DO UPDATE SET dismissed_at = excluded.dismissed_at",
      "iii", couple, user, now);
}
