/* pg.c: the PostgreSQL engine over libpq. Each statement is prepared once per connection
   under a generated name; parameters go as text (blobs as binary) and results come back in
   binary format, so integers and bytea need no text parsing. A lost connection (a restart, a
   failover) is made again by the next request that asks (db_ready), at most every few hundred
   milliseconds, with the statements prepared anew. */
#include "db.h"
#include <arpa/inet.h>
#include "pq.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PG_MAX_PARAMS 24
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23 };

typedef struct {
  db_t base;
  PGconn *c;
  int nstmts, changes;
  int64_t total;             /* rows inserted, updated or deleted so far */
  int bulk, pending, bulk_rc; /* loading: writes sent without waiting (libpq's pipeline), their
                                 results read at the next read, db_changes, or COMMIT */
  int64_t retry_at, backoff; /* ms: when a lost connection may be tried again, and the wait after */
  const char *lead;          /* to send with the next statement (a read's BEGIN) */
  int behind;                /* a command was sent whose results are not read yet (a read's COMMIT) */
  int probe;                 /* the memo's version probe is prepared on this connection */
  char err[256];
} pg_db;
typedef struct {
  db_stmt_t base;
  char name[16];
  int write; /* INSERT, UPDATE or DELETE without RETURNING: may go in a pipeline */
  int nparams, row, nrows, executed;
  PGresult *res;
  const char *vals[PG_MAX_PARAMS];
  int lens[PG_MAX_PARAMS], fmts[PG_MAX_PARAMS];
  char ints[PG_MAX_PARAMS][24];
} pg_stmt;

#define PC(db) (((pg_db *)(db))->c)
#define PS(s) ((pg_stmt *)(s))

static void quiet_notices(void *arg, const char *msg) { (void)arg; (void)msg; }

static void drop_statements(db_t *db) {
  for (int i = 0; i < DB_CACHE_SLOTS; i++)
    if (db->cache[i].st) { PQclear(PS(db->cache[i].st)->res); free(db->cache[i].st); }
  memset(db->cache, 0, sizeof db->cache);
}

static void pg_close(db_t *db) {
  drop_statements(db);
  PQfinish(PC(db));
  free(db);
}

/* A message from libpq on one line, never empty. */
static void keep_error(pg_db *p, const char *what, const char *msg) {
  snprintf(p->err, sizeof p->err, "%s%s", what, msg && *msg ? msg : "no message from libpq");
  size_t n = strlen(p->err);
  while (n && (p->err[n - 1] == '\n' || p->err[n - 1] == ' ')) p->err[--n] = 0;
  for (char *c = p->err; *c; c++)
    if (*c == '\n') *c = ' '; /* one log line: "ERROR: ... DETAIL: ..." */
}

/* Every connection's settings: UTC, quiet notices, and no statement or idle transaction that
   holds a couple's lock for ever. */
static void session_setup(PGconn *c) {
  PGresult *r = PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET statement_timeout = '30s'; "
                          "SET idle_in_transaction_session_timeout = '60s'");
  PQclear(r);
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads the results of the writes sent in the pipeline; the first failure is kept for the
   caller (the next statement, db_changes or COMMIT answers it). */
static void drain(pg_db *p) {
  if (!p->pending) return;
  PQpipelineSync(p->c);
  for (;;) {
    PGresult *r = PQgetResult(p->c);
    if (!r) {
      if (PQstatus(p->c) != CONNECTION_OK) break;
      continue; /* the end of one statement's results */
    }
    ExecStatusType es = PQresultStatus(r);
    if (es == PGRES_PIPELINE_SYNC) { PQclear(r); break; }
    if (es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK) {
      p->changes = atoi(PQcmdTuples(r));
      p->total += p->changes;
    } else if (!p->bulk_rc) {
      const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      keep_error(p, "", PQresultErrorMessage(r));
      p->bulk_rc = state && !strncmp(state, "23", 2) ? DB_CONSTRAINT : DB_ERROR;
    }
    PQclear(r);
  }
  p->pending = 0;
}

