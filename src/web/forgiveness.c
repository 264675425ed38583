/* forgiveness.c (web): forgiveness in its own time, and letting the past rest.
   Notes on readiness to forgive the partner, or (for whoever broke trust) oneself, are sealed
   with their author's key; nothing about them reaches the partner unless the author shares a
   note. Letting it rest moves the account of the breach, the questions and the apologies out
   of daily view into an archive, once both partners have chosen it; a partner's choice is not
   shown to the other, and either can bring the past back. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "keys.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/forgiveness.h"
#include <stdio.h>
#include <string.h>


static const char *const abouts[] = {"partner", "self", NULL};
static const char *const about_names[] = {N_("Forgiving my partner"), N_("Forgiving myself"), NULL};

typedef struct { rq_t *rq; sb_t *o; int n, mine; web_list *l; } nctx;

static const char *note_words(rq_t *rq, const forgiveness_t *f) {
  return f->sealed ? web_unseal(rq, "forgiveness", f->id, f->sealed, f->sealed_n) : f->text;
}

static void note_json(rq_t *rq, sb_t *o, const forgiveness_t *f, int first) {
  char at[ISO_TIME_CHARS], sh[ISO_TIME_CHARS];
  const char *t = note_words(rq, f);
  iso_time(f->created_at, at);
  iso_time(f->shared_at, sh);
  sb_json(o, "%r{\"id\":%D,\"by\":%D,\"about\":%q,\"text\":%q,\"locked\":%r,\"shared\":%r,\"created_at\":%q,\"shared_at\":%q}",
          first ? "" : ",", f->id, f->author_id, f->about, t, t ? "false" : "true", f->shared_at ? "true" : "false", at,
          f->shared_at ? sh : NULL);
}

static void note_json_cb(void *p, const void *row) {
  const forgiveness_t *f = row;
  nctx *c = p;
  const char *sep = web_list_take_id(c->l, f->id);
  if (sep) note_json(c->rq, c->o, f, !*sep);
}

static int h_api_forgiveness(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "notes")) return 0;
  nctx c = {rq, o, 0, 0, &l};
  if (forgiveness_list(rq->db, rq->s.user.couple_id, rq->s.user.id, note_json_cb, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static void note_html(void *p, const void *row) {
  const forgiveness_t *f = row;
  nctx *c = p;
  rq_t *rq = c->rq;
  int mine = f->author_id == rq->s.user.id;
  if (mine != c->mine) return;
  c->n++;
  sb_t *o = c->o;
  const char *t = note_words(rq, f);
  sb_markup(o, "<li class=\"card\"><p class=\"meta\">%s · ", !strcmp(f->about, "self") ? (mine ? _("Forgiving myself") : _("Forgiving themselves"))
                                                                                       : (mine ? _("Forgiving my partner") : _("Forgiving you")));
  page_time(o, f->created_at);
  if (mine) sb_markup(o, " · %s", f->shared_at ? _("shared") : _("private, only you can read it"));
  sb_puts(o, "</p>\n");
  if (t) page_text(o, t);
  else sb_text(o, "<p class=\"muted\">Locked: log out and in again to read your private words.</p>\n");
  if (mine && !f->shared_at && t) {
    sb_markup(o, "<form method=\"post\" action=\"/forgiveness/%D/share\">", f->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Share this note</button> "
               "<span class=\"hint\">Once shared, your partner can read it; it cannot be made private again.</span></form>\n");
  }
  sb_puts(o, "</li>\n");
}

/* ---------- let it rest ---------- */

static void rest_json(sb_t *o, int64_t since, int mine) {
  char at[ISO_TIME_CHARS];
  iso_time(since, at);
  sb_json(o, "{\"resting\":%r,\"since\":%q,\"mine\":%r}", since > 0 ? "true" : "false", since > 0 ? at : NULL,
          mine ? "true" : "false");
}

static void rest_section(rq_t *rq, sb_t *o, int64_t since, int mine, const char *pname) {
  sb_html(o, "<section aria-labelledby=\"r-h\" class=\"card\">\n<h2 id=\"r-h\">Let it rest</h2>\n"
             "<p>There may come a time when the breach no longer needs daily attention. Letting it rest moves the account "
             "of what happened, the questions and the apologies out of daily view, into an archive you can both still "
             "open. It happens only when you both choose it, and %s is not told of your choice until then. Either of you "
             "can bring it back at any time.</p>\n", pname);
  if (since > 0) {
    sb_text(o, "<p class=\"notice\">The past rests since ");
    page_time(o, since);
    sb_text(o, ". <a href=\"/archive\">Open the archive</a>.</p>\n<form method=\"post\" action=\"/rest/undo\">");
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Bring it back</button></form>\n");
  } else if (mine) {
    sb_text(o, "<p>You chose to let it rest. It will, once you both have.</p>\n<form method=\"post\" action=\"/rest/undo\">");
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Take back my choice</button></form>\n");
  } else {
    sb_puts(o, "<form method=\"post\" action=\"/rest\">");
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\">I am ready to let it rest</button></form>\n");
  }
  sb_puts(o, "</section>\n");
}

