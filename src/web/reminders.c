/* reminders.c (web): reminders that reach the phone. Each partner turns Web Push on for a
   browser (the service worker subscribes with the server's VAPID key, RFC 8292), chooses quiet
   hours in their own time zone and whether a push may say what waits; a worker thread pushes
   each new item of what waits for them, and the check-in an hour before it begins, encrypted
   for that browser alone (RFC 8291, core/webpush.c), through libcurl. What was pushed is kept
   (push_sent), so an item is pushed once, and one due while the server was down goes out when
   it is back (the sending is push.c's). */
#include "web.h"
#include "html.h"
#include "lists.h"
#include "push.h"
#include "app/reminders.h"
#include "core/webpush.h"
#include "db/reminders.h"
#include "core/secret.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------- the partner's choices ---------- */

static void hhmm(int minutes, char out[6]) {
  unsigned m = (unsigned)minutes % 1440;
  out[0] = (char)('0' + m / 600); out[1] = (char)('0' + m / 60 % 10); out[2] = ':';
  out[3] = (char)('0' + m % 60 / 10); out[4] = (char)('0' + m % 10); out[5] = 0;
}
static int parse_hhmm(const char *s, int *minutes) {
  if (!s || strlen(s) != 5 || s[2] != ':') return 0;
  for (int i = 0; i < 5; i++)
    if (i != 2 && (s[i] < '0' || s[i] > '9')) return 0;
  int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
  if (h > 23 || m > 59) return 0;
  *minutes = h * 60 + m;
  return 1;
}

static int settings_json(rq_t *rq, int status, const rem_settings *s) {
  char from[6], to[6];
  hhmm(s->quiet_from, from);
  hhmm(s->quiet_to, to);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"push\":%r,\"email\":%q,\"quiet_from\":%q,\"quiet_to\":%q,\"show_titles\":%r}", s->push ? "true" : "false",
          s->email, from, to, s->show_titles ? "true" : "false");
  return web_json(rq, status, o);
}

static int h_api_reminders(rq_t *rq, json_t *j) {
  (void)j;
  rem_settings s;
  if (rem_settings_get(rq->db, rq->s.user.couple_id, rq->s.user.id, &s) != DB_OK) return web_db_error(rq);
  return settings_json(rq, 200, &s);
}

/* The choices a form or a PUT sends: a verdict on the first thing wrong. */
static verdict read_settings(rq_t *rq, json_t *j, rem_settings *s) {
  int bad = 0;
  s->push = web_flag(rq, j, "push", &bad);
  if (bad) return (verdict){422, "invalid", N_("push is true or false."), "push"};
  s->show_titles = web_flag(rq, j, "show_titles", &bad);
  if (bad) return (verdict){422, "invalid", N_("show_titles is true or false."), "show_titles"};
  size_t n;
  const char *from = web_text(rq, j, "quiet_from", &n, &bad), *to;
  if (bad || (from && *from && !parse_hhmm(from, &s->quiet_from)))
    return (verdict){422, "invalid", N_("Quiet hours begin at a time like 22:00."), "quiet_from"};
  to = web_text(rq, j, "quiet_to", &n, &bad);
  if (bad || (to && *to && !parse_hhmm(to, &s->quiet_to)))
    return (verdict){422, "invalid", N_("Quiet hours end at a time like 08:00."), "quiet_to"};
  const char *email = web_text(rq, j, "email", &n, &bad);
  if (bad || (email && *email && strcmp(email, "off") && strcmp(email, "each") && strcmp(email, "daily")))
    return (verdict){422, "invalid", N_("email is off, each or daily."), "email"};
  if (email && *email && strcmp(email, "off")) {
    rem_email e;
    if (!g_conf.smtp_url)
      return (verdict){422, "invalid", N_("This server sends no e-mail: reminders come as pushes and in your calendar."), "email"};
    if (rem_email_get(rq->db, rq->s.user.couple_id, rq->s.user.id, &e) != DB_OK || !e.confirmed)
      return (verdict){422, "invalid", N_("Confirm your e-mail address first: follow the link mailed to it."), "email"};
  }
  snprintf(s->email, sizeof s->email, "%s", email && *email ? email : "off");
  return VERDICT_OK;
}