static int pg_exec(db_t *db, const char *sql);

/* Round trips a read saves: its BEGIN goes with its first statement, its COMMIT is not waited
   for. Before any other command, what is owed is settled: the results sent behind are read
   (they have arrived by then, as a rule), a lead still waiting is sent alone. */
static void settle(pg_db *p) {
  if (p->behind) {
    p->behind = 0;
    PGresult *r;
    while ((r = PQgetResult(p->c))) PQclear(r);
  }
  if (p->lead) {
    const char *sql = p->lead;
    p->lead = NULL;
    PQclear(PQexec(p->c, sql));
  }
}

static int pg_lead(db_t *db, const char *sql) {
  pg_db *p = (pg_db *)db;
  settle(p);
  if (p->bulk) return pg_exec(db, sql);
  p->lead = sql;
  return DB_OK;
}

static void pg_behind(db_t *db, const char *sql) {
  pg_db *p = (pg_db *)db;
  settle(p);
  if (p->bulk) { pg_exec(db, sql); return; }
  p->behind = PQsendQuery(p->c, sql) == 1;
}

/* The data version a read's snapshot shows, asked in the same round trip as its BEGIN when the
   memo needs it (memo.c): prepared once a connection, when first wanted. */
static const char probe_sql[] = "SELECT data_version FROM couples WHERE id = $1";
static int probe_ready(pg_db *p) {
  if (!p->probe) {
    PGresult *r = PQprepare(p->c, "mv", probe_sql, 1, NULL);
    p->probe = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  return p->probe;
}

static void probe_read(pg_db *p, PGresult *r) {
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || PQgetlength(r, 0, 0) != 8) return;
  const unsigned char *v = (const unsigned char *)PQgetvalue(r, 0, 0);
  uint64_t x = 0;
  for (int i = 0; i < 8; i++) x = x << 8 | v[i];
  db_memo_snapshot_is(&p->base, (int64_t)x);
}

/* The lead and the statement in one round trip (libpq's pipeline): the statement's result. A
   failed lead fails the statement too (PGRES_PIPELINE_ABORTED). */
static PGresult *exec_led(pg_db *p, pg_stmt *st) {
  const char *lead = p->lead;
  p->lead = NULL;
  int64_t couple = db_memo_snapshot_couple(&p->base);
  if (couple && !probe_ready(p)) couple = 0;
  if (PQenterPipelineMode(p->c) != 1) {
    PQclear(PQexec(p->c, lead));
    return PQexecPrepared(p->c, st->name, st->nparams, st->vals, st->lens, st->fmts, 1);
  }
  PGresult *res = NULL, *r;
  char id[24];
  const char *vals[1] = {id};
  snprintf(id, sizeof id, "%lld", (long long)couple);
  if (PQsendQueryParams(p->c, lead, 0, NULL, NULL, NULL, NULL, 0) == 1 &&
      (!couple || PQsendQueryPrepared(p->c, "mv", 1, vals, NULL, NULL, 1) == 1) &&
      PQsendQueryPrepared(p->c, st->name, st->nparams, st->vals, st->lens, st->fmts, 1) == 1 && PQpipelineSync(p->c) == 1) {
    int parts = couple ? 3 : 2;
    for (int part = 0; part < parts; part++) /* each query's results end with a NULL */
      while ((r = PQgetResult(p->c))) {
        if (part == parts - 1 && !res) res = r;
        else {
          if (part == 1 && couple) probe_read(p, r);
          PQclear(r);
        }
      }
  }
  /* then the sync's own result; a connection that broke leaves nothing to read */
  for (int tries = 0; PQexitPipelineMode(p->c) != 1 && PQstatus(p->c) == CONNECTION_OK && tries < 8; tries++)
    PQclear(PQgetResult(p->c));
  return res;
}

/* Out of the pipeline for a statement that must be waited for, and back in after it. */
static void pause_bulk(pg_db *p) {
  if (!p->bulk) return;
  drain(p);
  PQexitPipelineMode(p->c);
}
static void resume_bulk(pg_db *p) {
  if (p->bulk) PQenterPipelineMode(p->c);
}

