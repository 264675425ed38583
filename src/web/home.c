/* home.c (web): the home page: the welcome for a visitor; for a partner, first the list of
   what waits for them (also GET /api/v1/inbox), where the couple stands and the next step, the gentle prompt toward a therapist when
   things look stuck, and the invite while the other partner has not joined. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "app/next_step.h"
#include "app/progress.h"
#include "app/reminders.h"
#include "core/checkin_rules.h"
#include "core/plan.h"
#include "core/secret.h"
#include "db/inbox.h"
#include "util/tcache.h"
#include <stdio.h>
#include <string.h>

#define INVITE_TTL (7 * SECONDS_PER_DAY) /* an invite works this long, once */

/* ---- what waits for this partner (the page's first list, and GET /api/v1/inbox) ---- */

/* Where one tap on an item leads (app/reminders.c: pushes lead there too). */
static const char *item_url(rq_t *rq, const inbox_row *r) {
  char buf[80];
  app_inbox_url(r, buf, sizeof buf);
  return h2o_strdup(&rq->req->pool, buf, SIZE_MAX).base;
}

/* What the item asks, in plain words, with the partner's name (HTML, escaped). */
static void item_html(rq_t *rq, sb_t *o, const inbox_row *r) {
  const char *k = r->kind, *who = r->by ? web_who(rq, r->by) : _("Whoever runs this server");
  sb_markup(o, "<li><a href=\"%s\">", item_url(rq, r));
  if (!strcmp(k, "question_answer")) sb_html(o, "Answer %s's question: \u201c%s\u201d", who, r->title);
  else if (!strcmp(k, "apology_read")) sb_html(o, "Read the apology %s wrote you", who);
  else if (!strcmp(k, "agreement_sign")) sb_html(o, "Sign \u201c%s\u201d, proposed by %s", r->title, who);
  else if (!strcmp(k, "agreement_revision")) sb_html(o, "Agree to the new wording of \u201c%s\u201d", r->title);
  else if (!strcmp(k, "agreement_retire")) sb_html(o, "%s asks to retire \u201c%s\u201d", who, r->title);
  else if (!strcmp(k, "agreement_review")) sb_html(o, "Review \u201c%s\u201d together: keep it, loosen it or end it", r->title);
  else if (!strcmp(k, "promise_confirm"))
    sb_plural(o, r->count, "Confirm %s's report on \u201c%s\u201d", "Confirm %s's reports on \u201c%s\u201d", who, r->title);
  else if (!strcmp(k, "checkin_answer")) sb_html(o, "%s answered this week's check-in: add yours", who);
  else if (!strcmp(k, "checkin_revealed")) sb_html(o, "You both answered this week's check-in: see %s's answers", who);
  else if (!strcmp(k, "forgiveness_note")) sb_html(o, "%s shared a note about forgiveness", who);
  else if (!strcmp(k, "trigger_shared")) sb_html(o, "%s shared a hard moment: let them know you are here", who);
  else if (!strcmp(k, "moment_note")) sb_html(o, "Add your note to \u201c%s\u201d", r->title);
  else if (!strcmp(k, "report_made")) sb_html(o, "%s made a report for a counsellor", who);
  else if (!strcmp(k, "hard_date") && !r->count) sb_html(o, "Today is “%s”: a hard day. Be near, and say so", r->title);
  else if (!strcmp(k, "hard_date"))
    sb_plural(o, r->count, "“%s” is in %D day: reassure %s ahead of it", "“%s” is in %D days: reassure %s ahead of it", r->title, r->count, web_partner_name(rq));
  else if (!strcmp(k, "letter_read") && !strcmp(r->title, "disclosure"))
    sb_html(o, "%s gave you a disclosure: read it when you are ready", who);
  else if (!strcmp(k, "letter_read") && !strcmp(r->title, "impact"))
    sb_html(o, "%s gave you an impact letter: read it when you are ready", who);
  else if (!strcmp(k, "letter_read")) sb_html(o, "%s gave you a restitution letter: read it when you are ready", who);
  else if (!strcmp(k, "letters_destroy")) sb_html(o, "%s asks to destroy the letters together", who);
  else if (!strcmp(k, "timeout_on")) sb_text(o, "A time-out was called: take the time, then come back as you agreed");
  else if (!strcmp(k, "timeout_over")) sb_text(o, "The time-out is over: come back to each other, gently");
  else if (!strcmp(k, "talk_turn")) sb_html(o, "Your turn in the talk about \u201c%s\u201d", r->title);
  else if (!strcmp(k, "counsellor_agree")) sb_html(o, "%s asks to let %s, a counsellor, see your report: agree or not", who, r->title);
  else if (!strcmp(k, "counsellor_suggestion")) sb_html(o, "%s suggests something for this week", r->title);
  else sb_html(o, "%s left the couple space", r->title);
  sb_puts(o, "</a> <span class=\"muted\">");
  page_time(o, r->since);
  sb_puts(o, "</span></li>\n");
}

