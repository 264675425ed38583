/* counsellor_access.c (web): the couple's side of a counsellor in the loop. One partner asks
   to let a counsellor in (by the username they log in with) and chooses what of the report
   they see; nothing is visible until the other partner agrees; either can end it at once. The
   couple sees every time the counsellor opened their space, and the counsellor's suggestions
   wait in both inboxes. Every move is in the ledger. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "app/report.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/counsellors.h"
#include "db/ledger.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define VIEWS_SHOWN 200

enum { ST_ASKED, ST_ACTIVE, ST_ENDED };
static const char *const states[] = {"asked", "active", "ended"};
static int state_of(const access_t *a) { return a->ended_at ? ST_ENDED : a->agreed_at ? ST_ACTIVE : ST_ASKED; }

/* ---------- JSON ---------- */

static void access_json(sb_t *o, const access_t *a, const char *sep) {
  char asked[ISO_TIME_CHARS], agreed[ISO_TIME_CHARS], ended[ISO_TIME_CHARS];
  iso_time(a->asked_at, asked);
  iso_time(a->agreed_at, agreed);
  iso_time(a->ended_at, ended);
  sb_json(o, "%r{\"id\":%D,\"counsellor\":{\"username\":%q,\"name\":%q,\"email\":%q},\"invitation\":", sep, a->id,
          a->username ? a->username : "",
          a->name, a->address);
  if (a->address) {
    char mailed[ISO_TIME_CHARS], expires[ISO_TIME_CHARS], joined[ISO_TIME_CHARS], next[ISO_TIME_CHARS], gave_up[ISO_TIME_CHARS];
    iso_time(a->mailed_at, mailed);
    iso_time(a->mailed_at + COUNSELLOR_INVITE_DAYS * 86400, expires);
    iso_time(a->joined_at, joined);
    iso_time(a->next_try_at, next);
    iso_time(a->undelivered_at, gave_up);
    sb_json(o, "{\"mailed_at\":%q,\"expires_at\":%q,\"joined_at\":%q,\"next_try_at\":%q,\"undelivered_at\":%q}",
            a->mailed_at ? mailed : NULL, a->mailed_at ? expires : NULL, a->joined_at ? joined : NULL,
            a->next_try_at ? next : NULL, a->undelivered_at ? gave_up : NULL);
  } else {
    sb_puts(o, "null");
  }
  sb_puts(o, ",\"tools\":");
  report_parts_json(o, a->tools);
  sb_json(o, ",\"state\":%q,\"asked_by\":%D,\"asked_at\":%q,\"agreed_by\":", states[state_of(a)], a->asked_by, asked);
  if (a->agreed_by) sb_json(o, "%D", a->agreed_by);
  else sb_puts(o, "null");
  sb_json(o, ",\"agreed_at\":%q,\"ended_by\":", a->agreed_at ? agreed : NULL);
  if (a->ended_by) sb_json(o, "%D", a->ended_by);
  else sb_puts(o, "null");
  sb_json(o, ",\"ended_at\":%q}", a->ended_at ? ended : NULL);
}

typedef struct { rq_t *rq; sb_t *o; web_list *l; int n; } actx;

static void access_json_cb(void *p, const void *row) {
  const access_t *a = row;
  actx *c = p;
  const char *sep = web_list_take_id(c->l, a->id);
  if (sep) access_json(c->o, a, sep);
}

