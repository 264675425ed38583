/* Unit tests for db/: the engine API and the account queries, on a real SQLite file and,
   when MEND_TEST_PG holds a connection string, on a real PostgreSQL server too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "db/accounts.h"
#include "core/throttle.h"

static char path[256];

static db_t *open_db(void) {
  db_target_t t = {0};
  const char *pg = getenv("MEND_TEST_PG");
  if (pg && *pg) t.conninfo = pg;
  else t.path = path;
  char err[512];
  db_t *db = db_open(&t, err, sizeof err);
  if (!db) fprintf(stderr, "open: %s\n", err);
  return db;
}

static int setup(void **state) {
  const char *pg = getenv("MEND_TEST_PG");
  if (!(pg && *pg)) {
    snprintf(path, sizeof path, "/tmp/mend-unit-%d.db", (int)getpid());
    unlink(path);
  }
  db_t *db = open_db();
  if (!db) return -1;
  if (pg && *pg) {
    db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  }
  char err[512];
  if (db_migrate(db, err, sizeof err) != DB_OK) { fprintf(stderr, "%s\n", err); return -1; }
  *state = db;
  return 0;
}

static int teardown(void **state) {
  db_close(*state);
  if (path[0]) {
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path); unlink(p);
    snprintf(p, sizeof p, "%s-shm", path); unlink(p);
  }
  return 0;
}

static user_t make_user(const char *name) {
  user_t u = {0};
  snprintf(u.username, sizeof u.username, "%s", name);
  snprintf(u.display_name, sizeof u.display_name, "Name of %s", name);
  return u;
}

static void migrations_are_idempotent_and_versioned(void **state) {
  db_t *db = *state;
  char err[512];
  assert_int_equal(db_migrate(db, err, sizeof err), DB_OK);
  assert_int_equal(db_schema_version(db), db_known_version());
  /* a schema newer than the binary is refused, and nothing changes */
  db_stmt_t *st = db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)");
  db_bind_int(st, 1, 9999);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  assert_int_equal(db_migrate(db, err, sizeof err), DB_ERROR);
  assert_non_null(strstr(err, "newer"));
  st = db_prepare(db, "DELETE FROM schema_migrations WHERE version = $1");
  db_bind_int(st, 1, 9999);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
}

static void binds_and_columns_roundtrip(void **state) {
  db_t *db = *state;
  db_stmt_t *st = db_prepare(db, "SELECT $1, $2, $3");
  assert_non_null(st);
  /* the same SQL literal gives the same cached statement */
  assert_ptr_equal(st, db_prepare(db, "SELECT $1, $2, $3"));
  db_bind_str(st, 1, "héllo \"world\"");
  db_bind_null(st, 2);
  db_bind_str(st, 3, "");
  assert_int_equal(db_step(st), DB_ROW);
  assert_string_equal(db_col_text(st, 0), "héllo \"world\"");
  assert_true(db_col_is_null(st, 1));
  assert_string_equal(db_col_text(st, 2), "");
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  st = db_prepare(db, "SELECT COUNT(*) FROM users WHERE id = $1");
  db_bind_int(st, 1, 9007199254740991LL);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_col_int(st, 0), 0);
  db_reset(st);
}

static void signup_login_and_unique_usernames(void **state) {
  db_t *db = *state;
  user_t a = make_user("alex");
  assert_int_equal(acct_signup(db, &a, "$argon2id$fake", 1000), DB_OK);
  assert_true(a.id > 0 && a.couple_id > 0);
  user_t dup = make_user("alex");
  assert_int_equal(acct_signup(db, &dup, "$argon2id$fake", 1000), DB_CONSTRAINT);
  user_t got;
  char h[PWHASH_CHARS];
  assert_int_equal(acct_find_login(db, "alex", &got, h), DB_ROW);
  assert_int_equal(got.id, a.id);
  assert_string_equal(h, "$argon2id$fake");
  assert_string_equal(got.display_name, "Name of alex");
  assert_int_equal(acct_find_login(db, "nobody", &got, h), DB_DONE);
  /* the failed sign-up left no orphan couple behind */
  db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) FROM couples");
  assert_int_equal(db_step(st), DB_ROW);
  int64_t couples = db_col_int(st, 0);
  db_reset(st);
  assert_int_equal(couples, 1);
}

