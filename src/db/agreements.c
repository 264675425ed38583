/* agreements.c (db): agreements and their versions, signatures, retirement; each step is
   written to the ledger in the same transaction. */
#include "agreements.h"
#include "core/validate.h"
#include "core/secret.h"
#include <stdio.h>

#define AG_COLS "a.id, a.root_id, a.version, a.title, a.text, a.category, a.status, a.proposed_by, a.created_at, " \
  "COALESCE(a.activated_at, 0), COALESCE(a.retire_asked_by, 0), COALESCE(a.retired_at, 0), " \
  "COALESCE((SELECT s.signed_at FROM agreement_signatures s WHERE s.couple_id = a.couple_id AND s.agreement_id = a.id " \
  "AND s.user_id <> a.proposed_by), 0), COALESCE(a.declined_by, 0), COALESCE(a.declined_at, 0), a.decline_reason, " \
  "COALESCE(a.withdrawn_by, 0), COALESCE(a.withdrawn_at, 0), a.withdrawn_reason, COALESCE(a.review_on, 0), " \
  "COALESCE((SELECT r.choice FROM agreement_reviews r WHERE r.couple_id = a.couple_id AND r.agreement_id = a.id " \
  "AND r.user_id = a.proposed_by), ''), COALESCE((SELECT r.choice FROM agreement_reviews r WHERE r.couple_id = a.couple_id " \
  "AND r.agreement_id = a.id AND r.user_id <> a.proposed_by), '')"

static void read_ag(db_stmt_t *st, void *row) {
  agreement_t *a = row;
  a->id = db_col_int(st, 0);
  a->root_id = db_col_int(st, 1);
  a->version = db_col_int(st, 2);
  a->title = db_col_kept(st, 3);
  a->text = db_col_kept(st, 4);
  const char *cat = db_col_text(st, 5);
  snprintf(a->catbuf, sizeof a->catbuf, "%s", cat ? cat : "other");
  a->category = a->catbuf;
  a->status = ag_status_parse(db_col_text(st, 6));
  a->proposed_by = db_col_int(st, 7);
  a->created_at = db_col_int(st, 8);
  a->activated_at = db_col_int(st, 9);
  a->retire_asked_by = db_col_int(st, 10);
  a->retired_at = db_col_int(st, 11);
  a->other_signed_at = db_col_int(st, 12);
  a->declined_by = db_col_int(st, 13);
  a->declined_at = db_col_int(st, 14);
  a->decline_reason = db_col_is_null(st, 15) ? NULL : db_col_kept(st, 15);
  a->withdrawn_by = db_col_int(st, 16);
  a->withdrawn_at = db_col_int(st, 17);
  a->withdrawn_reason = db_col_is_null(st, 18) ? NULL : db_col_kept(st, 18);
  a->review_on = db_col_int(st, 19);
  snprintf(a->review_proposer, sizeof a->review_proposer, "%s", db_col_text(st, 20) ? db_col_text(st, 20) : "");
  snprintf(a->review_other, sizeof a->review_other, "%s", db_col_text(st, 21) ? db_col_text(st, 21) : "");
}

int agreements_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  agreement_t a;
  return db_rows(db, "SELECT " AG_COLS " FROM agreements a WHERE a.couple_id = $1 ORDER BY a.created_at DESC, a.version DESC",
                 read_ag, &a, cb, ctx, "i", couple);
}

int agreements_get(db_t *db, int64_t couple, int64_t id, agreement_t *out, arena_t *keep) {
  int rc = db_row_keep(db, "SELECT " AG_COLS " FROM agreements a WHERE a.couple_id = $1 AND a.id = $2", read_ag, out, keep, "ii",
                       couple, id);
  if (rc == DB_ROW && !keep) out->title = out->text = out->decline_reason = out->withdrawn_reason = NULL;
  return rc;
}

int agreements_pending_revision(db_t *db, int64_t couple, int64_t root) {
  int64_t n = db_count(db, "SELECT COUNT(*) FROM agreements WHERE couple_id = $1 AND root_id = $2 AND status = 'proposed'", "ii",
                       couple, root);
  return n > 0 ? (int)n : 0;
}

