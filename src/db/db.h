/* db.h: the one database API of mend, over two engines (SQLite embedded, PostgreSQL via
   libpq). SQL is written once: $1 placeholders, RETURNING, ON CONFLICT. Statements are
   prepared once per connection and cached by their SQL text pointer, so callers pass
   string literals and never pay for re-preparation on the hot path.
   A db_t is used by one thread at a time. */
#ifndef MEND_DB_H
#define MEND_DB_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "util/arena.h"

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

enum { DB_OK = 0, DB_ROW = 1, DB_DONE = 2, DB_ERROR = -1, DB_CONSTRAINT = -2, DB_BUSY = -3 };
enum db_engine { DB_SQLITE = 1, DB_PG = 2 };

typedef struct {
  const char *path;    /* SQLite file (engine DB_SQLITE) */
  const char *conninfo;/* libpq connection string (engine DB_PG) */
} db_target_t;

/* Opens a connection; on failure returns NULL and writes a message into err. */
db_t *db_open(const db_target_t *t, char *err, size_t errlen);
void db_close(db_t *db);
enum db_engine db_engine(const db_t *db);
const char *db_errmsg(db_t *db);

/* Returns the cached prepared statement for this SQL literal, reset and unbound, or NULL. */
db_stmt_t *db_prepare(db_t *db, const char *sql);
void db_bind_int(db_stmt_t *st, int idx, int64_t v);
void db_bind_text(db_stmt_t *st, int idx, const char *s, size_t n); /* s NULL binds NULL */
void db_bind_str(db_stmt_t *st, int idx, const char *s);            /* NUL-terminated */
void db_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n);
void db_bind_null(db_stmt_t *st, int idx);
/* DB_ROW, DB_DONE, DB_CONSTRAINT (a unique or foreign key refused the change), DB_ERROR. */
int db_step(db_stmt_t *st);
int db_col_is_null(db_stmt_t *st, int col);
int64_t db_col_int(db_stmt_t *st, int col);
const char *db_col_text(db_stmt_t *st, int col); /* valid until the next step or reset */
const void *db_col_blob(db_stmt_t *st, int col);
size_t db_col_bytes(db_stmt_t *st, int col);
/* Releases the statement's result so it can be used again; always call when done. */
void db_reset(db_stmt_t *st);

/* Runs one statement without parameters (DDL, pragmas). Returns DB_OK or DB_ERROR. */
int db_exec(db_t *db, const char *sql);
/* Transactions nest: only the outermost db_begin opens one (taking the write lock at once on
   SQLite, so writers never deadlock) and only the outermost db_commit commits. A rollback at
   any depth rolls the whole transaction back at once and dooms it: every later db_begin and
   db_commit inside it fail, so nothing after a failure is written or said to be saved.
   db_commit returns DB_OK only when the outermost COMMIT succeeded (or, inside, while the
   transaction is not doomed). */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);
int db_tx_depth(const db_t *db);
/* Which outermost transaction is open: a number no other transaction of the process had (what
   a transaction learned may be kept for its own rest); 0 outside one. */
uint64_t db_tx_serial(const db_t *db);
/* Serializes writers of one couple inside a transaction: on PostgreSQL a row lock on the couple
   (READ COMMITTED: every statement after it sees what the other writer committed); SQLite's
   BEGIN IMMEDIATE holds the database's write lock already. DB_OK, or DB_DONE when there is no
   such couple. */
int db_lock_couple(db_t *db, int64_t couple);
/* Loading (mend seed): on PostgreSQL, writes go in libpq's pipeline without a round trip each;
   a failed one is answered by the next statement waited for, or by COMMIT. Not for serving. */
void db_bulk(db_t *db, int on);
/* Whether the open transaction has changed any row so far. */
int db_tx_changed(db_t *db);
/* A new data version for the couple (what caches of it go by): called by a transaction that
   changed the couple's rows, before it commits. */
int db_bump_couple(db_t *db, int64_t couple);
/* The same for something that has no row to lock yet (a log-in throttle key): a transaction
   advisory lock on PostgreSQL, nothing on SQLite. */
int db_lock_key(db_t *db, int64_t key);
/* The result of the last failed step on this connection (DB_CONSTRAINT, DB_BUSY, DB_ERROR), or
   DB_OK; cleared by every db_begin at depth 0. Lets one error answer tell a conflict (409) from
   a database that did not answer. */
int db_last_failure(const db_t *db);

/* One statement with its values, for the many that bind a few values and step once. types
   has a letter per parameter: i int64_t, z int64_t where 0 binds NULL, s string (NULL binds
   NULL), b blob (pointer, size_t; NULL binds NULL).
   db_do returns the step's result (DB_DONE, DB_CONSTRAINT, ...); db_count the first column of
   the first row, or -1 on an error. */
