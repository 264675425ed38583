/* values.h: the couple's shared values and their goals with steps. Every query is scoped by the
   caller's couple. Texts passed to callbacks are valid only during the callback. Ids are made by
   the caller, since a sealed text is bound to its id. */
#ifndef MEND_DB_VALUES_H
#define MEND_DB_VALUES_H
#include "db.h"

typedef struct { int64_t id, proposed_by, created_at, affirmed_at; const char *text; } value_t;
int values_add(db_t *db, int64_t couple, int64_t id, int64_t by, const char *text, int64_t now);
int values_list(db_t *db, int64_t couple, db_each cb /* const value_t * */, void *ctx);
int values_get(db_t *db, int64_t couple, int64_t id, value_t *out);
int values_affirm(db_t *db, int64_t couple, int64_t id, int64_t now);
typedef struct { int64_t id, created_by, created_at, updated_at; const char *title; } goal_t;
typedef struct { const char *text; int done; } goal_step_t;
/* A goal with its steps, written whole (a new goal, or an update replacing title and steps). */
int goals_write(db_t *db, int64_t couple, int64_t id, int64_t by, const char *title, const goal_step_t *steps, int n,
                int64_t now, int is_new);
int goals_list(db_t *db, int64_t couple, db_each cb /* const goal_t * */, void *ctx);
int goals_exists(db_t *db, int64_t couple, int64_t id);
typedef struct { int64_t goal; goal_step_t step; } goal_step_row;
int goal_steps(db_t *db, int64_t couple, db_each cb /* const goal_step_row * */, void *ctx);

#endif
