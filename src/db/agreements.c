/* agreements.c (db): agreements and their versions, signatures, retirement; each step is
   written to the ledger in the same transaction. */
#include "commitments.h"
#include "core/validate.h"
#include "core/secret.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AG_COLS "a.id, a.root_id, a.version, a.title, a.text, a.category, a.status, a.proposed_by, a.created_at, " \
  "COALESCE(a.activated_at, 0), COALESCE(a.retire_asked_by, 0), COALESCE(a.retired_at, 0), " \
  "COALESCE((SELECT s.signed_at FROM agreement_signatures s WHERE s.couple_id = a.couple_id AND s.agreement_id = a.id " \
  "AND s.user_id <> a.proposed_by), 0)"

static void read_ag(db_stmt_t *st, agreement_t *a) {
  a->id = db_col_int(st, 0);
  a->root_id = db_col_int(st, 1);
  a->version = db_col_int(st, 2);
  a->title = db_col_text(st, 3);
  a->text = db_col_text(st, 4);
  a->category = db_col_text(st, 5);
  a->status = ag_status_parse(db_col_text(st, 6));
  a->proposed_by = db_col_int(st, 7);
  a->created_at = db_col_int(st, 8);
  a->activated_at = db_col_int(st, 9);
  a->retire_asked_by = db_col_int(st, 10);
  a->retired_at = db_col_int(st, 11);
  a->other_signed_at = db_col_int(st, 12);
}

int ag_list(db_t *db, int64_t couple, void (*cb)(void *, const agreement_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db, "SELECT " AG_COLS " FROM agreements a WHERE a.couple_id = $1 ORDER BY a.created_at DESC, a.version DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    agreement_t a;
    read_ag(st, &a);
    cb(ctx, &a);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int ag_get(db_t *db, int64_t couple, int64_t id, agreement_t *out, char **title, char **text) {
  db_stmt_t *st = db_prepare(db, "SELECT " AG_COLS " FROM agreements a WHERE a.couple_id = $1 AND a.id = $2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    read_ag(st, out);
    if (title && !(*title = strdup(out->title))) rc = DB_ERROR;
    if (text && !(*text = strdup(out->text))) rc = DB_ERROR;
    snprintf(out->catbuf, sizeof out->catbuf, "%s", out->category ? out->category : "other");
    out->category = out->catbuf;
    out->title = title ? *title : NULL;
    out->text = text ? *text : NULL;
  }
  db_reset(st);
  return rc;
}

int ag_has_pending_revision(db_t *db, int64_t couple, int64_t root) {
  db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) FROM agreements WHERE couple_id = $1 AND root_id = $2 AND status = 'proposed'");
  if (!st) return 0;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, root);
  int n = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : 0;
  db_reset(st);
  return n;
}

static int sign_row(db_t *db, int64_t couple, int64_t id, int64_t me, int64_t now) {
  db_stmt_t *st = db_prepare(db, "INSERT INTO agreement_signatures (couple_id, agreement_id, user_id, signed_at) VALUES ($1, $2, $3, $4)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, me);
  db_bind_int(st, 4, now);
  int rc = db_step(st);
  db_reset(st);
  return rc;
}

int ag_propose(db_t *db, int64_t couple, int64_t me, const char *actor_name, int64_t root, int64_t version,
               const char *title, const char *text, const char *category, int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO agreements (couple_id, id, root_id, version, title, text, category, status, proposed_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, 'proposed', $8, $9)");
  if (!st) { db_rollback(db); return DB_ERROR; }
  *id = secret_id();
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, *id);
  db_bind_int(st, 3, root ? root : *id);
  db_bind_int(st, 4, version);
  db_bind_str(st, 5, title);
  db_bind_str(st, 6, text);
  db_bind_str(st, 7, category);
  db_bind_int(st, 8, me);
  db_bind_int(st, 9, now);
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_DONE) rc = sign_row(db, couple, *id, me, now);
  if (rc == DB_DONE) {
    char summary[700];
    if (version == 1) utf8_format(summary, sizeof summary, "%s proposed the agreement \"%.*s\" and signed it.", actor_name, QUOTE(title));
    else utf8_format(summary, sizeof summary, "%s proposed version %lld of \"%.*s\" and signed it.", actor_name, (long long)version, QUOTE(title));
    rc = ledger_append(db, couple, me, version == 1 ? "agreement_proposed" : "agreement_revised", *id, summary, now);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int ag_sign(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *old = db_prepare(db,
      "UPDATE agreements SET status = 'superseded' WHERE couple_id = $1 AND root_id = $2 AND status = 'active'");
  db_stmt_t *act = db_prepare(db, "UPDATE agreements SET status = 'active', activated_at = $3 WHERE couple_id = $1 AND id = $2");
  if (!old || !act) { db_rollback(db); return DB_ERROR; }
  int rc = sign_row(db, couple, a->id, me, now);
  if (rc == DB_DONE) {
    db_bind_int(old, 1, couple);
    db_bind_int(old, 2, a->root_id);
    rc = db_step(old);
    db_reset(old);
  }
  if (rc == DB_DONE) {
    db_bind_int(act, 1, couple);
    db_bind_int(act, 2, a->id);
    db_bind_int(act, 3, now);
    rc = db_step(act);
    db_reset(act);
  }
  if (rc == DB_DONE) {
    char summary[700];
    utf8_format(summary, sizeof summary, "%s signed \"%.*s\" (version %lld); it is now in force.", actor_name, QUOTE(a->title),
             (long long)a->version);
    rc = ledger_append(db, couple, me, "agreement_signed", a->id, summary, now);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int ag_retire(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int complete, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *st = complete
      ? db_prepare(db, "UPDATE agreements SET status = 'retired', retired_at = $3 WHERE couple_id = $1 AND id = $2")
      : db_prepare(db, "UPDATE agreements SET retire_asked_by = $3 WHERE couple_id = $1 AND id = $2");
  if (!st) { db_rollback(db); return DB_ERROR; }
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, a->id);
  db_bind_int(st, 3, complete ? now : me);
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_DONE) {
    char summary[700];
    if (complete) utf8_format(summary, sizeof summary, "%s agreed to retire \"%.*s\"; it is retired.", actor_name, QUOTE(a->title));
    else utf8_format(summary, sizeof summary, "%s asked to retire \"%.*s\".", actor_name, QUOTE(a->title));
    rc = ledger_append(db, couple, me, complete ? "agreement_retired" : "agreement_retire_asked", a->id, summary, now);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}
