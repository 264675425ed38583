/* program.h: the program's phases, who is ready for the next, and what waits for a partner. Every
   query is scoped by the caller's couple. Texts passed to callbacks are valid only during the
   callback: callbacks copy what they keep. */
#ifndef MEND_DB_PROGRAM_H
#define MEND_DB_PROGRAM_H
#include "db.h"

/* Everything that waits for one partner, in one query (the home page's hot path). */
typedef struct { int questions, apologies, feelings, reports_to_confirm, promises_to_report; } waiting_counts;
int program_waiting(db_t *db, int64_t couple, int64_t me, int64_t today, int weekday, waiting_counts *out);
/* The phase, when it started, and who is ready, in one query. */
int program_state_get(db_t *db, int64_t couple, int64_t me, int *phase, int64_t *started_at, int *mine, int *partners);
/* Which of core/plan.h's checks hold for `me` since `since` (the phase's start): bit PC_... set
   when true; one query. */
int program_checks(db_t *db, int64_t couple, int64_t me, int64_t since, uint64_t *out);
/* The phases reached after the first, with the moment each began. */
typedef struct { int phase; int64_t started_at; } program_phase_row;
int program_phases_list(db_t *db, int64_t couple, db_each cb /* const program_phase_row * */, void *ctx);
/* Marks me ready; when both are, moves to the next phase. *moved tells whether it did. */
int program_set_ready(db_t *db, int64_t couple, int phase, int64_t me, int64_t now, int *moved);
int program_unset_ready(db_t *db, int64_t couple, int64_t me);

#endif
