/* reports.c (db): counsellor's reports and their share links. */
#include "reports.h"

int reports_add(db_t *db, int64_t couple, int64_t id, int64_t made_by, int64_t made_at, int64_t from, int64_t to,
                const char *html) {
  if (!made_by)
    return db_do(db, "INSERT INTO reports (couple_id, id, made_by, made_at, from_day, to_day, html) VALUES ($1, $2, NULL, $3, $4, $5, $6)",
                 "iiiiis", couple, id, made_at, from, to, html);
  return db_do(db, "INSERT INTO reports (couple_id, id, made_by, made_at, from_day, to_day, html) VALUES ($1, $2, $3, $4, $5, $6, $7)",
               "iiiiiis", couple, id, made_by, made_at, from, to, html);
}

static void read_meta(db_stmt_t *st, report_meta *m) {
  m->id = db_col_int(st, 0);
  m->made_by = db_col_int(st, 1);
  m->made_at = db_col_int(st, 2);
  m->from_day = db_col_int(st, 3);
  m->to_day = db_col_int(st, 4);
}

static int each_meta(db_stmt_t *st, void (*cb)(void *, const report_meta *), void *ctx) {
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    report_meta m;
    read_meta(st, &m);
    cb(ctx, &m);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int reports_list(db_t *db, int64_t couple, void (*cb)(void *, const report_meta *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, COALESCE(made_by, 0), made_at, from_day, to_day FROM reports WHERE couple_id = $1 ORDER BY made_at DESC, id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  return each_meta(st, cb, ctx);
}

int reports_newest(db_t *db, int64_t couple, int64_t since, void (*cb)(void *, const report_meta *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, COALESCE(made_by, 0), made_at, from_day, to_day FROM reports WHERE couple_id = $1 AND made_at >= $2 "
      "ORDER BY made_at DESC, id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, since);
  return each_meta(st, cb, ctx);
}

/* One report and its HTML from a bound statement: DB_ROW after cb, or DB_DONE. */
static int one_report(db_stmt_t *st, void (*cb)(void *, const report_meta *, const char *), void *ctx) {
  int rc = db_step(st);
  if (rc == DB_ROW) {
    report_meta m;
    read_meta(st, &m);
    cb(ctx, &m, db_col_text(st, 5));
  }
  db_reset(st);
  return rc;
}

int reports_get(db_t *db, int64_t couple, int64_t id, void (*cb)(void *, const report_meta *, const char *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, COALESCE(made_by, 0), made_at, from_day, to_day, html FROM reports WHERE couple_id = $1 AND id = $2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  return one_report(st, cb, ctx);
}

int report_links_add(db_t *db, int64_t couple, int64_t id, int64_t report, const unsigned char hash[HASH_BYTES], int64_t made_by,
                     int64_t now, int64_t expires) {
  return db_do(db,
      "INSERT INTO report_links (couple_id, id, report_id, secret_hash, made_by, made_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      "iiibiii", couple, id, report, hash, (size_t)HASH_BYTES, made_by, now, expires);
}

int report_links_open(db_t *db, int64_t couple, int64_t now, void (*cb)(void *, const report_link *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, report_id, made_by, made_at, expires_at FROM report_links "
      "WHERE couple_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY made_at DESC, id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, now);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    report_link l = {db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4)};
    cb(ctx, &l);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int report_links_revoke(db_t *db, int64_t couple, int64_t id, int64_t now) {
  return db_do(db, "UPDATE report_links SET revoked_at = $3 WHERE couple_id = $1 AND id = $2 AND revoked_at IS NULL AND expires_at > $3",
               "iii", couple, id, now);
}

int report_by_link(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now,
                   void (*cb)(void *, const report_meta *, const char *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT r.id, COALESCE(r.made_by, 0), r.made_at, r.from_day, r.to_day, r.html FROM report_links l "
      "JOIN reports r ON r.couple_id = l.couple_id AND r.id = l.report_id "
      "WHERE l.secret_hash = $1 AND l.revoked_at IS NULL AND l.expires_at > $2");
  if (!st) return DB_ERROR;
  db_bind_blob(st, 1, hash, HASH_BYTES);
  db_bind_int(st, 2, now);
  return one_report(st, cb, ctx);
}
