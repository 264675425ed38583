/* agreements.c (web): agreements both sign. A proposal becomes active when the other partner
   signs it; a revision is a new version that replaces the active one only once signed; an
   agreement is retired when both ask. Every step lands in the ledger. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/commitments.h"
#include "core/validate.h"
#include "db/agreements.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct { rq_t *rq; sb_t *o; int n, section; web_list *l; } agctx;

static const char *category_name(const char *c) {
  int i = c ? one_of(c, strlen(c), ag_categories) : -1;
  return i >= 0 ? ag_category_names[i] : "Something else";
}

/* The second signer is the partner who did not propose. */
static int64_t second_signer(rq_t *rq, const agreement_t *a) {
  if (!a->other_signed_at) return 0;
  if (a->proposed_by != rq->s.user.id) return rq->s.user.id;
  const user_t *p = web_partner(rq);
  return p ? p->id : 0;
}

static void ag_json(rq_t *rq, sb_t *o, const agreement_t *a) {
  char at[ISO_TIME_CHARS], act[ISO_TIME_CHARS], ret[ISO_TIME_CHARS];
  iso_time(a->created_at, at);
  iso_time(a->activated_at, act);
  iso_time(a->retired_at, ret);
  sb_json(o, "{\"id\":%D,\"root_id\":%D,\"version\":%D,\"title\":%q,\"text\":%q,\"category\":%q,\"status\":%q,"
             "\"by\":%D,\"signed_by\":[%D",
          a->id, a->root_id, a->version, a->title, a->text, a->category, ag_status_names[a->status], a->proposed_by, a->proposed_by);
  int64_t second = second_signer(rq, a);
  if (second) sb_json(o, ",%D", second);
  sb_json(o, "],\"created_at\":%q,\"activated_at\":%q,\"retire_asked_by\":", at, a->activated_at ? act : NULL);
  if (a->retire_asked_by) sb_json(o, "%D", a->retire_asked_by); else sb_puts(o, "null");
  sb_json(o, ",\"retired_at\":%q}", a->retired_at ? ret : NULL);
}

