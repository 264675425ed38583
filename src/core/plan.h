/* plan.h: the five phases of the program and their steps (content/program.txt, embedded),
   the lists the first phase's tools choose from, and what to suggest next. Pure. */
#ifndef MEND_PLAN_H
#define MEND_PLAN_H
#include <stddef.h>

#define PHASES 5
#define MAX_STEPS 16

typedef struct { const char *tool, *text; } plan_step;
typedef struct {
  const char *id, *name, *summary;
  plan_step steps[MAX_STEPS];
  int nsteps;
} plan_phase;

int plan_init(void);
/* 1-based; NULL outside 1..5 or before plan_init. */
const plan_phase *plan_phase_at(int n);

/* What the home page suggests to one partner. */
typedef struct {
  int phase, partner_joined;
  int questions_for_me, apologies_for_me, feelings_for_me;
  int my_account, partner_account, i_acknowledged, both_acknowledged;
  int i_am_ready, partner_ready;
} plan_state;
typedef struct { const char *text, *tool; } plan_next;
plan_next plan_suggest(const plan_state *s);

/* Lists to choose from (NULL-terminated), with the words shown for each. */
extern const char *const breach_categories[], *const breach_category_names[];
extern const char *const breach_breakers[];
extern const char *const emotions[], *const emotion_names[];

#endif