typedef struct { rq_t *rq; sb_t *o; int n; } inbox_ctx;

static void inbox_head(sb_t *o, const char *cls) {
  sb_markup(o, "<section aria-labelledby=\"wait-h\" class=\"%r\">\n<h2 id=\"wait-h\">%s</h2>\n", cls, _("Waiting for you"));
}

static void inbox_page_item(void *p, const void *row) {
  inbox_ctx *c = p;
  if (!c->n++) { inbox_head(c->o, "card waiting"); sb_puts(c->o, "<ul class=\"inbox\">\n"); }
  item_html(c->rq, c->o, row);
}

static void inbox_api_item(void *p, const void *row) {
  inbox_ctx *c = p;
  const inbox_row *r = row;
  char since[ISO_TIME_CHARS];
  iso_time(r->since, since);
  sb_json(c->o, "%r{\"kind\":%q,\"id\":%D,\"title\":%q,\"since\":%q,\"url\":%q", c->n++ ? "," : "", r->kind, r->id,
          r->title, since, item_url(c->rq, r));
  if (!strcmp(r->kind, "hard_date")) sb_json(c->o, ",\"days\":%D", r->count);
  sb_putc(c->o, '}');
}

/* The list is kept per thread and partner while the couple's data version and the partner's
   day stand still: its one query asks ten tables, the dearest of the home page on PostgreSQL.
   Only a short list fits (a long one is asked again each time). */
#define IMEMO 64
#define IMEMO_ROWS 12
#define IMEMO_TEXT 1024
typedef struct {
  int64_t viewer, version, today;
  int n, used;
  inbox_row rows[IMEMO_ROWS];
  char text[IMEMO_TEXT]; /* the rows' kinds and titles */
} imemo;
static tcache_t imemo_tc = TCACHE(sizeof(imemo) * IMEMO);

typedef struct { db_each cb; inbox_ctx *c; imemo *m; size_t at; int fits; } imemo_fill;

static void keep_item(void *p, const void *row) {
  imemo_fill *f = p;
  const inbox_row *r = row;
  f->cb(f->c, r);
  size_t kn = strlen(r->kind) + 1, tn = strlen(r->title) + 1;
  if (!f->fits || f->m->n == IMEMO_ROWS || f->at + kn + tn > IMEMO_TEXT) { f->fits = 0; return; }
  inbox_row *k = &f->m->rows[f->m->n++];
  *k = *r;
  k->kind = memcpy(f->m->text + f->at, r->kind, kn);
  f->at += kn;
  k->title = memcpy(f->m->text + f->at, r->title, tn);
  f->at += tn;
}

/* Everything the other partner asks of this one, newest first, through cb. */
static int inbox(rq_t *rq, db_each cb, inbox_ctx *c) {
  int64_t today = web_today(&rq->s.user), v = web_data_version(rq), me = rq->s.user.id, now = web_now();
  /* a time-out running or just over changes what waits by the clock alone */
  if (rq->s.timeout_until > now - 3600) v = -1;
  imemo *tab = tcache_get(&imemo_tc), spare, *m = tab ? &tab[(uint64_t)me % IMEMO] : &spare;
  if (!tab) spare.used = 0;
  if (v >= 0 && m->used && m->viewer == me && m->version == v && m->today == today) {
    for (int i = 0; i < m->n; i++) cb(c, &m->rows[i]);
    return DB_OK;
  }
  /* news of the last seven days, counted from the start of a day so that a day's list stands */
  inbox_ask a = {rq->s.user.couple_id, me, web_resting(rq) == 1, ci_week_of(today), today, (today - 7) * SECONDS_PER_DAY, now};
  *m = (imemo){.viewer = me};
  imemo_fill f = {cb, c, m, 0, 1};
  int rc = inbox_list(rq->db, &a, keep_item, &f);
  if (rc == DB_OK && f.fits && v >= 0) {
    m->version = v;
    m->today = today;
    m->used = 1;
  }
  return rc;
}