static int h_api_list(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "accesses")) return 0;
  actx c = {rq, o, &l, 0};
  if (access_list(rq->db, rq->s.user.couple_id, access_json_cb, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

/* The access as it now is: the answer of every move on it. */
static int answer_access(rq_t *rq, int64_t id, int status) {
  access_t a;
  if (access_get(rq->db, rq->s.user.couple_id, id, &a, &rq->mem) != DB_ROW) return web_db_error(rq);
  sb_t *o = web_out(rq);
  access_json(o, &a, "");
  return status == 201 ? web_created(rq, o, "/api/v1/counsellor-access", id) : web_json(rq, status, o);
}

/* What the counsellor opened, in words (counsellor_space.c logs these names). */
static const char *page_words(const char *page) {
  if (!strcmp(page, "api_report")) return _("the report, through the API");
  return _("the report");
}

static void view_json(void *p, const void *row) {
  const access_view *v = row;
  actx *c = p;
  if (c->n++ >= VIEWS_SHOWN) return;
  char at[ISO_TIME_CHARS];
  iso_time(v->at, at);
  sb_json(c->o, "%r{\"at\":%q,\"page\":%q}", c->n > 1 ? "," : "", at, v->page);
}

static int h_api_log(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  access_t a;
  if (id < 0 || access_get(rq->db, rq->s.user.couple_id, id, &a, &rq->mem) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such counsellor access.", NULL);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"id\":%D,\"views\":[", id);
  actx c = {rq, o, NULL, 0};
  if (access_views(rq->db, rq->s.user.couple_id, id, view_json, &c) != DB_OK) return web_db_error(rq);
  sb_puts(o, "]}");
  return web_json(rq, 200, o);
}

/* ---------- the page ---------- */

typedef struct { const char *err, *field, *username, *email, *name; unsigned parts; } aform;

static int mail_on(void) { return g_conf.smtp_url && g_conf.base_url; }

static void view_html(void *p, const void *row) {
  const access_view *v = row;
  actx *c = p;
  if (c->n++ >= VIEWS_SHOWN) return;
  if (c->n == 1) sb_puts(c->o, "<ul class=\"plain views\">\n");
  sb_markup(c->o, "<li>");
  page_time(c->o, v->at);
  sb_markup(c->o, " · %s</li>\n", page_words(v->page));
}

typedef struct { rq_t *rq; sb_t *o; int n, failed; } pctx;

_Static_assert(COUNSELLOR_INVITE_TRIES == 8 && COUNSELLOR_INVITE_WAIT == 300, "the page says the tries last about half a day");
/* Where an invitation by e-mail stands, for the couple. */
static void invitation_html(rq_t *rq, sb_t *o, const access_t *a, int st) {
  int64_t expires = a->mailed_at + COUNSELLOR_INVITE_DAYS * 86400;
  sb_puts(o, "<p class=\"notice\">");
  if (st == ST_ASKED && a->asked_by == rq->s.user.id)
    sb_html(o, "mend mails them an invitation at %s once %s agrees.", a->address, web_partner_name(rq));
  else if (st == ST_ASKED)
    sb_html(o, "mend mails them an invitation at %s once you agree.", a->address);
  else if (a->undelivered_at)
    sb_html(o, "The invitation could not be mailed to %s: the mail server refused it each time. Check the address with them, "
               "then end this and invite them again, or ask them for the username they have here.", a->address);
  else if (!a->mailed_at && a->next_try_at)
    sb_html(o, "The mail server did not take the invitation to %s yet. mend tries again on its own, for about half a day.",
            a->address);
  else if (!a->mailed_at)
    sb_html(o, "The invitation is on its way to %s.", a->address);
  else if (web_now() < expires) {
    sb_html(o, "Invitation mailed to %s on ", a->address);
    page_time(o, a->mailed_at);
    sb_html(o, ". They see nothing until they make their account with it; it works until ");
    page_time(o, expires);
    sb_puts(o, ".");
  } else {
    sb_html(o, "The invitation mailed to %s has expired. End this and invite them again, or ask them for the username they "
               "have here.", a->address);
  }
  sb_puts(o, "</p>\n");
}

static void access_html(void *p, const void *row) {
  const access_t *a = row;
  pctx *c = p;
  rq_t *rq = c->rq;
  sb_t *o = c->o;
  c->n++;
  int st = state_of(a), mine = a->asked_by == rq->s.user.id;
  /* invited by e-mail: known by their address until they make their account */
  sb_markup(o, "<li class=\"card\" id=\"ca-%D\"><h3>%s <span class=\"muted\">(%s)</span></h3>\n<p class=\"meta\">", a->id, a->name,
            a->username ? a->username : a->address);
  int waiting = a->address && !a->joined_at; /* agreed, but not in before they join */
  if (st == ST_ASKED && mine) sb_html(o, "You asked on ");
  else if (st == ST_ASKED) sb_html(o, "%s asked on ", web_partner_name(rq));
  else if (st == ST_ACTIVE && waiting) sb_html(o, "You both agreed on ");
  else if (st == ST_ACTIVE) sb_html(o, "In since ");
  else sb_html(o, "Ended by %s on ", web_who(rq, a->ended_by));
  page_time(o, st == ST_ASKED ? a->asked_at : st == ST_ACTIVE ? a->agreed_at : a->ended_at);
  sb_puts(o, "</p>\n");
  if (waiting && st != ST_ENDED) invitation_html(rq, o, a, st);
  unsigned parts = report_parts_parse(a->tools, strlen(a->tools));
  sb_text(o, "<p>What they see of your report:</p>\n<ul>\n");
  for (int k = 0; k < REPORT_PARTS; k++)
    if (parts & (1u << k)) sb_markup(o, "<li>%s</li>\n", _(report_part_labels[k]));
  sb_puts(o, "</ul>\n");
  if (st == ST_ASKED && mine)
    sb_html(o, "<p class=\"muted\">Nothing is visible to them until %s agrees.</p>\n", web_partner_name(rq));
  if (st == ST_ASKED && !mine) {
    sb_markup(o, "<form method=\"post\" action=\"/counsellor-access/%D/agree\" class=\"inline\">", a->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\">I agree to let them in</button></form>\n");
  }
  if (st != ST_ENDED) {
    sb_markup(o, "<form method=\"post\" action=\"/counsellor-access/%D/end\" class=\"inline\">", a->id);
    form_csrf(rq, o);
    if (st == ST_ASKED) sb_text(o, "<button type=\"submit\" class=\"secondary\">Do not let them in</button></form>\n");
    else sb_text(o, "<button type=\"submit\" class=\"secondary\">End their access now</button></form>\n");
  }
  if (a->agreed_at) {
    sb_text(o, "<h4>Each time they opened your space</h4>\n");
    actx v = {rq, o, NULL, 0};
    if (access_views(rq->db, rq->s.user.couple_id, a->id, view_html, &v) != DB_OK) c->failed = 1;
    if (v.n) sb_puts(o, "</ul>\n");
    else sb_text(o, "<p class=\"muted\">Not yet.</p>\n");
  }
  sb_puts(o, "</li>\n");
}

static void suggestion_html(void *p, const void *row) {
  const suggestion_t *s = row;
  pctx *c = p;
  if (!c->n++) sb_text(c->o, "<section aria-labelledby=\"sg-h\">\n<h2 id=\"sg-h\">Suggested for this week</h2>\n<ul class=\"plain\">\n");
  sb_markup(c->o, "<li class=\"card\" id=\"s-%D\"><p class=\"meta\">%s · ", s->id, s->name);
  page_time(c->o, s->created_at);
  sb_puts(c->o, "</p>\n");
  page_text(c->o, s->text);
  sb_markup(c->o, "<form method=\"post\" action=\"/counsellor-suggestions/%D/seen\" class=\"inline\">", s->id);
  form_csrf(c->rq, c->o);
  sb_text(c->o, "<button type=\"submit\" class=\"secondary\">Set it aside</button></form></li>\n");
}

static int render(rq_t *rq, int status, const aform *f) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<h1>A counsellor</h1>\n<p class=\"lead\">If you see a counsellor, you can let them follow your report between "
             "sessions: live, only the parts you both choose, and never a private entry. One of you asks, the other agrees, "
             "and either of you can end it at any moment. You see each time they open it.</p>\n");
  pctx sc = {rq, o, 0, 0};
  if (suggestions_for(rq->db, rq->s.user.couple_id, rq->s.user.id, suggestion_html, &sc) != DB_OK) return web_db_error(rq);
  if (sc.n) sb_puts(o, "</ul>\n</section>\n");
  sb_text(o, "<section aria-labelledby=\"ca-h\">\n<h2 id=\"ca-h\">Counsellors</h2>\n<ul class=\"plain\">\n");
  pctx c = {rq, o, 0, 0};
  if (access_list(rq->db, rq->s.user.couple_id, access_html, &c) != DB_OK || c.failed) return web_db_error(rq);
  sb_puts(o, "</ul>\n");
  if (!c.n) sb_text(o, "<p class=\"muted\">No counsellor follows your report.</p>\n");
  sb_puts(o, "</section>\n");
  sb_text(o, "<section aria-labelledby=\"ask-h\">\n<h2 id=\"ask-h\">Let a counsellor in</h2>\n");
  if (!page_alone(rq, o, "Letting a counsellor in")) {
    if (f && f->err && f->field && !strcmp(f->field, "tools")) page_error_notice(o, f->err);
    sb_puts(o, "<form method=\"post\" action=\"/counsellor-access\" class=\"card\" novalidate>\n");
    form_csrf(rq, o);
    int uerr = f && f->field && !strcmp(f->field, "counsellor");
    if (!mail_on()) {
      form_field(o, "counsellor", "Their username on this server", "text", f ? f->username : NULL, "off",
                 N_("Your counsellor gives it to you: it is the name they log in with."), uerr ? f->err : NULL);
    } else {
      /* a counsellor with no account here yet is invited by e-mail instead */
      form_optional(o, "counsellor", "Their username on this server", "text", f ? f->username : NULL,
                    N_("If they have an account here: the name they log in with."), uerr ? f->err : NULL);
      sb_text(o, "<fieldset><legend>Or invite them by e-mail</legend>\n");
      int eerr = f && f->field && !strcmp(f->field, "email"), nerr = f && f->field && !strcmp(f->field, "name");
      form_optional(o, "email", "Their e-mail address", "email", f ? f->email : NULL,
                    N_("mend mails them a link to make their account, once you both agreed. They see nothing before."),
                    eerr ? f->err : NULL);
      form_optional(o, "name", "Their name", "text", f ? f->name : NULL, N_("How you both know them, like Dr. Reyes."),
                    nerr ? f->err : NULL);
      sb_puts(o, "</fieldset>\n");
    }
    sb_text(o, "<fieldset><legend>What they may see</legend>\n");
    for (int k = 0; k < REPORT_PARTS; k++) {
      char name[32];
      snprintf(name, sizeof name, "tool-%s", report_parts[k]);
      form_checkbox(o, name, report_part_labels[k], !f || (f->parts & (1u << k)));
    }
    sb_html(o, "</fieldset>\n<button type=\"submit\">Ask %s to agree</button>\n</form>\n", web_partner_name(rq));
  }
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}

