/* checkins.c (web): the weekly check-in. Each partner answers privately; a partner's answers
   are shown to the other only once both have answered that week (before, only whether they
   have). Answers cannot change after the reveal. Missed weeks show as missed, without blame. */
#include "web.h"
#include "util/i18n.h"
#include "lists.h"
#include "html.h"
#include "app/progress.h"
#include "core/checkin_rules.h"
#include "core/commitments.h"
#include "core/measures.h"
#include "core/validate.h"
#include "db/checkins.h"
#include "util/tz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEKS_BACK 52

/* ---- the couple's answers, by week ---- */
typedef struct { int64_t week; const char *mine, *partner; } week_row;
typedef struct { rq_t *rq; week_row v[WEEKS_BACK + 2]; int n; } weeks;

static week_row *row_for(weeks *w, int64_t week) {
  for (int i = 0; i < w->n; i++) if (w->v[i].week == week) return &w->v[i];
  if (w->n == WEEKS_BACK + 2) return NULL;
  w->v[w->n] = (week_row){week, NULL, NULL};
  return &w->v[w->n++];
}

static void keep(void *p, const void *row) {
  const checkins_answer *a = row;
  weeks *w = p;
  week_row *r = row_for(w, a->week);
  if (!r) return;
  const char *copy = h2o_strdup(&w->rq->req->pool, a->answers, SIZE_MAX).base;
  if (a->user_id == w->rq->s.user.id) r->mine = copy; else r->partner = copy;
}

static int64_t this_week(rq_t *rq) { return ci_week_of(web_today(&rq->s.user)); }

static int load(rq_t *rq, weeks *w) {
  memset(w, 0, sizeof *w);
  w->rq = rq;
  return checkins_answers_list(rq->db, rq->s.user.couple_id, this_week(rq) - 7 * WEEKS_BACK, keep, w);
}

static const week_row *find(const weeks *w, int64_t week) {
  for (int i = 0; i < w->n; i++) if (w->v[i].week == week) return &w->v[i];
  return NULL;
}

/* ---- JSON ---- */

static void schedule_json(sb_t *o, const checkins_schedule *s) {
  if (!s->set) { sb_puts(o, "null"); return; }
  sb_json(o, "{\"weekday\":%q,\"time\":%q,\"timezone\":%q}", weekday_names[s->weekday], s->time, s->timezone);
}

static void week_json(sb_t *o, int64_t week, const week_row *r) {
  char name[9];
  ci_week_format(week, name);
  int revealed = r && r->mine && r->partner;
  sb_json(o, "{\"week\":%q,\"questions\":[", name);
  for (int i = 0; i < ci_nquestions; i++)
    sb_json(o, "%r{\"id\":%q,\"type\":%q,\"text\":%q}", i ? "," : "", ci_questions[i].id,
            ci_questions[i].type == CI_SCALE ? "scale" : "text", _(ci_questions[i].text));
  sb_json(o, "],\"mine\":%r,\"partner\":{\"answered\":%r", r && r->mine ? r->mine : "null", r && r->partner ? "true" : "false");
  /* the partner's words only once both have answered */
  if (revealed) sb_json(o, ",\"answers\":%r", r->partner);
  sb_json(o, "},\"revealed\":%r", revealed ? "true" : "false");
  if (revealed) {
    trust_week m = app_checkin_trust(r->mine), p = app_checkin_trust(r->partner);
    char a[32], b[32];
    snprintf(a, sizeof a, "%.2f", m.index);
    snprintf(b, sizeof b, "%.2f", p.index);
    sb_json(o, ",\"trust\":{\"me\":%r,\"partner\":%r}", a, b);
  }
  sb_putc(o, '}');
}

/* ---- the page ---- */

