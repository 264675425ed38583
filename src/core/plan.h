/* plan.h: the five phases of the program and their steps (content/program.txt, embedded),
   the lists the first phase's tools choose from, and what to suggest next. Pure. */
#ifndef MEND_PLAN_H
#define MEND_PLAN_H
#include <stddef.h>
#include <stdint.h>

#define PHASES 5
#define MAX_STEPS 16

/* Which describes a partner: the two paths through the same process, or both. */
enum { PATH_UNSAID = 0, PATH_HURT = 1, PATH_BROKE = 2, PATH_BOTH = 3 };
extern const char *const plan_paths[];      /* "hurt", "broke_trust", "both", NULL: as stored and in the API */
extern const char *const plan_path_names[]; /* in the partner's own words: "I was hurt", ... */
extern const char *const plan_path_others[]; /* the same said of the other: "was hurt", ... */
/* PATH_* of a stored word ("" or anything else: PATH_UNSAID). */
int plan_path(const char *word);

/* check: what marks the step taken (a name of plan_checks), or NULL for advice (no tick).
   who: PATH_HURT or PATH_BROKE for a step that belongs to that path, 0 for everyone's. */
typedef struct { const char *tool, *text, *check; int who; } plan_step;
/* What can mark a step taken, in a fixed order (db/program.c asks them in one query, in this
   order); each is about the viewer (their own act) or the couple, since the phase began. */
enum {
  PC_ACCOUNT, PC_ACKNOWLEDGED, PC_FEELING, PC_HEARD, PC_ASKED, PC_ANSWERED, PC_APOLOGY, PC_DELIVERED,
  PC_AGREEMENT_TRANSPARENCY, PC_AGREEMENT_CONTACT, PC_AGREEMENT_DEALBREAKER, PC_AGREEMENT_SPACE, PC_SCHEDULE,
  PC_PROMISE, PC_CONFIRMED, PC_TRUTH, PC_CHECKIN, PC_CLOSENESS, PC_MOMENT, PC_THANKED, PC_JOURNAL, PC_VALUE,
  PC_GOAL, PC_FORGIVENESS, PC_REST, PC_DISCLOSURE, PC_IMPACT, PC_HARD_DATE, PC_TIMEOUT_RULE, PLAN_CHECKS
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
/* Whether a step is the partner's own on their path (everyone's steps are; a partner who has
   not said, or said "both", has every step). */
int plan_step_mine(const plan_step *s, int path);
/* The phase's steps in the order one path takes them: its own steps first, then everyone's,
   then the other path's (shown, not suggested). Fills order with step indexes; returns n. */
int plan_step_order(const plan_phase *p, int path, int order[MAX_STEPS]);

/* What the home page suggests to one partner. */
typedef struct {
  int phase, partner_joined;
  int questions_for_me, apologies_for_me, feelings_for_me;
  int my_account, partner_account, i_acknowledged, both_acknowledged;
  int i_am_ready, partner_ready;
  int path;         /* PATH_*: the order of the steps, and which are the partner's own */
  uint64_t checks;  /* bit PC_...: found true since the phase began */
} plan_state;
typedef struct { const char *text, *tool; } plan_next;
plan_next plan_suggest(const plan_state *s);

/* Lists to choose from (NULL-terminated), with the words shown for each. */
extern const char *const breach_categories[], *const breach_category_names[];
extern const char *const breach_breakers[];
extern const char *const emotions[], *const emotion_names[];

#endif
