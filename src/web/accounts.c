/* accounts.c: sign-up, log in, join with an invite, the account page, and their JSON API
   twins. Password hashing runs on the worker pool (pool.c); each flow
   checks everything cheap first, so a request that will fail never costs a hash. */
#include "web.h"
#include "util/i18n.h"
#include "lists.h"
#include "html.h"
#include "pool.h"
#include "session.h"
#include "core/validate.h"
#include "core/throttle.h"
#include "util/tz.h"
#include "db/counsellors.h"
#include "db/feelings.h"
#include "db/questions.h"
#include "db/program.h"
#include "db/reports.h"
#include "core/commitments.h"
#include <sodium.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


enum { F_SIGNUP, F_LOGIN, F_JOIN, F_PASSWORD };

typedef struct {
  int flow;
  char username[USERNAME_MAX + 8];
  char display[DISPLAY_NAME_MAX * 4 + 8];
  char code[INVITE_CHARS + 1];
  char raw_code[64];
  char pw[PASSWORD_MAX_BYTES + 1], pw2[PASSWORD_MAX_BYTES + 1];
  size_t pwlen, pw2len;
  char stored[PWHASH_CHARS], newhash[PWHASH_CHARS];
  int found, ok;
  user_t u;
  /* the data key: made at sign-up, opened at log-in, rewrapped on a password change */
  unsigned char dk[SEAL_KEY], box[SEAL_KEYBOX];
  int has_box, new_box, has_dk;
  int counsellor; /* joining with a counsellor's invitation */
} acct_job;

typedef struct { const char *field, *msg; } ferr;

static void too_many(rq_t *rq, int64_t wait, const char *what, acct_job *v);

/* ---------- shared renderers ---------- */

static void intro_links(sb_t *o) {
  sb_html(o, "<p class=\"alt\">Already have an account? <a href=\"/login\">Log in</a>. "
             "Your partner invited you? <a href=\"/join\">Join with an invite</a>.</p>\n");
}

static const char *err_for(const ferr *e, const char *field) {
  return e && e->field && !strcmp(e->field, field) ? e->msg : NULL;
}

static void form_error_summary(sb_t *o, const ferr *e) {
  if (e && e->msg)
    sb_markup(o, "<div class=\"notice error\" role=\"alert\"><p>%s</p></div>\n", _(e->msg));
}

static int render_signup(rq_t *rq, int status, const acct_job *v, const ferr *e) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Make your couple space</h1>\n"
             "<p class=\"lead\">One of you starts here. You will get an invite to give your partner, "
             "and the two of you share this space. Nobody else can see it.</p>\n");
  form_error_summary(o, e);
  sb_markup(o, "<form method=\"post\" action=\"/signup\" novalidate>\n");
  form_csrf(rq, o);
  form_field(o, "display_name", "Your name", "text", v ? v->display : NULL, "name",
             N_("How your partner knows you."), err_for(e, "display_name"));
  form_field(o, "username", "Username", "text", v ? v->username : NULL, "username",
             N_("3 to 32 letters, digits, dots, dashes or underscores. You log in with it."), err_for(e, "username"));
  form_field(o, "password", "Password", "password", NULL, "new-password",
             N_("At least 10 characters. If you forget it, your private entries cannot be opened again."),
             err_for(e, "password"));
  sb_html(o, "<button type=\"submit\">Create our space</button>\n</form>\n");
  intro_links(o);
  return page_end(rq, o, status);
}

static int render_login(rq_t *rq, int status, const char *username, const ferr *e) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Log in</h1>\n");
  form_error_summary(o, e);
  sb_markup(o, "<form method=\"post\" action=\"/login\" novalidate>\n");
  form_csrf(rq, o);
  form_field(o, "username", "Username", "text", username, "username", NULL, err_for(e, "username"));
  form_field(o, "password", "Password", "password", NULL, "current-password", NULL, err_for(e, "password"));
  sb_html(o, "<button type=\"submit\">Log in</button>\n</form>\n"
             "<p class=\"alt\">New here? <a href=\"/signup\">Make a couple space</a> or "
             "<a href=\"/join\">join with an invite</a>.</p>\n");
  return page_end(rq, o, status);
}

/* Whether a code is a counsellor's invitation (mailed by push.c): 1 with the couple's two
   names in out, else 0. */
static int counsellor_invited(rq_t *rq, const char *code, user_t out[2], char *name, size_t cap) {
  char norm[INVITE_CHARS + 1];
  if (!code || !secret_invite_normalize(code, strlen(code), norm)) return 0;
  unsigned char hash[HASH_BYTES];
  secret_hash(norm, INVITE_CHARS, hash);
  invite_seen in;
  int n = 0;
  if (invite_status(rq->db, hash, web_now(), &in) == JOIN_UNKNOWN || acct_partners(rq->db, in.couple_id, out, &n) != DB_OK || n < 2)
    return 0;
  snprintf(name, cap, "%s", in.name);
  return 1;
}

