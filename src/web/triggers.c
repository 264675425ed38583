/* triggers.c (web): the trigger log. The partner who felt it logs a trigger in seconds (what,
   how strong, a note), private unless shared; the other can answer a shared one, once, with
   "I'm here" and a line. Its patterns over the weeks are on the progress page. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "keys.h"
#include "core/days.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/triggers.h"
#include "util/tz.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TRIGGER_WHAT_MAX 200
#define TRIGGER_NOTE_MAX 2000
#define TRIGGER_REPLY_MAX 1000

typedef struct { rq_t *rq; sb_t *o; int n, mine; web_list *l; } tctx;

/* A trigger's words (what, a newline, the note), opened with its author's key when private. */
static const char *words(rq_t *rq, const trigger_t *t) {
  return t->sealed ? web_unseal(rq, "triggers", t->id, t->sealed, t->sealed_n) : t->words;
}

/* Splits words into what and the note (both in the pool). */
static void split(rq_t *rq, const char *w, const char **what, const char **note) {
  *what = *note = NULL;
  if (!w) return;
  const char *nl = strchr(w, '\n');
  if (!nl) { *what = w; *note = ""; return; }
  *what = h2o_strdup(&rq->req->pool, w, (size_t)(nl - w)).base;
  *note = nl + 1;
}

static void trigger_json(rq_t *rq, sb_t *o, const trigger_t *t) {
  char at[ISO_TIME_CHARS], replied[ISO_TIME_CHARS];
  const char *what, *note;
  split(rq, words(rq, t), &what, &note);
  iso_time(t->created_at, at);
  iso_time(t->replied_at, replied);
  sb_json(o, "{\"id\":%D,\"by\":%D,\"what\":%q,\"strength\":%d,\"note\":%q,\"shared\":%r,\"locked\":%r,\"created_at\":%q,"
             "\"reply\":",
          t->id, t->author_id, what, t->strength, note, t->shared ? "true" : "false", what ? "false" : "true", at);
  if (t->replied_at) sb_json(o, "{\"text\":%q,\"at\":%q}}", t->reply ? t->reply : "", replied);
  else sb_puts(o, "null}");
}

