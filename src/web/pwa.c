/* pwa.c: mend as an app on the phone: the web app manifest (installable, with its icons), the
   service worker at the root (its scope is every page), the offline page it shows, and
   robots.txt. None of them needs a session or holds anything of a couple. */
#include "web.h"
#include "html.h"
#include "util/embed.h"
#include "core/parse.h"
#include <string.h>

static const char *hash_of(const char *name) {
  const struct embed_file *f = embed_find(embed_static, name, strlen(name));
  return f ? f->hash : "0";
}

static int h_manifest(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  sb_json(o,
      "{\"name\":\"mend\",\"short_name\":\"mend\","
      "\"description\":\"A private space for two people rebuilding trust.\","
      "\"id\":\"/\",\"start_url\":\"/\",\"scope\":\"/\",\"display\":\"standalone\",\"orientation\":\"portrait\","
      "\"background_color\":\"#f7f5f0\",\"theme_color\":\"#2f5d50\",\"icons\":["
      "{\"src\":\"/static/icon-192.png?v=%r\",\"sizes\":\"192x192\",\"type\":\"image/png\",\"purpose\":\"any\"},"
      "{\"src\":\"/static/icon-512.png?v=%r\",\"sizes\":\"512x512\",\"type\":\"image/png\",\"purpose\":\"any\"},"
      "{\"src\":\"/static/icon-192.png?v=%r\",\"sizes\":\"192x192\",\"type\":\"image/png\",\"purpose\":\"maskable\"},"
      "{\"src\":\"/static/icon-512.png?v=%r\",\"sizes\":\"512x512\",\"type\":\"image/png\",\"purpose\":\"maskable\"}]}",
      hash_of("icon-192.png"), hash_of("icon-512.png"), hash_of("icon-192.png"), hash_of("icon-512.png"));
  return web_send(rq, 200, "application/manifest+json", o->buf, o->len);
}

/* The worker's own address is the root's, so that its scope is every page; sent no-store, so
   a browser checks for a new one at each visit. */
static int h_sw(rq_t *rq, json_t *j) {
  (void)j;
  const struct embed_file *f = embed_find(embed_static, "sw.js", 5);
  if (!f) return web_error(rq, 404, "not_found", "There is nothing here.", NULL);
  return web_send(rq, 200, "text/javascript; charset=utf-8", (const char *)f->data, f->len);
}

/* What the service worker shows when a page cannot be reached: the same for everyone, with
   nothing of anyone in it, so it may be kept on the device. */
static int h_offline(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<h1>You are offline</h1>\n"
             "<p class=\"lead\">mend needs a connection to show your pages: nothing the two of you wrote is kept on this "
             "phone, so nobody who picks it up can read it.</p>\n"
             "<h2>What works without a connection</h2>\n<ul>\n"
             "<li>A journal entry, an answer to a question or a check-in you write while offline is kept on this device, "
             "marked <strong>not sent yet</strong>, and sent when the connection is back.</li>\n"
             "<li>The quick exit works as always.</li>\n</ul>\n"
             "<p><a href=\"/\">Try again</a></p>\n");
  return page_end(rq, o, 200);
}

static int h_robots(rq_t *rq, json_t *j) {
  (void)j;
  static const char robots[] = "User-agent: *\nDisallow: /api/\nDisallow: /calendar/\nDisallow: /r/\n";
  return web_send(rq, 200, "text/plain; charset=utf-8", robots, sizeof robots - 1);
}

/* The account page's choice of colours for this device: the phone's own (light or dark), or
   one of them always. Kept in a cookie on the device alone. */
static int h_theme(rq_t *rq, json_t *j) {
  (void)j;
  char v[8];
  long n = web_form(rq, "theme", v, sizeof v);
  if (n < 0 || (strcmp(v, "auto") && strcmp(v, "light") && strcmp(v, "dark")))
    return web_error(rq, 422, "invalid", "Choose the phone's own colours, light or dark.", "theme");
  web_set_cookie(rq, "mend_theme", v, strcmp(v, "auto") ? 365 * SECONDS_PER_DAY : 0);
  return web_redirect(rq, "/account#looks-h");
}

void looks_account_section(rq_t *rq, sb_t *o, const char *err, const char *field) {
  (void)err;
  (void)field;
  h2o_iovec_t c = web_req_header(rq, H2O_TOKEN_COOKIE);
  const char *v = NULL;
  size_t n = 0;
  if (c.len) cookie_get(c.base, c.len, "mend_theme", &v, &n);
  const char *now = v && n == 4 && !memcmp(v, "dark", 4) ? "dark" : v && n == 5 && !memcmp(v, "light", 5) ? "light" : "auto";
  sb_text(o, "<section aria-labelledby=\"looks-h\" class=\"card\">\n<h2 id=\"looks-h\">Colours on this device</h2>\n"
             "<form method=\"post\" action=\"/account/theme\">\n");
  form_csrf(rq, o);
  static const char *const values[] = {"auto", "light", "dark", NULL};
  static const char *const names[] = {N_("As the phone sets it"), N_("Light"), N_("Dark"), NULL};
  form_select(o, "theme", "Colours", values, names, now, NULL);
  sb_text(o, "<button type=\"submit\" class=\"secondary\">Use these colours</button>\n</form>\n</section>\n");
}

const route_t pwa_routes[] = {
  {"POST", "/account/theme", h_theme, R_AUTH | R_CSRF, "account_theme"},
  {"GET", "/manifest.webmanifest", h_manifest, R_OPS, "manifest"},
  {"GET", "/sw.js", h_sw, R_OPS, "service_worker"},
  {"GET", "/offline", h_offline, R_OPS, "offline"},
  {"GET", "/robots.txt", h_robots, R_OPS, "robots"},
  {NULL, NULL, NULL, 0, NULL},
};