static int h_api_reminders_put(rq_t *rq, json_t *j) {
  rem_settings s = REM_DEFAULTS; /* a PUT sets the whole: what it leaves out takes its default */
  verdict v = read_settings(rq, j, &s);
  if (v.status) return web_refuse(rq, v, NULL);
  if (!json_is_boolean(json_object_get(j, "push"))) return web_refuse(rq, (verdict){422, "invalid", N_("push is true or false."), "push"}, NULL);
  if (rem_settings_set(rq->db, rq->s.user.couple_id, rq->s.user.id, &s) != DB_OK) return web_db_error(rq);
  return settings_json(rq, 200, &s);
}

/* ---------- devices ---------- */

/* A subscription as the browser's PushSubscription.toJSON() gives it (the API), or the three
   form fields app.js sends (the page). */
static verdict read_device(rq_t *rq, json_t *j, const char **endpoint, unsigned char p256dh[WP_PUBLIC],
                           unsigned char auth[WP_AUTH]) {
  int bad = 0;
  size_t n;
  json_t *keys = j ? json_object_get(j, "keys") : NULL;
  if (j && !json_is_object(keys)) return (verdict){422, "invalid", N_("keys holds p256dh and auth."), "keys"};
  *endpoint = web_text(rq, j, "endpoint", &n, &bad);
  char origin[300];
  if (bad || !*endpoint || n > 1000 || !push_endpoint_origin(*endpoint, origin, sizeof origin))
    return (verdict){422, "invalid", N_("The endpoint is not the address of a push service this server sends to."), "endpoint"};
  const char *k = j ? jget(keys, "p256dh", &n, &bad) : web_text(rq, NULL, "p256dh", &n, &bad);
  if (bad || !k || wp_b64_decode(k, p256dh, WP_PUBLIC) != WP_PUBLIC || p256dh[0] != 4)
    return (verdict){422, "invalid", N_("p256dh is the browser's P-256 key, in base64url."), j ? "keys.p256dh" : "p256dh"};
  const char *a = j ? jget(keys, "auth", &n, &bad) : web_text(rq, NULL, "auth", &n, &bad);
  if (bad || !a || wp_b64_decode(a, auth, WP_AUTH) != WP_AUTH)
    return (verdict){422, "invalid", N_("auth is the browser's 16-byte secret, in base64url."), j ? "keys.auth" : "auth"};
  return VERDICT_OK;
}

static int add_device(rq_t *rq, json_t *j, int64_t *id) {
  const char *endpoint;
  unsigned char p256dh[WP_PUBLIC], auth[WP_AUTH];
  verdict v = read_device(rq, j, &endpoint, p256dh, auth);
  if (v.status) return web_refuse(rq, v, NULL);
  if (rem_device_add(rq->db, rq->s.user.couple_id, rq->s.user.id, secret_id(), endpoint, p256dh, auth, web_now(), id) != DB_OK)
    return web_db_error(rq);
  return -1; /* added: the caller answers */
}

static int h_api_device_add(rq_t *rq, json_t *j) {
  int64_t id;
  int rc = add_device(rq, j, &id);
  if (rc != -1) return rc;
  sb_t *o = web_out(rq);
  sb_json(o, "{\"id\":%D}", id);
  return web_created(rq, o, "/api/v1/push/subscriptions", id);
}

static int h_api_device_delete(rq_t *rq, json_t *j) {
  (void)j;
  int rc = rem_device_delete(rq->db, rq->s.user.couple_id, rq->s.user.id, web_param_id(rq, 0));
  if (rc == DB_DONE) return web_error(rq, 404, "not_found", "There is no such device of yours.", NULL);
  return rc == DB_OK ? web_no_content(rq) : web_db_error(rq);
}

static int h_api_push_key(rq_t *rq, json_t *j) {
  (void)j;
  char key[WP_PUBLIC * 2];
  if (push_public_key(key, sizeof key) != 0) return web_unavailable(rq);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"vapid_public_key\":%q}", key);
  return web_json(rq, 200, o);
}

void reminders_account_section(rq_t *rq, sb_t *o, const char *err, const char *field);

/* A refused choice or address on the page: the reminders section again, the message at its
   field (what was typed comes back from the request). */
static int form_again(rq_t *rq, const verdict *v) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<h1>Your account</h1>\n");
  reminders_account_section(rq, o, v->message, v->field);
  return page_end(rq, o, 200);
}

