/* push.c (web): Web Push delivery. One thread, with a connection of its own for each round, goes round every
   --push-every seconds (30) and once at start: for each partner with reminders on and a
   browser subscribed, outside their quiet hours, what is due (app/reminders.c) is encrypted
   for each of their browsers (core/webpush.c) and posted to its push service with a VAPID
   token, through libcurl; an item is marked pushed once a push service took it, so a restart
   neither loses nor repeats one. A subscription the service says is gone (404, 410) is dropped.
   Partners who chose e-mail (and confirmed their address) get each item mailed alone, or the
   day's in one digest after their quiet hours, through the operator's SMTP server (--smtp).
   Nothing of what a partner does is logged: only a push or mail service that fails. */
#include "web.h"
#include "push.h"
#include "server.h"
#include "app/reminders.h"
#include "core/webpush.h"
#include "db/reminders.h"
#include "db/counsellors.h"
#include "util/tz.h"
#include "util/i18n.h"
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <dlfcn.h>
#include "periodic.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---------- libcurl, loaded when first needed ---------- */

/* libcurl and the libraries it brings (TLS, HTTP/2, IDN...) come into memory the first time a
   reminder goes out: a server whose partners use none never pays for them. */
static struct {
  CURLcode (*global_init)(long);
  void (*global_cleanup)(void);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *);
  void (*easy_reset)(CURL *);
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_perform)(CURL *);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
  const char *(*easy_strerror)(CURLcode);
  struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
  void (*slist_free_all)(struct curl_slist *);
} lc;

static int curl_load(void) {
  static int tried, ok;
  if (tried) return ok;
  tried = 1;
  void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "mend: reminders need libcurl (libcurl4): %s; none is sent\n", dlerror());
    return 0;
  }
#define LOAD(field, name) ok = ok && (*(void **)&lc.field = dlsym(h, name)) != NULL
  ok = 1;
  LOAD(global_init, "curl_global_init");
  LOAD(global_cleanup, "curl_global_cleanup");
  LOAD(easy_init, "curl_easy_init");
  LOAD(easy_cleanup, "curl_easy_cleanup");
  LOAD(easy_reset, "curl_easy_reset");
  LOAD(easy_setopt, "curl_easy_setopt");
  LOAD(easy_perform, "curl_easy_perform");
  LOAD(easy_getinfo, "curl_easy_getinfo");
  LOAD(easy_strerror, "curl_easy_strerror");
  LOAD(slist_append, "curl_slist_append");
  LOAD(slist_free_all, "curl_slist_free_all");
#undef LOAD
  if (!ok) fprintf(stderr, "mend: reminders need libcurl 7.85 or newer; none is sent\n");
  return ok;
}
#undef curl_easy_setopt /* curl.h makes these two macros of themselves */
#undef curl_easy_getinfo
#define curl_global_init lc.global_init
#define curl_global_cleanup lc.global_cleanup
#define curl_easy_init lc.easy_init
#define curl_easy_cleanup lc.easy_cleanup
#define curl_easy_reset lc.easy_reset
#define curl_easy_setopt lc.easy_setopt
#define curl_easy_perform lc.easy_perform
#define curl_easy_getinfo lc.easy_getinfo
#define curl_easy_strerror lc.easy_strerror
#define curl_slist_append lc.slist_append
#define curl_slist_free_all lc.slist_free_all

/* ---------- where mend sends ---------- */

/* The browsers' own push services; an operator may name others (--push-hosts). A host given
   there that is a loopback address may be spoken to over plain HTTP (a test's push service). */
#define PUSH_HOSTS_DEFAULT "fcm.googleapis.com,updates.push.services.mozilla.com,*.push.apple.com,*.notify.windows.com"

static int host_listed(const char *host, size_t n) {
  const char *list = g_conf.push_hosts ? g_conf.push_hosts : PUSH_HOSTS_DEFAULT;
  for (const char *p = list; *p;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len > 2 && p[0] == '*' && p[1] == '.') {
      if (n > len - 1 && !strncasecmp(host + n - (len - 1), p + 1, len - 1)) return 1;
    } else if (len == n && !strncasecmp(host, p, n)) return 1;
    p += len + (e ? 1 : 0);
  }
  return 0;
}