static int render_join(rq_t *rq, int status, const char *code, const acct_job *v, const ferr *e) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  user_t couple[2];
  char invited[256] = "";
  int counsellor = counsellor_invited(rq, code, couple, invited, sizeof invited);
  if (counsellor)
    sb_html(o, "<h1>Follow %s and %s between sessions</h1>\n"
               "<p class=\"lead\">They invited you as their counsellor: make your account on this server to see the parts of "
               "their report they chose, live, for as long as they both want. Already have a counsellor's account here? Log "
               "in, then open this link again to accept with it.</p>\n", couple[0].display_name, couple[1].display_name);
  else
    sb_html(o, "<h1>Join your partner</h1>\n"
               "<p class=\"lead\">Your partner made a space for the two of you and gave you an invite code. "
               "Make your own account to join it; your password stays yours alone.</p>\n");
  form_error_summary(o, e);
  sb_markup(o, "<form method=\"post\" action=\"/join\" novalidate>\n");
  form_csrf(rq, o);
  form_field(o, "code", "Invite code", "text", code, "off", N_("Like K7QM-3ZRT-9XWB-C2DF."), err_for(e, "code"));
  form_field(o, "display_name", "Your name", "text", v ? v->display : counsellor ? invited : NULL, "name",
             counsellor ? N_("How the couples you follow know you.") : N_("How your partner knows you."), err_for(e, "display_name"));
  form_field(o, "username", "Username", "text", v ? v->username : NULL, "username",
             N_("3 to 32 letters, digits, dots, dashes or underscores."), err_for(e, "username"));
  form_field(o, "password", "Password", "password", NULL, "new-password",
             N_("At least 10 characters. If you forget it, your private entries cannot be opened again."),
             err_for(e, "password"));
  if (counsellor) sb_html(o, "<button type=\"submit\">Make my counsellor account</button>\n</form>\n");
  else sb_html(o, "<button type=\"submit\">Join</button>\n</form>\n");
  return page_end(rq, o, status);
}

static int render_account_tz(rq_t *rq, int status, const char *notice, const ferr *e, const char *tz_value,
                             const char *lang_value);
static int render_account(rq_t *rq, int status, const char *notice, const ferr *e) {
  return render_account_tz(rq, status, notice, e, NULL, NULL);
}

/* The language of mend's words for this partner: their choice, or "" to follow the browser. */
static void language_section(rq_t *rq, sb_t *o, const char *value, const char *err) {
  static const char *const values[] = {"", I18N_CODES, NULL};
  const char *names[I18N_COUNT + 2] = {N_("As this browser asks")};
  for (int i = 1; values[i]; i++) names[i] = i18n_name(i18n_find(values[i], strlen(values[i])));
  names[I18N_COUNT + 1] = NULL;
  sb_html(o, "<section aria-labelledby=\"lang-h\" class=\"card\">\n<h2 id=\"lang-h\">Language</h2>\n"
             "<p>The words mend shows you. Your partner may read mend in another language; what each of you writes "
             "stays as it was written.</p>\n<form method=\"post\" action=\"/account/language\" novalidate>\n");
  form_csrf(rq, o);
  form_select(o, "language", N_("Language"), values, names, value ? value : rq->s.user.language, err);
  sb_html(o, "<button type=\"submit\" class=\"secondary\">Save language</button>\n</form>\n</section>\n");
}

static int render_account_tz(rq_t *rq, int status, const char *notice, const ferr *e, const char *tz_value,
                             const char *lang_value) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Your account</h1>\n");
  if (notice) sb_markup(o, "<div class=\"notice\" role=\"status\"><p>%s</p></div>\n", _(notice));
  if (rq->s.counsellor && rq->s.password_once)
    sb_text(o, "<div class=\"notice\" role=\"status\"><p>Welcome. Choose your own password first: the one you were given "
               "opens nothing else until then.</p></div>\n");
  sb_html(o, "<dl class=\"facts\"><dt>Name</dt><dd>%s</dd><dt>Username</dt><dd>%s</dd><dt>Since</dt><dd>",
          rq->s.user.display_name, rq->s.user.username);
  page_time(o, rq->s.user.created_at);
  sb_html(o, "</dd></dl>\n<section aria-labelledby=\"pw-h\" class=\"card\">\n<h2 id=\"pw-h\">Change your password</h2>\n"
             "<p>Your other devices are logged out when you change it. A forgotten password cannot be "
             "recovered, and your private entries would stay locked.</p>\n");
  form_error_summary(o, e);
  sb_markup(o, "<form method=\"post\" action=\"/account/password\" novalidate>\n");
  form_csrf(rq, o);
  form_field(o, "current_password", "Current password", "password", NULL, "current-password", NULL,
             err_for(e, "current_password"));
  form_field(o, "new_password", "New password", "password", NULL, "new-password", N_("At least 10 characters."),
             err_for(e, "new_password"));
  sb_html(o, "<button type=\"submit\">Change password</button>\n</form>\n</section>\n");
  sb_html(o, "<section aria-labelledby=\"tz-h\" class=\"card\">\n<h2 id=\"tz-h\">Your time zone</h2>\n"
             "<p>Your day is your local day: for the daily truth and for promises due today.</p>\n"
             "<form method=\"post\" action=\"/account/timezone\" novalidate>\n");
  form_csrf(rq, o);
  form_field(o, "timezone", "Time zone", "text", tz_value ? tz_value : rq->s.user.timezone, "off",
             N_("A name like Europe/Paris, America/New_York or UTC."), err_for(e, "timezone"));
  sb_html(o, "<button type=\"submit\" class=\"secondary\">Save time zone</button>\n</form>\n</section>\n");
  language_section(rq, o, lang_value, err_for(e, "language"));
  sb_html(o, ""
             "<section aria-labelledby=\"out-h\" class=\"card\">\n<h2 id=\"out-h\">Log out everywhere</h2>\n"
             "<p>Ends every session of yours, on this device and all others, for example a phone you lost.</p>\n"
             "<form method=\"post\" action=\"/account/logout-everywhere\">");
  form_csrf(rq, o);
  sb_html(o, "<button type=\"submit\" class=\"secondary\">Log out everywhere</button></form>\n</section>\n");
  /* reminders, the calendar, looks and the couple's data are a partner's */
  if (!rq->s.counsellor)
    for (const account_section_fn *f = account_sections; *f; f++) (*f)(rq, o, NULL, NULL);
  return page_end(rq, o, status);
}

