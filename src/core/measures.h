/* measures.h: the rules behind the picture of progress: the weekly trust index, a robust
   trend (Theil-Sen), the daily-truth streak that forgives one missed day, and the gentle
   "stuck" signal. Pure and unit-tested; the check-ins, truths and dashboard build on them. */
#ifndef MEND_MEASURES_H
#define MEND_MEASURES_H
#include <stdint.h>

enum facet { FACET_PREDICTABILITY, FACET_DEPENDABILITY, FACET_FAITH, FACETS };

typedef struct {
  int valid;            /* 0 when no trust question was answered */
  double index;         /* mean of every trust answer, 1..7 */
  double facet[FACETS]; /* mean per facet; 0 when that facet had no answer */
} trust_week;

/* answers[i] on the 1..7 scale belongs to facet facets[i]; answers outside 1..7 are ignored. */
void trust_index(const int *answers, const int *facets, int n, trust_week *out);

/* The median of the slopes between every pair of points with different x. Returns 0 and the
   slope, or -1 when fewer than two distinct x values. n is at most 64. */
int theil_sen(const double *x, const double *y, int n, double *slope);

/* The local day of a moment for a UTC offset in seconds (a time zone's offset at that moment). */
int64_t local_day(int64_t utc, int offset_seconds);

/* Days with a truth, counted back from today: one missed day does not break the streak, two in
   a row do; today without a truth yet is still open. days: sorted ascending, no duplicates. */
int truth_streak(const int64_t *days, int n, int64_t today);

/* Stuck: six or more weeks of trust that is flat or falling (Theil-Sen slope at most 0.05 a
   week over the last eight weeks) while not high (the latest index under 5.5), or consistency
   under 0.5 in each of the last three weekly readings. weekly: trust index per revealed week,
   oldest first; consistency: weekly readings, oldest first (NaN-free). */
enum stuck_reason { STUCK_NO = 0, STUCK_TRUST_FLAT = 1, STUCK_CONSISTENCY_LOW = 2 };
int stuck_signal(const double *weekly, int nweeks, const double *consistency, int nconsistency);

#endif
