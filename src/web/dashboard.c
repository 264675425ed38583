/* dashboard.c (web): the picture of progress both partners see: trust from the revealed
   check-ins (a line each, drawn by app/chart.c as inline SVG), its robust trend, the
   consistency of promises, the daily-truth streaks, the next check-in, and, gently, the
   "stuck" signal. Everything in the chart is also said in words for screen readers. */
#include "web.h"
#include "util/i18n.h"
#include "html.h"
#include "core/checkin_rules.h"
#include "core/commitments.h"
#include "core/measures.h"
#include "app/chart.h"
#include "app/consistency.h"
#include "db/checkins.h"
#include "db/triggers.h"
#include "core/days.h"
#include <stdio.h>
#include <string.h>

#define MAX_SETBACKS 64

/* The caller's last weeks and each partner's consistency. */
static int load(rq_t *rq, const app_couple **app, trust_series *s, pr_consistency cons[2][3]) {
  int64_t today = web_today(&rq->s.user);
  *app = web_app(rq);
  return *app && app_trust_series(*app, rq->s.user.id, today - 7 * (TRUST_WEEKS_SHOWN - 1), today, s) == 0 &&
         app_consistency(*app, cons) == 0 ? 0 : -1;
}

/* The patterns of the triggers over the last twelve weeks: one's own, and those the partner
   shared (theirs, unshared, are never counted here). */
typedef struct { int part[6], day[7], n, sum; } tpattern;
static void count_mark(void *p, const void *row) {
  const trigger_mark *m = row;
  tpattern *t = p;
  t->part[m->local_minute / 240 % 6]++;
  t->day[m->local_weekday % 7]++;
  t->n++;
  t->sum += m->strength;
}

static int trigger_patterns(rq_t *rq, sb_t *o, const char *pname) {
  int64_t since = web_now() - 12 * 7 * SECONDS_PER_DAY;
  const user_t *p = web_partner(rq);
  tpattern mine = {0}, theirs = {0};
  if (triggers_marks(rq->db, rq->s.user.couple_id, rq->s.user.id, rq->s.user.id, since, count_mark, &mine) != DB_OK ||
      (p && triggers_marks(rq->db, rq->s.user.couple_id, rq->s.user.id, p->id, since, count_mark, &theirs) != DB_OK))
    return -1;
  if (!mine.n && !theirs.n) return 0;
  sb_text(o, "<section class=\"card\" aria-labelledby=\"triggers-h\">\n<h2 id=\"triggers-h\">Triggers, the last twelve weeks</h2>\n");
  if (mine.n) {
    sb_text(o, "<p>Yours. Only you see these, and what you shared.</p>\n");
    app_pattern_chart(o, "tp-mine", "When your triggers came", mine.part, mine.day, mine.n, (double)mine.sum / mine.n);
  }
  if (theirs.n) {
    sb_html(o, "<p>What %s shared with you.</p>\n", pname);
    app_pattern_chart(o, "tp-theirs", "When the triggers shared with you came", theirs.part, theirs.day, theirs.n,
                      (double)theirs.sum / theirs.n);
  }
  sb_text(o, "<p><a href=\"/triggers\">The trigger log</a></p>\n</section>\n");
  return 0;
}