/* ---------- JSON shapes ---------- */

/* A person has one shape wherever they appear: {"id","display_name","joined_at","deleted","path",
   "language"}. */
static void json_person(sb_t *o, const user_t *u) {
  char iso[ISO_TIME_CHARS];
  iso_time(u->created_at, iso);
  sb_json(o, "{\"id\":%D,\"display_name\":%q,\"joined_at\":%q,\"deleted\":%r,\"path\":%q,\"language\":%q}", u->id,
          u->display_name, iso, u->deleted_at ? "true" : "false", u->path[0] ? u->path : NULL,
          u->language[0] ? u->language : NULL);
}

static void json_partners(sb_t *o, const user_t *p, int n);

/* The caller: {"user": person, "account": what only they see (with their role: "partner", or
   "counsellor", whose "couple" is their own space), "couple": {"id","partners"}}. */
static void json_self(sb_t *o, const user_t *u, const user_t *partners, int n, int counsellor) {
  sb_puts(o, "\"user\":");
  json_person(o, u);
  sb_json(o, ",\"account\":{\"username\":%q,\"timezone\":%q,\"role\":%q},\"couple\":{\"id\":%D,\"partners\":", u->username,
          u->timezone[0] ? u->timezone : "UTC", counsellor ? "counsellor" : "partner", u->couple_id);
  json_partners(o, partners, n);
  sb_puts(o, "}");
}

static int json_session(rq_t *rq, int status, const user_t *u, const char *token) {
  user_t partners[2];
  int n = 0;
  if (acct_partners(rq->db, u->couple_id, partners, &n) != DB_OK) return web_db_error(rq);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"token\":%q,", token);
  json_self(o, u, partners, n, counsellor_space(rq->db, u->couple_id));
  sb_puts(o, "}");
  if (status == 201) return web_created(rq, o, "/api/v1/users", u->id);
  return web_json(rq, status, o);
}

static void json_partners(sb_t *o, const user_t *p, int n) {
  sb_puts(o, "[");
  for (int i = 0; i < n; i++) {
    if (i) sb_putc(o, ',');
    json_person(o, &p[i]);
  }
  sb_puts(o, "]");
}

/* ---------- errors, in the caller's format ---------- */

static int fail(rq_t *rq, int status, const char *code, const char *field, const char *msg, acct_job *v) {
  if (rq->api) return web_error(rq, status, code, msg, field);
  ferr e = {field, msg};
  /* a form shown again with its mistakes is a normal page (browsers log 4xx documents as
     console errors); only a throttled log-in keeps its status, for Retry-After */
  if (status != 429) status = 200;
  switch (v ? v->flow : F_LOGIN) {
    case F_SIGNUP: return render_signup(rq, status, v, &e);
    case F_JOIN: return render_join(rq, status, v->raw_code, v, &e);
    case F_PASSWORD: return render_account(rq, status, NULL, &e);
    default: return render_login(rq, status, v ? v->username : NULL, &e);
  }
}

/* Reads one input from the JSON body or the form into out. Returns its length or -1, and
   answers the request (422, naming the field) when required and missing or unusable. */
static long input(rq_t *rq, json_t *j, const char *name, char *out, size_t cap, int *answered, acct_job *v) {
  long n = -1;
  if (j) {
    size_t len;
    int bad = 0;
    const char *s = jget(j, name, &len, &bad);
    if (bad) { *answered = 1; fail(rq, 422, "invalid", name, "This must be a string.", v); return -1; }
    if (s && len < cap && !memchr(s, 0, len)) { memcpy(out, s, len); out[len] = 0; n = (long)len; }
    else if (s) { *answered = 1; fail(rq, 422, "too_long", name, "This is too long.", v); return -1; }
  } else {
    n = web_form(rq, name, out, cap);
  }
  if (n <= 0) {
    *answered = 1;
    fail(rq, 422, "required", name, "Please fill this in.", v);
    return -1;
  }
  return n;
}