static void pg_bulk(db_t *db, int on) {
  pg_db *p = (pg_db *)db;
  if (!on == !p->bulk) return;
  settle(p);
  if (on) {
    p->bulk = PQenterPipelineMode(p->c) == 1;
    p->bulk_rc = 0;
  } else {
    pause_bulk(p);
    p->bulk = 0;
  }
}

static int pg_ready(db_t *db) {
  pg_db *p = (pg_db *)db;
  if (PQstatus(p->c) == CONNECTION_OK) return DB_OK;
  int64_t now = now_ms();
  if (now < p->retry_at) return DB_ERROR;
  p->lead = NULL;
  p->behind = 0;
  PQreset(p->c);
  if (PQstatus(p->c) != CONNECTION_OK) {
    p->backoff = p->backoff ? (p->backoff * 2 > 2000 ? 2000 : p->backoff * 2) : 250;
    p->retry_at = now_ms() + p->backoff;
    keep_error(p, "PostgreSQL is not answering: ", PQerrorMessage(p->c));
    return DB_ERROR;
  }
  /* a new session on the server: nothing prepared, no transaction */
  drop_statements(db);
  p->probe = 0;
  db->depth = db->in_read = db->doomed = 0;
  p->backoff = 0;
  PQsetNoticeProcessor(p->c, quiet_notices, NULL);
  session_setup(p->c);
  fprintf(stderr, "mend: connected to PostgreSQL again\n");
  return DB_OK;
}

static db_stmt_t *pg_prepare(db_t *db, const char *sql) {
  pg_db *p = (pg_db *)db;
  int maxp = 0;
  for (const char *s = sql; *s; s++)
    if (*s == '$' && s[1] >= '0' && s[1] <= '9') { int n = atoi(s + 1); if (n > maxp) maxp = n; }
  if (maxp > PG_MAX_PARAMS) return NULL;
  pg_stmt *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  snprintf(st->name, sizeof st->name, "m%d", ++p->nstmts);
  st->write = (!strncmp(sql, "INSERT", 6) || !strncmp(sql, "UPDATE", 6) || !strncmp(sql, "DELETE", 6)) && !strstr(sql, "RETURNING");
  settle(p);
  pause_bulk(p);
  if (p->bulk_rc) {
    /* a write sent in the pipeline failed: its transaction is over, and its error is the one
       to tell (a PREPARE now would only say the transaction was aborted) */
    resume_bulk(p);
    free(st);
    return NULL;
  }
  PGresult *r = PQprepare(p->c, st->name, sql, maxp, NULL);
  resume_bulk(p);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    keep_error(p, "", PQresultErrorMessage(r));
    fprintf(stderr, "mend: postgres prepare failed: %s, in: %s\n", p->err, sql);
    PQclear(r);
    free(st);
    return NULL;
  }
  PQclear(r);
  st->base.db = db;
  st->nparams = maxp;
  return &st->base;
}

static void pg_bind_int(db_stmt_t *s, int i, int64_t v) {
  pg_stmt *st = PS(s);
  if (i < 1 || i > st->nparams) return;
  snprintf(st->ints[i - 1], sizeof st->ints[0], "%lld", (long long)v);
  st->vals[i - 1] = st->ints[i - 1]; st->lens[i - 1] = 0; st->fmts[i - 1] = 0;
}

/* Text must be valid text for PostgreSQL: it is passed as binary so no NUL terminator is
   needed, and the server checks the encoding. */
static void pg_bind_text(db_stmt_t *s, int i, const char *p, size_t n) {
  pg_stmt *st = PS(s);
  if (i < 1 || i > st->nparams) return;
  st->vals[i - 1] = p; st->lens[i - 1] = (int)n; st->fmts[i - 1] = 1;
}
static void pg_bind_blob(db_stmt_t *s, int i, const void *p, size_t n) { pg_bind_text(s, i, p ? p : "", n); }
static void pg_bind_null(db_stmt_t *s, int i) {
  pg_stmt *st = PS(s);
  if (i < 1 || i > st->nparams) return;
  st->vals[i - 1] = NULL; st->lens[i - 1] = 0; st->fmts[i - 1] = 0;
}

