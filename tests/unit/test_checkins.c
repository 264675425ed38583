/* Unit tests for check-in weeks and questions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/checkin_rules.h"
#include "core/commitments.h"
#include "core/measures.h"
#include "core/ics.h"
#include "util/tz.h"

static void iso_weeks(void **state) {
  (void)state;
  static const struct { const char *day, *week; } cases[] = {
    {"2026-11-25", "2026-W48"}, {"2026-11-23", "2026-W48"}, {"2026-11-29", "2026-W48"}, {"2026-11-30", "2026-W49"},
    {"2021-01-03", "2020-W53"}, {"2021-01-04", "2021-W01"}, {"2024-12-30", "2025-W01"}, {"2026-01-01", "2026-W01"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t d, m;
    char w[9];
    assert_int_equal(day_parse(cases[i].day, 10, &d), 0);
    ci_week_format(ci_week_of(d), w);
    assert_string_equal(w, cases[i].week);
    assert_int_equal(ci_week_parse(cases[i].week, 8, &m), 0);
    assert_int_equal(m, ci_week_of(d));
    assert_int_equal(day_weekday(m), 0);
  }
  int64_t m;
  assert_int_equal(ci_week_parse("2025-W53", 8, &m), -1); /* 2025 has 52 weeks */
  assert_int_equal(ci_week_parse("2026-W53", 8, &m), 0);  /* 2026 starts on a Thursday: 53 */
  assert_int_equal(ci_week_parse("2020-W53", 8, &m), 0);
  assert_int_equal(ci_week_parse("2026-W00", 8, &m), -1);
  assert_int_equal(ci_week_parse("2026W48", 7, &m), -1);
  assert_int_equal(ci_week_parse("2026-w48", 8, &m), -1);
}

static void questions_cover_three_facets(void **state) {
  (void)state;
  int per[FACETS] = {0}, scales = 0, texts = 0;
  for (int i = 0; i < ci_nquestions; i++) {
    if (ci_questions[i].facet >= 0) per[ci_questions[i].facet]++;
    if (ci_questions[i].type == CI_SCALE) scales++; else texts++;
    for (int j = 0; j < i; j++) assert_string_not_equal(ci_questions[i].id, ci_questions[j].id);
  }
  for (int f = 0; f < FACETS; f++) assert_true(per[f] >= 2);
  assert_true(scales >= 8 && texts >= 3);
  assert_null(ci_check_scale(1));
  assert_null(ci_check_scale(7));
  assert_non_null(ci_check_scale(0));
  assert_non_null(ci_check_scale(8));
}

static void the_next_check_in(void **state) {
  (void)state;
  int64_t wed, day, start;
  day_parse("2026-11-25", 10, &wed);                 /* a Wednesday */
  int64_t noon = wed * 86400 + 12 * 3600;
  ci_next(6, "19:30", noon, 0, &day, &start);       /* Sunday 19:30 UTC */
  assert_int_equal(day, wed + 4);
  assert_int_equal(start, (wed + 4) * 86400 + 19 * 3600 + 30 * 60);
  ci_next(2, "19:30", noon, 0, &day, &start);       /* later today */
  assert_int_equal(day, wed);
  ci_next(2, "11:00", noon, 0, &day, &start);       /* earlier today: next week */
  assert_int_equal(day, wed + 7);
  ci_next(6, "19:30", noon, 3600, &day, &start);    /* in UTC+1 it starts an hour earlier in UTC */
  assert_int_equal(start, (wed + 4) * 86400 + 18 * 3600 + 30 * 60);
  ci_next(3, "00:30", wed * 86400 + 23 * 3600 + 45 * 60, 3600, &day, &start); /* already Thursday 00:45 there */
  assert_int_equal(day, wed + 8);
}

/* The calendar's zone: the offsets change where the zoneinfo says, and are written as
   iCalendar wants them. */
typedef struct { int n, spring, autumn; } changes;
static void count_change(void *p, const tz_change *c) {
  changes *x = p;
  x->n++;
  if (c->from == 3600 && c->to == 7200 && c->dst) x->spring++;
  if (c->from == 7200 && c->to == 3600 && !c->dst) x->autumn++;
}

static void calendar_zones(void **state) {
  (void)state;
  char off[8], local[16];
  ics_offset(3600, off);
  assert_string_equal(off, "+0100");
  ics_offset(-12600, off);
  assert_string_equal(off, "-0330");
  ics_offset(19800 + 30, off);
  assert_string_equal(off, "+053030");
  ics_local(1795977000 + 3600, local); /* 2026-11-29 18:30 UTC, seen in Paris */
  assert_string_equal(local, "20261129T193000");
  changes x = {0};
  /* 2027 in Paris: summer time on 28 March, back on 31 October */
  assert_int_equal(tz_transitions("Europe/Paris", 1798761600, 1830297599, count_change, &x), 2);
  assert_int_equal(x.spring, 1);
  assert_int_equal(x.autumn, 1);
  changes none = {0};
  assert_int_equal(tz_transitions("Asia/Tokyo", 1798761600, 1830297599, count_change, &none), 0);
  assert_int_equal(tz_transitions("UTC", 0, 1830297599, count_change, &none), 0);
  assert_int_equal(tz_transitions("Mars/Olympus", 0, 1, count_change, &none), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(iso_weeks), cmocka_unit_test(questions_cover_three_facets),
                                      cmocka_unit_test(the_next_check_in), cmocka_unit_test(calendar_zones)};
  return cmocka_run_group_tests_name("checkins", tests, NULL, NULL);
}
