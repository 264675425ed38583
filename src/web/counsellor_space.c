/* counsellor_space.c (web): the counsellor's side. Their couples, each with the signs that
   matter between sessions; each couple's live report (only the parts the couple chose); their
   own notes about a couple, sealed under their own key, which the couple never sees; and a
   suggestion for the week, sent to both partners' inboxes. A couple that has not let them in,
   or has ended it, is not found (404); each opening of a couple's report is logged for the
   couple (web_log_view, written once the read is answered). */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "keys.h"
#include "app/report.h"
#include "app/signs.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/counsellors.h"
#include "util/tcache.h"
#include <stdio.h>
#include <string.h>

#define SESSION_NOTE_MAX 20000
#define SUGGESTION_MAX 1000
#define LIVE_DAYS 56 /* the live report covers the last eight weeks */
#define COUPLES_MAX 500

/* ---------- the couples and their signs ---------- */

typedef struct {
  access_t a;
  user_t partners[2];
  int n;
  couple_signs signs;
} one_couple;

typedef struct { rq_t *rq; one_couple *v; int n, failed; } couples_ctx;

static void keep_couple(void *p, const void *row) {
  couples_ctx *c = p;
  if (c->failed || c->n == COUPLES_MAX) return;
  one_couple *x = &c->v[c->n];
  x->a = *(const access_t *)row;
  /* the texts outlive the row: copied into the request's memory */
  x->a.tools = h2o_strdup(&c->rq->req->pool, x->a.tools, SIZE_MAX).base;
  x->a.name = x->a.username = "";
  c->n++;
}

/* Each partner to their couple in the list (every access to that couple). */
static void keep_partner(void *p, const void *row) {
  couples_ctx *c = p;
  const user_t *u = row;
  for (int i = 0; i < c->n; i++) {
    one_couple *x = &c->v[i];
    if (x->a.couple_id == u->couple_id && x->n < 2) x->partners[x->n++] = *u; /* an older, ended access too */
  }
}

/* Every couple that let this counsellor in (open ones first), with their partners, and the
   signs of the open ones (kept per loop while a couple's data stands still, so a list of 40
   asks two queries when nothing changed): 0, or -1 on a database error. */
static int load_couples(rq_t *rq, couples_ctx *c) {
  c->rq = rq;
  c->v = h2o_mem_alloc_pool(&rq->req->pool, sizeof *c->v * COUPLES_MAX);
  c->n = c->failed = 0;
  if (counsellor_couples(rq->db, rq->s.user.id, keep_couple, c) != DB_OK || c->failed) return -1;
  for (int i = 0; i < c->n; i++) c->v[i].n = 0;
  if (acct_partners_seen_by(rq->db, rq->s.user.id, keep_partner, c) != DB_OK) return -1;
  for (int i = 0; i < c->n; i++) {
    one_couple *x = &c->v[i];
    if (x->a.ended_at || !x->n) continue;
    app_couple ac = {rq->db, x->a.couple_id, x->partners[0].id, x->partners, x->n, &rq->mem, web_now(),
                     db_tx_depth(rq->db) == 0 ? x->a.version : -1};
    if (app_couple_signs(&ac, &x->signs) != 0) return -1;
  }
  return 0;
}

static void names_html(sb_t *o, const one_couple *x) {
  if (x->n > 1) sb_html(o, "%s and %s", x->partners[0].display_name, x->partners[1].display_name);
  else if (x->n) sb_markup(o, "%s", x->partners[0].display_name);
}

static void num(char *out, size_t cap, double v, int digits) { i18n_number(i18n_current(), v, digits, out, cap); }

