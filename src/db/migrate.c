/* migrate.c: applies the numbered SQL migrations embedded from migrations/, in order, each
   in its own transaction, and records them in schema_migrations. Migrations are written for
   SQLite (STRICT tables); for PostgreSQL a few type words are translated on the way. */
#include "db.h"
#include "util/embed.h"
#include "util/sb.h"
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

int db_schema_version(db_t *db) {
  db_stmt_t *st = db_prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!st) return -1;
  int v = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : -1;
  db_reset(st);
  return v;
}

int db_migrate(db_t *db, char *err, size_t errlen) {
  int pg = db_engine(db) == DB_PG;
  if (db_exec(db, pg ? "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
                     : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT") != DB_OK) {
    snprintf(err, errlen, "cannot create the migrations table: %s", db_errmsg(db));
    return DB_ERROR;
  }
  int have = db_schema_version(db), known = db_known_version();
  if (have < 0) { snprintf(err, errlen, "cannot read the schema version: %s", db_errmsg(db)); return DB_ERROR; }
  if (have > known) {
    snprintf(err, errlen, "this database has schema version %d but this mend knows only up to %d: "
             "run a newer mend (nothing was changed)", have, known);
    return DB_ERROR;
  }
  for (int v = have + 1; v <= known; v++) {
    const struct embed_file *m = NULL;
    for (const struct embed_file *f = embed_migrations; f->name; f++)
      if (version_of(f->name) == v) m = f;
    if (!m) { snprintf(err, errlen, "migration %d is missing from this build", v); return DB_ERROR; }
    sb_t sql;
    sb_init(&sql, m->len + 64);
    if (pg) translate_pg(&sql, (const char *)m->data);
    else sb_put(&sql, (const char *)m->data, m->len);
    int rc = db_begin(db);
    /* several servers may start at once on one PostgreSQL: one applies, the others wait */
    if (rc == DB_OK && pg) rc = db_exec(db, "SELECT pg_advisory_xact_lock(7291001)");
    if (rc == DB_OK && db_schema_version(db) >= v) { db_rollback(db); sb_free(&sql); continue; }
    if (rc == DB_OK) rc = db_exec(db, sql.buf);
    if (rc == DB_OK) {
      db_stmt_t *st = db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
      if (!st) rc = DB_ERROR;
      else {
        db_bind_int(st, 1, v);
        db_bind_str(st, 2, m->name);
        db_bind_int(st, 3, (int64_t)time(NULL));
        if (db_step(st) != DB_DONE) rc = DB_ERROR;
        db_reset(st);
      }
    }
    if (rc == DB_OK) rc = db_commit(db);
    else db_rollback(db);
    sb_free(&sql);
    if (rc != DB_OK) { snprintf(err, errlen, "migration %s failed: %s", m->name, db_errmsg(db)); return DB_ERROR; }
  }
  return DB_OK;
}
