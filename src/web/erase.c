/* erase.c (web): the data a couple owns. A partner downloads everything they may see as one
   JSON document (their private entries opened with their key); deletes their account (their
   private things go, the shared history stays for the other partner); or, together with the
   other partner, erases the whole couple space, every row of it. Both destructive steps ask
   for the password again, checked on the worker pool like a log-in. */
#include "web.h"
#include "html.h"
#include "pool.h"
#include "keys.h"
#include "session.h"
#include "core/validate.h"
#include "db/export.h"
#include "app/export_html.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_DELETE, A_ERASE };

typedef struct {
  int action;
  char pw[PASSWORD_MAX_BYTES + 1];
  size_t pwlen;
  char stored[PWHASH_CHARS];
  int ok;
} erase_job;

/* ---------- export ---------- */

static int export_answer(rq_t *rq, json_t *j) {
  (void)j;
  const unsigned char *dk;
  if (web_data_key(rq, &dk) != 0) return web_locked(rq);
  sb_t *o = web_out(rq);
  if (export_couple(rq->db, rq->s.user.couple_id, rq->s.user.id, dk, web_now(), o) != 0) return web_db_error(rq);
  char cd[96], day[ISO_TIME_CHARS];
  iso_time(web_now(), day);
  snprintf(cd, sizeof cd, "attachment; filename=\"mend-export-%.10s.json\"", day);
  web_header(rq, "content-disposition", cd);
  return web_send(rq, 200, "application/json; charset=utf-8", o->buf, o->len);
}

/* The same, as one readable page (app/export_html.c), to keep or to print. */
static int export_html_answer(rq_t *rq, json_t *j) {
  (void)j;
  const unsigned char *dk;
  if (web_data_key(rq, &dk) != 0) return web_locked(rq);
  sb_t doc = {0}, *o = web_out(rq);
  int ok = export_couple(rq->db, rq->s.user.couple_id, rq->s.user.id, dk, web_now(), &doc) == 0 &&
           app_export_html(doc.buf, doc.len, o) == 0;
  if (doc.buf) sodium_memzero(doc.buf, doc.cap); /* it held private words, opened */
  sb_free(&doc);
  if (!ok) return web_db_error(rq);
  char cd[96], day[ISO_TIME_CHARS];
  iso_time(web_now(), day);
  snprintf(cd, sizeof cd, "attachment; filename=\"mend-%.10s.html\"", day);
  web_header(rq, "content-disposition", cd);
  return web_send(rq, 200, "text/html; charset=utf-8", o->buf, o->len);
}


/* ---------- the account page's section ---------- */

/* The account page's "Your data" section (listed in routes.c's account_sections); err and
   field: a refused confirmation. */
void data_account_section(rq_t *rq, sb_t *o, const char *err, const char *field) {
  int mine = 0, theirs = 0;
  acct_erase_state(rq->db, rq->s.user.couple_id, rq->s.user.id, &mine, &theirs);
  const user_t *p = web_partner(rq);
  const char *pname = p ? p->display_name : _("your partner");
  sb_html(o, "<section aria-labelledby=\"data-h\" class=\"card\">\n<h2 id=\"data-h\">Your data</h2>\n"
             "<p><a href=\"/account/export\" download>Download everything</a> you can see here, as one JSON file: what "
             "you share with %s, and your own private entries, opened; or <a href=\"/account/export.html\" download>as a "
             "page to read</a>, tool by tool.</p>\n", pname);
  page_error_notice(o, err);
  sb_html(o, "<h3>Delete your account</h3>\n<p>Your private entries, drafts and unrevealed answers are erased, and you "
             "can no longer log in. What you shared stays for %s, under your name.</p>\n"
             "<form method=\"post\" action=\"/account/delete\" novalidate>\n", pname);
  form_csrf(rq, o);
  form_field(o, "password", "Your password, to confirm", "password", NULL, "current-password", NULL,
             field && !strcmp(field, "password") ? err : NULL);
  sb_text(o, "<button type=\"submit\" class=\"danger\">Delete my account</button>\n</form>\n"
             "<h3>Erase our couple space</h3>\n");
  if (theirs && !mine)
    sb_html(o, "<p class=\"notice\">%s asked to erase your couple space. It is erased when you ask too.</p>\n", pname);
  if (mine) {
    sb_html(o, "<p class=\"notice\">You asked to erase your couple space. It is erased when %s asks too.</p>\n"
               "<form method=\"post\" action=\"/couple/erase/withdraw\">", pname);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Take it back</button></form>\n");
  } else {
    sb_html(o, "<p>Everything either of you wrote, shared or private, is removed for good once both of you ask "
               "(or you alone, when %s has deleted their account or never joined).</p>\n"
               "<form method=\"post\" action=\"/couple/erase\" novalidate>\n", pname);
    form_csrf(rq, o);
    form_field(o, "erase_password", "Your password, to confirm", "password", NULL, "current-password", NULL,
               field && !strcmp(field, "erase_password") ? err : NULL);
    sb_text(o, "<button type=\"submit\" class=\"danger\">Erase our couple space</button>\n</form>\n");
  }
  sb_puts(o, "</section>\n");
}

/* ---------- deleting and erasing ---------- */

static int goodbye(rq_t *rq, const char *title, const char *text) {
  session_cookie(rq, "");
  rq->authed = 0; /* the page after it is a stranger's */
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n<p><a href=\"/\">mend</a></p>\n", title, text);
  return page_end(rq, o, 200);
}