int db_do(db_t *db, const char *sql, const char *types, ...);
int64_t db_count(db_t *db, const char *sql, const char *types, ...);

/* Reading rows: a feature reads its columns once, in a reader that fills its row struct, and
   every query of that feature walks its rows through db_rows or db_row. Texts a row points to
   are valid during the callback only (db_row: until the next query), so callbacks copy what
   they keep. Callbacks get the row as const void *: each feature's header names its type. */
typedef void (*db_reader)(db_stmt_t *st, void *row);
typedef void (*db_each)(void *ctx, const void *row);
/* Runs sql with its values (types as db_do), reads each row into *row and calls cb with it.
   DB_OK after the last row, else the failure. */
int db_rows(db_t *db, const char *sql, db_reader rd, void *row, db_each cb, void *ctx, const char *types, ...);
/* The first row, handed to cb while its texts are valid: DB_ROW, DB_DONE when there is none. */
int db_first(db_t *db, const char *sql, db_reader rd, void *row, db_each cb, void *ctx, const char *types, ...);
/* The first row into *out: DB_ROW, DB_DONE when there is none, or the failure. */
int db_row(db_t *db, const char *sql, db_reader rd, void *out, const char *types, ...);
/* The same, with the texts its reader takes through db_col_kept copied into keep, so they
   outlive the statement; a reader's db_col_kept is db_col_text everywhere else. */
int db_row_keep(db_t *db, const char *sql, db_reader rd, void *out, arena_t *keep, const char *types, ...);
const char *db_col_kept(db_stmt_t *st, int col);
/* One statement that changes rows: DB_OK, or the failure (DB_CONSTRAINT, DB_ERROR, ...). Every
   writer of db/ returns DB_OK in the same way; getters return DB_ROW or DB_DONE. */
int db_write(db_t *db, const char *sql, const char *types, ...);
/* Ends what db_begin opened: commits when rc is DB_OK, else rolls back. Returns DB_OK only when
   the commit succeeded, else rc (or DB_ERROR). */
int db_end(db_t *db, int rc);

/* Rows changed by the last statement. */
int db_changes(db_t *db);
/* A number that moves with every commit to the database, by any connection or process, as
   this connection's current read sees it (SQLite's data version): equal twice on one
   connection, nothing was written in between. DB_OK, or DB_DONE where the engine has none
   (PostgreSQL). */
int db_data_stamp(db_t *db, uint64_t *out);
/* A read-only request's queries in one snapshot: on SQLite one lock cycle instead of one per
   statement (the file locks are the hot path's biggest cost), on PostgreSQL a READ ONLY,
   REPEATABLE READ transaction. */
/* DB_OK when the connection can be used now; a lost one is made again when it is time. */
int db_ready(db_t *db);
void db_read_begin(db_t *db);   /* SQLite: before the session's query */
void db_read_snapshot(db_t *db); /* PostgreSQL: after it (the next statement begins the snapshot) */
void db_read_end(db_t *db);
/* SQLite keeps a finished read's snapshot open for the next read on the connection while no
   commit has happened since (by anyone: the WAL-index header says so), which spares the file
   locks of a BEGIN and a COMMIT a request. Any other use of the connection lets it go first;
   db_read_idle lets it go once the connection was idle for ms (so checkpoints can finish) and
   says whether one is still kept. */
int db_read_idle(db_t *db, int ms);
/* A read request's couple and the data version its session read (memo.c): while it is set,
   reads of that couple's rows (queries whose first value is the couple) are kept on this
   connection and answered again without the database while the version stands. Set after the
   session's query; db_read_end and any write end it. */
void db_memo_scope(db_t *db, int64_t couple, int64_t version);

/* Migrations (migrate.c): applies the embedded migrations in order, inside transactions.
   Refuses a database whose schema is newer than this binary. */
int db_migrate(db_t *db, char *err, size_t errlen);
int db_schema_version(db_t *db);
int db_known_version(void);

/* After an erasure: checkpoint SQLite's WAL and truncate it, so no copy of erased rows stays
   on disk (secure_delete zeroes them in the main file). Nothing on PostgreSQL. */
int db_wipe_wal(db_t *db);

/* Holds a SQLite database file for this process's lifetime (a lock beside SQLite's own): shared
   for `mend serve` (several may share a file), exclusive for `mend restore`. Returns an fd to
   keep open, -1 when another process holds it the other way, -2 on an I/O error. */
int db_sqlite_hold(const char *path, int exclusive);
/* PRAGMA quick_check (SQLite; PostgreSQL checks itself): DB_OK, or DB_ERROR with what it found. */
int db_quick_check(db_t *db, int full, char *err, size_t errlen);