int push_endpoint_origin(const char *url, char *origin, size_t cap) {
  int https = !strncmp(url, "https://", 8), http = !strncmp(url, "http://", 7);
  if (!https && !http) return 0;
  const char *h = url + (https ? 8 : 7), *end = h + strcspn(h, "/?#");
  if (end == h || memchr(h, '@', (size_t)(end - h)) || strpbrk(url, " \"\\\r\n")) return 0;
  const char *colon = memchr(h, ':', (size_t)(end - h));
  size_t hn = (size_t)((colon ? colon : end) - h);
  if (!host_listed(h, hn)) return 0;
  int loopback = (hn == 9 && !strncmp(h, "localhost", 9)) || (hn >= 4 && !strncmp(h, "127.", 4));
  if (http && !loopback) return 0;
  int n = snprintf(origin, cap, "%.*s", (int)(end - url), url);
  return n > 0 && (size_t)n < cap;
}

/* ---------- the server's key ---------- */

static unsigned char vapid_priv[WP_PRIVATE], vapid_pub[WP_PUBLIC];
static int have_key;

int push_public_key(char *out, size_t cap) {
  if (!have_key || cap < WP_PUBLIC * 2) return -1;
  wp_b64_encode(vapid_pub, WP_PUBLIC, out, cap);
  return 0;
}

/* ---------- one round ---------- */

typedef struct { int64_t couple, user; char tz[64]; rem_settings s; } person;
typedef struct { person *v; size_t n, cap; } people;
static void keep_person(void *p, const void *row) {
  people *l = p;
  const rem_person *r = row;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    person *v = realloc(l->v, cap * sizeof *v);
    if (!v) return;
    l->v = v;
    l->cap = cap;
  }
  person *x = &l->v[l->n++];
  *x = (person){r->couple_id, r->user_id, "", r->s};
  snprintf(x->tz, sizeof x->tz, "%s", r->timezone ? r->timezone : "UTC");
}

#define MAX_DEVICES 16
typedef struct { char endpoint[1024]; unsigned char p256dh[WP_PUBLIC], auth[WP_AUTH]; } device;
typedef struct { device v[MAX_DEVICES]; int n; } devices;
static void keep_device(void *p, const void *row) {
  devices *l = p;
  const rem_device *d = row;
  if (l->n == MAX_DEVICES || d->p256dh_n != WP_PUBLIC || d->auth_n != WP_AUTH || strlen(d->endpoint) >= sizeof l->v[0].endpoint) return;
  device *x = &l->v[l->n++];
  snprintf(x->endpoint, sizeof x->endpoint, "%s", d->endpoint);
  memcpy(x->p256dh, d->p256dh, WP_PUBLIC);
  memcpy(x->auth, d->auth, WP_AUTH);
}

static size_t discard(char *p, size_t size, size_t n, void *ctx) { (void)p; (void)ctx; return size * n; }

enum { SENT, GONE, FAILED };
/* One push to one browser: SENT when its push service took it, GONE when it says the
   subscription is no more, FAILED otherwise (tried again next round). */
