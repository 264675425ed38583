/* progress.c (app): the picture of progress: each partner's trust from the revealed weekly
   check-ins and its robust trend, the gentle "stuck" signal, daily-truth streaks, setback days,
   and whether the past rests. */
#include "progress.h"
#include "consistency.h"
#include "core/checkin_rules.h"
#include "core/days.h"
#include "db/checkins.h"
#include "db/forgiveness.h"
#include "db/guidance.h"
#include "db/setbacks.h"
#include "db/truths.h"
#include "util/tz.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

trust_week app_checkin_trust(const char *json) {
  trust_week t = {0};
  json_t *j = json ? json_loads(json, 0, NULL) : NULL;
  int a[16], f[16], n = 0;
  for (int i = 0; j && i < ci_nquestions && n < 16; i++) {
    if (ci_questions[i].facet < 0) continue;
    json_t *v = json_object_get(j, ci_questions[i].id);
    if (json_is_integer(v)) { a[n] = (int)json_integer_value(v); f[n++] = ci_questions[i].facet; }
  }
  trust_index(a, f, n, &t);
  json_decref(j);
  return t;
}

void app_checkin_answers_html(sb_t *o, const char *json, int trust_too) {
  json_t *j = json ? json_loads(json, 0, NULL) : NULL;
  sb_puts(o, "<dl class=\"qa\">\n");
  for (int i = 0; j && i < ci_nquestions; i++) {
    json_t *v = json_object_get(j, ci_questions[i].id);
    if (ci_questions[i].facet >= 0 && !trust_too) continue;
    if (json_is_integer(v)) sb_html(o, "<dt>%s</dt><dd>%D of 7</dd>\n", _(ci_questions[i].text), (int64_t)json_integer_value(v));
    else if (json_is_string(v) && json_string_length(v)) sb_markup(o, "<dt>%s</dt><dd>%s</dd>\n", _(ci_questions[i].text), json_string_value(v));
  }
  sb_puts(o, "</dl>\n");
  json_decref(j);
}

static void collect(void *p, const void *row) {
  const checkins_answer *a = row;
  trust_series *s = p;
  int i = s->n - 1;
  if (a->week > s->last_week) return;
  if (i < 0 || s->week[i] != a->week) {
    if (s->n == s->cap) return;
    i = s->n++;
    s->week[i] = a->week;
    s->has_me[i] = s->has_partner[i] = 0;
  }
  if (a->user_id == s->me_id) { s->me[i] = app_checkin_trust(a->answers); s->has_me[i] = 1; }
  else { s->partner[i] = app_checkin_trust(a->answers); s->has_partner[i] = 1; }
}

/* Keeps the revealed weeks (both answered) from the week of day `from` to that of `to`,
   oldest first. */
int app_trust_series(const app_couple *c, int64_t me, int64_t from, int64_t to, trust_series *s) {
  memset(s, 0, sizeof *s);
  s->me_id = me;
  s->last_week = ci_week_of(to);
  s->cap = (int)((s->last_week - ci_week_of(from)) / 7 + 1);
  if (s->cap > TRUST_WEEKS_MAX) s->cap = TRUST_WEEKS_MAX;
  if (s->cap < 1) s->cap = 1;
  if (checkins_answers_list(c->db, c->couple, ci_week_of(from), collect, s) != DB_OK) return -1;
  trust_series *out = arena_alloc(c->mem, sizeof *out);
  memset(out, 0, sizeof *out);
  out->me_id = me;
  for (int i = s->n - 1; i >= 0; i--)
    if (s->has_me[i] && s->has_partner[i] && s->me[i].valid && s->partner[i].valid) {
      out->week[out->n] = s->week[i];
      out->me[out->n] = s->me[i];
      out->partner[out->n] = s->partner[i];
      out->has_me[out->n] = out->has_partner[out->n] = 1;
      out->n++;
    }
  *s = *out;
  return 0;
}


/* Theil-Sen slope of the last eight revealed weeks, per week; 0 when there is none. */
int app_trust_trend(const trust_series *s, int partner, double *slope) {
  int from = s->n > 8 ? s->n - 8 : 0, n = 0;
  double x[8], y[8];
  for (int i = from; i < s->n; i++) { x[n] = (double)(s->week[i] - s->week[from]) / 7; y[n++] = partner ? s->partner[i].index : s->me[i].index; }
  return theil_sen(x, y, n, slope);
}


/* Trust flat or falling for weeks, or promises kept too rarely, for either partner: each
   partner's trust line is read with the other's promise keeping. cons: app_consistency. */
int app_stuck(const app_couple *c, const trust_series *s, pr_consistency cons[2][3]) {
  double line[2][TRUST_WEEKS_MAX], kept[2][3];
  int nkept[2] = {0, 0};
  for (int i = 0; i < s->n; i++) { line[0][i] = s->me[i].index; line[1][i] = s->partner[i].index; }
  for (int i = 0; i < c->npartners && i < 2; i++) {
    int who = c->partners[i].id == c->viewer ? 0 : 1;
    for (int k = 0; k < 3; k++)
      if (cons[i][k].has_score) kept[who][nkept[who]++] = cons[i][k].score;
  }
  return stuck_signal(line[0], s->n, kept[1], nkept[1]) != STUCK_NO || stuck_signal(line[1], s->n, kept[0], nkept[0]) != STUCK_NO;
}