static void signs_html(sb_t *o, const one_couple *x) {
  const couple_signs *s = &x->signs;
  sb_puts(o, "<dl class=\"facts signs\">\n");
  sb_text(o, "<dt>Trust</dt><dd>");
  for (int k = 0; k < s->n && k < 2; k++) {
    const partner_signs *p = &s->p[k];
    if (k) sb_puts(o, "; ");
    if (!p->has_trust) { sb_html(o, "%s: no check-in yet", x->partners[k].display_name); continue; }
    char t[16], d[16];
    num(t, sizeof t, p->trust, 1);
    num(d, sizeof d, p->trend < 0 ? -p->trend : p->trend, 2);
    if (p->trend > 0.05) sb_html(o, "%s: %s of 7, rising (+%s a week)", x->partners[k].display_name, t, d);
    else if (p->trend < -0.05) sb_html(o, "%s: %s of 7, falling (−%s a week)", x->partners[k].display_name, t, d);
    else sb_html(o, "%s: %s of 7, steady", x->partners[k].display_name, t);
  }
  sb_puts(o, "</dd>\n");
  sb_text(o, "<dt>Promises kept</dt><dd>");
  for (int k = 0; k < s->n && k < 2; k++) {
    if (k) sb_puts(o, "; ");
    if (s->p[k].kept < 0) sb_html(o, "%s: not enough reports yet", x->partners[k].display_name);
    else sb_html(o, "%s: %d%%", x->partners[k].display_name, s->p[k].kept);
  }
  sb_puts(o, "</dd>\n");
  sb_text(o, "<dt>Check-ins missed</dt><dd>");
  sb_plural(o, s->checkins_missed, "%d of the last four weeks", "%d of the last four weeks", s->checkins_missed);
  sb_text(o, "</dd>\n<dt>Setbacks</dt><dd>");
  sb_plural(o, s->setbacks, "%d day with one in the last thirty", "%d days with one in the last thirty", s->setbacks);
  sb_text(o, "</dd>\n<dt>Open questions</dt><dd>");
  sb_plural(o, s->open_questions, "%d waiting for an answer", "%d waiting for an answer", s->open_questions);
  sb_puts(o, "</dd>\n</dl>\n");
  if (s->stuck) sb_text(o, "<p class=\"notice\">They look stuck: trust flat or falling for weeks, or promises kept too rarely.</p>\n");
}

static int h_couples_page(rq_t *rq, json_t *j) {
  (void)j;
  couples_ctx c;
  if (load_couples(rq, &c) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Your couples</h1>\n<p class=\"lead\">The couples who let you follow their report between sessions, with the "
             "signs that matter until you see them again. You see only what both partners agreed to show you, and they see "
             "each time you open their report.</p>\n");
  int open = 0, ended = 0;
  for (int i = 0; i < c.n; i++) {
    one_couple *x = &c.v[i];
    if (x->a.ended_at) continue;
    if (!open++) sb_puts(o, "<ul class=\"plain\">\n");
    sb_markup(o, "<li class=\"card\" id=\"c-%D\"><h2><a href=\"/counsellor/couples/%D\">", x->a.couple_id, x->a.couple_id);
    names_html(o, x);
    sb_puts(o, "</a></h2>\n");
    signs_html(o, x);
    sb_puts(o, "</li>\n");
  }
  if (open) sb_puts(o, "</ul>\n");
  else sb_text(o, "<p class=\"muted\">No couple has let you in yet. Give a couple your username: one of them asks on their "
                  "“A counsellor” page, the other agrees, and they appear here.</p>\n");
  for (int i = 0; i < c.n; i++) {
    one_couple *x = &c.v[i];
    if (!x->a.ended_at) continue;
    /* a couple who let them in again is in the list above; one who ended twice, once (the latest) */
    int again = 0;
    for (int k = 0; k < c.n; k++) again |= (!c.v[k].a.ended_at || k < i) && c.v[k].a.couple_id == x->a.couple_id;
    if (again) continue;
    if (!ended++) sb_text(o, "<section aria-labelledby=\"end-h\">\n<h2 id=\"end-h\">Access ended</h2>\n<ul class=\"plain\">\n");
    sb_puts(o, "<li>");
    names_html(o, x);
    sb_text(o, " ended your access on ");
    page_time(o, x->a.ended_at);
    sb_puts(o, ".</li>\n");
  }
  if (ended) sb_puts(o, "</ul>\n</section>\n");
  return page_end(rq, o, 200);
}

