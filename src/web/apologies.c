/* apologies.c (web): the apology workshop. Drafts are private to their author and checked
   by the coach at every save, its findings marked in place; a delivered apology goes to the
   partner, who can say whether they feel heard. Every apology is kept. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/plan.h"
#include "keys.h"
#include "core/secret.h"
#include "core/coach.h"
#include "core/validate.h"
#include "db/apologies.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct { rq_t *rq; sb_t *o; int n, mine; web_list *l; } actx;

static void coach_report_json(sb_t *o, const char *text) {
  coach_result r;
  if (coach_analyze(text, strlen(text), COACH_APOLOGY, i18n_index(i18n_current()), &r) != 0) { sb_puts(o, "null"); return; }
  coach_json(&r, text, o);
  coach_free(&r);
}

/* A draft's words are sealed with its author's key; a given apology's are open. NULL when
   this session cannot open them. */
static const char *words(rq_t *rq, const apology_t *a) {
  if (!a->sealed) return a->text;
  return a->author_id == rq->s.user.id ? web_unseal(rq, "apologies", a->id, a->sealed, a->sealed_n) : NULL;
}

static void apology_json(rq_t *rq, sb_t *o, const apology_t *a) {
  char at[ISO_TIME_CHARS], up[ISO_TIME_CHARS], del[ISO_TIME_CHARS], resp[ISO_TIME_CHARS];
  const char *t = words(rq, a);
  iso_time(a->created_at, at);
  iso_time(a->updated_at, up);
  iso_time(a->delivered_at, del);
  iso_time(a->responded_at, resp);
  int mine = a->author_id == rq->s.user.id;
  sb_json(o, "{\"id\":%D,\"by\":%D,\"status\":%q,\"text\":%q,\"locked\":%r,\"created_at\":%q,\"updated_at\":%q,"
             "\"delivered_at\":%q,\"response\":",
          a->id, a->author_id, a->delivered_at ? "delivered" : "draft", t, t ? "false" : "true", at, up,
          a->delivered_at ? del : NULL);
  if (a->responded_at)
    sb_json(o, "{\"heard\":%r,\"note\":%q,\"at\":%q}", a->heard == 1 ? "true" : "false", a->note ? a->note : "", resp);
  else sb_puts(o, "null");
  /* the coach's findings are for the author's eyes */
  if (mine) { sb_puts(o, ",\"coach\":"); if (t) coach_report_json(o, t); else sb_puts(o, "null"); }
  sb_putc(o, '}');
}

