/* accounts.c: SQL for accounts and couples. */
#include "accounts.h"
#include "core/days.h"
#include "core/throttle.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void copy_col(db_stmt_t *st, int col, char *out, size_t cap) {
  const char *s = db_col_text(st, col);
  size_t n = s ? db_col_bytes(st, col) : 0;
  if (n >= cap) n = cap - 1;
  if (n) memcpy(out, s, n);
  out[n] = 0;
}

static int insert_user(db_t *db, user_t *u, int position, const char *pwhash, int64_t now) {
  u->id = secret_id();
  u->created_at = now;
  return db_write(db,
      "INSERT INTO users (couple_id, id, username, display_name, password_hash, created_at, position) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      "iisssii", u->couple_id, u->id, u->username, u->display_name, pwhash, now, (int64_t)position);
}

int acct_signup(db_t *db, user_t *u, const char *pwhash, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  u->couple_id = secret_id();
  int rc = db_write(db, "INSERT INTO couples (id, created_at) VALUES ($1, $2)", "ii", u->couple_id, now);
  if (rc == DB_OK) rc = insert_user(db, u, 1, pwhash, now);
  return db_end(db, rc);
}

#define USER_COLS "couple_id, id, username, display_name, created_at, timezone, COALESCE(deleted_at, 0), COALESCE(path, ''), COALESCE(language, '')"
#define USER_NCOLS 9
static void read_user_at(db_stmt_t *st, int c, user_t *u) {
  u->couple_id = db_col_int(st, c);
  u->id = db_col_int(st, c + 1);
  copy_col(st, c + 2, u->username, sizeof u->username);
  copy_col(st, c + 3, u->display_name, sizeof u->display_name);
  u->created_at = db_col_int(st, c + 4);
  copy_col(st, c + 5, u->timezone, sizeof u->timezone);
  u->deleted_at = db_col_int(st, c + 6);
  copy_col(st, c + 7, u->path, sizeof u->path);
  copy_col(st, c + 8, u->language, sizeof u->language);
}
static void read_user(db_stmt_t *st, void *row) { read_user_at(st, 0, row); }

typedef struct { user_t *u; char *pwhash; } login_row;
static void read_login(db_stmt_t *st, void *row) {
  login_row *l = row;
  read_user_at(st, 0, l->u);
  copy_col(st, USER_NCOLS, l->pwhash, PWHASH_CHARS);
}

static void read_hash(db_stmt_t *st, void *row) { copy_col(st, 0, row, PWHASH_CHARS); }

int acct_find_login(db_t *db, const char *username, user_t *u, char pwhash[PWHASH_CHARS]) {
  login_row l = {u, pwhash};
  return db_row(db, "SELECT " USER_COLS ", password_hash FROM users WHERE username = $1", read_login, &l, "s", username);
}

int acct_password_hash(db_t *db, int64_t couple, int64_t user, char pwhash[PWHASH_CHARS]) {
  return db_row(db, "SELECT password_hash FROM users WHERE couple_id = $1 AND id = $2", read_hash, pwhash, "ii", couple, user);
}

int acct_set_password(db_t *db, int64_t couple, int64_t user, const char *old, const char *pwhash) {
  int rc = db_write(db, "UPDATE users SET password_hash = $3, password_once = 0 WHERE couple_id = $1 AND id = $2 AND password_hash = $4",
                    "iiss", couple, user, pwhash, old);
  if (rc == DB_OK && db_changes(db) != 1) return DB_CONSTRAINT;
  return rc;
}

typedef struct { user_t *out; int *n; } partners_acc;
static void keep_partner(void *ctx, const void *row) {
  partners_acc *a = ctx;
  if (*a->n < 2) a->out[(*a->n)++] = *(const user_t *)row;
}

int acct_partners(db_t *db, int64_t couple, user_t out[2], int *n) {
  *n = 0;
  user_t u;
  partners_acc a = {out, n};
  return db_rows(db, "SELECT " USER_COLS " FROM users WHERE couple_id = $1 ORDER BY position", read_user, &u, keep_partner, &a,
                 "i", couple);
}

int acct_partners_seen_by(db_t *db, int64_t counsellor, db_each cb, void *ctx) {
  user_t u;
  return db_rows(db,
      "SELECT " USER_COLS " FROM users WHERE couple_id IN (SELECT couple_id FROM counsellor_access WHERE counsellor_id = $1 "
      "AND agreed_at IS NOT NULL) ORDER BY couple_id, position", read_user, &u, cb, ctx, "i", counsellor);
}

int acct_user(db_t *db, int64_t couple, int64_t id, user_t *u) {
  return db_row(db, "SELECT " USER_COLS " FROM users WHERE couple_id = $1 AND id = $2", read_user, u, "ii", couple, id);
}

int acct_session_create(db_t *db, const unsigned char hash[HASH_BYTES], const user_t *u, int api,
                        const unsigned char *sealed_key, int64_t now) {
  return db_write(db,
      "INSERT INTO sessions (token_hash, couple_id, user_id, kind, created_at, seen_at, sealed_key) "
      "VALUES ($1, $2, $3, $4, $5, $5, $6)",
      "biisib", hash, (size_t)HASH_BYTES, u->couple_id, u->id, api ? "api" : "web", now, sealed_key, (size_t)SEAL_WRAPPED);
}

typedef struct { int ok; unsigned char box[SEAL_KEYBOX]; } box_row;
static void read_box(db_stmt_t *st, void *row) {
  box_row *b = row;
  b->ok = db_col_bytes(st, 0) == SEAL_KEYBOX;
  if (b->ok) memcpy(b->box, db_col_blob(st, 0), SEAL_KEYBOX);
}

/* DB_ROW with the user's keybox; DB_DONE when they have none (or no such user). */
int acct_keybox(db_t *db, int64_t couple, int64_t user, unsigned char box[SEAL_KEYBOX]) {
  box_row b;
  int rc = db_row(db, "SELECT keybox FROM users WHERE couple_id = $1 AND id = $2", read_box, &b, "ii", couple, user);
  if (rc == DB_ROW && !b.ok) return DB_DONE;
  if (rc == DB_ROW) memcpy(box, b.box, SEAL_KEYBOX);
  return rc;
}

int acct_set_keybox(db_t *db, int64_t couple, int64_t user, const unsigned char box[SEAL_KEYBOX]) {
  return db_write(db, "UPDATE users SET keybox = $3 WHERE couple_id = $1 AND id = $2", "iib", couple, user, box,
               (size_t)SEAL_KEYBOX);
}

static void read_session(db_stmt_t *st, void *row) {
  session_t *s = row;
  read_user_at(st, 0, &s->user);
  int c = USER_NCOLS;
  s->created_at = db_col_int(st, c);
  s->seen_at = db_col_int(st, c + 1);
  const char *k = db_col_text(st, c + 2);
  s->api = k && k[0] == 'a';
  s->has_key = db_col_bytes(st, c + 3) == SEAL_WRAPPED;
  if (s->has_key) memcpy(s->sealed_key, db_col_blob(st, c + 3), SEAL_WRAPPED);
  s->position = (int)db_col_int(st, c + 4);
  s->has_partner = !db_col_is_null(st, c + 5);
  if (s->has_partner) read_user_at(st, c + 5, &s->partner);
  s->couple_version = db_col_int(st, c + 5 + USER_NCOLS);
  s->timeout_until = db_col_int(st, c + 6 + USER_NCOLS);
  s->counsellor = (int)db_col_int(st, c + 7 + USER_NCOLS);
  s->password_once = (int)db_col_int(st, c + 8 + USER_NCOLS);
}

int acct_session_get(db_t *db, const unsigned char hash[HASH_BYTES], session_t *s) {
  return db_row(db,
      "SELECT u.couple_id, u.id, u.username, u.display_name, u.created_at, u.timezone, COALESCE(u.deleted_at, 0), "
      "COALESCE(u.path, ''), COALESCE(u.language, ''), s.created_at, s.seen_at, s.kind, s.sealed_key, u.position, "
      "p.couple_id, p.id, p.username, p.display_name, p.created_at, p.timezone, COALESCE(p.deleted_at, 0), "
      "COALESCE(p.path, ''), COALESCE(p.language, ''), c.data_version, c.timeout_until, c.counsellor, u.password_once "
      "FROM sessions s JOIN users u ON u.couple_id = s.couple_id AND u.id = s.user_id "
      "JOIN couples c ON c.id = s.couple_id "
      "LEFT JOIN users p ON p.couple_id = s.couple_id AND p.id <> s.user_id WHERE s.token_hash = $1",
      read_session, s, "b", hash, (size_t)HASH_BYTES);
}

int acct_session_touch(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now) {
  return db_write(db, "UPDATE sessions SET seen_at = $2 WHERE token_hash = $1", "bi", hash, (size_t)HASH_BYTES, now);
}

int acct_session_delete(db_t *db, const unsigned char hash[HASH_BYTES]) {
  return db_write(db, "DELETE FROM sessions WHERE token_hash = $1", "b", hash, (size_t)HASH_BYTES);
}

int acct_sessions_end(db_t *db, int64_t couple, int64_t user, const unsigned char *keep) {
  static const unsigned char none[HASH_BYTES];
  return db_write(db, "DELETE FROM sessions WHERE couple_id = $1 AND user_id = $2 AND token_hash <> $3", "iib", couple, user,
                  keep ? keep : none, (size_t)HASH_BYTES);
}

int acct_invite_create(db_t *db, int64_t couple, int64_t by, const unsigned char hash[HASH_BYTES], int64_t now, int64_t expires) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "DELETE FROM invites WHERE couple_id = $1 AND used_at IS NULL", "i", couple);
  if (rc == DB_OK)
    rc = db_write(db, "INSERT INTO invites (couple_id, code_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                  "ibiii", couple, hash, (size_t)HASH_BYTES, by, now, expires);
  return db_end(db, rc);
}