static void sessions_are_scoped_and_end(void **state) {
  db_t *db = *state;
  user_t u = make_user("sessy");
  assert_int_equal(acct_signup(db, &u, "h", 50), DB_OK);
  unsigned char h1[HASH_BYTES] = {1}, h2[HASH_BYTES] = {2};
  unsigned char sealed[SEAL_WRAPPED];
  memset(sealed, 7, sizeof sealed);
  assert_int_equal(acct_session_create(db, h1, &u, 0, sealed, 100), DB_OK);
  assert_int_equal(acct_session_create(db, h2, &u, 1, NULL, 100), DB_OK);
  session_t s;
  assert_int_equal(acct_session_get(db, h1, &s), DB_ROW);
  assert_int_equal(s.user.id, u.id);
  assert_false(s.api);
  assert_true(s.has_key);
  assert_memory_equal(s.sealed_key, sealed, SEAL_WRAPPED);
  assert_int_equal(acct_session_get(db, h2, &s), DB_ROW);
  assert_false(s.has_key);
  /* the keybox: none until set, then exactly what was set */
  unsigned char box[SEAL_KEYBOX], got[SEAL_KEYBOX];
  memset(box, 9, sizeof box);
  assert_int_equal(acct_keybox(db, u.couple_id, u.id, got), DB_DONE);
  assert_int_equal(acct_set_keybox(db, u.couple_id, u.id, box), DB_OK);
  assert_int_equal(acct_keybox(db, u.couple_id, u.id, got), DB_ROW);
  assert_memory_equal(got, box, SEAL_KEYBOX);
  assert_int_equal(acct_session_touch(db, h1, 200), DB_OK);
  assert_int_equal(acct_session_get(db, h1, &s), DB_ROW);
  assert_int_equal(s.seen_at, 200);
  /* logging out everywhere else keeps this one */
  assert_int_equal(acct_sessions_end(db, u.couple_id, u.id, h1), DB_OK);
  assert_int_equal(acct_session_get(db, h2, &s), DB_DONE);
  assert_int_equal(acct_session_get(db, h1, &s), DB_ROW);
  assert_int_equal(acct_sessions_end(db, u.couple_id, u.id, NULL), DB_OK);
  assert_int_equal(acct_session_get(db, h1, &s), DB_DONE);
}

static void invites_join_once_and_couple_of_two(void **state) {
  db_t *db = *state;
  user_t a = make_user("first");
  assert_int_equal(acct_signup(db, &a, "h", 10), DB_OK);
  unsigned char code[HASH_BYTES] = {7}, other[HASH_BYTES] = {8}, unknown[HASH_BYTES] = {9};
  assert_int_equal(acct_invite_create(db, a.couple_id, a.id, code, 100, 200), DB_OK);
  assert_int_equal(acct_invite_pending(db, a.couple_id, 150), 200);
  assert_int_equal(acct_invite_status(db, code, 150), JOIN_OK);
  assert_int_equal(acct_invite_status(db, code, 250), JOIN_GONE);
  assert_int_equal(acct_invite_status(db, unknown, 150), JOIN_UNKNOWN);
  user_t taken = make_user("first");
  assert_int_equal(acct_join(db, code, &taken, "h", 150), JOIN_TAKEN);
  user_t b = make_user("second");
  assert_int_equal(acct_join(db, code, &b, "h", 150), JOIN_OK);
  assert_int_equal(b.couple_id, a.couple_id);
  user_t c = make_user("third");
  assert_int_equal(acct_join(db, code, &c, "h", 160), JOIN_GONE);
  /* an invite made before the couple filled up cannot bring a third partner */
  db_stmt_t *st = db_prepare(db, "INSERT INTO invites (couple_id, code_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, 100, 900)");
  db_bind_int(st, 1, a.couple_id);
  db_bind_blob(st, 2, other, HASH_BYTES);
  db_bind_int(st, 3, a.id);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  assert_int_equal(acct_join(db, other, &c, "h", 170), JOIN_FULL);
  user_t p[2];
  int n;
  assert_int_equal(acct_partners(db, a.couple_id, p, &n), DB_OK);
  assert_int_equal(n, 2);
  assert_int_equal(p[0].id, a.id);
  assert_int_equal(p[1].id, b.id);
  /* another couple's user is not found through this couple */
  user_t x = make_user("outsider");
  assert_int_equal(acct_signup(db, &x, "h", 10), DB_OK);
  user_t got;
  assert_int_equal(acct_user(db, a.couple_id, x.id, &got), DB_DONE);
  assert_int_equal(acct_user(db, x.couple_id, x.id, &got), DB_ROW);
}