static int sign_row(db_t *db, int64_t couple, int64_t id, int64_t me, int64_t now) {
  return db_write(db, "INSERT INTO agreement_signatures (couple_id, agreement_id, user_id, signed_at) VALUES ($1, $2, $3, $4)",
                  "iiii", couple, id, me, now);
}

int agreements_propose(db_t *db, int64_t couple, int64_t me, const char *actor_name, int64_t root, int64_t version,
               const char *title, const char *text, const char *category, int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  *id = secret_id();
  int rc = db_write(db,
      "INSERT INTO agreements (couple_id, id, root_id, version, title, text, category, status, proposed_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, 'proposed', $8, $9)",
      "iiiisssii", couple, *id, root ? root : *id, version, title, text, category, me, now);
  if (rc == DB_OK) rc = sign_row(db, couple, *id, me, now);
  if (rc == DB_OK) {
    char summary[700];
    if (version == 1) utf8_format(summary, sizeof summary, "%s proposed the agreement \"%.*s\" and signed it.", actor_name, QUOTE(title));
    else utf8_format(summary, sizeof summary, "%s proposed version %lld of \"%.*s\" and signed it.", actor_name, (long long)version, QUOTE(title));
    rc = ledger_append(db, couple, me, version == 1 ? "agreement_proposed" : "agreement_revised", *id, summary, now);
  }
  return db_end(db, rc);
}

int agreements_sign(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = sign_row(db, couple, a->id, me, now);
  if (rc == DB_OK)
    rc = db_write(db, "UPDATE agreements SET status = 'superseded' WHERE couple_id = $1 AND root_id = $2 AND status = 'active'",
                  "ii", couple, a->root_id);
  if (rc == DB_OK)
    rc = db_write(db, "UPDATE agreements SET status = 'active', activated_at = $3 WHERE couple_id = $1 AND id = $2", "iii",
                  couple, a->id, now);
  if (rc == DB_OK) {
    char summary[700];
    utf8_format(summary, sizeof summary, "%s signed \"%.*s\" (version %lld); it is now in force.", actor_name, QUOTE(a->title),
             (long long)a->version);
    rc = ledger_append(db, couple, me, "agreement_signed", a->id, summary, now);
  }
  return db_end(db, rc);
}

int agreements_retire(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, int complete, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = complete
      ? db_write(db, "UPDATE agreements SET status = 'retired', retired_at = $3 WHERE couple_id = $1 AND id = $2", "iii",
                 couple, a->id, now)
      : db_write(db, "UPDATE agreements SET retire_asked_by = $3 WHERE couple_id = $1 AND id = $2", "iii", couple, a->id, me);
  if (rc == DB_OK) {
    char summary[700];
    if (complete) utf8_format(summary, sizeof summary, "%s agreed to retire \"%.*s\"; it is retired.", actor_name, QUOTE(a->title));
    else utf8_format(summary, sizeof summary, "%s asked to retire \"%.*s\".", actor_name, QUOTE(a->title));
    rc = ledger_append(db, couple, me, complete ? "agreement_retired" : "agreement_retire_asked", a->id, summary, now);
  }
  return db_end(db, rc);
}

int agreements_decline(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, const char *reason,
                       int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "UPDATE agreements SET status = 'retired', retired_at = $4, declined_by = $3, declined_at = $4, "
                        "decline_reason = $5 WHERE couple_id = $1 AND id = $2 AND status = 'proposed' AND proposed_by <> $3",
                    "iiiis", couple, a->id, me, now, reason);
  if (rc == DB_OK && db_changes(db) == 0) rc = DB_CONSTRAINT;
  if (rc == DB_OK) {
    char summary[700];
    utf8_format(summary, sizeof summary, "%s declined \"%.*s\" (version %lld).", actor_name, QUOTE(a->title), (long long)a->version);
    rc = ledger_append(db, couple, me, "agreement_declined", a->id, summary, now);
  }
  return db_end(db, rc);
}

int agreements_withdraw_retire(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name,
                               const char *reason, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "UPDATE agreements SET retire_asked_by = NULL, withdrawn_by = $3, withdrawn_at = $4, withdrawn_reason = $5 "
                        "WHERE couple_id = $1 AND id = $2 AND status = 'active' AND retire_asked_by = $3",
                    "iiiis", couple, a->id, me, now, reason);
  if (rc == DB_OK && db_changes(db) == 0) rc = DB_CONSTRAINT;
  if (rc == DB_OK) {
    char summary[700];
    utf8_format(summary, sizeof summary, "%s no longer asks to retire \"%.*s\".", actor_name, QUOTE(a->title));
    rc = ledger_append(db, couple, me, "agreement_retire_withdrawn", a->id, summary, now);
  }
  return db_end(db, rc);
}

