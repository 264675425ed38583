/* timeouts.c (web): time-outs, for when one of you is flooded and nothing good can be said for
   a while. The couple agrees its rule once (how long, how to come back); either calls one from
   any page in one tap; every page then says until when, and both are reminded to come back.
   Calling one is never a mark against anyone: nothing counts who called them. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/timeouts.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_TEXT "Whoever called it says when they are ready, and we sit down together again."

static void rule_json(sb_t *o, const timeout_rule *r) {
  char set[ISO_TIME_CHARS], agreed[ISO_TIME_CHARS];
  iso_time(r->set_at, set);
  iso_time(r->agreed_at, agreed);
  sb_json(o, "{\"set\":%r,\"minutes\":%d,\"text\":%q,", r->set ? "true" : "false", r->set ? r->minutes : TIMEOUT_MINUTES_DEFAULT,
          r->set ? r->text : "");
  if (r->set) sb_json(o, "\"set_by\":%D,\"set_at\":%q,", r->set_by, set);
  else sb_puts(o, "\"set_by\":null,\"set_at\":null,");
  if (r->agreed_by) sb_json(o, "\"agreed\":true,\"agreed_by\":%D,\"agreed_at\":%q}", r->agreed_by, agreed);
  else sb_puts(o, "\"agreed\":false,\"agreed_by\":null,\"agreed_at\":null}");
}

static void timeout_json(rq_t *rq, sb_t *o, const timeout_t *t) {
  char at[ISO_TIME_CHARS], until[ISO_TIME_CHARS];
  iso_time(t->called_at, at);
  iso_time(t->ends_at, until);
  sb_json(o, "{\"id\":%D,\"called_at\":%q,\"until\":%q,\"running\":%r,\"mine\":%r}", t->id, at, until,
          t->ends_at > web_now() ? "true" : "false", t->called_by == rq->s.user.id ? "true" : "false");
}

typedef struct { rq_t *rq; sb_t *o; int n; web_list *l; } tctx;

static void list_json(void *p, const void *row) {
  tctx *c = p;
  const timeout_t *t = row;
  const char *sep = web_list_take_id(c->l, t->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  timeout_json(c->rq, c->o, t);
}

static void past_html(void *p, const void *row) {
  tctx *c = p;
  const timeout_t *t = row;
  if (!c->n++) sb_puts(c->o, "<ul class=\"plain\">\n");
  sb_puts(c->o, "<li>");
  page_time(c->o, t->called_at);
  sb_puts(c->o, ", ");
  page_clock(c->rq, c->o, t->called_at);
  sb_text(c->o, " to ");
  page_clock(c->rq, c->o, t->ends_at);
  sb_puts(c->o, "</li>\n");
}

typedef struct { const char *err, *field; } rform;

static int render(rq_t *rq, int status, const rform *f) {
  sb_t *o = page_start(rq, "Time-outs",
                      N_("When a talk turns into a flood (a racing heart, words that only hurt, wanting to win or to run), "
                      "nothing good is said for a while. A time-out is a pause you both agreed to in a calm hour: "
                      "whoever feels it coming calls it, you part for the time agreed, and you come back. Calling one "
                      "is never a mark against anyone; it keeps you both safe."));
  if (f && f->err) page_error_notice(o, f->err);
  timeout_rule r;
  if (timeout_rule_get(rq->db, rq->s.user.couple_id, &r) != DB_OK) return web_db_error(rq);
  int64_t now = web_now();
  sb_text(o, "<section class=\"card\" aria-labelledby=\"to-now-h\">\n<h2 id=\"to-now-h\">Now</h2>\n");
  if (rq->s.timeout_until > now) {
    sb_text(o, "<p>A time-out is on until ");
    page_clock(rq, o, rq->s.timeout_until);
    sb_text(o, ". Breathe slowly, walk, drink some water; do something that calms your body. Then come back: ");
    sb_markup(o, "%s</p>\n", r.set ? r.text : DEFAULT_TEXT);
  } else {
    sb_html(o, "<p>No time-out is on. One lasts %d minutes", r.set ? r.minutes : TIMEOUT_MINUTES_DEFAULT);
    sb_markup(o, "%s</p>\n", r.set ? "." : _(", until you agree on your own rule below."));
    sb_puts(o, "<form method=\"post\" action=\"/timeouts\">");
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\">Call a time-out</button></form>\n");
  }
  sb_text(o, "</section>\n<section class=\"card\" aria-labelledby=\"to-rule-h\">\n<h2 id=\"to-rule-h\">Your rule</h2>\n");
  const user_t *p = web_partner(rq);
  if (r.set) {
    sb_html(o, "<p><strong>%d minutes.</strong> %s</p>\n<p class=\"meta\">", r.minutes, r.text);
    if (r.agreed_by) sb_text(o, "You both agreed to it.");
    else if (r.set_by == rq->s.user.id) sb_html(o, "You set it; it waits for %s to agree.", web_partner_name(rq));
    else sb_html(o, "%s set it. Agree to it, or say it in your own words below.", web_who(rq, r.set_by));
    sb_puts(o, "</p>\n");
    if (!r.agreed_by && r.set_by != rq->s.user.id) {
      sb_puts(o, "<form method=\"post\" action=\"/timeout-rule\">");
      form_csrf(rq, o);
      sb_text(o, "<input type=\"hidden\" name=\"agree\" value=\"1\"><button type=\"submit\">I agree to this rule</button></form>\n");
    }
  } else {
    sb_html(o, "<p>No rule yet. Agree on one together in a calm moment; %s</p>\n",
            p ? _("one of you writes it, the other agrees.") : _("write one now, and your partner agrees once they join."));
  }
  sb_puts(o, "<form method=\"post\" action=\"/timeout-rule\">\n");
  form_csrf(rq, o);
  char minutes[12];
  snprintf(minutes, sizeof minutes, "%d", r.set ? r.minutes : TIMEOUT_MINUTES_DEFAULT);
  const char *err_m = f && f->field && !strcmp(f->field, "minutes") ? f->err : NULL,
             *err_t = f && f->field && !strcmp(f->field, "text") ? f->err : NULL;
  form_field(o, "minutes", "How long, in minutes (5 to 240)", "number", f ? web_form_text(rq, "minutes") : minutes, "off",
             N_("Twenty minutes is about how long a body takes to calm down."), err_m);
  form_textarea(o, "text", "How you come back", f ? web_form_text(rq, "text") : r.set ? r.text : NULL,
                N_("Who says when, where you sit down again, what you say first."), err_t, 3, 1);
  sb_markup(o, "<button type=\"submit\" class=\"secondary\">%s</button>\n</form>\n</section>\n",
          r.set ? _("Change the rule") : _("Propose this rule"));
  sb_text(o, "<section aria-labelledby=\"to-past-h\">\n<h2 id=\"to-past-h\">Time-outs you took</h2>\n");
  tctx c = {rq, o, 0, NULL};
  if (timeouts_list(rq->db, rq->s.user.couple_id, 20, past_html, &c) != DB_OK) return web_db_error(rq);
  if (c.n) sb_puts(o, "</ul>\n");
  else sb_text(o, "<p class=\"muted\">None yet.</p>\n");
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}

static int h_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

static int form_again(rq_t *rq, const verdict *v) {
  rform f = {v->message, v->field};
  return render(rq, 200, &f);
}

static int rule_put(rq_t *rq, json_t *j) {
  if (!rq->api && web_form_text(rq, "agree")) {
    /* the page's one button: agree to the rule as it stands */
    timeout_rule r;
    if (timeout_rule_get(rq->db, rq->s.user.couple_id, &r) != DB_OK) return web_db_error(rq);
    if (r.set && timeout_rule_put(rq->db, rq->s.user.couple_id, rq->s.user.id, r.minutes, r.text, web_now()) != DB_OK)
      return web_db_error(rq);
    return web_redirect(rq, "/timeouts");
  }
  int64_t minutes = 0;
  int got = web_int(rq, j, "minutes", &minutes);
  verdict v = VERDICT_OK;
  if (got <= 0 || minutes < 5 || minutes > 240) v = refuse_field("minutes", "Say how long a time-out lasts: 5 to 240 minutes.");
  const char *text;
  size_t n;
  verdict vt = web_check_text(rq, j, "text", TIMEOUT_TEXT_MAX, 1, &text, &n);
  if (!v.status) v = vt;
  if (v.status) return web_refuse(rq, v, form_again);
  if (timeout_rule_put(rq->db, rq->s.user.couple_id, rq->s.user.id, (int)minutes, text, web_now()) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/timeouts");
  timeout_rule r;
  if (timeout_rule_get(rq->db, rq->s.user.couple_id, &r) != DB_OK) return web_db_error(rq);
  sb_t *o = web_out(rq);
  rule_json(o, &r);
  return web_json(rq, 200, o);
}