/* ---------- an e-mail address ---------- */

static int email_json(rq_t *rq, int status) {
  rem_email e;
  if (rem_email_get(rq->db, rq->s.user.couple_id, rq->s.user.id, &e) != DB_OK) return web_db_error(rq);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"address\":%q,\"confirmed\":%r}", e.set ? e.address : NULL, e.confirmed ? "true" : "false");
  return web_json(rq, status, o);
}

/* A new address for reminders: kept unconfirmed, and a link to confirm it mailed there (by the
   worker, push.c). */
static int set_email(rq_t *rq, json_t *j) {
  size_t n;
  int bad = 0;
  const char *a = web_text(rq, j, "address", &n, &bad);
  if (!g_conf.smtp_url)
    return web_refuse(rq, (verdict){422, "invalid", N_("This server sends no e-mail: reminders come as pushes and in your calendar."),
                                    "address"}, form_again);
  if (!g_conf.base_url)
    return web_refuse(rq, (verdict){422, "invalid", N_("This server has no public address (--base-url) for the link to confirm with."),
                                    "address"}, form_again);
  if (bad || !a || !email_ok(a, n))
    return web_refuse(rq, (verdict){422, "invalid", N_("Write an e-mail address, like sam@example.org."), "address"}, form_again);
  char secret[TOKEN_CHARS + 1];
  unsigned char hash[HASH_BYTES];
  secret_token(secret);
  secret_hash(secret, TOKEN_CHARS, hash);
  int rc = rem_email_set(rq->db, rq->s.user.couple_id, rq->s.user.id, a, secret, hash, web_now());
  sodium_memzero(secret, sizeof secret);
  return rc == DB_OK ? -1 : web_db_error(rq);
}

static int h_api_email(rq_t *rq, json_t *j) { (void)j; return email_json(rq, 200); }
static int h_api_email_put(rq_t *rq, json_t *j) {
  int rc = set_email(rq, j);
  return rc == -1 ? email_json(rq, 200) : rc;
}
static int h_api_email_delete(rq_t *rq, json_t *j) {
  (void)j;
  return rem_email_delete(rq->db, rq->s.user.couple_id, rq->s.user.id) == DB_OK ? web_no_content(rq) : web_db_error(rq);
}
static int h_email_post(rq_t *rq, json_t *j) {
  int rc = set_email(rq, j);
  return rc == -1 ? web_redirect(rq, "/account?saved=email#reminders-h") : rc;
}
static int h_email_delete_post(rq_t *rq, json_t *j) {
  (void)j;
  if (rem_email_delete(rq->db, rq->s.user.couple_id, rq->s.user.id) != DB_OK) return web_db_error(rq);
  return web_redirect(rq, "/account#reminders-h");
}

/* The link in the mail: a page with one button (a GET changes nothing), then the address is
   confirmed. Anyone with the link may press it: it only says the address receives mail. */
static int h_confirm_page(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Confirm your address</h1>\n<p class=\"lead\">Press the button to get your reminders from mend at the "
             "address this link was mailed to.</p>\n<form method=\"post\" action=\"/reminders/confirm/%.*s\">",
          (int)rq->params[0].len, rq->params[0].base);
  form_csrf(rq, o);
  sb_text(o, "<button type=\"submit\">Confirm this address</button></form>\n");
  return page_end(rq, o, 200);
}