/* ---------- page ---------- */

static int render(rq_t *rq, int status, const char *err, const char *about, const char *text) {
  const char *pname = web_partner_name(rq);
  int mine_rest = 0;
  int64_t since = rest_state(rq->db, rq->s.user.couple_id, rq->s.user.id, &mine_rest);
  if (since < 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Forgiveness</h1>\n<p class=\"lead\">Forgiving is not forgetting, and it is not saying it was fine. It "
             "is letting go of the wish to make the other pay, and it cannot be rushed or asked for. Some days it feels "
             "near, some days far. If you broke the trust, forgiving yourself matters too: guilt that never ends helps "
             "no one heal.</p>\n<p class=\"notice\">These notes are locked with your password. %s sees a note only if you "
             "share it.</p>\n", pname);
  page_error_notice(o, err);
  if (!err) page_saved_notice(rq, o);
  /* what was shared with you first, then the form to write a new note, then your own */
  for (int mine = 0; mine < 2; mine++) {
    if (mine) {
      sb_puts(o, "<form method=\"post\" action=\"/forgiveness\" class=\"card\">\n");
      form_csrf(rq, o);
      form_select(o, "about", "About", abouts, about_names, about, NULL);
      form_textarea(o, "text", "Where you are today", text, N_("Ready, not ready, somewhere between: all of it is allowed."), err, 4, 1);
      form_share_buttons(rq, o);
      sb_puts(o, "</form>\n");
    }
    sb_markup(o, "<section aria-labelledby=\"fn%d-h\">\n<h2 id=\"fn%d-h\">%s</h2>\n<ul class=\"plain\">\n", mine, mine,
            mine ? _("Your notes") : _("Shared with you"));
    nctx c = {rq, o, 0, mine, NULL};
    if (forgiveness_list(rq->db, rq->s.user.couple_id, rq->s.user.id, note_html, &c) != DB_OK) return web_db_error(rq);
    sb_puts(o, "</ul>\n");
    if (!c.n) sb_markup(o, "<p class=\"muted\">%s</p>\n", mine ? _("No notes yet.") : _("Nothing shared yet."));
    sb_puts(o, "</section>\n");
  }
  rest_section(rq, o, since, mine_rest, pname);
  return page_end(rq, o, status);
}

static int h_forgiveness_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, NULL); }

static int form_again(rq_t *rq, const verdict *v) {
  const char *about = web_form_text(rq, "about");
  return render(rq, 200, v->message, about && one_of(about, strlen(about), abouts) >= 0 ? about : NULL, web_form_text(rq, "text"));
}

static int add(rq_t *rq, json_t *j) {
  size_t an, tn;
  int ba = 0;
  const char *about = web_text(rq, j, "about", &an, &ba), *t;
  verdict v = ba || !about || one_of(about, an, abouts) < 0
      ? refuse_field("about", "Choose who the note is about: \"partner\" or \"self\".") : VERDICT_OK;
  if (!v.status) v = web_check_text(rq, j, "text", FORGIVENESS_MAX, 1, &t, &tn);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  size_t sn;
  const unsigned char *sealed = web_seal(rq, "forgiveness", id, t, tn, &sn);
  if (!sealed) return web_locked(rq);
  if (forgiveness_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, about, sealed, sn, now) != DB_OK)
    return web_db_error(rq);
  /* the form's "Share with ..." shares it at once, in the same transaction */
  int shared = form_shared(rq) == 1;
  if (shared && forgiveness_share(rq->db, rq->s.user.couple_id, rq->s.user.id, id, t, now) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, shared ? "/forgiveness?saved=shared" : "/forgiveness?saved=private");
  sb_t *o = web_out(rq);
  forgiveness_t f = {id, rq->s.user.id, now, 0, about, t, NULL, 0};
  note_json(rq, o, &f, 1);
  return web_created(rq, o, "/api/v1/forgiveness", id);
}