int64_t acct_invite_pending(db_t *db, int64_t couple, int64_t now) {
  int64_t v = db_count(db, "SELECT COALESCE(MAX(expires_at), 0) FROM invites WHERE couple_id = $1 AND used_at IS NULL AND expires_at > $2",
                       "ii", couple, now);
  return v < 0 ? 0 : v;
}

typedef struct { int64_t couple, expires, partners; int used; } invite_row;
static void read_invite(db_stmt_t *st, void *row) {
  invite_row *r = row;
  *r = (invite_row){db_col_int(st, 0), db_col_int(st, 2), db_col_int(st, 3), !db_col_is_null(st, 1)};
}

/* Reads an invite and the number of partners of its couple. */
static int invite_read(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now, int64_t *couple) {
  invite_row r;
  int rc = db_row(db,
      "SELECT i.couple_id, i.used_at, i.expires_at, (SELECT COUNT(*) FROM users u WHERE u.couple_id = i.couple_id) "
      "FROM invites i WHERE i.code_hash = $1",
      read_invite, &r, "b", hash, (size_t)HASH_BYTES);
  if (rc != DB_ROW) return rc == DB_DONE ? JOIN_UNKNOWN : JOIN_ERROR;
  *couple = r.couple;
  if (r.used || r.expires <= now) return JOIN_GONE;
  return r.partners >= 2 ? JOIN_FULL : JOIN_OK;
}

