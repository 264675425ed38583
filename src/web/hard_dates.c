/* hard_dates.c (web): the days that are hard to live through (the day it came out, an
   anniversary, a place or an event), which both partners see. The partner who broke trust is
   reminded ahead of each (what waits on the home page, a push or a mail, the calendar feed), so
   reassurance can come before the day instead of after it. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/days.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/hard_dates.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define HARD_TITLE_MAX 200
#define REMIND_DEFAULT 3

/* The next time the date comes (its own day while still ahead; for a yearly one, each year). */
static int64_t next_day(const hard_date_t *h, int64_t today) {
  return h->day >= today || !h->yearly ? h->day : day_next_yearly(h->day, today);
}

static int reminds(const user_t *u, const hard_date_t *h) { return hard_date_reminds(u->path, u->id, h); }

typedef struct { rq_t *rq; sb_t *o; int n; web_list *l; int64_t today; } hctx;

static void hard_json(rq_t *rq, sb_t *o, const hard_date_t *h, int64_t today) {
  char day[DAY_CHARS], next[DAY_CHARS], at[ISO_TIME_CHARS];
  int64_t n = next_day(h, today);
  day_format(h->day, day);
  day_format(n, next);
  iso_time(h->created_at, at);
  sb_json(o, "{\"id\":%D,\"title\":%q,\"date\":%q,\"yearly\":%r,\"remind_days_before\":%d,\"by\":%D,\"created_at\":%q,",
          h->id, h->title ? h->title : "", day, h->yearly ? "true" : "false", h->remind_days, h->added_by, at);
  if (n >= today) sb_json(o, "\"next\":%q,\"days_until\":%D,\"reminded\":[", next, n - today);
  else sb_puts(o, "\"next\":null,\"days_until\":null,\"reminded\":[");
  if (web_partners(rq) == 0) {
    int k = 0;
    for (int i = 0; i < rq->npartners; i++)
      if (reminds(&rq->partners[i], h)) sb_json(o, "%r%D", k++ ? "," : "", rq->partners[i].id);
  }
  sb_puts(o, "]}");
}