static int h_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

static unsigned form_parts(rq_t *rq) {
  unsigned parts = 0;
  for (int k = 0; k < REPORT_PARTS; k++) {
    char name[32];
    int bad = 0;
    snprintf(name, sizeof name, "tool-%s", report_parts[k]);
    if (web_flag(rq, NULL, name, &bad)) parts |= 1u << k;
  }
  return parts;
}

static int form_again(rq_t *rq, const verdict *v) {
  aform f = {v->message, v->field, web_form_text(rq, "counsellor"), web_form_text(rq, "email"), web_form_text(rq, "name"),
             form_parts(rq)};
  return render(rq, 200, &f);
}

/* ---------- moves ---------- */

static int append(rq_t *rq, const char *kind, int64_t id, const char *fmt, const char *name) {
  char summary[700];
  utf8_format(summary, sizeof summary, fmt, rq->s.user.display_name, name);
  return ledger_append(rq->db, rq->s.user.couple_id, rq->s.user.id, kind, id, summary, web_now());
}

/* After a move: the page again at the access, or the access as it now is. */
static int done(rq_t *rq, int64_t id, int status) {
  if (!rq->api) {
    char loc[48];
    snprintf(loc, sizeof loc, "/counsellor-access#ca-%lld", (long long)id);
    return web_redirect(rq, loc);
  }
  return answer_access(rq, id, status);
}

