/* truths.c (db): the daily truths. */
#include "truths.h"
#include "core/secret.h"

static void read_truth(db_stmt_t *st, void *row) {
  truth_t *t = row;
  *t = (truth_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 4), db_col_text(st, 3),
                 db_col_int(st, 5), (int)db_col_int(st, 6), db_col_is_null(st, 7) ? "" : db_col_text(st, 7)};
}

int truths_add(db_t *db, int64_t couple, int64_t author, int64_t day, const char *text, int64_t now, int64_t *id) {
  *id = secret_id();
  return db_write(db, "INSERT INTO truths (couple_id, id, author_id, day, text, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                  "iiiisi", couple, *id, author, day, text, now);
}

int truths_list(db_t *db, int64_t couple, int64_t since, db_each cb, void *ctx) {
  truth_t t;
  return db_rows(db, "SELECT id, author_id, day, text, created_at, COALESCE(replied_at, 0), reply_heart, reply FROM truths "
                     "WHERE couple_id = $1 AND day >= $2 "
                     "ORDER BY day DESC, created_at DESC",
                 read_truth, &t, cb, ctx, "ii", couple, since);
}

int truths_get(db_t *db, int64_t couple, int64_t id, truth_t *out) {
  int rc = db_row(db, "SELECT id, author_id, day, text, created_at, COALESCE(replied_at, 0), reply_heart, reply FROM truths "
                      "WHERE couple_id = $1 AND id = $2", read_truth, out, "ii", couple, id);
  if (rc == DB_ROW) out->text = out->reply = NULL;
  return rc;
}

int truths_reply(db_t *db, int64_t couple, int64_t id, int64_t by, int heart, const char *text, int64_t now) {
  int rc = db_write(db, "UPDATE truths SET reply_heart = $4, reply = $5, replied_at = $6 WHERE couple_id = $1 AND id = $2 "
                        "AND author_id <> $3 AND replied_at IS NULL",
                    "iiiisi", couple, id, by, (int64_t)(heart != 0), text, now);
  if (rc == DB_OK && db_changes(db) == 0) return DB_CONSTRAINT;
  return rc;
}

typedef struct { int64_t *days; int n, cap; } days_acc;
static void read_day(db_stmt_t *st, void *row) { *(int64_t *)row = db_col_int(st, 0); }
static void keep_day(void *p, const void *row) {
  days_acc *a = p;
  if (a->n == a->cap) { /* keep the newest: shift out the oldest */
    for (int i = 1; i < a->cap; i++) a->days[i - 1] = a->days[i];
    a->n--;
  }
  a->days[a->n++] = *(const int64_t *)row;
}

int truths_days(db_t *db, int64_t couple, int64_t author, int64_t since, int64_t *days, int cap) {
  days_acc a = {days, 0, cap};
  int64_t d;
  int rc = db_rows(db, "SELECT day FROM truths WHERE couple_id = $1 AND author_id = $2 AND day >= $3 ORDER BY day", read_day, &d,
                   keep_day, &a, "iii", couple, author, since);
  return rc == DB_OK ? a.n : -1;
}
