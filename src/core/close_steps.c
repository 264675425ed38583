/* close_steps.c: the steps, in the order most couples find them, easiest first. Nobody has to
   take them in order, or at all. */
#include "util/i18n.h"
#include "close_steps.h"
#include <string.h>

const close_step close_steps[] = {
  {"talk", N_("An evening talk with phones away"), N_("Half an hour about anything but the hurt.")},
  {"walk", N_("A walk together"), N_("Side by side is easier than face to face.")},
  {"meal", N_("Cooking and eating a meal together"), NULL},
  {"laugh", N_("Something that makes you both laugh"), N_("A film, a game, an old joke.")},
  {"sit_close", N_("Sitting close on the sofa"), NULL},
  {"hold_hands", N_("Holding hands"), NULL},
  {"hug", N_("A long hug"), N_("Held until one of you lets go.")},
  {"date", N_("A date out, just the two of you"), NULL},
  {"kiss", N_("A kiss"), NULL},
  {"same_bed", N_("Sleeping in the same bed again"), NULL},
  {"away", N_("A night away together"), NULL},
  {"intimacy", N_("Physical intimacy"), N_("Only when you both want it, at your own pace.")},
  {"future", N_("Talking about a year from now"), N_("Plans you would like to make together.")},
};
const int n_closeness_steps = (int)(sizeof close_steps / sizeof close_steps[0]);

const char *const close_choices[] = {"ready", "not_yet", "not_for_me", NULL};
const char *const close_choice_names[] = {N_("Ready"), N_("Not yet"), N_("Not for me"), NULL};

int close_step_find(const char *id, size_t n) {
  for (int i = 0; i < n_closeness_steps; i++)
    if (strlen(close_steps[i].id) == n && !memcmp(close_steps[i].id, id, n)) return i;
  return -1;
}
