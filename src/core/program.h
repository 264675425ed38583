/* program.h: the five phases of the program and their steps (content/program.txt, embedded),
   the lists the first phase's tools choose from, and what to suggest next. Pure. */
#ifndef MEND_PROGRAM_H
#define MEND_PROGRAM_H
#include <stddef.h>

#define PHASES 5
#define MAX_STEPS 16

typedef struct { const char *tool, *text; } program_step;
typedef struct {
  const char *id, *name, *summary;
  program_step steps[MAX_STEPS];
  int nsteps;
} program_phase;

int program_init(void);
/* 1-based; NULL outside 1..5 or before program_init. */
const program_phase *program_phase_at(int n);

/* What the home page suggests to one partner. */
typedef struct {
  int phase, partner_joined;
  int questions_for_me, apologies_for_me, feelings_for_me;
  int my_account, partner_account, i_acknowledged, both_acknowledged;
  int i_am_ready, partner_ready;
} program_state;
typedef struct { const char *text, *tool; } program_next;
program_next program_suggest(const program_state *s);

/* Lists to choose from (NULL-terminated), with the words shown for each. */
extern const char *const breach_categories[], *const breach_category_names[];
extern const char *const breach_breakers[];
extern const char *const emotions[], *const emotion_names[];

#endif