int app_couple_stuck(const app_couple *c) {
  const user_t *me = NULL;
  for (int i = 0; i < c->npartners; i++)
    if (c->partners[i].id == c->viewer) me = &c->partners[i];
  if (!me) return 0;
  trust_series *s = arena_alloc(c->mem, sizeof *s);
  pr_consistency cons[2][3];
  int64_t today = app_today(me, c->now);
  return app_trust_series(c, me->id, today - 7 * (TRUST_WEEKS_SHOWN - 1), today, s) == 0 && app_consistency(c, cons) == 0 &&
         app_stuck(c, s, cons);
}

/* The streak is counted over the last STREAK_DAYS days. */
#define STREAK_DAYS 400

int app_truth_streak(const app_couple *c, const user_t *u) {
  int64_t *days = arena_alloc(c->mem, sizeof *days * STREAK_DAYS);
  int64_t today = app_today(u, c->now);
  int n = truths_days(c->db, c->couple, u->id, today - STREAK_DAYS, days, STREAK_DAYS);
  return n < 0 ? 0 : truth_streak(days, n, today);
}

typedef struct { app_checkin_glance_t *g; int64_t week, me; } glance_ctx;
static void on_answer(void *p, const void *row) {
  const checkins_answer *a = row;
  glance_ctx *c = p;
  if (a->week != c->week) return;
  if (a->user_id == c->me) c->g->mine = 1;
  else c->g->partner = 1;
}

int app_checkin_glance(const app_couple *c, const user_t *viewer, int answers, app_checkin_glance_t *out) {
  memset(out, 0, sizeof *out);
  checkins_schedule s;
  if (checkins_schedule_get(c->db, c->couple, &s) != DB_OK) return -1;
  if (s.set) {
    int64_t start;
    ci_next(s.weekday, s.time, c->now, tz_offset(s.timezone, c->now), &out->day, &start);
    out->set = 1;
    day_format(out->day, out->date);
    snprintf(out->time, sizeof out->time, "%s", s.time);
    snprintf(out->tz, sizeof out->tz, "%s", s.timezone);
  }
  if (!answers) return 0;
  glance_ctx g = {out, ci_week_of(app_today(viewer, c->now)), viewer->id};
  return checkins_answers_list(c->db, c->couple, g.week, on_answer, &g) == DB_OK ? 0 : -1;
}

typedef struct { int64_t *days; int n, cap; } day_list;
static void on_setback(void *p, const void *row) {
  const setback_t *s = row;
  day_list *c = p;
  if (c->n < c->cap && (!c->n || c->days[c->n - 1] != s->day)) c->days[c->n++] = s->day;
}

int app_setback_days(const app_couple *c, int64_t since, int64_t *days, int cap) {
  day_list l = {days, 0, cap};
  if (setbacks_list(c->db, c->couple, since, on_setback, &l) != DB_OK) return -1;
  return l.n;
}

/* Whether the past rests is asked by every page (its menu): kept on the loop's thread per
   couple while its data version stands still. */
typedef struct { int64_t couple, version; int rests; } rest_memo;
#define REST_MEMO 256
static __thread rest_memo rest_memos[REST_MEMO];

int app_past_rests(const app_couple *c) {
  rest_memo *e = &rest_memos[(uint64_t)c->couple % REST_MEMO];
  if (c->version >= 0 && e->couple == c->couple && e->version == c->version) return e->rests;
  int mine = 0;
  int64_t since = rest_state(c->db, c->couple, c->viewer, &mine);
  if (since < 0) return -1;
  if (c->version >= 0) *e = (rest_memo){c->couple, c->version, since > 0};
  return since > 0;
}

/* Whether things look stuck, and when the partner last put the prompt aside, are kept on the
   loop's thread per partner while their day and the couple's data version stand still (putting
   it aside is a write: a new version), so the home page stays quick. */
typedef struct { int64_t user, day, version, dismissed; int stuck; } stuck_memo;
#define STUCK_MEMO 256
static __thread stuck_memo stuck_memos[STUCK_MEMO];

int app_help_prompt_due(const app_couple *c) {
  int64_t today = day_of(c->now);
  for (int i = 0; i < c->npartners; i++)
    if (c->partners[i].id == c->viewer) today = app_today(&c->partners[i], c->now);
  int64_t v = c->version;
  stuck_memo *e = &stuck_memos[(uint64_t)c->viewer % STUCK_MEMO], mine;
  if (v < 0 || !(e->user == c->viewer && e->day == today && e->version == v)) {
    int64_t dismissed = guidance_dismissed_at(c->db, c->couple, c->viewer);
    if (dismissed < 0) return 0;
    mine = (stuck_memo){c->viewer, today, v, dismissed, -1};
    if (v < 0) e = &mine;
    else *e = mine;
  }
  if (c->now - e->dismissed < HELP_PROMPT_PAUSE) return 0;
  if (e->stuck < 0) e->stuck = app_couple_stuck(c); /* asked once the prompt is not put aside */
  return e->stuck;
}
