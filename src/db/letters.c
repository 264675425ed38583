/* letters.c (db): see letters.h. */
#include "letters.h"
#include <stdio.h>
#include <string.h>

#define LETTER_COLS "id, author_id, kind, body, more, sealed, created_at, updated_at, COALESCE(given_at, 0), " \
                    "COALESCE(detail, ''), COALESCE(read_at, 0), COALESCE(heard, -1), COALESCE(heard_at, 0)"

static void read_letter(db_stmt_t *st, void *row) {
  letter_t *l = row;
  *l = (letter_t){.id = db_col_int(st, 0), .author_id = db_col_int(st, 1), .body = db_col_text(st, 3),
      .more = db_col_text(st, 4), .sealed_n = db_col_bytes(st, 5), .created_at = db_col_int(st, 6),
      .updated_at = db_col_int(st, 7), .given_at = db_col_int(st, 8), .read_at = db_col_int(st, 10),
      .heard = (int)db_col_int(st, 11), .heard_at = db_col_int(st, 12)};
  snprintf(l->kind, sizeof l->kind, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
  snprintf(l->detail, sizeof l->detail, "%s", db_col_text(st, 9) ? db_col_text(st, 9) : "");
  l->sealed = l->sealed_n ? db_col_blob(st, 5) : NULL;
}

int letters_add(db_t *db, int64_t couple, const letter_t *l) {
  return db_write(db,
      "INSERT INTO letters (couple_id, id, kind, author_id, sealed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
      "iisibi", couple, l->id, l->kind, l->author_id, l->sealed, l->sealed_n, l->created_at);
}

int letters_edit(db_t *db, int64_t couple, int64_t id, const void *sealed, size_t n, int64_t now) {
  int rc = db_write(db, "UPDATE letters SET sealed = $3, updated_at = $4 WHERE couple_id = $1 AND id = $2 AND given_at IS NULL",
                    "iibi", couple, id, sealed, n, now);
  if (rc == DB_OK && db_changes(db) == 0) return DB_CONSTRAINT;
  return rc;
}

int letters_list(db_t *db, int64_t couple, int64_t viewer, db_each cb, void *ctx) {
  letter_t l;
  return db_rows(db, "SELECT " LETTER_COLS " FROM letters WHERE couple_id = $1 AND " LETTERS_VISIBLE " ORDER BY created_at, id",
                 read_letter, &l, cb, ctx, "ii", couple, viewer);
}

int letters_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, letter_t *out) {
  int rc = db_row(db, "SELECT " LETTER_COLS " FROM letters WHERE couple_id = $1 AND id = $3 AND " LETTERS_VISIBLE, read_letter,
                  out, "iii", couple, viewer, id);
  if (rc == DB_ROW) { out->body = out->more = NULL; out->sealed = NULL; }
  return rc;
}

int letters_own(db_t *db, int64_t couple, int64_t author, int64_t id, db_each cb, void *ctx) {
  letter_t l;
  return db_first(db, "SELECT " LETTER_COLS " FROM letters WHERE couple_id = $1 AND author_id = $2 AND id = $3", read_letter, &l,
                  cb, ctx, "iii", couple, author, id);
}

int letters_given_by(db_t *db, int64_t couple, int64_t author, const char *kind) {
  int64_t n = db_count(db, "SELECT COUNT(*) FROM letters WHERE couple_id = $1 AND author_id = $2 AND kind = $3 AND given_at IS NOT NULL",
                       "iis", couple, author, kind);
  return n < 0 ? -1 : n > 0;
}

int letters_give(db_t *db, int64_t couple, int64_t id, const char *body, const char *more, int64_t now) {
  int rc = db_write(db, "UPDATE letters SET body = $3, more = $4, sealed = NULL, given_at = $5, updated_at = $5 "
                        "WHERE couple_id = $1 AND id = $2 AND given_at IS NULL", "iissi", couple, id, body, more, now);
  if (rc == DB_OK && db_changes(db) == 0) return DB_CONSTRAINT;
  return rc;
}

static int changed_one(db_t *db, int rc) { return rc == DB_OK && db_changes(db) == 0 ? DB_CONSTRAINT : rc; }

int letters_choose_detail(db_t *db, int64_t couple, int64_t id, const char *detail, int64_t now) {
  (void)now;
  return changed_one(db, db_write(db, "UPDATE letters SET detail = $3 WHERE couple_id = $1 AND id = $2 AND kind = 'disclosure' "
                                      "AND given_at IS NOT NULL AND (detail IS NULL OR (detail = 'facts' AND $3 = 'more'))",
                                  "iis", couple, id, detail));
}

int letters_mark_read(db_t *db, int64_t couple, int64_t id, int64_t now) {
  return changed_one(db, db_write(db, "UPDATE letters SET read_at = $3 WHERE couple_id = $1 AND id = $2 AND given_at IS NOT NULL "
                                      "AND read_at IS NULL AND (kind <> 'disclosure' OR detail IS NOT NULL)", "iii", couple, id, now));
}

int letters_mark_heard(db_t *db, int64_t couple, int64_t id, int heard, int64_t now) {
  return changed_one(db, db_write(db, "UPDATE letters SET heard = $3, heard_at = $4 WHERE couple_id = $1 AND id = $2 "
                                      "AND read_at IS NOT NULL AND (heard IS NULL OR heard = 0)", "iiii", couple, id,
                                  (int64_t)(heard != 0), now));
}

static void read_who(db_stmt_t *st, void *row) { *(int64_t *)row = db_col_int(st, 0); }
typedef struct { int64_t *who; int *n; } who_ctx;
static void take_who(void *p, const void *row) {
  who_ctx *c = p;
  if (*c->n < 2) c->who[(*c->n)++] = *(const int64_t *)row;
}

int letters_destroy_asked(db_t *db, int64_t couple, int64_t who[2], int *n) {
  int64_t w;
  *n = 0;
  who_ctx c = {who, n};
  return db_rows(db, "SELECT user_id FROM letter_destroy WHERE couple_id = $1 ORDER BY asked_at, user_id", read_who, &w, take_who,
                 &c, "i", couple);
}

int letters_destroy_ask(db_t *db, int64_t couple, int64_t user, int64_t now) {
  return db_write(db, "INSERT INTO letter_destroy (couple_id, user_id, asked_at) VALUES ($1, $2, $3) "
                      "ON CONFLICT (couple_id, user_id) DO NOTHING", "iii", couple, user, now);
}

int letters_destroy_withdraw(db_t *db, int64_t couple, int64_t user) {
  int rc = db_write(db, "DELETE FROM letter_destroy WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
  return rc == DB_OK && db_changes(db) == 0 ? DB_DONE : rc;
}

int letters_destroy_all(db_t *db, int64_t couple, int64_t *count) {
  int rc = db_write(db, "DELETE FROM letters WHERE couple_id = $1", "i", couple);
  if (rc != DB_OK) return rc;
  *count = db_changes(db);
  return db_write(db, "DELETE FROM letter_destroy WHERE couple_id = $1", "i", couple);
}