static void throttle_backs_off(void **state) {
  db_t *db = *state;
  assert_int_equal(db_begin(db), DB_OK);
  /* five attempts are free; the sixth waits 30 s after the fifth, the seventh 60 s */
  for (int i = 0; i < THROTTLE_PAIR_FREE; i++) assert_int_equal(throttle_reserve(db, "pair", "t|a", 1000, THROTTLE_PAIR_FREE), 0);
  assert_int_equal(throttle_reserve(db, "pair", "t|a", 1000, THROTTLE_PAIR_FREE), 30);
  assert_int_equal(throttle_reserve(db, "pair", "t|a", 1030, THROTTLE_PAIR_FREE), 0);
  assert_int_equal(throttle_reserve(db, "pair", "t|a", 1031, THROTTLE_PAIR_FREE), 59);
  /* another address for the same account is not slowed down */
  assert_int_equal(throttle_reserve(db, "pair", "t|b", 1001, THROTTLE_PAIR_FREE), 0);
  /* a quiet day forgets; a success clears */
  assert_int_equal(throttle_reserve(db, "pair", "t|a", 1001 + THROTTLE_FORGET, THROTTLE_PAIR_FREE), 0);
  throttle_clear(db, "pair", "t|a");
  assert_int_equal(throttle_hourly(db, "signup", "a", 5000, 2), 0);
  assert_int_equal(throttle_hourly(db, "signup", "a", 5001, 2), 0);
  assert_int_equal(throttle_hourly(db, "signup", "a", 5002, 2), 3598);
  assert_int_equal(throttle_hourly(db, "signup", "a", 8600, 2), 0);
  assert_int_equal(db_commit(db), DB_OK);
}

/* Transactions nest: the inner commit keeps nothing by itself, an inner rollback dooms all. */
static void transactions_nest(void **state) {
  db_t *db = *state;
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(db_do(db, "INSERT INTO couples (id, created_at) VALUES ($1, 1)", "i", (int64_t)515151), DB_DONE);
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(db_tx_depth(db), 2);
  assert_int_equal(db_commit(db), DB_OK);
  assert_int_equal(db_begin(db), DB_OK);
  db_rollback(db);
  assert_int_equal(db_begin(db), DB_ERROR);   /* doomed: nothing more is written */
  assert_int_equal(db_commit(db), DB_ERROR);  /* and the outer commit says so */
  assert_int_equal(db_tx_depth(db), 0);
  assert_int_equal(db_count(db, "SELECT COUNT(*) FROM couples WHERE id = $1", "i", (int64_t)515151), 0);
  /* a constraint refusal is remembered as such, for a 409 */
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(db_do(db, "INSERT INTO couples (id, created_at) VALUES ($1, 1)", "i", (int64_t)525252), DB_DONE);
  assert_int_equal(db_do(db, "INSERT INTO couples (id, created_at) VALUES ($1, 1)", "i", (int64_t)525252), DB_CONSTRAINT);
  assert_int_equal(db_last_failure(db), DB_CONSTRAINT);
  db_rollback(db);
  assert_int_equal(db_tx_depth(db), 0);
}

/* A read request as the server makes one: the snapshot, then the couple and its version. */
static int64_t version_of(db_t *db, int64_t c) {
  return db_count(db, "SELECT data_version FROM couples WHERE id = $1", "i", c);
}
static void read_open(db_t *db, int64_t c, int64_t v) {
  db_read_begin(db);
  db_read_snapshot(db);
  db_memo_scope(db, c, v);
}

/* A finished read's snapshot is kept for the next (SQLite), yet the next read always sees what
   was committed in between: by another connection of this process, by another process, or by
   this connection's own write. */
/* What the counsellor's list goes by on SQLite: the stamp moves with a commit by this
   connection, another one or another process, and with nothing else. */
static uint64_t stamp_in_read(db_t *db) {
  uint64_t v = 0;
  db_read_begin(db);
  assert_int_equal(db_count(db, "SELECT COUNT(*) FROM couples", ""), db_count(db, "SELECT COUNT(*) FROM couples", ""));
  assert_int_equal(db_data_stamp(db, &v), DB_OK);
  db_read_end(db);
  return v;
}

