/* close_steps.h: small steps back to closeness, from easy to tender, and the three private
   answers a partner can give to each. */
#ifndef MEND_CLOSE_STEPS_H
#define MEND_CLOSE_STEPS_H
#include <stddef.h>

typedef struct { const char *id, *title, *hint; } close_step;
extern const close_step close_steps[];
extern const int n_closeness_steps;
/* "ready", "not_yet", "not_for_me" (NULL-terminated) and how the page says them. */
extern const char *const close_choices[];
extern const char *const close_choice_names[];
/* The index of a step id, or -1. */
int close_step_find(const char *id, size_t n);

#endif
