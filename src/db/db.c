/* db.c: the engine-independent half of the database API: dispatch, the per-connection
   statement cache, transactions and counters. */
#include "db.h"
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static atomic_long n_open, n_prepared, n_errors;
static void let_go(db_t *db);

void db_note_prepared(void) { atomic_fetch_add_explicit(&n_prepared, 1, memory_order_relaxed); }
void db_note_error(void) { atomic_fetch_add_explicit(&n_errors, 1, memory_order_relaxed); }

void db_stats(db_stats_t *out) {
  out->open = atomic_load(&n_open);
  out->prepared = atomic_load(&n_prepared);
  out->errors = atomic_load(&n_errors);
}

db_t *db_open(const db_target_t *t, char *err, size_t errlen) {
  db_t *db = NULL;
  if (t->conninfo && *t->conninfo) db = db_pg_open(t->conninfo, err, errlen);
  else if (t->path && *t->path) db = db_sqlite_open(t->path, err, errlen);
  else snprintf(err, errlen, "no database given: use --db PATH or --pg CONNINFO");
  if (db) atomic_fetch_add(&n_open, 1);
  return db;
}

void db_close(db_t *db) {
  if (!db) return;
  atomic_fetch_sub(&n_open, 1);
  if (db->held) let_go(db);
  db_memo_free(db);
  db->ops->close(db);
}

enum db_engine db_engine(const db_t *db) { return db->engine; }
const char *db_errmsg(db_t *db) { return db->ops->errmsg(db); }

/* Pointer hash: statements are string literals, so the address identifies the SQL. */
static size_t slot_of(const char *sql) {
  uintptr_t h = (uintptr_t)sql;
  h ^= h >> 17;
  h *= 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 40) % DB_CACHE_SLOTS;
}

static void read_commit(db_t *db) {
  db_stmt_t *st = db_prepare(db, "COMMIT");
  if (st) { db_step(st); db_reset(st); }
}

/* Lets go of a kept read snapshot: before anything else uses the connection. */
static void let_go(db_t *db) {
  db->held = 0;
  read_commit(db);
}

static int64_t coarse_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int db_read_idle(db_t *db, int ms) {
  if (db->held && coarse_ms() - db->held_ms >= ms) let_go(db);
  return db->held;
}

db_stmt_t *db_prepare(db_t *db, const char *sql) {
  if (db->held && !db->in_read) let_go(db);
  if (db->read_pending) {
    /* the handler's first statement: from here on, one snapshot (a request that reads nothing
       but its session pays no transaction) */
    db->read_pending = 0;
    static const char begin[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    if (db->depth == 0 && (db->ops->lead ? db->ops->lead(db, begin) : db->ops->exec(db, begin)) == DB_OK) db->in_read = 1;
    if (db->in_read && db_memo_opened(db) != DB_OK) return NULL;
  }
  size_t i = slot_of(sql);
  for (size_t n = 0; n < DB_CACHE_SLOTS; n++, i = (i + 1) % DB_CACHE_SLOTS) {
    if (db->cache[i].sql == sql) return db->cache[i].st;
    if (!db->cache[i].sql) break;
  }
  db_stmt_t *st = db->ops->prepare(db, sql);
  if (!st) { db_note_error(); return NULL; }
  db_note_prepared();
  if (!db->cache[i].sql) { db->cache[i].sql = sql; db->cache[i].st = st; }
  else {
    /* cannot happen below DB_CACHE_SLOTS statements: say so loudly and fail the query */
    fprintf(stderr, "mend: the statement cache is full; raise DB_CACHE_SLOTS\n");
    return NULL;
  }
  return st;
}

void db_bind_int(db_stmt_t *st, int idx, int64_t v) { st->db->ops->bind_int(st, idx, v); }
void db_bind_text(db_stmt_t *st, int idx, const char *s, size_t n) {
  if (!s) st->db->ops->bind_null(st, idx);
  else st->db->ops->bind_text(st, idx, s, n);
}
void db_bind_str(db_stmt_t *st, int idx, const char *s) { db_bind_text(st, idx, s, s ? strlen(s) : 0); }
void db_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n) { st->db->ops->bind_blob(st, idx, p, n); }
void db_bind_null(db_stmt_t *st, int idx) { st->db->ops->bind_null(st, idx); }
int db_step(db_stmt_t *st) {
  int rc = st->db->ops->step(st);
  if (rc == DB_ERROR || rc == DB_BUSY) db_note_error();
  if (rc < 0) st->db->failure = rc;
  return rc;
}
int db_col_is_null(db_stmt_t *st, int col) { return st->db->ops->col_is_null(st, col); }
int64_t db_col_int(db_stmt_t *st, int col) { return st->db->ops->col_int(st, col); }
const char *db_col_text(db_stmt_t *st, int col) { return st->db->ops->col_text(st, col); }
const void *db_col_blob(db_stmt_t *st, int col) { return st->db->ops->col_blob(st, col); }
size_t db_col_bytes(db_stmt_t *st, int col) { return st->db->ops->col_bytes(st, col); }
void db_reset(db_stmt_t *st) { st->db->ops->reset(st); }
int db_exec(db_t *db, const char *sql) {
  if (db->held) let_go(db);
  int rc = db->ops->exec(db, sql);
  if (rc != DB_OK) db_note_error();
  return rc;
}
int db_changes(db_t *db) { return db->ops->changes(db); }
int db_data_stamp(db_t *db, uint64_t *out) { return db->ops->data_stamp ? db->ops->data_stamp(db, out) : DB_DONE; }
/* inside a write the file's version has not moved yet: nothing read there may be cached */