/* Online backup of a SQLite database into a new file (sqlite.c). */
int db_backup(db_t *db, const char *dest, char *err, size_t errlen);

/* Counters for /metrics: connections open, statements prepared, errors. */
typedef struct { long open, prepared, errors; } db_stats_t;
void db_stats(db_stats_t *out);

/* Engine internals shared between db.c and the engines. */
struct db_ops {
  void (*close)(db_t *);
  db_stmt_t *(*prepare)(db_t *, const char *sql);
  void (*bind_int)(db_stmt_t *, int, int64_t);
  void (*bind_text)(db_stmt_t *, int, const char *, size_t);
  void (*bind_blob)(db_stmt_t *, int, const void *, size_t);
  void (*bind_null)(db_stmt_t *, int);
  int (*step)(db_stmt_t *);
  int (*col_is_null)(db_stmt_t *, int);
  int64_t (*col_int)(db_stmt_t *, int);
  const char *(*col_text)(db_stmt_t *, int);
  const void *(*col_blob)(db_stmt_t *, int);
  size_t (*col_bytes)(db_stmt_t *, int);
  void (*reset)(db_stmt_t *);
  int (*exec)(db_t *, const char *);
  int (*changes)(db_t *);
  const char *(*errmsg)(db_t *);
  int (*ready)(db_t *); /* the connection is usable (made again if it was lost and it is time) */
  int64_t (*total_changes)(db_t *); /* rows inserted, updated or deleted on this connection so far */
  void (*bulk)(db_t *, int on);      /* loading many rows (NULL: nothing to gain) */
  /* Round trips saved (NULL: none to save): lead sends sql with the next statement, in one
     round trip; behind sends it and reads its result only before the next command. */
  int (*lead)(db_t *, const char *sql);
  void (*behind)(db_t *, const char *sql);
  int (*ncols)(db_stmt_t *);          /* the columns of the row stepped to */
  int (*col_type)(db_stmt_t *, int);  /* 0 NULL, 1 an integer, 2 text or bytes (what memo.c keeps) */
  /* A read snapshot kept between requests (NULL: never): mark notes the file's state before
     a snapshot begins, current says whether it is still the state now. */
  void (*read_mark)(db_t *);
  int (*read_current)(db_t *);
  int (*data_stamp)(db_t *, uint64_t *); /* NULL: the engine has none */
};

#define DB_CACHE_SLOTS 1024 /* distinct SQL texts per connection; mend has about a hundred */
struct db_stmt { db_t *db; };
struct db {
  const struct db_ops *ops;
  enum db_engine engine;
  int depth, doomed, in_read, failure;
  int read_pending; /* PostgreSQL: the next statement opens the read's snapshot first */
  int held;         /* SQLite: a finished read's snapshot kept open (db_read_idle) */
  int64_t held_ms;  /* since when */
  int64_t changes_at_begin; /* total_changes when the outer transaction began */
  uint64_t tx_serial;        /* db_tx_serial */
  arena_t *keep; /* while db_row_keep reads a row */
  struct db_memo *memo; /* memo.c; NULL until a read request names its couple */
  struct { const char *sql; db_stmt_t *st; } cache[DB_CACHE_SLOTS];
};

db_t *db_sqlite_open(const char *path, char *err, size_t errlen);
db_t *db_pg_open(const char *conninfo, char *err, size_t errlen);
void db_note_prepared(void);
void db_note_error(void);

/* memo.c's side of db.c: a query's values as a key (1 when it may be kept), an answer kept
   (1 when replayed, with its result in *rc), and the rows of one being read. */
typedef struct { const char *sql; int mode; uint64_t hash; size_t len; unsigned char buf[384]; } db_memo_key_t;
int db_memo_keyed(db_t *db, const char *sql, int mode, const char *types, va_list ap, db_memo_key_t *k);
int db_memo_replay(db_t *db, const db_memo_key_t *k, db_reader rd, void *row, db_each cb, void *ctx, arena_t *keep, int *rc);
void db_memo_record_begin(db_t *db);
void db_memo_record_row(db_stmt_t *st);
void db_memo_record_end(db_t *db, const db_memo_key_t *k);
int db_memo_opened(db_t *db); /* the request's snapshot begins: DB_BUSY if it is not the kept answers' version */
/* For an engine that can ask with the snapshot's first statement (pg.c): the couple whose
   version the memo wants to learn (0: none), and what the snapshot showed. */
int64_t db_memo_snapshot_couple(db_t *db);
void db_memo_snapshot_is(db_t *db, int64_t version);
void db_memo_free(db_t *db);

#endif