static void the_data_stamp_moves_with_every_commit_and_nothing_else(void **state) {
  db_t *db = *state;
  uint64_t v;
  if (db_engine(db) != DB_SQLITE) { assert_int_equal(db_data_stamp(db, &v), DB_DONE); return; }
  const int64_t c = 727272;
  assert_int_equal(db_do(db, "INSERT INTO couples (id, created_at) VALUES ($1, 1)", "i", c), DB_DONE);
  uint64_t s0 = stamp_in_read(db);
  assert_true(stamp_in_read(db) == s0 && stamp_in_read(db) == s0); /* reads move nothing */
  db_t *other = open_db();
  assert_non_null(other);
  assert_int_equal(db_do(other, "UPDATE couples SET created_at = 2 WHERE id = $1", "i", c), DB_DONE);
  uint64_t s1 = stamp_in_read(db);
  assert_true(s1 != s0);
  assert_true(db_begin(db) == DB_OK && db_do(db, "UPDATE couples SET created_at = 3 WHERE id = $1", "i", c) == DB_DONE &&
              db_commit(db) == DB_OK);
  uint64_t s2 = stamp_in_read(db);
  assert_true(s2 != s1);
  pid_t pid = fork();
  if (pid == 0) {
    db_t *child = open_db();
    _exit(child && db_do(child, "UPDATE couples SET created_at = 4 WHERE id = $1", "i", c) == DB_DONE ? 0 : 1);
  }
  int status = 1;
  waitpid(pid, &status, 0);
  assert_int_equal(status, 0);
  assert_true(stamp_in_read(db) != s2);
  db_close(other);
}

static void a_kept_snapshot_never_hides_a_commit(void **state) {
  db_t *db = *state;
  const int64_t c = 717171;
  assert_int_equal(db_do(db, "INSERT INTO couples (id, created_at) VALUES ($1, 1)", "i", c), DB_DONE);
  db_t *other = open_db();
  assert_non_null(other);
  int64_t seen[5];
  for (int round = 0; round < 5; round++) {
    db_read_begin(db);
    seen[round] = db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c);
    db_read_end(db);
    if (round == 0) /* another connection */
      assert_int_equal(db_do(other, "UPDATE couples SET created_at = 2 WHERE id = $1", "i", c), DB_DONE);
    else if (round == 1 && db_engine(db) == DB_SQLITE) { /* another process */
      pid_t pid = fork();
      if (pid == 0) {
        db_t *child = open_db();
        _exit(child && db_do(child, "UPDATE couples SET created_at = 3 WHERE id = $1", "i", c) == DB_DONE ? 0 : 1);
      }
      int status = 1;
      waitpid(pid, &status, 0);
      assert_int_equal(status, 0);
    } else if (round == 1)
      assert_int_equal(db_do(other, "UPDATE couples SET created_at = 3 WHERE id = $1", "i", c), DB_DONE);
    else if (round == 2) /* this connection, in a transaction */
      assert_true(db_begin(db) == DB_OK && db_do(db, "UPDATE couples SET created_at = 4 WHERE id = $1", "i", c) == DB_DONE &&
                  db_commit(db) == DB_OK);
    else if (round == 3) /* the other connection again, while this one kept a snapshot */
      assert_int_equal(db_do(other, "UPDATE couples SET created_at = 5 WHERE id = $1", "i", c), DB_DONE);
  }
  assert_int_equal(seen[0], 1);
  assert_int_equal(seen[1], 2);
  assert_int_equal(seen[2], 3);
  assert_int_equal(seen[3], 4);
  assert_int_equal(seen[4], 5);
  /* nothing changed: the same snapshot serves again and again, and letting it go when idle
     leaves none kept */
  for (int i = 0; i < 3; i++) {
    db_read_begin(db);
    assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 5);
    db_read_end(db);
  }
  assert_int_equal(db_read_idle(db, 0), 0);
  /* and a kept snapshot never stands in the way of a truncation of the WAL (an erasure's) */
  db_read_begin(db);
  db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c);
  db_read_end(db);
  db_read_begin(other);
  db_count(other, "SELECT created_at FROM couples WHERE id = $1", "i", c);
  db_read_end(other);
  db_read_idle(other, 0);
  assert_int_equal(db_wipe_wal(db), DB_OK);
  db_close(other);
}