static void list_json(void *p, const void *row) {
  const agreement_t *a = row;
  agctx *c = p;
  const char *sep = web_list_take_id(c->l, a->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  ag_json(c->rq, c->o, a);
}

/* section 0: active; 1: waiting for me; 2: waiting for my partner; 3: history */
static int section_of(rq_t *rq, const agreement_t *a) {
  if (a->status == AG_ACTIVE) return 0;
  if (a->status == AG_PROPOSED) return a->proposed_by == rq->s.user.id ? 2 : 1;
  return 3;
}

static void ag_html(void *p, const void *row) {
  const agreement_t *a = row;
  agctx *c = p;
  rq_t *rq = c->rq;
  sb_t *o = c->o;
  if (section_of(rq, a) != c->section) return;
  c->n++;
  sb_html(o, "<article class=\"card agreement\" id=\"ag-%D\">\n<h3>%s</h3>\n<p class=\"meta\">%s · version %D · ",
          a->id, a->title, category_name(a->category), a->version);
  switch (a->status) {
    case AG_ACTIVE: sb_puts(o, "in force since "); page_time(o, a->activated_at); break;
    case AG_PROPOSED: sb_html(o, "proposed by %s on ", web_who(rq, a->proposed_by)); page_time(o, a->created_at); break;
    case AG_SUPERSEDED: sb_puts(o, "replaced by a newer version"); break;
    case AG_RETIRED: sb_puts(o, "retired on "); page_time(o, a->retired_at); break;
  }
  sb_puts(o, "</p>\n");
  page_text(o, a->text);
  if (a->status == AG_PROPOSED && a->proposed_by != rq->s.user.id) {
    sb_html(o, "<form method=\"post\" action=\"/agreements/%D/sign\">", a->id);
    form_csrf(rq, o);
    sb_puts(o, "<button type=\"submit\">Sign it</button></form>\n");
  }
  if (a->status == AG_ACTIVE) {
    if (a->retire_asked_by == rq->s.user.id) {
      sb_puts(o, "<p class=\"muted\">You asked to retire this. It stays in force until your partner agrees.</p>\n");
    } else {
      if (a->retire_asked_by) sb_html(o, "<p><strong>%s asked to retire this.</strong></p>\n", web_who(rq, a->retire_asked_by));
      sb_html(o, "<form method=\"post\" action=\"/agreements/%D/retire\">", a->id);
      form_csrf(rq, o);
      sb_html(o, "<button type=\"submit\" class=\"secondary\">%r</button></form>\n",
              a->retire_asked_by ? "Agree to retire it" : "Ask to retire it");
    }
    char id[40];
    snprintf(id, sizeof id, "rev-%lld", (long long)a->id);
    sb_html(o, "<details><summary>Propose a change</summary>\n<form method=\"post\" action=\"/agreements/%D/revisions\">", a->id);
    form_csrf(rq, o);
    sb_html(o, "<label for=\"%s\">The new wording</label>\n<textarea id=\"%s\" name=\"text\" rows=\"4\" required>\n%s</textarea>\n"
               "<button type=\"submit\">Propose this version</button></form>\n</details>\n", id, id, a->text);
  }
  sb_puts(o, "</article>\n");
}

static int render(rq_t *rq, int status, const char *err, const char *field, const char *title, const char *text, const char *cat) {
  const char *pname = web_partner_name(rq);
  sb_t *o = page_start(rq, "Agreements",
                      "Boundaries you both choose: how open you will be, contact with a "
                      "third person, privacy and space, deal-breakers. An agreement is in force only when both of you have "
                      "signed it, and every signature is kept in the <a href=\"/ledger\">ledger</a>.");
  page_error_notice(o, err);
  static const char *heads[] = {"In force", "Waiting for your signature", "Waiting for %s", "History"};
  for (int s = 0; s < 4; s++) {
    sb_html(o, "<section aria-labelledby=\"ag%d-h\">\n<h2 id=\"ag%d-h\">", s, s);
    if (s == 2) sb_html(o, "Waiting for %s", pname); else sb_html(o, "%r", heads[s]);
    sb_puts(o, "</h2>\n");
    agctx c = {rq, o, 0, s, NULL};
    if (agreements_list(rq->db, rq->s.user.couple_id, ag_html, &c) != DB_OK) return web_db_error(rq);
    if (!c.n) sb_html(o, "<p class=\"muted\">%r</p>\n", s == 0 ? "No agreement is in force yet." : "None.");
    sb_puts(o, "</section>\n");
  }
  sb_html(o, "<form method=\"post\" action=\"/agreements\" class=\"card\">\n<h2>Propose an agreement</h2>\n");
  form_csrf(rq, o);
  form_field(o, "title", "Title", "text", title, "off", NULL, field && !strcmp(field, "title") ? err : NULL);
  form_textarea(o, "text", "What you both agree to", text, NULL, field && !strcmp(field, "text") ? err : NULL, 4, 1);
  form_select(o, "category", "Kind", ag_categories, ag_category_names, cat, field && !strcmp(field, "category") ? err : NULL);
  sb_html(o, "<button type=\"submit\">Propose and sign</button>\n</form>\n");
  return page_end(rq, o, status);
}

static int h_agreements_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, NULL, NULL, NULL); }

/* The page again after a refused proposal, with what was sent. */
static int form_again(rq_t *rq, const verdict *v) {
  return render(rq, 200, v->message, v->field, web_form_text(rq, "title"), web_form_text(rq, "text"), web_form_text(rq, "category"));
}

/* After a refused revision: its message (the revision's form is the agreement's own). */
static int revision_again(rq_t *rq, const verdict *v) { return render(rq, 200, v->message, v->field, NULL, NULL, NULL); }

/* Answers with one agreement as JSON. */
static int one(rq_t *rq, int64_t id, int status) {
  agreement_t a;
  if (agreements_get(rq->db, rq->s.user.couple_id, id, &a, &rq->mem) != DB_ROW) return web_db_error(rq);
  sb_t *o = web_out(rq);
  ag_json(rq, o, &a);
  if (status == 201) return web_created(rq, o, "/api/v1/agreements", id);
  return web_json(rq, status, o);
}

