/* promises.c (web): promises kept and confirmed. The promiser reports each due day as kept
   or missed; the partner confirms or disputes. The consistency score (core/promises.c) is
   computed from these, per partner (app/consistency.c). Days are each partner's own days, in
   their time zone. */
#include "web.h"
#include "util/i18n.h"
#include "lists.h"
#include "html.h"
#include "core/commitments.h"
#include "core/validate.h"
#include "db/promises.h"
#include "app/consistency.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void schedule_words(sb_t *o, const pr_rule *r, int64_t today) {
  if (r->every == PR_ONCE) { sb_text(o, "once, on "); day_html(o, r->due, today); return; }
  if (r->every == PR_DAY) { sb_text(o, "every day"); return; }
  static const char *names[] = {N_(N_("Mondays")), N_(N_("Tuesdays")), N_(N_("Wednesdays")), N_(N_("Thursdays")), N_(N_("Fridays")), N_(N_("Saturdays")),
                                N_(N_("Sundays"))};
  sb_text(o, "on ");
  int first = 1;
  for (int w = 0; w < 7; w++)
    if (r->weekdays >> w & 1) { sb_markup(o, "%r%s", first ? "" : ", ", _(names[w])); first = 0; }
}

static void report_json(sb_t *o, const report_t *r) {
  char d[DAY_CHARS], at[ISO_TIME_CHARS], cat[ISO_TIME_CHARS];
  day_format(r->day, d);
  iso_time(r->reported_at, at);
  iso_time(r->confirmed_at, cat);
  sb_json(o, "{\"promise\":%D,\"date\":%q,\"kept\":%r,\"note\":%q,\"reported_at\":%q,\"confirmed\":%r,\"confirm_note\":%q,\"confirmed_at\":%q}",
          r->promise_id, d, r->kept ? "true" : "false", r->note ? r->note : "", at,
          r->confirmed == 1 ? "true" : r->confirmed == 0 ? "false" : "null", r->confirm_note,
          r->confirmed_at ? cat : NULL);
}

static void promise_json(sb_t *o, const promise_t *p, const app_reports *rs, int64_t today) {
  char at[ISO_TIME_CHARS], due[DAY_CHARS], next[DAY_CHARS];
  iso_time(p->created_at, at);
  day_format(p->rule.due, due);
  int64_t nd = pr_next_due(&p->rule, today);
  if (nd >= 0) day_format(nd, next);
  sb_json(o, "{\"id\":%D,\"by\":%D,\"text\":%q,\"due\":%q,\"recurrence\":", p->id, p->promiser_id, p->text,
          p->rule.every == PR_ONCE ? due : NULL);
  if (p->rule.every == PR_DAY) sb_puts(o, "{\"every\":\"day\"}");
  else if (p->rule.every == PR_WEEK) {
    sb_puts(o, "{\"every\":\"week\",\"weekdays\":[");
    int first = 1;
    for (int w = 0; w < 7; w++)
      if (p->rule.weekdays >> w & 1) { sb_json(o, "%r%q", first ? "" : ",", weekday_names[w]); first = 0; }
    sb_puts(o, "]}");
  } else sb_puts(o, "null");
  char end[DAY_CHARS];
  if (p->rule.end) day_format(p->rule.end, end);
  static const char *const states[] = {"running", "paused", "replaced", "ended"};
  sb_json(o, ",\"created_at\":%q,\"next_due\":%q,\"state\":%q,\"not_due_from\":%q,\"reason\":%q,\"replaces\":", at,
          nd >= 0 ? next : NULL, states[p->state], p->rule.end ? end : NULL, p->end_reason);
  if (p->replaces) sb_json(o, "%D", p->replaces); else sb_puts(o, "null");
  sb_puts(o, ",\"replaced_by\":");
  if (p->replaced_by) sb_json(o, "%D", p->replaced_by); else sb_puts(o, "null");
  sb_puts(o, ",\"reports\":[");
  int first = 1;
  for (size_t i = 0; i < rs->n; i++)
    if (rs->v[i].promise_id == p->id) { if (!first) sb_putc(o, ','); first = 0; report_json(o, &rs->v[i]); }
  sb_puts(o, "]}");
}

/* Where a promise stands, in words: paused since, changed on, ended on. */
static void state_words(sb_t *o, const promise_t *p, int64_t today) {
  if (p->state == PS_RUNNING) return;
  if (p->state == PS_PAUSED) sb_text(o, " Paused: not due from ");
  else if (p->state == PS_REPLACED) sb_text(o, " Replaced by a new version from ");
  else sb_text(o, " Ended: not due from ");
  day_html(o, p->rule.end, today);
  sb_puts(o, ".");
}

