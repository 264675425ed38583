/* closeness.h: small steps back to closeness, from easy to tender, and the three private
   answers a partner can give to each. */
#ifndef MEND_CLOSENESS_H
#define MEND_CLOSENESS_H
#include <stddef.h>

typedef struct { const char *id, *title, *hint; } closeness_step;
extern const closeness_step closeness_steps[];
extern const int n_closeness_steps;
/* "ready", "not_yet", "not_for_me" (NULL-terminated) and how the page says them. */
extern const char *const closeness_choices[];
extern const char *const closeness_choice_names[];
/* The index of a step id, or -1. */
int closeness_find(const char *id, size_t n);

#endif
