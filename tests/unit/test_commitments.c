/* Unit tests for the rules of agreements, promises, the consistency score and the ledger hash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/commitments.h"
#include "core/secret.h"

static void agreement_life(void **state) {
  (void)state;
  /* proposed by 1: 1 cannot sign, 2 can, once */
  assert_int_equal(ag_can_sign(AG_PROPOSED, 1, 1, 1).status, 403);
  assert_int_equal(ag_can_sign(AG_PROPOSED, 1, 2, 0).status, 0);
  assert_int_equal(ag_can_sign(AG_PROPOSED, 1, 2, 1).status, 409);
  assert_int_equal(ag_can_sign(AG_ACTIVE, 1, 2, 0).status, 409);
  /* revising: active only, one revision at a time */
  assert_int_equal(ag_can_revise(AG_ACTIVE, 0).status, 0);
  assert_int_equal(ag_can_revise(AG_ACTIVE, 1).status, 409);
  assert_int_equal(ag_can_revise(AG_PROPOSED, 0).status, 409);
  assert_int_equal(ag_can_revise(AG_SUPERSEDED, 0).status, 409);
  /* retiring: the first asks, the other completes */
  int retire;
  assert_int_equal(ag_can_retire(AG_ACTIVE, 0, 1, &retire).status, 0);
  assert_false(retire);
  assert_int_equal(ag_can_retire(AG_ACTIVE, 1, 1, &retire).status, 409);
  assert_int_equal(ag_can_retire(AG_ACTIVE, 1, 2, &retire).status, 0);
  assert_true(retire);
  assert_int_equal(ag_can_retire(AG_RETIRED, 1, 2, &retire).status, 409);
  assert_int_equal(ag_status_parse("superseded"), AG_SUPERSEDED);
  assert_int_equal(ag_status_parse("nope"), -1);
}

static void days(void **state) {
  (void)state;
  int64_t d;
  assert_int_equal(day_parse("1970-01-01", 10, &d), 0);
  assert_int_equal(d, 0);
  assert_int_equal(day_weekday(d), 3); /* a Thursday */
  assert_int_equal(day_parse("2026-11-25", 10, &d), 0);
  char out[11];
  day_format(d, out);
  assert_string_equal(out, "2026-11-25");
  assert_int_equal(day_weekday(d), 2); /* a Wednesday */
  assert_int_equal(day_parse("2024-02-29", 10, &d), 0);
  assert_int_equal(day_parse("2025-02-29", 10, &d), -1);
  assert_int_equal(day_parse("2025-13-01", 10, &d), -1);
  assert_int_equal(day_parse("2025-1-01", 9, &d), -1);
  assert_int_equal(day_parse("20x5-01-01", 10, &d), -1);
  assert_int_equal(day_of(86400 * 3 + 5), 3);
}

static void when_promises_are_due(void **state) {
  (void)state;
  int64_t wed;
  day_parse("2026-11-25", 10, &wed);
  pr_rule once = {PR_ONCE, 0, wed - 3, wed + 2, 0};
  assert_true(pr_is_due(&once, wed + 2));
  assert_false(pr_is_due(&once, wed));
  assert_int_equal(pr_next_due(&once, wed), wed + 2);
  assert_int_equal(pr_next_due(&once, wed + 3), -1);
  int mask;
  const char *names[] = {"mon", "thu"};
  assert_int_equal(pr_weekdays_parse(names, 2, &mask), 0);
  pr_rule weekly = {PR_WEEK, mask, wed - 10, 0, 0};
  assert_false(pr_is_due(&weekly, wed));
  assert_true(pr_is_due(&weekly, wed + 1));  /* Thursday */
  assert_true(pr_is_due(&weekly, wed + 5));  /* Monday */
  assert_int_equal(pr_next_due(&weekly, wed), wed + 1);
  pr_rule daily = {PR_DAY, 0, wed, 0, 0};
  assert_false(pr_is_due(&daily, wed - 1)); /* not before it was made */
  const char *bad[] = {"someday"};
  assert_int_equal(pr_weekdays_parse(bad, 1, &mask), -1);
}

static void promises_pause_change_and_end(void **state) {
  (void)state;
  /* from its end day on a promise is no longer due, and a one-off past its end never is */
  pr_rule daily = {PR_DAY, 0, 100, 0, 110};
  assert_true(pr_is_due(&daily, 109));
  assert_false(pr_is_due(&daily, 110));
  assert_int_equal(pr_next_due(&daily, 108), 108);
  assert_int_equal(pr_next_due(&daily, 110), -1);
  pr_rule once = {PR_ONCE, 0, 100, 120, 105};
  assert_false(pr_is_due(&once, 120));
  assert_int_equal(pr_next_due(&once, 101), -1);
  assert_int_equal(pr_can_report(&daily, 110, 111, 1, 0).status, 422);
  /* stopped today: from today, or from tomorrow when today was reported */
  assert_int_equal(pr_stop_day(200, 0), 200);
  assert_int_equal(pr_stop_day(200, 1), 201);
  /* only the promiser moves it */
  verdict v = pr_can_move(PM_PAUSE, PS_RUNNING, 1, 0);
  assert_int_equal(v.status, 403);
  assert_string_equal(v.code, "not_your_turn");
  assert_int_equal(pr_can_move(PM_PAUSE, PS_RUNNING, 1, 1).status, 0);
  assert_string_equal(pr_can_move(PM_PAUSE, PS_RUNNING, 0, 1).code, "one_off");
  assert_string_equal(pr_can_move(PM_PAUSE, PS_PAUSED, 1, 1).code, "not_running");
  assert_int_equal(pr_can_move(PM_RESUME, PS_PAUSED, 1, 1).status, 0);
  assert_string_equal(pr_can_move(PM_RESUME, PS_RUNNING, 1, 1).code, "not_paused");
  assert_int_equal(pr_can_move(PM_CHANGE, PS_PAUSED, 1, 1).status, 0);
  assert_int_equal(pr_can_move(PM_END, PS_RUNNING, 0, 1).status, 0);
  /* a replaced version or an ended promise moves no more */
  for (int m = PM_PAUSE; m <= PM_END; m++) {
    assert_int_equal(pr_can_move((enum pr_move)m, PS_REPLACED, 1, 1).status, 409);
    assert_int_equal(pr_can_move((enum pr_move)m, PS_ENDED, 1, 1).status, 409);
  }
}