static void promise_item(rq_t *rq, sb_t *o, const promise_t *p, int64_t today) {
  if (p->promiser_id == rq->s.user.id)
    sb_html(o, "<li class=\"card\"><a href=\"/promises/%D\"><strong>%s</strong></a><p class=\"meta\">You promised, ", p->id, p->text);
  else
    sb_html(o, "<li class=\"card\"><a href=\"/promises/%D\"><strong>%s</strong></a><p class=\"meta\">%s promised, ", p->id, p->text,
            web_who(rq, p->promiser_id));
  schedule_words(o, &p->rule, today);
  sb_puts(o, ".");
  state_words(o, p, today);
  sb_puts(o, "</p></li>\n");
}

/* ---- the page ---- */

static void consistency_html(rq_t *rq, sb_t *o, const app_couple *app, pr_consistency weeks[2][3]) {
  sb_html(o, "<section aria-labelledby=\"cons-h\" class=\"card\">\n<h2 id=\"cons-h\">Consistency</h2>\n"
             "<p class=\"hint\">Confirmed kept promises, recent weeks weighing most. One miss after a long run of "
             "keeping moves it only a little.</p>\n<ul class=\"plain\">\n");
  for (int i = 0; i < app->npartners; i++) {
    pr_consistency c = weeks[i][2];
    sb_markup(o, "<li><strong>%s</strong>: ", app->partners[i].id == rq->s.user.id ? _("You") : app->partners[i].display_name);
    if (!c.has_score) sb_text(o, "nothing to count yet");
    else if (!pr_score_shown(&c)) sb_text(o, "the score shows after three reports");
    else {
      sb_markup(o, "%d%%", (int)(c.score * 100 + 0.5));
      if (c.trend > 0.005) sb_html(o, ", up %d points this week", (int)(c.trend * 100 + 0.5));
      else if (c.trend < -0.005) sb_html(o, ", down %d points this week", (int)(-c.trend * 100 + 0.5));
      else sb_text(o, ", steady this week");
    }
    sb_html(o, " <span class=\"muted\">(%d kept, %d missed, %d disputed, %d waiting, %d not reported)</span></li>\n",
            c.kept, c.missed, c.disputed, c.pending, c.unreported);
  }
  sb_puts(o, "</ul>\n</section>\n");
}

static void report_form(rq_t *rq, sb_t *o, const promise_t *p, int64_t day) {
  char d[DAY_CHARS], id[48];
  day_format(day, d);
  snprintf(id, sizeof id, "r-%lld-%lld", (long long)p->id, (long long)day);
  sb_markup(o, "<form method=\"post\" action=\"/promises/%D/reports\" class=\"report-form\">", p->id);
  form_csrf(rq, o);
  sb_markup(o, "<input type=\"hidden\" name=\"date\" value=\"%s\">\n<fieldset><legend>%s, ", d, p->text);
  day_html(o, day, web_today(&rq->s.user));
  sb_html(o, "</legend>\n"
             "<div class=\"check\"><input type=\"radio\" id=\"%s-k\" name=\"kept\" value=\"1\" required><label for=\"%s-k\">Kept</label></div>\n"
             "<div class=\"check\"><input type=\"radio\" id=\"%s-m\" name=\"kept\" value=\"0\"><label for=\"%s-m\">Missed</label></div>\n"
             "</fieldset>\n<label for=\"%s-n\">A note, if you want</label>\n<input type=\"text\" id=\"%s-n\" name=\"note\">\n"
             "<button type=\"submit\">Report</button></form>\n", id, id, id, id, id, id);
}

/* How often and when: nothing chosen for the promiser on a new promise (how often, and the
   date, are theirs to say); a change starts from the promise as it is (now), and a refused
   form shows what was sent. */
static void schedule_fields(rq_t *rq, sb_t *o, const char *field, const char *err, const pr_rule *now) {
  static const char *const every_values[] = {"", "once", "day", "week", NULL};
  static const char *const every_names[] = {N_("Choose how often"), N_("Once, on a date"), N_("Every day"), N_("Every week, on these days"), NULL};
  const char *sent = web_form_text(rq, "every");
  int again = sent && *sent;
  const char *every = again ? sent : !now ? "" : now->every == PR_ONCE ? "once" : now->every == PR_DAY ? "day" : "week";
  form_select(o, "every", "How often", every_values, every_names, every, field && !strcmp(field, "every") ? err : NULL);
  char due[DAY_CHARS] = "";
  if (again || !now) snprintf(due, sizeof due, "%s", web_form_text(rq, "due") ? web_form_text(rq, "due") : "");
  else if (now->every == PR_ONCE) day_format(now->due, due);
  sb_html(o, "<div class=\"field%r\"><label for=\"f-due\">The date (for a one-off)</label>\n", field && !strcmp(field, "due") ? " invalid" : "");
  if (field && !strcmp(field, "due")) sb_markup(o, "<p class=\"error\">%s</p>\n", err);
  sb_html(o, "<input type=\"date\" id=\"f-due\" name=\"due\" value=\"%s\"></div>\n<fieldset><legend>Days (for every week)</legend>\n", due);
  for (int w = 0; w < 7; w++) {
    char name[8];
    snprintf(name, sizeof name, "wd_%s", weekday_names[w]);
    int bad = 0, on = again ? web_flag(rq, NULL, name, &bad) : now && now->every == PR_WEEK && (now->weekdays >> w & 1);
    sb_markup(o, "<div class=\"check\"><input type=\"checkbox\" id=\"f-wd-%r\" name=\"wd_%r\" value=\"1\"%r><label for=\"f-wd-%r\">%s</label></div>\n",
            weekday_names[w], weekday_names[w], on ? " checked" : "", weekday_names[w], i18n_weekday(rq->lang, w, 1));
  }
  sb_puts(o, "</fieldset>\n");
}

