/* setbacks.c (web): a hard day, a relapse into old patterns, a trigger: either partner logs it
   with how hard it was and what helped. Setbacks are marked on the progress charts; no score
   or streak resets because of one. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/commitments.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/setbacks.h"
#include <string.h>

#define LIST_DAYS 730

static const char *const severities[] = {"1", "2", "3", "4", "5", NULL};
static const char *const severity_names[] = {N_("1: a wobble"), N_("2: hard"), N_("3: very hard"), N_("4: it shook us"), N_("5: the worst since it began"), NULL};

typedef struct { rq_t *rq; sb_t *o; int n; web_list *l; } sctx;

static void setback_json(void *p, const void *row) {
  const setback_t *s = row;
  sctx *c = p;
  char d[DAY_CHARS], at[ISO_TIME_CHARS];
  day_format(s->day, d);
  iso_time(s->created_at, at);
  const char *sep = c->l ? web_list_take_id(c->l, s->id) : "";
  if (!sep) return;
  sb_json(c->o, "%r{\"id\":%D,\"by\":%D,\"date\":%q,\"what\":%q,\"severity\":%d,\"helped\":%q,\"created_at\":%q}",
          sep, s->id, s->author_id, d, s->what, s->severity, s->helped, at);
}

static void setback_html(void *p, const void *row) {
  const setback_t *s = row;
  sctx *c = p;
  sb_t *o = c->o;
  c->n++;
  sb_markup(o, "<li class=\"card\"><p class=\"meta\">%s · ", s->author_id == c->rq->s.user.id ? _("You") : web_who(c->rq, s->author_id));
  day_html(o, s->day, web_today(&c->rq->s.user));
  sb_html(o, " · how hard: %d of 5</p>\n", s->severity);
  page_text(o, s->what);
  if (s->helped[0]) {
    sb_text(o, "<p class=\"meta\">What helped</p>\n");
    page_text(o, s->helped);
  }
  sb_puts(o, "</li>\n");
}

static int h_api_setbacks(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "setbacks")) return 0;
  sctx c = {rq, o, 0, &l};
  if (setbacks_list(rq->db, rq->s.user.couple_id, 0, setback_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

typedef struct { const char *err, *field, *what, *severity, *helped, *date; } sform;

static const char *err_for(const sform *f, const char *name) {
  return f && f->field && !strcmp(f->field, name) ? f->err : NULL;
}

static int render(rq_t *rq, int status, const sform *f) {
  sb_t *o = page_start(rq, "Setbacks",
                      N_("Hard days come back, sometimes out of nowhere. A setback is part of "
                      "the way, not the end of it: nothing you have built is reset. Writing it down, and what helped, makes the next "
                      "one easier."));
  if (f) page_error_notice(o, f->err);
  sb_puts(o, "<form method=\"post\" action=\"/setbacks\" class=\"card\">\n");
  form_csrf(rq, o);
  form_textarea(o, "what", "What happened", f ? f->what : NULL, NULL, err_for(f, "what"), 3, 1);
  form_select(o, "severity", "How hard was it", severities, severity_names, f ? f->severity : "2", err_for(f, "severity"));
  form_textarea(o, "helped", "What helped (if anything)", f ? f->helped : NULL, NULL, err_for(f, "helped"), 2, 0);
  char today[DAY_CHARS];
  day_format(web_today(&rq->s.user), today);
  form_field(o, "date", "When", "date", f && f->date ? f->date : today, "off", NULL, err_for(f, "date"));
  sb_text(o, "<button type=\"submit\">Save</button>\n</form>\n<section aria-labelledby=\"s-h\">\n<h2 id=\"s-h\">So far</h2>\n"
             "<ul class=\"plain\">\n");
  sctx c = {rq, o, 0, NULL};
  if (setbacks_list(rq->db, rq->s.user.couple_id, web_today(&rq->s.user) - LIST_DAYS, setback_html, &c) != DB_OK)
    return web_db_error(rq);
  sb_puts(o, "</ul>\n");
  if (!c.n) sb_text(o, "<p class=\"muted\">None written down.</p>\n");
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}

static int h_setbacks_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

/* The form again, with what was sent. */
static int form_again(rq_t *rq, const verdict *v) {
  sform f = {v->message, v->field, web_form_text(rq, "what"), web_form_text(rq, "severity"), web_form_text(rq, "helped"),
             web_form_text(rq, "date")};
  return render(rq, 200, &f);
}

static int add(rq_t *rq, json_t *j) {
  sform f = {0};
  size_t wn, hn, dn, sn = 0;
  int bd = 0, bs = 0;
  verdict v = web_check_text(rq, j, "what", SETBACK_WHAT_MAX, 1, &f.what, &wn);
  verdict vh = web_check_text(rq, j, "helped", SETBACK_HELPED_MAX, 0, &f.helped, &hn);
  f.date = web_text(rq, j, "date", &dn, &bd);
  int severity = 0;
  if (j) {
    json_t *v = json_object_get(j, "severity");
    if (json_is_integer(v)) severity = (int)json_integer_value(v);
  } else {
    f.severity = web_text(rq, NULL, "severity", &sn, &bs);
    if (f.severity && !bs) severity = one_of(f.severity, sn, severities) + 1;
  }
  if (!v.status && (severity < 1 || severity > 5)) v = refuse_field("severity", "How hard it was is a number from 1 to 5.");
  if (!v.status) v = vh;
  int64_t today = web_today(&rq->s.user), day = today;
  if (!v.status && (bd || (f.date && day_parse(f.date, dn, &day) != 0))) v = refuse_field("date", "A date looks like 2026-12-24.");
  else if (!v.status && day > today)
    v = refuse_field("date", "A setback is logged once it has happened: choose today or a day before.");
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  const char *helped = f.helped ? f.helped : "";
  if (setbacks_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, day, f.what, severity, helped, now) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/setbacks");
  sb_t *o = web_out(rq);
  sctx c = {rq, o, 0, NULL};
  setback_t s = {id, rq->s.user.id, day, now, severity, f.what, helped};
  setback_json(&c, &s);
  return web_created(rq, o, "/api/v1/setbacks", id);
}


const route_t setbacks_routes[] = {
  {"GET", "/setbacks", h_setbacks_page, R_AUTH, "setbacks"},
  TWIN("POST", "/setbacks", add, R_AUTH | R_BODY, "setbacks"),
  {"GET", "/api/v1/setbacks", h_api_setbacks, R_AUTH | R_LIST, "api_setbacks"},
  {"GET", "/api/v1/setbacks/{id}", h_api_setbacks, R_AUTH, "api_setback"},
  {NULL, NULL, NULL, 0, NULL},
};
