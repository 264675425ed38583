/* dashboard.c (web): the picture of progress both partners see: trust from the revealed
   check-ins (a line each, drawn here as inline SVG, no script), its robust trend, the
   consistency of promises, the daily-truth streaks, the next check-in, and, gently, the
   "stuck" signal. Everything in the chart is also said in words for screen readers. */
#include "web.h"
#include "core/checkin_rules.h"
#include "core/commitments.h"
#include "core/measures.h"
#include "db/checkins.h"
#include "util/tz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEKS 12       /* on the progress page */
#define MAX_WEEKS 53   /* in a report */

typedef struct {
  int64_t me_id;               /* whose line is "me" (solid) */
  int64_t week[MAX_WEEKS];
  trust_week me[MAX_WEEKS], partner[MAX_WEEKS];
  int has_me[MAX_WEEKS], has_partner[MAX_WEEKS];
  int n, cap;                  /* weeks seen, newest first while loading */
  int64_t last_week;           /* weeks after it are left out */
} series;

static void collect(void *p, const void *row) {
  const checkins_answer *a = row;
  series *s = p;
  int i = s->n - 1;
  if (a->week > s->last_week) return;
  if (i < 0 || s->week[i] != a->week) {
    if (s->n == s->cap) return;
    i = s->n++;
    s->week[i] = a->week;
    s->has_me[i] = s->has_partner[i] = 0;
  }
  if (a->user_id == s->me_id) { s->me[i] = web_checkin_trust(a->answers); s->has_me[i] = 1; }
  else { s->partner[i] = web_checkin_trust(a->answers); s->has_partner[i] = 1; }
}

/* Keeps the revealed weeks (both answered) from the week of day `from` to that of `to`,
   oldest first. */
static int load_range(db_t *db, int64_t couple, int64_t me, int64_t from, int64_t to, series *s) {
  memset(s, 0, sizeof *s);
  s->me_id = me;
  s->last_week = ci_week_of(to);
  s->cap = (int)((s->last_week - ci_week_of(from)) / 7 + 1);
  if (s->cap > MAX_WEEKS) s->cap = MAX_WEEKS;
  if (s->cap < 1) s->cap = 1;
  if (checkins_answers_list(db, couple, ci_week_of(from), collect, s) != DB_OK) return -1;
  series out = {.me_id = me};
  for (int i = s->n - 1; i >= 0; i--)
    if (s->has_me[i] && s->has_partner[i] && s->me[i].valid && s->partner[i].valid) {
      out.week[out.n] = s->week[i];
      out.me[out.n] = s->me[i];
      out.partner[out.n] = s->partner[i];
      out.has_me[out.n] = out.has_partner[out.n] = 1;
      out.n++;
    }
  *s = out;
  return 0;
}

static int load(rq_t *rq, series *s) {
  int64_t today = web_today(&rq->s.user);
  return load_range(rq->loop->db, rq->s.user.couple_id, rq->s.user.id, today - 7 * (WEEKS - 1), today, s);
}

/* Theil-Sen slope of the last eight revealed weeks, per week; 0 when there is none. */
static int trend(const series *s, int partner, double *slope) {
  int from = s->n > 8 ? s->n - 8 : 0, n = 0;
  double x[8], y[8];
  for (int i = from; i < s->n; i++) { x[n] = (double)(s->week[i] - s->week[from]) / 7; y[n++] = partner ? s->partner[i].index : s->me[i].index; }
  return theil_sen(x, y, n, slope);
}

typedef struct { int set; char date[11], time[6], tz[64]; } next_ci;

/* The next check-in in the schedule's own time zone. */
static next_ci next_checkin(rq_t *rq) {
  next_ci n = {0};
  checkins_schedule s;
  if (checkins_schedule_get(rq->loop->db, rq->s.user.couple_id, &s) != DB_OK || !s.set) return n;
  int64_t now = web_now(), day, start;
  ci_next(s.weekday, s.time, now, tz_offset(s.timezone, now), &day, &start);
  n.set = 1;
  day_format(day, n.date);
  snprintf(n.time, sizeof n.time, "%s", s.time);
  snprintf(n.tz, sizeof n.tz, "%s", s.timezone);
  return n;
}

