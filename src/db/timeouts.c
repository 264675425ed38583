/* timeouts.c (db): see timeouts.h. */
#include "timeouts.h"
#include <stdio.h>
#include <string.h>

static void read_rule(db_stmt_t *st, void *row) {
  timeout_rule *r = row;
  r->set = 1;
  r->minutes = (int)db_col_int(st, 0);
  snprintf(r->text, sizeof r->text, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
  r->set_by = db_col_int(st, 2);
  r->set_at = db_col_int(st, 3);
  r->agreed_by = db_col_int(st, 4);
  r->agreed_at = db_col_int(st, 5);
}

int timeout_rule_get(db_t *db, int64_t couple, timeout_rule *out) {
  memset(out, 0, sizeof *out);
  int rc = db_row(db, "SELECT minutes, text, set_by, set_at, COALESCE(agreed_by, 0), COALESCE(agreed_at, 0) FROM timeout_rules "
                      "WHERE couple_id = $1", read_rule, out, "i", couple);
  if (rc == DB_DONE) out->set = 0;
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int timeout_rule_put(db_t *db, int64_t couple, int64_t by, int minutes, const char *text, int64_t now) {
  timeout_rule r;
  int rc = timeout_rule_get(db, couple, &r);
  if (rc != DB_OK) return rc;
  if (r.set && r.minutes == minutes && !strcmp(r.text, text)) {
    if (r.set_by == by || r.agreed_by) return DB_OK; /* nothing new */
    return db_write(db, "UPDATE timeout_rules SET agreed_by = $2, agreed_at = $3 WHERE couple_id = $1", "iii", couple, by, now);
  }
  return db_write(db,
      "INSERT INTO timeout_rules (couple_id, minutes, text, set_by, set_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (couple_id) DO UPDATE SET minutes = excluded.minutes, text = excluded.text, set_by = excluded.set_by, "
      "set_at = excluded.set_at, agreed_by = NULL, agreed_at = NULL",
      "iisii", couple, (int64_t)minutes, text, by, now);
}

static void read_timeout(db_stmt_t *st, void *row) {
  *(timeout_t *)row = (timeout_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3)};
}

int timeouts_call(db_t *db, int64_t couple, int64_t id, int64_t by, int64_t now, int64_t ends_at, timeout_t *out) {
  int rc = db_write(db, "UPDATE couples SET timeout_until = $2 WHERE id = $1 AND timeout_until <= $3", "iii", couple, ends_at, now);
  if (rc != DB_OK) return rc;
  if (db_changes(db) == 0) {
    rc = db_row(db, "SELECT id, called_by, called_at, ends_at FROM timeouts WHERE couple_id = $1 AND ends_at > $2 "
                    "ORDER BY called_at DESC, id DESC LIMIT 1", read_timeout, out, "ii", couple, now);
    return rc == DB_ROW ? DB_DONE : rc == DB_DONE ? DB_ERROR : rc;
  }
  *out = (timeout_t){id, by, now, ends_at};
  return db_write(db, "INSERT INTO timeouts (couple_id, id, called_by, called_at, ends_at) VALUES ($1, $2, $3, $4, $5)", "iiiii",
                  couple, id, by, now, ends_at);
}

int timeouts_list(db_t *db, int64_t couple, int limit, db_each cb, void *ctx) {
  timeout_t t;
  return db_rows(db, "SELECT id, called_by, called_at, ends_at FROM timeouts WHERE couple_id = $1 ORDER BY called_at DESC, id DESC "
                     "LIMIT $2", read_timeout, &t, cb, ctx, "ii", couple, (int64_t)limit);
}
