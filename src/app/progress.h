/* progress.h (app): what the progress page, the home page's gentle prompt and the report
   show of how the couple is doing. */
#ifndef MEND_APP_PROGRESS_H
#define MEND_APP_PROGRESS_H
#include "app.h"
#include "core/commitments.h"
#include "core/measures.h"
#include "core/days.h"

#define TRUST_WEEKS_SHOWN 12 /* on the progress page, and for the stuck signal */
#define TRUST_WEEKS_MAX 53   /* in a report (a year) */

/* One partner's trust from a check-in's answers (JSON). */
trust_week app_checkin_trust(const char *json);
/* A check-in's answers (JSON) as <dl class="qa">, each under its question in the reader's
   language: all of them with trust_too, else those that are not trust's (shown as its index). */
void app_checkin_answers_html(sb_t *o, const char *json, int trust_too);

/* The revealed weeks (both answered) from the week of day `from` to that of `to`, oldest
   first; "me" is the partner `me`. */
typedef struct {
  int64_t me_id;               /* whose line is "me" (solid) */
  int64_t week[TRUST_WEEKS_MAX];
  trust_week me[TRUST_WEEKS_MAX], partner[TRUST_WEEKS_MAX];
  int has_me[TRUST_WEEKS_MAX], has_partner[TRUST_WEEKS_MAX];
  int n, cap;                  /* weeks seen, newest first while loading */
  int64_t last_week;           /* weeks after it are left out */
} trust_series;

int app_trust_series(const app_couple *c, int64_t me, int64_t from, int64_t to, trust_series *s);
/* Theil-Sen slope of the last eight revealed weeks, per week (partner: the other line); 0 when
   there is one. */
int app_trust_trend(const trust_series *s, int partner, double *slope);
/* Trust flat or falling for weeks, or promises kept too rarely, for either partner, seen from
   c->viewer (the series' "me"); cons from app_consistency. */
int app_stuck(const app_couple *c, const trust_series *s, pr_consistency cons[2][3]);
/* The same over the viewer's last TRUST_WEEKS_SHOWN weeks, read here. */
int app_couple_stuck(const app_couple *c);
/* A partner's current daily-truth streak (a missed day is forgiven, two end it). */
int app_truth_streak(const app_couple *c, const user_t *u);
/* The weekly check-in as a glance shows it: the next one (in the schedule's own time zone) and
   who answered this week's (asked only when answers is set: the progress page needs the time
   alone). app_checkin_glance: 0, or -1 on a database error. */
typedef struct {
  int set;                     /* a schedule is chosen */
  int64_t day;                 /* the next check-in's day */
  char date[DAY_CHARS], time[6], tz[64];
  int mine, partner;           /* this week's answers given */
} app_checkin_glance_t;
int app_checkin_glance(const app_couple *c, const user_t *viewer, int answers, app_checkin_glance_t *out);
/* The days with a setback from `since` on, newest first (at most cap); -1 on a database error. */
int app_setback_days(const app_couple *c, int64_t since, int64_t *days, int cap);
/* Whether the viewer's home page shows the gentle prompt toward a therapist: while the couple
   looks stuck, unless they said "not now" less than HELP_PROMPT_PAUSE ago. */
#define HELP_PROMPT_PAUSE (7 * SECONDS_PER_DAY)
int app_help_prompt_due(const app_couple *c);
/* Whether both partners chose to let the past rest: 1, 0, or -1 on a database error. */
int app_past_rests(const app_couple *c);

#endif
