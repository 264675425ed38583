/* ledger.c (db): the couple's append-only, hash-chained record of what was agreed and kept. */
#include "ledger.h"
#include <stdio.h>
#include <string.h>

static void read_head(db_stmt_t *st, void *row) {
  ledger_head_row *h = row;
  h->seq = db_col_int(st, 0);
  h->ok = db_col_bytes(st, 1) == LEDGER_HASH;
  if (h->ok) memcpy(h->hash, db_col_blob(st, 1), LEDGER_HASH);
}

/* The head this thread's transaction wrote last: the next append of the same transaction (it
   holds the couple's lock) needs not read it again. Seeding appends hundreds in one. */
static _Thread_local struct { const db_t *db; uint64_t tx; int64_t couple; ledger_head_row h; } last;

static int head_of(db_t *db, int64_t couple, ledger_head_row *h) {
  uint64_t tx = db_tx_serial(db);
  if (tx && last.tx == tx && last.db == db && last.couple == couple) { *h = last.h; return DB_ROW; }
  return db_row(db, "SELECT seq, hash FROM ledger_heads WHERE couple_id = $1", read_head, h, "i", couple);
}

int ledger_append(db_t *db, int64_t couple, int64_t actor, const char *kind, int64_t subject, const char *summary, int64_t now) {
  ledger_head_row h = {0, 0, {0}};
  int rc = head_of(db, couple, &h);
  if (rc != DB_ROW && rc != DB_DONE) return rc;
  if (!h.ok) memset(h.hash, 0, LEDGER_HASH);
  int64_t seq = h.seq + 1;
  unsigned char hash[LEDGER_HASH];
  chain_entry e = {couple, seq, now, actor, subject, kind, summary};
  chain_hash(&e, h.hash, hash);
  rc = db_write(db,
      "INSERT INTO ledger (couple_id, seq, at, actor_id, kind, subject_id, summary, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      "iiiisisbb", couple, seq, now, actor, kind, subject, summary, h.hash, (size_t)LEDGER_HASH, hash, (size_t)LEDGER_HASH);
  if (rc != DB_OK) return rc;
  rc = db_write(db,
      "INSERT INTO ledger_heads (couple_id, seq, hash) VALUES ($1, $2, $3) "
      "ON CONFLICT (couple_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
      "iib", couple, seq, hash, (size_t)LEDGER_HASH);
  last.tx = 0;
  if (rc == DB_OK && (last.tx = db_tx_serial(db))) {
    last.db = db;
    last.couple = couple;
    last.h = (ledger_head_row){seq, 1, {0}};
    memcpy(last.h.hash, hash, LEDGER_HASH);
  }
  return rc;
}

static void read_entry(db_stmt_t *st, void *row) {
  ledger_row *r = row;
  *r = (ledger_row){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 4), db_col_text(st, 3),
                    db_col_text(st, 5), db_col_blob(st, 6), db_col_blob(st, 7)};
}

int ledger_page(db_t *db, int64_t couple, int64_t after_seq, int limit, db_each cb, void *ctx) {
  ledger_row r;
  return db_rows(db, "SELECT seq, at, actor_id, kind, subject_id, summary, prev_hash, hash FROM ledger WHERE couple_id = $1 "
                     "AND seq > $2 ORDER BY seq LIMIT $3",
                 read_entry, &r, cb, ctx, "iii", couple, after_seq, (int64_t)limit);
}

int ledger_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  ledger_row r;
  return db_rows(db, "SELECT seq, at, actor_id, kind, subject_id, summary, prev_hash, hash FROM ledger WHERE couple_id = $1 ORDER BY seq",
                 read_entry, &r, cb, ctx, "i", couple);
}

