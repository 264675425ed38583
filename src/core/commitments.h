/* commitments.h: the rules of agreements (proposed -> active -> superseded or retired),
   promises (when a promise is due; report -> confirmed or disputed), the consistency score,
   and the ledger's hash chain. Pure: no I/O. */
#ifndef MEND_COMMITMENTS_H
#define MEND_COMMITMENTS_H
#include <stddef.h>
#include <stdint.h>
#include "days.h"
#include "validate.h" /* verdict */


/* ---- agreements (core/agreements.c) ---- */
enum ag_status { AG_PROPOSED, AG_ACTIVE, AG_SUPERSEDED, AG_RETIRED };
extern const char *const ag_status_names[];
extern const char *const ag_categories[], *const ag_category_names[];
int ag_status_parse(const char *s);
/* Signing: only the partner who did not propose, only a proposal, once. */
verdict ag_can_sign(enum ag_status st, int64_t proposed_by, int64_t me, int already_signed);
/* Revising: only an active agreement, and one open revision at a time. */
verdict ag_can_revise(enum ag_status st, int pending_revision);
/* Retiring: an active agreement; the first asks, the other's ask retires it.
   *retire is set when this ask completes the retirement. */
verdict ag_can_retire(enum ag_status st, int64_t asked_by, int64_t me, int *retire);

/* ---- promises ---- */
enum pr_every { PR_ONCE, PR_DAY, PR_WEEK };
/* end: the first day it is no longer due (0: it runs), once paused, changed or ended */
typedef struct { enum pr_every every; int weekdays; int64_t start, due, end; } pr_rule;
/* Where a promise stands: running; paused (it may resume); replaced by a new version (a
   change, or a resume); ended for good. */
enum pr_state { PS_RUNNING, PS_PAUSED, PS_REPLACED, PS_ENDED };
enum pr_move { PM_PAUSE, PM_RESUME, PM_CHANGE, PM_END };
/* The promiser's moves: pause a running recurring promise, resume a paused one, change or end
   one that runs or is paused. */
verdict pr_can_move(enum pr_move m, enum pr_state st, int is_recurring, int is_promiser);
/* The first day a promise stopped today is no longer due: today, or tomorrow when today was
   reported already (a report is never left on a day that was not due). */
int64_t pr_stop_day(int64_t today, int reported_today);
int pr_is_due(const pr_rule *r, int64_t day);
/* The next due day on or after day, or -1 when none (a one-off in the past). */
int64_t pr_next_due(const pr_rule *r, int64_t day);
/* Reporting a day: the promiser's, a due day, not in the future, not after confirmation. */
verdict pr_can_report(const pr_rule *r, int64_t day, int64_t today, int is_promiser, int already_confirmed);
verdict pr_can_confirm(int is_promiser, int reported);
int pr_weekdays_parse(const char *const *names, int n, int *mask);  /* "mon".."sun" */
extern const char *const weekday_names[];

/* ---- the consistency score ---- */
enum pr_outcome { PO_KEPT, PO_MISSED, PO_DISPUTED, PO_PENDING, PO_UNREPORTED };
typedef struct { int64_t day; enum pr_outcome outcome; } pr_occurrence;
typedef struct {
  int has_score;        /* 0 when nothing counts yet */
  double score;         /* 0..1 */
  double trend;         /* score now minus score a week ago (0 when either is missing) */
  int kept, missed, disputed, pending, unreported;
} pr_consistency;
#define CONSISTENCY_HALF_LIFE_DAYS 28.0
/* Occurrences up to and including today; today's counts only when reported. */
void pr_score(const pr_occurrence *occ, int n, int64_t today, pr_consistency *out);
/* Whether a score is fair to show: only after three reports, so one early miss never stands
   for a partner (the numbers themselves are always given). */
#define PR_SCORE_AFTER 3
int pr_score_shown(const pr_consistency *c);

/* ---- the ledger (core/ledger.c) ---- */
#define LEDGER_HASH 32
typedef struct {
  int64_t couple_id, seq, at, actor_id, subject_id;
  const char *kind, *summary;
} chain_entry;
/* BLAKE2b-256 over the previous hash and every field of the entry, unambiguously framed. */
void chain_hash(const chain_entry *e, const unsigned char prev[LEDGER_HASH], unsigned char out[LEDGER_HASH]);

#endif