static void signs_json(sb_t *o, const one_couple *x) {
  const couple_signs *s = &x->signs;
  sb_puts(o, "{\"trust\":[");
  for (int k = 0; k < s->n && k < 2; k++) {
    char t[24] = "null", d[24] = "null";
    if (s->p[k].has_trust) {
      snprintf(t, sizeof t, "%.2f", s->p[k].trust);
      snprintf(d, sizeof d, "%.3f", s->p[k].trend);
    }
    sb_json(o, "%r{\"partner\":%D,\"latest\":%r,\"trend\":%r}", k ? "," : "", x->partners[k].id, t, d);
  }
  sb_puts(o, "],\"promises_kept\":[");
  for (int k = 0; k < s->n && k < 2; k++) {
    char p[16] = "null";
    if (s->p[k].kept >= 0) snprintf(p, sizeof p, "%d", s->p[k].kept);
    sb_json(o, "%r{\"partner\":%D,\"percent\":%r}", k ? "," : "", x->partners[k].id, p);
  }
  sb_json(o, "],\"checkins_missed\":%d,\"setbacks\":%d,\"stuck\":%r,\"open_questions\":%d}", s->checkins_missed, s->setbacks,
          s->stuck ? "true" : "false", s->open_questions);
}

/* The list's answer, kept per event-loop thread for a few counsellors while nothing of their
   couples moved (counsellor_fingerprint) and the day stands: a practice's counsellors open it
   often, and its signs are the costliest read mend has. On SQLite, while nothing at all was
   committed since (the connection's data stamp), not even the fingerprint is read. */
#define LIST_MEMO 4
#define LIST_MEMO_BYTES 32768 /* 40 couples (18 KB); a longer answer is made each time */
typedef struct {
  int64_t counsellor, day;
  uint64_t print, stamp;
  const db_t *db; /* the connection the stamp is of (NULL: none) */
  size_t len;
  char body[LIST_MEMO_BYTES];
} list_memo;
static tcache_t list_tc = TCACHE(sizeof(list_memo) * LIST_MEMO); /* made when a thread first asks */

static int h_api_couples(rq_t *rq, json_t *j) {
  (void)j;
  uint64_t print = 0, stamp = 0;
  int64_t day = web_now() / SECONDS_PER_DAY;
  list_memo *memos = tcache_get(&list_tc), *m = memos ? &memos[(uint64_t)rq->s.user.id % LIST_MEMO] : NULL;
  int stamped = db_data_stamp(rq->db, &stamp) == DB_OK;
  int mine = m && m->counsellor == rq->s.user.id && m->day == day && m->len;
  sb_t *o = web_out(rq);
  if (mine && stamped && m->db == rq->db && m->stamp == stamp) {
    sb_put(o, m->body, m->len);
    return web_json(rq, 200, o);
  }
  if (counsellor_fingerprint(rq->db, rq->s.user.id, &print) != DB_OK) return web_db_error(rq);
  if (mine && m->print == print) {
    m->db = stamped ? rq->db : NULL, m->stamp = stamp;
    sb_put(o, m->body, m->len);
    return web_json(rq, 200, o);
  }
  couples_ctx c;
  if (load_couples(rq, &c) != 0) return web_db_error(rq);
  sb_puts(o, "{\"couples\":[");
  int n = 0;
  for (int i = 0; i < c.n; i++) {
    one_couple *x = &c.v[i];
    if (x->a.ended_at) continue;
    sb_json(o, "%r{\"id\":%D,\"names\":[", n++ ? "," : "", x->a.couple_id);
    for (int k = 0; k < x->n; k++) sb_json(o, "%r%q", k ? "," : "", x->partners[k].display_name);
    sb_puts(o, "],\"tools\":");
    report_parts_json(o, x->a.tools);
    sb_puts(o, ",\"signs\":");
    signs_json(o, x);
    sb_puts(o, "}");
  }
  sb_puts(o, "]}");
  /* a read runs in one snapshot: what was read is what the fingerprint saw */
  if (m && o->len <= LIST_MEMO_BYTES) {
    memcpy(m->body, o->buf, o->len);
    m->len = o->len;
    m->counsellor = rq->s.user.id, m->print = print, m->day = day;
    m->db = stamped ? rq->db : NULL, m->stamp = stamp;
  }
  return web_json(rq, 200, o);
}