/* Trust flat or falling for weeks, or promises kept too rarely, for either partner: each
   partner's trust line is read with the other's promise keeping. cons: web_consistency_weeks. */
static int stuck(rq_t *rq, const series *s, pr_consistency cons[2][3]) {
  double line[2][WEEKS], kept[2][3];
  int nkept[2] = {0, 0};
  for (int i = 0; i < s->n; i++) { line[0][i] = s->me[i].index; line[1][i] = s->partner[i].index; }
  for (int i = 0; i < rq->npartners && i < 2; i++) {
    int who = rq->partners[i].id == rq->s.user.id ? 0 : 1;
    for (int k = 0; k < 3; k++)
      if (cons[i][k].has_score) kept[who][nkept[who]++] = cons[i][k].score;
  }
  return stuck_signal(line[0], s->n, kept[1], nkept[1]) != STUCK_NO || stuck_signal(line[1], s->n, kept[0], nkept[0]) != STUCK_NO;
}

/* The chart's frame: width, height, and the left, right, top and bottom margins. */
enum { W = 320, H = 170, L = 30, R = 12, T = 12, B = 28 };
static int px(const series *s, int i) { return s->n == 1 ? (L + W - R) / 2 : L + (W - L - R) * i / (s->n - 1); }
static int py(const series *s, int i, int partner) {
  double v = partner ? s->partner[i].index : s->me[i].index;
  return T + (int)((H - T - B) * (7 - v) / 6);
}

/* Where a day falls on the chart's x axis, between the revealed weeks around it; -1 before
   the first week (not on the chart). */
static int day_x(const series *s, int64_t d) {
  if (!s->n || d < s->week[0]) return -1;
  for (int i = 0; i + 1 < s->n; i++)
    if (d < s->week[i + 1]) return px(s, i) + (int)((px(s, i + 1) - px(s, i)) * (d - s->week[i]) / (s->week[i + 1] - s->week[i]));
  return px(s, s->n - 1);
}

#define MAX_SETBACKS 64
typedef struct { int64_t days[MAX_SETBACKS]; int n; } setback_days;

