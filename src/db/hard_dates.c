/* hard_dates.c (db): see hard_dates.h. */
#include "hard_dates.h"
#include "core/days.h"
#include <string.h>

#define HARD_DATE_COLS "id, added_by, day, yearly, remind_days, created_at, title"

static void read_hard_date(db_stmt_t *st, void *row) {
  *(hard_date_t *)row = (hard_date_t){.id = db_col_int(st, 0), .added_by = db_col_int(st, 1), .day = db_col_int(st, 2),
      .yearly = (int)db_col_int(st, 3), .remind_days = (int)db_col_int(st, 4), .created_at = db_col_int(st, 5),
      .title = db_col_text(st, 6)};
}

int hard_date_reminds(const char *path, int64_t user, const hard_date_t *h) {
  if (!strcmp(path, "broke_trust") || !strcmp(path, "both")) return 1;
  return !path[0] && user != h->added_by;
}

int hard_dates_add(db_t *db, int64_t couple, const hard_date_t *h) {
  return db_write(db,
      "INSERT INTO hard_dates (couple_id, id, added_by, title, day, slot, yearly, remind_days, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      "iiisiiiii", couple, h->id, h->added_by, h->title, h->day, (int64_t)day_slot(h->day), (int64_t)(h->yearly != 0),
      (int64_t)h->remind_days, h->created_at);
}

int hard_dates_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  hard_date_t h;
  return db_rows(db, "SELECT " HARD_DATE_COLS " FROM hard_dates WHERE couple_id = $1 ORDER BY slot, day, id", read_hard_date, &h,
                 cb, ctx, "i", couple);
}

int hard_dates_get(db_t *db, int64_t couple, int64_t id, hard_date_t *out) {
  int rc = db_row(db, "SELECT " HARD_DATE_COLS " FROM hard_dates WHERE couple_id = $1 AND id = $2", read_hard_date, out, "ii",
                  couple, id);
  if (rc == DB_ROW) out->title = NULL;
  return rc;
}

int hard_dates_delete(db_t *db, int64_t couple, int64_t id) {
  int rc = db_write(db, "DELETE FROM hard_dates WHERE couple_id = $1 AND id = $2", "ii", couple, id);
  if (rc == DB_OK && db_changes(db) == 0) return DB_DONE;
  return rc;
}
