/* features.h: what one feature file offers another (to leave for the app layer). */
#ifndef MEND_WEB_FEATURES_H
#define MEND_WEB_FEATURES_H
/* The user's local day now (their time zone). */
int64_t web_today(const user_t *u);
/* promises.c: each partner's consistency (in rq->partners order) as it stood 14, 7 and 0 days
   before their own today, reading the couple's promises and reports once. 0 on success. */
#include "core/commitments.h"
int web_consistency_weeks(rq_t *rq, pr_consistency out[2][3]);
/* truths.c: a partner's current streak. */
int web_truth_streak(rq_t *rq, const user_t *u);
#include "core/measures.h"
trust_week web_checkin_trust(const char *json);
/* dashboard.c: the trust chart over the weeks from day `from` to day `to` (at most 53), a's line
   solid and b's dashed, setback days (oldest first) marked. Returns the weeks drawn (0: nothing
   written), or -1. Needs no request: the report and `mend report` draw it too. */
int web_trust_chart(db_t *db, int64_t couple, const user_t *a, const user_t *b, int64_t from, int64_t to,
                    const int64_t *setbacks, int nsetbacks, sb_t *o);
/* dashboard.c: whether the couple looks stuck (trust flat or falling, or promises rarely kept). */
int web_couple_stuck(rq_t *rq);
/* guidance.c */
void web_guidance_prompt(rq_t *rq, sb_t *o);
void web_calendar_section(rq_t *rq, sb_t *o);


/* journal.c, closeness.c, moments.c, values.c, setbacks.c, forgiveness.c: reconnect and grow */
/* The days with a setback from `since` on, newest first (at most cap); -1 on a database error. */
int web_setback_days(rq_t *rq, int64_t since, int64_t *days, int cap);
/* Whether both partners let the past rest (asked once per request, by pages only). */
int web_resting(rq_t *rq);
/* reports.c, report.c: the counsellor's report */
/* erase.c: export, deleting an account, erasing the couple */
/* The account page's "Your data" section; err and field: a refused confirmation. */
void web_data_section(rq_t *rq, sb_t *o, const char *err, const char *field);
/* The report's body over days [from, to] (no request needed: `mend report` calls it too). */
int report_build(db_t *db, int64_t couple, int64_t from, int64_t to, int64_t made_at, const char *made_by, sb_t *o);
/* A whole HTML document around a report body; css inline (offline) or NULL to link it. */
void report_document(sb_t *o, const char *body, const char *css);


/* program.c: what the home page suggests next; *phase gets the current phase. w: what waits
   for this partner when the caller counted it already, else NULL. */
#include "core/plan.h"
#include "db/program.h"
plan_next web_program_next(rq_t *rq, int *phase, waiting_counts *w);

#endif
