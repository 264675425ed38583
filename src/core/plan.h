/* plan.h: the five phases of the program and their steps (content/program.txt, embedded),
   the lists the first phase's tools choose from, and what to suggest next. Pure. */
#ifndef MEND_PLAN_H
#define MEND_PLAN_H
#include <stddef.h>
#include <stdint.h>

#define PHASES 5
#define MAX_STEPS 16

/* check: what marks the step taken (a name of plan_checks), or NULL for advice (no tick). */
typedef struct { const char *tool, *text, *check; } plan_step;
/* What can mark a step taken, in a fixed order (db/program.c asks them in one query, in this
   order); each is about the viewer (their own act) or the couple, since the phase began. */
enum {
  PC_ACCOUNT, PC_ACKNOWLEDGED, PC_FEELING, PC_HEARD, PC_ASKED, PC_ANSWERED, PC_APOLOGY, PC_DELIVERED,
  PC_AGREEMENT_TRANSPARENCY, PC_AGREEMENT_CONTACT, PC_AGREEMENT_DEALBREAKER, PC_AGREEMENT_SPACE, PC_SCHEDULE,
  PC_PROMISE, PC_CONFIRMED, PC_TRUTH, PC_CHECKIN, PC_CLOSENESS, PC_MOMENT, PC_THANKED, PC_JOURNAL, PC_VALUE,
  PC_GOAL, PC_FORGIVENESS, PC_REST, PLAN_CHECKS
};
extern const char *const plan_checks[PLAN_CHECKS + 1];

typedef struct {
  const char *id, *name, *summary;
  plan_step steps[MAX_STEPS];
  int nsteps;
} plan_phase;

int plan_init(void);
/* Which steps of the phase are taken, one bit a step, given the checks found true. */
unsigned plan_steps_taken(const plan_phase *p, uint64_t checks);
/* 1-based; NULL outside 1..5 or before plan_init. */
const plan_phase *plan_phase_at(int n);

/* What the home page suggests to one partner. */
typedef struct {
  int phase, partner_joined;
  int questions_for_me, apologies_for_me, feelings_for_me;
  int my_account, partner_account, i_acknowledged, both_acknowledged;
  int i_am_ready, partner_ready;
  uint64_t checks;  /* bit PC_...: found true since the phase began */
} plan_state;
typedef struct { const char *text, *tool; } plan_next;
plan_next plan_suggest(const plan_state *s);

/* Lists to choose from (NULL-terminated), with the words shown for each. */
extern const char *const breach_categories[], *const breach_category_names[];
extern const char *const breach_breakers[];
extern const char *const emotions[], *const emotion_names[];

#endif