static int render(rq_t *rq, int status, const char *err, const char *field, const char *text) {
  app_promises ps;
  app_reports rs;
  pr_consistency weeks[2][3];
  int64_t t = web_today(&rq->s.user);
  const app_couple *app = web_app(rq);
  /* a day's margin: the partner's today may be a day off mine */
  int ok = app && app_consistency(app, weeks) == 0 && app_promises_load(app, &ps) == DB_OK &&
           app_reports_recent(app, &rs, t - 8) == DB_OK;
  if (!ok) return web_db_error(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Promises</h1>\n<p class=\"lead\">Small promises, kept and seen. The one who promised reports each day "
             "it was due; the other confirms. A day nobody reported counts as not reported, never as kept. Every report "
             "and confirmation is kept in the <a href=\"/ledger\">ledger</a>.</p>\n");
  page_error_notice(o, err);
  /* what I have to report: my promises due in the last week without a report */
  sb_html(o, "<section aria-labelledby=\"todo-h\">\n<h2 id=\"todo-h\">To report</h2>\n");
  int todo = 0;
  for (size_t i = 0; i < ps.n; i++) {
    const promise_t *p = &ps.v[i];
    if (p->promiser_id != rq->s.user.id) continue;
    for (int64_t d = t - 6; d <= t; d++)
      if (pr_is_due(&p->rule, d) && !app_report_find(&rs, p->id, d)) { report_form(rq, o, p, d); todo++; }
  }
  if (!todo) sb_text(o, "<p class=\"muted\">Nothing to report right now.</p>\n");
  sb_puts(o, "</section>\n");
  /* what waits for my confirmation */
  sb_html(o, "<section aria-labelledby=\"conf-h\">\n<h2 id=\"conf-h\">To confirm</h2>\n");
  int toconfirm = 0;
  for (size_t i = 0; i < ps.n; i++) {
    const promise_t *p = &ps.v[i];
    if (p->promiser_id == rq->s.user.id) continue;
    for (size_t k = 0; k < rs.n; k++) {
      const report_t *r = &rs.v[k];
      if (r->promise_id != p->id || r->confirmed != -1) continue;
      char d[DAY_CHARS], id[48];
      day_format(r->day, d);
      snprintf(id, sizeof id, "c-%lld-%lld", (long long)p->id, (long long)r->day);
      sb_markup(o, "<form method=\"post\" action=\"/promises/%D/reports/%s/confirm\" class=\"card confirm-form\">\n", p->id, d);
      form_csrf(rq, o);
      sb_markup(o, "<p><strong>%s</strong> · ", p->text);
      day_html(o, r->day, web_today(&rq->s.user));
      sb_html(o, ": %s says <strong>%s</strong>.</p>\n", web_who(rq, p->promiser_id), r->kept ? _("kept") : _("missed"));
      if (r->note && *r->note) page_text(o, r->note);
      sb_html(o, "<fieldset><legend>Is that how you saw it?</legend>\n"
                 "<div class=\"check\"><input type=\"radio\" id=\"%s-y\" name=\"confirmed\" value=\"1\" required><label for=\"%s-y\">Yes, I confirm</label></div>\n"
                 "<div class=\"check\"><input type=\"radio\" id=\"%s-n\" name=\"confirmed\" value=\"0\"><label for=\"%s-n\">No, I saw it differently</label></div>\n"
                 "</fieldset>\n<label for=\"%s-t\">A note, if you want</label>\n<input type=\"text\" id=\"%s-t\" name=\"note\">\n"
                 "<button type=\"submit\">Answer</button></form>\n", id, id, id, id, id, id);
      toconfirm++;
    }
  }
  if (!toconfirm) sb_text(o, "<p class=\"muted\">Nothing waits for you.</p>\n");
  sb_puts(o, "</section>\n");
  consistency_html(rq, o, app, weeks);
  sb_html(o, "<section aria-labelledby=\"all-h\">\n<h2 id=\"all-h\">All promises</h2>\n<ul class=\"plain\">\n");
  int live = 0, past = 0;
  for (size_t i = 0; i < ps.n; i++) {
    const promise_t *p = &ps.v[i];
    if (p->state != PS_RUNNING && p->state != PS_PAUSED) { past++; continue; }
    promise_item(rq, o, p, t);
    live++;
  }
  if (!live) sb_text(o, "<li class=\"muted\">No promises yet.</li>\n");
  sb_puts(o, "</ul>\n");
  /* what was changed or ended stays, with its reports: a new version never erases the old */
  if (past) {
    sb_html(o, "<details><summary>Changed and ended (%d)</summary>\n<ul class=\"plain\">\n", past);
    for (size_t i = 0; i < ps.n; i++)
      if (ps.v[i].state == PS_REPLACED || ps.v[i].state == PS_ENDED) promise_item(rq, o, &ps.v[i], t);
    sb_puts(o, "</ul>\n</details>\n");
  }
  sb_puts(o, "</section>\n");
  if (page_alone(rq, o, "A promise")) return page_end(rq, o, status);
  sb_html(o, "<form method=\"post\" action=\"/promises\" class=\"card\">\n<h2>Make a promise</h2>\n");
  form_csrf(rq, o);
  form_textarea(o, "text", "What you promise", text, N_("Small and concrete is best: something you can keep."),
                field && !strcmp(field, "text") ? err : NULL, 2, 1);
  schedule_fields(rq, o, field, err, NULL);
  sb_html(o, "<button type=\"submit\">Promise</button>\n</form>\n");
  return page_end(rq, o, status);
}