static int send_one(CURL *curl, const device *d, const char *payload, int64_t now) {
  char origin[300];
  if (!push_endpoint_origin(d->endpoint, origin, sizeof origin)) return GONE;
  unsigned char body[WP_PLAIN_MAX + WP_OVERHEAD];
  long len = wp_encrypt(d->p256dh, d->auth, payload, strlen(payload), body);
  if (len < 0) return GONE; /* a key that is no point on the curve: never deliverable */
  char jwt[WP_JWT_MAX], key[WP_PUBLIC * 2], auth[WP_JWT_MAX + 200];
  const char *sub = g_conf.push_contact ? g_conf.push_contact : "mailto:operator@localhost";
  if (wp_vapid_jwt(vapid_priv, vapid_pub, origin, now + 12 * 3600, sub, jwt, sizeof jwt) != 0) return FAILED;
  wp_b64_encode(vapid_pub, WP_PUBLIC, key, sizeof key);
  snprintf(auth, sizeof auth, "Authorization: vapid t=%s, k=%s", jwt, key);
  struct curl_slist *h = NULL;
  h = curl_slist_append(h, auth);
  h = curl_slist_append(h, "Content-Encoding: aes128gcm");
  h = curl_slist_append(h, "Content-Type: application/octet-stream");
  h = curl_slist_append(h, "TTL: 86400");
  h = curl_slist_append(h, "Urgency: normal");
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, d->endpoint);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, !strncmp(d->endpoint, "https://", 8) ? "https" : "http");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, (const char *)body);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, len);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(h);
  if (rc == CURLE_OK && status >= 200 && status < 300) return SENT;
  if (rc == CURLE_OK && (status == 404 || status == 410)) return GONE;
  fprintf(stderr, "mend: the push service at %s did not take a reminder (%s %ld)\n", origin,
          rc == CURLE_OK ? "status" : curl_easy_strerror(rc), status);
  return FAILED;
}

/* ---------- e-mail ---------- */

typedef struct { const char *p; size_t left; } upload;
static size_t read_mail(char *buf, size_t size, size_t n, void *ctx) {
  upload *u = ctx;
  size_t k = size * n < u->left ? size * n : u->left;
  memcpy(buf, u->p, k);
  u->p += k;
  u->left -= k;
  return k;
}

static int smtp_loopback(const char *url) {
  const char *h = strstr(url, "://");
  h = h ? h + 3 : url;
  const char *at = strchr(h, '@');
  if (at && at < h + strcspn(h, "/")) h = at + 1;
  return !strncmp(h, "127.", 4) || !strncmp(h, "localhost", 9) || !strncmp(h, "[::1]", 5);
}

/* One mail through the operator's SMTP server (--smtp): 0 when it took it. STARTTLS is required
   unless the server is on this machine. */
static int mail_send(CURL *curl, const char *what, const char *to, const char *subject, const char *text, int64_t now) {
  char head[1024], date[64], from[300], rcpt[300];
  struct tm tm;
  time_t t = (time_t)now;
  gmtime_r(&t, &tm);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  unsigned char id[12];
  randombytes_buf(id, sizeof id);
  char mid[32];
  wp_b64_encode(id, sizeof id, mid, sizeof mid);
  /* a subject in another language than English: an RFC 2047 encoded word (headers are ASCII) */
  char subj[400];
  int ascii = 1;
  for (const char *s = subject; *s; s++) ascii &= (unsigned char)*s < 0x80;
  if (ascii) snprintf(subj, sizeof subj, "%s", subject);
  else {
    char b64[300];
    sodium_bin2base64(b64, sizeof b64, (const unsigned char *)subject, strnlen(subject, 200), sodium_base64_VARIANT_ORIGINAL);
    snprintf(subj, sizeof subj, "=?UTF-8?B?%s?=", b64);
  }
  subject = subj;
  snprintf(head, sizeof head,
           "Date: %s\r\nFrom: mend <%s>\r\nTo: <%s>\r\nSubject: %s\r\nMessage-ID: <%s@mend>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n",
           date, g_conf.smtp_from, to, subject, mid);
  size_t hn = strlen(head), tn = strlen(text);
  char *msg = malloc(hn + tn + 1);
  if (!msg) return -1;
  memcpy(msg, head, hn);
  memcpy(msg + hn, text, tn + 1);
  upload u = {msg, hn + tn};
  snprintf(from, sizeof from, "<%s>", g_conf.smtp_from);
  snprintf(rcpt, sizeof rcpt, "<%s>", to);
  struct curl_slist *r = curl_slist_append(NULL, rcpt);
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, g_conf.smtp_url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL, smtp_loopback(g_conf.smtp_url) ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, r);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_mail);
  curl_easy_setopt(curl, CURLOPT_READDATA, &u);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(r);
  explicit_bzero(msg, hn + tn);
  free(msg);
  if (rc != CURLE_OK) fprintf(stderr, "mend: the mail server did not take %s (%s)\n", what, curl_easy_strerror(rc));
  return rc == CURLE_OK ? 0 : -1;
}

