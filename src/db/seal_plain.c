/* seal_plain.c (db): private words written before sealing existed (private feelings, apology
   drafts) are sealed the first time their author logs in with a key. */
#include "feelings.h"
#include "core/seal.h"
#include <stdlib.h>
#include <string.h>

typedef struct { const char *select, *update, *kind; } plain_table;
static const plain_table plain_tables[] = {
  {"SELECT id, text FROM feelings WHERE couple_id = $1 AND author_id = $2 AND shared = 0 AND sealed IS NULL",
   "UPDATE feelings SET text = '', sealed = $3 WHERE couple_id = $1 AND id = $2", "feelings"},
  {"SELECT id, text FROM apologies WHERE couple_id = $1 AND author_id = $2 AND delivered_at IS NULL AND sealed IS NULL",
   "UPDATE apologies SET text = '', sealed = $3 WHERE couple_id = $1 AND id = $2", "apologies"},
};

typedef struct { int64_t id; char *text; } plain_row;

/* The rows first, then the updates: a statement is not stepped while its table changes. */
static int seal_table(db_t *db, const plain_table *t, int64_t couple, int64_t author, const unsigned char *dk) {
  db_stmt_t *st = db_prepare(db, t->select);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, author);
  plain_row *rows = NULL;
  int n = 0, cap = 0, rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 8;
      plain_row *v = realloc(rows, sizeof *v * (size_t)cap);
      if (!v) { rc = DB_ERROR; break; }
      rows = v;
    }
    const char *text = db_col_text(st, 1);
    rows[n].id = db_col_int(st, 0);
    rows[n++].text = strdup(text ? text : "");
  }
  db_reset(st);
  if (rc == DB_DONE) rc = DB_OK;
  for (int i = 0; i < n; i++) {
    size_t len = rows[i].text ? strlen(rows[i].text) : 0;
    unsigned char *sealed = rows[i].text ? malloc(len + SEAL_OVERHEAD) : NULL;
    if (rc == DB_OK && !sealed) rc = DB_ERROR;
    if (rc == DB_OK) {
      seal_text(dk, t->kind, couple, rows[i].id, rows[i].text, len, sealed);
      if (db_do(db, t->update, "iib", couple, rows[i].id, sealed, len + SEAL_OVERHEAD) != DB_DONE) rc = DB_ERROR;
    }
    free(sealed);
    free(rows[i].text);
  }
  free(rows);
  return rc;
}

int seal_plain_rows(db_t *db, int64_t couple, int64_t author, const unsigned char *dk) {
  int64_t open = db_count(db,
      "SELECT (SELECT COUNT(*) FROM feelings WHERE couple_id = $1 AND author_id = $2 AND shared = 0 AND sealed IS NULL) + "
      "(SELECT COUNT(*) FROM apologies WHERE couple_id = $1 AND author_id = $2 AND delivered_at IS NULL AND sealed IS NULL)",
      "ii", couple, author);
  if (open <= 0) return open < 0 ? DB_ERROR : DB_OK;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = DB_OK;
  for (size_t i = 0; rc == DB_OK && i < sizeof plain_tables / sizeof *plain_tables; i++)
    rc = seal_table(db, &plain_tables[i], couple, author, dk);
  /* rows changed at a log-in, outside the partner's writes: what is kept of the couple goes by
     its version (db/memo.c) */
  if (rc == DB_OK) rc = db_bump_couple(db, couple);
  if (rc != DB_OK) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_OK : DB_ERROR;
}
