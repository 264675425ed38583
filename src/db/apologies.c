/* apologies.c (db): apologies, private drafts until delivered, with the partner's answer. */
#include "atone.h"
#include "core/secret.h"
#include <stdlib.h>
#include <string.h>

#define A_COLS "id, author_id, text, created_at, updated_at, COALESCE(delivered_at, 0), COALESCE(heard, -1), " \
  "response_note, COALESCE(responded_at, 0), sealed"

static void read_a(db_stmt_t *st, apology_t *a) {
  a->id = db_col_int(st, 0);
  a->author_id = db_col_int(st, 1);
  a->text = db_col_text(st, 2);
  a->created_at = db_col_int(st, 3);
  a->updated_at = db_col_int(st, 4);
  a->delivered_at = db_col_int(st, 5);
  a->heard = (int)db_col_int(st, 6);
  a->note = db_col_text(st, 7);
  a->responded_at = db_col_int(st, 8);
  a->sealed_n = db_col_bytes(st, 9);
  a->sealed = a->sealed_n ? db_col_blob(st, 9) : NULL;
}

int apologies_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *text, const void *sealed, size_t sealed_n,
                  int64_t now) {
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO apologies (couple_id, id, author_id, text, created_at, updated_at, sealed) VALUES ($1, $2, $3, $4, $5, $5, $6)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, author);
  db_bind_str(st, 4, text);
  db_bind_int(st, 5, now);
  if (sealed) db_bind_blob(st, 6, sealed, sealed_n);
  else db_bind_null(st, 6);
  int rc = db_step(st);
  db_reset(st);
  return rc;
}

int apologies_list(db_t *db, int64_t couple, int64_t viewer, void (*cb)(void *, const apology_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT " A_COLS " FROM apologies WHERE couple_id = $1 AND (author_id = $2 OR delivered_at IS NOT NULL) "
      "ORDER BY created_at DESC, id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    apology_t a;
    read_a(st, &a);
    cb(ctx, &a);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int apologies_get_cb(db_t *db, int64_t couple, int64_t viewer, int64_t id, void (*cb)(void *, const apology_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT " A_COLS " FROM apologies WHERE couple_id = $1 AND id = $3 AND (author_id = $2 OR delivered_at IS NOT NULL)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  db_bind_int(st, 3, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    apology_t a;
    read_a(st, &a);
    cb(ctx, &a);
  }
  db_reset(st);
  return rc;
}

static void keep_meta(void *p, const apology_t *a) {
  apology_t *out = p;
  *out = *a;
  out->text = out->note = NULL;
  out->sealed = NULL;
}

int apologies_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, apology_t *out) {
  return apologies_get_cb(db, couple, viewer, id, keep_meta, out);
}

int apologies_edit(db_t *db, int64_t couple, int64_t id, const char *text, const void *sealed, size_t sealed_n, int64_t now) {
  if (sealed)
    return db_do(db, "UPDATE apologies SET text = '', sealed = $3, updated_at = $4 WHERE couple_id = $1 AND id = $2 AND delivered_at IS NULL",
                 "iibi", couple, id, sealed, sealed_n, now);
  return db_do(db, "UPDATE apologies SET text = $3, sealed = NULL, updated_at = $4 WHERE couple_id = $1 AND id = $2 AND delivered_at IS NULL",
               "iisi", couple, id, text, now);
}

int apologies_deliver(db_t *db, int64_t couple, int64_t id, const char *text, int64_t now) {
  return db_do(db,
      "UPDATE apologies SET delivered_at = $3, text = $4, sealed = NULL WHERE couple_id = $1 AND id = $2 AND delivered_at IS NULL",
      "iiis", couple, id, now, text);
}

int apologies_respond(db_t *db, int64_t couple, int64_t id, int heard, const char *note, int64_t now) {
  return db_do(db, "UPDATE apologies SET heard = $3, response_note = $4, responded_at = $5 "
               "WHERE couple_id = $1 AND id = $2 AND delivered_at IS NOT NULL", "iiisi", couple, id, (int64_t)(heard != 0), note, now);
}