static const char *site(void) { return g_conf.base_url ? g_conf.base_url : ""; }

static const char *const footer = N_("You get these because you asked for them on your account page in mend, where you can "
                                     "turn them off.");

/* Links that confirm an address, mailed once (the secret is forgotten once it is sent). */
typedef struct { int64_t couple, user; char address[REM_ADDRESS_MAX + 1], secret[64]; } confirm;
typedef struct { confirm v[64]; int n; } confirms;
static void keep_confirm(void *p, const void *row) {
  confirms *l = p;
  const rem_confirm *c = row;
  if (l->n == 64) return;
  confirm *x = &l->v[l->n++];
  *x = (confirm){c->couple_id, c->user_id, "", ""};
  snprintf(x->address, sizeof x->address, "%s", c->address);
  snprintf(x->secret, sizeof x->secret, "%s", c->secret);
}

static void mail_confirmations(db_t *db, CURL *curl, int64_t now) {
  confirms l = {.n = 0};
  if (rem_email_unmailed(db, keep_confirm, &l) != DB_OK) return;
  for (int i = 0; i < l.n; i++) {
    /* in the language of whoever asked for it */
    user_t u;
    i18n_use(web_language_of(acct_user(db, l.v[i].couple, l.v[i].user, &u) == DB_ROW ? &u : NULL));
    char text[1536];
    snprintf(text, sizeof text, "%s\r\n\r\n%s/reminders/confirm/%s\r\n\r\n%s\r\n",
             _("Someone asked mend to send reminders to this address. If it was you, confirm it here:"), site(), l.v[i].secret,
             _("If it was not you, do nothing: no reminder comes here unless the link is followed."));
    /* forgotten either way: an address that refuses mail is asked again from the account page */
    mail_send(curl, "an address's confirmation", l.v[i].address, _("Confirm your address for mend"), text, now);
    i18n_use(NULL);
    rem_email_mailed(db, l.v[i].couple, l.v[i].user);
  }
  explicit_bzero(&l, sizeof l);
}

/* Invitations of counsellors both partners agreed to: mailed once, in the language of the
   partner who asked, naming both (who asks them in); the code is forgotten once sent. */
typedef struct { int64_t couple, access, asked_by; char address[EMAIL_MAX + 1], code[INVITE_DISPLAY + 1]; } invitation;
typedef struct { invitation v[32]; int n; } invitations;
static void keep_invitation(void *p, const void *row) {
  invitations *l = p;
  const invite_mail *m = row;
  if (l->n == 32) return;
  invitation *x = &l->v[l->n++];
  *x = (invitation){m->couple_id, m->access_id, m->asked_by, "", ""};
  snprintf(x->address, sizeof x->address, "%s", m->address);
  snprintf(x->code, sizeof x->code, "%s", m->code);
}

_Static_assert(COUNSELLOR_INVITE_DAYS == 14, "the invitation's mail says how long its link works");
static void mail_invitations(db_t *db, CURL *curl, int64_t now) {
  invitations l = {.n = 0};
  if (invite_unmailed(db, now, keep_invitation, &l) != DB_OK) return;
  for (int i = 0; i < l.n; i++) {
    user_t partners[2];
    int np = 0;
    if (acct_partners(db, l.v[i].couple, partners, &np) != DB_OK || np < 2) continue;
    const user_t *asker = partners[0].id == l.v[i].asked_by ? &partners[0] : &partners[1];
    i18n_use(web_language_of(asker));
    char head[1024], text[3072];
    utf8_format(head, sizeof head, _("%s and %s would like you to follow their report in mend between your sessions: "
                                      "only the parts they chose, never a private entry, for as long as they both want."),
                partners[0].display_name, partners[1].display_name);
    snprintf(text, sizeof text, "%s\r\n\r\n%s\r\n%s/join/%s\r\n\r\n%s\r\n", head,
             _("To accept, make your counsellor account on their server with this link, or log in there first if you have one "
               "(it works for 14 days, once):"), site(),
             l.v[i].code, _("If you do not know them, do nothing: nothing is shared with this address, and the link expires."));
    int sent = mail_send(curl, "an invitation", l.v[i].address, _("An invitation to follow a couple's report in mend"), text, now);
    i18n_use(NULL);
    /* a refusal may pass (the mail server down for the night): tried again later, and the
       couple told once it is given up */
    if (sent == 0) invite_mailed(db, l.v[i].couple, l.v[i].access, now);
    else invite_refused(db, l.v[i].couple, l.v[i].access, now);
  }
  explicit_bzero(&l, sizeof l);
}