static int pg_step(db_stmt_t *s) {
  pg_stmt *st = PS(s);
  pg_db *p = (pg_db *)s->db;
  if (!st->executed && p->bulk && st->write) {
    /* loading: sent, not waited for (its result is read with the next one waited for) */
    st->executed = 1;
    st->row = -1;
    st->nrows = 0;
    if (p->bulk_rc) return p->bulk_rc;
    if (PQsendQueryPrepared(p->c, st->name, st->nparams, st->vals, st->lens, st->fmts, 1) != 1) {
      keep_error(p, "", PQerrorMessage(p->c));
      return DB_ERROR;
    }
    p->pending++;
    return DB_DONE;
  }
  if (!st->executed) {
    st->executed = 1;
    st->row = -1;
    if (p->behind) settle(p);
    if (p->lead && !p->bulk) st->res = exec_led(p, st);
    else {
      settle(p);
      pause_bulk(p);
      st->res = PQexecPrepared(p->c, st->name, st->nparams, st->vals, st->lens, st->fmts, 1);
      resume_bulk(p);
    }
    if (p->bulk_rc) { PQclear(st->res); st->res = NULL; st->nrows = 0; return p->bulk_rc; }
    ExecStatusType es = PQresultStatus(st->res);
    if (es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK) {
      st->nrows = PQntuples(st->res);
      p->changes = atoi(PQcmdTuples(st->res));
      const char *cmd = PQcmdStatus(st->res);
      if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6)) p->total += p->changes;
    } else {
      const char *state = PQresultErrorField(st->res, PG_DIAG_SQLSTATE);
      keep_error(p, "", PQresultErrorMessage(st->res));
      st->nrows = 0;
      if (state && !strncmp(state, "23", 2)) return DB_CONSTRAINT;
      if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01"))) return DB_BUSY;
      if (PQstatus(p->c) != CONNECTION_OK) {
        /* the server went away: the next request makes the connection again */
        fprintf(stderr, "mend: postgres: the connection was lost: %s\n", p->err);
        return DB_ERROR;
      }
      fprintf(stderr, "mend: postgres: %s\n", p->err);
      return DB_ERROR;
    }
  }
  if (++st->row < st->nrows) return DB_ROW;
  return DB_DONE;
}

static int pg_col_is_null(db_stmt_t *s, int c) { return PQgetisnull(PS(s)->res, PS(s)->row, c); }

static int64_t pg_col_int(db_stmt_t *s, int c) {
  pg_stmt *st = PS(s);
  if (PQgetisnull(st->res, st->row, c)) return 0;
  const unsigned char *v = (const unsigned char *)PQgetvalue(st->res, st->row, c);
  switch (PQftype(st->res, c)) {
    case OID_INT8: { uint64_t x = 0; for (int i = 0; i < 8; i++) x = x << 8 | v[i]; return (int64_t)x; }
    case OID_INT4: { uint32_t x = 0; for (int i = 0; i < 4; i++) x = x << 8 | v[i]; return (int32_t)x; }
    case OID_INT2: return (int16_t)(v[0] << 8 | v[1]);
    case OID_BOOL: return v[0] != 0;
    default: return 0;
  }
}

/* libpq always terminates values with a NUL byte, also in binary format. */
static const char *pg_col_text(db_stmt_t *s, int c) {
  pg_stmt *st = PS(s);
  return PQgetisnull(st->res, st->row, c) ? NULL : PQgetvalue(st->res, st->row, c);
}
static const void *pg_col_blob(db_stmt_t *s, int c) { return pg_col_text(s, c); }
static size_t pg_col_bytes(db_stmt_t *s, int c) { return (size_t)PQgetlength(PS(s)->res, PS(s)->row, c); }
static int pg_ncols(db_stmt_t *s) { return PQnfields(PS(s)->res); }
static int pg_col_type(db_stmt_t *s, int c) {
  pg_stmt *st = PS(s);
  if (PQgetisnull(st->res, st->row, c)) return 0;
  Oid t = PQftype(st->res, c);
  return t == OID_INT8 || t == OID_INT4 || t == OID_INT2 || t == OID_BOOL ? 1 : 2;
}

