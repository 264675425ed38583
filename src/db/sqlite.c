/* sqlite.c: the SQLite engine. WAL journal, synchronous=FULL so that a transaction the
   server has acknowledged survives a crash and a power loss, foreign keys on, a busy
   timeout. $N placeholders are rewritten to SQLite's ?N once, at preparation. */
#include "db.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

/* mark: the WAL-index header as it was before the kept read snapshot began (shm: where
   SQLite maps it) */
typedef struct { db_t base; sqlite3 *h; volatile const uint32_t *shm; uint32_t mark[12]; int marked; } sq_db;
typedef struct { db_stmt_t base; sqlite3_stmt *st; } sq_stmt;

#define SQ(db) (((sq_db *)(db))->h)
#define ST(s) (((sq_stmt *)(s))->st)

static void sq_close(db_t *db) {
  for (int i = 0; i < DB_CACHE_SLOTS; i++)
    if (db->cache[i].st) { sqlite3_finalize(ST(db->cache[i].st)); free(db->cache[i].st); }
  sqlite3_close_v2(SQ(db));
  free(db);
}

static db_stmt_t *sq_prepare(db_t *db, const char *sql) {
  size_t n = strlen(sql);
  char *q = malloc(n + 1);
  if (!q) return NULL;
  for (size_t i = 0; i <= n; i++) q[i] = (sql[i] == '$' && sql[i + 1] >= '0' && sql[i + 1] <= '9') ? '?' : sql[i];
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(SQ(db), q, (int)n, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  free(q);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "mend: sqlite prepare failed: %s\n  in: %s\n", sqlite3_errmsg(SQ(db)), sql);
    return NULL;
  }
  sq_stmt *s = calloc(1, sizeof *s);
  if (!s) { sqlite3_finalize(st); return NULL; }
  s->base.db = db;
  s->st = st;
  return &s->base;
}

static void sq_bind_int(db_stmt_t *s, int i, int64_t v) { sqlite3_bind_int64(ST(s), i, v); }
static void sq_bind_text(db_stmt_t *s, int i, const char *p, size_t n) { sqlite3_bind_text(ST(s), i, p, (int)n, SQLITE_TRANSIENT); }
static void sq_bind_blob(db_stmt_t *s, int i, const void *p, size_t n) { sqlite3_bind_blob(ST(s), i, p ? p : "", (int)n, SQLITE_TRANSIENT); }
static void sq_bind_null(db_stmt_t *s, int i) { sqlite3_bind_null(ST(s), i); }

static int sq_step(db_stmt_t *s) {
  if (s->db->in_read && !sqlite3_stmt_readonly(ST(s))) {
    /* a GET never writes: its read transaction refuses, loudly, so tests find any that try */
    fprintf(stderr, "mend: a read-only request tried to write: %s\n", sqlite3_sql(ST(s)));
    return DB_ERROR;
  }
  int rc = sqlite3_step(ST(s));
  switch (rc & 0xff) {
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_BUSY: case SQLITE_LOCKED: return DB_BUSY;
    default:
      fprintf(stderr, "mend: sqlite step failed: %s\n", sqlite3_errmsg(SQ(s->db)));
      return DB_ERROR;
  }
}

static int sq_col_is_null(db_stmt_t *s, int c) { return sqlite3_column_type(ST(s), c) == SQLITE_NULL; }
static int64_t sq_col_int(db_stmt_t *s, int c) { return sqlite3_column_int64(ST(s), c); }
static const char *sq_col_text(db_stmt_t *s, int c) { return (const char *)sqlite3_column_text(ST(s), c); }
static const void *sq_col_blob(db_stmt_t *s, int c) { return sqlite3_column_blob(ST(s), c); }
static size_t sq_col_bytes(db_stmt_t *s, int c) { return (size_t)sqlite3_column_bytes(ST(s), c); }
static int sq_ncols(db_stmt_t *s) { return sqlite3_column_count(ST(s)); }
static int sq_col_type(db_stmt_t *s, int c) {
  int t = sqlite3_column_type(ST(s), c);
  return t == SQLITE_NULL ? 0 : t == SQLITE_INTEGER ? 1 : 2;
}
static void sq_reset(db_stmt_t *s) { sqlite3_reset(ST(s)); sqlite3_clear_bindings(ST(s)); }

