/* counsellors.c (db): counsellors' accounts, couples' access to them, what the counsellor
   opened, their sealed notes and their suggestions. */
#include "counsellors.h"
#include "core/secret.h"
#include <stdio.h>
#include <string.h>

/* The counsellor's own space and account, inside the caller's transaction. */
static int add_account(db_t *db, user_t *u, const char *pwhash, int once, int64_t now) {
  u->couple_id = secret_id();
  u->id = secret_id();
  u->created_at = now;
  int rc = db_write(db, "INSERT INTO couples (id, created_at, counsellor) VALUES ($1, $2, 1)", "ii", u->couple_id, now);
  if (rc == DB_OK)
    rc = db_write(db,
        "INSERT INTO users (couple_id, id, username, display_name, password_hash, created_at, position, password_once) "
        "VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
        "iisssii", u->couple_id, u->id, u->username, u->display_name, pwhash, now, (int64_t)once);
  return rc;
}

int counsellor_add(db_t *db, user_t *u, const char *pwhash, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  return db_end(db, add_account(db, u, pwhash, 1, now));
}

static void read_counsellor(db_stmt_t *st, void *row) {
  user_t *u = row;
  memset(u, 0, sizeof *u);
  u->couple_id = db_col_int(st, 0);
  u->id = db_col_int(st, 1);
  const char *n = db_col_text(st, 2), *d = db_col_text(st, 3);
  snprintf(u->username, sizeof u->username, "%s", n ? n : "");
  snprintf(u->display_name, sizeof u->display_name, "%s", d ? d : "");
}

int counsellor_find(db_t *db, const char *username, user_t *out) {
  return db_row(db,
      "SELECT u.couple_id, u.id, u.username, u.display_name FROM users u JOIN couples c ON c.id = u.couple_id "
      "WHERE u.username = $1 AND c.counsellor = 1 AND u.deleted_at IS NULL",
      read_counsellor, out, "s", username);
}

int counsellor_space(db_t *db, int64_t couple) {
  return db_count(db, "SELECT COUNT(*) FROM couples WHERE id = $1 AND counsellor = 1", "i", couple) == 1;
}

int counsellor_password_once(db_t *db, int64_t couple, int64_t user) {
  return db_count(db, "SELECT COUNT(*) FROM users WHERE couple_id = $1 AND id = $2 AND password_once = 1", "ii", couple, user) == 1;
}

/* ---- access ---- */

/* The counsellor's name is the one they chose, else (invited by e-mail, not joined yet) the one
   the couple gave; their username is NULL until they have an account. */
#define A_COLS "a.id, a.couple_id, a.counsellor_id, a.asked_by, a.asked_at, COALESCE(a.agreed_by, 0), COALESCE(a.agreed_at, 0), " \
               "COALESCE(a.ended_by, 0), COALESCE(a.ended_at, 0), a.tools, COALESCE(u.display_name, i.name), u.username, " \
               "c.data_version, i.address, COALESCE(i.mailed_at, 0), COALESCE(i.joined_at, 0), " \
               "CASE WHEN i.code_mail IS NOT NULL AND i.mail_tries > 0 THEN i.next_mail_at ELSE 0 END, COALESCE(i.undelivered_at, 0)"
#define A_FROM " FROM counsellor_access a LEFT JOIN users u ON u.id = a.counsellor_id " \
               "LEFT JOIN counsellor_invites i ON i.couple_id = a.couple_id AND i.access_id = a.id JOIN couples c ON c.id = a.couple_id "

static void read_access(db_stmt_t *st, void *row) {
  access_t *a = row;
  *a = (access_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4),
                  db_col_int(st, 5), db_col_int(st, 6), db_col_int(st, 7), db_col_int(st, 8),
                  db_col_kept(st, 9), db_col_kept(st, 10), db_col_kept(st, 11), db_col_int(st, 12),
                  db_col_kept(st, 13), db_col_int(st, 14), db_col_int(st, 15), db_col_int(st, 16), db_col_int(st, 17)};
}

int access_ask(db_t *db, int64_t couple, int64_t id, int64_t counsellor, const char *tools, int64_t by, int64_t now) {
  return db_write(db,
      "INSERT INTO counsellor_access (couple_id, id, counsellor_id, tools, asked_by, asked_at) VALUES ($1, $2, $3, $4, $5, $6)",
      "iiisii", couple, id, counsellor, tools, by, now);
}

int access_agree(db_t *db, int64_t couple, int64_t id, int64_t by, int64_t now) {
  int rc = db_write(db,
      "UPDATE counsellor_access SET agreed_by = $3, agreed_at = $4 WHERE couple_id = $1 AND id = $2 "
      "AND agreed_at IS NULL AND ended_at IS NULL AND asked_by <> $3",
      "iiii", couple, id, by, now);
  if (rc == DB_OK && db_changes(db) != 1) rc = DB_CONSTRAINT;
  return rc;
}