/* The account page again, its data section showing why a confirmation was refused. */
static int refused(rq_t *rq, const char *msg, const char *field) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<h1>Your account</h1>\n");
  data_account_section(rq, o, msg, field);
  return page_end(rq, o, 200);
}

static int refused_again(rq_t *rq, const verdict *v) { return refused(rq, v->message, v->field); }

static void job_check(job_t *job) {
  erase_job *v = job->data;
  v->ok = secret_password_verify(v->stored, v->pw, v->pwlen);
  sodium_memzero(v->pw, sizeof v->pw);
}

static int state_json(rq_t *rq, int erased) {
  int mine = 0, theirs = 0;
  if (!erased && acct_erase_state(rq->db, rq->s.user.couple_id, rq->s.user.id, &mine, &theirs) != DB_OK)
    return web_db_error(rq);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"erased\":%r,\"mine\":%r,\"partner\":%r}", erased ? "true" : "false", mine ? "true" : "false",
          theirs ? "true" : "false");
  return web_json(rq, 200, o);
}

static void checked(job_t *job, rq_t *rq) {
  erase_job *v = job->data;
  const char *field = v->action == A_DELETE || rq->api ? "password" : "erase_password";
  if (!v->ok) {
    web_refuse(rq, (verdict){422, "bad_credentials", N_("That is not your password."), field}, refused_again);
    return;
  }
  db_t *db = rq->db;
  int64_t c = rq->s.user.couple_id, u = rq->s.user.id;
  if (web_write_begin(rq) != 0) return;
  /* erased words must not outlive the erasure in SQLite's WAL either */
  rq->wipe_wal = 1;
  if (v->action == A_DELETE) {
    if (acct_delete_user(db, c, u, web_now()) != DB_OK) { web_db_error(rq); return; }
    if (rq->api) { web_no_content(rq); return; }
    goodbye(rq, "Your account is deleted", "Your private entries are erased. Take care of yourself.");
    return;
  }
  int erased = 0;
  if (acct_erase_choose(db, c, u, web_now(), &erased) != DB_OK) { web_db_error(rq); return; }
  if (rq->api) { state_json(rq, erased); return; }
  if (erased) { goodbye(rq, "Your couple space is erased", "Everything the two of you wrote here is gone for good."); return; }
  web_redirect(rq, "/account#data-h");
}

static int confirm(rq_t *rq, json_t *j, int action) {
  erase_job job = {0}, *v = &job;
  v->action = action;
  const char *name = action == A_ERASE && !rq->api ? "erase_password" : "password";
  long n = -1;
  if (j) {
    size_t len;
    int bad = 0;
    const char *s = jget(j, name, &len, &bad);
    if (s && !bad && len < sizeof v->pw && !memchr(s, 0, len)) { memcpy(v->pw, s, len); n = (long)len; }
  } else {
    n = web_form(rq, name, v->pw, sizeof v->pw);
  }
  if (n <= 0) {
    return web_refuse(rq, (verdict){422, "required", N_("Confirm with your password."), rq->api ? "password" : name}, refused_again);
  }
  v->pwlen = (size_t)n;
  if (acct_password_hash(rq->db, rq->s.user.couple_id, rq->s.user.id, v->stored) != DB_ROW) {
    sodium_memzero(v->pw, sizeof v->pw);
    return web_db_error(rq);
  }
  pool_submit(rq, job_check, checked, v, sizeof *v);
  return 0;
}

static int delete_account(rq_t *rq, json_t *j) { return confirm(rq, j, A_DELETE); }
static int erase_couple(rq_t *rq, json_t *j) { return confirm(rq, j, A_ERASE); }

static int h_account_delete_post(rq_t *rq, json_t *j) { (void)j; return confirm(rq, NULL, A_DELETE); }
static int h_couple_erase_post(rq_t *rq, json_t *j) { (void)j; return confirm(rq, NULL, A_ERASE); }
static int h_api_couple_erase_state(rq_t *rq, json_t *j) { (void)j; return state_json(rq, 0); }

static int withdraw(rq_t *rq, json_t *j) {
  (void)j;
  if (acct_erase_withdraw(rq->db, rq->s.user.couple_id, rq->s.user.id) != DB_OK) return web_db_error(rq);
  if (rq->api) return web_no_content(rq);
  return web_redirect(rq, "/account#data-h");
}

const route_t erase_routes[] = {
  {"GET", "/account/export", export_answer, R_AUTH, "account_export"},
  {"GET", "/account/export.html", export_html_answer, R_AUTH, "account_export"},
  {"POST", "/account/delete", h_account_delete_post, R_AUTH | R_CSRF, "account_delete"},
  {"POST", "/couple/erase", h_couple_erase_post, R_AUTH | R_CSRF, "couple_erase"},
  {"POST", "/couple/erase/withdraw", withdraw, R_AUTH | R_CSRF, "couple_erase"},
  {"GET", "/api/v1/export", export_answer, R_AUTH, "api_export"},
  {"POST", "/api/v1/account/delete", delete_account, R_AUTH | R_BODY, "api_account_delete"},
  {"GET", "/api/v1/couple/erase", h_api_couple_erase_state, R_AUTH, "api_couple_erase"},
  {"POST", "/api/v1/couple/erase", erase_couple, R_AUTH | R_BODY, "api_couple_erase"},
  {"DELETE", "/api/v1/couple/erase", withdraw, R_AUTH, "api_couple_erase"},
  {NULL, NULL, NULL, 0, NULL},
};
