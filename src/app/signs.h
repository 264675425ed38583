/* signs.h (app): what a counsellor sees of a couple between two sessions, at a glance: each
   partner's trust and its trend, the check-ins missed, the setbacks, the stuck signal, the
   questions waiting for an answer and the promises kept. */
#ifndef MEND_APP_SIGNS_H
#define MEND_APP_SIGNS_H
#include "app.h"

#define SIGNS_WEEKS 4      /* check-ins missed: of the last four weeks before this one */
#define SIGNS_DAYS 30      /* setbacks: days with one, in the last thirty */

typedef struct {
  int has_trust;           /* a revealed check-in in the last TRUST_WEEKS_SHOWN weeks */
  double trust, trend;     /* the latest trust (1..7); its slope per week (0 with one week) */
  int kept;                /* promises kept, in percent; -1 while no score shows yet */
} partner_signs;

typedef struct {
  int n;                   /* partners (in c->partners order) */
  partner_signs p[2];
  int checkins_missed, setbacks, stuck, open_questions;
} couple_signs;

/* The signs of c's couple (c->viewer: its first partner); 0, or -1 on a database error. Kept
   per event-loop thread while the couple's data version and day stand still (c->version >= 0),
   as a counsellor's list asks them of every couple. */
int app_couple_signs(const app_couple *c, couple_signs *out);

#endif
