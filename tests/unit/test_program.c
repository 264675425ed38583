/* Unit tests for the program's rules: the phases read from content/program.txt and what the
   home page suggests to a partner. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/plan.h"
#include "core/prompts.h"

static void five_phases_about_thirty_steps(void **state) {
  (void)state;
  assert_int_equal(plan_init(), 0);
  static const char *ids[] = {"acknowledge", "safety", "consistency", "reconnect", "grow"};
  int steps = 0;
  for (int i = 1; i <= PHASES; i++) {
    const plan_phase *p = plan_phase_at(i);
    assert_non_null(p);
    assert_string_equal(p->id, ids[i - 1]);
    assert_true(strlen(p->summary) > 20);
    assert_true(p->nsteps >= 4);
    for (int k = 0; k < p->nsteps; k++) assert_true(strlen(p->steps[k].tool) > 0 && strlen(p->steps[k].text) > 20);
    steps += p->nsteps;
  }
  assert_true(steps >= 28 && steps <= 36);
  assert_null(plan_phase_at(0));
  assert_null(plan_phase_at(6));
}

static void what_waits_for_me_comes_first(void **state) {
  (void)state;
  plan_state s = {.phase = 1, .partner_joined = 1};
  assert_string_equal(plan_suggest(&s).tool, "breach");
  s.feelings_for_me = 1;
  assert_string_equal(plan_suggest(&s).tool, "feelings");
  s.apologies_for_me = 1;
  assert_string_equal(plan_suggest(&s).tool, "apologies");
  s.questions_for_me = 2;
  assert_string_equal(plan_suggest(&s).tool, "questions");
  plan_state lone = {.phase = 1};
  assert_string_equal(plan_suggest(&lone).tool, "");
}

static void the_first_phase_walks_through_the_breach(void **state) {
  (void)state;
  plan_state s = {.phase = 1, .partner_joined = 1, .my_account = 1};
  assert_non_null(strstr(plan_suggest(&s).text, "when they have written theirs"));
  s.partner_account = 1;
  assert_non_null(strstr(plan_suggest(&s).text, "acknowledge"));
  s.i_acknowledged = 1;
  assert_string_equal(plan_suggest(&s).text, plan_phase_at(1)->steps[0].text);
}

static void the_next_step_is_the_first_not_taken(void **state) {
  (void)state;
  const plan_phase *p = plan_phase_at(1);
  plan_state s = {.phase = 1, .partner_joined = 1, .my_account = 1, .partner_account = 1, .i_acknowledged = 1};
  s.checks = (uint64_t)1 << PC_ACCOUNT | (uint64_t)1 << PC_ACKNOWLEDGED;
  assert_int_equal(plan_steps_taken(p, s.checks), 3u);
  assert_string_equal(plan_suggest(&s).text, p->steps[2].text);
  s.checks = ~(uint64_t)0;
  assert_non_null(strstr(plan_suggest(&s).text, "every step of this phase"));
  /* advice (no check) is never taken, and never pressed as the next step */
  const plan_phase *safety = plan_phase_at(2);
  int advice = 0;
  for (int k = 0; k < safety->nsteps; k++) advice += safety->steps[k].check == NULL;
  assert_int_equal(advice, 1);
  assert_int_equal(plan_steps_taken(safety, ~(uint64_t)0), (1u << (safety->nsteps - 1)) - 1);
}

static void readiness_is_mentioned_without_pressure(void **state) {
  (void)state;
  plan_state s = {.phase = 2, .partner_joined = 1, .i_am_ready = 1};
  assert_non_null(strstr(plan_suggest(&s).text, "no hurry"));
  plan_state t = {.phase = 2, .partner_joined = 1, .partner_ready = 1};
  assert_non_null(strstr(plan_suggest(&t).text, "in your own time"));
  plan_state u = {.phase = 3, .partner_joined = 1};
  assert_string_equal(plan_suggest(&u).tool, plan_phase_at(3)->steps[0].tool);
}

static void three_hundred_prompts_each_offered_before_any_again(void **state) {
  (void)state;
  assert_int_equal(prompts_init(), 0);
  assert_true(prompts_count() >= 300);
  for (int k = 0; prompt_kinds[k]; k++) {
    int fits;
    const prompt_t *first = prompt_next(prompt_kinds[k], "safety", PATH_HURT, 42, 20000, 0, &fits);
    assert_non_null(first);
    assert_true(fits >= 5);
    /* walking "after" visits every prompt that fits once, then comes back to the first */
    uint32_t seen[1024];
    int n = 0;
    const prompt_t *p = first;
    do {
      for (int i = 0; i < n; i++) assert_true(seen[i] != p->id);
      assert_true(!strcmp(p->kind, prompt_kinds[k]));
      assert_true(strcmp(p->path, "broke") != 0);                                       /* the hurt partner's, or anyone's */
      assert_true(!strcmp(p->phase, "any") || !strcmp(p->phase, "safety"));          /* this phase's, or any */
      seen[n++] = p->id;
      p = prompt_next(prompt_kinds[k], "safety", PATH_HURT, 42, 20000, p->id, &fits);
    } while (p != first && n < 1024);
    assert_int_equal(n, fits);
  }
  /* the day's own moves on each day; two partners walk in orders of their own */
  int fits;
  const prompt_t *d1 = prompt_next("truth", "safety", PATH_BROKE, 7, 20000, 0, &fits), *d2 = prompt_next("truth", "safety", PATH_BROKE, 7, 20001, 0, &fits);
  assert_true(d1->id != d2->id);
  int differ = 0;
  for (int64_t day = 0; day < 10; day++)
    differ += prompt_next("truth", "safety", PATH_BROKE, 7, day, 0, &fits)->id != prompt_next("truth", "safety", PATH_BROKE, 8, day, 0, &fits)->id;
  assert_true(differ > 5);
  assert_null(prompt_next("poem", "safety", PATH_BROKE, 7, 1, 0, &fits));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(five_phases_about_thirty_steps), cmocka_unit_test(what_waits_for_me_comes_first),
    cmocka_unit_test(the_first_phase_walks_through_the_breach), cmocka_unit_test(the_next_step_is_the_first_not_taken),
    cmocka_unit_test(readiness_is_mentioned_without_pressure), cmocka_unit_test(three_hundred_prompts_each_offered_before_any_again),
  };
  return cmocka_run_group_tests_name("program", tests, NULL, NULL);
}