static void answers_html(sb_t *o, const char *json, const char *who) {
  trust_week t = app_checkin_trust(json);
  char idx[16] = "–";
  if (t.valid) i18n_number(i18n_current(), t.index, 1, idx, sizeof idx);
  sb_html(o, "<div class=\"card\"><h4>%s</h4>\n<p>Trust: <strong>%s</strong> of 7</p>\n", who, idx);
  app_checkin_answers_html(o, json, 0);
  sb_puts(o, "</div>\n");
}

/* An earlier week's name in a list: "Last week", or "The week of Monday 23 November". */
static void week_title(sb_t *o, int64_t week, int64_t this_monday, int64_t today) {
  if (week == this_monday - 7) { sb_text(o, "Last week"); return; }
  sb_text(o, "The week of ");
  day_html(o, week, today);
}

static void form_html(rq_t *rq, sb_t *o, int64_t week, const char *mine, const char *err) {
  char name[9];
  ci_week_format(week, name);
  json_t *j = mine ? json_loads(mine, 0, NULL) : NULL;
  sb_html(o, "<form method=\"post\" action=\"/checkins/%s\" class=\"card checkin-form\" data-draft>\n<h3>Your answers for ", name);
  week_html(o, week, this_week(rq));
  sb_text(o, "</h3>\n<p class=\"hint\">Only you see them until both of you have answered.</p>\n");
  page_prompt(rq, o, "checkin", "To think about first:", "prompt");
  page_error_notice(o, err);
  form_csrf(rq, o);
  for (int i = 0; i < ci_nquestions; i++) {
    const ci_question *q = &ci_questions[i];
    json_t *v = j ? json_object_get(j, q->id) : NULL;
    if (q->type == CI_SCALE) {
      int cur = json_is_integer(v) ? (int)json_integer_value(v) : 0;
      sb_markup(o, "<fieldset class=\"scale\"><legend>%s</legend>\n<div class=\"scale-row\">", _(q->text));
      for (int k = 1; k <= 7; k++)
        sb_markup(o, "<span class=\"check\"><input type=\"radio\" id=\"f-%s-%d\" name=\"%s\" value=\"%d\"%r><label for=\"f-%s-%d\">%d</label></span>",
                q->id, k, q->id, k, k == cur ? " checked" : "", q->id, k, k);
      sb_text(o, "</div>\n<p class=\"hint scale-ends\">1: not at all · 7: completely</p></fieldset>\n");
    } else if (q->type == CI_LINE) {
      if (!strcmp(q->id, "appreciation_1"))
        sb_text(o, "<fieldset><legend>The weekly meeting (if you like)</legend>\n<p class=\"hint\">Five things you appreciated, "
                   "a line each, and one issue to talk about: read together once you have both answered.</p>\n");
      form_optional(o, q->id, _(q->text), "text", json_is_string(v) ? json_string_value(v) : NULL, NULL, NULL);
    } else {
      form_textarea(o, q->id, _(q->text), json_is_string(v) ? json_string_value(v) : NULL, NULL, NULL, 2, 0);
      if (!strcmp(q->id, "issue")) sb_puts(o, "</fieldset>\n");
    }
  }
  sb_text(o, "<button type=\"submit\">Save my answers</button>\n</form>\n");
  json_decref(j);
}