int acct_invite_status(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now) {
  int64_t couple;
  return invite_read(db, hash, now, &couple);
}

int acct_join(db_t *db, const unsigned char hash[HASH_BYTES], user_t *u, const char *pwhash, int64_t now) {
  if (db_begin(db) != DB_OK) return JOIN_ERROR;
  int out = invite_read(db, hash, now, &u->couple_id);
  if (out == JOIN_OK) {
    int rc = insert_user(db, u, 2, pwhash, now);
    if (rc == DB_CONSTRAINT) out = JOIN_TAKEN;
    else if (rc != DB_OK) out = JOIN_ERROR;
  }
  /* the inviter's couple changes: a new version, so nothing cached of it outlives the join */
  if (out == JOIN_OK &&
      (db_write(db, "UPDATE couples SET data_version = data_version + 1 WHERE id = $1", "i", u->couple_id) != DB_OK ||
       db_write(db, "UPDATE invites SET used_at = $3, used_by = $4 WHERE couple_id = $1 AND code_hash = $2", "ibii", u->couple_id,
                hash, (size_t)HASH_BYTES, now, u->id) != DB_OK))
    out = JOIN_ERROR;
  if (out != JOIN_OK) {
    db_rollback(db);
    if (out == JOIN_TAKEN) {
      /* the refusal was the username, or (in a race) the second place just filled; asked
         after the rollback, as PostgreSQL answers nothing inside a failed transaction */
      user_t other;
      char h[PWHASH_CHARS];
      if (acct_find_login(db, u->username, &other, h) != DB_ROW) out = JOIN_FULL;
    }
    return out;
  }
  return db_commit(db) == DB_OK ? JOIN_OK : JOIN_ERROR;
}

static int64_t key_of(const char *scope, const char *key) {
  unsigned char h[8];
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, sizeof h);
  crypto_generichash_update(&st, (const unsigned char *)scope, strlen(scope) + 1);
  crypto_generichash_update(&st, (const unsigned char *)key, strlen(key));
  crypto_generichash_final(&st, h, sizeof h);
  uint64_t k = 0;
  for (int i = 0; i < 8; i++) k = k << 8 | h[i];
  return (int64_t)(k >> 1); /* a non-negative bigint for pg_advisory_xact_lock */
}