/* Reads username, password and display name, validating them. Returns 0 when answered. */
static int read_account_fields(rq_t *rq, json_t *j, acct_job *v) {
  int answered = 0;
  char raw[256];
  char display[sizeof v->display];
  /* keep what was typed for re-rendering the form, before validating */
  long dn = input(rq, j, "display_name", display, sizeof display, &answered, v);
  if (answered) return 0;
  size_t ds, dl;
  snprintf(v->display, sizeof v->display, "%s", display);
  const char *m = validate_display_name(display, (size_t)dn, &ds, &dl);
  if (m) { fail(rq, 422, "invalid", "display_name", m, v); return 0; }
  memmove(v->display, display + ds, dl);
  v->display[dl] = 0;
  long un = input(rq, j, "username", raw, sizeof raw, &answered, v);
  if (answered) return 0;
  snprintf(v->username, sizeof v->username, "%.*s", (int)(un > USERNAME_MAX ? USERNAME_MAX : un), raw);
  char norm[USERNAME_MAX + 1];
  m = validate_username(raw, (size_t)un, norm);
  if (m) { fail(rq, 422, "invalid", "username", m, v); return 0; }
  memcpy(v->username, norm, strlen(norm) + 1);
  long pn = input(rq, j, "password", v->pw, sizeof v->pw, &answered, v);
  if (answered) return 0;
  v->pwlen = (size_t)pn;
  m = validate_password(v->pw, v->pwlen);
  if (m) { fail(rq, 422, "invalid", "password", m, v); return 0; }
  return 1;
}

/* New accounts cost two hashes each: a few an hour per address, counted before hashing. */
static int signup_allowed(rq_t *rq, acct_job *v) {
  char addr[64];
  web_client_addr(rq, addr, sizeof addr);
  int64_t wait = throttle_hourly(rq->db, "signup", addr, web_now(), g_conf.signup_limit);
  if (wait < 0) { web_db_error(rq); return 0; }
  if (wait > 0) { too_many(rq, wait, "Many accounts were made from here in the last hour.", v); return 0; }
  return 1;
}

static int username_free(rq_t *rq, acct_job *v) {
  user_t u;
  char h[PWHASH_CHARS];
  int rc = acct_find_login(rq->db, v->username, &u, h);
  if (rc == DB_ROW) { fail(rq, 409, "taken", "username", "That username is taken. Choose another.", v); return 0; }
  if (rc != DB_DONE) { web_db_error(rq); return 0; }
  return 1;
}

/* ---------- worker functions (run on the pool) ---------- */

static void job_hash(job_t *job) {
  acct_job *v = job->data;
  job->result = secret_password_hash(v->pw, v->pwlen, v->newhash);
  if (!job->result) job->result = seal_keybox_new(v->pw, v->pwlen, v->dk, v->box);
  v->has_dk = v->new_box = !job->result;
  sodium_memzero(v->pw, sizeof v->pw);
}

/* After a good password: the data key from the keybox, or a new one for an account made
   before keys existed (or whose keybox does not open: its sealed entries are lost anyway). */
static void open_key(acct_job *v) {
  if (v->has_box && seal_keybox_open(v->box, v->pw, v->pwlen, v->dk) == 0) { v->has_dk = 1; return; }
  if (seal_keybox_new(v->pw, v->pwlen, v->dk, v->box) == 0) v->has_dk = v->new_box = 1;
}

static char dummy_hash[PWHASH_CHARS];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void) { secret_password_hash("not a real password", 19, dummy_hash); }

static void job_verify(job_t *job) {
  acct_job *v = job->data;
  if (v->found) v->ok = secret_password_verify(v->stored, v->pw, v->pwlen);
  else {
    /* the same work for an unknown username, so timing does not tell which names exist */
    pthread_once(&dummy_once, make_dummy);
    secret_password_verify(dummy_hash, v->pw, v->pwlen);
    v->ok = 0;
  }
  if (v->ok) open_key(v);
  if (v->ok && v->flow == F_PASSWORD) {
    job->result = secret_password_hash(v->pw2, v->pw2len, v->newhash);
    if (!job->result && v->has_dk) {
      job->result = seal_keybox_rewrap(v->dk, v->pw2, v->pw2len, v->box);
      v->new_box = !job->result;
    }
  }
  sodium_memzero(v->pw, sizeof v->pw);
  sodium_memzero(v->pw2, sizeof v->pw2);
}

/* ---------- sign up ---------- */

/* Stores a new keybox, starts the session holding the data key, answers, and wipes the key. */
static void start_with_key(rq_t *rq, acct_job *v, int status) {
  char token[TOKEN_CHARS + 1];
  int ok = !(v->new_box && acct_set_keybox(rq->db, v->u.couple_id, v->u.id, v->box) != DB_OK) &&
           session_start(rq, &v->u, rq->api, v->has_dk ? v->dk : NULL, token) == 0;
  /* words from before sealing existed are sealed now; failing that, they stay as they were */
  if (ok && v->has_dk) seal_plain_rows(rq->db, v->u.couple_id, v->u.id, v->dk);
  sodium_memzero(v->dk, sizeof v->dk);
  if (!ok) { db_rollback(rq->db); web_db_error(rq); return; }
  if (rq->api) json_session(rq, status, &v->u, token);
  else web_redirect(rq, "/");
}

