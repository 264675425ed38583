/* setbacks.c (db): setbacks either partner logs; they mark the charts and reset nothing. */
#include "setbacks.h"

static void read_setback(db_stmt_t *st, void *row) {
  setback_t *s = row;
  *s = (setback_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), (int)db_col_int(st, 4),
                   db_col_text(st, 5), db_col_text(st, 6)};
}

int setbacks_add(db_t *db, int64_t couple, int64_t id, int64_t author, int64_t day, const char *what, int severity,
                 const char *helped, int64_t now) {
  return db_write(db,
      "INSERT INTO setbacks (couple_id, id, author_id, day, what, severity, helped, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      "iiiisisi", couple, id, author, day, what, (int64_t)severity, helped, now);
}

int setbacks_list(db_t *db, int64_t couple, int64_t since, db_each cb, void *ctx) {
  setback_t s;
  return db_rows(db, "SELECT id, author_id, day, created_at, severity, what, helped FROM setbacks WHERE couple_id = $1 AND day >= $2 "
                     "ORDER BY day DESC, created_at DESC, id DESC",
                 read_setback, &s, cb, ctx, "ii", couple, since);
}
