/* calendar.c (db): calendar feed secrets, stored as hashes. */
#include "calendar.h"
#include "core/secret.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void hash_hex(const char *secret, size_t n, char out[CAL_HASH_HEX]) {
  unsigned char h[HASH_BYTES];
  secret_hash(secret, n, h);
  sodium_bin2hex(out, CAL_HASH_HEX, h, sizeof h);
}

static void read_int(db_stmt_t *st, void *row) { *(int64_t *)row = db_col_int(st, 0); }

int cal_created(db_t *db, int64_t couple, int64_t user, int64_t *created_at) {
  return db_row(db, "SELECT created_at FROM calendar_feeds WHERE couple_id = $1 AND user_id = $2", read_int, created_at, "ii",
                couple, user);
}

int cal_set(db_t *db, int64_t couple, int64_t user, const char *secret, size_t n, int64_t now) {
  char h[CAL_HASH_HEX];
  hash_hex(secret, n, h);
  return db_write(db,
      "INSERT INTO calendar_feeds (couple_id, user_id, secret, created_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (couple_id, user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at",
      "iisi", couple, user, h, now);
}

int cal_delete(db_t *db, int64_t couple, int64_t user) {
  return db_write(db, "DELETE FROM calendar_feeds WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
}

typedef struct { int64_t couple, user; } owner_row;
static void read_owner(db_stmt_t *st, void *row) {
  owner_row *o = row;
  o->couple = db_col_int(st, 0);
  o->user = db_col_int(st, 1);
}

int cal_owner(db_t *db, const char *secret, size_t n, int64_t *couple, int64_t *user) {
  char h[CAL_HASH_HEX];
  hash_hex(secret, n, h);
  owner_row o;
  int rc = db_row(db, "SELECT couple_id, user_id FROM calendar_feeds WHERE secret = $1", read_owner, &o, "s", h);
  if (rc == DB_ROW) { *couple = o.couple; *user = o.user; }
  return rc;
}

int cal_hash_legacy(db_t *db) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  /* a plain secret is a 43-character token; a hash is 64 hex digits */
  db_stmt_t *st = db_prepare(db, "SELECT couple_id, user_id, secret FROM calendar_feeds WHERE LENGTH(secret) <> 64");
  if (!st) { db_rollback(db); return DB_ERROR; }
  struct { int64_t c, u; char h[CAL_HASH_HEX]; } rows[64];
  int n = 0, rc, more = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    if (n == 64) { more = 1; break; }
    rows[n].c = db_col_int(st, 0);
    rows[n].u = db_col_int(st, 1);
    const char *s = db_col_text(st, 2);
    hash_hex(s, strlen(s), rows[n].h);
    n++;
  }
  db_reset(st);
  if (rc != DB_DONE && rc != DB_ROW) { db_rollback(db); return DB_ERROR; }
  for (int i = 0; i < n; i++)
    if (db_do(db, "UPDATE calendar_feeds SET secret = $3 WHERE couple_id = $1 AND user_id = $2", "iis", rows[i].c,
              rows[i].u, rows[i].h) != DB_DONE) { db_rollback(db); return DB_ERROR; }
  if (db_commit(db) != DB_OK) return DB_ERROR;
  return more ? cal_hash_legacy(db) : DB_OK;
}
