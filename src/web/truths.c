/* truths.c (web): one small truth about yourself each day, shared with your partner, and a
   streak that forgives one missed day. A day is the author's local day. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "app/progress.h"
#include "core/commitments.h"
#include "core/measures.h"
#include "core/validate.h"
#include "db/truths.h"
#include "util/tz.h"
#include <string.h>

#define LIST_DAYS 60

static int streak_of(rq_t *rq, const user_t *u) {
  const app_couple *app = web_app(rq);
  return app ? app_truth_streak(app, u) : 0;
}

typedef struct { rq_t *rq; sb_t *o; int n, wrote_today; int64_t today; web_list *l; } tctx;

static void truth_json(void *p, const void *row) {
  const truth_t *t = row;
  tctx *c = p;
  char d[DAY_CHARS], at[ISO_TIME_CHARS];
  const char *sep = c->l ? web_list_take_id(c->l, t->id) : "";
  if (!sep) return;
  day_format(t->day, d);
  iso_time(t->created_at, at);
  sb_json(c->o, "%r{\"id\":%D,\"by\":%D,\"date\":%q,\"text\":%q,\"created_at\":%q,\"reply\":", sep, t->id, t->author_id, d,
          t->text, at);
  if (t->replied_at) {
    iso_time(t->replied_at, at);
    sb_json(c->o, "{\"heart\":%r,\"text\":%q,\"at\":%q}}", t->heart ? "true" : "false", t->reply, at);
  } else {
    sb_puts(c->o, "null}");
  }
}

static void truth_html(void *p, const void *row) {
  const truth_t *t = row;
  tctx *c = p;
  c->n++;
  sb_markup(c->o, "<li class=\"card\"><p class=\"meta\">%s · ", t->author_id == c->rq->s.user.id ? _("You") : web_who(c->rq, t->author_id));
  day_html(c->o, t->day, web_today(&c->rq->s.user));
  sb_puts(c->o, "</p>\n");
  page_text(c->o, t->text);
  int mine = t->author_id == c->rq->s.user.id;
  if (t->replied_at) {
    /* the partner's answer, once: a heart, a line, or both */
    sb_markup(c->o, "<p class=\"response\">%s%s", mine ? web_partner_name(c->rq) : _("You"), t->heart ? _(" sent a heart") : _(" answered"));
    if (*t->reply) sb_markup(c->o, ": %s", t->reply);
    sb_puts(c->o, "</p>\n");
  } else if (!mine) {
    char id[32];
    snprintf(id, sizeof id, "reply-%lld", (long long)t->id);
    sb_markup(c->o, "<form method=\"post\" action=\"/truths/%D/reply\" class=\"inline-reply\">", t->id);
    form_csrf(c->rq, c->o);
    sb_html(c->o, "<label for=\"%s\">A line back, if you like</label>\n<input id=\"%s\" name=\"text\" type=\"text\" autocomplete=\"off\">\n"
                  "<div class=\"actions\"><button type=\"submit\" name=\"heart\" value=\"1\" class=\"secondary\">"
                  "<span aria-hidden=\"true\">\u2665</span> A heart</button> <button type=\"submit\" name=\"heart\" value=\"0\" class=\"secondary\">Answer</button></div></form>\n",
            id, id);
  }
  sb_puts(c->o, "</li>\n");
}

static void mine_today(void *p, const void *row) {
  const truth_t *t = row;
  tctx *c = p;
  if (t->author_id == c->rq->s.user.id && t->day == c->today) c->wrote_today = 1;
}

static int wrote_today(rq_t *rq, int64_t today) {
  tctx c = {rq, NULL, 0, 0, today, NULL};
  truths_list(rq->db, rq->s.user.couple_id, today, mine_today, &c);
  return c.wrote_today;
}

static int render(rq_t *rq, int status, const char *err, const char *text) {
  int64_t today = web_today(&rq->s.user);
  const user_t *partner = web_partner(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Daily truth</h1>\n<p class=\"lead\">One small true thing about yourself each day, for your partner "
             "to know: a worry, a wish, something ordinary. Missing a day is fine; two in a row ends the streak.</p>\n");
  page_error_notice(o, err);
  int mine = streak_of(rq, &rq->s.user);
  sb_plural(o, mine, "<p>Your streak: <strong>%d</strong> day.", "<p>Your streak: <strong>%d</strong> days.", mine);
  if (partner) {
    int theirs = streak_of(rq, partner);
    sb_plural(o, theirs, " %s's: <strong>%d</strong> day.", " %s's: <strong>%d</strong> days.", partner->display_name, theirs);
  }
  sb_puts(o, "</p>\n");
  if (wrote_today(rq, today)) {
    sb_text(o, "<p class=\"notice\" role=\"status\">You shared today's truth. Come back tomorrow.</p>\n");
  } else {
    sb_markup(o, "<form method=\"post\" action=\"/truths\" class=\"card\">\n");
    form_csrf(rq, o);
    page_prompt(rq, o, "truth", "If you want a start:", "prompt");
    form_textarea(o, "text", "Today's truth", text, N_("A sentence or two is plenty."), err, 2, 1);
    sb_html(o, "<button type=\"submit\">Share it</button>\n</form>\n");
  }
  sb_html(o, "<section aria-labelledby=\"tr-h\">\n<h2 id=\"tr-h\">Lately</h2>\n<ul class=\"plain\">\n");
  tctx c = {rq, o, 0, 0, today, NULL};
  if (truths_list(rq->db, rq->s.user.couple_id, today - LIST_DAYS, truth_html, &c) != DB_OK) return web_db_error(rq);
  sb_puts(o, "</ul>\n");
  if (!c.n) sb_text(o, "<p class=\"muted\">No truths yet.</p>\n");
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}


