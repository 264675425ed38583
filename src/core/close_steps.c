/* close_steps.c: the steps, in the order most couples find them, easiest first. Nobody has to
   take them in order, or at all. */
#include "close_steps.h"
#include <string.h>

const close_step close_steps[] = {
  {"talk", "An evening talk with phones away", "Half an hour about anything but the hurt."},
  {"walk", "A walk together", "Side by side is easier than face to face."},
  {"meal", "Cooking and eating a meal together", NULL},
  {"laugh", "Something that makes you both laugh", "A film, a game, an old joke."},
  {"sit_close", "Sitting close on the sofa", NULL},
  {"hold_hands", "Holding hands", NULL},
  {"hug", "A long hug", "Held until one of you lets go."},
  {"date", "A date out, just the two of you", NULL},
  {"kiss", "A kiss", NULL},
  {"same_bed", "Sleeping in the same bed again", NULL},
  {"away", "A night away together", NULL},
  {"intimacy", "Physical intimacy", "Only when you both want it, at your own pace."},
  {"future", "Talking about a year from now", "Plans you would like to make together."},
};
const int n_closeness_steps = (int)(sizeof close_steps / sizeof close_steps[0]);

const char *const close_choices[] = {"ready", "not_yet", "not_for_me", NULL};
const char *const close_choice_names[] = {"Ready", "Not yet", "Not for me", NULL};

int close_step_find(const char *id, size_t n) {
  for (int i = 0; i < n_closeness_steps; i++)
    if (strlen(close_steps[i].id) == n && !memcmp(close_steps[i].id, id, n)) return i;
  return -1;
}
