/* questions.h: questions, asked once or many times, and every answer given. Every query is scoped
   by the caller's couple. Texts passed to callbacks are valid only during the callback: callbacks
   copy what they keep. */
#ifndef MEND_DB_QUESTIONS_H
#define MEND_DB_QUESTIONS_H
#include "db.h"

typedef struct {
  int64_t id, asker_id, times_asked, created_at, last_asked_at, last_answer_at; /* 0: never answered */
  int waiting; /* asked, or asked again, and not answered since */
  const char *text;
  int64_t enough_at; /* the asker said it was answered enough (0: not, or asked again since) */
} question_t;
typedef struct {
  int64_t id, question_id, author_id, created_at;
  const char *text;
  int64_t corrects, corrected_at; /* the answer this one corrects; when this one was corrected (0: none) */
} answer_t;
int questions_add(db_t *db, int64_t couple, int64_t asker, const char *text, int64_t now, int64_t *id);
/* Waiting ones first (asked again or never answered since), then newest. */
int questions_list(db_t *db, int64_t couple, db_each cb /* const question_t * */, void *ctx);
/* A page of that list after the question `after` (NULL: the first page), and the answers of
   the page's questions (by question, then in the order given). */
int questions_page(db_t *db, int64_t couple, const question_t *after, int limit, db_each cb /* const question_t * */, void *ctx);
int questions_page_answers(db_t *db, int64_t couple, const question_t *after, int limit, db_each cb /* const answer_t * */,
                           void *ctx);
/* DB_ROW with the question; its text copied into keep when given, else NULL. */
int questions_get(db_t *db, int64_t couple, int64_t id, question_t *out, arena_t *keep);
int questions_answers(db_t *db, int64_t couple, int64_t question, db_each cb /* const answer_t * */, void *ctx);
/* Every answer of the couple, by question then in the order given: one query for a whole list. */
int questions_all_answers(db_t *db, int64_t couple, db_each cb /* const answer_t * */, void *ctx);
int questions_answer(db_t *db, int64_t couple, int64_t question, int64_t author, const char *text, int64_t now, int64_t *id);
/* Asks an answered question again (it waits again); DB_CONSTRAINT while it still waits. */
int questions_ask_again(db_t *db, int64_t couple, int64_t question, int64_t now);
/* A correction of answer `old` by its author: DB_CONSTRAINT when it is not theirs, not of this
   question, or corrected already (the condition is in the write). */
int questions_correct(db_t *db, int64_t couple, int64_t question, int64_t old, int64_t author, const char *text, int64_t now,
                      int64_t *id);
/* The asker says it was answered enough: it waits no more. DB_CONSTRAINT when said already. */
int questions_enough(db_t *db, int64_t couple, int64_t question, int64_t asker, int64_t now);
/* The questions asked by the partner that wait for viewer's answer (texts only in the callback). */
int questions_waiting_list(db_t *db, int64_t couple, int64_t viewer, db_each cb /* const question_t * */, void *ctx);

#endif
