/* feelings.c (web): feelings named by either partner, private or shared; a shared one can
   be answered with "I hear you". */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "keys.h"
#include "core/plan.h"
#include "core/validate.h"
#include "db/feelings.h"
#include "core/secret.h"
#include <stdint.h>
#include <string.h>

typedef struct { rq_t *rq; sb_t *o; int n, mine; web_list *l; } fctx;

static const char *emotion_name(const char *e) {
  int i = one_of(e, strlen(e), emotions);
  return i >= 0 ? _(emotion_names[i]) : e;
}

/* A private feeling's words, opened with the caller's key (only its author ever gets one). */
static const char *words(rq_t *rq, const feeling_t *f) {
  return f->sealed ? web_unseal(rq, "feelings", f->id, f->sealed, f->sealed_n) : f->text;
}

static void feeling_json(rq_t *rq, sb_t *o, const feeling_t *f) {
  char at[ISO_TIME_CHARS], heard[ISO_TIME_CHARS];
  const char *t = words(rq, f);
  iso_time(f->created_at, at);
  iso_time(f->heard_at, heard);
  sb_json(o, "{\"id\":%D,\"by\":%D,\"emotion\":%q,\"text\":%q,\"shared\":%r,\"locked\":%r,\"created_at\":%q,\"heard_at\":%q}",
          f->id, f->author_id, f->emotion, t, f->shared ? "true" : "false", t ? "false" : "true", at,
          f->heard_at ? heard : NULL);
}

static void list_json(void *p, const void *row) {
  const feeling_t *f = row;
  fctx *c = p;
  const char *sep = web_list_take_id(c->l, f->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  feeling_json(c->rq, c->o, f);
}

static void feeling_html(void *p, const void *row) {
  const feeling_t *f = row;
  fctx *c = p;
  rq_t *rq = c->rq;
  int mine = f->author_id == rq->s.user.id;
  if (mine != c->mine) return;
  c->n++;
  sb_t *o = c->o;
  sb_markup(o, "<li class=\"card feeling%r\"><p class=\"meta\"><strong>%s</strong> · ", f->shared ? "" : " private",
          emotion_name(f->emotion));
  page_time(o, f->created_at);
  if (mine) sb_markup(o, " · %s", f->shared ? _("shared") : _("private, only you see it"));
  sb_puts(o, "</p>\n");
  const char *t = words(rq, f);
  if (t) page_text(o, t);
  else sb_text(o, "<p class=\"muted\">Locked: log out and in again to read your private words.</p>\n");
  if (mine && f->shared && f->heard_at) {
    sb_html(o, "<p class=\"muted\">%s heard this.</p>\n", web_who(rq, web_partner(rq) ? web_partner(rq)->id : 0));
  } else if (!mine && f->heard_at) {
    sb_text(o, "<p class=\"muted\">You said you hear this.</p>\n");
  } else if (!mine) {
    sb_markup(o, "<form method=\"post\" action=\"/feelings/%D/heard\">", f->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">I hear you</button></form>\n");
  }
  sb_puts(o, "</li>\n");
}

static int render(rq_t *rq, int status, const char *err, const char *field, const char *emotion, const char *text) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  const user_t *partner = web_partner(rq);
  sb_html(o, "<h1>Feelings</h1>\n<p class=\"lead\">Name what you feel, as often as you need. Anger, sadness, "
             "confusion and numbness all belong here. Keep it private, or share it with %s.</p>\n",
          partner ? partner->display_name : _("your partner"));
  page_error_notice(o, err);
  if (!err) page_saved_notice(rq, o);
  /* what was received first, then the form to write a new one, then one's own */
  for (int mine = 0; mine < 2; mine++) {
    if (mine) {
      sb_markup(o, "<form method=\"post\" action=\"/feelings\" class=\"card\">\n");
      form_csrf(rq, o);
      form_select(o, "emotion", "What you feel", emotions, emotion_names, emotion, field && !strcmp(field, "emotion") ? err : NULL);
      form_textarea(o, "text", "In your words (if you like)", text, NULL, field && !strcmp(field, "text") ? err : NULL, 4, 0);
      form_share_buttons(rq, o);
      sb_puts(o, "</form>\n");
    }
    sb_markup(o, "<section aria-labelledby=\"f%d-h\">\n<h2 id=\"f%d-h\">", mine, mine);
    if (mine) sb_text(o, "Yours");
    else sb_html(o, "What %s shared", web_partner_name(rq));
    sb_puts(o, "</h2>\n<ul class=\"plain\">\n");
    fctx c = {rq, o, 0, mine, NULL};
    if (feelings_list(rq->db, rq->s.user.couple_id, rq->s.user.id, 200, feeling_html, &c) != DB_OK) return web_db_error(rq);
    sb_puts(o, "</ul>\n");
    if (!c.n) sb_markup(o, "<p class=\"muted\">%s</p>\n", mine ? _("Nothing yet.") : _("Nothing shared yet."));
    sb_puts(o, "</section>\n");
  }
  return page_end(rq, o, status);
}