static int h_dashboard_page(rq_t *rq, json_t *j) {
  (void)j;
  trust_series s;
  pr_consistency cons[2][3];
  const app_couple *app;
  if (load(rq, &app, &s, cons) != 0) return web_db_error(rq);
  int64_t sd[MAX_SETBACKS];
  int nsd = 0;
  if (s.n) {
    int64_t got[MAX_SETBACKS];
    int k = app_setback_days(app, s.week[0], got, MAX_SETBACKS);
    if (k < 0) return web_db_error(rq);
    for (int i = k - 1; i >= 0; i--) sd[nsd++] = got[i]; /* oldest first */
  }
  const user_t *p = web_partner(rq);
  const char *pname = p ? p->display_name : _("Your partner");
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Progress</h1>\n<p class=\"lead\">Healing is not a straight line. This page shows where the two of "
             "you stand, from your check-ins and promises; a hard week does not erase the ones before it.</p>\n");
  if (app_stuck(app, &s, cons))
    sb_html(o, "<div class=\"notice\" role=\"note\"><p>For a few weeks now, things have not moved much. That is common. "
               "It can be a good moment to talk it through, or to look for a couples counsellor together.</p></div>\n");
  sb_html(o, "<section class=\"card\" aria-labelledby=\"trust-h\">\n<h2 id=\"trust-h\">Trust</h2>\n");
  if (!s.n) sb_text(o, "<p>The first line appears after your first check-in that both of you answered.</p>\n");
  else {
    app_trust_chart(o, &s, "you", pname, sd, nsd);
    sb_html(o, "<ul class=\"legend\"><li><span class=\"swatch me\"></span>You</li><li><span class=\"swatch partner\"></span>%s</li></ul>\n", pname);
    for (int who = 0; who < 2; who++) {
      double slope;
      char now[16], sl[16];
      i18n_number(rq->lang, who ? s.partner[s.n - 1].index : s.me[s.n - 1].index, 1, now, sizeof now);
      sb_html(o, "<p>%s: %s of 7 in the latest week", who ? pname : _("Your trust"), now);
      if (app_trust_trend(&s, who, &slope) == 0) {
        sl[0] = slope >= 0 ? '+' : '-';
        i18n_number(rq->lang, slope >= 0 ? slope : -slope, 2, sl + 1, sizeof sl - 1);
        sb_html(o, "; over the weeks, %s (%s a week)", slope > 0.05 ? _("rising") : slope < -0.05 ? _("falling") : _("steady"), sl);
      }
      sb_puts(o, ".</p>\n");
    }
    if (nsd)
      sb_plural(o, nsd, "<p>%d setback in these weeks, marked on the chart. <a href=\"/setbacks\">Setbacks</a> reset "
                 "nothing: the weeks before still count.</p>\n", "<p>%d setbacks in these weeks, marked on the chart. <a href=\"/setbacks\">Setbacks</a> reset "
                 "nothing: the weeks before still count.</p>\n", nsd);
  }
  sb_text(o, "</section>\n<section class=\"card\" aria-labelledby=\"cons2-h\">\n<h2 id=\"cons2-h\">Promises kept</h2>\n");
  pr_consistency cs[2];
  int has = 0;
  for (int i = 0; i < app->npartners; i++) { cs[i] = cons[i][2]; has |= pr_score_shown(&cs[i]); }
  if (has) {
    /* one bar a partner, the share of confirmed-kept promises */
    sb_html(o, "<svg class=\"chart bars\" viewBox=\"0 0 320 %d\" role=\"img\" aria-labelledby=\"bars-t\">\n"
               "<title id=\"bars-t\">Consistency of promises kept, per partner</title>\n", 30 * app->npartners + 4);
    for (int i = 0; i < app->npartners; i++) {
      int w = pr_score_shown(&cs[i]) ? (int)(cs[i].score * 220 + 0.5) : 0;
      sb_markup(o, "<text x=\"0\" y=\"%d\" font-size=\"12\" fill=\"#1f2328\">%s</text>"
                 "<rect x=\"90\" y=\"%d\" width=\"220\" height=\"14\" fill=\"#eef5f2\"/>"
                 "<rect x=\"90\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"%r\"/>\n",
              30 * i + 16, app->partners[i].id == rq->s.user.id ? _("You") : app->partners[i].display_name, 30 * i + 5, 30 * i + 5, w,
              app->partners[i].id == rq->s.user.id ? "#2f5d50" : "#a15c00");
    }
    sb_puts(o, "</svg>\n");
  }
  sb_puts(o, "<ul class=\"plain\">\n");
  for (int i = 0; i < app->npartners; i++) {
    pr_consistency c = cs[i];
    const char *who = app->partners[i].id == rq->s.user.id ? _("You") : app->partners[i].display_name;
    if (pr_score_shown(&c)) sb_html(o, "<li>%s: %d%% <span class=\"muted\">(%d kept, %d missed)</span></li>\n", who, (int)(c.score * 100 + 0.5), c.kept, c.missed);
    else if (c.has_score) sb_html(o, "<li>%s: the score shows after three reports</li>\n", who);
    else sb_html(o, "<li>%s: nothing to count yet</li>\n", who);
  }
  sb_text(o, "</ul>\n</section>\n<section class=\"card\" aria-labelledby=\"streak-h\">\n<h2 id=\"streak-h\">Daily truths</h2>\n");
  int mine = app_truth_streak(app, &rq->s.user);
  sb_plural(o, mine, "<p>Your streak: %d day.", "<p>Your streak: %d days.", mine);
  if (p) { int t = app_truth_streak(app, p); sb_plural(o, t, " %s's: %d day.", " %s's: %d days.", pname, t); }
  sb_puts(o, "</p>\n</section>\n");
  if (trigger_patterns(rq, o, pname) != 0) return web_db_error(rq);
  app_checkin_glance_t n;
  if (app_checkin_glance(app, &rq->s.user, 0, &n) != 0) return web_db_error(rq);
  if (n.set) {
    sb_text(o, "<p>Next check-in: <strong>");
    day_html(o, n.day, web_today(&rq->s.user));
    sb_html(o, " at %s</strong> (%s).</p>\n", n.time, n.tz);
  }
  else sb_text(o, "<p><a href=\"/checkins\">Choose a time for your weekly check-in.</a></p>\n");
  return page_end(rq, o, 200);
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
  trust_series s;
  pr_consistency cons[2][3];
  const app_couple *app;
  if (load(rq, &app, &s, cons) != 0) return web_db_error(rq);
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
    int k = app_setback_days(app, s.week[0], got, MAX_SETBACKS);
    for (int i = k - 1; i >= 0; i--) {
      char d[DAY_CHARS];
      day_format(got[i], d);
      sb_json(o, "%r%q", i == k - 1 ? "" : ",", d);
    }
  }
  sb_puts(o, "],\"trend\":{");
  for (int who = 0; who < 2; who++) {
    double slope;
    char v[16] = "null";
    if (app_trust_trend(&s, who, &slope) == 0) snprintf(v, sizeof v, "%.3f", slope);
    sb_json(o, "%r%q:%r", who ? "," : "", who ? "partner" : "me", v);
  }
  sb_puts(o, "},\"consistency\":{");
  for (int who = 0; who < 2; who++) {
    char v[16] = "null";
    for (int i = 0; i < app->npartners; i++)
      if ((app->partners[i].id == rq->s.user.id) == !who && cons[i][2].has_score) snprintf(v, sizeof v, "%.4f", cons[i][2].score);
    sb_json(o, "%r%q:%r", who ? "," : "", who ? "partner" : "me", v);
  }
  sb_json(o, "},\"streaks\":{\"me\":%d,\"partner\":", app_truth_streak(app, &rq->s.user));
  if (p) sb_json(o, "%d", app_truth_streak(app, p)); else sb_puts(o, "null");
  app_checkin_glance_t n;
  if (app_checkin_glance(app, &rq->s.user, 0, &n) != 0) return web_db_error(rq);
  sb_puts(o, "},\"next_checkin\":");
  if (n.set) sb_json(o, "{\"date\":%q,\"time\":%q,\"timezone\":%q}", n.date, n.time, n.tz); else sb_puts(o, "null");
  sb_json(o, ",\"stuck\":%r}", app_stuck(app, &s, cons) ? "true" : "false");
  return web_json(rq, 200, o);
}

const route_t dashboard_routes[] = {
  {"GET", "/dashboard", h_dashboard_page, R_AUTH, "dashboard"},
  {"GET", "/api/v1/measures", h_api_measures, R_AUTH, "api_measures"},
  {NULL, NULL, NULL, 0, NULL},
};
