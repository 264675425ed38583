/* talk_rules.h: talk and listen, the turns of a structured conversation. One partner says what
   they want heard; the other says back what they heard; the one who spoke says that is it, or
   what they meant (and it is said back again); then the floor passes to the other. Every step
   is the turn of the partner who did not make the last one: before any, the first speaker's. */
#ifndef MEND_TALK_RULES_H
#define MEND_TALK_RULES_H
#include <stddef.h>
#include "validate.h"

enum tk_step { TK_SAY, TK_HEARD, TK_YES, TK_CORRECT, TK_NONE };
#define TALK_TOPIC_MAX 200
#define TALK_TEXT_MAX 2000
#define TALK_MINUTES_MIN 1
#define TALK_MINUTES_MAX 15
#define TALK_MINUTES_DEFAULT 3

int tk_step_parse(const char *s, size_t n, enum tk_step *out); /* 0, or -1 for an unknown one */
const char *tk_step_name(enum tk_step s);
/* The steps that may come after last (TK_NONE: the talk's first): say; then heard; then yes or
   correct; after correct, heard again; after yes, say (the other's floor). Up to two, in out. */
int tk_next(enum tk_step last, enum tk_step out[2]);
/* Whether me may make step want now: the talk open, my turn (mine_last: I made the last step;
   first: I speak first, for the first step), a step that comes next, and its words where they
   are needed (a written talk's say, heard and correct; yes needs none, and in person words are
   a note, never needed). */
verdict tk_can_step(int closed, enum tk_step last, int mine_last, int first, enum tk_step want, int written, size_t text_len);

#endif
