/* reports.c (db): counsellor's reports and their share links. */
#include "reports.h"

#define META_COLS "id, COALESCE(made_by, 0), made_at, from_day, to_day, html"

/* columns: META_COLS (the HTML only read by the getters that ask for it) */
static void read_meta(db_stmt_t *st, void *row) {
  report_meta *m = row;
  *m = (report_meta){.id = db_col_int(st, 0), .made_by = db_col_int(st, 1), .made_at = db_col_int(st, 2),
      .from_day = db_col_int(st, 3), .to_day = db_col_int(st, 4), .html = NULL};
}

static void read_whole(db_stmt_t *st, void *row) {
  read_meta(st, row);
  ((report_meta *)row)->html = db_col_text(st, 5);
}

static void read_link(db_stmt_t *st, void *row) {
  report_link *l = row;
  *l = (report_link){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4)};
}

int reports_add(db_t *db, int64_t couple, int64_t id, int64_t made_by, int64_t made_at, int64_t from, int64_t to,
                const char *html) {
  return db_write(db, "INSERT INTO reports (couple_id, id, made_by, made_at, from_day, to_day, html) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  "iiziiis", couple, id, made_by, made_at, from, to, html);
}

int reports_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  report_meta m;
  return db_rows(db, "SELECT id, COALESCE(made_by, 0), made_at, from_day, to_day FROM reports WHERE couple_id = $1 "
                     "ORDER BY made_at DESC, id DESC",
                 read_meta, &m, cb, ctx, "i", couple);
}

int reports_newest(db_t *db, int64_t couple, int64_t since, db_each cb, void *ctx) {
  report_meta m;
  return db_rows(db, "SELECT id, COALESCE(made_by, 0), made_at, from_day, to_day FROM reports WHERE couple_id = $1 AND made_at >= $2 "
                     "ORDER BY made_at DESC, id DESC LIMIT 1",
                 read_meta, &m, cb, ctx, "ii", couple, since);
}

int reports_get(db_t *db, int64_t couple, int64_t id, db_each cb, void *ctx) {
  report_meta m;
  return db_first(db, "SELECT " META_COLS " FROM reports WHERE couple_id = $1 AND id = $2", read_whole, &m, cb, ctx, "ii", couple, id);
}

int report_links_add(db_t *db, int64_t couple, int64_t id, int64_t report, const unsigned char hash[HASH_BYTES], int64_t made_by,
                     int64_t now, int64_t expires) {
  return db_write(db,
      "INSERT INTO report_links (couple_id, id, report_id, secret_hash, made_by, made_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      "iiibiii", couple, id, report, hash, (size_t)HASH_BYTES, made_by, now, expires);
}

int report_links_open(db_t *db, int64_t couple, int64_t now, db_each cb, void *ctx) {
  report_link l;
  return db_rows(db, "SELECT id, report_id, made_by, made_at, expires_at FROM report_links "
                     "WHERE couple_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY made_at DESC, id DESC",
                 read_link, &l, cb, ctx, "ii", couple, now);
}

int report_links_revoke(db_t *db, int64_t couple, int64_t id, int64_t now) {
  return db_write(db, "UPDATE report_links SET revoked_at = $3 WHERE couple_id = $1 AND id = $2 AND revoked_at IS NULL AND expires_at > $3",
                  "iii", couple, id, now);
}

int report_by_link(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now, db_each cb, void *ctx) {
  report_meta m;
  return db_first(db,
      "SELECT r.id, COALESCE(r.made_by, 0), r.made_at, r.from_day, r.to_day, r.html FROM report_links l "
      "JOIN reports r ON r.couple_id = l.couple_id AND r.id = l.report_id "
      "WHERE l.secret_hash = $1 AND l.revoked_at IS NULL AND l.expires_at > $2",
      read_whole, &m, cb, ctx, "bi", hash, (size_t)HASH_BYTES, now);
}
