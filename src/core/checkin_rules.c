/* checkin_rules.c: the check-in's questions (our own wording) and ISO week arithmetic. */
#include "checkin_rules.h"
#include "commitments.h"
#include "measures.h"

const ci_question ci_questions[] = {
  {"predictable_word", CI_SCALE, FACET_PREDICTABILITY, N_("When my partner said they would do something this week, it happened.")},
  {"predictable_know", CI_SCALE, FACET_PREDICTABILITY, N_("I could tell how my partner would act, without guessing.")},
  {"dependable_there", CI_SCALE, FACET_DEPENDABILITY, N_("When it mattered this week, I could rely on my partner.")},
  {"dependable_honest", CI_SCALE, FACET_DEPENDABILITY, N_("My partner told me the truth, even when it was hard to say.")},
  {"faith_cares", CI_SCALE, FACET_FAITH, N_("I believe my partner cares about our future together.")},
  {"faith_hope", CI_SCALE, FACET_FAITH, N_("I feel hopeful that we can rebuild what was broken.")},
  {"safety", CI_SCALE, -1, N_("How safe did you feel with your partner this week?")},
  {"closeness", CI_SCALE, -1, N_("How close did you feel to your partner this week?")},
  {"went_well", CI_TEXT, -1, N_("What went well between you this week?")},
  {"concern", CI_TEXT, -1, N_("Is there a concern that stays with you?")},
  {"need", CI_TEXT, -1, N_("What is one thing you need in the coming week?")},
  /* the weekly meeting's agenda, revealed with the rest */
  {"appreciation_1", CI_LINE, -1, N_("For your meeting: something you appreciated this week")},
  {"appreciation_2", CI_LINE, -1, N_("Another thing you appreciated")},
  {"appreciation_3", CI_LINE, -1, N_("A third")},
  {"appreciation_4", CI_LINE, -1, N_("A fourth")},
  {"appreciation_5", CI_LINE, -1, N_("A fifth")},
  {"issue", CI_TEXT, -1, N_("For your meeting: one issue to talk about together, just one")},
};
const int ci_nquestions = (int)(sizeof ci_questions / sizeof ci_questions[0]);

int64_t ci_week_of(int64_t day) { return day - day_weekday(day); }

/* The ISO year of a week is the year of its Thursday. */
void ci_week_format(int64_t monday, char out[9]) {
  char d[DAY_CHARS];
  day_format(monday + 3, d);
  int64_t jan1;
  char y[DAY_CHARS] = "0000-01-01";
  for (int i = 0; i < 4; i++) y[i] = d[i];
  day_parse(y, 10, &jan1);
  int64_t first_thursday = jan1 + ((3 - day_weekday(jan1)) + 7) % 7;
  int week = (int)((monday + 3 - first_thursday) / 7) + 1;
  for (int i = 0; i < 4; i++) out[i] = d[i];
  out[4] = '-';
  out[5] = 'W';
  out[6] = (char)('0' + week / 10);
  out[7] = (char)('0' + week % 10);
  out[8] = 0;
}

int ci_week_parse(const char *s, size_t n, int64_t *monday) {
  if (n != 8 || s[4] != '-' || s[5] != 'W') return -1;
  for (int i = 0; i < 8; i++)
    if (i != 4 && i != 5 && (s[i] < '0' || s[i] > '9')) return -1;
  int week = (s[6] - '0') * 10 + (s[7] - '0');
  char y[DAY_CHARS] = "0000-01-04";
  for (int i = 0; i < 4; i++) y[i] = s[i];
  int64_t jan4;
  if (week < 1 || week > 53 || day_parse(y, 10, &jan4) != 0) return -1;
  /* week 1 holds January 4th */
  int64_t m = ci_week_of(jan4) + (int64_t)(week - 1) * 7;
  char check[9];
  ci_week_format(m, check);
  for (int i = 0; i < 8; i++) if (check[i] != s[i]) return -1; /* week 53 of a 52-week year */
  *monday = m;
  return 0;
}

const char *ci_check_scale(long v) {
  return v >= 1 && v <= 7 ? NULL : "Answer on the scale from 1 to 7.";
}

void ci_next(int weekday, const char *hhmm, int64_t now, int offset, int64_t *local_day_out, int64_t *utc_start) {
  int64_t local = now + offset;
  int64_t day = day_of(local), minute = (local - day * SECONDS_PER_DAY) / 60;
  int at = ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  for (int k = 0; k <= 7; k++)
    if (day_weekday(day + k) == weekday && (k > 0 || at > minute)) { day += k; break; }
  *local_day_out = day;
  *utc_start = day * SECONDS_PER_DAY + at * 60 - offset;
}
