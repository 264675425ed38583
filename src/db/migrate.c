/* migrate.c: applies the numbered SQL migrations embedded from migrations/, in order, each
   in its own transaction, and records them in schema_migrations with the SHA-256 of their
   text. Migrations are append-only: a database whose applied migration differs from this
   build's is refused at start, so a schema can never silently stay wrong. Migrations are
   written for SQLite (STRICT tables); for PostgreSQL a few type words are translated. */
#include "db.h"
#include "util/embed.h"
#include "util/sb.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int version_of(const char *name) { return atoi(name); }

int db_known_version(void) {
  int v = 0;
  for (const struct embed_file *f = embed_migrations; f->name; f++)
    if (version_of(f->name) > v) v = version_of(f->name);
  return v;
}

static int is_word(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

/* INTEGER -> BIGINT, BLOB -> BYTEA, "STRICT" after a table's closing parenthesis dropped. */
static void translate_pg(sb_t *out, const char *sql) {
  static const struct { const char *from, *to; } words[] = {
    {"INTEGER", "BIGINT"}, {"BLOB", "BYTEA"}, {"STRICT", ""},
  };
  const char *p = sql;
  while (*p) {
    int done = 0;
    if (p == sql || !is_word(p[-1])) {
      for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i].from);
        if (!strncmp(p, words[i].from, n) && !is_word(p[n])) {
          sb_puts(out, words[i].to);
          p += n;
          done = 1;
          break;
        }
      }
    }
    if (!done) sb_putc(out, *p++);
  }
}

static void checksum(const struct embed_file *m, char out[65]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, m->data, m->len);
  sodium_bin2hex(out, 65, h, sizeof h);
}

static const struct embed_file *migration(int v) {
  for (const struct embed_file *f = embed_migrations; f->name; f++)
    if (version_of(f->name) == v) return f;
  return NULL;
}

/* Every applied migration against this build's text; the first written before checksums
   were kept get theirs now. DB_OK, or DB_ERROR with err set. */
static int check_applied(db_t *db, char *err, size_t errlen) {
  int pg = db_engine(db) == DB_PG;
  if (db_count(db, pg ? "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'checksum'"
                      : "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'", "") == 0 &&
      db_exec(db, "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT") != DB_OK) {
    snprintf(err, errlen, "cannot record migration checksums: %s", db_errmsg(db));
    return DB_ERROR;
  }
  db_stmt_t *st = db_prepare(db, "SELECT version, COALESCE(checksum, '') FROM schema_migrations ORDER BY version");
  if (!st) { snprintf(err, errlen, "cannot read the applied migrations: %s", db_errmsg(db)); return DB_ERROR; }
  int rc, missing[64], nmissing = 0, bad = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    int v = (int)db_col_int(st, 0);
    const char *have = db_col_text(st, 1);
    const struct embed_file *m = migration(v);
    if (!m) continue; /* newer than this build: refused by the caller */
    char want[65];
    checksum(m, want);
    if (!*have) { if (nmissing < 64) missing[nmissing++] = v; }
    else if (strcmp(have, want) != 0 && !bad) {
      bad = 1;
      snprintf(err, errlen, "migration %s was applied to this database in a different form than this mend has "
               "(checksum %.12s, expected %.12s): its schema may be wrong. Restore a backup made by this version, or "
               "run the mend that made it (nothing was changed)", m->name, have, want);
    }
  }
  db_reset(st);
  if (bad) return DB_ERROR;
  if (rc != DB_DONE) { snprintf(err, errlen, "cannot read the applied migrations: %s", db_errmsg(db)); return DB_ERROR; }
  for (int i = 0; i < nmissing; i++) {
    char sum[65];
    checksum(migration(missing[i]), sum);
    if (db_do(db, "UPDATE schema_migrations SET checksum = $2 WHERE version = $1", "is", (int64_t)missing[i], sum) != DB_DONE) {
      snprintf(err, errlen, "cannot record migration checksums: %s", db_errmsg(db));
      return DB_ERROR;
    }
  }
  return DB_OK;
}