static int h_api_rule(rq_t *rq, json_t *j) {
  (void)j;
  timeout_rule r;
  if (timeout_rule_get(rq->db, rq->s.user.couple_id, &r) != DB_OK) return web_db_error(rq);
  sb_t *o = web_out(rq);
  rule_json(o, &r);
  return web_json(rq, 200, o);
}

/* One tap: the rule's length from now; a second tap (or the partner's at the same moment)
   while one runs calls no other. */
static int call(rq_t *rq, json_t *j) {
  (void)j;
  timeout_rule r;
  if (timeout_rule_get(rq->db, rq->s.user.couple_id, &r) != DB_OK) return web_db_error(rq);
  int64_t now = web_now(), minutes = r.set ? r.minutes : TIMEOUT_MINUTES_DEFAULT;
  timeout_t t;
  int rc = timeouts_call(rq->db, rq->s.user.couple_id, secret_id(), rq->s.user.id, now, now + minutes * 60, &t);
  if (rc != DB_OK && rc != DB_DONE) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/timeouts");
  sb_t *o = web_out(rq);
  timeout_json(rq, o, &t);
  return rc == DB_OK ? web_created(rq, o, "/api/v1/timeouts", t.id) : web_json(rq, 200, o);
}

static int h_api_list(rq_t *rq, json_t *j) {
  (void)j;
  web_list l;
  tctx c = {rq, web_out(rq), 0, &l};
  if (web_list_open(rq, &l, c.o, "timeouts") != 0) return 0;
  if (timeouts_list(rq->db, rq->s.user.couple_id, 1000, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t timeouts_routes[] = {
  {"GET", "/timeouts", h_page, R_AUTH, "timeouts"},
  TWIN("POST", "/timeouts", call, R_AUTH, "timeouts"),
  {"GET", "/api/v1/timeouts", h_api_list, R_AUTH | R_LIST, "api_timeouts"},
  {"GET", "/api/v1/timeouts/{id}", h_api_list, R_AUTH, "api_timeout"},
  {"POST", "/timeout-rule", rule_put, R_AUTH | R_CSRF | R_BODY, "timeout_rule"},
  {"GET", "/api/v1/timeout-rule", h_api_rule, R_AUTH, "api_timeout_rule"},
  {"PUT", "/api/v1/timeout-rule", rule_put, R_AUTH | R_BODY, "api_timeout_rule"},
  {NULL, NULL, NULL, 0, NULL},
};