int db_begin(db_t *db) {
  if (db->depth > 0) {
    if (db->doomed) return DB_ERROR;
    db->depth++;
    return DB_OK;
  }
  if (db->in_read) {
    fprintf(stderr, "mend: a read-only request tried to open a write transaction\n");
    return DB_ERROR;
  }
  db->failure = DB_OK;
  db_memo_scope(db, 0, 0); /* nothing read inside a write is kept */
  int rc = db_exec(db, db->engine == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
  if (rc != DB_OK) { db->failure = DB_BUSY; return rc; }
  db->depth = 1;
  static _Atomic uint64_t serials;
  db->tx_serial = atomic_fetch_add(&serials, 1) + 1;
  db->changes_at_begin = db->ops->total_changes(db);
  db->doomed = 0;
  return DB_OK;
}

int db_commit(db_t *db) {
  if (db->depth <= 0) return DB_ERROR;
  if (--db->depth > 0) return db->doomed ? DB_ERROR : DB_OK;
  if (db->doomed) { db->doomed = 0; return DB_ERROR; }
  int rc = db_exec(db, "COMMIT");
  if (rc != DB_OK) {
    db->ops->exec(db, "ROLLBACK");
    if (db->failure == DB_OK) db->failure = rc == DB_BUSY ? DB_BUSY : DB_ERROR;
  }
  return rc;
}

void db_rollback(db_t *db) {
  if (db->depth <= 0) return;
  if (!db->doomed) {
    db->ops->exec(db, "ROLLBACK");
    db->doomed = 1;
  }
  if (--db->depth == 0) db->doomed = 0;
}

int db_tx_depth(const db_t *db) { return db->depth; }
uint64_t db_tx_serial(const db_t *db) { return db->depth > 0 ? db->tx_serial : 0; }
int db_last_failure(const db_t *db) { return db->failure; }

int db_lock_couple(db_t *db, int64_t couple) {
  if (db->engine == DB_SQLITE) return DB_OK;
  int rc = db_do(db, "SELECT id FROM couples WHERE id = $1 FOR UPDATE", "i", couple);
  return rc == DB_ROW ? DB_OK : rc;
}

int db_tx_changed(db_t *db) { return db->depth > 0 && db->ops->total_changes(db) > db->changes_at_begin; }

int db_bump_couple(db_t *db, int64_t couple) {
  return db_write(db, "UPDATE couples SET data_version = data_version + 1 WHERE id = $1", "i", couple);
}

int db_lock_key(db_t *db, int64_t key) {
  if (db->engine == DB_SQLITE) return DB_OK;
  return db_do(db, "SELECT pg_advisory_xact_lock($1)", "i", key) == DB_ROW ? DB_OK : DB_ERROR;
}

int db_ready(db_t *db) { return db->ops->ready ? db->ops->ready(db) : DB_OK; }
void db_bulk(db_t *db, int on) { if (db->ops->bulk) db->ops->bulk(db, on); }

/* SQLite's deferred transaction and PostgreSQL's REPEATABLE READ both give every statement of
   a read the same snapshot: a question is never seen answered without its answer. SQLite's
   begins at once (the session's query is in it: one lock cycle for the request); PostgreSQL's
   with the first statement after the session's, which runs alone, since a round trip there
   costs more than a file lock. */
void db_read_begin(db_t *db) {
  if (db->depth == 0) db->failure = DB_OK; /* what a read learns is its own */
  if (db->depth > 0 || db->in_read || db->engine != DB_SQLITE) return;
  if (db->held) {
    /* nothing was committed since the kept snapshot began: it is the newest, use it again */
    if (db->ops->read_current(db)) {
      db->held = 0;
      db->in_read = 1;
      return;
    }
    let_go(db);
  }
  /* noted before the snapshot begins (with the first read): a commit in between only makes
     the snapshot newer than the note, and the next read then begins afresh */
  if (db->ops->read_mark) db->ops->read_mark(db);
  db_stmt_t *st = db_prepare(db, "BEGIN");
  if (st && db_step(st) == DB_DONE) db->in_read = 1;
  if (st) db_reset(st);
}

void db_read_snapshot(db_t *db) {
  if (db->depth > 0 || db->in_read || db->engine == DB_SQLITE) return;
  db->read_pending = 1;
}

void db_read_end(db_t *db) {
  db->read_pending = 0;
  db_memo_scope(db, 0, 0);
  if (!db->in_read) return;
  db->in_read = 0;
  /* a read's COMMIT has nothing to say that anyone waits for: PostgreSQL's is not waited for */
  if (db->ops->behind) { db->ops->behind(db, "COMMIT"); return; }
  if (db->ops->read_current && db->failure == DB_OK) {
    db->held = 1;
    db->held_ms = coarse_ms();
    return;
  }
  read_commit(db);
}

static void bind_va(db_stmt_t *st, const char *types, va_list ap) {
  for (int i = 0; types[i]; i++) {
    switch (types[i]) {
      case 'i': db_bind_int(st, i + 1, va_arg(ap, int64_t)); break;
      case 's': db_bind_str(st, i + 1, va_arg(ap, const char *)); break;
      case 'z': { /* an optional value: 0 binds NULL */
        int64_t v = va_arg(ap, int64_t);
        if (v) db_bind_int(st, i + 1, v); else db_bind_null(st, i + 1);
        break;
      }
      case 'b': {
        const void *p = va_arg(ap, const void *);
        size_t n = va_arg(ap, size_t);
        if (p) db_bind_blob(st, i + 1, p, n); else db_bind_null(st, i + 1);
        break;
      }
    }
  }
}

/* Prepares sql into st and binds the values that follow `types` (in a variadic function);
   returns `fail` when it cannot be prepared. */
#define BOUND(st, db, sql, types, fail)   \
  db_stmt_t *st = db_prepare(db, sql);    \
  if (!st) return fail;                   \
  do {                                    \
    va_list ap_;                          \
    va_start(ap_, types);                 \
    bind_va(st, types, ap_);              \
    va_end(ap_);                          \
  } while (0)

/* Steps st, reading each row into *row (texts through db_col_kept go to keep) and handing
   it to cb; with first, stops after one: DB_ROW, or DB_DONE when there was none. */
static int walk(db_stmt_t *st, db_reader rd, void *row, db_each cb, void *ctx, int first, arena_t *keep,
                const db_memo_key_t *k) {
  int rc, seen = 0;
  st->db->keep = keep;
  if (k) db_memo_record_begin(st->db);
  while ((rc = db_step(st)) == DB_ROW) {
    if (k) db_memo_record_row(st);
    rd(st, row);
    if (cb) cb(ctx, row);
    seen = 1;
    if (first) break;
  }
  st->db->keep = NULL;
  db_reset(st);
  if (k && rc >= 0) db_memo_record_end(st->db, k);
  if (first) return rc < 0 ? rc : seen ? DB_ROW : DB_DONE;
  return rc == DB_DONE ? DB_OK : rc;
}

int db_do(db_t *db, const char *sql, const char *types, ...) {
  BOUND(st, db, sql, types, DB_ERROR);
  int rc = db_step(st);
  db_reset(st);
  return rc;
}

/* A read that may be kept (memo.c): answered from the memo when it can be, else read from the
   database and, when it may be, kept. mode 1: the first row only. */
static int read_va(db_t *db, const char *sql, int mode, db_reader rd, void *row, db_each cb, void *ctx, arena_t *keep,
                   const char *types, va_list ap) {
  db_memo_key_t k;
  int rc;
  va_list a2;
  va_copy(a2, ap);
  int m = db_memo_keyed(db, sql, mode, types, a2, &k);
  va_end(a2);
  if (m && db_memo_replay(db, &k, rd, row, cb, ctx, keep, &rc)) return rc;
  db_stmt_t *st = db_prepare(db, sql);
  if (!st) return db->failure == DB_BUSY ? DB_BUSY : DB_ERROR;
  bind_va(st, types, ap);
  return walk(st, rd, row, cb, ctx, mode, keep, m ? &k : NULL);
}

#define READ_VA(mode, rd, row, cb, ctx, keep)                            \
  va_list ap;                                                            \
  va_start(ap, types);                                                   \
  int rc = read_va(db, sql, mode, rd, row, cb, ctx, keep, types, ap);    \
  va_end(ap)

static void read_count(db_stmt_t *st, void *row) { *(int64_t *)row = db_col_int(st, 0); }

int64_t db_count(db_t *db, const char *sql, const char *types, ...) {
  int64_t n = -1;
  READ_VA(1, read_count, &n, NULL, NULL, NULL);
  return rc == DB_ROW ? n : -1;
}

int db_write(db_t *db, const char *sql, const char *types, ...) {
  BOUND(st, db, sql, types, DB_ERROR);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int db_rows(db_t *db, const char *sql, db_reader rd, void *row, db_each cb, void *ctx, const char *types, ...) {
  READ_VA(0, rd, row, cb, ctx, NULL);
  return rc;
}

int db_first(db_t *db, const char *sql, db_reader rd, void *row, db_each cb, void *ctx, const char *types, ...) {
  READ_VA(1, rd, row, cb, ctx, NULL);
  return rc;
}

int db_row(db_t *db, const char *sql, db_reader rd, void *out, const char *types, ...) {
  READ_VA(1, rd, out, NULL, NULL, NULL);
  return rc;
}

int db_row_keep(db_t *db, const char *sql, db_reader rd, void *out, arena_t *keep, const char *types, ...) {
  READ_VA(1, rd, out, NULL, NULL, keep);
  return rc;
}

const char *db_col_kept(db_stmt_t *st, int col) {
  const char *t = db_col_text(st, col);
  return t && st->db->keep ? arena_strdup(st->db->keep, t) : t;
}

int db_end(db_t *db, int rc) {
  if (rc != DB_OK) {
    /* a conditional write that found the state moved is a conflict, as a refused key is */
    if (rc == DB_CONSTRAINT && db->failure == DB_OK) db->failure = DB_CONSTRAINT;
    db_rollback(db);
    return rc;
  }
  return db_commit(db) == DB_OK ? DB_OK : DB_ERROR;
}