/* Marked while something waits; calm when nothing does. */
static void home_inbox(rq_t *rq, sb_t *o) {
  inbox_ctx c = {rq, o, 0};
  int rc = inbox(rq, inbox_page_item, &c);
  if (c.n) sb_puts(o, "</ul>\n");
  else if (rc == DB_OK) {
    inbox_head(o, "card");
    const user_t *p = web_partner(rq);
    sb_html(o, "<p>Nothing is waiting for you right now.</p>\n<p>A small thing for today: <a href=\"/truths\">write "
               "today's truth</a>");
    if (p && !p->deleted_at) sb_html(o, ", or <a href=\"/moments#ap-h\">thank %s for something</a>", p->display_name);
    sb_puts(o, ".</p>\n");
  } else {
    inbox_head(o, "card");
    sb_text(o, "<p>What is waiting could not be read just now. Reload in a moment.</p>\n");
  }
  sb_puts(o, "</section>\n");
}

static int h_api_inbox(rq_t *rq, json_t *j) {
  (void)j;
  if (web_partners(rq) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  sb_puts(o, "{\"items\":[");
  inbox_ctx c = {rq, o, 0};
  if (inbox(rq, inbox_api_item, &c) != DB_OK) return web_db_error(rq);
  sb_puts(o, "]}");
  return web_json(rq, 200, o);
}

/* Where the couple stands and the next useful thing for this partner. */
/* While the couple looks stuck: a word toward a therapist, until "not now" (guidance.c). */
static void help_prompt(rq_t *rq, sb_t *o) {
  const app_couple *app = web_app(rq);
  if (!app || !app_help_prompt_due(app)) return;
  sb_html(o, "<section class=\"card notice\" aria-labelledby=\"help-h\">\n<h2 id=\"help-h\">A thought, gently</h2>\n"
             "<p>For a few weeks, things between you have not moved much. That happens to many couples. Talking it "
             "through with a couples therapist can help you find the way forward together.</p>\n"
             "<p><a href=\"/guidance\">When and how to ask for help</a></p>\n<form method=\"post\" action=\"/guidance/dismiss\">");
  form_csrf(rq, o);
  sb_text(o, "<button type=\"submit\" class=\"secondary\">Not now</button></form>\n</section>\n");
}

/* Where the two of you are at a glance: the phase's steps taken, this week's check-in, the
   daily-truth streaks. 0, or -1 on a database error. */
static int home_glance(rq_t *rq, sb_t *o, const app_couple *app, const plan_phase *ph, const program_standing *st) {
  const user_t *partner = web_partner(rq);
  const char *pname = web_partner_name(rq);
  sb_puts(o, "<ul class=\"glance\">\n");
  if (ph && ph->nsteps) {
    /* the steps of this partner's own path (everyone's, and theirs) */
    int taken = 0, own = 0, path = plan_path(rq->s.user.path);
    for (int k = 0; k < ph->nsteps; k++)
      if (plan_step_mine(&ph->steps[k], path)) { own++; taken += (st->taken >> k) & 1; }
    sb_html(o, "<li><span class=\"what\">Steps</span> <span><progress max=\"%d\" value=\"%d\" aria-label=\"Steps taken\"></progress> "
               "<a href=\"/program\">%d of %d taken</a></span></li>\n", own, taken, taken, own);
  }
  app_checkin_glance_t ci;
  if (app_checkin_glance(app, &rq->s.user, 1, &ci) != 0) return -1;
  sb_text(o, "<li><span class=\"what\">Check-in</span> <span>");
  if (!ci.set) {
    sb_text(o, "<a href=\"/checkins\">Choose a time for it together</a>");
  } else {
    sb_puts(o, "<a href=\"/checkins\">");
    day_html(o, ci.day, web_today(&rq->s.user));
    sb_html(o, " at %s</a>", ci.time);
    if (ci.mine && ci.partner) sb_text(o, "; you both answered this week's");
    else if (ci.mine) sb_html(o, "; yours is in, %s's not yet", pname);
    else if (ci.partner) sb_html(o, "; %s answered, yours is waiting", pname);
  }
  sb_puts(o, "</span></li>\n");
  int mine = app_truth_streak(app, &rq->s.user);
  sb_plural(o, mine, "<li><span class=\"what\">Daily truths</span> <span><a href=\"/truths\">your streak: %d day</a>", "<li><span class=\"what\">Daily truths</span> <span><a href=\"/truths\">your streak: %d days</a>", mine);
  if (partner) {
    int theirs = app_truth_streak(app, partner);
    sb_markup(o, "; %s's: %d", pname, theirs);
  }
  sb_puts(o, "</span></li>\n</ul>\n");
  return 0;
}

static int home_today(rq_t *rq, sb_t *o) {
  home_inbox(rq, o);
  help_prompt(rq, o);
  waiting_counts w;
  int64_t t = web_today(&rq->s.user);
  program_waiting(rq->db, rq->s.user.couple_id, rq->s.user.id, t, day_weekday(t), &w);
  /* what the calendar asks of this partner (what the other asks is in the list above) */
  int to_report = w.promises_to_report;
  if (to_report)
    sb_plural(o, to_report, "<section aria-labelledby=\"prom-h\" class=\"card\">\n<h2 id=\"prom-h\">Promises today</h2>\n<p><a href=\"/promises\">"
               "%d promise of yours to report for today</a></p>\n</section>\n", "<section aria-labelledby=\"prom-h\" class=\"card\">\n<h2 id=\"prom-h\">Promises today</h2>\n<p><a href=\"/promises\">"
               "%d promises of yours to report for today</a></p>\n</section>\n", to_report);
  program_standing st = {.phase = 1};
  const app_couple *app = web_app(rq);
  plan_next nx = {"Keep going, one small step at a time.", "program"};
  if (app && app_program_standing(app, &st) == 0) nx = app_next_step(app, &st, &w, web_has_page);
  const plan_phase *ph = plan_phase_at(st.phase);
  sb_html(o, "<section aria-labelledby=\"now-h\" class=\"card now\">\n<h2 id=\"now-h\">Where you are: %s</h2>\n<p>%s</p>\n",
          ph ? _(ph->name) : "", ph ? _(ph->summary) : "");
  int archived = web_resting(rq) && nx.tool &&
                 (!strcmp(nx.tool, "breach") || !strcmp(nx.tool, "questions") || !strcmp(nx.tool, "apologies"));
  if (archived) sb_html(o, "<p class=\"next\"><a href=\"/moments\">Plan a moment together</a></p>\n");
  else if (nx.tool && *nx.tool) sb_markup(o, "<p class=\"next\"><a href=\"/%s\">%s</a></p>\n", nx.tool, _(nx.text));
  else sb_markup(o, "<p class=\"next\">%s</p>\n", _(nx.text));
  if (app && home_glance(rq, o, app, ph, &st) != 0) return -1;
  sb_puts(o, "</section>\n");
  return 0;
}


/* The home page of a logged-in partner: the couple, and the invite while one is missing.
   new_code is shown once, right after it was made. */
static int render_home(rq_t *rq, int status, const char *new_code, int64_t new_expiry) {
  db_t *db = rq->db;
  if (web_partners(rq) != 0) return web_db_error(rq);
  const user_t *p = rq->partners;
  int n = rq->npartners;
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Hello, %s</h1>\n", rq->s.user.display_name);
  if (home_today(rq, o) != 0) return web_db_error(rq);
  sb_html(o, "<section aria-labelledby=\"couple-h\" class=\"card\">\n<h2 id=\"couple-h\">Your couple space</h2>\n<ul class=\"partners\">\n");
  for (int i = 0; i < n; i++) {
    int me = p[i].id == rq->s.user.id, path = plan_path(p[i].path);
    sb_markup(o, "<li><strong>%s</strong>%s", p[i].display_name, me ? _(" (you)") : "");
    if (path && me) sb_markup(o, " \u00b7 %s \u00b7", _(plan_path_names[path - 1]));
    else if (path) sb_markup(o, " %s \u00b7", _(plan_path_others[path - 1]));
    sb_text(o, " <span class=\"muted\">joined ");
    page_time(o, p[i].created_at);
    if (p[i].deleted_at) { sb_text(o, "; deleted their account "); page_time(o, p[i].deleted_at); }
    sb_markup(o, "</span></li>\n");
  }
  sb_markup(o, "</ul>\n");
  if (!plan_path(rq->s.user.path))
    sb_text(o, "<p>Which describes you: you were hurt, you broke trust, or both? <a href=\"/program#path\">Say it once</a>, "
               "and the program takes the steps in your order.</p>\n");
  if (n < 2) {
    if (new_code) {
      const char *link = web_link(rq, "/join/", new_code, "");
      sb_html(o, "<div class=\"notice\" role=\"status\">\n<p>Give your partner this invite. It works once and "
                 "until ");
      page_time(o, new_expiry);
      sb_html(o, ". It is shown only now: if it gets lost, make a new one.</p>\n"
                 "<p class=\"code\" id=\"invite-code\">%s</p>\n"
                 "<p><a class=\"invite-link\" href=\"%s\">%s</a></p>\n"
                 "<p class=\"actions\"><button type=\"button\" class=\"secondary\" data-copy=\"%s\" hidden>Copy the link</button> "
                 "<button type=\"button\" class=\"secondary\" data-share=\"%s\" hidden>Send it</button></p>\n</div>\n",
              new_code, link, link, link, link);
    } else {
      int64_t pending = acct_invite_pending(db, rq->s.user.couple_id, web_now());
      sb_html(o, "<p>Your partner has not joined yet.</p>\n");
      if (pending) {
        sb_html(o, "<p>An invite is waiting, valid until ");
        page_time(o, pending);
        sb_html(o, ". Making a new one replaces it.</p>\n");
      }
    }
    sb_markup(o, "<form method=\"post\" action=\"/invites\">");
    form_csrf(rq, o);
    sb_html(o, "<button type=\"submit\">Make an invite</button></form>\n");
  }
  sb_markup(o, "</section>\n");
  return page_end(rq, o, status);
}

/* Makes an invite for the caller's couple. Returns 0 and fills code/expiry, or an HTTP status. */
static int make_invite(rq_t *rq, char code[INVITE_DISPLAY + 1], int64_t *expires) {
  db_t *db = rq->db;
  if (web_partners(rq) != 0) return 500;
  if (rq->npartners >= 2) return 409;
  secret_invite_code(code);
  char norm[INVITE_CHARS + 1];
  secret_invite_normalize(code, strlen(code), norm);
  unsigned char hash[HASH_BYTES];
  secret_hash(norm, INVITE_CHARS, hash);
  int64_t now = web_now();
  *expires = now + INVITE_TTL;
  return acct_invite_create(db, rq->s.user.couple_id, rq->s.user.id, hash, now, *expires) == DB_OK ? 0 : 500;
}

static int h_invite_post(rq_t *rq, json_t *j) {
  (void)j;
  char code[INVITE_DISPLAY + 1];
  int64_t exp;
  int rc = make_invite(rq, code, &exp);
  if (rc == 409) return web_redirect(rq, "/");
  if (rc) return web_db_error(rq);
  return render_home(rq, 200, code, exp);
}

static int h_api_invite(rq_t *rq, json_t *j) {
  (void)j;
  char code[INVITE_DISPLAY + 1], iso[ISO_TIME_CHARS];
  int64_t exp;
  int rc = make_invite(rq, code, &exp);
  if (rc == 409) return web_error(rq, 409, "couple_full", "Both partners have joined already.", NULL);
  if (rc) return web_db_error(rq);
  const char *link = web_link(rq, "/join/", code, "");
  iso_time(exp, iso);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"code\":%q,\"url\":%q,\"expires_at\":%q}", code, link, iso);
  return web_created(rq, o, link, -1);
}