static int h_promises_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, NULL); }

/* The page again after a refused form, with the promise's words when it was a new one. */
static int form_again(rq_t *rq, const verdict *v) { return render(rq, 200, v->message, v->field, web_form_text(rq, "text")); }

/* Answers with one promise as JSON. */
static int one(rq_t *rq, int64_t id, int status) {
  promise_t p;
  app_reports rs;
  const app_couple *app = web_app(rq);
  if (!app || promises_get(rq->db, rq->s.user.couple_id, id, &p, &rq->mem) != DB_ROW || app_reports_load(app, &rs) != DB_OK)
    return web_db_error(rq);
  sb_t *o = web_out(rq);
  promise_json(o, &p, &rs, web_today(&rq->s.user));
  if (status == 201) return web_created(rq, o, "/api/v1/promises", id);
  return web_json(rq, status, o);
}

/* Reads the schedule: JSON {"due"} or {"recurrence":{"every","weekdays"}}, or the form. */
static const char *read_rule(rq_t *rq, json_t *j, pr_rule *r, const char **field) {
  memset(r, 0, sizeof *r);
  int64_t today = web_today(&rq->s.user);
  r->start = today;
  size_t n;
  int bad = 0;
  if (j) {
    json_t *rec = json_object_get(j, "recurrence");
    const char *due = jget(j, "due", &n, &bad);
    if (due && rec && !json_is_null(rec)) { *field = "recurrence"; return "Give either a due date or a recurrence, not both."; }
    if (due || bad) {
      r->every = PR_ONCE;
      *field = "due";
      if (bad || day_parse(due, n, &r->due) != 0) return "A date looks like 2026-12-24.";
      if (r->due < today) return "That date has passed.";
      return NULL;
    }
    *field = "recurrence";
    if (!json_is_object(rec)) return "Give a due date, or a recurrence such as {\"every\":\"day\"}.";
    const char *every = jget(rec, "every", &n, &bad);
    if (every && !strcmp(every, "day")) { r->every = PR_DAY; return NULL; }
    if (!every || strcmp(every, "week")) return "A recurrence is every \"day\" or every \"week\".";
    r->every = PR_WEEK;
    json_t *wd = json_object_get(rec, "weekdays");
    const char *names[7];
    size_t k = 0;
    if (!json_is_array(wd) || json_array_size(wd) == 0 || json_array_size(wd) > 7) return "Say which weekdays: [\"mon\", \"thu\"].";
    for (; k < json_array_size(wd); k++) {
      names[k] = json_string_value(json_array_get(wd, k));
      if (!names[k]) return "Weekdays are mon, tue, wed, thu, fri, sat, sun.";
    }
    if (pr_weekdays_parse(names, (int)k, &r->weekdays) != 0) return "Weekdays are mon, tue, wed, thu, fri, sat, sun.";
    return NULL;
  }
  const char *every = web_text(rq, NULL, "every", &n, &bad);
  *field = "every";
  if (!every || !*every) { *field = "every"; return "Choose how often: once on a date, every day, or every week."; }
  if (!strcmp(every, "once")) {
    r->every = PR_ONCE;
    const char *due = web_text(rq, NULL, "due", &n, &bad);
    *field = "due";
    if (!due || day_parse(due, n, &r->due) != 0) return "Choose the date it is due.";
    if (r->due < today) return "That date has passed.";
    return NULL;
  }
  if (!strcmp(every, "day")) { r->every = PR_DAY; return NULL; }
  if (strcmp(every, "week")) return "Choose how often.";
  r->every = PR_WEEK;
  for (int w = 0; weekday_names[w]; w++) {
    char name[8];
    snprintf(name, sizeof name, "wd_%s", weekday_names[w]);
    if (web_flag(rq, NULL, name, &bad)) r->weekdays |= 1 << w;
  }
  if (!r->weekdays) { *field = "every"; return "Tick the days of the week it is due."; }
  return NULL;
}