static void signup_done(job_t *job, rq_t *rq) {
  acct_job *v = job->data;
  if (job->result != 0) { web_error(rq, 500, "hash", "Could not secure the password. Please try again.", NULL); return; }
  if (web_write_begin(rq) != 0) return;
  snprintf(v->u.username, sizeof v->u.username, "%s", v->username);
  snprintf(v->u.display_name, sizeof v->u.display_name, "%s", v->display);
  int rc = acct_signup(rq->db, &v->u, v->newhash, web_now());
  if (rc == DB_CONSTRAINT) { fail(rq, 409, "taken", "username", "That username is taken. Choose another.", v); return; }
  if (rc != DB_OK) { web_db_error(rq); return; }
  start_with_key(rq, v, 201);
}

static int signup(rq_t *rq, json_t *j) {
  acct_job job = {.flow = F_SIGNUP}, *v = &job;
  if (!read_account_fields(rq, j, v) || !username_free(rq, v) || !signup_allowed(rq, v)) return 0;
  pool_submit(rq, job_hash, signup_done, v, sizeof *v);
  return 0;
}

static int h_signup_page(rq_t *rq, json_t *j) {
  (void)j;
  if (rq->authed) return web_redirect(rq, "/");
  return render_signup(rq, 200, NULL, NULL);
}

/* ---------- log in ---------- */

/* The throttle key of an account at an address. */
static void pair_key(rq_t *rq, const char *username, char *out, size_t cap) {
  char addr[64];
  web_client_addr(rq, addr, sizeof addr);
  snprintf(out, cap, "%.*s|%s", USERNAME_MAX, username, addr);
}

static void login_done(job_t *job, rq_t *rq) {
  acct_job *v = job->data;
  db_t *db = rq->db;
  /* a wrong password was counted before it was checked: nothing more to write */
  if (!v->ok) { fail(rq, 401, "bad_credentials", "password", "That username and password do not match.", v); return; }
  if (web_write_begin(rq) != 0) return;
  char key[USERNAME_MAX + 72], addr[64];
  pair_key(rq, v->username, key, sizeof key);
  web_client_addr(rq, addr, sizeof addr);
  throttle_clear(db, "pair", key);
  throttle_forgive(db, "addr", addr);
  start_with_key(rq, v, 200);
}

/* Answers 429 with Retry-After for a wait of `wait` seconds. */
static void too_many(rq_t *rq, int64_t wait, const char *what, acct_job *v) {
  char ra[24], msg[200];
  snprintf(ra, sizeof ra, "%lld", (long long)wait);
  web_header(rq, "retry-after", ra);
  /* the message is made here, in the reader's words (fail translates only whole messages) */
  int n = wait < 90 ? (int)wait : (int)((wait + 59) / 60);
  char then[120];
  if (wait < 90) snprintf(then, sizeof then, P_("Please wait %d second and try again.", "Please wait %d seconds and try again.", n), n);
  else snprintf(then, sizeof then, P_("Please wait %d minute and try again.", "Please wait %d minutes and try again.", n), n);
  utf8_format(msg, sizeof msg, "%s %s", _(what), then);
  fail(rq, 429, "too_many_attempts", NULL, msg, v);
}

static int login(rq_t *rq, json_t *j) {
  acct_job job = {.flow = F_LOGIN}, *v = &job;
  int answered = 0;
  char raw[256];
  long un = input(rq, j, "username", raw, sizeof raw, &answered, v);
  if (answered) return 0;
  /* only something shaped like a username can exist; anything else is just a wrong login
     (and never reaches the database, which would refuse bytes that are not text) */
  char norm[USERNAME_MAX + 1];
  int plausible = un <= USERNAME_MAX && validate_username(raw, (size_t)un, norm) == NULL;
  snprintf(v->username, sizeof v->username, "%s", plausible ? norm : "");
  long pn = input(rq, j, "password", v->pw, sizeof v->pw, &answered, v);
  if (answered) return 0;
  v->pwlen = (size_t)pn;
  db_t *db = rq->db;
  char addr[64], key[USERNAME_MAX + 72];
  web_client_addr(rq, addr, sizeof addr);
  pair_key(rq, v->username, key, sizeof key);
  int64_t now = web_now();
  /* the attempt is counted before the hash runs, so a burst in parallel is counted too */
  int64_t wait = plausible ? throttle_reserve(db, "pair", key, now, THROTTLE_PAIR_FREE) : 0;
  if (wait == 0) wait = throttle_reserve(db, "addr", addr, now, THROTTLE_ADDR_FREE);
  if (wait < 0) return web_db_error(rq);
  if (wait > 0) {
    too_many(rq, wait, "Too many attempts.", v);
    return 0;
  }
  int rc = plausible ? acct_find_login(db, v->username, &v->u, v->stored) : DB_DONE;
  if (rc == DB_ERROR || rc == DB_BUSY) return web_db_error(rq);
  v->found = rc == DB_ROW;
  if (v->found) {
    rc = acct_keybox(db, v->u.couple_id, v->u.id, v->box);
    if (rc != DB_ROW && rc != DB_DONE) return web_db_error(rq);
    v->has_box = rc == DB_ROW;
  }
  pool_submit(rq, job_verify, login_done, v, sizeof *v);
  return 0;
}