static void reads_are_kept_while_the_version_stands(void **state) {
  db_t *db = *state;
  const int64_t c = 616161;
  assert_int_equal(db_do(db, "INSERT INTO couples (id, created_at) VALUES ($1, 100)", "i", c), DB_DONE);
  int64_t v = version_of(db, c);
  read_open(db, c, v);
  assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 100);
  db_read_end(db);
  /* changed without a new version (as no writer of mend does): the kept answer is given */
  assert_int_equal(db_do(db, "UPDATE couples SET created_at = 200 WHERE id = $1", "i", c), DB_DONE);
  read_open(db, c, v);
  assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 100);
  /* other values are another question, and outside a read nothing is kept */
  assert_int_equal(db_count(db, "SELECT created_at + $2 FROM couples WHERE id = $1", "ii", c, (int64_t)1), 201);
  db_read_end(db);
  assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 200);
  /* a new version: read again */
  assert_int_equal(db_do(db, "UPDATE couples SET data_version = data_version + 1 WHERE id = $1", "i", c), DB_DONE);
  read_open(db, c, v + 1);
  assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 200);
  db_read_end(db);
  /* another couple's rows are never kept under this one */
  read_open(db, c, v + 1);
  assert_int_equal(db_count(db, "SELECT COUNT(*) FROM couples WHERE id = $1", "i", (int64_t)1), 0);
  db_read_end(db);
  /* inside a write nothing comes from the memo */
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(db_do(db, "UPDATE couples SET created_at = 300 WHERE id = $1", "i", c), DB_DONE);
  db_memo_scope(db, c, v + 1);
  assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 300);
  assert_int_equal(db_commit(db), DB_OK);
  if (db_engine(db) != DB_PG) return;
  /* PostgreSQL reads its session before its snapshot: a request that took kept answers of one
     version and then finds its snapshot at the next is refused (and runs again) */
  read_open(db, c, v + 1);
  assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 200); /* kept */
  db_t *other = open_db();
  assert_non_null(other);
  assert_int_equal(db_do(other, "UPDATE couples SET data_version = data_version + 1 WHERE id = $1", "i", c), DB_DONE);
  db_close(other);
  assert_int_equal(db_count(db, "SELECT id FROM couples WHERE id = $1 AND created_at > $2", "ii", c, (int64_t)0), -1);
  assert_int_equal(db_last_failure(db), DB_BUSY);
  db_read_end(db);
  /* run again with the version the session now reads: the snapshot's answers */
  read_open(db, c, v + 2);
  assert_int_equal(db_count(db, "SELECT created_at FROM couples WHERE id = $1", "i", c), 300);
  db_read_end(db);
}

static void transactions_roll_back(void **state) {
  db_t *db = *state;
  assert_int_equal(db_begin(db), DB_OK);
  db_stmt_t *st = db_prepare(db, "INSERT INTO couples (id, created_at) VALUES ($1, 1)");
  db_bind_int(st, 1, 424242);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  db_rollback(db);
  st = db_prepare(db, "SELECT COUNT(*) FROM couples WHERE id = $1");
  db_bind_int(st, 1, 424242);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_col_int(st, 0), 0);
  db_reset(st);
}

int main(void) {
  secret_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(migrations_are_idempotent_and_versioned, setup, teardown),
    cmocka_unit_test_setup_teardown(binds_and_columns_roundtrip, setup, teardown),
    cmocka_unit_test_setup_teardown(signup_login_and_unique_usernames, setup, teardown),
    cmocka_unit_test_setup_teardown(sessions_are_scoped_and_end, setup, teardown),
    cmocka_unit_test_setup_teardown(invites_join_once_and_couple_of_two, setup, teardown),
    cmocka_unit_test_setup_teardown(throttle_backs_off, setup, teardown),
    cmocka_unit_test_setup_teardown(transactions_nest, setup, teardown),
    cmocka_unit_test_setup_teardown(transactions_roll_back, setup, teardown),
    cmocka_unit_test_setup_teardown(reads_are_kept_while_the_version_stands, setup, teardown),
    cmocka_unit_test_setup_teardown(a_kept_snapshot_never_hides_a_commit, setup, teardown),
    cmocka_unit_test_setup_teardown(the_data_stamp_moves_with_every_commit_and_nothing_else, setup, teardown),
  };
  const char *pg = getenv("MEND_TEST_PG");
  return cmocka_run_group_tests_name(pg && *pg ? "db-postgresql" : "db-sqlite", tests, NULL, NULL);
}