static void list_json(void *p, const void *row) {
  const trigger_t *t = row;
  tctx *c = p;
  const char *sep = web_list_take_id(c->l, t->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  trigger_json(c->rq, c->o, t);
}

static void trigger_html(void *p, const void *row) {
  const trigger_t *t = row;
  tctx *c = p;
  rq_t *rq = c->rq;
  int mine = t->author_id == rq->s.user.id;
  if (mine != c->mine) return;
  c->n++;
  sb_t *o = c->o;
  const char *what, *note;
  split(rq, words(rq, t), &what, &note);
  sb_markup(o, "<li class=\"card trigger%r\" id=\"t-%D\"><p class=\"meta\">", t->shared ? "" : " private", t->id);
  page_time(o, t->created_at);
  sb_html(o, " · strength %d of 5", t->strength);
  if (mine) sb_markup(o, " · %s", t->shared ? _("shared") : _("private, only you see it"));
  sb_puts(o, "</p>\n");
  if (what) {
    sb_markup(o, "<p><strong>%s</strong></p>\n", what);
    if (*note) page_text(o, note);
  } else {
    sb_text(o, "<p class=\"muted\">Locked: log out and in again to read your private words.</p>\n");
  }
  if (t->replied_at) {
    if (mine) sb_html(o, "<blockquote><p class=\"meta\">%s is here for you</p>\n", web_partner_name(rq));
    else sb_text(o, "<blockquote><p class=\"meta\">You said you are here</p>\n");
    if (t->reply && *t->reply) page_text(o, t->reply);
    sb_puts(o, "</blockquote>\n");
  } else if (!mine) {
    char id[32];
    snprintf(id, sizeof id, "reply-%lld", (long long)t->id);
    sb_markup(o, "<form method=\"post\" action=\"/triggers/%D/reply\">", t->id);
    form_csrf(rq, o);
    sb_html(o, "<label for=\"%s\">A line with it, if you like</label>\n<textarea id=\"%s\" name=\"text\" rows=\"2\"></textarea>\n"
               "<button type=\"submit\">I'm here</button></form>\n", id, id);
  }
  sb_puts(o, "</li>\n");
}

typedef struct { const char *err, *field, *what, *strength, *note; } tform;

static const char *err_for(const tform *f, const char *field) {
  return f && f->err && f->field && !strcmp(f->field, field) ? f->err : NULL;
}

static void log_form(rq_t *rq, sb_t *o, const tform *f) {
  sb_text(o, "<form method=\"post\" action=\"/triggers\" class=\"card\">\n<h2>Log a trigger</h2>\n");
  form_csrf(rq, o);
  form_field(o, "what", "What brought it back", "text", f ? f->what : NULL, "off", N_("A song, a place, a name, a silence."),
             err_for(f, "what"));
  const char *err = err_for(f, "strength");
  int cur = f && f->strength ? (int)(f->strength[0] - '0') : 0;
  sb_html(o, "<fieldset class=\"scale%r\"><legend>How strong</legend>\n", err ? " invalid" : "");
  if (err) sb_markup(o, "<p class=\"error\" id=\"f-strength-error\">%s</p>\n", err);
  sb_puts(o, "<div class=\"scale-row\">");
  for (int k = 1; k <= 5; k++)
    sb_markup(o, "<span class=\"check\"><input type=\"radio\" id=\"f-strength-%d\" name=\"strength\" value=\"%d\"%r><label "
               "for=\"f-strength-%d\">%d</label></span>",
            k, k, k == cur ? " checked" : "", k, k);
  sb_text(o, "</div>\n<p class=\"hint scale-ends\">1: a flicker · 5: it took the whole day</p></fieldset>\n");
  form_textarea(o, "note", "A note (if you like)", f ? f->note : NULL, NULL, err_for(f, "note"), 2, 0);
  form_share_buttons(rq, o);
  sb_puts(o, "</form>\n");
}

static int render(rq_t *rq, int status, const tform *f) {
  sb_t *o = page_start(rq, "Triggers",
                      N_("Some moments bring it all back: a song, a place, a name, a silence. Log one in seconds, as often "
                      "as it happens; early on that can be many times a day, and that is not a failure. A trigger is "
                      "yours alone unless you share it."));
  if (f && f->err) page_error_notice(o, f->err);
  else page_saved_notice(rq, o);
  /* what was shared with you first, then the form, then your own */
  for (int mine = 0; mine < 2; mine++) {
    if (mine) log_form(rq, o, f);
    sb_markup(o, "<section aria-labelledby=\"tr%d-h\">\n<h2 id=\"tr%d-h\">", mine, mine);
    if (mine) sb_text(o, "Yours");
    else sb_html(o, "What %s shared", web_partner_name(rq));
    sb_puts(o, "</h2>\n<ul class=\"plain\">\n");
    tctx c = {rq, o, 0, mine, NULL};
    if (triggers_list(rq->db, rq->s.user.couple_id, rq->s.user.id, 200, trigger_html, &c) != DB_OK) return web_db_error(rq);
    sb_puts(o, "</ul>\n");
    if (!c.n) sb_markup(o, "<p class=\"muted\">%s</p>\n", mine ? _("Nothing logged yet.") : _("Nothing shared yet."));
    sb_puts(o, "</section>\n");
  }
  sb_text(o, "<p><a href=\"/dashboard#triggers-h\">When they come, over the weeks</a></p>\n");
  return page_end(rq, o, status);
}

static int h_triggers_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

static int form_again(rq_t *rq, const verdict *v) {
  tform f = {v->message, v->field, web_form_text(rq, "what"), web_form_text(rq, "strength"), web_form_text(rq, "note")};
  if (f.strength && (strlen(f.strength) != 1 || f.strength[0] < '1' || f.strength[0] > '5')) f.strength = NULL;
  return render(rq, 200, &f);
}

static int add(rq_t *rq, json_t *j) {
  size_t wn, nn, sn;
  int bad_s = 0, bs = 0;
  const char *what, *note;
  verdict v = web_check_text(rq, j, "what", TRIGGER_WHAT_MAX, 1, &what, &wn);
  if (!v.status && memchr(what, '\n', wn)) v = refuse_field("what", "Say what brought it back in one line; the note can hold more.");
  verdict vn = web_check_text(rq, j, "note", TRIGGER_NOTE_MAX, 0, &note, &nn);
  int strength = 0;
  if (j) {
    json_t *s = json_object_get(j, "strength");
    if (json_is_integer(s)) strength = (int)json_integer_value(s);
  } else {
    const char *s = web_text(rq, NULL, "strength", &sn, &bs);
    if (s && !bs && sn == 1) strength = s[0] - '0';
  }
  if (!v.status && (strength < 1 || strength > 5)) v = refuse_field("strength", "Choose how strong it was, from 1 to 5.");
  if (!v.status) v = vn;
  int shared = web_flag(rq, j, "shared", &bad_s), chose = form_shared(rq);
  if (chose >= 0) shared = chose; /* the page's two buttons */
  if (!v.status && bad_s) v = refuse_field("shared", "Shared is true or false.");
  if (v.status) return web_refuse(rq, v, form_again);
  /* what, a newline, the note: one text, sealed whole while private */
  sb_t w;
  sb_init(&w, wn + nn + 2);
  sb_put(&w, what, wn);
  if (note && nn) { sb_putc(&w, '\n'); sb_put(&w, note, nn); }
  int64_t id = secret_id(), now = web_now();
  int64_t local = now + tz_offset(rq->s.user.timezone[0] ? rq->s.user.timezone : "UTC", now);
  int minute = (int)((local % SECONDS_PER_DAY + SECONDS_PER_DAY) % SECONDS_PER_DAY / 60);
  int weekday = day_weekday(web_today(&rq->s.user));
  const char *all = h2o_strdup(&rq->req->pool, w.buf, w.len).base;
  sb_free(&w);
  const unsigned char *sealed = NULL;
  size_t sealed_n = 0;
  if (!shared && !(sealed = web_seal(rq, "triggers", id, all, strlen(all), &sealed_n))) return web_locked(rq);
  if (triggers_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, strength, shared ? all : "", sealed, sealed_n, shared, minute,
                   weekday, now) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, shared ? "/triggers?saved=shared" : "/triggers?saved=private");
  /* the answer shows what was written (only the sealed copy is kept of a private one) */
  trigger_t t = {.id = id, .author_id = rq->s.user.id, .created_at = now, .strength = strength, .shared = shared,
                 .local_minute = minute, .local_weekday = weekday, .words = all};
  sb_t *o = web_out(rq);
  trigger_json(rq, o, &t);
  return web_created(rq, o, "/api/v1/triggers", id);
}

