/* talks.h: talk and listen (core/talk_rules.h): the talks of a couple and their steps. Scoped
   by couple; both partners see every step. */
#ifndef MEND_DB_TALKS_H
#define MEND_DB_TALKS_H
#include "db.h"
#include "core/talk_rules.h"

typedef struct {
  int64_t id, started_by, first_speaker, created_at, closed_by, closed_at;
  int in_person, turn_minutes, steps;
  const char *topic;
  enum tk_step last;            /* the last step's kind (TK_NONE before any) */
  int64_t last_by, last_at;     /* and who made it, when */
} talk_t;
typedef struct { int seq; enum tk_step kind; int64_t by, at; const char *text; } talk_step_t;

int talks_start(db_t *db, int64_t couple, int64_t by, const char *topic, int64_t first_speaker, int in_person, int minutes,
                int64_t now, int64_t *id);
/* Newest first (cb gets a const talk_t *, its topic valid during the call). */
int talks_list(db_t *db, int64_t couple, db_each cb, void *ctx);
/* DB_ROW with the talk (its topic copied into keep), DB_DONE when there is none. */
int talks_get(db_t *db, int64_t couple, int64_t id, talk_t *out, arena_t *keep);
/* In order (cb gets a const talk_step_t *). */
int talks_steps(db_t *db, int64_t couple, int64_t talk, db_each cb, void *ctx);
/* The step after the talk's `after` steps: a conditional write on that count and on the talk
   being open, so two at once make one (the other DB_CONSTRAINT). */
int talks_step(db_t *db, int64_t couple, int64_t talk, int after, enum tk_step kind, int64_t by, const char *text, int64_t now);
/* Ends an open talk: DB_CONSTRAINT when it had ended already. */
int talks_close(db_t *db, int64_t couple, int64_t talk, int64_t by, int64_t now);

#endif