/* ---------- one couple ---------- */

/* The couple of the path, if they let this counsellor in: 0, or answered (404). */
static int couple_of(rq_t *rq, access_t *a) {
  int64_t couple = web_param_id(rq, 0);
  int rc = couple < 0 ? DB_DONE : counsellor_access(rq->db, rq->s.user.id, couple, a, &rq->mem);
  if (rc == DB_DONE) { web_error(rq, 404, "not_found", "There is no such couple among yours.", NULL); return -1; }
  if (rc != DB_ROW) { web_db_error(rq); return -1; }
  return 0;
}

/* The opening is logged for the couple once the answer is made (http.c), as a read writes nothing. */
static void log_view(rq_t *rq, const access_t *a, const char *page) {
  rq->view_couple = a->couple_id;
  rq->view_access = a->id;
  rq->view_page = page;
}

static int live_report(rq_t *rq, const access_t *a, sb_t *body) {
  int64_t today = web_today(&rq->s.user), now = web_now();
  unsigned parts = report_parts_parse(a->tools, strlen(a->tools));
  return report_build_parts(rq->db, a->couple_id, today - LIVE_DAYS + 1, today, now, rq->s.user.display_name, parts, 1, &rq->mem,
                            body);
}

typedef struct { rq_t *rq; sb_t *o; web_list *l; int n; } nctx;

static void note_html(void *p, const void *row) {
  const cnote_t *c = row;
  nctx *x = p;
  const char *text = web_unseal(x->rq, "counsellor_note", c->id, c->sealed, c->n);
  if (!x->n++) sb_puts(x->o, "<ul class=\"plain\">\n");
  sb_markup(x->o, "<li class=\"card\"><p class=\"meta\">");
  page_time(x->o, c->created_at);
  sb_puts(x->o, "</p>\n");
  if (text) page_text(x->o, text);
  else sb_text(x->o, "<p class=\"muted\">This note cannot be opened in this session: log in again to read it.</p>\n");
  sb_puts(x->o, "</li>\n");
}

typedef struct { const char *err, *field, *note, *suggestion; } cform;

static int render_couple(rq_t *rq, int status, const cform *f) {
  access_t a;
  if (couple_of(rq, &a)) return 0;
  sb_t body;
  sb_init(&body, 16384);
  if (live_report(rq, &a, &body) != 0) { sb_free(&body); return web_db_error(rq); }
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<p class=\"crumbs\"><a href=\"/counsellor\">Your couples</a></p>\n");
  sb_markup(o, "<article class=\"report live\">\n%r</article>\n", body.buf);
  sb_free(&body);
  sb_text(o, "<section aria-labelledby=\"sug-h\" class=\"card\">\n<h2 id=\"sug-h\">Suggest something for this week</h2>\n"
             "<p>It waits in both partners’ inboxes until each sets it aside.</p>\n");
  sb_markup(o, "<form method=\"post\" action=\"/counsellor/couples/%D/suggestions\" novalidate>\n", a.couple_id);
  form_csrf(rq, o);
  int serr = f && f->field && !strcmp(f->field, "text") && f->suggestion;
  form_textarea(o, "text", "Your suggestion", f ? f->suggestion : NULL, N_("“This week, try the meeting agenda together.”"),
                serr ? f->err : NULL, 3, 1);
  sb_text(o, "<button type=\"submit\">Send it to them</button>\n</form>\n</section>\n");
  sb_text(o, "<section aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Your notes</h2>\n"
             "<p class=\"muted\">Sealed under your own key: the couple never sees them, nor does whoever runs this server.</p>\n");
  sb_markup(o, "<form method=\"post\" action=\"/counsellor/couples/%D/notes\" class=\"card\" novalidate>\n", a.couple_id);
  form_csrf(rq, o);
  int nerr = f && f->field && !strcmp(f->field, "text") && f->note;
  form_textarea(o, "note", "A note for this session", f ? f->note : NULL, NULL, nerr ? f->err : NULL, 5, 1);
  sb_text(o, "<button type=\"submit\" class=\"secondary\">Keep the note</button>\n</form>\n");
  nctx nc = {rq, o, NULL, 0};
  if (cnote_list(rq->db, a.couple_id, rq->s.user.id, note_html, &nc) != DB_OK) return web_db_error(rq);
  if (nc.n) sb_puts(o, "</ul>\n");
  sb_puts(o, "</section>\n");
  if (!f) log_view(rq, &a, "report");
  return page_end(rq, o, status);
}