/* The two trust lines: y from 1 (bottom) to 7 (top); setbacks as marks along the bottom. */
static void chart(sb_t *o, const series *s, const char *me_name, const char *pname, const setback_days *sd) {
  sb_html(o, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-t chart-d\">\n"
             "<title id=\"chart-t\">Trust over the last %d revealed weeks</title>\n<desc id=\"chart-d\">", W, H, s->n);
  if (s->n) {
    char a[16], b[16];
    snprintf(a, sizeof a, "%.1f", s->me[s->n - 1].index);
    snprintf(b, sizeof b, "%.1f", s->partner[s->n - 1].index);
    sb_html(o, "A solid line for %s, ending at %s of 7; a dashed line for %s, ending at %s of 7.", me_name, a, pname, b);
    int shown = 0;
    for (int i = 0; i < sd->n; i++) shown += day_x(s, sd->days[i]) >= 0;
    if (shown) sb_html(o, " %d setback%r marked with a triangle.", shown, shown == 1 ? "" : "s");
  }
  sb_puts(o, "</desc>\n");
  for (int v = 1; v <= 7; v += 3) {
    int y = T + (H - T - B) * (7 - v) / 6;
    sb_html(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d9d2c8\" stroke-width=\"1\"/>"
               "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#4f5660\" text-anchor=\"end\">%d</text>\n",
            L, y, W - R, y, L - 6, y + 4, v);
  }
  for (int line = 0; line < 2; line++) {
    sb_html(o, "<polyline fill=\"none\" stroke=\"%r\" stroke-width=\"3\"%r points=\"", line ? "#a15c00" : "#2f5d50",
            line ? " stroke-dasharray=\"6 4\"" : "");
    for (int i = 0; i < s->n; i++) sb_html(o, "%d,%d ", px(s, i), py(s, i, line));
    sb_puts(o, "\"/>\n");
    /* a dot on every week, so a single week shows too */
    for (int i = 0; i < s->n; i++)
      sb_html(o, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%r\"/>", px(s, i), py(s, i, line), line ? 3 : 5,
              line ? "#a15c00" : "#2f5d50");
    sb_puts(o, "\n");
  }
  for (int i = 0; i < sd->n; i++) {
    int x = day_x(s, sd->days[i]);
    if (x < 0) continue;
    char d[11];
    day_format(sd->days[i], d);
    sb_html(o, "<g class=\"setback\"><title>Setback, %s</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#a1260d\" "
               "stroke-width=\"1\" stroke-dasharray=\"2 3\"/><path d=\"M%d %dl5 8h-10z\" fill=\"#a1260d\"/></g>\n",
            d, x, T, x, H - B, x, H - B - 8);
  }
  if (s->n) {
    char first[9], last[9];
    ci_week_format(s->week[0], first);
    ci_week_format(s->week[s->n - 1], last);
    sb_html(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#4f5660\">%s</text>\n", L, H - 8, first);
    if (s->n > 1)
      sb_html(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#4f5660\" text-anchor=\"end\">%s</text>\n", W - R, H - 8, last);
  }
  sb_puts(o, "</svg>\n");
}

int web_trust_chart(db_t *db, int64_t couple, const user_t *a, const user_t *b, int64_t from, int64_t to,
                    const int64_t *setbacks, int nsetbacks, sb_t *o) {
  series *s = malloc(sizeof *s);
  if (!s || load_range(db, couple, a->id, from, to, s) != 0) { free(s); return -1; }
  setback_days sd = {.n = 0};
  for (int i = 0; i < nsetbacks && sd.n < MAX_SETBACKS; i++) sd.days[sd.n++] = setbacks[i];
  int n = s->n;
  if (n) {
    chart(o, s, a->display_name, b ? b->display_name : "the partner", &sd);
    sb_html(o, "<ul class=\"legend\"><li><span class=\"swatch me\"></span>%s</li><li><span class=\"swatch partner\"></span>%s</li></ul>\n",
            a->display_name, b ? b->display_name : "");
  }
  free(s);
  return n;
}

int web_couple_stuck(rq_t *rq) {
  series s;
  pr_consistency cons[2][3];
  return load(rq, &s) == 0 && web_consistency_weeks(rq, cons) == 0 && stuck(rq, &s, cons);
}

static int h_dashboard_page(rq_t *rq, json_t *j) {
  (void)j;
  series s;
  pr_consistency cons[2][3];
  if (load(rq, &s) != 0 || web_consistency_weeks(rq, cons) != 0) return web_db_error(rq);
  setback_days sd = {.n = 0};
  if (s.n) {
    int64_t got[MAX_SETBACKS];
    int k = web_setback_days(rq, s.week[0], got, MAX_SETBACKS);
    if (k < 0) return web_db_error(rq);
    for (int i = k - 1; i >= 0; i--) sd.days[sd.n++] = got[i]; /* oldest first */
  }
  const user_t *p = web_partner(rq);
  const char *pname = p ? p->display_name : "Your partner";
  sb_t *o = web_out(rq);
  page_open(rq, o, "Progress");
  sb_html(o, "<h1>Progress</h1>\n<p class=\"lead\">Healing is not a straight line. This page shows where the two of "
             "you stand, from your check-ins and promises; a hard week does not erase the ones before it.</p>\n");
  if (stuck(rq, &s, cons))
    sb_html(o, "<div class=\"notice\" role=\"note\"><p>For a few weeks now, things have not moved much. That is common. "
               "It can be a good moment to talk it through, or to look for a couples counsellor together.</p></div>\n");
  sb_html(o, "<section class=\"card\" aria-labelledby=\"trust-h\">\n<h2 id=\"trust-h\">Trust</h2>\n");
  if (!s.n) sb_puts(o, "<p>The first line appears after your first check-in that both of you answered.</p>\n");
  else {
    chart(o, &s, "you", pname, &sd);
    sb_html(o, "<ul class=\"legend\"><li><span class=\"swatch me\"></span>You</li><li><span class=\"swatch partner\"></span>%s</li></ul>\n", pname);
    for (int who = 0; who < 2; who++) {
      double slope;
      char now[16], sl[16];
      snprintf(now, sizeof now, "%.1f", who ? s.partner[s.n - 1].index : s.me[s.n - 1].index);
      sb_html(o, "<p>%s: %s of 7 in the latest week", who ? pname : "Your trust", now);
      if (trend(&s, who, &slope) == 0) {
        snprintf(sl, sizeof sl, "%+.2f", slope);
        sb_html(o, "; over the weeks, %r (%s a week)", slope > 0.05 ? "rising" : slope < -0.05 ? "falling" : "steady", sl);
      }
      sb_puts(o, ".</p>\n");
    }
    if (sd.n)
      sb_html(o, "<p>%d setback%r in these weeks, marked on the chart. <a href=\"/setbacks\">Setbacks</a> reset "
                 "nothing: the weeks before still count.</p>\n", sd.n, sd.n == 1 ? "" : "s");
  }
  sb_puts(o, "</section>\n<section class=\"card\" aria-labelledby=\"cons2-h\">\n<h2 id=\"cons2-h\">Promises kept</h2>\n");
  pr_consistency cs[2];
  int has = 0;
  for (int i = 0; i < rq->npartners; i++) { cs[i] = cons[i][2]; has |= cs[i].has_score; }
  if (has) {
    /* one bar a partner, the share of confirmed-kept promises */
    sb_html(o, "<svg class=\"chart bars\" viewBox=\"0 0 320 %d\" role=\"img\" aria-labelledby=\"bars-t\">\n"
               "<title id=\"bars-t\">Consistency of promises kept, per partner</title>\n", 30 * rq->npartners + 4);
    for (int i = 0; i < rq->npartners; i++) {
      int w = cs[i].has_score ? (int)(cs[i].score * 220 + 0.5) : 0;
      sb_html(o, "<text x=\"0\" y=\"%d\" font-size=\"12\" fill=\"#1f2328\">%s</text>"
                 "<rect x=\"90\" y=\"%d\" width=\"220\" height=\"14\" fill=\"#eef5f2\"/>"
                 "<rect x=\"90\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"%r\"/>\n",
              30 * i + 16, rq->partners[i].id == rq->s.user.id ? "You" : rq->partners[i].display_name, 30 * i + 5, 30 * i + 5, w,
              rq->partners[i].id == rq->s.user.id ? "#2f5d50" : "#a15c00");
    }
    sb_puts(o, "</svg>\n");
  }
  sb_puts(o, "<ul class=\"plain\">\n");
  for (int i = 0; i < rq->npartners; i++) {
    pr_consistency c = cs[i];
    const char *who = rq->partners[i].id == rq->s.user.id ? "You" : rq->partners[i].display_name;
    if (c.has_score) sb_html(o, "<li>%s: %d%% <span class=\"muted\">(%d kept, %d missed)</span></li>\n", who, (int)(c.score * 100 + 0.5), c.kept, c.missed);
    else sb_html(o, "<li>%s: nothing to count yet</li>\n", who);
  }
  sb_puts(o, "</ul>\n</section>\n<section class=\"card\" aria-labelledby=\"streak-h\">\n<h2 id=\"streak-h\">Daily truths</h2>\n");
  int mine = web_truth_streak(rq, &rq->s.user);
  sb_html(o, "<p>Your streak: %d day%r.", mine, mine == 1 ? "" : "s");
  if (p) { int t = web_truth_streak(rq, p); sb_html(o, " %s's: %d day%r.", pname, t, t == 1 ? "" : "s"); }
  sb_puts(o, "</p>\n</section>\n");
  next_ci n = next_checkin(rq);
  if (n.set) sb_html(o, "<p>Next check-in: <strong>%s at %s</strong> (%s).</p>\n", n.date, n.time, n.tz);
  else sb_puts(o, "<p><a href=\"/checkins\">Choose a time for your weekly check-in.</a></p>\n");
  page_close(rq, o);
  return page_send(rq, 200, o);
}

static void trust_json(sb_t *o, const trust_week *t) {
  char a[16], b[16], c[16], d[16];
  snprintf(a, sizeof a, "%.2f", t->index);
  snprintf(b, sizeof b, "%.2f", t->facet[FACET_PREDICTABILITY]);
  snprintf(c, sizeof c, "%.2f", t->facet[FACET_DEPENDABILITY]);
  snprintf(d, sizeof d, "%.2f", t->facet[FACET_FAITH]);
  sb_json(o, "{\"index\":%r,\"facets\":{\"predictability\":%r,\"dependability\":%r,\"faith\":%r}}", a, b, c, d);
}

static int h_api_measures(rq_t *rq, json_t *j) {
  (void)j;
  series s;
  pr_consistency cons[2][3];
  if (load(rq, &s) != 0 || web_consistency_weeks(rq, cons) != 0) return web_db_error(rq);
  const user_t *p = web_partner(rq);
  sb_t *o = web_out(rq);
  sb_puts(o, "{\"weeks\":[");
  for (int i = 0; i < s.n; i++) {
    char w[9];
    ci_week_format(s.week[i], w);
    sb_json(o, "%r{\"week\":%q,\"me\":", i ? "," : "", w);
    trust_json(o, &s.me[i]);
    sb_puts(o, ",\"partner\":");
    trust_json(o, &s.partner[i]);
    sb_putc(o, '}');
  }
  /* the setbacks over the charted weeks, to mark them the same way */
  sb_puts(o, "],\"setbacks\":[");
  if (s.n) {
    int64_t got[MAX_SETBACKS];
    int k = web_setback_days(rq, s.week[0], got, MAX_SETBACKS);
    for (int i = k - 1; i >= 0; i--) {
      char d[11];
      day_format(got[i], d);
      sb_json(o, "%r%q", i == k - 1 ? "" : ",", d);
    }
  }
  sb_puts(o, "],\"trend\":{");
  for (int who = 0; who < 2; who++) {
    double slope;
    char v[16] = "null";
    if (trend(&s, who, &slope) == 0) snprintf(v, sizeof v, "%.3f", slope);
    sb_json(o, "%r%q:%r", who ? "," : "", who ? "partner" : "me", v);
  }
  sb_puts(o, "},\"consistency\":{");
  for (int who = 0; who < 2; who++) {
    char v[16] = "null";
    for (int i = 0; i < rq->npartners; i++)
      if ((rq->partners[i].id == rq->s.user.id) == !who && cons[i][2].has_score) snprintf(v, sizeof v, "%.4f", cons[i][2].score);
    sb_json(o, "%r%q:%r", who ? "," : "", who ? "partner" : "me", v);
  }
  sb_json(o, "},\"streaks\":{\"me\":%d,\"partner\":", web_truth_streak(rq, &rq->s.user));
  if (p) sb_json(o, "%d", web_truth_streak(rq, p)); else sb_puts(o, "null");
  next_ci n = next_checkin(rq);
  sb_puts(o, "},\"next_checkin\":");
  if (n.set) sb_json(o, "{\"date\":%q,\"time\":%q,\"timezone\":%q}", n.date, n.time, n.tz); else sb_puts(o, "null");
  sb_json(o, ",\"stuck\":%r}", stuck(rq, &s, cons) ? "true" : "false");
  return web_json(rq, 200, o);
}

const route_t dashboard_routes[] = {
  {"GET", "/dashboard", h_dashboard_page, R_AUTH, "dashboard"},
  {"GET", "/api/v1/measures", h_api_measures, R_AUTH, "api_measures"},
  {NULL, NULL, NULL, 0, NULL},
};