int access_end(db_t *db, int64_t couple, int64_t id, int64_t by, int64_t now) {
  int rc = db_write(db,
      "UPDATE counsellor_access SET ended_by = $3, ended_at = $4 WHERE couple_id = $1 AND id = $2 AND ended_at IS NULL",
      "iiii", couple, id, by, now);
  if (rc == DB_OK && db_changes(db) != 1) rc = DB_CONSTRAINT;
  /* an invitation not mailed yet never will be: its code goes */
  if (rc == DB_OK)
    rc = db_write(db, "UPDATE counsellor_invites SET code_mail = NULL WHERE couple_id = $1 AND access_id = $2 AND code_mail IS NOT NULL",
                  "ii", couple, id);
  return rc;
}

int access_get(db_t *db, int64_t couple, int64_t id, access_t *out, arena_t *keep) {
  return db_row_keep(db, "SELECT " A_COLS A_FROM "WHERE a.couple_id = $1 AND a.id = $2", read_access, out, keep, "ii", couple, id);
}

int access_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  access_t a;
  return db_rows(db, "SELECT " A_COLS A_FROM "WHERE a.couple_id = $1 ORDER BY a.asked_at DESC, a.id", read_access, &a, cb, ctx,
                 "i", couple);
}

static void read_view(db_stmt_t *st, void *row) {
  access_view *v = row;
  *v = (access_view){db_col_int(st, 0), db_col_text(st, 1)};
}

int access_views(db_t *db, int64_t couple, int64_t access, db_each cb, void *ctx) {
  access_view v;
  return db_rows(db, "SELECT at, page FROM counsellor_views WHERE couple_id = $1 AND access_id = $2 ORDER BY at DESC",
                 read_view, &v, cb, ctx, "ii", couple, access);
}

int access_view_add(db_t *db, int64_t couple, int64_t access, const char *page, int64_t now) {
  return db_write(db, "INSERT INTO counsellor_views (couple_id, access_id, at, page) VALUES ($1, $2, $3, $4)", "iiis", couple,
                  access, now, page);
}

int counsellor_couples(db_t *db, int64_t counsellor, db_each cb, void *ctx) {
  access_t a;
  return db_rows(db,
      "SELECT " A_COLS A_FROM "WHERE a.counsellor_id = $1 AND a.agreed_at IS NOT NULL "
      "ORDER BY a.ended_at IS NOT NULL, COALESCE(a.ended_at, a.agreed_at) DESC, a.id",
      read_access, &a, cb, ctx, "i", counsellor);
}

int counsellor_access(db_t *db, int64_t counsellor, int64_t couple, access_t *out, arena_t *keep) {
  return db_row_keep(db,
      "SELECT " A_COLS A_FROM "WHERE a.counsellor_id = $1 AND a.couple_id = $2 AND a.agreed_at IS NOT NULL AND a.ended_at IS NULL",
      read_access, out, keep, "ii", counsellor, couple);
}

typedef struct { uint64_t h; } print_acc;
static void read_print(db_stmt_t *st, void *row) {
  int64_t *v = row;
  for (int i = 0; i < 4; i++) v[i] = db_col_int(st, i);
}
static void mix(void *p, const void *row) {
  print_acc *a = p;
  const int64_t *v = row;
  for (int i = 0; i < 4; i++)
    for (int b = 0; b < 8; b++) a->h = (a->h ^ (uint64_t)((v[i] >> (8 * b)) & 0xff)) * 1099511628211ull; /* FNV-1a */
}

int counsellor_fingerprint(db_t *db, int64_t counsellor, uint64_t *out) {
  int64_t v[4];
  print_acc a = {14695981039346656037ull};
  int rc = db_rows(db,
      "SELECT a.couple_id, a.id, COALESCE(a.ended_at, 0), c.data_version FROM counsellor_access a JOIN couples c ON c.id = a.couple_id "
      "WHERE a.counsellor_id = $1 AND a.agreed_at IS NOT NULL ORDER BY a.couple_id, a.id",
      read_print, v, mix, &a, "i", counsellor);
  *out = a.h;
  return rc;
}

/* ---- notes and suggestions ---- */

int cnote_add(db_t *db, int64_t couple, int64_t id, int64_t counsellor, const void *sealed, size_t n, int64_t now) {
  return db_write(db, "INSERT INTO counsellor_notes (couple_id, id, counsellor_id, created_at, sealed) VALUES ($1, $2, $3, $4, $5)",
                  "iiiib", couple, id, counsellor, now, sealed, n);
}

static void read_note(db_stmt_t *st, void *row) {
  cnote_t *c = row;
  *c = (cnote_t){db_col_int(st, 0), db_col_int(st, 1), db_col_blob(st, 2), db_col_bytes(st, 2)};
}

