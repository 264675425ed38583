/* measures.c: trust index, Theil-Sen slope, truth streak and the stuck signal. */
#include "measures.h"
#include "days.h"
#include <stdlib.h>

void trust_index(const int *answers, const int *facets, int n, trust_week *out) {
  double sum = 0, fsum[FACETS] = {0};
  int count = 0, fcount[FACETS] = {0};
  for (int i = 0; i < n; i++) {
    if (answers[i] < 1 || answers[i] > 7 || facets[i] < 0 || facets[i] >= FACETS) continue;
    sum += answers[i];
    count++;
    fsum[facets[i]] += answers[i];
    fcount[facets[i]]++;
  }
  out->valid = count > 0;
  out->index = count ? sum / count : 0;
  for (int f = 0; f < FACETS; f++) out->facet[f] = fcount[f] ? fsum[f] / fcount[f] : 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int theil_sen(const double *x, const double *y, int n, double *slope) {
  if (n > 64) n = 64;
  double s[64 * 63 / 2];
  int m = 0;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (x[j] != x[i]) s[m++] = (y[j] - y[i]) / (x[j] - x[i]);
  if (!m) return -1;
  qsort(s, (size_t)m, sizeof s[0], cmp_double);
  *slope = m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
  return 0;
}

int64_t local_day(int64_t utc, int offset_seconds) {
  return day_of(utc + offset_seconds);
}

int truth_streak(const int64_t *days, int n, int64_t today) {
  int i = n - 1, streak = 0;
  while (i >= 0 && days[i] > today) i--;       /* ignore days after today */
  int64_t expect = today;
  if (i >= 0 && days[i] != today) expect = today - 1; /* today is still open */
  int missed = 0;
  for (int64_t d = expect; i >= 0; d--) {
    if (days[i] == d) { streak++; missed = 0; i--; continue; }
    if (++missed >= 2) break;
  }
  return streak;
}

int stuck_signal(const double *weekly, int nweeks, const double *consistency, int nconsistency) {
  if (nconsistency >= 3) {
    int low = 1;
    for (int i = nconsistency - 3; i < nconsistency; i++) low &= consistency[i] < 0.5;
    if (low) return STUCK_CONSISTENCY_LOW;
  }
  if (nweeks >= 6) {
    int from = nweeks > 8 ? nweeks - 8 : 0, n = nweeks - from;
    double x[8], y[8], slope;
    for (int i = 0; i < n; i++) { x[i] = i; y[i] = weekly[from + i]; }
    if (theil_sen(x, y, n, &slope) == 0 && slope <= 0.05 && weekly[nweeks - 1] < 5.5) return STUCK_TRUST_FLAT;
  }
  return STUCK_NO;
}