static int render(rq_t *rq, int status, const char *err) {
  weeks w;
  checkins_schedule s;
  if (load(rq, &w) != DB_OK || checkins_schedule_get(rq->db, rq->s.user.couple_id, &s) != DB_OK) return web_db_error(rq);
  const user_t *partner = web_partner(rq);
  const char *pname = partner ? partner->display_name : _("Your partner");
  int64_t now_week = this_week(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Weekly check-in</h1>\n<p class=\"lead\">Once a week, each of you answers a few questions on your own: "
             "how much you trust, how safe and close you felt, what went well, what still weighs, and one need. "
             "You see each other's answers when both have answered.</p>\n");
  if (s.set) sb_html(o, "<p>You check in on <strong>%s at %s</strong> (%s).</p>\n", i18n_weekday(rq->lang, s.weekday, 0), s.time, s.timezone);
  else sb_text(o, "<p>You have not chosen a time for your check-in yet.</p>\n");
  const week_row *cur = find(&w, now_week);
  sb_text(o, "<section aria-labelledby=\"now-h\">\n<h2 id=\"now-h\">This week, from ");
  day_html(o, now_week, web_today(&rq->s.user));
  sb_puts(o, "</h2>\n");
  if (cur && cur->mine && cur->partner) {
    sb_puts(o, "<div class=\"side-by-side\">\n");
    answers_html(o, cur->mine, _("You"));
    answers_html(o, cur->partner, pname);
    sb_puts(o, "</div>\n");
  } else {
    if (cur && cur->partner) sb_html(o, "<p>%s has answered this week.</p>\n", pname);
    else sb_html(o, "<p>%s has not answered this week.</p>\n", pname);
    if (!page_alone(rq, o, "A check-in")) form_html(rq, o, now_week, cur ? cur->mine : NULL, err);
  }
  sb_text(o, "</section>\n<section aria-labelledby=\"past-h\">\n<h2 id=\"past-h\">Earlier weeks</h2>\n<ul class=\"plain\">\n");
  int shown = 0;
  int64_t first = ci_week_of(web_today(&rq->s.user) - (web_now() - rq->s.user.created_at) / SECONDS_PER_DAY);
  for (int64_t wk = now_week - 7; wk >= first && wk >= now_week - 7 * 12; wk -= 7) {
    const week_row *r = find(&w, wk);
    shown++;
    if (r && r->mine && r->partner) {
      sb_puts(o, "<li><details><summary>");
      week_title(o, wk, now_week, web_today(&rq->s.user));
      sb_puts(o, "</summary>\n<div class=\"side-by-side\">\n");
      answers_html(o, r->mine, _("You"));
      answers_html(o, r->partner, pname);
      sb_puts(o, "</div></details></li>\n");
    } else {
      sb_puts(o, "<li class=\"muted\">");
      week_title(o, wk, now_week, web_today(&rq->s.user));
      sb_text(o, ": missed. That happens; this week is a new one.</li>\n");
    }
  }
  if (!shown) sb_text(o, "<li class=\"muted\">Your first week is this one.</li>\n");
  sb_puts(o, "</ul>\n</section>\n");
  sb_html(o, "<form method=\"post\" action=\"/checkins/schedule\" class=\"card\">\n<h2>When you check in</h2>\n");
  form_csrf(rq, o);
  static const char *const values[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};
  const char *names[8] = {NULL};
  for (int i = 0; i < 7; i++) names[i] = i18n_weekday(rq->lang, i, 0);
  form_select(o, "weekday", "Day", values, names, s.set ? values[s.weekday] : "sun", NULL);
  form_field(o, "time", "Time", "time", s.set ? s.time : "19:00", "off", NULL, NULL);
  form_field(o, "timezone", "Time zone", "text", s.set ? s.timezone : rq->s.user.timezone, "off", N_("Like Europe/Paris or UTC."), NULL);
  sb_text(o, "<button type=\"submit\" class=\"secondary\">Save the time</button>\n</form>\n");
  return page_end(rq, o, status);
}

/* The page again after refused answers, naming the question (its field is "answers.ID"). */
static int answers_again(rq_t *rq, const verdict *v) {
  char msg[200];
  const char *q = v->field && !strncmp(v->field, "answers.", 8) ? v->field + 8 : v->field;
  snprintf(msg, sizeof msg, "%s (%s)", v->message, q ? q : "");
  return render(rq, 200, msg);
}

static int h_checkins_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

/* ---- actions ---- */

static int week_param(rq_t *rq, int64_t *week) {
  h2o_iovec_t v = rq->params[0];
  if (ci_week_parse(v.base, v.len, week) != 0) {
    web_error(rq, 404, "not_found", "A week looks like 2026-W48.", NULL);
    return 0;
  }
  return 1;
}