/* A promise's words and days, as a new one or a new version gives them: 1 when read, else 0
   (answered, the form again from `again`). */
static int read_promise(rq_t *rq, json_t *j, const char **t, pr_rule *r, web_form_fn again) {
  size_t n;
  const char *m, *field = NULL;
  verdict v = web_check_text(rq, j, "text", PROMISE_MAX, 1, t, &n);
  if (v.status) { web_refuse(rq, v, again); return 0; }
  if ((m = read_rule(rq, j, r, &field))) { web_refuse(rq, refuse_field(field, m), again); return 0; }
  return 1;
}

static int make(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "A promise")) return 0;
  const char *t;
  pr_rule r;
  if (!read_promise(rq, j, &t, &r, form_again)) return 0;
  int64_t id;
  if (promises_add(rq->db, rq->s.user.couple_id, rq->s.user.id, rq->s.user.display_name, t, &r, web_now(), &id) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/promises");
  return one(rq, id, 201);
}

static int load(rq_t *rq, promise_t *p) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || promises_get(rq->db, rq->s.user.couple_id, id, p, &rq->mem) != DB_ROW) {
    web_error(rq, 404, "not_found", "There is no such promise.", NULL);
    return 0;
  }
  return 1;
}

static int report_one(rq_t *rq, int64_t promise, int64_t day, int status) {
  report_t r;
  app_reports rs;
  const app_couple *app = web_app(rq);
  if (!app || app_reports_load(app, &rs) != DB_OK) return web_db_error(rq);
  const report_t *x = app_report_find(&rs, promise, day);
  int rc;
  if (!x) rc = web_db_error(rq);
  else {
    r = *x;
    sb_t *o = web_out(rq);
    report_json(o, &r);
    rc = status == 201 ? web_created(rq, o, "/api/v1/promises", promise) : web_json(rq, status, o);
  }
  return rc;
}

/* A form's yes or no (its radio buttons): nothing is chosen for anyone. */
static int one_or_zero(const char *v) { return v && (!strcmp(v, "1") || !strcmp(v, "0")); }

static int report(rq_t *rq, json_t *j) {
  promise_t p;
  if (!load(rq, &p)) return 0;
  int rc;
  size_t dn = 0, nn = 0;
  int bd = 0, bk = 0;
  const char *date = web_text(rq, j, "date", &dn, &bd), *note;
  int64_t day = 0;
  verdict vn = web_check_text(rq, j, "note", NOTE_MAX, 0, &note, &nn), v = VERDICT_OK;
  if (bd || !date || day_parse(date, dn, &day) != 0) v = refuse_field("date", "A date looks like 2026-12-24.");
  else if (j && !json_is_boolean(json_object_get(j, "kept"))) v = refuse_field("kept", "Say whether you kept it: true or false.");
  else if (!j && !one_or_zero(web_form_text(rq, "kept"))) v = refuse_field("kept", "Say whether you kept it, or missed it.");
  else v = vn;
  if (v.status) return web_refuse(rq, v, form_again);
  int kept = web_flag(rq, j, "kept", &bk);
  report_t existing;
  int has = promises_report_get(rq->db, rq->s.user.couple_id, p.id, day, &existing);
  v = pr_can_report(&p.rule, day, web_today(&rq->s.user), p.promiser_id == rq->s.user.id, has == DB_ROW && existing.confirmed != -1);
  if (v.status) rc = web_refuse(rq, v, form_again);
  else if (promises_report(rq->db, rq->s.user.couple_id, &p, p.text, day, kept, note, rq->s.user.display_name, web_now()) != DB_OK)
    rc = web_db_error(rq);
  /* a day reported again is the same report corrected: 200, not a second one made */
  else rc = rq->api ? report_one(rq, p.id, day, has == DB_ROW ? 200 : 201) : web_redirect(rq, "/promises");
  return rc;
}