static int sq_exec(db_t *db, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(SQ(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
    fprintf(stderr, "mend: sqlite: %s\n", msg ? msg : "error");
    sqlite3_free(msg);
    return DB_ERROR;
  }
  return DB_OK;
}

static int sq_changes(db_t *db) { return sqlite3_changes(SQ(db)); }
static int64_t sq_total_changes(db_t *db) { return (int64_t)sqlite3_total_changes64(SQ(db)); }
static const char *sq_errmsg(db_t *db) { return sqlite3_errmsg(SQ(db)); }
/* SQLite's data version: it moves with every commit to the file, by any connection or process. */

/* The WAL-index header (the first 48 bytes of the -shm file, laid out in SQLite's file format
   document) changes with every commit to the file, by any connection of any process: a
   snapshot begun after a header was read is the newest while the header still reads the
   same. It is read through SQLite's own mapping (the VFS's xShmMap), never written. */
static void sq_read_mark(db_t *db) {
  sq_db *d = (sq_db *)db;
  d->marked = 0;
  sqlite3_file *f = NULL;
  void volatile *p = NULL;
  if (sqlite3_file_control(d->h, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods ||
      f->pMethods->iVersion < 2 || !f->pMethods->xShmMap || f->pMethods->xShmMap(f, 0, 32768, 0, &p) != SQLITE_OK || !p)
    return; /* not yet mapped (the first read) or not in WAL mode: no snapshot is kept */
  d->shm = p;
  for (int i = 0; i < 12; i++) d->mark[i] = d->shm[i];
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  d->marked = 1;
}

static int sq_read_current(db_t *db) {
  sq_db *d = (sq_db *)db;
  if (!d->marked) return 0;
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  for (int i = 0; i < 12; i++)
    if (d->shm[i] != d->mark[i]) return 0;
  return 1;
}

static int sq_data_stamp(db_t *db, uint64_t *out) {
  unsigned int v = 0; /* counts this connection's commits too, unlike PRAGMA data_version */
  if (sqlite3_file_control(((sq_db *)db)->h, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK) return DB_ERROR;
  *out = v;
  return DB_OK;
}

static const struct db_ops sq_ops = {
  sq_close, sq_prepare, sq_bind_int, sq_bind_text, sq_bind_blob, sq_bind_null, sq_step,
  sq_col_is_null, sq_col_int, sq_col_text, sq_col_blob, sq_col_bytes, sq_reset, sq_exec,
  sq_changes, sq_errmsg, NULL /* a file is always there */, sq_total_changes, NULL /* no round trips to save */,
  NULL, NULL, sq_ncols, sq_col_type, sq_read_mark, sq_read_current, sq_data_stamp,
};

static pthread_once_t config_once = PTHREAD_ONCE_INIT;
/* Each connection belongs to one thread: no per-connection mutexes, and no global memory
   statistics, whose mutex every allocation of every loop would otherwise contend on. */
static void sqlite_config(void) {
  sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

db_t *db_sqlite_open(const char *path, char *err, size_t errlen) {
  pthread_once(&config_once, sqlite_config);
  sqlite3 *h = NULL;
  int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close_v2(h);
    return NULL;
  }
  sqlite3_busy_timeout(h, 5000);
  sqlite3_extended_result_codes(h, 1);
  /* no journal_mode here: switching to WAL writes the file's header, and a database this mend
     refuses (too new) must stay byte for byte as it was; db_migrate switches it */
  const char *setup =
      "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;";
  char *msg = NULL;
  if (sqlite3_exec(h, setup, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "cannot use database %s: %s", path, msg ? msg : "not a database");
    sqlite3_free(msg);
    sqlite3_close_v2(h);
    return NULL;
  }
  sq_db *db = calloc(1, sizeof *db);
  if (!db) { sqlite3_close_v2(h); snprintf(err, errlen, "out of memory"); return NULL; }
  db->base.ops = &sq_ops;
  db->base.engine = DB_SQLITE;
  db->h = h;
  return &db->base;
}

int db_sqlite_hold(const char *path, int exclusive) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? -3 : -2;
  if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    int busy = errno == EWOULDBLOCK;
    close(fd);
    return busy ? -1 : -2;
  }
  return fd;
}

int db_quick_check(db_t *db, int full, char *err, size_t errlen) {
  if (db->engine != DB_SQLITE) return DB_OK;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(SQ(db), full ? "PRAGMA integrity_check(5)" : "PRAGMA quick_check(5)", -1, &st, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s", sqlite3_errmsg(SQ(db)));
    return DB_ERROR;
  }
  int rc = sqlite3_step(st), ok = rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
  if (!ok) snprintf(err, errlen, "%s", rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(SQ(db)));
  sqlite3_finalize(st);
  return ok ? DB_OK : DB_ERROR;
}

int db_wipe_wal(db_t *db) {
  if (db->engine != DB_SQLITE) return DB_OK;
  db_read_idle(db, 0); /* a kept snapshot of this connection would hold the WAL */
  int log = 0, done = 0;
  int rc = sqlite3_wal_checkpoint_v2(SQ(db), "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  if (rc != SQLITE_OK) fprintf(stderr, "mend: the WAL could not be truncated after an erasure: %s\n", sqlite3_errmsg(SQ(db)));
  return rc == SQLITE_OK ? DB_OK : DB_ERROR;
}

int db_backup(db_t *db, const char *dest, char *err, size_t errlen) {
  if (db->engine != DB_SQLITE) {
    snprintf(err, errlen, "backup of a PostgreSQL database: use pg_dump (see README, Operations)");
    return DB_ERROR;
  }
  sqlite3 *out = NULL;
  if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot create %s: %s", dest, out ? sqlite3_errmsg(out) : "error");
    sqlite3_close_v2(out);
    return DB_ERROR;
  }
  sqlite3_backup *b = sqlite3_backup_init(out, "main", SQ(db), "main");
  int rc = SQLITE_ERROR;
  if (b) {
    do {
      rc = sqlite3_backup_step(b, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
  }
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "backup to %s failed: %s", dest, sqlite3_errmsg(out));
    sqlite3_close_v2(out);
    return DB_ERROR;
  }
  /* a backup is a standalone file: no WAL beside it */
  sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
  sqlite3_close_v2(out);
  return DB_OK;
}