static void reports_and_confirmations(void **state) {
  (void)state;
  pr_rule daily = {PR_DAY, 0, 100, 0, 0};
  assert_int_equal(pr_can_report(&daily, 105, 105, 1, 0).status, 0);
  assert_int_equal(pr_can_report(&daily, 105, 105, 0, 0).status, 403);
  assert_int_equal(pr_can_report(&daily, 106, 105, 1, 0).status, 422);
  assert_int_equal(pr_can_report(&daily, 99, 105, 1, 0).status, 422);
  assert_int_equal(pr_can_report(&daily, 104, 105, 1, 1).status, 409);
  assert_int_equal(pr_can_confirm(1, 1).status, 403);
  assert_int_equal(pr_can_confirm(0, 0).status, 404);
  assert_int_equal(pr_can_confirm(0, 1).status, 0);
}

static void score_weighs_recent_weeks_more(void **state) {
  (void)state;
  pr_occurrence occ[200];
  int n = 0;
  int64_t today = 1000;
  for (int d = 0; d < 120; d++) occ[n++] = (pr_occurrence){today - 120 + d, PO_KEPT};
  pr_consistency c;
  pr_score(occ, n, today, &c);
  assert_true(c.has_score);
  assert_true(c.score > 0.999);
  assert_int_equal(c.kept, 120);
  /* one miss yesterday after four months of keeping: a little lower, far from zero */
  occ[n - 1].outcome = PO_MISSED;
  pr_score(occ, n, today, &c);
  assert_true(c.score < 0.99 && c.score > 0.95);
  assert_int_equal(c.missed, 1);
  assert_true(c.trend < 0);
  /* a miss long ago weighs less than a recent one */
  occ[n - 1].outcome = PO_KEPT;
  occ[0].outcome = PO_MISSED;
  pr_consistency old;
  pr_score(occ, n, today, &old);
  assert_true(old.score > 0.999 - 0.01 && old.score > c.score);
}

static void score_counts_each_outcome(void **state) {
  (void)state;
  pr_occurrence occ[] = {{10, PO_KEPT}, {11, PO_MISSED}, {12, PO_DISPUTED}, {13, PO_UNREPORTED}, {14, PO_PENDING}, {15, PO_UNREPORTED}};
  pr_consistency c;
  pr_score(occ, 6, 15, &c);
  assert_int_equal(c.kept, 1);
  assert_int_equal(c.missed, 1);
  assert_int_equal(c.disputed, 1);
  assert_int_equal(c.unreported, 1); /* today's is still open */
  assert_int_equal(c.pending, 1);
  /* kept 1 of 4 counted days, the most recent weighing most */
  assert_true(c.score > 0.2 && c.score < 0.25);
  pr_occurrence none[] = {{15, PO_UNREPORTED}, {14, PO_PENDING}};
  pr_score(none, 2, 15, &c);
  assert_false(c.has_score);
}

static void ledger_hashes_chain(void **state) {
  (void)state;
  unsigned char zero[LEDGER_HASH] = {0}, h1[LEDGER_HASH], h2[LEDGER_HASH], h3[LEDGER_HASH];
  chain_entry e = {7, 1, 1000, 42, 99, "agreement_signed", "Sam signed \"No secrets\" (version 1)."};
  chain_hash(&e, zero, h1);
  chain_hash(&e, zero, h2);
  assert_memory_equal(h1, h2, LEDGER_HASH);
  e.summary = "Sam signed \"No secrets\" (version 2).";
  chain_hash(&e, zero, h2);
  assert_memory_not_equal(h1, h2, LEDGER_HASH);
  e.summary = "Sam signed \"No secrets\" (version 1).";
  chain_hash(&e, h1, h3); /* the same entry after another one hashes differently */
  assert_memory_not_equal(h1, h3, LEDGER_HASH);
  /* framing: moving text between fields changes the hash */
  chain_entry a = {7, 1, 1000, 42, 99, "ab", "c"}, b = {7, 1, 1000, 42, 99, "a", "bc"};
  chain_hash(&a, zero, h1);
  chain_hash(&b, zero, h2);
  assert_memory_not_equal(h1, h2, LEDGER_HASH);
}

int main(void) {
  secret_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(agreement_life), cmocka_unit_test(days), cmocka_unit_test(when_promises_are_due), cmocka_unit_test(promises_pause_change_and_end),
    cmocka_unit_test(reports_and_confirmations), cmocka_unit_test(score_weighs_recent_weeks_more),
    cmocka_unit_test(score_counts_each_outcome), cmocka_unit_test(ledger_hashes_chain),
  };
  return cmocka_run_group_tests_name("commitments", tests, NULL, NULL);
}