static int confirm(rq_t *rq, json_t *j) {
  promise_t p;
  if (!load(rq, &p)) return 0;
  int64_t day;
  h2o_iovec_t d = rq->params[1];
  int rc;
  if (day_parse(d.base, d.len, &day) != 0) return web_error(rq, 404, "not_found", "There is no report for that day.", NULL);
  report_t existing;
  int has = promises_report_get(rq->db, rq->s.user.couple_id, p.id, day, &existing) == DB_ROW;
  verdict v = pr_can_confirm(p.promiser_id == rq->s.user.id, has);
  size_t nn = 0;
  int bc = 0;
  const char *note;
  verdict vn = web_check_text(rq, j, "note", NOTE_MAX, 0, &note, &nn);
  if (!v.status && j && !json_is_boolean(json_object_get(j, "confirmed")))
    v = refuse_field("confirmed", "Say whether you confirm: true or false.");
  if (!v.status && !j && !one_or_zero(web_form_text(rq, "confirmed")))
    v = refuse_field("confirmed", "Say whether you confirm it, or saw it differently.");
  if (!v.status) v = vn;
  int confirmed = web_flag(rq, j, "confirmed", &bc);
  if (v.status) rc = web_refuse(rq, v, form_again);
  else if (promises_confirm(rq->db, rq->s.user.couple_id, &p, p.text, day, confirmed, note, rq->s.user.id,
                      rq->s.user.display_name, web_now()) != DB_OK)
    rc = web_db_error(rq);
  else rc = rq->api ? report_one(rq, p.id, day, 200) : web_redirect(rq, "/promises");
  return rc;
}


static int h_api_promises(rq_t *rq, json_t *j) {
  (void)j;
  app_promises ps;
  app_reports rs;
  const app_couple *app = web_app(rq);
  if (!app || app_promises_load(app, &ps) != DB_OK || app_reports_load(app, &rs) != DB_OK) return web_db_error(rq);
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "promises")) return 0;
  for (size_t i = 0; i < ps.n; i++) {
    const char *sep = web_list_take_id(&l, ps.v[i].id);
    if (!sep) continue;
    sb_puts(o, sep);
    promise_json(o, &ps.v[i], &rs, web_today(&rq->s.user));
  }
  return web_list_send(&l);
}

static int h_api_consistency(rq_t *rq, json_t *j) {
  (void)j;
  pr_consistency weeks[2][3];
  const app_couple *app = web_app(rq);
  if (!app || app_consistency(app, weeks) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"half_life_days\":%d,\"partners\":[", (int)CONSISTENCY_HALF_LIFE_DAYS);
  for (int i = 0; i < app->npartners; i++) {
    pr_consistency c = weeks[i][2];
    char score[32] = "null", trend[32];
    if (c.has_score) snprintf(score, sizeof score, "%.4f", c.score);
    snprintf(trend, sizeof trend, "%.4f", c.trend);
    sb_json(o, "%r{\"person\":%D,\"score\":%r,\"trend\":%r,\"kept\":%d,\"missed\":%d,\"disputed\":%d,\"pending\":%d,\"unreported\":%d}",
            i ? "," : "", app->partners[i].id, score, trend, c.kept, c.missed, c.disputed, c.pending, c.unreported);
  }
  sb_puts(o, "]}");
  return web_json(rq, 200, o);
}

/* ---- one promise: its versions, and the promiser's moves (pause, resume, change, end) ---- */