/* Checks one chain; 0 intact, 1 broken. */
static int verify_one(db_t *db, int64_t couple, char *problem, size_t cap, long *entries) {
  db_stmt_t *st = db_prepare(db,
      "SELECT seq, at, actor_id, kind, subject_id, summary, prev_hash, hash FROM ledger WHERE couple_id = $1 ORDER BY seq");
  db_stmt_t *head = db_prepare(db, "SELECT seq, hash FROM ledger_heads WHERE couple_id = $1");
  if (!st || !head) return -1;
  unsigned char prev[LEDGER_HASH] = {0}, calc[LEDGER_HASH];
  int64_t expect = 1;
  int broken = 0, rc;
  db_bind_int(st, 1, couple);
  while (!broken && (rc = db_step(st)) == DB_ROW) {
    int64_t seq = db_col_int(st, 0);
    chain_entry e = {couple, seq, db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 4), db_col_text(st, 3), db_col_text(st, 5)};
    (*entries)++;
    if (seq != expect) {
      snprintf(problem, cap, "couple %lld: entry %lld is missing (the chain jumps to %lld)", (long long)couple,
               (long long)expect, (long long)seq);
      broken = 1;
    } else if (db_col_bytes(st, 6) != LEDGER_HASH || memcmp(db_col_blob(st, 6), prev, LEDGER_HASH)) {
      snprintf(problem, cap, "couple %lld: entry %lld does not follow entry %lld (its link was changed)", (long long)couple,
               (long long)seq, (long long)seq - 1);
      broken = 1;
    } else {
      chain_hash(&e, prev, calc);
      if (db_col_bytes(st, 7) != LEDGER_HASH || memcmp(db_col_blob(st, 7), calc, LEDGER_HASH)) {
        snprintf(problem, cap, "couple %lld: entry %lld was changed after it was written", (long long)couple, (long long)seq);
        broken = 1;
      }
      memcpy(prev, calc, LEDGER_HASH);
    }
    expect = seq + 1;
  }
  db_reset(st);
  if (broken) return 1;
  if (rc != DB_DONE) return -1;
  db_bind_int(head, 1, couple);
  rc = db_step(head);
  if (rc == DB_ROW) {
    if (db_col_int(head, 0) != expect - 1 || db_col_bytes(head, 1) != LEDGER_HASH || memcmp(db_col_blob(head, 1), prev, LEDGER_HASH)) {
      snprintf(problem, cap, "couple %lld: the chain ends at entry %lld but %lld entries were written (the last ones were removed)",
               (long long)couple, (long long)expect - 1, (long long)db_col_int(head, 0));
      broken = 1;
    }
  } else if (rc == DB_DONE && expect > 1) {
    snprintf(problem, cap, "couple %lld: the chain's head record is missing", (long long)couple);
    broken = 1;
  }
  db_reset(head);
  return broken;
}

int ledger_verify(db_t *db, int64_t couple, char *problem, size_t cap, long *entries) {
  *entries = 0;
  if (couple) return verify_one(db, couple, problem, cap, entries);
  /* every couple with a chain or a head */
  db_stmt_t *st = db_prepare(db,
      "SELECT couple_id FROM ledger_heads UNION SELECT DISTINCT couple_id FROM ledger ORDER BY 1");
  if (!st) return -1;
  int64_t ids[256];
  int64_t after = -1;
  int result = 0;
  /* in batches, so no statement stays open while the chains are read */
  for (;;) {
    int n = 0, rc;
    while (n < 256 && (rc = db_step(st)) == DB_ROW) {
      int64_t id = db_col_int(st, 0);
      if (id > after) ids[n++] = id;
    }
    db_reset(st);
    if (n == 0) break;
    for (int i = 0; i < n && !result; i++) result = verify_one(db, ids[i], problem, cap, entries);
    if (result || n < 256) break;
    after = ids[n - 1];
  }
  return result;
}

int ledger_head(db_t *db, int64_t couple, int64_t *seq, unsigned char hash[LEDGER_HASH]) {
  ledger_head_row h = {0, 0, {0}};
  int rc = head_of(db, couple, &h);
  *seq = rc == DB_ROW ? h.seq : 0;
  if (rc == DB_ROW && !h.ok) rc = DB_DONE;
  if (rc == DB_ROW) memcpy(hash, h.hash, LEDGER_HASH);
  return rc;
}
