/* prompts.h: the prompts of content/prompts.txt (questions to ask, starts for the daily
   truth, check-in and meeting questions, thanks, agreements to start from), each for a phase
   and a path, offered one at a time: each partner walks them in an order of their own, so none
   comes again before all were offered. Pure (the file is embedded). */
#ifndef MEND_PROMPTS_H
#define MEND_PROMPTS_H
#include <stdint.h>

typedef struct {
  uint32_t id;        /* stable while its words are: a hash of them */
  const char *kind, *phase, *path, *text;
} prompt_t;
extern const char *const prompt_kinds[]; /* question, truth, checkin, meeting, appreciation, agreement */
/* 0 once the file is read and sound (every line well formed, no id twice), else -1. */
int prompts_init(void);
int prompts_count(void);
/* The prompt to offer `viewer`, of this kind, for the couple's phase (its id in program.txt)
   and the viewer's path (core/plan.h PATH_*): after `after` (an id; 0 for the day's own,
   which moves on each day) in the viewer's order of the prompts that fit. NULL when none fits;
   *fits the count of those that do. */
/* The prompt with this id, or NULL. */
const prompt_t *prompt_by_id(uint32_t id);
const prompt_t *prompt_next(const char *kind, const char *phase, int path, int64_t viewer, int64_t day, uint32_t after, int *fits);

#endif