static void trim(const char **s, size_t *n) {
  if (!*s) { *n = 0; return; }
  while (*n && (**s == ' ' || **s == '\t')) (*s)++, (*n)--;
  while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

/* A counsellor with no account here: invited at their address, mailed (push.c) only once the
   other partner agreed; the access is theirs when they make their account with the link. */
static int ask_by_mail(rq_t *rq, json_t *j, const char *addr, size_t an, unsigned parts) {
  if (!mail_on())
    return web_refuse(rq, refuse_field("email", N_("This server sends no e-mail: ask your counsellor for the username they log in "
                                                   "with here.")), form_again);
  if (!email_ok(addr, an))
    return web_refuse(rq, refuse_field("email", N_("Write an e-mail address, like sam@example.org.")), form_again);
  const char *nm;
  size_t nn, start, len;
  verdict v = web_check_text(rq, j, "name", DISPLAY_NAME_MAX, 1, &nm, &nn);
  const char *bad = v.status ? NULL : validate_display_name(nm, nn, &start, &len);
  if (bad) v = refuse_field("name", bad);
  if (v.status) return web_refuse(rq, v, form_again);
  char address[EMAIL_MAX + 1], name[4 * DISPLAY_NAME_MAX + 1], code[INVITE_DISPLAY + 1], norm[INVITE_CHARS + 1], tools[96];
  snprintf(address, sizeof address, "%.*s", (int)an, addr);
  snprintf(name, sizeof name, "%.*s", (int)len, nm + start);
  unsigned char hash[HASH_BYTES];
  secret_invite_code(code);
  secret_invite_normalize(code, strlen(code), norm);
  secret_hash(norm, INVITE_CHARS, hash);
  report_parts_format(parts, tools, sizeof tools);
  int64_t id = secret_id();
  int rc = invite_ask(rq->db, rq->s.user.couple_id, id, address, name, tools, rq->s.user.id, hash, code, web_now());
  sodium_memzero(code, sizeof code);
  sodium_memzero(norm, sizeof norm);
  if (rc == DB_CONSTRAINT)
    return web_error(rq, 409, "already_asked", "This address is invited already: see the list on this page.", "email");
  if (rc == DB_OK) rc = append(rq, "counsellor_asked", id, "%s asked to invite the counsellor %s by e-mail.", name);
  if (rc != DB_OK) return web_db_error(rq);
  return done(rq, id, 201);
}

static int ask(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "Letting a counsellor in")) return 0;
  const char *who, *addr;
  size_t n, an;
  verdict v = web_check_text(rq, j, "email", EMAIL_MAX, 0, &addr, &an);
  if (v.status) return web_refuse(rq, v, form_again);
  trim(&addr, &an);
  v = web_check_text(rq, j, "counsellor", 40, !an, &who, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  trim(&who, &n);
  if (an && n)
    return web_refuse(rq, refuse_field("counsellor", N_("Give their username or their e-mail address, not both.")), form_again);
  unsigned parts = REPORT_ALL;
  if (rq->api) {
    json_t *t = json_object_get(j, "tools");
    if (t) {
      parts = 0;
      size_t i;
      json_t *x;
      if (!json_is_array(t) || !json_array_size(t)) parts = 0;
      else json_array_foreach(t, i, x) {
        unsigned b = json_is_string(x) ? report_parts_parse(json_string_value(x), json_string_length(x)) : 0;
        if (!b) { parts = 0; break; }
        parts |= b;
      }
      if (!parts)
        return web_refuse(rq, refuse_field("tools", N_("Tools is a list of the report's parts: program, agreements, promises, "
                                                      "trust, between, questions, notes.")), form_again);
    }
  } else if (!(parts = form_parts(rq))) {
    return web_refuse(rq, refuse_field("tools", N_("Choose at least one part of your report for them to see.")), form_again);
  }
  if (an) return ask_by_mail(rq, j, addr, an, parts);
  /* usernames are kept as validate_username writes them (lower case): typed any way, found */
  char name[USERNAME_MAX + 1] = "";
  user_t c;
  int rc = validate_username(who, n, name) ? DB_DONE : counsellor_find(rq->db, name, &c);
  if (rc == DB_DONE)
    return web_refuse(rq, refuse_field("counsellor", N_("There is no counsellor with that username on this server: ask them for "
                                                        "the one they log in with.")), form_again);
  if (rc != DB_ROW) return web_db_error(rq);
  char tools[96];
  report_parts_format(parts, tools, sizeof tools);
  int64_t id = secret_id();
  rc = access_ask(rq->db, rq->s.user.couple_id, id, c.id, tools, rq->s.user.id, web_now());
  if (rc == DB_CONSTRAINT)
    return web_error(rq, 409, "already_asked", "This counsellor is asked already, or already in: see the list on this page.", "counsellor");
  if (rc == DB_OK) rc = append(rq, "counsellor_asked", id, "%s asked to let the counsellor %s see the report.", c.display_name);
  if (rc != DB_OK) return web_db_error(rq);
  return done(rq, id, 201);
}