int cnote_list(db_t *db, int64_t couple, int64_t counsellor, db_each cb, void *ctx) {
  cnote_t c;
  return db_rows(db, "SELECT id, created_at, sealed FROM counsellor_notes WHERE couple_id = $1 AND counsellor_id = $2 "
                     "ORDER BY created_at DESC, id", read_note, &c, cb, ctx, "ii", couple, counsellor);
}

int suggestion_add(db_t *db, int64_t couple, int64_t id, int64_t counsellor, const char *text, int64_t now) {
  return db_write(db, "INSERT INTO counsellor_suggestions (couple_id, id, counsellor_id, text, created_at) VALUES ($1, $2, $3, $4, $5)",
                  "iiisi", couple, id, counsellor, text, now);
}

static void read_suggestion(db_stmt_t *st, void *row) {
  suggestion_t *s = row;
  *s = (suggestion_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3), db_col_text(st, 4)};
}

int suggestions_for(db_t *db, int64_t couple, int64_t user, db_each cb, void *ctx) {
  suggestion_t s;
  return db_rows(db,
      "SELECT s.id, s.counsellor_id, s.created_at, s.text, u.display_name FROM counsellor_suggestions s "
      "JOIN users u ON u.id = s.counsellor_id WHERE s.couple_id = $1 AND NOT EXISTS (SELECT 1 FROM counsellor_suggestion_seen x "
      "WHERE x.couple_id = s.couple_id AND x.suggestion_id = s.id AND x.user_id = $2) ORDER BY s.created_at DESC, s.id",
      read_suggestion, &s, cb, ctx, "ii", couple, user);
}

int suggestion_seen(db_t *db, int64_t couple, int64_t id, int64_t user, int64_t now) {
  if (db_count(db, "SELECT COUNT(*) FROM counsellor_suggestions WHERE couple_id = $1 AND id = $2", "ii", couple, id) != 1)
    return DB_DONE;
  return db_write(db,
      "INSERT INTO counsellor_suggestion_seen (couple_id, suggestion_id, user_id, at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (couple_id, suggestion_id, user_id) DO NOTHING", "iiii", couple, id, user, now);
}

/* ---- invitations by e-mail ---- */

int invite_ask(db_t *db, int64_t couple, int64_t id, const char *address, const char *name, const char *tools, int64_t by,
               const unsigned char hash[HASH_BYTES], const char *code, int64_t now) {
  if (db_count(db,
          "SELECT COUNT(*) FROM counsellor_invites i JOIN counsellor_access a ON a.couple_id = i.couple_id AND a.id = i.access_id "
          "WHERE i.couple_id = $1 AND lower(i.address) = lower($2) AND a.ended_at IS NULL AND i.joined_at IS NULL",
          "is", couple, address) != 0)
    return DB_CONSTRAINT;
  int rc = access_ask(db, couple, id, -id, tools, by, now);
  if (rc == DB_OK)
    rc = db_write(db,
        "INSERT INTO counsellor_invites (couple_id, access_id, address, name, code_hash, code_mail) VALUES ($1, $2, $3, $4, $5, $6)",
        "iissbs", couple, id, address, name, hash, (size_t)HASH_BYTES, code);
  return rc;
}

static void read_unmailed(db_stmt_t *st, void *row) {
  invite_mail *m = row;
  *m = (invite_mail){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3), db_col_text(st, 4)};
}

int invite_unmailed(db_t *db, int64_t now, db_each cb, void *ctx) {
  invite_mail m;
  return db_rows(db,
      "SELECT i.couple_id, i.access_id, a.asked_by, i.address, i.code_mail FROM counsellor_invites i "
      "JOIN counsellor_access a ON a.couple_id = i.couple_id AND a.id = i.access_id "
      "WHERE i.code_mail IS NOT NULL AND a.agreed_at IS NOT NULL AND a.ended_at IS NULL "
      "AND (i.next_mail_at IS NULL OR i.next_mail_at <= $1)",
      read_unmailed, &m, cb, ctx, "i", now);
}

/* What the couple's page says of the invitation changes with it: a new data version, so no
   loop answers from what it kept of the couple's rows before. */
int invite_mailed(db_t *db, int64_t couple, int64_t access, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "UPDATE counsellor_invites SET code_mail = NULL, mailed_at = $3 WHERE couple_id = $1 AND access_id = $2",
                    "iii", couple, access, now);
  if (rc == DB_OK) rc = db_bump_couple(db, couple);
  return db_end(db, rc);
}