/* Each item alone, or once a day the day's digest (after the partner's quiet hours end). */
static void mail_person(db_t *db, CURL *curl, const app_couple *c, const person *p, int64_t now) {
  rem_email e;
  if (!g_conf.smtp_url || rem_email_get(db, p->couple, p->user, &e) != DB_OK || !e.confirmed) return;
  const user_t *me = NULL;
  for (int i = 0; i < c->npartners; i++)
    if (c->partners[i].id == p->user) me = &c->partners[i];
  int64_t today = me ? app_today(me, now) : 0;
  int daily = !strcmp(p->s.email, "daily");
  if (daily) {
    int64_t local = now + tz_offset(p->tz, now);
    int minute = (int)(((local % 86400) + 86400) % 86400 / 60);
    if (e.digest_day >= today || minute < p->s.quiet_to) return;
  }
  app_reminder due[APP_REMINDERS_MAX];
  int n = app_reminders_due(c, &p->s, REM_EMAIL, due, APP_REMINDERS_MAX);
  if (n <= 0) return;
  char text[4096];
  size_t used = 0;
  for (int i = 0; i < n && (!i || daily); i++) {
    int k = snprintf(text + used, sizeof text - used, "%s%s\r\n%s %s%.79s", i ? "\r\n\r\n" : "", due[i].body, _("Open it:"),
                     site(), due[i].url);
    if (k < 0 || (size_t)k >= sizeof text - used - strlen(_(footer)) - 7) break;
    used += (size_t)k;
  }
  snprintf(text + used, sizeof text - used, "\r\n\r\n%s\r\n", _(footer));
  if (mail_send(curl, "a reminder", e.address, daily ? _("What is waiting for you in mend today") : _("Something is waiting for you in mend"),
                text, now) != 0)
    return;
  for (int i = 0; i < n && (!i || daily); i++) rem_mark_sent(db, REM_EMAIL, p->couple, p->user, due[i].kind, due[i].item, now);
  if (daily) rem_email_digest_done(db, p->couple, p->user, today);
}

/* The words a push carries: JSON for the service worker (static/sw.js). */
static void payload_of(const app_reminder *r, char *out, size_t cap) {
  /* our own words (in the reader's language: escaped, a translation may quote) and paths */
  char body[2 * sizeof r->body];
  size_t k = 0;
  for (const char *s = r->body; *s && k + 2 < sizeof body; s++) {
    if (*s == '"' || *s == '\\') body[k++] = '\\';
    body[k++] = (unsigned char)*s < 0x20 ? ' ' : *s;
  }
  body[k] = 0;
  snprintf(out, cap, "{\"title\":\"mend\",\"body\":\"%.480s\",\"url\":\"%.79s\",\"tag\":\"%.23s-%lld\"}", body, r->url,
           r->kind, (long long)r->item);
}