int db_schema_version(db_t *db) {
  db_stmt_t *st = db_prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!st) return -1;
  int v = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : -1;
  db_reset(st);
  return v;
}

int db_migrate(db_t *db, char *err, size_t errlen) {
  int pg = db_engine(db) == DB_PG;
  /* read first, change nothing: a database this mend refuses stays as it was */
  int exists = (int)db_count(db, pg ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
                                    : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", "");
  if (exists < 0) { snprintf(err, errlen, "cannot read the database: %s", db_errmsg(db)); return DB_ERROR; }
  int have = exists ? db_schema_version(db) : 0, known = db_known_version();
  if (have < 0) { snprintf(err, errlen, "cannot read the schema version: %s", db_errmsg(db)); return DB_ERROR; }
  if (have > known) {
    snprintf(err, errlen, "this database has schema version %d but this mend knows only up to %d: "
             "run a newer mend (nothing was changed)", have, known);
    return DB_ERROR;
  }
  if (exists && check_applied(db, err, errlen) != DB_OK) return DB_ERROR;
  /* WAL lets readers and the writer work at once; it is kept in the file from now on */
  if (!pg && db_exec(db, "PRAGMA journal_mode=WAL") != DB_OK) {
    snprintf(err, errlen, "cannot switch the database to WAL: %s", db_errmsg(db));
    return DB_ERROR;
  }
  /* servers starting at once on a new PostgreSQL database: the lock comes before the table,
     since two CREATE TABLE IF NOT EXISTS at the same moment can both try to make it */
  int rc0 = pg ? db_begin(db) : DB_OK;
  if (rc0 == DB_OK && pg) rc0 = db_exec(db, "SET LOCAL statement_timeout = 0"); /* waiting for another's migration */
  if (rc0 == DB_OK && pg) rc0 = db_exec(db, "SELECT pg_advisory_xact_lock(7291001)");
  if (rc0 == DB_OK)
    rc0 = db_exec(db, pg ? "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                           "name TEXT NOT NULL, applied_at BIGINT NOT NULL, checksum TEXT)"
                         : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                           "name TEXT NOT NULL, applied_at INTEGER NOT NULL, checksum TEXT) STRICT");
  if (pg) {
    if (rc0 == DB_OK) rc0 = db_commit(db);
    else db_rollback(db);
  }
  if (rc0 != DB_OK) {
    snprintf(err, errlen, "cannot create the migrations table: %s", db_errmsg(db));
    return DB_ERROR;
  }
  for (int v = have + 1; v <= known; v++) {
    const struct embed_file *m = migration(v);
    if (!m) { snprintf(err, errlen, "migration %d is missing from this build", v); return DB_ERROR; }
    sb_t sql;
    sb_init(&sql, m->len + 64);
    if (pg) translate_pg(&sql, (const char *)m->data);
    else sb_put(&sql, (const char *)m->data, m->len);
    int rc = db_begin(db);
    /* several servers may start at once on one PostgreSQL: one applies, the others wait; and a
       migration (an index on a large table) may take longer than a request's statement_timeout */
    if (rc == DB_OK && pg) rc = db_exec(db, "SET LOCAL statement_timeout = 0");
    if (rc == DB_OK && pg) rc = db_exec(db, "SELECT pg_advisory_xact_lock(7291001)");
    if (rc == DB_OK && db_schema_version(db) >= v) { db_rollback(db); sb_free(&sql); continue; }
    if (rc == DB_OK) rc = db_exec(db, sql.buf);
    if (rc == DB_OK) {
      char sum[65];
      checksum(m, sum);
      if (db_do(db, "INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES ($1, $2, $3, $4)", "isis",
                (int64_t)v, m->name, (int64_t)time(NULL), sum) != DB_DONE)
        rc = DB_ERROR;
    }
    if (rc == DB_OK) rc = db_commit(db);
    else db_rollback(db);
    sb_free(&sql);
    if (rc != DB_OK) { snprintf(err, errlen, "migration %s failed: %s", m->name, db_errmsg(db)); return DB_ERROR; }
  }
  return DB_OK;
}