static int h_couple_page(rq_t *rq, json_t *j) { (void)j; return render_couple(rq, 200, NULL); }

static int h_api_report(rq_t *rq, json_t *j) {
  (void)j;
  access_t a;
  if (couple_of(rq, &a)) return 0;
  sb_t body;
  sb_init(&body, 16384);
  if (live_report(rq, &a, &body) != 0) { sb_free(&body); return web_db_error(rq); }
  int64_t today = web_today(&rq->s.user);
  char from[DAY_CHARS], to[DAY_CHARS];
  day_format(today - LIVE_DAYS + 1, from);
  day_format(today, to);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"couple\":%D,\"tools\":", a.couple_id);
  report_parts_json(o, a.tools);
  sb_json(o, ",\"from\":%q,\"to\":%q,\"html\":%q}", from, to, body.buf);
  sb_free(&body);
  log_view(rq, &a, "api_report");
  return web_json(rq, 200, o);
}

static void note_json(void *p, const void *row) {
  const cnote_t *c = row;
  nctx *x = p;
  const char *sep = web_list_take_id(x->l, c->id);
  if (!sep) return;
  const char *text = web_unseal(x->rq, "counsellor_note", c->id, c->sealed, c->n);
  char at[ISO_TIME_CHARS];
  iso_time(c->created_at, at);
  sb_json(x->o, "%r{\"id\":%D,\"created_at\":%q,\"text\":%q,\"locked\":%r}", sep, c->id, at, text, text ? "false" : "true");
}