static int one_week(rq_t *rq, int64_t week, int status) {
  weeks w;
  if (load(rq, &w) != DB_OK) return web_db_error(rq);
  sb_t *o = web_out(rq);
  week_json(o, week, find(&w, week));
  return web_json(rq, status, o);
}

static int answer(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "A check-in")) return 0;
  int64_t week;
  if (!week_param(rq, &week)) return 0;
  int64_t now_week = this_week(rq);
  if (week > now_week) return web_refuse(rq, (verdict){422, "future", N_("That week has not come yet."), "week"}, NULL);
  if (week < now_week - 7) return web_error(rq, 409, "closed", "That week's check-in is closed; this week is open.", NULL);
  weeks w;
  if (load(rq, &w) != DB_OK) return web_db_error(rq);
  const week_row *r = find(&w, week);
  if (r && r->mine && r->partner)
    return web_error(rq, 409, "revealed", "You have both answered this week; the answers stay as they were given.", NULL);
  json_t *in = j ? json_object_get(j, "answers") : NULL;
  if (j && !json_is_object(in)) return web_refuse(rq, (verdict){422, "invalid", N_("Send the answers as an object of question ids."), "answers"}, NULL);
  json_t *out = json_object();
  const char *m = NULL;
  char field[64] = "answers";
  if (in) {
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v) {
      int known = 0;
      for (int i = 0; i < ci_nquestions; i++) known |= !strcmp(ci_questions[i].id, key);
      if (!known) { snprintf(field, sizeof field, "answers.%s", key); m = N_("There is no such question."); break; }
    }
  }
  for (int i = 0; !m && i < ci_nquestions; i++) {
    const ci_question *q = &ci_questions[i];
    snprintf(field, sizeof field, "answers.%s", q->id);
    if (q->type == CI_SCALE) {
      long v = 0;
      if (in) {
        json_t *x = json_object_get(in, q->id);
        if (!json_is_integer(x)) { m = "Answer on the scale from 1 to 7."; break; }
        v = (long)json_integer_value(x);
      } else {
        size_t n;
        int bad = 0;
        const char *s = web_text(rq, NULL, q->id, &n, &bad);
        v = s && n == 1 ? s[0] - '0' : 0;
      }
      if ((m = ci_check_scale(v))) break;
      json_object_set_new(out, q->id, json_integer(v));
    } else {
      const char *s = NULL;
      size_t n = 0;
      if (in) {
        json_t *x = json_object_get(in, q->id);
        if (x && !json_is_string(x) && !json_is_null(x)) { m = "This must be text."; break; }
        if (json_is_string(x)) { s = json_string_value(x); n = json_string_length(x); }
      } else {
        int bad = 0;
        s = web_text(rq, NULL, q->id, &n, &bad);
      }
      if (s && (m = validate_text(s, n, q->type == CI_LINE ? 300 : CI_TEXT_MAX, 0))) break;
      if (s && q->type == CI_LINE && memchr(s, '\n', n)) { m = "One line is enough here."; break; }
      if (s && n) json_object_set_new(out, q->id, json_stringn(s, n));
    }
  }
  if (m) {
    json_decref(out);
    return web_refuse(rq, refuse_field(field, m), answers_again);
  }
  char *json = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(out);
  int rc = json && checkins_answers_put(rq->db, rq->s.user.couple_id, week, rq->s.user.id, json, web_now()) == DB_OK;
  free(json);
  if (!rc) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/checkins");
  return one_week(rq, week, 200);
}

static int schedule_again(rq_t *rq, const verdict *v) { return render(rq, 200, v->message); }