static void read_pair(db_stmt_t *st, void *row) {
  int64_t *v = row;
  v[0] = db_col_int(st, 0);
  v[1] = db_col_int(st, 1);
}

/* Reads the count, decides by the rule, and writes the next count, under a lock on the key. */
static int64_t throttle_take(db_t *db, const char *scope, const char *key, int64_t now, throttle_rule rule, int arg) {
  if (db_lock_key(db, key_of(scope, key)) != DB_OK) return -1;
  int64_t seen[2] = {0, 0};
  int rc = db_row(db, "SELECT window_start, failures FROM login_throttle WHERE scope = $1 AND key = $2", read_pair, seen, "ss",
                  scope, key);
  if (rc != DB_ROW && rc != DB_DONE) return -1;
  throttle_step next = rule(seen[1], seen[0], now, arg);
  if (next.wait > 0) return next.wait;
  rc = db_write(db, "INSERT INTO login_throttle (scope, key, window_start, failures) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (scope, key) DO UPDATE SET window_start = excluded.window_start, failures = excluded.failures",
             "ssii", scope, key, next.at, next.n);
  return rc == DB_OK ? 0 : -1;
}

int64_t throttle_reserve(db_t *db, const char *scope, const char *key, int64_t now, int free_attempts) {
  return throttle_take(db, scope, key, now, throttle_backoff, free_attempts);
}

int64_t throttle_hourly(db_t *db, const char *scope, const char *key, int64_t now, int limit) {
  return throttle_take(db, scope, key, now, throttle_hourly_window, limit);
}

void throttle_forgive(db_t *db, const char *scope, const char *key) {
  db_write(db, "UPDATE login_throttle SET failures = failures - 1 WHERE scope = $1 AND key = $2 AND failures > 0", "ss", scope, key);
}

void throttle_clear(db_t *db, const char *scope, const char *key) {
  db_write(db, "DELETE FROM login_throttle WHERE scope = $1 AND key = $2", "ss", scope, key);
}

int acct_set_language(db_t *db, int64_t couple, int64_t user, const char *language) {
  return db_write(db, "UPDATE users SET language = NULLIF($3, '') WHERE couple_id = $1 AND id = $2", "iis", couple, user,
                  language);
}

int acct_set_path(db_t *db, int64_t couple, int64_t user, const char *path) {
  return db_write(db, "UPDATE users SET path = $3 WHERE couple_id = $1 AND id = $2", "iis", couple, user, path);
}

int acct_set_timezone(db_t *db, int64_t couple, int64_t user, const char *tz) {
  return db_write(db, "UPDATE users SET timezone = $3 WHERE couple_id = $1 AND id = $2", "iis", couple, user, tz);
}

/* ---- deleting an account, erasing a couple ---- */

/* What only this partner could see, and what ties them to mend, in the order the database
   allows; each statement binds $1 couple and $2 user. */
static const char *const private_of_user[] = {
  "DELETE FROM feelings WHERE couple_id = $1 AND author_id = $2 AND shared = 0",
  "DELETE FROM triggers WHERE couple_id = $1 AND author_id = $2 AND shared = 0",
  "DELETE FROM journal_entries WHERE couple_id = $1 AND author_id = $2 AND is_private = 1",
  "DELETE FROM journal_additions WHERE couple_id = $1 AND author_id = $2 AND sealed IS NOT NULL",
  "DELETE FROM forgiveness_notes WHERE couple_id = $1 AND author_id = $2 AND shared_at IS NULL",
  "DELETE FROM apologies WHERE couple_id = $1 AND author_id = $2 AND delivered_at IS NULL",
  "DELETE FROM checkin_answers WHERE couple_id = $1 AND user_id = $2 AND week NOT IN "
  "(SELECT o.week FROM checkin_answers o WHERE o.couple_id = $1 AND o.user_id <> $2)",
  "DELETE FROM breach_accounts WHERE couple_id = $1 AND user_id = $2 AND "
  "(SELECT COUNT(*) FROM breach_accounts b WHERE b.couple_id = $1) < 2",
  "DELETE FROM closeness_choices WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM rest_choices WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM erase_choices WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM guidance_prompts WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM calendar_feeds WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM push_subscriptions WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM reminder_settings WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM push_sent WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM reminder_emails WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM email_sent WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM program_ready WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM sessions WHERE couple_id = $1 AND user_id = $2",
  "DELETE FROM invites WHERE couple_id = $1 AND created_by = $2 AND used_at IS NULL",
};