static void pg_reset(db_stmt_t *s) {
  pg_stmt *st = PS(s);
  PQclear(st->res);
  st->res = NULL;
  st->executed = 0;
  st->row = -1;
  st->nrows = 0;
  for (int i = 0; i < st->nparams; i++) st->vals[i] = NULL;
}

static int pg_exec(db_t *db, const char *sql) {
  pg_db *p = (pg_db *)db;
  settle(p);
  pause_bulk(p);
  if (p->bulk_rc) {
    /* a write sent in the pipeline failed: its transaction is over, whatever comes now */
    int rc = p->bulk_rc;
    p->bulk_rc = 0;
    PQclear(PQexec(p->c, "ROLLBACK"));
    resume_bulk(p);
    return rc;
  }
  PGresult *r = PQexec(PC(db), sql);
  resume_bulk(p);
  ExecStatusType es = PQresultStatus(r);
  int ok = es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK, rc = ok ? DB_OK : DB_ERROR;
  if (!ok) {
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    /* a COMMIT refused for a serialization failure or a deadlock may simply be tried again */
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01"))) rc = DB_BUSY;
    keep_error((pg_db *)db, "", PQresultErrorMessage(r));
    fprintf(stderr, "mend: postgres: %s\n", ((pg_db *)db)->err);
  }
  PQclear(r);
  return rc;
}

static int pg_changes(db_t *db) {
  pg_db *p = (pg_db *)db;
  if (p->pending) { pause_bulk(p); resume_bulk(p); } /* the last write's count, read now */
  return p->changes;
}
static int64_t pg_total_changes(db_t *db) { return ((pg_db *)db)->total; }
static const char *pg_errmsg(db_t *db) { return ((pg_db *)db)->err; }

static const struct db_ops pg_ops = {
  pg_close, pg_prepare, pg_bind_int, pg_bind_text, pg_bind_blob, pg_bind_null, pg_step,
  pg_col_is_null, pg_col_int, pg_col_text, pg_col_blob, pg_col_bytes, pg_reset, pg_exec,
  pg_changes, pg_errmsg, pg_ready, pg_total_changes, pg_bulk, pg_lead, pg_behind, pg_ncols, pg_col_type,
  NULL, NULL, /* each read its own snapshot: the server, not a file, says what is newest */
  NULL,       /* no data stamp: caches ask the rows */
};

db_t *db_pg_open(const char *conninfo, char *err, size_t errlen) {
  /* defaults first: what the operator's conninfo says (it comes last) wins */
  const char *keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
                        "tcp_user_timeout", "dbname", NULL};
  const char *vals[] = {"3", "1", "10", "5", "3", "15000", conninfo, NULL};
  if (pq_load(err, errlen) != 0) return NULL;
  PGconn *c = PQconnectdbParams(keys, vals, 1);
  if (PQstatus(c) != CONNECTION_OK) {
    const char *m = PQerrorMessage(c);
    snprintf(err, errlen, "cannot connect to PostgreSQL: %s", m && *m ? m : "no message from libpq");
    size_t n = strlen(err);
    while (n && (err[n - 1] == '\n' || err[n - 1] == ' ')) err[--n] = 0;
    PQfinish(c);
    return NULL;
  }
  PQsetNoticeProcessor(c, quiet_notices, NULL);
  session_setup(c);
  pg_db *db = calloc(1, sizeof *db);
  if (!db) { PQfinish(c); snprintf(err, errlen, "out of memory"); return NULL; }
  db->base.ops = &pg_ops;
  db->base.engine = DB_PG;
  db->c = c;
  return &db->base;
}