static int render_one(rq_t *rq, const promise_t *p, const char *err, const char *field) {
  app_reports rs;
  const app_couple *app = web_app(rq);
  if (!app || app_reports_load(app, &rs) != DB_OK) return web_db_error(rq);
  int64_t t = web_today(&rq->s.user);
  int mine = p->promiser_id == rq->s.user.id;
  sb_t *o = web_out(rq);
  page_open(rq, o);
  if (mine) sb_html(o, "<p class=\"crumbs\"><a href=\"/promises\">Promises</a></p>\n<h1>%s</h1>\n<p class=\"lead\">You promised, ", p->text);
  else
    sb_html(o, "<p class=\"crumbs\"><a href=\"/promises\">Promises</a></p>\n<h1>%s</h1>\n<p class=\"lead\">%s promised, ", p->text,
            web_who(rq, p->promiser_id));
  schedule_words(o, &p->rule, t);
  sb_puts(o, ".");
  state_words(o, p, t);
  sb_puts(o, "</p>\n");
  if (p->end_reason) {
    sb_markup(o, "<p>%s</p>\n", p->state == PS_PAUSED ? _("Why it is paused:") : _("Why it ended:"));
    page_text(o, p->end_reason);
  }
  if (p->replaces) sb_html(o, "<p><a href=\"/promises/%D\">The version before this one</a></p>\n", p->replaces);
  if (p->replaced_by)
    sb_html(o, "<p><a href=\"/promises/%D\">The version that took its place</a>. The reports of this one stay as they were, "
               "and count as before.</p>\n", p->replaced_by);
  page_error_notice(o, err);
  sb_text(o, "<section aria-labelledby=\"rep-h\">\n<h2 id=\"rep-h\">Reports</h2>\n<ul class=\"plain\">\n");
  int n = 0;
  for (size_t i = rs.n; i-- > 0 && n < 30;) {
    const report_t *r = &rs.v[i];
    if (r->promise_id != p->id) continue;
    sb_puts(o, "<li>");
    day_html(o, r->day, t);
    sb_markup(o, ": %s, %s</li>\n", r->kept ? _("kept") : _("missed"),
            r->confirmed == 1 ? _("confirmed") : r->confirmed == 0 ? _("seen differently") : _("waiting to be confirmed"));
    n++;
  }
  if (!n) sb_text(o, "<li class=\"muted\">No reports for this version yet.</li>\n");
  sb_puts(o, "</ul>\n</section>\n");
  if (!mine) {
    if (p->state == PS_RUNNING || p->state == PS_PAUSED)
      sb_html(o, "<p class=\"hint\">Only %s can pause, change or end this promise; each of those is in the "
                 "<a href=\"/ledger\">ledger</a> with their reason.</p>\n", web_who(rq, p->promiser_id));
    return page_end(rq, o, 200);
  }
  if (p->state != PS_RUNNING && p->state != PS_PAUSED) return page_end(rq, o, 200);
  int recurring = p->rule.every != PR_ONCE;
  if (p->state == PS_PAUSED) {
    sb_html(o, "<form method=\"post\" action=\"/promises/%D/resume\" class=\"card\">\n<h2>Resume it</h2>\n"
               "<p class=\"hint\">It is due again from today, as it was.</p>\n", p->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\">Resume</button>\n</form>\n");
  } else if (recurring) {
    sb_html(o, "<form method=\"post\" action=\"/promises/%D/pause\" class=\"card\">\n<h2>Pause it</h2>\n"
               "<p class=\"hint\">For a time it cannot be kept (a trip, an illness): nothing is due while it is paused, "
               "and what you reported stays.</p>\n", p->id);
    form_csrf(rq, o);
    form_textarea(o, "reason", "Why, for your partner (if you want)", web_form_text(rq, "reason"), NULL,
                  field && !strcmp(field, "reason") ? err : NULL, 2, 0);
    sb_text(o, "<button type=\"submit\">Pause</button>\n</form>\n");
  }
  sb_html(o, "<form method=\"post\" action=\"/promises/%D/versions\" class=\"card\">\n<h2>Change it</h2>\n"
             "<p class=\"hint\">A new version takes its place from today; this one stays, with its reports.</p>\n", p->id);
  form_csrf(rq, o);
  const char *sent = web_form_text(rq, "text");
  form_textarea(o, "text", "What you promise now", sent && *sent ? sent : p->text, NULL,
                field && !strcmp(field, "text") ? err : NULL, 2, 1);
  schedule_fields(rq, o, field, err, &p->rule);
  sb_text(o, "<button type=\"submit\">Save the new version</button>\n</form>\n");
  sb_html(o, "<form method=\"post\" action=\"/promises/%D/end\" class=\"card\">\n<h2>End it</h2>\n"
             "<p class=\"hint\">It is no longer due; it stays in the history, and its reports still count.</p>\n", p->id);
  form_csrf(rq, o);
  form_textarea(o, "end_reason", "Why, for your partner (if you want)", NULL, NULL,
                field && !strcmp(field, "end_reason") ? err : NULL, 2, 0);
  sb_text(o, "<button type=\"submit\">End the promise</button>\n</form>\n");
  return page_end(rq, o, 200);
}

static int h_promise_page(rq_t *rq, json_t *j) {
  (void)j;
  promise_t p;
  if (!load(rq, &p)) return 0;
  return render_one(rq, &p, NULL, NULL);
}

/* The promise's page again after a refused form. */
static int one_again(rq_t *rq, const verdict *v) {
  promise_t p;
  if (!load(rq, &p)) return 0;
  return render_one(rq, &p, v->message, v->field);
}

/* The checks every move makes: the promise, the promiser's, a move its state allows. */
static int movable(rq_t *rq, promise_t *p, enum pr_move m) {
  if (!load(rq, p)) return 0;
  verdict v = pr_can_move(m, p->state, p->rule.every != PR_ONCE, p->promiser_id == rq->s.user.id);
  if (v.status) { web_refuse(rq, v, one_again); return 0; }
  return 1;
}

