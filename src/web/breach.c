/* breach.c (web): each partner's own account of what broke trust. Neither sees the other's
   until both are written; then they stand side by side and each can acknowledge them. */
#include "web.h"
#include "html.h"
#include "core/plan.h"
#include "core/validate.h"
#include "db/breach.h"
#include <stdlib.h>
#include <string.h>


typedef struct { char *text, *root, *category, *broke; int64_t user, updated_at, acknowledged_at; int present; } account_view;
typedef struct { rq_t *rq; account_view mine, partner; } bctx;

static void keep(void *p, const void *row) {
  const breach_account_t *a = row;
  bctx *c = p;
  account_view *x = a->user_id == c->rq->s.user.id ? &c->mine : &c->partner;
  h2o_mem_pool_t *pool = &c->rq->req->pool;
  x->text = h2o_strdup(pool, a->text, SIZE_MAX).base;
  x->root = h2o_strdup(pool, a->root_cause, SIZE_MAX).base;
  x->category = h2o_strdup(pool, a->category, SIZE_MAX).base;
  x->broke = h2o_strdup(pool, a->broke_trust, SIZE_MAX).base;
  x->user = a->user_id;
  x->updated_at = a->updated_at;
  x->acknowledged_at = a->acknowledged_at;
  x->present = 1;
}

static int load(rq_t *rq, bctx *c) {
  memset(c, 0, sizeof *c);
  c->rq = rq;
  return breach_accounts(rq->db, rq->s.user.couple_id, keep, c);
}

static const char *category_name(const char *c) {
  int i = one_of(c, strlen(c), breach_categories);
  return i >= 0 ? _(breach_category_names[i]) : c;
}

/* "me"/"partner"/"both" as the writer meant it, in words for the reader. */
static const char *who_broke(rq_t *rq, const account_view *a) {
  int by_me = a->user == rq->s.user.id;
  if (!strcmp(a->broke, "both")) return "Both of you";
  int writer = !strcmp(a->broke, "me");
  if (writer == by_me) return _("You");
  const user_t *p = web_partner(rq);
  return p ? p->display_name : _("Your partner");
}

static void account_json(sb_t *o, const account_view *a) {
  char at[ISO_TIME_CHARS], ack[ISO_TIME_CHARS];
  iso_time(a->updated_at, at);
  iso_time(a->acknowledged_at, ack);
  sb_json(o, "{\"by\":%D,\"text\":%q,\"root_cause\":%q,\"category\":%q,\"broke_trust\":%q,\"updated_at\":%q,\"acknowledged_at\":%q}",
          a->user, a->text, a->root, a->category, a->broke, at, a->acknowledged_at ? ack : NULL);
}

static int breach_json(rq_t *rq, int status) {
  bctx c;
  if (load(rq, &c) != DB_OK) return web_db_error(rq);
  int both = c.mine.present && c.partner.present;
  sb_t *o = web_out(rq);
  sb_puts(o, "{\"mine\":");
  if (c.mine.present) account_json(o, &c.mine); else sb_puts(o, "null");
  sb_json(o, ",\"partner\":{\"written\":%r,\"acknowledged\":%r,\"account\":", c.partner.present ? "true" : "false",
          c.partner.acknowledged_at ? "true" : "false");
  /* until both are written, neither sees the other's words */
  if (both) account_json(o, &c.partner); else sb_puts(o, "null");
  sb_json(o, "},\"acknowledged\":%r,\"both_acknowledged\":%r}", c.mine.acknowledged_at ? "true" : "false",
          c.mine.acknowledged_at && c.partner.acknowledged_at ? "true" : "false");
  return web_json(rq, status, o);
}

static void account_html(rq_t *rq, sb_t *o, const account_view *a, const char *title) {
  sb_html(o, "<article class=\"card account\">\n<h3>%s</h3>\n<p class=\"meta\">%s · broke trust: %s</p>\n",
          title, category_name(a->category), who_broke(rq, a));
  page_text(o, a->text);
  if (a->user == rq->s.user.id) sb_text(o, "<h4>The root of it, as you see it</h4>\n");
  else sb_text(o, "<h4>The root of it, as they see it</h4>\n");
  page_text(o, a->root);
  sb_markup(o, "<p class=\"muted\">%s</p>\n</article>\n", a->acknowledged_at ? _("Acknowledged.") : _("Not acknowledged yet."));
}