static int h_feelings_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, NULL, NULL); }

/* The form again, with the message at its field and what was sent. */
static int form_again(rq_t *rq, const verdict *v) {
  return render(rq, 200, v->message, v->field, web_form_text(rq, "emotion"), web_form_text(rq, "text"));
}

static int add(rq_t *rq, json_t *j) {
  size_t en, tn;
  int bad = 0, bad_s = 0;
  const char *e = web_text(rq, j, "emotion", &en, &bad), *t;
  int shared = web_flag(rq, j, "shared", &bad_s), chose = form_shared(rq);
  if (chose >= 0) shared = chose; /* the page's two buttons */
  verdict v = bad || !e || one_of(e, en, emotions) < 0 ? refuse_field("emotion", "Choose one of the feelings in the list.") : VERDICT_OK;
  if (!v.status) v = web_check_text(rq, j, "text", FEELING_MAX, 0, &t, &tn);
  if (!v.status && bad_s) v = refuse_field("shared", "Shared is true or false.");
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  if (!t) t = "";
  const unsigned char *sealed = NULL;
  size_t sn = 0;
  if (!shared && !(sealed = web_seal(rq, "feelings", id, t, tn, &sn))) return web_locked(rq);
  if (feelings_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, e, shared ? t : "", sealed, sn, shared, now) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, shared ? "/feelings?saved=shared" : "/feelings?saved=private");
  feeling_t f = {id, rq->s.user.id, now, 0, e, t, shared, NULL, 0};
  sb_t *o = web_out(rq);
  feeling_json(rq, o, &f);
  return web_created(rq, o, "/api/v1/feelings", id);
}

static int hear(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  feeling_t f;
  if (id < 0 || feelings_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, &f) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such feeling.", NULL);
  if (f.author_id == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "This is your own feeling: your partner is the one to answer it.", NULL);
  if (feelings_hear(rq->db, rq->s.user.couple_id, id, web_now()) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/feelings");
  sb_t *o = web_out(rq);
  web_list l;
  web_list_one(rq, &l, o, id);
  fctx c = {rq, o, 0, 0, &l};
  if (feelings_list(rq->db, rq->s.user.couple_id, rq->s.user.id, 1000, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}


static int all_rows(rq_t *rq, int limit, db_each cb, void *ctx) {
  return feelings_list(rq->db, rq->s.user.couple_id, rq->s.user.id, limit, cb, ctx);
}
static int page_rows(rq_t *rq, int64_t at, int64_t id, int limit, db_each cb, void *ctx) {
  return feelings_page(rq->db, rq->s.user.couple_id, rq->s.user.id, at, id, limit, cb, ctx);
}
static int row_at(rq_t *rq, int64_t id, int64_t *at) {
  feeling_t f;
  int rc = feelings_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, &f);
  if (rc == DB_ROW) *at = f.created_at;
  return rc;
}

static int h_api_feelings(rq_t *rq, json_t *j) {
  (void)j;
  static const web_paged paged = {"feelings", "feeling", all_rows, page_rows, row_at};
  fctx c = {rq, web_out(rq), 0, 0, NULL};
  return web_list_paged(rq, &paged, list_json, &c.l, &c);
}

const route_t feelings_routes[] = {
  {"GET", "/feelings", h_feelings_page, R_AUTH, "feelings"},
  TWIN("POST", "/feelings", add, R_AUTH | R_BODY, "feelings"),
  TWIN("POST", "/feelings/{id}/heard", hear, R_AUTH, "feeling_heard"),
  {"GET", "/api/v1/feelings", h_api_feelings, R_AUTH | R_LIST, "api_feelings"},
  {"GET", "/api/v1/feelings/{id}", h_api_feelings, R_AUTH, "api_feeling"},
  {NULL, NULL, NULL, 0, NULL},
};