/* The first day it is no longer due, when stopped today: tomorrow if today was reported. */
static int64_t stop_day(rq_t *rq, const promise_t *p) {
  report_t r;
  int64_t t = web_today(&rq->s.user);
  return p->state == PS_PAUSED ? p->rule.end : pr_stop_day(t, promises_report_get(rq->db, rq->s.user.couple_id, p->id, t, &r) == DB_ROW);
}

static int after_move(rq_t *rq, int64_t id, int status) {
  if (!rq->api) {
    char to[48];
    snprintf(to, sizeof to, "/promises/%lld", (long long)id);
    return web_redirect(rq, to);
  }
  return one(rq, id, status);
}

/* pause and end: {"reason"} (optional), the promiser's words for the partner */
static int stop(rq_t *rq, json_t *j, enum pr_move m) {
  promise_t p;
  if (!movable(rq, &p, m)) return 0;
  const char *reason;
  size_t n;
  /* on the page the pause and end forms stand together: the end form's field has its own name */
  verdict v = web_check_text(rq, j, m == PM_END && !rq->api ? "end_reason" : "reason", NOTE_MAX, 0, &reason, &n);
  if (v.status) return web_refuse(rq, v, one_again);
  if (promises_stop(rq->db, rq->s.user.couple_id, &p, m == PM_PAUSE ? "paused" : "ended", stop_day(rq, &p), reason,
                    rq->s.user.display_name, web_now()) != DB_OK)
    return web_db_error(rq);
  return after_move(rq, p.id, 200);
}
static int pause_promise(rq_t *rq, json_t *j) { return stop(rq, j, PM_PAUSE); }
static int end_promise(rq_t *rq, json_t *j) { return stop(rq, j, PM_END); }

static int resume(rq_t *rq, json_t *j) {
  (void)j;
  promise_t p;
  if (!movable(rq, &p, PM_RESUME)) return 0;
  pr_rule r = p.rule;
  int64_t t = web_today(&rq->s.user);
  r.start = p.rule.end > t ? p.rule.end : t; /* never two versions due on one day */
  r.end = 0;
  int64_t id;
  if (promises_succeed(rq->db, rq->s.user.couple_id, &p, p.text, &r, 1, rq->s.user.display_name, web_now(), &id) != DB_OK)
    return web_db_error(rq);
  return after_move(rq, id, 201);
}

/* A change: new words and days as a new version ({"text"} with "due" or "recurrence", as a new
   promise), from the day the old one stops. */
static int change(rq_t *rq, json_t *j) {
  promise_t p;
  const char *t;
  pr_rule r;
  if (!movable(rq, &p, PM_CHANGE) || !read_promise(rq, j, &t, &r, one_again)) return 0;
  int64_t from = stop_day(rq, &p), id;
  if (r.start < from) r.start = from;
  if (r.every == PR_ONCE && r.due < r.start)
    return web_refuse(rq, refuse_field("due", "Today was reported already: choose a day from tomorrow on."), one_again);
  if (promises_stop(rq->db, rq->s.user.couple_id, &p, "edited", from, NULL, rq->s.user.display_name, web_now()) != DB_OK ||
      promises_succeed(rq->db, rq->s.user.couple_id, &p, t, &r, 0, rq->s.user.display_name, web_now(), &id) != DB_OK)
    return web_db_error(rq);
  return after_move(rq, id, 201);
}

const route_t promises_routes[] = {
  {"GET", "/promises", h_promises_page, R_AUTH, "promises"},
  TWIN("POST", "/promises", make, R_AUTH | R_BODY, "promises"),
  TWIN("POST", "/promises/{id}/reports", report, R_AUTH | R_BODY, "promise_report"),
  TWIN("POST", "/promises/{id}/reports/{date}/confirm", confirm, R_AUTH | R_BODY, "promise_confirm"),
  {"GET", "/promises/{id}", h_promise_page, R_AUTH, "promise"},
  TWIN("POST", "/promises/{id}/pause", pause_promise, R_AUTH | R_BODY, "promise_pause"),
  TWIN("POST", "/promises/{id}/resume", resume, R_AUTH, "promise_resume"),
  TWIN("POST", "/promises/{id}/versions", change, R_AUTH | R_BODY, "promise_change"),
  TWIN("POST", "/promises/{id}/end", end_promise, R_AUTH | R_BODY, "promise_end"),
  {"GET", "/api/v1/promises", h_api_promises, R_AUTH | R_LIST, "api_promises"},
  {"GET", "/api/v1/promises/{id}", h_api_promises, R_AUTH, "api_promise"},
  {"GET", "/api/v1/measures/consistency", h_api_consistency, R_AUTH, "api_consistency"},
  {NULL, NULL, NULL, 0, NULL},
};