static int reply(rq_t *rq, json_t *j) {
  int64_t id = web_param_id(rq, 0);
  trigger_t t;
  if (id < 0 || triggers_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, &t) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such trigger.", NULL);
  if (t.author_id == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "This is your own trigger: your partner is the one to answer it.", NULL);
  const char *text;
  size_t n;
  verdict v = web_check_text(rq, j, "text", TRIGGER_REPLY_MAX, 0, &text, &n);
  if (v.status) return web_refuse(rq, v, NULL);
  int rc = triggers_reply(rq->db, rq->s.user.couple_id, id, rq->s.user.id, text ? text : "", web_now());
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "answered", "You answered this one already.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/triggers");
  sb_t *o = web_out(rq);
  web_list l;
  web_list_one(rq, &l, o, id);
  tctx c = {rq, o, 0, 0, &l};
  if (triggers_list(rq->db, rq->s.user.couple_id, rq->s.user.id, 1000, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static int all_rows(rq_t *rq, int limit, db_each cb, void *ctx) {
  return triggers_list(rq->db, rq->s.user.couple_id, rq->s.user.id, limit, cb, ctx);
}
static int page_rows(rq_t *rq, int64_t at, int64_t id, int limit, db_each cb, void *ctx) {
  return triggers_page(rq->db, rq->s.user.couple_id, rq->s.user.id, at, id, limit, cb, ctx);
}
static int row_at(rq_t *rq, int64_t id, int64_t *at) {
  trigger_t t;
  int rc = triggers_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, &t);
  if (rc == DB_ROW) *at = t.created_at;
  return rc;
}

static int h_api_triggers(rq_t *rq, json_t *j) {
  (void)j;
  static const web_paged paged = {"triggers", "trigger", all_rows, page_rows, row_at};
  tctx c = {rq, web_out(rq), 0, 0, NULL};
  return web_list_paged(rq, &paged, list_json, &c.l, &c);
}

const route_t triggers_routes[] = {
  {"GET", "/triggers", h_triggers_page, R_AUTH, "triggers"},
  TWIN("POST", "/triggers", add, R_AUTH | R_BODY, "triggers"),
  TWIN("POST", "/triggers/{id}/reply", reply, R_AUTH | R_BODY, "trigger_reply"),
  {"GET", "/api/v1/triggers", h_api_triggers, R_AUTH | R_LIST, "api_triggers"},
  {"GET", "/api/v1/triggers/{id}", h_api_triggers, R_AUTH, "api_trigger"},
  {NULL, NULL, NULL, 0, NULL},
};