static int h_api_notes(rq_t *rq, json_t *j) {
  (void)j;
  access_t a;
  if (couple_of(rq, &a)) return 0;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "notes")) return 0;
  nctx c = {rq, o, &l, 0};
  if (cnote_list(rq->db, a.couple_id, rq->s.user.id, note_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static int form_again(rq_t *rq, const verdict *v) {
  int note = strstr(rq->route->pattern, "/notes") != NULL;
  cform f = {v->message, "text", note ? web_form_text(rq, "note") : NULL, note ? NULL : web_form_text(rq, "text")};
  if (note && !f.note) f.note = "";
  if (!note && !f.suggestion) f.suggestion = "";
  return render_couple(rq, 200, &f);
}

static int add_note(rq_t *rq, json_t *j) {
  access_t a;
  if (couple_of(rq, &a)) return 0;
  const char *t;
  size_t n;
  verdict v = web_check_text(rq, j, rq->api ? "text" : "note", SESSION_NOTE_MAX, 1, &t, &n);
  if (v.status) { v.field = "text"; return web_refuse(rq, v, form_again); }
  int64_t id = secret_id(), now = web_now();
  size_t sn;
  const unsigned char *sealed = web_seal(rq, "counsellor_note", id, t, n, &sn);
  if (!sealed) return web_locked(rq);
  if (cnote_add(rq->db, a.couple_id, id, rq->s.user.id, sealed, sn, now) != DB_OK) return web_db_error(rq);
  if (!rq->api) {
    char loc[64];
    snprintf(loc, sizeof loc, "/counsellor/couples/%lld#notes-h", (long long)a.couple_id);
    return web_redirect(rq, loc);
  }
  char at[ISO_TIME_CHARS];
  iso_time(now, at);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"id\":%D,\"created_at\":%q,\"text\":%q,\"locked\":false}", id, at, t);
  char where[64];
  snprintf(where, sizeof where, "/api/v1/counsellor/couples/%lld/notes", (long long)a.couple_id);
  return web_created(rq, o, where, id);
}

static int suggest(rq_t *rq, json_t *j) {
  /* the couple's rows change: their lock first, as for any writer of theirs, so the access is
     read as it stands under it (a partner ending it at this moment comes before or after) */
  int64_t couple = web_param_id(rq, 0);
  if (couple > 0) {
    int lr = db_lock_couple(rq->db, couple);
    if (lr != DB_OK && lr != DB_DONE) return web_db_error(rq);
  }
  access_t a;
  if (couple_of(rq, &a)) return 0;
  const char *t;
  size_t n;
  verdict v = web_check_text(rq, j, "text", SUGGESTION_MAX, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  if (suggestion_add(rq->db, a.couple_id, id, rq->s.user.id, t, now) != DB_OK || db_bump_couple(rq->db, a.couple_id) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) {
    char loc[64];
    snprintf(loc, sizeof loc, "/counsellor/couples/%lld", (long long)a.couple_id);
    return web_redirect(rq, loc);
  }
  char at[ISO_TIME_CHARS];
  iso_time(now, at);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"id\":%D,\"from\":%q,\"text\":%q,\"created_at\":%q}", id, rq->s.user.display_name, t, at);
  return web_created(rq, o, "/api/v1/counsellor-suggestions", id);
}

/* ---------- an invitation by e-mail, accepted with the account they have ---------- */

/* The link's code (from /join/CODE, accounts.c shows the button): the couple's access becomes
   theirs, once, as a new account's would. */
static int accept_invitation(rq_t *rq, json_t *j) {
  const char *t;
  size_t n;
  verdict v = web_check_text(rq, j, "code", 64, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, NULL);
  char code[INVITE_CHARS + 1];
  if (!secret_invite_normalize(t, n, code))
    return web_error(rq, 422, "invalid", "An invite code has 16 letters and digits, like K7QM-3ZRT-9XWB-C2DF.", "code");
  unsigned char hash[HASH_BYTES];
  secret_hash(code, INVITE_CHARS, hash);
  int64_t couple = 0;
  switch (invite_accept(rq->db, hash, rq->s.user.id, web_now(), &couple)) {
    case JOIN_OK: break;
    case JOIN_UNKNOWN: return web_error(rq, 404, "unknown_invite", "That invitation is not known. Check the link in the mail.", "code");
    case JOIN_GONE:
      return web_error(rq, 410, "invite_gone", "That invitation was used already, has expired or was withdrawn. Ask the couple to "
                                               "invite you again.", "code");
    case JOIN_TAKEN: return web_error(rq, 409, "already_asked", "You follow this couple already.", "code");
    default: return web_db_error(rq);
  }
  char loc[64];
  snprintf(loc, sizeof loc, "/counsellor/couples/%lld", (long long)couple);
  if (!rq->api) return web_redirect(rq, loc);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"couple_id\":%D}", couple);
  return web_json(rq, 200, o);
}

const route_t counsellor_space_routes[] = {
  {"GET", "/counsellor", h_couples_page, R_AUTH | R_COUNSELLOR, "counsellor"},
  {"GET", "/counsellor/couples/{id}", h_couple_page, R_AUTH | R_COUNSELLOR, "counsellor_couple"},
  TWIN("POST", "/counsellor/couples/{id}/notes", add_note, R_AUTH | R_COUNSELLOR | R_BODY, "counsellor_notes"),
  TWIN("POST", "/counsellor/couples/{id}/suggestions", suggest, R_AUTH | R_COUNSELLOR | R_BODY, "counsellor_suggestions"),
  TWIN("POST", "/counsellor/invitations/accept", accept_invitation, R_AUTH | R_COUNSELLOR | R_BODY, "counsellor_accept"),
  {"GET", "/api/v1/counsellor/couples", h_api_couples, R_AUTH | R_COUNSELLOR, "api_counsellor_couples"},
  {"GET", "/api/v1/counsellor/couples/{id}/report", h_api_report, R_AUTH | R_COUNSELLOR, "api_counsellor_report"},
  {"GET", "/api/v1/counsellor/couples/{id}/notes", h_api_notes, R_AUTH | R_COUNSELLOR | R_LIST, "api_counsellor_notes"},
  {NULL, NULL, NULL, 0, NULL},
};
