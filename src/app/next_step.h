/* next_step.h (app): where the couple stands in the program and what to suggest next. */
#ifndef MEND_APP_NEXT_STEP_H
#define MEND_APP_NEXT_STEP_H
#include "app.h"
#include "core/plan.h"
#include "db/program.h"

/* The phase, since when, who said they are ready for the next (seen from c->viewer), and
   which of its steps are taken (bit k: step k; plan_steps_taken). */
typedef struct { int phase, mine, partners; int64_t started; uint64_t checks; unsigned taken; } program_standing;
int app_program_standing(const app_couple *c, program_standing *p);
/* The suggestion for c->viewer from a standing read already. w: what waits for them when the
   caller counted it, else NULL (counted here). has_page tells whether a tool has a page (the
   web's route table); a tool without one is replaced by the program's own page. */
plan_next app_next_step(const app_couple *c, const program_standing *p, waiting_counts *w, int (*has_page)(const char *tool));

#endif
