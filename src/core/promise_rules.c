/* promise_rules.c: when a promise is due, who may report and confirm, and the consistency
   score: an exponentially weighted share of confirmed-kept occurrences. Each occurrence
   weighs 0.5^(age in days / 28): a week-old one counts 84 %, a month-old one 47 %, so recent
   weeks weigh most and one miss after months of keeping moves the score a little. Missed,
   disputed and unreported days count as not kept; a kept day waiting for the partner's
   confirmation is left out until confirmed. The trend is today's score minus the score the
   same data gave a week ago. */
#include "commitments.h"
#include <math.h>
#include <string.h>

const char *const weekday_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

int pr_is_due(const pr_rule *r, int64_t day) {
  if (day < r->start || (r->end && day >= r->end)) return 0;
  switch (r->every) {
    case PR_ONCE: return day == r->due;
    case PR_DAY: return 1;
    case PR_WEEK: return (r->weekdays >> day_weekday(day)) & 1;
  }
  return 0;
}

int64_t pr_next_due(const pr_rule *r, int64_t day) {
  if (r->every == PR_ONCE) return r->due >= day && pr_is_due(r, r->due) ? r->due : -1;
  if (day < r->start) day = r->start;
  for (int i = 0; i < 7; i++)
    if (pr_is_due(r, day + i)) return day + i;
  return -1;
}

verdict pr_can_report(const pr_rule *r, int64_t day, int64_t today, int is_promiser, int already_confirmed) {
  if (!is_promiser) return (verdict){403, "not_your_turn", N_("This is your partner's promise: they report it, and you confirm."), NULL};
  if (day > today) return (verdict){422, "future", N_("That day has not come yet."), "date"};
  if (!pr_is_due(r, day)) return (verdict){422, "not_due", N_("This promise was not due on that day."), "date"};
  if (already_confirmed) return (verdict){409, "confirmed", N_("Your partner has confirmed this day already; it stays as it is."), NULL};
  return VERDICT_OK;
}

verdict pr_can_move(enum pr_move m, enum pr_state st, int is_recurring, int is_promiser) {
  if (!is_promiser)
    return (verdict){403, "not_your_turn", N_("This is your partner's promise: only they can pause, change or end it."), NULL};
  if (st == PS_REPLACED) return (verdict){409, "not_running", N_("This version was replaced by a newer one: change that one."), NULL};
  if (st == PS_ENDED) return (verdict){409, "not_running", N_("This promise has ended; make a new one if you want to promise again."), NULL};
  switch (m) {
    case PM_PAUSE:
      if (st == PS_PAUSED) return (verdict){409, "not_running", N_("This promise is paused already."), NULL};
      if (!is_recurring) return (verdict){409, "one_off", N_("A one-off is not paused: change its date, or end it."), NULL};
      return VERDICT_OK;
    case PM_RESUME:
      if (st != PS_PAUSED) return (verdict){409, "not_paused", N_("This promise is not paused: it runs."), NULL};
      return VERDICT_OK;
    case PM_CHANGE: case PM_END: return VERDICT_OK;
  }
  return VERDICT_OK;
}

int64_t pr_stop_day(int64_t today, int reported_today) { return reported_today ? today + 1 : today; }

verdict pr_can_confirm(int is_promiser, int reported) {
  if (is_promiser) return (verdict){403, "not_your_turn", N_("This is your own report: your partner confirms it."), NULL};
  if (!reported) return (verdict){404, "not_found", N_("There is no report for that day yet."), NULL};
  return VERDICT_OK;
}

int pr_weekdays_parse(const char *const *names, int n, int *mask) {
  *mask = 0;
  for (int i = 0; i < n; i++) {
    int k = -1;
    for (int w = 0; weekday_names[w]; w++) if (!strcmp(names[i], weekday_names[w])) k = w;
    if (k < 0) return -1;
    *mask |= 1 << k;
  }
  return *mask ? 0 : -1;
}

/* The score as it stood on day `as_of`, from the occurrences up to then. */
static int score_at(const pr_occurrence *occ, int n, int64_t as_of, double *score) {
  double num = 0, den = 0;
  for (int i = 0; i < n; i++) {
    const pr_occurrence *o = &occ[i];
    if (o->day > as_of) continue;
    if (o->outcome == PO_PENDING) continue;
    if (o->day == as_of && o->outcome == PO_UNREPORTED) continue; /* today is still open */
    double w = pow(0.5, (double)(as_of - o->day) / CONSISTENCY_HALF_LIFE_DAYS);
    den += w;
    if (o->outcome == PO_KEPT) num += w;
  }
  if (den <= 0) return 0;
  *score = num / den;
  return 1;
}

void pr_score(const pr_occurrence *occ, int n, int64_t today, pr_consistency *out) {
  memset(out, 0, sizeof *out);
  for (int i = 0; i < n; i++) {
    if (occ[i].day > today) continue;
    switch (occ[i].outcome) {
      case PO_KEPT: out->kept++; break;
      case PO_MISSED: out->missed++; break;
      case PO_DISPUTED: out->disputed++; break;
      case PO_PENDING: out->pending++; break;
      case PO_UNREPORTED: if (occ[i].day < today) out->unreported++; break;
    }
  }
  out->has_score = score_at(occ, n, today, &out->score);
  double before;
  if (out->has_score && score_at(occ, n, today - 7, &before)) out->trend = out->score - before;
}

int pr_score_shown(const pr_consistency *c) {
  return c->has_score && c->kept + c->missed + c->disputed + c->pending >= PR_SCORE_AFTER;
}