static int propose(rq_t *rq, json_t *j) {
  size_t tn = 0, xn = 0, cn = 0;
  int bc = 0;
  const char *t, *x, *cat = web_text(rq, j, "category", &cn, &bc);
  verdict v = web_check_text(rq, j, "title", AGREEMENT_TITLE_MAX, 1, &t, &tn), vx = web_check_text(rq, j, "text", AGREEMENT_MAX, 1, &x, &xn);
  if (!v.status && memchr(t, '\n', tn)) v = refuse_field("title", "A title is one line of text.");
  if (!v.status) v = vx;
  if (!v.status && (bc || !cat || one_of(cat, cn, ag_categories) < 0)) v = refuse_field("category", "Choose one of the kinds in the list.");
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id;
  if (agreements_propose(rq->db, rq->s.user.couple_id, rq->s.user.id, rq->s.user.display_name, 0, 1, t, x, cat, web_now(), &id) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/agreements");
  return one(rq, id, 201);
}

static int load(rq_t *rq, agreement_t *a) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || agreements_get(rq->db, rq->s.user.couple_id, id, a, &rq->mem) != DB_ROW) {
    web_error(rq, 404, "not_found", "There is no such agreement.", NULL);
    return 0;
  }
  return 1;
}


static int sign(rq_t *rq, json_t *j) {
  (void)j;
  agreement_t a;
  if (!load(rq, &a)) return 0;
  verdict v = ag_can_sign(a.status, a.proposed_by, rq->s.user.id, a.other_signed_at != 0);
  int rc;
  if (v.status) rc = web_refuse(rq, v, NULL);
  else if (agreements_sign(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, web_now()) != DB_OK)
    rc = web_db_error(rq);
  else rc = rq->api ? one(rq, a.id, 200) : web_redirect(rq, "/agreements");
  return rc;
}

static int revise(rq_t *rq, json_t *j) {
  agreement_t a;
  if (!load(rq, &a)) return 0;
  int rc;
  verdict v = ag_can_revise(a.status, agreements_pending_revision(rq->db, rq->s.user.couple_id, a.root_id));
  size_t xn = 0;
  const char *x;
  verdict vx = web_check_text(rq, j, "text", AGREEMENT_MAX, 1, &x, &xn);
  if (v.status) rc = web_refuse(rq, v, NULL);
  else if (vx.status) rc = web_refuse(rq, vx, revision_again);
  else {
    int64_t id;
    /* a revision keeps the title and the kind; the wording is new */
    if (agreements_propose(rq->db, rq->s.user.couple_id, rq->s.user.id, rq->s.user.display_name, a.root_id, a.version + 1,
                   a.title, x, a.category, web_now(), &id) != DB_OK)
      rc = web_db_error(rq);
    else rc = rq->api ? one(rq, id, 201) : web_redirect(rq, "/agreements");
  }
  return rc;
}

static int retire(rq_t *rq, json_t *j) {
  (void)j;
  agreement_t a;
  if (!load(rq, &a)) return 0;
  int complete, rc;
  verdict v = ag_can_retire(a.status, a.retire_asked_by, rq->s.user.id, &complete);
  if (v.status) rc = web_refuse(rq, v, NULL);
  else if (agreements_retire(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, complete, web_now()) != DB_OK)
    rc = web_db_error(rq);
  else rc = rq->api ? one(rq, a.id, 200) : web_redirect(rq, "/agreements");
  return rc;
}


static int h_api_agreements(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "agreements")) return 0;
  agctx c = {rq, o, 0, 0, &l};
  if (agreements_list(rq->db, rq->s.user.couple_id, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t agreements_routes[] = {
  {"GET", "/agreements", h_agreements_page, R_AUTH, "agreements"},
  TWIN("POST", "/agreements", propose, R_AUTH | R_BODY, "agreements"),
  TWIN("POST", "/agreements/{id}/sign", sign, R_AUTH, "agreement_sign"),
  TWIN("POST", "/agreements/{id}/revisions", revise, R_AUTH | R_BODY, "agreement_revise"),
  TWIN("POST", "/agreements/{id}/retire", retire, R_AUTH, "agreement_retire"),
  {"GET", "/api/v1/agreements", h_api_agreements, R_AUTH | R_LIST, "api_agreements"},
  {"GET", "/api/v1/agreements/{id}", h_api_agreements, R_AUTH, "api_agreement"},
  {NULL, NULL, NULL, 0, NULL},
};