static void list_json(void *p, const void *row) {
  hctx *c = p;
  const hard_date_t *h = row;
  const char *sep = web_list_take_id(c->l, h->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  hard_json(c->rq, c->o, h, c->today);
}

static void hard_html(void *p, const void *row) {
  hctx *c = p;
  const hard_date_t *h = row;
  rq_t *rq = c->rq;
  sb_t *o = c->o;
  if (!c->n++) sb_puts(o, "<ul class=\"plain\">\n");
  int64_t n = next_day(h, c->today);
  sb_markup(o, "<li class=\"card\" id=\"hd-%D\"><h3>%s</h3>\n<p>", h->id, h->title);
  if (n < c->today) {
    sb_text(o, "It was on ");
    day_html(o, h->day, c->today);
    sb_puts(o, ".");
  } else {
    if (n == c->today) sb_text(o, "<strong>Today</strong>");
    else {
      day_html(o, n, c->today);
      sb_plural(o, n - c->today, ", in %D day", ", in %D days", n - c->today);
    }
    sb_markup(o, "%s.", h->yearly ? _(", and every year") : "");
  }
  sb_puts(o, "</p>\n<p class=\"meta\">");
  /* whole sentences for each case: "you" is an object here, which languages decline */
  int me = 0, reminded = 0;
  const char *other = NULL;
  if (web_partners(rq) == 0)
    for (int i = 0; i < rq->npartners; i++)
      if (reminds(&rq->partners[i], h)) {
        reminded = 1;
        if (rq->partners[i].id == rq->s.user.id) me = 1;
        else other = rq->partners[i].display_name;
      }
  if (me && other) sb_html(o, "Reminds you and %s", other);
  else if (me) sb_text(o, "Reminds you");
  else if (other) sb_html(o, "Reminds %s", other);
  if (!reminded) sb_text(o, "Reminds no one yet: the one who broke trust says so on the program page");
  else if (h->remind_days) sb_plural(o, h->remind_days, " %d day before", " %d days before", h->remind_days);
  else sb_text(o, " on the day");
  sb_html(o, " · added by %s</p>\n", web_who(rq, h->added_by));
  if (h->added_by == rq->s.user.id) {
    sb_markup(o, "<form method=\"post\" action=\"/hard-dates/%D/delete\">", h->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"link\">Remove it</button></form>\n");
  }
  sb_puts(o, "</li>\n");
}

typedef struct { const char *err, *field; } hform;

static const char *err_at(const hform *f, const char *field) {
  return f && f->err && f->field && !strcmp(f->field, field) ? f->err : NULL;
}

static int render(rq_t *rq, int status, const hform *f) {
  sb_t *o = page_start(rq, "Hard dates",
                      N_("Some days are heavy before they even arrive: the day it came out, an anniversary, a place, an "
                      "event you will both be at. Put them here, and the one who broke trust is reminded ahead of "
                      "each, so reassurance can come before the day and not only after it. You both see every date."));
  if (f && f->err) page_error_notice(o, f->err);
  else page_saved_notice(rq, o);
  hctx c = {rq, o, 0, NULL, web_today(&rq->s.user)};
  sb_text(o, "<section aria-labelledby=\"hd-list-h\">\n<h2 id=\"hd-list-h\">Your hard dates</h2>\n");
  if (hard_dates_list(rq->db, rq->s.user.couple_id, hard_html, &c) != DB_OK) return web_db_error(rq);
  if (c.n) sb_puts(o, "</ul>\n");
  else sb_text(o, "<p class=\"muted\">No date yet.</p>\n");
  sb_text(o, "</section>\n<form method=\"post\" action=\"/hard-dates\" class=\"card\">\n<h2>Add a hard date</h2>\n");
  form_csrf(rq, o);
  const char *yearly = f ? web_form_text(rq, "yearly") : "1";
  form_field(o, "title", "What it is", "text", f ? web_form_text(rq, "title") : NULL, "off",
             N_("A few words are enough: \u201cthe day I found out\u201d, \u201cher birthday\u201d."), err_at(f, "title"));
  form_field(o, "date", "The date", "date", f ? web_form_text(rq, "date") : NULL, "off", NULL, err_at(f, "date"));
  form_checkbox(o, "yearly", "It comes back every year", yearly && *yearly);
  const char *days = f ? web_form_text(rq, "remind_days_before") : NULL;
  form_field(o, "remind_days_before", "Remind how many days before (0 to 30)", "number", days && *days ? days : "3", "off",
             NULL, err_at(f, "remind_days_before"));
  sb_text(o, "<button type=\"submit\">Add the date</button>\n</form>\n");
  return page_end(rq, o, status);
}

static int h_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

static int form_again(rq_t *rq, const verdict *v) {
  hform f = {v->message, v->field};
  return render(rq, 200, &f);
}

static int add(rq_t *rq, json_t *j) {
  const char *title, *date;
  size_t tn, dn;
  int bad = 0;
  verdict v = web_check_text(rq, j, "title", HARD_TITLE_MAX, 1, &title, &tn);
  if (!v.status && memchr(title, '\n', tn)) v = refuse_field("title", "Name the date in one line.");
  int64_t day = 0, remind = REMIND_DEFAULT;
  date = web_text(rq, j, "date", &dn, &bad);
  if (!v.status && (bad || !date || day_parse(date, dn, &day) != 0))
    v = refuse_field("date", "Give the date as a day of the calendar (YYYY-MM-DD).");
  int got = web_int(rq, j, "remind_days_before", &remind);
  if (!v.status && (got < 0 || remind < 0 || remind > HARD_DATE_REMIND_MAX))
    v = refuse_field("remind_days_before", "Say how many days before to remind, from 0 to 30.");
  int yearly = 1;
  if (j) {
    json_t *y = json_object_get(j, "yearly");
    if (y && !json_is_boolean(y)) { if (!v.status) v = refuse_field("yearly", "Yearly is true or false."); }
    else if (y) yearly = json_is_true(y);
  } else {
    yearly = web_flag(rq, NULL, "yearly", &bad);
  }
  if (v.status) return web_refuse(rq, v, form_again);
  hard_date_t h = {.id = secret_id(), .added_by = rq->s.user.id, .day = day, .created_at = web_now(), .yearly = yearly,
                   .remind_days = (int)remind, .title = title};
  if (hard_dates_add(rq->db, rq->s.user.couple_id, &h) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/hard-dates?saved=shared");
  sb_t *o = web_out(rq);
  hard_json(rq, o, &h, web_today(&rq->s.user));
  return web_created(rq, o, "/api/v1/hard-dates", h.id);
}

static int remove_date(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  hard_date_t h;
  if (id < 0 || hard_dates_get(rq->db, rq->s.user.couple_id, id, &h) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such date.", NULL);
  if (h.added_by != rq->s.user.id)
    return web_error(rq, 403, "not_yours", "Only the one who added a date can remove it.", NULL);
  int rc = hard_dates_delete(rq->db, rq->s.user.couple_id, id);
  if (rc == DB_DONE) return web_error(rq, 404, "not_found", "There is no such date.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  return rq->api ? web_no_content(rq) : web_redirect(rq, "/hard-dates");
}

static int h_api_list(rq_t *rq, json_t *j) {
  (void)j;
  web_list l;
  hctx c = {rq, web_out(rq), 0, &l, web_today(&rq->s.user)};
  if (web_list_open(rq, &l, c.o, "hard_dates") != 0) return 0;
  if (hard_dates_list(rq->db, rq->s.user.couple_id, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t hard_dates_routes[] = {
  {"GET", "/hard-dates", h_page, R_AUTH, "hard_dates"},
  TWIN("POST", "/hard-dates", add, R_AUTH | R_BODY, "hard_dates"),
  {"POST", "/hard-dates/{id}/delete", remove_date, R_AUTH | R_CSRF, "hard_date"},
  {"GET", "/api/v1/hard-dates", h_api_list, R_AUTH | R_LIST, "api_hard_dates"},
  {"GET", "/api/v1/hard-dates/{id}", h_api_list, R_AUTH, "api_hard_date"},
  {"DELETE", "/api/v1/hard-dates/{id}", remove_date, R_AUTH, "api_hard_date"},
  {NULL, NULL, NULL, 0, NULL},
};