static void list_json(void *p, const void *row) {
  const apology_t *a = row;
  actx *c = p;
  const char *sep = web_list_take_id(c->l, a->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  apology_json(c->rq, c->o, a);
}

static void apology_html(void *p, const void *row) {
  const apology_t *a = row;
  actx *c = p;
  rq_t *rq = c->rq;
  sb_t *o = c->o;
  int mine = a->author_id == rq->s.user.id;
  if (mine != c->mine) return;
  c->n++;
  sb_markup(o, "<article class=\"card apology\" id=\"a-%D\">\n<p class=\"meta\">", a->id);
  if (a->delivered_at) { sb_text(o, "Given on "); page_time(o, a->delivered_at); }
  else { sb_text(o, "Draft, only you see it · saved "); page_time(o, a->updated_at); }
  sb_puts(o, "</p>\n");
  const char *t = words(rq, a);
  if (mine && !a->delivered_at && !t) {
    sb_text(o, "<p class=\"muted\">Locked: log out and in again to read your draft.</p>\n");
  } else if (mine && !a->delivered_at) {
    page_coach(o, t, COACH_APOLOGY);
    char id[32];
    snprintf(id, sizeof id, "edit-%lld", (long long)a->id);
    sb_markup(o, "<form method=\"post\" action=\"/apologies/%D\">", a->id);
    form_csrf(rq, o);
    sb_html(o, "<label for=\"%s\">Rewrite it</label>\n<textarea id=\"%s\" name=\"text\" rows=\"6\" required>\n%s</textarea>\n"
               "<button type=\"submit\" class=\"secondary\">Save and check again</button></form>\n", id, id, t);
    sb_markup(o, "<form method=\"post\" action=\"/apologies/%D/deliver\">", a->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\">Give it to your partner</button></form>\n");
  } else {
    page_text(o, t);
  }
  if (a->delivered_at) {
    if (a->responded_at) {
      if (mine)
        sb_markup(o, "<p class=\"response\"><strong>%s</strong> %s</p>\n", web_partner(rq) ? web_partner(rq)->display_name : _("Your partner"),
                a->heard == 1 ? _("feels heard.") : _("does not feel heard yet."));
      else
        sb_html(o, "<p class=\"response\">You said: <strong>%s</strong></p>\n", a->heard == 1 ? _("I feel heard.") : _("Not yet."));
      if (a->note && *a->note) page_text(o, a->note);
    } else if (mine) {
      sb_text(o, "<p class=\"muted\">Your partner has not answered yet. There is no hurry.</p>\n");
    }
    if (!mine) {
      char id[32];
      snprintf(id, sizeof id, "note-%lld", (long long)a->id);
      sb_markup(o, "<form method=\"post\" action=\"/apologies/%D/response\" class=\"response-form\">", a->id);
      form_csrf(rq, o);
      sb_html(o, "<fieldset><legend>Do you feel heard?</legend>\n"
                 "<div class=\"check\"><input type=\"radio\" id=\"%s-y\" name=\"heard\" value=\"1\"%r><label for=\"%s-y\">I feel heard</label></div>\n"
                 "<div class=\"check\"><input type=\"radio\" id=\"%s-n\" name=\"heard\" value=\"0\"%r><label for=\"%s-n\">Not yet</label></div>\n"
                 "</fieldset>\n<label for=\"%s\">A note, if you want</label>\n<textarea id=\"%s\" name=\"note\" rows=\"2\"></textarea>\n"
                 "<button type=\"submit\">Answer</button></form>\n",
              id, a->heard == 1 ? " checked" : "", id, id, a->heard != 1 ? " checked" : "", id, id, id);
    }
  }
  sb_puts(o, "</article>\n");
}

static int render(rq_t *rq, int status, const char *err, const char *text) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Apologies</h1>\n<p class=\"lead\">A real apology owns what happened, names the harm and makes no "
             "excuses. Write a draft; the coach points at what helps and what may work against it. Nobody sees "
             "a draft but you, until you give it.</p>\n");
  page_error_notice(o, err);
  /* what was received first, then the form to write a new one, then one's own */
  for (int mine = 0; mine < 2; mine++) {
    if (mine) {
      /* the hurt partner's path receives apologies: writing one of their own stays one tap away */
      int folded = plan_path(rq->s.user.path) == PATH_HURT && !err;
      if (folded) sb_text(o, "<details class=\"card\"><summary>Write an apology of your own</summary>\n");
      sb_markup(o, "<form method=\"post\" action=\"/apologies\"%r>\n", folded ? "" : " class=\"card\"");
      form_csrf(rq, o);
      form_textarea(o, "text", "A new apology", text, NULL, err, 6, 1);
      sb_html(o, "<button type=\"submit\">Save draft</button>\n</form>\n");
      if (folded) sb_puts(o, "</details>\n");
    }
    sb_markup(o, "<section aria-labelledby=\"a%d-h\">\n<h2 id=\"a%d-h\">%s</h2>\n", mine, mine,
            mine ? _("Yours") : _("Apologies to you"));
    actx c = {rq, o, 0, mine, NULL};
    if (apologies_list(rq->db, rq->s.user.couple_id, rq->s.user.id, apology_html, &c) != DB_OK) return web_db_error(rq);
    if (!c.n) sb_markup(o, "<p class=\"muted\">%s</p>\n", mine ? _("None yet.") : _("None yet."));
    sb_puts(o, "</section>\n");
  }
  return page_end(rq, o, status);
}

static int h_apologies_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL); }

typedef struct { rq_t *rq; sb_t *o; const char *text; } one_ctx;
static void one_json(void *p, const void *row) {
  const apology_t *a = row;
  one_ctx *c = p;
  apology_json(c->rq, c->o, a);
}

/* Answers with one apology as JSON, read back from the database. */
static int one(rq_t *rq, int64_t id, int status) {
  one_ctx c = {rq, web_out(rq), NULL};
  if (apologies_get_cb(rq->db, rq->s.user.couple_id, rq->s.user.id, id, one_json, &c) != DB_ROW) return web_db_error(rq);
  if (status == 201) return web_created(rq, c.o, "/api/v1/apologies", id);
  return web_json(rq, status, c.o);
}

/* The page again: a refused draft shows its words in the draft's form. */
static int form_again(rq_t *rq, const verdict *v) {
  return render(rq, 200, v->message, v->field && !strcmp(v->field, "text") ? web_form_text(rq, "text") : NULL);
}

static verdict read_text(rq_t *rq, json_t *j, const char **t) {
  size_t n;
  verdict v = web_check_text(rq, j, "text", COACH_MAX_TEXT, 1, t, &n);
  if (!v.status && n > COACH_MAX_TEXT) v = refuse_field("text", "An apology is kept up to 64 KiB.");
  return v;
}

static int draft(rq_t *rq, json_t *j) {
  const char *t;
  verdict v = read_text(rq, j, &t);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id();
  size_t sn;
  const unsigned char *sealed = web_seal(rq, "apologies", id, t, strlen(t), &sn);
  if (!sealed) return web_locked(rq);
  if (apologies_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, "", sealed, sn, web_now()) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/apologies");
  return one(rq, id, 201);
}