static int h_login_page(rq_t *rq, json_t *j) {
  (void)j;
  if (rq->authed) return web_redirect(rq, "/");
  return render_login(rq, 200, NULL, NULL);
}

/* ---------- log out ---------- */

static int h_logout_post(rq_t *rq, json_t *j) {
  (void)j;
  acct_session_delete(rq->db, rq->token_hash);
  session_cookie(rq, "");
  return web_redirect(rq, "/");
}

/* The quick exit (its form, or app.js's beacon as the page leaves): the session ends on this
   device when the page's token matches, and whoever sent it is sent on to the neutral site
   either way: a stale page must never keep anyone from leaving. */
static int h_exit_post(rq_t *rq, json_t *j) {
  (void)j;
  if (rq->authed && form_csrf_ok(rq)) {
    if (acct_session_delete(rq->db, rq->token_hash) != DB_OK) return web_db_error(rq);
    session_cookie(rq, "");
  }
  return page_left(rq);
}

static int h_api_logout(rq_t *rq, json_t *j) {
  (void)j;
  if (acct_session_delete(rq->db, rq->token_hash) != DB_OK)
    return web_db_error(rq);
  return web_no_content(rq);
}

static int logout_all(rq_t *rq) {
  return acct_sessions_end(rq->db, rq->s.user.couple_id, rq->s.user.id, NULL) == DB_OK;
}

static int h_logout_all_post(rq_t *rq, json_t *j) {
  (void)j;
  if (!logout_all(rq)) return web_db_error(rq);
  session_cookie(rq, "");
  return web_redirect(rq, "/login");
}

static int h_api_logout_all(rq_t *rq, json_t *j) {
  (void)j;
  if (!logout_all(rq)) return web_db_error(rq);
  return web_no_content(rq);
}

/* ---------- invites and joining ---------- */

static int invite_failure(rq_t *rq, int status, acct_job *v) {
  switch (status) {
    case JOIN_UNKNOWN: return fail(rq, 404, "unknown_invite", "code", "That invite code is not known. Check it with your partner.", v);
    case JOIN_GONE:
      if (v->counsellor)
        return fail(rq, 410, "invite_gone", "code", "That invitation was used already, has expired or was withdrawn. Ask the couple "
                                                    "to invite you again.", v);
      return fail(rq, 410, "invite_gone", "code", "That invite was used already or has expired. Ask your partner for a new one.", v);
    case JOIN_FULL: return fail(rq, 409, "couple_full", "code", "This couple space has both partners already.", v);
    case JOIN_TAKEN: return fail(rq, 409, "taken", "username", "That username is taken. Choose another.", v);
    default: return web_db_error(rq);
  }
}

static void join_done(job_t *job, rq_t *rq) {
  acct_job *v = job->data;
  if (job->result != 0) { web_error(rq, 500, "hash", "Could not secure the password. Please try again.", NULL); return; }
  if (web_write_begin(rq) != 0) return;
  unsigned char hash[HASH_BYTES];
  secret_hash(v->code, INVITE_CHARS, hash);
  snprintf(v->u.username, sizeof v->u.username, "%s", v->username);
  snprintf(v->u.display_name, sizeof v->u.display_name, "%s", v->display);
  int rc = v->counsellor ? invite_join(rq->db, hash, &v->u, v->newhash, web_now()) : acct_join(rq->db, hash, &v->u, v->newhash, web_now());
  if (rc != JOIN_OK) { invite_failure(rq, rc, v); return; }
  start_with_key(rq, v, 201);
}

static int join(rq_t *rq, json_t *j) {
  acct_job job = {.flow = F_JOIN}, *v = &job;
  int answered = 0;
  long cn = input(rq, j, "code", v->raw_code, sizeof v->raw_code, &answered, v);
  if (answered) return 0;
  if (!secret_invite_normalize(v->raw_code, (size_t)cn, v->code)) {
    fail(rq, 422, "invalid", "code", "An invite code has 16 letters and digits, like K7QM-3ZRT-9XWB-C2DF.", v);
    return 0;
  }
  unsigned char hash[HASH_BYTES];
  secret_hash(v->code, INVITE_CHARS, hash);
  int st = acct_invite_status(rq->db, hash, web_now());
  invite_seen in;
  /* not a partner's invite: perhaps a counsellor's invitation, which makes a counsellor */
  if (st == JOIN_UNKNOWN && (st = invite_status(rq->db, hash, web_now(), &in)) != JOIN_UNKNOWN) v->counsellor = 1;
  if (st != JOIN_OK) { invite_failure(rq, st, v); return 0; }
  if (!read_account_fields(rq, j, v) || !username_free(rq, v) || !signup_allowed(rq, v)) return 0;
  pool_submit(rq, job_hash, join_done, v, sizeof *v);
  return 0;
}