/* The access a move is about, in the caller's couple: 0, or answered (404). */
static int load(rq_t *rq, access_t *a) {
  int64_t id = web_param_id(rq, 0);
  int rc = id < 0 ? DB_DONE : access_get(rq->db, rq->s.user.couple_id, id, a, &rq->mem);
  if (rc == DB_DONE) { web_error(rq, 404, "not_found", "There is no such counsellor access.", NULL); return -1; }
  if (rc != DB_ROW) { web_db_error(rq); return -1; }
  return 0;
}

static int agree(rq_t *rq, json_t *j) {
  (void)j;
  access_t a;
  if (load(rq, &a)) return 0;
  int st = state_of(&a);
  if (st == ST_ENDED) return web_error(rq, 409, "ended", "This access has ended; one of you can ask again.", NULL);
  if (st == ST_ACTIVE) return web_error(rq, 409, "already_agreed", "You both agreed already: they are in.", NULL);
  if (a.asked_by == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "You asked: your partner is the one to agree.", NULL);
  /* the decision was read under the couple's lock; the write holds only from that state too */
  int rc = access_agree(rq->db, rq->s.user.couple_id, a.id, rq->s.user.id, web_now());
  if (rc == DB_OK) rc = append(rq, "counsellor_agreed", a.id, "%s agreed: the counsellor %s can see the report.", a.name);
  if (rc != DB_OK) return web_db_error(rq);
  return done(rq, a.id, 200);
}