static int render(rq_t *rq, int status, const char *err, const char *field, const char *text, const char *root,
                  const char *category, const char *broke) {
  bctx c;
  if (load(rq, &c) != DB_OK) return web_db_error(rq);
  const user_t *partner = web_partner(rq);
  const char *pname = partner ? partner->display_name : _("Your partner");
  int both = c.mine.present && c.partner.present, done = c.mine.acknowledged_at && c.partner.acknowledged_at;
  sb_t *o = page_start(rq, "What happened",
                      N_("Each of you writes, in your own words, what happened and what "
                      "led to it. Neither of you sees the other's account until both are written."));
  page_error_notice(o, err);
  if (both) {
    sb_markup(o, "<div class=\"side-by-side\">\n");
    account_html(rq, o, &c.mine, "Your account");
    char title[300];
    snprintf(title, sizeof title, "%s's account", pname);
    account_html(rq, o, &c.partner, title);
    sb_markup(o, "</div>\n");
    if (done) sb_html(o, "<div class=\"notice\" role=\"status\"><p>You have both acknowledged what happened.</p></div>\n");
    else if (!c.mine.acknowledged_at) {
      sb_html(o, "<form method=\"post\" action=\"/breach/acknowledge\" class=\"card\">\n<p>When you have taken both "
                 "accounts in, say so. It does not mean you agree with every word.</p>\n");
      form_csrf(rq, o);
      sb_html(o, "<button type=\"submit\">I acknowledge what happened</button></form>\n");
    } else {
      sb_html(o, "<p class=\"muted\">You acknowledged both accounts. %s has not yet.</p>\n", pname);
    }
  } else {
    if (c.partner.present) sb_html(o, "<p>%s has written their account.</p>\n", pname);
    else sb_html(o, "<p>%s has not written their account yet.</p>\n", pname);
  }
  if (!done) {
    sb_markup(o, "<form method=\"post\" action=\"/breach\" class=\"card\">\n<h2>%s</h2>\n",
            c.mine.present ? _("Your account") : _("Write your account"));
    if (c.mine.present && c.partner.present)
      sb_html(o, "<p class=\"hint\">Changing your account asks both of you to acknowledge again.</p>\n");
    form_csrf(rq, o);
    form_textarea(o, "text", "What happened", text ? text : c.mine.text, NULL,
                  field && !strcmp(field, "text") ? err : NULL, 8, 1);
    form_textarea(o, "root_cause", "What led to it, as you see it", root ? root : c.mine.root, NULL,
                  field && !strcmp(field, "root_cause") ? err : NULL, 4, 1);
    form_select(o, "category", "What kind of breach", breach_categories, breach_category_names,
                category ? category : c.mine.category, field && !strcmp(field, "category") ? err : NULL);
    static const char *const broke_names[] = {N_("My actions"), N_("My partner's actions"), N_("Both of ours"), NULL};
    /* a first account starts from the partner's path: the hurt partner's from "my partner's" */
    static const char *const by_path[] = {NULL, "partner", "me", "both"};
    const char *start = c.mine.broke && *c.mine.broke ? c.mine.broke : by_path[plan_path(rq->s.user.path)];
    form_select(o, "broke_trust", "Whose actions broke trust", breach_breakers, broke_names,
                broke ? broke : start, field && !strcmp(field, "broke_trust") ? err : NULL);
    sb_html(o, "<button type=\"submit\">Save my account</button>\n</form>\n");
  }
  return page_end(rq, o, status);
}

static int h_breach_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, NULL, NULL, NULL, NULL); }

static int form_again(rq_t *rq, const verdict *v) {
  return render(rq, 200, v->message, v->field, web_form_text(rq, "text"), web_form_text(rq, "root_cause"),
                web_form_text(rq, "category"), web_form_text(rq, "broke_trust"));
}

static int write_account(rq_t *rq, json_t *j) {
  size_t tn = 0, rn = 0, cn = 0, bn = 0;
  int bc = 0, bb = 0;
  const char *t, *r, *cat = web_text(rq, j, "category", &cn, &bc), *broke = web_text(rq, j, "broke_trust", &bn, &bb);
  verdict v = web_check_text(rq, j, "text", BREACH_ACCOUNT_MAX, 1, &t, &tn), vr = web_check_text(rq, j, "root_cause", BREACH_ROOT_MAX, 1, &r, &rn);
  if (!v.status && utf8_count(t, tn, 1) < BREACH_ACCOUNT_MIN)
    v = refuse_field("text", "Write at least 200 characters: what happened, in your own words. Your partner reads it only "
                             "once you have both written yours, so take the time it needs.");
  if (!v.status) v = vr;
  if (!v.status && (bc || !cat || one_of(cat, cn, breach_categories) < 0))
    v = refuse_field("category", "Choose one of the kinds in the list.");
  if (!v.status && (bb || (broke && one_of(broke, bn, breach_breakers) < 0))) v = refuse_field("broke_trust", "Say me, partner or both.");
  if (v.status) return web_refuse(rq, v, form_again);
  bctx c;
  if (load(rq, &c) != DB_OK) return web_db_error(rq);
  if (c.mine.acknowledged_at && c.partner.acknowledged_at)
    return web_error(rq, 409, "acknowledged", "You have both acknowledged what happened; the accounts stay as they were.", NULL);
  if (!broke) broke = c.mine.present ? c.mine.broke : "both";
  if (breach_write(rq->db, rq->s.user.couple_id, rq->s.user.id, t, r, cat, broke, web_now()) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/breach");
  return breach_json(rq, 200);
}

static int acknowledge(rq_t *rq, json_t *j) {
  (void)j;
  bctx c;
  if (load(rq, &c) != DB_OK) return web_db_error(rq);
  if (!(c.mine.present && c.partner.present))
    return web_error(rq, 409, "not_yet", "Both of you write your account first; then each can acknowledge them.", NULL);
  if (!c.mine.acknowledged_at && breach_acknowledge(rq->db, rq->s.user.couple_id, rq->s.user.id, web_now()) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/breach");
  return breach_json(rq, 200);
}

static int h_api_breach(rq_t *rq, json_t *j) { (void)j; return breach_json(rq, 200); }

const route_t breach_routes[] = {
  {"GET", "/breach", h_breach_page, R_AUTH, "breach"},
  {"POST", "/breach", write_account, R_AUTH | R_CSRF | R_BODY, "breach"},
  TWIN("POST", "/breach/acknowledge", acknowledge, R_AUTH, "breach_ack"),
  {"GET", "/api/v1/breach", h_api_breach, R_AUTH, "api_breach"},
  {"PUT", "/api/v1/breach/account", write_account, R_AUTH | R_BODY, "api_breach_account"},
  {NULL, NULL, NULL, 0, NULL},
};
