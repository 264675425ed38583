/* consistency.h (app): promises kept, counted per partner. */
#ifndef MEND_APP_CONSISTENCY_H
#define MEND_APP_CONSISTENCY_H
#include "app.h"
#include "core/commitments.h"
#include "db/promises.h"

/* Days a score looks back over: older ones weigh under 1/10000. */
#define APP_SCORE_DAYS 730

/* The couple's reports (by promise, then day) and promises, copied into the couple's arena. */
typedef struct { report_t *v; size_t n, cap; arena_t *mem; } app_reports;
typedef struct { promise_t *v; size_t n, cap; arena_t *mem; } app_promises;
int app_reports_load(const app_couple *c, app_reports *rs);
/* Only the reports of days from `since` on and those waiting for confirmation (what the
   promises page acts on), sorted for app_report_find. */
int app_reports_recent(const app_couple *c, app_reports *rs, int64_t since);
const report_t *app_report_find(const app_reports *rs, int64_t promise, int64_t day);
enum pr_outcome app_outcome(const report_t *r);
int app_promises_load(const app_couple *c, app_promises *ps);
/* Each partner's consistency (in c->partners order) as it stood 14, 7 and 0 days before their
   own today. Kept per event-loop thread while the couple's ledger has not moved (every
   promise, report and confirmation appends to it) and each partner's day is the same. */
int app_consistency(const app_couple *c, pr_consistency out[2][3]);

#endif