static void serve_person(db_t *db, CURL *curl, const person *p, int64_t now) {
  if (app_quiet_now(&p->s, p->tz, now)) return; /* what is due now goes when they wake */
  user_t partners[2];
  int np = 0;
  if (acct_partners(db, p->couple, partners, &np) != DB_OK) return;
  arena_heap mem;
  arena_heap_init(&mem);
  app_couple c = {db, p->couple, p->user, partners, np, &mem.base, now, -1};
  /* each reminder in its reader's language: their choice, else the server's */
  const user_t *me = NULL;
  for (int i = 0; i < np; i++)
    if (partners[i].id == p->user) me = &partners[i];
  i18n_use(web_language_of(me));
  if (strcmp(p->s.email, "off")) mail_person(db, curl, &c, p, now);
  app_reminder due[APP_REMINDERS_MAX];
  int n = p->s.push ? app_reminders_due(&c, &p->s, REM_PUSH, due, APP_REMINDERS_MAX) : 0;
  arena_heap_free(&mem);
  i18n_use(NULL);
  if (n <= 0) return;
  devices ds = {.n = 0};
  if (rem_devices(db, p->couple, p->user, keep_device, &ds) != DB_OK) return;
  for (int i = 0; i < n; i++) {
    char payload[2 * sizeof due[i].body + sizeof due[i].url + sizeof due[i].kind + 96];
    payload_of(&due[i], payload, sizeof payload);
    int took = 0;
    for (int k = 0; k < ds.n; k++) {
      if (!ds.v[k].endpoint[0]) continue;
      int r = send_one(curl, &ds.v[k], payload, now);
      if (r == SENT) took = 1;
      else if (r == GONE) {
        rem_device_gone(db, ds.v[k].endpoint);
        ds.v[k].endpoint[0] = 0;
      }
    }
    if (took) rem_mark_sent(db, REM_PUSH, p->couple, p->user, due[i].kind, due[i].item, now);
  }
}

/* libcurl (and the TLS it brings) is set up the first time there is something to send: a
   server whose partners use no reminders never pays its memory. */
static CURL *curl_now(CURL **curl) {
  if (!*curl && curl_load() && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) *curl = curl_easy_init();
  return *curl;
}

static int confirmations_waiting(db_t *db) {
  return db_count(db, "SELECT COUNT(*) FROM reminder_emails WHERE confirm_mail IS NOT NULL", "") > 0;
}

static int invitations_waiting(db_t *db, int64_t now) {
  return db_count(db, "SELECT COUNT(*) FROM counsellor_invites i JOIN counsellor_access a ON a.couple_id = i.couple_id "
                      "AND a.id = i.access_id WHERE i.code_mail IS NOT NULL AND a.agreed_at IS NOT NULL AND a.ended_at IS NULL "
                      "AND (i.next_mail_at IS NULL OR i.next_mail_at <= $1)", "i", now) > 0;
}

static void round_of(db_t *db, CURL **curl) {
  people l = {0};
  if (db_ready(db) == DB_OK && rem_people(db, keep_person, &l) == DB_OK) {
    int64_t now = (int64_t)time(NULL);
    if (g_conf.smtp_url && confirmations_waiting(db) && curl_now(curl)) mail_confirmations(db, *curl, now);
    if (g_conf.smtp_url && invitations_waiting(db, now) && curl_now(curl)) mail_invitations(db, *curl, now);
    for (size_t i = 0; i < l.n && curl_now(curl); i++) serve_person(db, *curl, &l.v[i], now);
  }
  free(l.v);
}

/* ---------- the thread ---------- */

static periodic_t worker;
static CURL *curl; /* the worker thread's, made when first needed */

static void worker_round(periodic_t *p, db_t *db) {
  (void)p;
  round_of(db, &curl);
}

static void worker_done(periodic_t *p) {
  (void)p;
  if (!curl) return;
  curl_easy_cleanup(curl);
  curl_global_cleanup();
  curl = NULL;
}

int push_start(const db_target_t *t, int seconds) {
  char err[512];
  db_t *db = db_open(t, err, sizeof err);
  if (!db) { fprintf(stderr, "mend: reminders: %s\n", err); return -1; }
  int rc = rem_vapid(db, vapid_priv, vapid_pub, (int64_t)time(NULL));
  db_close(db);
  if (rc != DB_OK) { fprintf(stderr, "mend: reminders: cannot read or make the VAPID key\n"); return -1; }
  have_key = 1;
  worker.round = worker_round;
  worker.done = worker_done;
  return periodic_start(&worker, t, seconds > 0 ? seconds : 30) == 0 ? 0 : -1;
}

void push_stop(void) { periodic_stop(&worker); }