/* A counsellor logged in opens the link of their invitation: they accept with this account
   (counsellor_space.c takes the form). */
static int render_accept(rq_t *rq, const char *code, const user_t couple[2]) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Follow %s and %s between sessions</h1>\n"
             "<p class=\"lead\">They invited you as their counsellor. Accept with this account (%s) to see the parts of their "
             "report they chose, live, for as long as they both want.</p>\n",
          couple[0].display_name, couple[1].display_name, rq->s.user.username);
  sb_markup(o, "<form method=\"post\" action=\"/counsellor/invitations/accept\">\n");
  form_csrf(rq, o);
  sb_markup(o, "<input type=\"hidden\" name=\"code\" value=\"%s\">\n", code);
  sb_html(o, "<button type=\"submit\">Accept with this account</button>\n</form>\n");
  return page_end(rq, o, 200);
}

static int h_join_page(rq_t *rq, json_t *j) {
  (void)j;
  char code[64] = "";
  if (rq->params[0].len && rq->params[0].len < sizeof code) {
    memcpy(code, rq->params[0].base, rq->params[0].len);
    code[rq->params[0].len] = 0;
  } else {
    web_query(rq, "code", code, sizeof code);
  }
  if (rq->authed) {
    user_t couple[2];
    char invited[256];
    if (rq->s.counsellor && counsellor_invited(rq, code, couple, invited, sizeof invited)) return render_accept(rq, code, couple);
    return web_redirect(rq, "/");
  }
  return render_join(rq, 200, code, NULL, NULL);
}

/* ---------- me, account ---------- */