/* Loads the route's apology for an action only its author may take. 0 when answered. */
static int load_own(rq_t *rq, apology_t *a, const char *not_mine) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || apologies_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, a) != DB_ROW) {
    web_error(rq, 404, "not_found", "There is no such apology.", NULL);
    return 0;
  }
  if (a->author_id != rq->s.user.id) { web_error(rq, 403, "not_your_turn", not_mine, NULL); return 0; }
  return 1;
}

static int edit(rq_t *rq, json_t *j) {
  apology_t a;
  if (!load_own(rq, &a, "This is your partner's apology; only they can change it.")) return 0;
  if (a.delivered_at) return web_error(rq, 409, "delivered", "This apology was given already; it stays as it was. Write a new one.", NULL);
  const char *t;
  verdict v = read_text(rq, j, &t);
  if (v.status) return web_refuse(rq, v, form_again);
  size_t sn;
  const unsigned char *sealed = web_seal(rq, "apologies", a.id, t, strlen(t), &sn);
  if (!sealed) return web_locked(rq);
  if (apologies_edit(rq->db, rq->s.user.couple_id, a.id, "", sealed, sn, web_now()) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/apologies");
  return one(rq, a.id, 200);
}

static void open_words(void *p, const void *row) {
  const apology_t *a = row;
  one_ctx *c = p;
  const char *t = words(c->rq, a);
  c->text = t && !a->sealed ? h2o_strdup(&c->rq->req->pool, t, SIZE_MAX).base : t;
}

static int deliver(rq_t *rq, json_t *j) {
  (void)j;
  apology_t a;
  if (!load_own(rq, &a, "This is your partner's apology; only they can give it.")) return 0;
  if (a.delivered_at) return web_error(rq, 409, "delivered", "This apology was given already.", NULL);
  if (!web_partner(rq)) return web_error(rq, 409, "no_partner", "Your partner has not joined yet.", NULL);
  /* giving it opens the sealed draft: from now on the partner reads it */
  one_ctx c = {rq, NULL, NULL};
  if (apologies_get_cb(rq->db, rq->s.user.couple_id, rq->s.user.id, a.id, open_words, &c) != DB_ROW) return web_db_error(rq);
  if (!c.text) return web_locked(rq);
  char action[64];
  snprintf(action, sizeof action, "/apologies/%lld/deliver", (long long)a.id);
  if (page_give_anyway(rq, c.text, COACH_APOLOGY, action, "/apologies")) return 0;
  if (apologies_deliver(rq->db, rq->s.user.couple_id, a.id, c.text, web_now()) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/apologies");
  return one(rq, a.id, 200);
}

static int respond(rq_t *rq, json_t *j) {
  int64_t id = web_param_id(rq, 0);
  apology_t a;
  if (id < 0 || apologies_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, &a) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such apology.", NULL);
  if (a.author_id == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "This is your own apology: your partner is the one to answer it.", NULL);
  int bad = 0, heard;
  if (j) {
    json_t *h = json_object_get(j, "heard");
    if (!json_is_boolean(h)) return web_refuse(rq, (verdict){422, "invalid", N_("Say whether you feel heard: true or false."), "heard"}, NULL);
    heard = json_is_true(h);
  } else {
    heard = web_flag(rq, NULL, "heard", &bad);
  }
  size_t nn = 0;
  const char *note;
  verdict v = web_check_text(rq, j, "note", NOTE_MAX, 0, &note, &nn);
  if (v.status) return web_refuse(rq, v, form_again);
  if (apologies_respond(rq->db, rq->s.user.couple_id, a.id, heard, note ? note : "", web_now()) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/apologies");
  return one(rq, a.id, 200);
}


static int h_api_apologies(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "apologies")) return 0;
  actx c = {rq, o, 0, 0, &l};
  if (apologies_list(rq->db, rq->s.user.couple_id, rq->s.user.id, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t apologies_routes[] = {
  {"GET", "/apologies", h_apologies_page, R_AUTH, "apologies"},
  TWIN("POST", "/apologies", draft, R_AUTH | R_BODY, "apologies"),
  {"POST", "/apologies/{id}", edit, R_AUTH | R_CSRF | R_BODY, "apology_edit"},
  TWIN("POST", "/apologies/{id}/deliver", deliver, R_AUTH, "apology_deliver"),
  TWIN("POST", "/apologies/{id}/response", respond, R_AUTH | R_BODY, "apology_response"),
  {"GET", "/api/v1/apologies", h_api_apologies, R_AUTH | R_LIST, "api_apologies"},
  {"GET", "/api/v1/apologies/{id}", h_api_apologies, R_AUTH, "api_apology"},
  {"PATCH", "/api/v1/apologies/{id}", edit, R_AUTH | R_BODY, "api_apology"},
  {NULL, NULL, NULL, 0, NULL},
};