int acct_delete_user(db_t *db, int64_t couple, int64_t user, int64_t now) {
  user_t u;
  int rc = acct_user(db, couple, user, &u);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : DB_ERROR;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  rc = DB_OK;
  for (size_t i = 0; rc == DB_OK && i < sizeof private_of_user / sizeof *private_of_user; i++)
    rc = db_write(db, private_of_user[i], "ii", couple, user);
  char gone[40];
  snprintf(gone, sizeof gone, "deleted:%lld", (long long)user); /* no chosen name has a colon */
  if (rc == DB_OK)
    rc = db_write(db, "UPDATE users SET username = $3, password_hash = '', keybox = NULL, deleted_at = $4 "
                      "WHERE couple_id = $1 AND id = $2", "iisi", couple, user, gone, now);
  if (rc == DB_OK) rc = db_write(db, "DELETE FROM login_throttle WHERE scope = 'user' AND key = $1", "s", u.username);
  /* the last one here: the shared history would serve nobody, so the couple goes with them */
  if (rc == DB_OK && db_count(db, "SELECT COUNT(*) FROM users WHERE couple_id = $1 AND deleted_at IS NULL", "i", couple) == 0)
    rc = db_write(db, "DELETE FROM couples WHERE id = $1", "i", couple);
  return db_end(db, rc);
}

int acct_erase_state(db_t *db, int64_t couple, int64_t user, int *mine, int *partner) {
  int64_t seen[2] = {0, 0};
  int rc = db_row(db, "SELECT COUNT(CASE WHEN e.user_id = $2 THEN 1 END), COUNT(CASE WHEN e.user_id <> $2 THEN 1 END) "
                      "FROM erase_choices e WHERE e.couple_id = $1", read_pair, seen, "ii", couple, user);
  *mine = seen[0] > 0;
  *partner = seen[1] > 0;
  return rc == DB_ROW ? DB_OK : rc;
}

int acct_erase_withdraw(db_t *db, int64_t couple, int64_t user) {
  return db_write(db, "DELETE FROM erase_choices WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
}

int acct_erase_choose(db_t *db, int64_t couple, int64_t user, int64_t now, int *erased) {
  *erased = 0;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "INSERT INTO erase_choices (couple_id, user_id, chosen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    "iii", couple, user, now);
  /* partners still here who have not chosen it */
  int64_t waiting = rc == DB_OK ? db_count(db,
      "SELECT COUNT(*) FROM users u WHERE u.couple_id = $1 AND u.deleted_at IS NULL AND NOT EXISTS "
      "(SELECT 1 FROM erase_choices e WHERE e.couple_id = $1 AND e.user_id = u.id)", "i", couple) : -1;
  if (waiting < 0) rc = DB_ERROR;
  if (rc == DB_OK && waiting == 0) {
    /* every row of the couple goes with it (ON DELETE CASCADE), and the throttle rows of its names */
    rc = db_write(db, "DELETE FROM login_throttle WHERE scope = 'user' AND key IN (SELECT username FROM users WHERE couple_id = $1)",
                  "i", couple);
    if (rc == DB_OK) rc = db_write(db, "DELETE FROM couples WHERE id = $1", "i", couple);
    *erased = rc == DB_OK;
  }
  rc = db_end(db, rc);
  if (rc != DB_OK) *erased = 0;
  return rc;
}

/* What has expired, a batch of each at a time (the caller repeats while *removed is full):
   sessions idle or too old, throttle windows over for a day, invites used or expired a month
   ago (until then a used code is told apart from an unknown one). */
int acct_sweep(db_t *db, int64_t now, int64_t idle, int64_t max_age, int batch, int *removed) {
  *removed = 0;
  int rc = db_write(db, "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions "
                        "WHERE seen_at < $1 OR created_at < $2 LIMIT $3)", "iii", now - idle, now - max_age, (int64_t)batch);
  if (rc != DB_OK) return rc;
  int most = db_changes(db);
  rc = db_write(db, "DELETE FROM login_throttle WHERE (scope, key) IN (SELECT scope, key FROM login_throttle "
                    "WHERE window_start < $1 LIMIT $2)", "ii", now - SECONDS_PER_DAY, (int64_t)batch);
  if (rc != DB_OK) return rc;
  if (db_changes(db) > most) most = db_changes(db);
  rc = db_write(db, "DELETE FROM invites WHERE code_hash IN (SELECT code_hash FROM invites "
                    "WHERE COALESCE(used_at, expires_at) < $1 LIMIT $2)", "ii", now - 30 * SECONDS_PER_DAY, (int64_t)batch);
  if (rc != DB_OK) return rc;
  if (db_changes(db) > most) most = db_changes(db);
  *removed = most;
  return DB_OK;
}