/* One statement decides from the count it reads: the last try forgets the code. */
int invite_refused(db_t *db, int64_t couple, int64_t access, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db,
      "UPDATE counsellor_invites SET mail_tries = mail_tries + 1, "
      "next_mail_at = $3 + $4 * (mail_tries + 1) * (mail_tries + 1), "
      "code_mail = CASE WHEN mail_tries + 1 >= $5 THEN NULL ELSE code_mail END, "
      "undelivered_at = CASE WHEN mail_tries + 1 >= $5 THEN $3 ELSE NULL END "
      "WHERE couple_id = $1 AND access_id = $2 AND code_mail IS NOT NULL",
      "iiiii", couple, access, now, (int64_t)COUNSELLOR_INVITE_WAIT, (int64_t)COUNSELLOR_INVITE_TRIES);
  if (rc == DB_OK) rc = db_bump_couple(db, couple);
  return db_end(db, rc);
}

typedef struct { invite_seen *out; int64_t mailed, joined, ended; } invite_row;
static void read_invite(db_stmt_t *st, void *row) {
  invite_row *r = row;
  r->out->couple_id = db_col_int(st, 0);
  r->out->access_id = db_col_int(st, 1);
  const char *n = db_col_text(st, 2);
  snprintf(r->out->name, sizeof r->out->name, "%s", n ? n : "");
  r->mailed = db_col_int(st, 3);
  r->joined = db_col_int(st, 4);
  r->ended = db_col_int(st, 5);
}

int invite_status(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now, invite_seen *out) {
  invite_row r = {out, 0, 0, 0};
  int rc = db_row(db,
      "SELECT i.couple_id, i.access_id, i.name, COALESCE(i.mailed_at, 0), COALESCE(i.joined_at, 0), COALESCE(a.ended_at, 0) "
      "FROM counsellor_invites i JOIN counsellor_access a ON a.couple_id = i.couple_id AND a.id = i.access_id WHERE i.code_hash = $1",
      read_invite, &r, "b", hash, (size_t)HASH_BYTES);
  if (rc != DB_ROW) return rc == DB_DONE ? JOIN_UNKNOWN : JOIN_ERROR;
  /* a code is known only from its mail: one not mailed, used, ended or old is gone */
  if (!r.mailed || r.joined || r.ended || now >= r.mailed + COUNSELLOR_INVITE_DAYS * 86400) return JOIN_GONE;
  return JOIN_OK;
}

/* The access moves to its counsellor only from the state it was read in (JOIN_GONE when it
   was ended or taken meanwhile; JOIN_TAKEN when they have an open access to the couple
   already); the couple's rows change with it (a new version: nothing cached of them outlives
   it). Inside the caller's transaction. */
static int give_access(db_t *db, const invite_seen *in, int64_t counsellor, int64_t now) {
  int rc = db_write(db, "UPDATE counsellor_access SET counsellor_id = $3 WHERE couple_id = $1 AND id = $2 AND counsellor_id = -id "
                        "AND ended_at IS NULL", "iii", in->couple_id, in->access_id, counsellor);
  if (rc == DB_CONSTRAINT) return JOIN_TAKEN;
  if (rc == DB_OK && db_changes(db) != 1) return JOIN_GONE;
  if (rc == DB_OK)
    rc = db_write(db, "UPDATE counsellor_invites SET joined_at = $3 WHERE couple_id = $1 AND access_id = $2", "iii", in->couple_id,
                  in->access_id, now);
  if (rc == DB_OK) rc = db_write(db, "UPDATE couples SET data_version = data_version + 1 WHERE id = $1", "i", in->couple_id);
  return rc == DB_OK ? JOIN_OK : JOIN_ERROR;
}

int invite_join(db_t *db, const unsigned char hash[HASH_BYTES], user_t *u, const char *pwhash, int64_t now) {
  if (db_begin(db) != DB_OK) return JOIN_ERROR;
  invite_seen in;
  int out = invite_status(db, hash, now, &in);
  if (out == JOIN_OK) {
    int rc = add_account(db, u, pwhash, 0, now);
    if (rc == DB_CONSTRAINT) out = JOIN_TAKEN;
    else if (rc != DB_OK) out = JOIN_ERROR;
  }
  if (out == JOIN_OK) out = give_access(db, &in, u->id, now);
  if (out != JOIN_OK) {
    db_rollback(db);
    return out;
  }
  return db_commit(db) == DB_OK ? JOIN_OK : JOIN_ERROR;
}

int invite_accept(db_t *db, const unsigned char hash[HASH_BYTES], int64_t counsellor, int64_t now, int64_t *couple) {
  if (db_begin(db) != DB_OK) return JOIN_ERROR;
  invite_seen in;
  int out = invite_status(db, hash, now, &in);
  if (out == JOIN_OK) out = give_access(db, &in, counsellor, now);
  if (out != JOIN_OK) {
    db_rollback(db);
    return out;
  }
  *couple = in.couple_id;
  return db_commit(db) == DB_OK ? JOIN_OK : JOIN_ERROR;
}
