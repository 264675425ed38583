/* questions.c (db): questions, asked once or many times, and every answer given. */
#include "questions.h"
#include "core/secret.h"

#define Q_COLS "q.id, q.asker_id, q.text, q.times_asked, q.created_at, q.last_asked_at, " \
  "COALESCE((SELECT MAX(a.created_at) FROM answers a WHERE a.couple_id = q.couple_id AND a.question_id = q.id), 0), q.waiting, " \
  "COALESCE(q.enough_at, 0)"

static void read_q(db_stmt_t *st, void *row) {
  question_t *q = row;
  *q = (question_t){.id = db_col_int(st, 0), .asker_id = db_col_int(st, 1), .text = db_col_kept(st, 2),
      .times_asked = db_col_int(st, 3), .created_at = db_col_int(st, 4), .last_asked_at = db_col_int(st, 5),
      .last_answer_at = db_col_int(st, 6), .waiting = (int)db_col_int(st, 7), .enough_at = db_col_int(st, 8)};
}

static void read_waiting(db_stmt_t *st, void *row) {
  question_t *q = row;
  *q = (question_t){0};
  q->id = db_col_int(st, 0);
  q->text = db_col_text(st, 1);
  q->times_asked = db_col_int(st, 2);
  q->waiting = 1;
}

#define A_COLS "id, question_id, author_id, text, created_at, COALESCE(corrects, 0), COALESCE(corrected_at, 0)"
static void read_answer(db_stmt_t *st, void *row) {
  answer_t *a = row;
  *a = (answer_t){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 4), db_col_text(st, 3),
                  db_col_int(st, 5), db_col_int(st, 6)};
}

int questions_add(db_t *db, int64_t couple, int64_t asker, const char *text, int64_t now, int64_t *id) {
  *id = secret_id();
  return db_write(db,
      "INSERT INTO questions (couple_id, id, asker_id, text, times_asked, waiting, created_at, last_asked_at) "
      "VALUES ($1, $2, $3, $4, 1, 1, $5, $5)",
      "iiisi", couple, *id, asker, text, now);
}

int questions_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  question_t q;
  return db_rows(db, "SELECT " Q_COLS " FROM questions q WHERE q.couple_id = $1 ORDER BY q.waiting DESC, q.last_asked_at DESC, q.id",
                 read_q, &q, cb, ctx, "i", couple);
}

/* A page of the list, after the question `after` (in the list's order: waiting ones first, then
   the last asked, then by id); $2 = 0 for the first page. */
#define Q_PAGE "q.couple_id = $1 AND ($2 = 0 OR q.waiting < $3 OR (q.waiting = $3 AND (q.last_asked_at < $4 OR " \
  "(q.last_asked_at = $4 AND q.id > $5)))) ORDER BY q.waiting DESC, q.last_asked_at DESC, q.id LIMIT $6"

int questions_page(db_t *db, int64_t couple, const question_t *after, int limit, db_each cb, void *ctx) {
  question_t q;
  return db_rows(db, "SELECT " Q_COLS " FROM questions q WHERE " Q_PAGE, read_q, &q, cb, ctx, "iiiiii", couple,
                 (int64_t)(after != NULL), after ? (int64_t)after->waiting : 0, after ? after->last_asked_at : 0,
                 after ? after->id : 0, (int64_t)limit);
}

int questions_page_answers(db_t *db, int64_t couple, const question_t *after, int limit, db_each cb, void *ctx) {
  answer_t a;
  return db_rows(db, "SELECT " A_COLS " FROM answers WHERE couple_id = $1 AND question_id IN "
                     "(SELECT q.id FROM questions q WHERE " Q_PAGE ") ORDER BY question_id, seq",
                 read_answer, &a, cb, ctx, "iiiiii", couple, (int64_t)(after != NULL), after ? (int64_t)after->waiting : 0,
                 after ? after->last_asked_at : 0, after ? after->id : 0, (int64_t)limit);
}