int agreements_counter(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, const char *text,
                       int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "UPDATE agreements SET status = 'superseded' WHERE couple_id = $1 AND id = $2 AND status = 'proposed' "
                        "AND proposed_by <> $3", "iii", couple, a->id, me);
  if (rc == DB_OK && db_changes(db) == 0) rc = DB_CONSTRAINT;
  if (rc == DB_OK) rc = agreements_propose(db, couple, me, actor_name, a->root_id, a->version + 1, a->title, text, a->category, now, id);
  return db_end(db, rc);
}

static void read_text(db_stmt_t *st, void *row) { *(const char **)row = db_col_kept(st, 0); }

int agreements_version_text(db_t *db, int64_t couple, int64_t root, int64_t version, arena_t *keep, const char **text) {
  return db_row_keep(db, "SELECT text FROM agreements WHERE couple_id = $1 AND root_id = $2 AND version = $3", read_text, text, keep,
                     "iii", couple, root, version);
}

int agreements_set_review(db_t *db, int64_t couple, int64_t id, int64_t day) {
  return db_write(db, "UPDATE agreements SET review_on = $3 WHERE couple_id = $1 AND id = $2", "iiz", couple, id, day);
}

int agreements_review(db_t *db, int64_t couple, const agreement_t *a, int64_t me, const char *actor_name, const char *choice,
                      int64_t today, int64_t now, int *closed) {
  *closed = 0;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "INSERT INTO agreement_reviews (couple_id, agreement_id, user_id, choice, at) VALUES ($1, $2, $3, $4, $5) "
                        "ON CONFLICT (couple_id, agreement_id, user_id) DO NOTHING", "iiisi", couple, a->id, me, choice, now);
  if (rc == DB_OK && db_changes(db) == 0) rc = DB_CONSTRAINT;
  int64_t ends = 0, n = 0;
  if (rc == DB_OK) {
    n = db_count(db, "SELECT COUNT(*) FROM agreement_reviews WHERE couple_id = $1 AND agreement_id = $2", "ii", couple, a->id);
    ends = db_count(db, "SELECT COUNT(*) FROM agreement_reviews WHERE couple_id = $1 AND agreement_id = $2 AND choice = 'end'", "ii",
                    couple, a->id);
    if (n < 0 || ends < 0) rc = DB_ERROR;
  }
  char summary[700];
  if (rc == DB_OK && n < 2) {
    utf8_format(summary, sizeof summary, "%s made their choice at the review of \"%.*s\".", actor_name, QUOTE(a->title));
    rc = ledger_append(db, couple, me, "agreement_review_chosen", a->id, summary, now);
  } else if (rc == DB_OK) {
    *closed = 1;
    if (ends == 2) {
      rc = db_write(db, "UPDATE agreements SET status = 'retired', retired_at = $3, review_on = NULL WHERE couple_id = $1 AND id = $2",
                    "iii", couple, a->id, now);
      utf8_format(summary, sizeof summary, "At its review, both ended \"%.*s\"; it is retired.", QUOTE(a->title));
    } else {
      /* the next review after the same span as this one, counted from its start, a week at least */
      int64_t start = a->activated_at ? a->activated_at / 86400 : today, span = a->review_on - start;
      if (span < 7) span = 7;
      rc = db_write(db, "UPDATE agreements SET review_on = $3 WHERE couple_id = $1 AND id = $2", "iii", couple, a->id, today + span);
      utf8_format(summary, sizeof summary, "At its review, \"%.*s\" stays in force%s.", QUOTE(a->title),
                  ends ? " (one of you would end it: talk it through)" : "");
    }
    if (rc == DB_OK) rc = db_write(db, "DELETE FROM agreement_reviews WHERE couple_id = $1 AND agreement_id = $2", "ii", couple, a->id);
    if (rc == DB_OK) rc = ledger_append(db, couple, me, "agreement_reviewed", a->id, summary, now);
  }
  return db_end(db, rc);
}
