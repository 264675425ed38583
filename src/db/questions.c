/* questions.c (db): questions, asked once or many times, and every answer given. */
#include "atone.h"
#include "core/secret.h"
#include <stdlib.h>
#include <string.h>

#define Q_COLS "q.id, q.asker_id, q.text, q.times_asked, q.created_at, q.last_asked_at, " \
  "COALESCE((SELECT MAX(a.created_at) FROM answers a WHERE a.couple_id = q.couple_id AND a.question_id = q.id), 0), q.waiting"

static void read_q(db_stmt_t *st, question_t *q) {
  q->id = db_col_int(st, 0);
  q->asker_id = db_col_int(st, 1);
  q->text = db_col_text(st, 2);
  q->times_asked = db_col_int(st, 3);
  q->created_at = db_col_int(st, 4);
  q->last_asked_at = db_col_int(st, 5);
  q->last_answer_at = db_col_int(st, 6);
  q->waiting = (int)db_col_int(st, 7);
}

int questions_add(db_t *db, int64_t couple, int64_t asker, const char *text, int64_t now, int64_t *id) {
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO questions (couple_id, id, asker_id, text, times_asked, waiting, created_at, last_asked_at) VALUES ($1, $2, $3, $4, 1, 1, $5, $5)");
  if (!st) return DB_ERROR;
  *id = secret_id();
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, *id);
  db_bind_int(st, 3, asker);
  db_bind_str(st, 4, text);
  db_bind_int(st, 5, now);
  int rc = db_step(st);
  db_reset(st);
  return rc;
}

int questions_list(db_t *db, int64_t couple, void (*cb)(void *, const question_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db, "SELECT " Q_COLS " FROM questions q WHERE q.couple_id = $1 ORDER BY q.waiting DESC, q.last_asked_at DESC, q.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    question_t q;
    read_q(st, &q);
    cb(ctx, &q);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int questions_get(db_t *db, int64_t couple, int64_t id, question_t *out, char **text) {
  db_stmt_t *st = db_prepare(db, "SELECT " Q_COLS " FROM questions q WHERE q.couple_id = $1 AND q.id = $2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    read_q(st, out);
    if (text && !(*text = strdup(out->text ? out->text : ""))) rc = DB_ERROR;
    out->text = NULL;
  }
  db_reset(st);
  return rc;
}

int questions_answers(db_t *db, int64_t couple, int64_t question, void (*cb)(void *, const answer_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, author_id, text, created_at FROM answers WHERE couple_id = $1 AND question_id = $2 ORDER BY seq");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, question);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    answer_t a = {db_col_int(st, 0), question, db_col_int(st, 1), db_col_int(st, 3), db_col_text(st, 2)};
    cb(ctx, &a);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int questions_answer(db_t *db, int64_t couple, int64_t question, int64_t author, const char *text, int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO answers (couple_id, id, question_id, seq, author_id, text, created_at) VALUES ($1, $2, $3, "
      "(SELECT COALESCE(MAX(seq), 0) + 1 FROM answers WHERE couple_id = $1 AND question_id = $3), $4, $5, $6)");
  db_stmt_t *up = db_prepare(db, "UPDATE questions SET waiting = 0 WHERE couple_id = $1 AND id = $2");
  if (!st || !up) { db_rollback(db); return DB_ERROR; }
  *id = secret_id();
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, *id);
  db_bind_int(st, 3, question);
  db_bind_int(st, 4, author);
  db_bind_str(st, 5, text);
  db_bind_int(st, 6, now);
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_DONE) {
    db_bind_int(up, 1, couple);
    db_bind_int(up, 2, question);
    rc = db_step(up);
    db_reset(up);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int questions_ask_again(db_t *db, int64_t couple, int64_t question, int64_t now) {
  return db_do(db, "UPDATE questions SET times_asked = times_asked + 1, waiting = 1, last_asked_at = $3 "
               "WHERE couple_id = $1 AND id = $2", "iii", couple, question, now);
}


int questions_waiting_list(db_t *db, int64_t couple, int64_t viewer, void (*cb)(void *, const question_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, text, times_asked FROM questions WHERE couple_id = $1 AND waiting = 1 AND asker_id <> $2 "
      "ORDER BY last_asked_at DESC, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, viewer);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    question_t q = {0};
    q.id = db_col_int(st, 0);
    q.text = db_col_text(st, 1);
    q.times_asked = db_col_int(st, 2);
    q.waiting = 1;
    cb(ctx, &q);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int questions_all_answers(db_t *db, int64_t couple, void (*cb)(void *, const answer_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      "SELECT id, question_id, author_id, text, created_at FROM answers WHERE couple_id = $1 ORDER BY question_id, seq");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    answer_t a = {db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 4), db_col_text(st, 3)};
    cb(ctx, &a);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}