int questions_get(db_t *db, int64_t couple, int64_t id, question_t *out, arena_t *keep) {
  int rc = db_row_keep(db, "SELECT " Q_COLS " FROM questions q WHERE q.couple_id = $1 AND q.id = $2", read_q, out, keep, "ii",
                       couple, id);
  if (rc == DB_ROW && !keep) out->text = NULL;
  return rc;
}

int questions_answers(db_t *db, int64_t couple, int64_t question, db_each cb, void *ctx) {
  answer_t a;
  return db_rows(db, "SELECT " A_COLS " FROM answers WHERE couple_id = $1 AND question_id = $2 "
                     "ORDER BY seq",
                 read_answer, &a, cb, ctx, "ii", couple, question);
}

int questions_all_answers(db_t *db, int64_t couple, db_each cb, void *ctx) {
  answer_t a;
  return db_rows(db, "SELECT " A_COLS " FROM answers WHERE couple_id = $1 ORDER BY question_id, seq",
                 read_answer, &a, cb, ctx, "i", couple);
}

int questions_answer(db_t *db, int64_t couple, int64_t question, int64_t author, const char *text, int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  *id = secret_id();
  int rc = db_write(db,
      "INSERT INTO answers (couple_id, id, question_id, seq, author_id, text, created_at) VALUES ($1, $2, $3, "
      "(SELECT COALESCE(MAX(seq), 0) + 1 FROM answers WHERE couple_id = $1 AND question_id = $3), $4, $5, $6)",
      "iiiisi", couple, *id, question, author, text, now);
  if (rc == DB_OK) rc = db_write(db, "UPDATE questions SET waiting = 0 WHERE couple_id = $1 AND id = $2", "ii", couple, question);
  return db_end(db, rc);
}

int questions_ask_again(db_t *db, int64_t couple, int64_t question, int64_t now) {
  /* only once answered: the condition is in the write, so two presses at once count once */
  int rc = db_write(db, "UPDATE questions SET times_asked = times_asked + 1, waiting = 1, last_asked_at = $3, enough_at = NULL "
                        "WHERE couple_id = $1 AND id = $2 AND waiting = 0", "iii", couple, question, now);
  if (rc == DB_OK && db_changes(db) == 0) return DB_CONSTRAINT;
  return rc;
}

int questions_correct(db_t *db, int64_t couple, int64_t question, int64_t old, int64_t author, const char *text, int64_t now,
                      int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db, "UPDATE answers SET corrected_at = $5 WHERE couple_id = $1 AND id = $2 AND question_id = $3 AND author_id = $4 "
                        "AND corrected_at IS NULL", "iiiii", couple, old, question, author, now);
  if (rc == DB_OK && db_changes(db) == 0) rc = DB_CONSTRAINT;
  *id = secret_id();
  if (rc == DB_OK)
    rc = db_write(db,
        "INSERT INTO answers (couple_id, id, question_id, seq, author_id, text, created_at, corrects) VALUES ($1, $2, $3, "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM answers WHERE couple_id = $1 AND question_id = $3), $4, $5, $6, $7)",
        "iiiisii", couple, *id, question, author, text, now, old);
  return db_end(db, rc);
}

int questions_enough(db_t *db, int64_t couple, int64_t question, int64_t asker, int64_t now) {
  int rc = db_write(db, "UPDATE questions SET enough_at = $4, waiting = 0 WHERE couple_id = $1 AND id = $2 AND asker_id = $3 "
                        "AND enough_at IS NULL", "iiii", couple, question, asker, now);
  if (rc == DB_OK && db_changes(db) == 0) return DB_CONSTRAINT;
  return rc;
}

int questions_waiting_list(db_t *db, int64_t couple, int64_t viewer, db_each cb, void *ctx) {
  question_t q;
  return db_rows(db, "SELECT id, text, times_asked FROM questions WHERE couple_id = $1 AND waiting = 1 AND asker_id <> $2 "
                     "ORDER BY last_asked_at DESC, id",
                 read_waiting, &q, cb, ctx, "ii", couple, viewer);
}
