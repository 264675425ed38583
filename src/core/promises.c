/* promises.c: days, when a promise is due, who may report and confirm, and the consistency
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

/* days_from_civil (Howard Hinnant) */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int day_parse(const char *s, size_t n, int64_t *day) {
  if (n != 10 || s[4] != '-' || s[7] != '-') return -1;
  int v[8], k = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 4 || i == 7) continue;
    if (s[i] < '0' || s[i] > '9') return -1;
    v[k++] = s[i] - '0';
  }
  int64_t y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return -1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return -1;
  *day = days_from_civil(y, m, d);
  return 0;
}

void day_format(int64_t day, char out[11]) {
  int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  if (y < 0 || y > 9999) y = 0;
  out[0] = (char)('0' + y / 1000); out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10); out[3] = (char)('0' + y % 10); out[4] = '-';
  out[5] = (char)('0' + m / 10); out[6] = (char)('0' + m % 10); out[7] = '-';
  out[8] = (char)('0' + d / 10); out[9] = (char)('0' + d % 10); out[10] = 0;
}

int day_weekday(int64_t day) { return (int)(((day % 7) + 7 + 3) % 7); } /* 1970-01-01 was a Thursday */
int64_t day_of(int64_t t) { return t >= 0 ? t / 86400 : (t - 86399) / 86400; }

int pr_is_due(const pr_rule *r, int64_t day) {
  if (day < r->start) return 0;
  switch (r->every) {
    case PR_ONCE: return day == r->due;
    case PR_DAY: return 1;
    case PR_WEEK: return (r->weekdays >> day_weekday(day)) & 1;
  }
  return 0;
}

int64_t pr_next_due(const pr_rule *r, int64_t day) {
  if (r->every == PR_ONCE) return r->due >= day ? r->due : -1;
  if (day < r->start) day = r->start;
  for (int i = 0; i < 7; i++)
    if (pr_is_due(r, day + i)) return day + i;
  return -1;
}

verdict pr_can_report(const pr_rule *r, int64_t day, int64_t today, int is_promiser, int already_confirmed) {
  if (!is_promiser) return (verdict){403, "not_your_turn", "This is your partner's promise: they report it, and you confirm."};
  if (day > today) return (verdict){422, "future", "That day has not come yet."};
  if (!pr_is_due(r, day)) return (verdict){422, "not_due", "This promise was not due on that day."};
  if (already_confirmed) return (verdict){409, "confirmed", "Your partner has confirmed this day already; it stays as it is."};
  return (verdict){0, NULL, NULL};
}

verdict pr_can_confirm(int is_promiser, int reported) {
  if (is_promiser) return (verdict){403, "not_your_turn", "This is your own report: your partner confirms it."};
  if (!reported) return (verdict){404, "not_found", "There is no report for that day yet."};
  return (verdict){0, NULL, NULL};
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