static int schedule(rq_t *rq, json_t *j) {
  size_t wn = 0, tn = 0, zn = 0;
  int b1 = 0, b2 = 0, b3 = 0;
  const char *wd = web_text(rq, j, "weekday", &wn, &b1), *time = web_text(rq, j, "time", &tn, &b2), *tz = web_text(rq, j, "timezone", &zn, &b3);
  int day = wd ? one_of(wd, wn, weekday_names) : -1;
  const char *m = NULL, *field = NULL;
  if (day < 0) { field = "weekday"; m = "Choose a day: mon, tue, wed, thu, fri, sat or sun."; }
  else if (!time || tn != 5 || time[2] != ':' || time[0] < '0' || time[0] > '2' || time[1] < '0' || time[1] > '9' ||
           time[3] < '0' || time[3] > '5' || time[4] < '0' || time[4] > '9' || (time[0] == '2' && time[1] > '3')) {
    field = "time"; m = "A time looks like 19:30.";
  } else if (!tz || zn >= 64 || !tz_valid(tz)) { field = "timezone"; m = "That time zone is not known here. Use a name like Europe/Paris."; }
  if (m) return web_refuse(rq, refuse_field(field, m), schedule_again);
  if (checkins_schedule_set(rq->db, rq->s.user.couple_id, day, time, tz, rq->s.user.id, web_now()) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/checkins");
  checkins_schedule s;
  checkins_schedule_get(rq->db, rq->s.user.couple_id, &s);
  sb_t *o = web_out(rq);
  schedule_json(o, &s);
  return web_json(rq, 200, o);
}


static int h_api_checkin(rq_t *rq, json_t *j) {
  (void)j;
  int64_t week;
  if (!week_param(rq, &week)) return 0;
  return one_week(rq, week, 200);
}

static int h_api_checkins(rq_t *rq, json_t *j) {
  (void)j;
  weeks w;
  checkins_schedule s;
  if (load(rq, &w) != DB_OK || checkins_schedule_get(rq->db, rq->s.user.couple_id, &s) != DB_OK) return web_db_error(rq);
  int64_t now_week = this_week(rq);
  int64_t first = ci_week_of(web_today(&rq->s.user) - (web_now() - rq->s.user.created_at) / SECONDS_PER_DAY);
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "weeks")) return 0;
  for (int64_t wk = now_week; wk >= first && wk >= now_week - 7 * WEEKS_BACK; wk -= 7) {
    const week_row *r = find(&w, wk);
    char name[9];
    ci_week_format(wk, name);
    int both = r && r->mine && r->partner;
    const char *sep = web_list_take(&l, name);
    if (!sep) continue;
    sb_json(o, "%r{\"week\":%q,\"mine\":%r,\"partner\":%r,\"revealed\":%r,\"missed\":%r}", sep, name,
            r && r->mine ? "true" : "false", r && r->partner ? "true" : "false", both ? "true" : "false",
            wk < now_week && !both ? "true" : "false");
  }
  if (web_list_close(&l)) return 0;
  sb_puts(o, ",\"schedule\":");
  schedule_json(o, &s);
  sb_putc(o, '}');
  return web_json(rq, 200, o);
}

const route_t checkins_routes[] = {
  {"GET", "/checkins", h_checkins_page, R_AUTH, "checkins"},
  {"POST", "/checkins/schedule", schedule, R_AUTH | R_CSRF | R_BODY, "checkin_schedule"},
  {"POST", "/checkins/{week}", answer, R_AUTH | R_CSRF | R_BODY, "checkin"},
  {"GET", "/api/v1/checkins", h_api_checkins, R_AUTH | R_LIST, "api_checkins"},
  {"PUT", "/api/v1/checkins/schedule", schedule, R_AUTH | R_BODY, "api_checkin_schedule"},
  {"GET", "/api/v1/checkins/{week}", h_api_checkin, R_AUTH, "api_checkin"},
  {"PUT", "/api/v1/checkins/{week}/answers", answer, R_AUTH | R_BODY, "api_checkin_answers"},
  {NULL, NULL, NULL, 0, NULL},
};
