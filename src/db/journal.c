/* journal.c (db): journal entries, shared or private (sealed), and their signed additions. */
#include "journal.h"

#define J_COLS "id, author_id, is_private, body, sealed, created_at, in_report"

static void read_entry(db_stmt_t *st, void *row) {
  journal_t *e = row;
  *e = (journal_t){.id = db_col_int(st, 0), .author_id = db_col_int(st, 1), .is_private = (int)db_col_int(st, 2),
      .body = db_col_is_null(st, 3) ? NULL : db_col_text(st, 3), .sealed_n = db_col_bytes(st, 4),
      .created_at = db_col_int(st, 5), .in_report = (int)db_col_int(st, 6)};
  e->sealed = e->sealed_n ? db_col_blob(st, 4) : NULL;
}

static void read_addition(db_stmt_t *st, void *row) {
  journal_addition_t *a = row;
  *a = (journal_addition_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 5),
                            db_col_is_null(st, 3) ? NULL : db_col_text(st, 3), NULL, db_col_bytes(st, 4)};
  if (a->sealed_n) a->sealed = db_col_blob(st, 4);
}

/* A private entry's words are only in its sealed column; a shared one's only in its body. */
int journal_add(db_t *db, int64_t couple, int64_t id, int64_t author, int is_private, const char *body, const void *sealed,
                size_t sealed_n, int64_t now) {
  return db_write(db,
      "INSERT INTO journal_entries (couple_id, id, author_id, is_private, body, sealed, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      "iiiisbi", couple, id, author, (int64_t)(is_private != 0), sealed ? NULL : body, sealed, sealed_n, now);
}

int journal_list(db_t *db, int64_t couple, int64_t viewer, int64_t before_at, int64_t before_id, int limit, db_each cb, void *ctx) {
  journal_t e;
  return db_rows(db, "SELECT " J_COLS " FROM journal_entries "
                     "WHERE couple_id = $1 AND " JOURNAL_VISIBLE " AND (created_at < $3 OR (created_at = $3 AND id < $5)) "
                     "ORDER BY created_at DESC, id DESC LIMIT $4",
                 read_entry, &e, cb, ctx, "iiiii", couple, viewer, before_at, (int64_t)limit, before_id);
}

int journal_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, journal_t *out) {
  int rc = db_row(db, "SELECT " J_COLS " FROM journal_entries WHERE couple_id = $1 AND id = $3 AND " JOURNAL_VISIBLE,
                  read_entry, out, "iii", couple, viewer, id);
  if (rc == DB_ROW) { out->body = NULL; out->sealed = NULL; }
  return rc;
}

int journal_addition_add(db_t *db, int64_t couple, int64_t entry, int64_t id, int64_t author, const char *body,
                         const void *sealed, size_t sealed_n, int64_t now) {
  return db_write(db,
      "INSERT INTO journal_additions (couple_id, entry_id, id, author_id, body, sealed, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      "iiiisbi", couple, entry, id, author, sealed ? NULL : body, sealed, sealed_n, now);
}

int journal_additions(db_t *db, int64_t couple, int64_t viewer, int64_t from, int64_t to, db_each cb, void *ctx) {
  journal_addition_t a;
  return db_rows(db,
      "SELECT a.id, a.entry_id, a.author_id, a.body, a.sealed, a.created_at FROM journal_additions a "
      "JOIN journal_entries e ON e.couple_id = a.couple_id AND e.id = a.entry_id "
      "WHERE a.couple_id = $1 AND (e.author_id = $2 OR e.is_private = 0) AND e.created_at >= $3 AND e.created_at <= $4 "
      "ORDER BY a.entry_id, a.created_at, a.id",
      read_addition, &a, cb, ctx, "iiii", couple, viewer, from, to);
}

int journal_set_in_report(db_t *db, int64_t couple, int64_t author, int64_t id, int in_report) {
  return db_write(db, "UPDATE journal_entries SET in_report = $4 WHERE couple_id = $1 AND author_id = $2 AND id = $3 AND is_private = 0",
                  "iiii", couple, author, id, (int64_t)(in_report != 0));
}

int journal_for_report(db_t *db, int64_t couple, int64_t from, int64_t to, db_each cb, void *ctx) {
  journal_t e;
  return db_rows(db, "SELECT " J_COLS " FROM journal_entries "
                     "WHERE couple_id = $1 AND is_private = 0 AND in_report = 1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id",
                 read_entry, &e, cb, ctx, "iii", couple, from, to);
}