static int h_welcome(rq_t *rq, json_t *j) {
  (void)j;
  if (rq->authed && rq->s.counsellor) return web_redirect(rq, "/counsellor");
  if (rq->authed) return render_home(rq, 200, NULL, 0);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o,
      "<h1>A quiet place to rebuild trust</h1>\n"
      "<p class=\"lead\">mend is for two people finding their way back after trust was broken: "
      "a lie, an affair, promises that did not hold. It gives you both a private space to say what happened, "
      "ask and answer hard questions calmly, make agreements you both sign, keep promises where both can see "
      "them, and check in each week.</p>\n"
      "<ul class=\"points\">\n<li>Only the two of you can see your space.</li>\n"
      "<li>Private notes stay locked with your own password.</li>\n"
      "<li>Nothing here reports what one of you does to the other.</li>\n</ul>\n"
      "<p class=\"actions\"><a class=\"button\" href=\"/signup\">Start our space</a> "
      "<a class=\"button secondary\" href=\"/login\">Log in</a></p>\n"
      "<p class=\"alt\">Your partner invited you? <a href=\"/join\">Join with an invite</a>.</p>\n");
  return page_end(rq, o, 200);
}


/* The tab bar's "Tools": every tool, and what is the partner's own. */
static int h_more(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<h1>Everything in mend</h1>\n<p class=\"lead\">Each tool has its part in the way back to trust. The "
             "program suggests which one comes next.</p>\n<nav aria-label=\"Every tool\" class=\"more\">\n");
  page_tools(rq, o, "more");
  sb_puts(o, "</nav>\n");
  return page_end(rq, o, 200);
}

const route_t home_routes[] = {
  {"GET", "/", h_welcome, 0, "home"},
  {"GET", "/more", h_more, R_AUTH, "more"},
  {"POST", "/invites", h_invite_post, R_AUTH | R_CSRF, "invites"},
  {"POST", "/api/v1/invites", h_api_invite, R_AUTH, "api_invites"},
  {"GET", "/api/v1/inbox", h_api_inbox, R_AUTH, "api_inbox"},
  {NULL, NULL, NULL, 0, NULL},
};