static int h_truths_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL); }

static int form_again(rq_t *rq, const verdict *v) { return render(rq, 200, v->message, web_form_text(rq, "text")); }

static int add(rq_t *rq, json_t *j) {
  size_t n;
  const char *t;
  verdict v = web_check_text(rq, j, "text", TRUTH_MAX, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id, today = web_today(&rq->s.user);
  int rc = truths_add(rq->db, rq->s.user.couple_id, rq->s.user.id, today, t, web_now(), &id);
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "already_today", "You shared today's truth already; there is one a day.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/truths");
  sb_t *o = web_out(rq);
  tctx c = {rq, o, 0, 0, today, NULL};
  truth_t tr = {id, rq->s.user.id, today, web_now(), t, 0, 0, ""};
  truth_json(&c, &tr);
  return web_created(rq, o, "/api/v1/truths", id);
}


/* The partner's heart or line on a truth, once. */
static int reply(rq_t *rq, json_t *j) {
  int64_t id = web_param_id(rq, 0);
  size_t n;
  const char *t;
  int bad = 0;
  verdict v = web_check_text(rq, j, "text", TRUTH_MAX, 0, &t, &n);
  int heart = web_flag(rq, j, "heart", &bad);
  if (!v.status && bad) v = refuse_field("heart", "Heart is true or false.");
  size_t k = 0;
  while (t && k < n && (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r')) k++;
  if (t && k == n) t = NULL; /* only spaces: no line */
  if (!v.status && !heart && !t) v = refuse_field("text", "Send a heart, or write a line back.");
  if (v.status) return web_refuse(rq, v, NULL);
  truth_t found = {0};
  /* what the caller may answer: a truth of their partner's, from the days they can see */
  if (id < 0 || truths_get(rq->db, rq->s.user.couple_id, id, &found) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such truth.", NULL);
  if (found.author_id == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "This is your own truth: your partner is the one to answer it.", NULL);
  int rc = truths_reply(rq->db, rq->s.user.couple_id, id, rq->s.user.id, heart, t ? t : "", web_now());
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "answered", "You answered this truth already.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/truths");
  sb_t *o = web_out(rq);
  web_list l;
  web_list_one(rq, &l, o, id);
  tctx c = {rq, o, 0, 0, web_today(&rq->s.user), &l};
  if (truths_list(rq->db, rq->s.user.couple_id, found.day, truth_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static int h_api_truths(rq_t *rq, json_t *j) {
  (void)j;
  int64_t today = web_today(&rq->s.user);
  const user_t *partner = web_partner(rq);
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "truths")) return 0;
  tctx c = {rq, o, 0, 0, today, &l};
  if (truths_list(rq->db, rq->s.user.couple_id, today - LIST_DAYS, truth_json, &c) != DB_OK) return web_db_error(rq);
  if (l.single) return web_list_send(&l);
  if (web_list_close(&l)) return 0;
  sb_json(o, ",\"today\":{\"written\":%r},\"streak\":{\"me\":%d,\"partner\":", wrote_today(rq, today) ? "true" : "false",
          streak_of(rq, &rq->s.user));
  if (partner) sb_json(o, "%d", streak_of(rq, partner)); else sb_puts(o, "null");
  sb_puts(o, "}}");
  return web_json(rq, 200, o);
}

const route_t truths_routes[] = {
  {"GET", "/truths", h_truths_page, R_AUTH, "truths"},
  TWIN("POST", "/truths", add, R_AUTH | R_BODY, "truths"),
  {"GET", "/api/v1/truths", h_api_truths, R_AUTH | R_LIST, "api_truths"},
  {"GET", "/api/v1/truths/{id}", h_api_truths, R_AUTH, "api_truth"},
  TWIN("POST", "/truths/{id}/reply", reply, R_AUTH | R_BODY, "truth_reply"),
  {NULL, NULL, NULL, 0, NULL},
};