static int h_confirm_post(rq_t *rq, json_t *j) {
  (void)j;
  unsigned char hash[HASH_BYTES];
  secret_hash(rq->params[0].base, rq->params[0].len, hash);
  int rc = rem_email_confirm(rq->db, hash, web_now());
  if (rc != DB_OK && rc != DB_DONE) return web_db_error(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  if (rc == DB_OK)
    sb_text(o, "<h1>Your address is confirmed</h1>\n<p class=\"lead\">Choose on your account page how often mend mails "
               "you: each time something waits, or once a day.</p>\n<p><a href=\"/account#reminders-h\">Your account</a></p>\n");
  else
    sb_text(o, "<h1>This link does not work</h1>\n<p class=\"lead\">It was used already, or another address was asked "
               "for since. Ask for a new link on your account page.</p>\n");
  return page_end(rq, o, rc == DB_OK ? 200 : 404);
}

/* ---------- the page ---------- */

static int h_settings_post(rq_t *rq, json_t *j) {
  (void)j;
  rem_settings s = REM_DEFAULTS;
  if (rem_settings_get(rq->db, rq->s.user.couple_id, rq->s.user.id, &s) != DB_OK) return web_db_error(rq);
  verdict v = read_settings(rq, NULL, &s);
  if (v.status) return web_refuse(rq, v, form_again);
  if (rem_settings_set(rq->db, rq->s.user.couple_id, rq->s.user.id, &s) != DB_OK) return web_db_error(rq);
  return web_redirect(rq, "/account?saved=reminders#reminders-h");
}

/* app.js subscribes the browser and sends its subscription here (204: it reloads the page). */
static int h_device_post(rq_t *rq, json_t *j) {
  int64_t id;
  int rc = add_device(rq, j, &id);
  if (rc != -1) return rc;
  return web_no_content(rq);
}

static int h_device_delete_post(rq_t *rq, json_t *j) {
  (void)j;
  int rc = rem_device_delete(rq->db, rq->s.user.couple_id, rq->s.user.id, web_param_id(rq, 0));
  if (rc != DB_OK && rc != DB_DONE) return web_db_error(rq);
  return web_redirect(rq, "/account#reminders-h");
}

typedef struct { rq_t *rq; sb_t *o; int n; } devices_ctx;
static void device_item(void *p, const void *row) {
  devices_ctx *c = p;
  const rem_device *d = row;
  if (!c->n++) sb_puts(c->o, "<ul class=\"devices\">\n");
  sb_text(c->o, "<li>A browser, since ");
  page_time(c->o, d->created_at);
  sb_markup(c->o, " <form method=\"post\" action=\"/account/reminders/devices/%D/delete\" class=\"inline\">", d->id);
  form_csrf(c->rq, c->o);
  sb_text(c->o, "<button type=\"submit\" class=\"link\">Stop reminders there</button></form></li>\n");
}

/* The account page's reminders section (listed in routes.c's account_sections). */
void reminders_account_section(rq_t *rq, sb_t *o, const char *err, const char *field) {
  rem_settings s;
  if (rem_settings_get(rq->db, rq->s.user.couple_id, rq->s.user.id, &s) != DB_OK) s = REM_DEFAULTS;
  char from[6], to[6], key[WP_PUBLIC * 2] = "";
  hhmm(s.quiet_from, from);
  hhmm(s.quiet_to, to);
  push_public_key(key, sizeof key);
  sb_text(o, "<section aria-labelledby=\"reminders-h\" class=\"card\">\n<h2 id=\"reminders-h\">Reminders</h2>\n"
             "<p>mend can tell this phone when something waits for you, and an hour before your check-in. A reminder "
             "never carries what either of you wrote: it says \u201cSomething is waiting for you in mend\u201d, or, if "
             "you choose, what kind of thing waits.</p>\n");
  char q[16];
  if (web_query(rq, "saved", q, sizeof q) > 0 && (!strcmp(q, "reminders") || !strcmp(q, "email")))
    sb_text(o, "<p class=\"notice\" role=\"status\">Saved. Only you can see these choices.</p>\n");
  if (field && !strcmp(field, "email")) page_error_notice(o, err);
  sb_puts(o, "<form method=\"post\" action=\"/account/reminders\">\n");
  form_csrf(rq, o);
  form_checkbox(o, "push", "Send me reminders", s.push);
  form_checkbox(o, "show_titles", "Say what kind of thing waits (never its words)", s.show_titles);
  int refused = field && err;
  form_field(o, "quiet_from", "Quiet from", "time", refused ? web_form_text(rq, "quiet_from") : from, "off",
             N_("No reminders from this time, in your time zone"), refused && !strcmp(field, "quiet_from") ? err : NULL);
  form_field(o, "quiet_to", "Quiet until", "time", refused ? web_form_text(rq, "quiet_to") : to, "off", NULL,
             refused && !strcmp(field, "quiet_to") ? err : NULL);
  rem_email e = {0};
  if (g_conf.smtp_url) rem_email_get(rq->db, rq->s.user.couple_id, rq->s.user.id, &e);
  if (g_conf.smtp_url && e.confirmed) {
    static const char *const values[] = {"off", "each", "daily", NULL};
    static const char *const names[] = {N_("No e-mail"), N_("An e-mail each time"), N_("One e-mail a day"), NULL};
    form_select(o, "email", "By e-mail too", values, names, s.email, NULL);
  }
  sb_text(o, "<button type=\"submit\" class=\"secondary\">Save reminder choices</button>\n</form>\n");
  if (g_conf.smtp_url && g_conf.base_url) {
    if (e.set && e.confirmed)
      sb_html(o, "<p>Mail goes to <strong>%s</strong>.</p>\n", e.address);
    else if (e.set)
      sb_html(o, "<p class=\"notice\" role=\"status\">A link to confirm was mailed to <strong>%s</strong>: follow it to get "
                 "mail there.</p>\n", e.address);
    sb_puts(o, "<form method=\"post\" action=\"/account/reminders/email\">\n");
    form_csrf(rq, o);
    form_field(o, "address", e.set ? N_("Another address for reminders") : N_("An e-mail address for reminders (if you like)"), "email",
               field && !strcmp(field, "address") ? web_form_text(rq, "address") : NULL, "email",
               N_("Only you see it; mend mails a link there first."), field && !strcmp(field, "address") ? err : NULL);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Send the link</button>\n</form>\n");
    if (e.set) {
      sb_puts(o, "<form method=\"post\" action=\"/account/reminders/email/delete\">");
      form_csrf(rq, o);
      sb_text(o, "<button type=\"submit\" class=\"link\">Stop e-mail and forget the address</button></form>\n");
    }
  }
  devices_ctx c = {rq, o, 0};
  rem_devices(rq->db, rq->s.user.couple_id, rq->s.user.id, device_item, &c);
  if (c.n) sb_puts(o, "</ul>\n");
  else sb_text(o, "<p class=\"muted\">No phone or browser gets your reminders yet.</p>\n");
  sb_html(o, "<p class=\"push-on\" hidden><button type=\"button\" class=\"secondary\" data-push-key=\"%s\">"
             "Get reminders on this phone</button></p>\n"
             "<p class=\"muted push-off\">Reminders on a phone need this page open in its browser with JavaScript on; "
             "installed from the browser's menu, mend then works like an app.</p>\n</section>\n", key);
}

const route_t reminders_routes[] = {
  {"POST", "/account/reminders", h_settings_post, R_AUTH | R_CSRF, "account_reminders"},
  {"POST", "/account/reminders/devices", h_device_post, R_AUTH | R_CSRF, "account_reminders"},
  {"POST", "/account/reminders/devices/{id}/delete", h_device_delete_post, R_AUTH | R_CSRF, "account_reminders"},
  {"GET", "/api/v1/push/key", h_api_push_key, R_AUTH, "api_push_key"},
  {"POST", "/api/v1/push/subscriptions", h_api_device_add, R_AUTH | R_BODY, "api_push_subscriptions"},
  {"DELETE", "/api/v1/push/subscriptions/{id}", h_api_device_delete, R_AUTH, "api_push_subscription"},
  {"POST", "/account/reminders/email", h_email_post, R_AUTH | R_CSRF, "account_reminders"},
  {"POST", "/account/reminders/email/delete", h_email_delete_post, R_AUTH | R_CSRF, "account_reminders"},
  {"GET", "/reminders/confirm/{secret}", h_confirm_page, R_SECRET_PATH, "reminders_confirm"},
  {"POST", "/reminders/confirm/{secret}", h_confirm_post, R_SECRET_PATH | R_CSRF, "reminders_confirm"},
  {"GET", "/api/v1/reminders/email", h_api_email, R_AUTH, "api_reminders_email"},
  {"PUT", "/api/v1/reminders/email", h_api_email_put, R_AUTH | R_BODY, "api_reminders_email"},
  {"DELETE", "/api/v1/reminders/email", h_api_email_delete, R_AUTH, "api_reminders_email"},
  {"GET", "/api/v1/reminders", h_api_reminders, R_AUTH, "api_reminders"},
  {"PUT", "/api/v1/reminders", h_api_reminders_put, R_AUTH | R_BODY, "api_reminders"},
  {NULL, NULL, NULL, 0, NULL},
};