static int end(rq_t *rq, json_t *j) {
  (void)j;
  access_t a;
  if (load(rq, &a)) return 0;
  if (state_of(&a) == ST_ENDED) return web_error(rq, 409, "ended", "This access has ended already.", NULL);
  int rc = access_end(rq->db, rq->s.user.couple_id, a.id, rq->s.user.id, web_now());
  if (rc == DB_OK)
    rc = a.agreed_at ? append(rq, "counsellor_ended", a.id, "%s ended the access of the counsellor %s.", a.name)
                     : append(rq, "counsellor_declined", a.id, "%s did not let the counsellor %s in.", a.name);
  if (rc != DB_OK) return web_db_error(rq);
  if (rq->api) return web_no_content(rq); /* a delete: the access stays readable, ended */
  return done(rq, a.id, 200);
}

/* ---------- suggestions ---------- */

static void suggestion_json(void *p, const void *row) {
  const suggestion_t *s = row;
  actx *c = p;
  const char *sep = web_list_take_id(c->l, s->id);
  if (!sep) return;
  char at[ISO_TIME_CHARS];
  iso_time(s->created_at, at);
  sb_json(c->o, "%r{\"id\":%D,\"from\":%q,\"text\":%q,\"created_at\":%q}", sep, s->id, s->name, s->text, at);
}

static int h_api_suggestions(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "suggestions")) return 0;
  actx c = {rq, o, &l, 0};
  if (suggestions_for(rq->db, rq->s.user.couple_id, rq->s.user.id, suggestion_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static int seen(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  int rc = id < 0 ? DB_DONE : suggestion_seen(rq->db, rq->s.user.couple_id, id, rq->s.user.id, web_now());
  if (rc == DB_DONE) return web_error(rq, 404, "not_found", "There is no such suggestion.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/counsellor-access");
  return web_no_content(rq);
}

const route_t counsellor_access_routes[] = {
  {"GET", "/counsellor-access", h_page, R_AUTH, "counsellor_access"},
  TWIN("POST", "/counsellor-access", ask, R_AUTH | R_BODY, "counsellor_access"),
  TWIN("POST", "/counsellor-access/{id}/agree", agree, R_AUTH, "counsellor_access_agree"),
  {"POST", "/counsellor-access/{id}/end", end, R_AUTH | R_CSRF, "counsellor_access_end"},
  {"DELETE", "/api/v1/counsellor-access/{id}", end, R_AUTH, "api_counsellor_access"},
  {"GET", "/api/v1/counsellor-access", h_api_list, R_AUTH | R_LIST, "api_counsellor_access"},
  {"GET", "/api/v1/counsellor-access/{id}", h_api_list, R_AUTH, "api_counsellor_access"},
  {"GET", "/api/v1/counsellor-access/{id}/log", h_api_log, R_AUTH, "api_counsellor_access_log"},
  {"GET", "/api/v1/counsellor-suggestions", h_api_suggestions, R_AUTH | R_LIST, "api_counsellor_suggestions"},
  {"POST", "/counsellor-suggestions/{id}/seen", seen, R_AUTH | R_CSRF, "counsellor_suggestion_seen"},
  {"DELETE", "/api/v1/counsellor-suggestions/{id}", seen, R_AUTH, "api_counsellor_suggestion"},
  {NULL, NULL, NULL, 0, NULL},
};
