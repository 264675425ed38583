/* closeness.c (db): each partner's private choice per closeness step, and the matches. */
#include "closeness.h"

int closeness_set(db_t *db, int64_t couple, int64_t user, const char *step, const char *choice, int64_t now) {
  return db_write(db,
      "INSERT INTO closeness_choices (couple_id, user_id, step, choice, updated_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (couple_id, user_id, step) DO UPDATE SET choice = excluded.choice, updated_at = "
      "CASE WHEN closeness_choices.choice = excluded.choice THEN closeness_choices.updated_at ELSE excluded.updated_at END",
      "iissi", couple, user, step, choice, now);
}

static void read_choice(db_stmt_t *st, void *row) {
  closeness_choice *c = row;
  c->step = db_col_text(st, 0);
  c->choice = db_col_text(st, 1);
}

int closeness_mine(db_t *db, int64_t couple, int64_t user, db_each cb, void *ctx) {
  closeness_choice c;
  return db_rows(db, "SELECT step, choice FROM closeness_choices WHERE couple_id = $1 AND user_id = $2", read_choice, &c, cb, ctx,
                 "ii", couple, user);
}

int closeness_matches(db_t *db, int64_t couple, int64_t ready_before, db_each cb, void *ctx) {
  closeness_choice c;
  return db_rows(db, "SELECT step, 'ready' FROM closeness_choices WHERE couple_id = $1 AND choice = 'ready' AND updated_at < $2 "
                     "GROUP BY step HAVING COUNT(*) = 2",
                 read_choice, &c, cb, ctx, "ii", couple, ready_before);
}