static int h_api_me(rq_t *rq, json_t *j) {
  (void)j;
  if (web_partners(rq) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  sb_putc(o, '{');
  json_self(o, &rq->s.user, rq->partners, rq->npartners, rq->s.counsellor);
  sb_putc(o, '}');
  return web_json(rq, 200, o);
}

static int h_api_user(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  user_t u;
  /* scoped by the caller's couple: another couple's user is simply not found */
  if (id < 0 || acct_user(rq->db, rq->s.user.couple_id, id, &u) != DB_ROW)
    return web_error(rq, 404, "not_found", "No such partner.", NULL);
  sb_t *o = web_out(rq);
  json_person(o, &u);
  return web_json(rq, 200, o);
}

static int h_api_couple(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  if (id != rq->s.user.couple_id) return web_error(rq, 404, "not_found", "No such couple.", NULL);
  if (web_partners(rq) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"id\":%D,\"partners\":", id);
  json_partners(o, rq->partners, rq->npartners);
  sb_puts(o, "}");
  return web_json(rq, 200, o);
}

static int h_account_page(rq_t *rq, json_t *j) { (void)j; return render_account(rq, 200, NULL, NULL); }

static void password_done(job_t *job, rq_t *rq) {
  acct_job *v = job->data;
  if (!v->ok) { fail(rq, 422, "bad_credentials", "current_password", "That is not your current password.", v); return; }
  if (job->result != 0) { web_error(rq, 500, "hash", "Could not secure the password. Please try again.", NULL); return; }
  db_t *db = rq->db;
  sodium_memzero(v->dk, sizeof v->dk);
  if (web_write_begin(rq) != 0) return;
  /* the password and the keybox under it change together, or neither does; and only from
     the password that was verified, so of two changes at once one wins and one is refused */
  int64_t c = rq->s.user.couple_id, u = rq->s.user.id;
  int rc = acct_set_password(db, c, u, v->stored, v->newhash);
  if (rc == DB_CONSTRAINT) {
    fail(rq, 409, "changed", "current_password", "Your password was changed a moment ago, from another device. "
         "Nothing was changed here; log in again with the new password.", v);
    return;
  }
  int ok = rc == DB_OK && (!v->new_box || acct_set_keybox(db, c, u, v->box) == DB_OK) &&
           acct_sessions_end(db, c, u, rq->token_hash) == DB_OK;
  if (!ok) { db_rollback(db); web_db_error(rq); return; }
  if (rq->api) web_no_content(rq);
  else render_account(rq, 200, N_("Your password is changed. Your other devices are logged out."), NULL);
}

static int change_password(rq_t *rq, json_t *j) {
  acct_job job = {.flow = F_PASSWORD}, *v = &job;
  int answered = 0;
  long pn = input(rq, j, "current_password", v->pw, sizeof v->pw, &answered, v);
  if (answered) return 0;
  v->pwlen = (size_t)pn;
  long n2 = input(rq, j, "new_password", v->pw2, sizeof v->pw2, &answered, v);
  if (answered) return 0;
  v->pw2len = (size_t)n2;
  const char *m = validate_password(v->pw2, v->pw2len);
  if (m) { fail(rq, 422, "invalid", "new_password", m, v); return 0; }
  if (acct_password_hash(rq->db, rq->s.user.couple_id, rq->s.user.id, v->stored) != DB_ROW) {
    return web_db_error(rq);
  }
  v->found = 1;
  int kr = acct_keybox(rq->db, rq->s.user.couple_id, rq->s.user.id, v->box);
  if (kr != DB_ROW && kr != DB_DONE) return web_db_error(rq);
  v->has_box = kr == DB_ROW;
  pool_submit(rq, job_verify, password_done, v, sizeof *v);
  return 0;
}


/* ---------- time zone ---------- */

static int timezone_again(rq_t *rq, const verdict *v) {
  ferr e = {v->field, v->message};
  return render_account_tz(rq, 200, NULL, &e, web_form_text(rq, "timezone"), NULL);
}

static int set_timezone(rq_t *rq, json_t *j) {
  size_t n;
  int bad = 0;
  const char *tz = web_text(rq, j, "timezone", &n, &bad);
  if (bad || !tz || !n || n >= sizeof rq->s.user.timezone || memchr(tz, 0, n) || !tz_valid(tz))
    return web_refuse(rq, refuse_field("timezone", "That time zone is not known here. Use a name like Europe/Paris or UTC."),
                      timezone_again);
  if (acct_set_timezone(rq->db, rq->s.user.couple_id, rq->s.user.id, tz) != DB_OK) return web_db_error(rq);
  snprintf(rq->s.user.timezone, sizeof rq->s.user.timezone, "%s", tz);
  if (rq->api) return h_api_me(rq, j);
  return render_account(rq, 200, N_("Your time zone is saved."), NULL);
}

/* ---------- language ---------- */

static int language_again(rq_t *rq, const verdict *v) {
  ferr e = {v->field, v->message};
  return render_account_tz(rq, 200, NULL, &e, NULL, web_form_text(rq, "language"));
}

static int set_language(rq_t *rq, json_t *j) {
  size_t n = 0;
  int bad = 0;
  /* the API's null, and the page's "as this browser asks" (empty), forget the choice */
  int forget = j && json_is_null(json_object_get(j, "language"));
  const char *code = forget ? NULL : web_text(rq, j, "language", &n, &bad);
  const i18n_lang *l = code && n ? i18n_find(code, n) : NULL;
  if (bad || (!forget && !l && (rq->api || (code && n))))
    return web_refuse(rq, refuse_field("language", N_("Choose one of the languages in the list: en, de, fr or es.")),
                      language_again);
  const char *chosen = l ? i18n_code(l) : "";
  if (acct_set_language(rq->db, rq->s.user.couple_id, rq->s.user.id, chosen) != DB_OK) return web_db_error(rq);
  /* the answer is in the language just chosen */
  snprintf(rq->s.user.language, sizeof rq->s.user.language, "%s", chosen);
  web_pick_language(rq);
  if (rq->api) return h_api_me(rq, j); /* the partners are read in this transaction: the new choice */
  return render_account(rq, 200, N_("Your language is saved."), NULL);
}

const route_t accounts_routes[] = {
  {"GET", "/signup", h_signup_page, 0, "signup"},
  TWIN("POST", "/signup", signup, R_BODY, "signup"),
  {"GET", "/login", h_login_page, 0, "login"},
  TWIN("POST", "/login", login, R_BODY, "login"),
  {"POST", "/logout", h_logout_post, R_AUTH | R_EITHER | R_CSRF, "logout"},
  {"POST", "/exit", h_exit_post, 0, "exit"},
  {"GET", "/join", h_join_page, 0, "join"},
  {"GET", "/join/{code}", h_join_page, R_SECRET_PATH, "join"},
  TWIN("POST", "/join", join, R_BODY, "join"),
  {"GET", "/account", h_account_page, R_AUTH | R_EITHER, "account"},
  {"POST", "/account/password", change_password, R_AUTH | R_EITHER | R_CSRF | R_BODY, "account_password"},
  {"POST", "/account/logout-everywhere", h_logout_all_post, R_AUTH | R_EITHER | R_CSRF, "account_logout_all"},
  {"POST", "/account/timezone", set_timezone, R_AUTH | R_EITHER | R_CSRF | R_BODY, "account_timezone"},
  {"POST", "/account/language", set_language, R_AUTH | R_EITHER | R_CSRF | R_BODY, "account_language"},
  {"POST", "/api/v1/logout", h_api_logout, R_AUTH | R_EITHER, "api_logout"},
  {"POST", "/api/v1/logout-everywhere", h_api_logout_all, R_AUTH | R_EITHER, "api_logout_all"},
  {"GET", "/api/v1/me", h_api_me, R_AUTH | R_EITHER, "api_me"},
  {"GET", "/api/v1/users/{id}", h_api_user, R_AUTH, "api_user"},
  {"GET", "/api/v1/couples/{id}", h_api_couple, R_AUTH, "api_couple"},
  {"PUT", "/api/v1/account/password", change_password, R_AUTH | R_EITHER | R_BODY, "api_password"},
  {"PUT", "/api/v1/account/timezone", set_timezone, R_AUTH | R_EITHER | R_BODY, "api_timezone"},
  {"PUT", "/api/v1/account/language", set_language, R_AUTH | R_EITHER | R_BODY, "api_language"},
  {NULL, NULL, NULL, 0, NULL},
};
