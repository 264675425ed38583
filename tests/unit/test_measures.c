/* Unit tests for the measures: trust index, Theil-Sen, truth streaks across time zones, and the
   stuck signal, with their edge cases (no data, one week). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include "core/measures.h"

static void trust_index_means(void **state) {
  (void)state;
  int a[] = {7, 5, 3, 3, 6, 2, 9, 0};
  int f[] = {FACET_PREDICTABILITY, FACET_PREDICTABILITY, FACET_DEPENDABILITY, FACET_DEPENDABILITY, FACET_FAITH, FACET_FAITH,
             FACET_FAITH, FACET_FAITH};
  trust_week w;
  trust_index(a, f, 8, &w);
  assert_true(w.valid);
  assert_true(fabs(w.index - 26.0 / 6) < 1e-9); /* 9 and 0 are not on the scale */
  assert_true(fabs(w.facet[FACET_PREDICTABILITY] - 6) < 1e-9);
  assert_true(fabs(w.facet[FACET_DEPENDABILITY] - 3) < 1e-9);
  assert_true(fabs(w.facet[FACET_FAITH] - 4) < 1e-9);
  trust_index(a, f, 0, &w);
  assert_false(w.valid);
}

static void theil_sen_is_robust(void **state) {
  (void)state;
  double x[] = {0, 1, 2, 3, 4, 5, 6, 7}, y[] = {2, 2.5, 3, 3.5, 4, 4.5, 5, 1}; /* one bad week */
  double s;
  assert_int_equal(theil_sen(x, y, 8, &s), 0);
  assert_true(fabs(s - 0.5) < 0.15); /* the outlier barely moves it, unlike least squares */
  double one[] = {3};
  assert_int_equal(theil_sen(one, one, 1, &s), -1);
  double same_x[] = {1, 1}, ys[] = {2, 5};
  assert_int_equal(theil_sen(same_x, ys, 2, &s), -1);
}

static void streak_forgives_one_missed_day(void **state) {
  (void)state;
  int64_t days[] = {100, 101, 103, 104, 106};
  assert_int_equal(truth_streak(days, 5, 106), 5);  /* single gaps do not break it */
  assert_int_equal(truth_streak(days, 5, 107), 5);  /* today still open */
  assert_int_equal(truth_streak(days, 5, 108), 5);  /* yesterday missed: still alive */
  assert_int_equal(truth_streak(days, 5, 109), 0);  /* two missed in a row */
  int64_t gap2[] = {100, 103, 104};
  assert_int_equal(truth_streak(gap2, 3, 104), 2);  /* two missed days before 103 end it there */
  assert_int_equal(truth_streak(NULL, 0, 10), 0);
}

static void local_days_at_time_zone_boundaries(void **state) {
  (void)state;
  int64_t utc = 20000 * 86400LL + 23 * 3600 + 30 * 60; /* 23:30 UTC */
  assert_int_equal(local_day(utc, 0), 20000);
  assert_int_equal(local_day(utc, 3600), 20001);      /* 00:30 the next day in UTC+1 */
  assert_int_equal(local_day(utc - 23 * 3600, -3600), 19999); /* 23:30 the day before in UTC-1 */
  assert_int_equal(local_day(0, -1), -1);
  /* a truth written at 23:30 UTC by someone in UTC+1 counts for their next day */
  int64_t days[] = {local_day(utc, 3600)};
  assert_int_equal(truth_streak(days, 1, 20001), 1);
}

static void stuck_needs_time_and_gentleness(void **state) {
  (void)state;
  double flat[] = {4, 4.1, 3.9, 4, 4, 3.9};
  assert_int_equal(stuck_signal(flat, 5, NULL, 0), STUCK_NO);          /* five weeks: too soon */
  assert_int_equal(stuck_signal(flat, 6, NULL, 0), STUCK_TRUST_FLAT);
  double rising[] = {3, 3.4, 3.8, 4.2, 4.6, 5};
  assert_int_equal(stuck_signal(rising, 6, NULL, 0), STUCK_NO);
  double high[] = {6.5, 6.5, 6.4, 6.5, 6.5, 6.5};
  assert_int_equal(stuck_signal(high, 6, NULL, 0), STUCK_NO);          /* steady and high is fine */
  double low[] = {0.9, 0.4, 0.3, 0.45}, mixed[] = {0.3, 0.4, 0.6};
  assert_int_equal(stuck_signal(NULL, 0, low, 4), STUCK_CONSISTENCY_LOW);
  assert_int_equal(stuck_signal(NULL, 0, mixed, 3), STUCK_NO);
  assert_int_equal(stuck_signal(NULL, 0, NULL, 0), STUCK_NO);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(trust_index_means), cmocka_unit_test(theil_sen_is_robust),
    cmocka_unit_test(streak_forgives_one_missed_day), cmocka_unit_test(local_days_at_time_zone_boundaries),
    cmocka_unit_test(stuck_needs_time_and_gentleness),
  };
  return cmocka_run_group_tests_name("measures", tests, NULL, NULL);
}
