/* journal.c (db): journal entries, shared or private (sealed), and their signed additions. */
#include "grow.h"

static void bind_text_or_sealed(db_stmt_t *st, int i, const char *body, const void *sealed, size_t n) {
  if (sealed) { db_bind_null(st, i); db_bind_blob(st, i + 1, sealed, n); }
  else { db_bind_str(st, i, body); db_bind_null(st, i + 1); }
}

int journal_add(db_t *db, int64_t couple, int64_t id, int64_t author, int is_private, const char *body, const void *sealed,
                size_t sealed_n, int64_t now) {
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO journal_entries (couple_id, id, author_id, is_private, body, sealed, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, author);
  db_bind_int(st, 4, is_private != 0);
  bind_text_or_sealed(st, 5, body, sealed, sealed_n);
  db_bind_int(st, 7, now);
  int rc = db_step(st);
  db_reset(st);
  return rc;
}

static void read_entry(db_stmt_t *st, journal_t *e) {
  e->id = db_col_int(st, 0);
  e->author_id = db_col_int(st, 1);
  e->is_private = (int)db_col_int(st, 2);
  e->body = db_col_is_null(st, 3) ? NULL : db_col_text(st, 3);
  e->sealed_n = db_col_bytes(st, 4);
  e->sealed = e->sealed_n ? db_col_blob(st, 4) : NULL;
  e->created_at = db_col_int(st, 5);
  e->in_report = (int)db_col_int(st, 6);
}

/* Steps a bound statement of entries, calling cb for each. */
static int each_entry(db_stmt_t *st, void (*cb)(void *, const journal_t *), void *ctx) {
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    journal_t e;
    read_entry(st, &e);
    cb(ctx, &e);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int journal_list(db_t *db, int64_t couple, int64_t viewer, int64_t before_at, int64_t before_id, int limit,
                 void (*cb)(void *, const journal_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, author_id, is_private, body, sealed, created_at, in_report FROM journal_entries "
      "WHERE couple_id = $1 AND (author_id = $2 OR is_private = 0) AND (created_at < $3 OR (created_at = $3 AND id < $5)) "
      "ORDER BY created_at DESC, id DESC LIMIT $4");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  db_bind_int(st, 3, before_at);
  db_bind_int(st, 4, limit);
  db_bind_int(st, 5, before_id);
  return each_entry(st, cb, ctx);
}

int journal_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, journal_t *out) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, author_id, is_private, body, sealed, created_at, in_report FROM journal_entries "
      "WHERE couple_id = $1 AND id = $3 AND (author_id = $2 OR is_private = 0)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  db_bind_int(st, 3, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    read_entry(st, out);
    out->body = NULL;
    out->sealed = NULL;
  }
  db_reset(st);
  return rc;
}

int journal_addition_add(db_t *db, int64_t couple, int64_t entry, int64_t id, int64_t author, const char *body,
                         const void *sealed, size_t sealed_n, int64_t now) {
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO journal_additions (couple_id, entry_id, id, author_id, body, sealed, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, entry);
  db_bind_int(st, 3, id);
  db_bind_int(st, 4, author);
  bind_text_or_sealed(st, 5, body, sealed, sealed_n);
  db_bind_int(st, 7, now);
  int rc = db_step(st);
  db_reset(st);
  return rc;
}

int journal_additions(db_t *db, int64_t couple, int64_t viewer, int64_t from, int64_t to,
                      void (*cb)(void *, const journal_addition_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT a.id, a.entry_id, a.author_id, a.body, a.sealed, a.created_at FROM journal_additions a "
      "JOIN journal_entries e ON e.couple_id = a.couple_id AND e.id = a.entry_id "
      "WHERE a.couple_id = $1 AND (e.author_id = $2 OR e.is_private = 0) AND e.created_at >= $3 AND e.created_at <= $4 "
      "ORDER BY a.entry_id, a.created_at, a.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  db_bind_int(st, 3, from);
  db_bind_int(st, 4, to);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    journal_addition_t a = {db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 5),
                            db_col_is_null(st, 3) ? NULL : db_col_text(st, 3), NULL, db_col_bytes(st, 4)};
    if (a.sealed_n) a.sealed = db_col_blob(st, 4);
    cb(ctx, &a);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int journal_set_in_report(db_t *db, int64_t couple, int64_t author, int64_t id, int in_report) {
  return db_do(db, "UPDATE journal_entries SET in_report = $4 WHERE couple_id = $1 AND author_id = $2 AND id = $3 AND is_private = 0",
               "iiii", couple, author, id, (int64_t)(in_report != 0));
}

int journal_for_report(db_t *db, int64_t couple, int64_t from, int64_t to, void (*cb)(void *, const journal_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, author_id, is_private, body, sealed, created_at, in_report FROM journal_entries "
      "WHERE couple_id = $1 AND is_private = 0 AND in_report = 1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, from);
  db_bind_int(st, 3, to);
  return each_entry(st, cb, ctx);
}