typedef struct { rq_t *rq; const char *text; int shared, found; sb_t *o; } share_ctx;
static void open_for_share(void *p, const void *row) {
  const forgiveness_t *f = row;
  share_ctx *c = p;
  c->found = 1;
  c->shared = f->shared_at != 0;
  c->text = note_words(c->rq, f);
  if (c->o) note_json(c->rq, c->o, f, 1);
}

static int share(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  share_ctx c = {rq, NULL, 0, 0, NULL};
  /* only the author's own notes are found: the partner's are not there to share */
  if (id < 0 || forgiveness_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, open_for_share, &c) == DB_ERROR)
    return web_db_error(rq);
  if (!c.found) return web_error(rq, 404, "not_found", "There is no such note of yours.", NULL);
  if (c.shared) return web_error(rq, 409, "already_shared", "This note is shared already.", NULL);
  if (!c.text) return web_locked(rq);
  if (forgiveness_share(rq->db, rq->s.user.couple_id, rq->s.user.id, id, c.text, web_now()) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/forgiveness");
  /* the note as it now is */
  c.o = web_out(rq);
  if (forgiveness_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, open_for_share, &c) != DB_ROW) return web_db_error(rq);
  return web_json(rq, 200, c.o);
}


static int rest_answer(rq_t *rq, json_t *j) {
  (void)j;
  int mine = 0;
  int64_t since = rest_state(rq->db, rq->s.user.couple_id, rq->s.user.id, &mine);
  if (since < 0) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/forgiveness#r-h");
  sb_t *o = web_out(rq);
  rest_json(o, since, mine);
  return web_json(rq, 200, o);
}


/* Choosing answers the state as it now is (as GET does); withdrawing takes back one's own
   choice, which is enough to bring the past back into daily view (it rests only while both
   choose it). */
static int rest(rq_t *rq, json_t *j) {
  if (rest_choose(rq->db, rq->s.user.couple_id, rq->s.user.id, web_now()) != DB_OK) return web_db_error(rq);
  return rest_answer(rq, j);
}

static int unrest(rq_t *rq, json_t *j) {
  (void)j;
  if (rest_withdraw(rq->db, rq->s.user.couple_id, rq->s.user.id) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/forgiveness#r-h");
  return web_no_content(rq);
}


/* The archive: what rests, still open to both. */
static int h_archive_page(rq_t *rq, json_t *j) {
  (void)j;
  int mine = 0;
  int64_t since = rest_state(rq->db, rq->s.user.couple_id, rq->s.user.id, &mine);
  if (since < 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<h1>Archive</h1>\n");
  if (since > 0) {
    sb_text(o, "<p class=\"lead\">You chose together to let the past rest on ");
    page_time(o, since);
    sb_text(o, ". It is all still here, whenever one of you needs it.</p>\n");
  } else {
    sb_text(o, "<p class=\"lead\">Nothing rests yet: these pages are in daily view.</p>\n");
  }
  sb_text(o, "<ul class=\"plain\">\n<li class=\"card\"><a href=\"/breach\">What happened</a>: both accounts of the breach</li>\n"
             "<li class=\"card\"><a href=\"/questions\">Questions</a> and their answers</li>\n"
             "<li class=\"card\"><a href=\"/apologies\">Apologies</a></li>\n</ul>\n"
             "<p><a href=\"/forgiveness#r-h\">Bring it back into daily view</a></p>\n");
  return page_end(rq, o, 200);
}

const route_t forgiveness_routes[] = {
  {"GET", "/forgiveness", h_forgiveness_page, R_AUTH, "forgiveness"},
  TWIN("POST", "/forgiveness", add, R_AUTH | R_BODY, "forgiveness"),
  TWIN("POST", "/forgiveness/{id}/share", share, R_AUTH, "forgiveness_share"),
  TWIN("POST", "/rest", rest, R_AUTH, "rest"),
  {"POST", "/rest/undo", unrest, R_AUTH | R_CSRF, "rest"},
  {"GET", "/archive", h_archive_page, R_AUTH, "archive"},
  {"GET", "/api/v1/forgiveness", h_api_forgiveness, R_AUTH | R_LIST, "api_forgiveness"},
  {"GET", "/api/v1/forgiveness/{id}", h_api_forgiveness, R_AUTH, "api_forgiveness_note"},
  {"GET", "/api/v1/rest", rest_answer, R_AUTH, "api_rest"},
  {"DELETE", "/api/v1/rest", unrest, R_AUTH, "api_rest"},
  {NULL, NULL, NULL, 0, NULL},
};
