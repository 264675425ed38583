/* html.c: the layout every page shares (landmarks, the quick exit, navigation), form
   fields with their errors, and sending a page. All text goes through sb_html's %s. */
#include "web.h"
#include "loop.h"
#include "html.h"
#include "util/embed.h"
#include "core/markdown.h"
#include "core/coach.h"
#include "core/plan.h"
#include "db/program.h"
#include "core/parse.h"
#include "util/tcache.h"
#include "util/tz.h"
#include "util/i18n.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUICK_EXIT_URL "https://www.bbc.com/weather"

static const char *asset_hash(const char *name) {
  const struct embed_file *f = embed_find(embed_static, name, strlen(name));
  return f ? f->hash : "0";
}

/* One tab of the bar: an icon (an SVG path of ours) beside its word. */
static void tab(sb_t *o, const char *href, const char *label, const char *icon, int current) {
  sb_markup(o, "<li><a href=\"%s\"%r><svg class=\"icon\" aria-hidden=\"true\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\">"
             "<path d=\"%s\"/></svg><span>%s</span></a></li>\n", href, current ? " aria-current=\"page\"" : "", icon, _(label));
}

/* Each tool with its icon (an SVG path of ours, 16 units square) and its name. */
typedef struct { const char *href, *name, *icon; } tool_t;
#define FACE "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm0 1.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11zM5.5 6h1.5v1.5H5.5zm3.5 0h1.5v1.5H9zM5 9.5h6a3 3 0 0 1-6 0z" /* feelings, in either list */
static const tool_t face[] = {
  {"/breach", N_("What happened"), "M8 14 2 8a3.5 3.5 0 0 1 5-5l1 1 1-1a3.5 3.5 0 0 1 5 5z"},
  {"/feelings", N_("Feelings"), FACE},
  {"/triggers", N_("Triggers"), "M9 1 3 9h4l-1 6 6-8H8z"},
  {"/questions", N_("Questions"), "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM6.2 6a1.9 1.9 0 1 1 2.7 1.7c-.5.3-.9.6-.9 1.2v.6H7v-.7c0-1 .6-1.5 1.2-1.9a.8.8 0 1 0-1.2-.9zM7 10.5h1.5V12H7z"},
  {"/apologies", N_("Apologies"), "M1 3h14v10H1zm1.5 1.5v.4L8 8.6l5.5-3.7v-.4zm0 2.2v4.8h11V6.7L8 10.4z"},
  {"/letters", N_("Letters"), "M3 1h7l3 3v11H3zm1.5 1.5v11h7V5H9V2.5zM6 7h4v1H6zm0 2h4v1H6zm0 2h3v1H6z"},
  {NULL, NULL, NULL}};
static const tool_t face_resting[] = {
  {"/feelings", N_("Feelings"), FACE},
  {"/triggers", N_("Triggers"), "M9 1 3 9h4l-1 6 6-8H8z"},
  {"/letters", N_("Letters"), "M3 1h7l3 3v11H3zm1.5 1.5v11h7V5H9V2.5zM6 7h4v1H6zm0 2h4v1H6zm0 2h3v1H6z"},
  {"/archive", N_("Archive"), "M1 2h14v3H1zm1 4h12v9H2zm4 2v1.5h4V8z"},
  {NULL, NULL, NULL}};
static const tool_t trust[] = {
  {"/agreements", N_("Agreements"), "M3 1h7l3 3v11H3zm2 5h6v1H5zm0 2.5h6v1H5zm0 2.5h4v1H5z"},
  {"/promises", N_("Promises"), "M2 8.5 3.5 7l3 3 6-6L14 5.5 6.5 13z"},
  {"/truths", N_("Daily truth"), "M8 4.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7zM7.3 0h1.4v3H7.3zm0 13h1.4v3H7.3zM0 7.3h3v1.4H0zm13 0h3v1.4h-3z"},
  {"/checkins", N_("Check-ins"), "M2 3h12v11H2zm1.5 3v6.5h9V6zM4 1h1.5v3H4zm6.5 0H12v3h-1.5z"},
  {"/setbacks", N_("Setbacks"), "M6 3 1 8l5 5V9h8V7H6z"},
  {"/hard-dates", N_("Hard dates"), "M2 3h12v11H2zm1.5 3v6.5h9V6zM4 1h1.5v3H4zm6.5 0H12v3h-1.5zM7.2 7h1.6v3H7.2zm0 3.8h1.6v1.4H7.2z"},
  {"/timeouts", N_("Time-outs"), "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm0 1.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11zM7.3 4h1.4v4.2l2.6 1.6-.7 1.2-3.3-2z"},
  {"/talks", N_("Talk and listen"), "M1 2h9v6H4l-3 3zm1.5 1.5v4l1-1h5v-3zM11 5h4v8l-3-3H6V9h5z"},
  {NULL, NULL, NULL}};
static const tool_t near[] = {
  {"/journal", N_("Journal"), "M1 2h5a2 2 0 0 1 2 1.2A2 2 0 0 1 10 2h5v11h-5a1.5 1.5 0 0 0-1.3.8h-1.4A1.5 1.5 0 0 0 6 13H1zm1.5 1.5v8H6c.4 0 .8.1 1.2.3V4A.6.6 0 0 0 6.5 3.5zm11 0h-4a.6.6 0 0 0-.7.5v7.8c.4-.2.8-.3 1.2-.3h3.5z"},
  {"/closeness", N_("Closeness"), "M5.5 4a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm5 2a3 3 0 1 1 0 6 3 3 0 0 1 0-6z"},
  {"/moments", N_("Moments"), "M8 1l2 4.5 5 .5-3.8 3.3 1.1 4.9L8 11.7l-4.3 2.5 1.1-4.9L1 6l5-.5z"},
  {"/values", N_("Values and goals"), "M3 1h1.5v14H3zm2 1h8l-2 3 2 3H5z"},
  {"/forgiveness", N_("Forgiveness"), "M14 2C6 2 2 6 2 12l1.5 1.5C4 9 7 6 11 5 8 7 6 9 5 12c5 0 9-4 9-10z"},
  {"/reports", N_("Reports"), "M5 1h6v2h2v12H3V3h2zm1 1v2h4V2zM5 7h6v1H5zm0 2.5h6v1H5z"},
  {"/counsellor-access", N_("A counsellor"), "M8 1a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM3 15c0-3 2-6 5-6s5 3 5 6zm9-11h1.5v1.5H15V7h-1.5v1.5H12V7h-1.5V5.5H12z"},
  {NULL, NULL, NULL}};
static const tool_t you[] = {
  {"/account", N_("Your account"), "M8 1a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7zM1.5 15a6.5 6.5 0 0 1 13 0z"},
  {"/account#reminders-h", N_("Reminders"), "M8 1a1 1 0 0 1 1 1v.6A4.5 4.5 0 0 1 12.5 7v4l1.5 1.5v.5H2v-.5L3.5 11V7A4.5 4.5 0 0 1 7 2.6V2a1 1 0 0 1 1-1zM6.5 14h3a1.5 1.5 0 0 1-3 0z"},
  {NULL, NULL, NULL}};

static void tool_group(sb_t *o, const char *idp, const char *id, const char *title, const tool_t *t) {
  sb_markup(o, "<div><p class=\"group\" id=\"%s-%s\">%s</p>\n<ul aria-labelledby=\"%s-%s\">\n", idp, id, _(title), idp, id);
  for (; t->href; t++)
    sb_markup(o, "<li><a href=\"%s\"><svg class=\"icon\" aria-hidden=\"true\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\">"
               "<path d=\"%s\"/></svg><span>%s</span></a></li>\n", t->href, t->icon, _(t->name));
  sb_puts(o, "</ul></div>\n");
}

static void tool_groups(sb_t *o, const char *idp, int resting) {
  /* grouped by the part of the way each belongs to; once both let the past rest, its pages
     leave daily view for the archive */
  sb_puts(o, "<div class=\"groups\">\n");
  tool_group(o, idp, "face", N_("Face what happened"), resting ? face_resting : face);
  tool_group(o, idp, "trust", N_("Build trust"), trust);
  tool_group(o, idp, "near", N_("Come closer"), near);
  tool_group(o, idp, "you", N_("You"), you);
  sb_puts(o, "</div>\n");
}

/* The menu is the same on every page but for two things (the past resting, the menu's own
   ids): made once, in its four forms, not on every page. */
static const char *const tool_ids[2] = {"nav", "more"};
static char *tools_made[I18N_COUNT][2][2];
static pthread_once_t tools_once = PTHREAD_ONCE_INIT;
static void tools_make(void) {
  const i18n_lang *was = i18n_current();
  static const char *const codes[I18N_COUNT] = {I18N_CODES};
  for (int l = 0; l < I18N_COUNT; l++) {
    i18n_use(i18n_find(codes[l], strlen(codes[l])));
    for (int r = 0; r < 2; r++)
      for (int k = 0; k < 2; k++) {
        sb_t t;
        sb_init(&t, 8192);
        tool_groups(&t, tool_ids[k], r);
        tools_made[l][r][k] = t.buf;
      }
  }
  i18n_use(was);
}

void page_tools(rq_t *rq, sb_t *o, const char *idp) {
  int k = !strcmp(idp, tool_ids[0]) ? 0 : !strcmp(idp, tool_ids[1]) ? 1 : -1;
  if (k < 0) { tool_groups(o, idp, web_resting(rq)); return; }
  pthread_once(&tools_once, tools_make);
  sb_puts(o, tools_made[i18n_index(rq->lang)][web_resting(rq) ? 1 : 0][k]);
}

/* Every tab says only "mend": a glance at a shared phone's tabs or history tells nothing of
   what was open (the page's own heading says where one is). */
/* The colours this device chose on the account page (a cookie, never stored): "" follows the
   phone's own light or dark. */
static const char *theme_of(rq_t *rq) {
  h2o_iovec_t c = web_req_header(rq, H2O_TOKEN_COOKIE);
  const char *v;
  size_t n;
  if (!c.len || !cookie_get(c.base, c.len, "mend_theme", &v, &n)) return "";
  if (n == 4 && !memcmp(v, "dark", 4)) return " data-theme=\"dark\"";
  if (n == 5 && !memcmp(v, "light", 5)) return " data-theme=\"light\"";
  return "";
}

void page_open(rq_t *rq, sb_t *o) {
  sb_markup(o, "<!DOCTYPE html>\n<html lang=\"%r\"%r>\n", i18n_code(rq->lang), theme_of(rq));
  sb_markup(o,
      "<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<title>mend</title>\n"
      "<meta name=\"description\" content=\"%s\">\n"
      "<meta name=\"theme-color\" content=\"#2f5d50\">\n"
      "<link rel=\"manifest\" href=\"/manifest.webmanifest\">\n"
      "<link rel=\"stylesheet\" href=\"/static/style.css?v=%r\">\n"
      "<link rel=\"icon\" href=\"/static/icon.svg?v=%r\" type=\"image/svg+xml\">\n"
      "<link rel=\"apple-touch-icon\" href=\"/static/icon-192.png?v=%r\">\n"
      "<script src=\"/static/app.js?v=%r\" defer data-sw=\"%r\"></script>\n"
      "</head>\n<body%r>\n"
      "<a class=\"skip\" href=\"#main\">%s</a>\n"
      "<header class=\"top\">\n<a class=\"brand\" href=\"/\">mend</a>\n",
      _("A private space for two people rebuilding trust."), asset_hash("style.css"), asset_hash("icon.svg"), asset_hash("icon-192.png"), asset_hash("app.js"), asset_hash("sw.js"), rq->authed ? " class=\"authed\"" : "", _("Skip to content"));
  if (rq->authed && rq->s.counsellor) {
    /* a counsellor's places: their couples and their account */
    const char *path = rq->req->path.base;
    int acct = rq->req->path.len >= 8 && !memcmp(path, "/account", 8);
    sb_puts(o, "<nav aria-label=\"Main\" class=\"tabs\"><ul>\n");
    tab(o, "/counsellor", N_("Couples"), "M5 3a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm6 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM1 13c0-3 2-5 4-5s4 2 4 5zm6 0c0-3 2-5 4-5s4 2 4 5z", !acct);
    tab(o, "/account", N_("Account"), "M8 1a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM2 15c0-4 3-6 6-6s6 2 6 6z", acct);
    sb_puts(o, "</ul></nav>\n");
  } else if (rq->authed) {
    /* a few places at hand, and every tool in a menu that opens without script, grouped by
       the part of the way it belongs to; once both let the past rest, its pages leave daily
       view for the archive */
    /* the path without its query (h2o's path is not NUL-terminated) */
    const char *path = rq->req->path.base, *q = memchr(path, '?', rq->req->path.len);
    size_t plen = q ? (size_t)(q - path) : rq->req->path.len;
    int home = plen == 1, progress = plen == 10 && !memcmp(path, "/dashboard", 10),
        program = plen == 8 && !memcmp(path, "/program", 8), more = !home && !progress && !program;
    /* the tabs a phone's thumb reaches (a bar at the bottom), the current one marked */
    sb_puts(o, "<nav aria-label=\"Main\" class=\"tabs\"><ul>\n");
    tab(o, "/", N_("Home"), "M8 1 1 7h2v8h4v-4h2v4h4V7h2z", home);
    tab(o, "/dashboard", N_("Progress"), "M1 1h1v13h13v1H1zm3 10 3-4 3 2 4-6 1 .8-4.6 7-3-2-2.6 3.2z", progress);
    tab(o, "/program", N_("Program"), "M1 2h3v3H1zm5 1h9v1H6zM1 7h3v3H1zm5 1h9v1H6zm-5 4h3v3H1zm5 1h9v1H6z", program);
    tab(o, "/more", N_("Tools"), "M2 7h2.5v2.5H2zm4.75 0h2.5v2.5h-2.5zM11.5 7H14v2.5h-2.5z", more);
    sb_puts(o, "</ul></nav>\n");
    /* and, on a wide screen, every tool in a menu that opens without script */
    sb_text(o, "<details class=\"tools\"><summary>All tools</summary>\n");
    page_tools(rq, o, "nav");
    sb_puts(o, "</details>\n");
  }
  /* logged in, the quick exit ends the session on this device as it leaves: a form, so it does
     without script too (/exit answers with the neutral site); app.js sends it as a beacon instead
     and leaves without a page in the back history */
  if (rq->authed) {
    sb_markup(o, "<form method=\"post\" action=\"/exit\" class=\"quick-exit-form\">");
    form_csrf(rq, o);
    sb_html(o, "<button type=\"submit\" class=\"quick-exit\" data-quick-exit data-href=\"%r\">Quick exit</button></form>\n",
            QUICK_EXIT_URL);
  } else {
    sb_html(o, "<a class=\"quick-exit\" href=\"%r\" rel=\"noreferrer\" data-quick-exit>Quick exit</a>\n", QUICK_EXIT_URL);
  }
  sb_puts(o, "</header>\n<main id=\"main\">\n");
  /* a time-out running: every page says until when, and nothing else about it */
  if (rq->authed && rq->s.timeout_until > web_now()) {
    sb_text(o, "<p class=\"notice timeout\" role=\"status\">A time-out is on until ");
    page_clock(rq, o, rq->s.timeout_until);
    sb_text(o, ". Take the time to calm down; then <a href=\"/timeouts\">come back as you agreed</a>.</p>\n");
  }
}

void page_clock(rq_t *rq, sb_t *o, int64_t t) {
  const char *tz = rq->s.user.timezone[0] ? rq->s.user.timezone : "UTC";
  int64_t local = t + tz_offset(tz, t), m = (local % SECONDS_PER_DAY + SECONDS_PER_DAY) % SECONDS_PER_DAY / 60;
  char iso[ISO_TIME_CHARS];
  iso_time(t, iso);
  int h = (int)(m / 60), mm = (int)(m % 60);
  sb_markup(o, "<time datetime=\"%s\">%d%d:%d%d</time>", iso, h / 10, h % 10, mm / 10, mm % 10);
}

void page_close(rq_t *rq, sb_t *o) {
  sb_markup(o, "</main>\n<footer class=\"foot\">\n");
  if (rq->authed) {
    sb_markup(o, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
    form_csrf(rq, o);
    sb_html(o, "<button type=\"submit\" class=\"link\">Log out</button></form>\n");
    /* a time-out in one tap from any page: for when one of you is flooded (a couple's, never
       a counsellor's) */
    if (!rq->s.counsellor && rq->s.timeout_until <= web_now()) {
      sb_markup(o, "<form method=\"post\" action=\"/timeouts\" class=\"inline\">");
      form_csrf(rq, o);
      sb_html(o, "<button type=\"submit\" class=\"link\">Call a time-out</button></form>\n");
    }
  }
  sb_html(o, "<p>mend keeps what you write on this server only. The quick exit at the top leaves at once. "
             "<a href=\"/guidance\">When to ask for help</a> \u00b7 <a href=\"/guidance#crisis\">In a crisis</a></p>\n"
             "</footer>\n</body>\n</html>\n");
}

/* Where the quick exit's form lands: on to the neutral site at once, with a title that says
   nothing of mend, for the moment it shows. */
int page_left(rq_t *rq) {
  static const char page[] = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Weather</title>\n"
                             "<meta name=\"referrer\" content=\"no-referrer\">\n"
                             "<meta http-equiv=\"refresh\" content=\"0;url=" QUICK_EXIT_URL "\">\n</head>\n<body>\n"
                             "<p><a href=\"" QUICK_EXIT_URL "\" rel=\"noreferrer\">Weather</a></p>\n</body>\n</html>\n";
  return web_send(rq, 200, "text/html; charset=utf-8", page, sizeof page - 1);
}

int page_end(rq_t *rq, sb_t *o, int status) {
  page_close(rq, o);
  return page_send(rq, status, o);
}

int page_send(rq_t *rq, int status, sb_t *o) {
  return web_send(rq, status, "text/html; charset=utf-8", o->buf, o->len);
}

/* Whether the form's CSRF field matches: for the one form that acts either way (the quick exit). */
int form_csrf_ok(rq_t *rq) { return session_check_csrf(rq); }

void form_csrf(rq_t *rq, sb_t *o) {
  sb_markup(o, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", rq->csrf);
}

/* A control's hint and error, tied to it for screen readers. */
static void field_aria(sb_t *o, const char *name, const char *hint, const char *err) {
  if (hint || err) {
    sb_markup(o, " aria-describedby=\"");
    if (hint) sb_markup(o, "f-%s-hint", name);
    if (hint && err) sb_putc(o, ' ');
    if (err) sb_markup(o, "f-%s-error", name);
    sb_putc(o, '"');
  }
  if (err) sb_markup(o, " aria-invalid=\"true\"");
}

static void input_field(sb_t *o, const char *name, const char *label, const char *type, const char *value,
                        const char *autocomplete, const char *hint, const char *err, int required) {
  label = _(label), hint = hint ? _(hint) : NULL, err = err ? _(err) : NULL;
  sb_markup(o, "<div class=\"field%r\">\n<label for=\"f-%s\">%s</label>\n", err ? " invalid" : "", name, label);
  if (hint) sb_markup(o, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n", name, hint);
  if (err) sb_markup(o, "<p class=\"error\" id=\"f-%s-error\">%s</p>\n", name, err);
  sb_markup(o, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\"%r", name, name, type, autocomplete,
          required ? " required" : "");
  if (value && *value) sb_markup(o, " value=\"%s\"", value);
  field_aria(o, name, hint, err);
  sb_markup(o, ">\n</div>\n");
}

void form_field(sb_t *o, const char *name, const char *label, const char *type, const char *value,
                const char *autocomplete, const char *hint, const char *err) {
  input_field(o, name, label, type, value, autocomplete, hint, err, 1);
}

void form_optional(sb_t *o, const char *name, const char *label, const char *type, const char *value, const char *hint,
                   const char *err) {
  input_field(o, name, label, type, value, "off", hint, err, 0);
}

/* A date for people ("25 November 2026"), with the exact time for machines; formatted by
   hand, as it runs for every date on every page. */
void page_time(sb_t *o, int64_t t) { time_html(o, t); }

void form_textarea(sb_t *o, const char *name, const char *label, const char *value, const char *hint,
                   const char *err, int rows, int required) {
  label = _(label), hint = hint ? _(hint) : NULL, err = err ? _(err) : NULL;
  sb_markup(o, "<div class=\"field%r\">\n<label for=\"f-%s\">%s</label>\n", err ? " invalid" : "", name, label);
  if (hint) sb_markup(o, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n", name, hint);
  if (err) sb_markup(o, "<p class=\"error\" id=\"f-%s-error\">%s</p>\n", name, err);
  sb_markup(o, "<textarea id=\"f-%s\" name=\"%s\" rows=\"%d\"%r", name, name, rows, required ? " required" : "");
  field_aria(o, name, hint, err);
  /* a newline right after <textarea> is dropped by parsers, so a value starting with one survives */
  sb_markup(o, ">\n%s</textarea>\n</div>\n", value ? value : "");
}

void form_select(sb_t *o, const char *name, const char *label, const char *const *values, const char *const *names,
                 const char *selected, const char *err) {
  label = _(label), err = err ? _(err) : NULL;
  sb_markup(o, "<div class=\"field%r\">\n<label for=\"f-%s\">%s</label>\n", err ? " invalid" : "", name, label);
  if (err) sb_markup(o, "<p class=\"error\" id=\"f-%s-error\">%s</p>\n", name, err);
  sb_markup(o, "<select id=\"f-%s\" name=\"%s\"%r>\n", name, name, err ? " aria-invalid=\"true\"" : "");
  for (int i = 0; values[i]; i++)
    sb_markup(o, "<option value=\"%s\"%r>%s</option>\n", values[i],
            selected && !strcmp(selected, values[i]) ? " selected" : "", names ? _(names[i]) : values[i]);
  sb_markup(o, "</select>\n</div>\n");
}

void form_checkbox(sb_t *o, const char *name, const char *label, int checked) {
  sb_markup(o, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%r>"
             "<label for=\"f-%s\">%s</label></div>\n", name, name, checked ? " checked" : "", name, _(label));
}

void page_error_notice(sb_t *o, const char *msg) {
  if (msg) sb_markup(o, "<div class=\"notice error\" role=\"alert\"><p>%s</p></div>\n", _(msg));
}

void form_share_buttons(rq_t *rq, sb_t *o) {
  sb_html(o, "<div class=\"actions share\"><button type=\"submit\" name=\"visibility\" value=\"private\" class=\"secondary private\">"
             "<svg class=\"icon\" aria-hidden=\"true\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\"><path d=\"M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z\"/></svg> Keep private</button> <button type=\"submit\" name=\"visibility\" value=\"shared\">Share with %s</button></div>\n",
          web_partner_name(rq));
}

int form_shared(rq_t *rq) {
  char v[8];
  if (rq->api || web_form(rq, "visibility", v, sizeof v) <= 0) return -1;
  return !strcmp(v, "shared") ? 1 : 0;
}

void page_saved_notice(rq_t *rq, sb_t *o) {
  char v[8];
  if (web_query(rq, "saved", v, sizeof v) <= 0) return;
  if (!strcmp(v, "private")) sb_text(o, "<p class=\"notice saved private\" role=\"status\">Saved. Only you can see this.</p>\n");
  else if (!strcmp(v, "shared")) sb_html(o, "<p class=\"notice saved\" role=\"status\">Shared with %s.</p>\n", web_partner_name(rq));
}

/* Rendered shared words, by the hash of their Markdown: the same words always render the same,
   so an entry needs no id or version here. Per thread (util/tcache.h); when it is full,
   everything goes at once. */
#define MD_SLOTS 256
#define MD_STORE (128 * 1024)
typedef struct { unsigned char hash[16]; size_t at, len; } md_slot;
typedef struct { md_slot slot[MD_SLOTS]; size_t used; char store[MD_STORE]; } md_kept;
static tcache_t md_tc = TCACHE(sizeof(md_kept));

void page_markdown(sb_t *o, const char *md, int keep) {
  size_t n = strlen(md);
  md_kept *k = keep ? tcache_get(&md_tc) : NULL;
  if (!k) { markdown_html(o, md, n); return; }
  unsigned char h[16];
  crypto_generichash(h, sizeof h, (const unsigned char *)md, n, NULL, 0);
  md_slot *s = &k->slot[(h[0] | h[1] << 8) % MD_SLOTS];
  if (s->len && !memcmp(s->hash, h, sizeof h)) { sb_put(o, k->store + s->at, s->len); return; }
  size_t at = o->len;
  if (markdown_html(o, md, n) != 0) return;
  size_t len = o->len - at;
  if (!len || len > MD_STORE / 8) return; /* a very long entry is rendered each time */
  if (k->used + len > MD_STORE) {
    sodium_memzero(k->store, k->used);
    memset(k->slot, 0, sizeof k->slot);
    k->used = 0;
  }
  memcpy(k->store + k->used, o->buf + at, len);
  *s = (md_slot){{0}, k->used, len};
  memcpy(s->hash, h, sizeof h);
  k->used += len;
}

/* Multi-line text as paragraphs: blank lines split paragraphs, single newlines become <br>. */
void page_text(sb_t *o, const char *s) {
  if (!s) return;
  sb_puts(o, "<p>");
  for (const char *p = s; *p; p++) {
    if (*p == '\r') continue;
    if (*p == '\n') {
      if (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')) {
        sb_puts(o, "</p>\n<p>");
        while (p[1] == '\n' || p[1] == '\r') p++;
      } else sb_puts(o, "<br>\n");
      continue;
    }
    sb_esc_html(o, p, 1);
  }
  sb_puts(o, "</p>\n");
}

/* Every error a page route meets, as a page of the layout (http.c calls it through the hook
   html_init sets). kept: the words of a form too large to save, shown again to be copied. */
static int error_page(rq_t *rq, int status, const char *message, const char *kept) {
  sb_t *o = web_out(rq);
  if (kept) {
    page_open(rq, o);
    sb_html(o, "<h1>Too long to save</h1>\n<p class=\"lead\">%s Here is what you wrote: copy it, then save it in parts.</p>\n"
               "<label for=\"kept\">Your words</label>\n<textarea id=\"kept\" rows=\"12\" readonly>\n%s</textarea>\n"
               "<p><a href=\"/\">Back to the start</a></p>\n", message, kept);
  } else {
    const char *title = status == 404 ? N_("Not found") : status == 403 ? N_("Not allowed") : status == 429 ? N_("Please wait")
                      : status >= 500 ? N_("Something went wrong") : N_("That did not work");
    page_open(rq, o);
    sb_html(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n<p><a href=\"/\">Back to the start</a></p>\n", _(title), _(message));
  }
  return page_end(rq, o, status);
}

void html_init(void) { web_set_error_page(error_page); }

sb_t *page_start(rq_t *rq, const char *title, const char *lead) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_markup(o, "<h1>%s</h1>\n", _(title));
  if (lead) sb_markup(o, "<p class=\"lead\">%r</p>\n", _(lead));
  return o;
}

const char *web_partner_name(rq_t *rq) {
  const user_t *p = web_partner(rq);
  return p ? p->display_name : _("your partner");
}

/* The text with the coach's findings marked where they are; overlapping marks are shown once. */
static void highlighted(sb_t *o, const char *text, const coach_result *r) {
  size_t at = 0, n = strlen(text);
  sb_puts(o, "<div class=\"draft\"><p>");
  for (int f = 0; f <= r->nfindings; f++) {
    size_t s = f < r->nfindings ? r->findings[f].start : n, e = f < r->nfindings ? r->findings[f].end : n;
    if (s < at) continue;
    for (size_t i = at; i < s; i++) {
      if (text[i] == '\n') sb_puts(o, "<br>\n");
      else if (text[i] != '\r') sb_esc_html(o, text + i, 1);
    }
    if (f < r->nfindings) {
      sb_markup(o, "<mark class=\"finding\">%.*s<span class=\"tag\"> (%r)</span></mark>", (int)(e - s), text + s,
              coach_label(r->findings[f].id));
      at = e;
    } else at = n;
  }
  sb_puts(o, "</p></div>\n");
}

void page_coach(sb_t *o, const char *text, enum coach_kind kind) {
  coach_result r;
  if (coach_analyze(text, strlen(text), kind, i18n_index(i18n_current()), &r) != 0) return;
  highlighted(o, text, &r);
  sb_html(o, "<details class=\"coach\" open><summary>What the coach sees</summary>\n<p>");
  sb_t s;
  sb_init(&s, 256);
  coach_summary(&r, &s);
  sb_markup(o, "%s</p>\n", s.buf);
  sb_free(&s);
  /* the parts of a full apology, for what is one */
  static const char *labels[] = {N_("Says sorry"), N_("Owns it"), N_("Names the harm"), N_("Sees their feelings"), N_("Says what will change"),
                                 N_("Offers to make it right"), N_("Asks for forgiveness")};
  if (kind == COACH_APOLOGY) {
    sb_puts(o, "<ul class=\"parts\">\n");
    for (int i = 0; i < COACH_COMPONENTS; i++)
      sb_markup(o, "<li class=\"%r\">%r %s</li>\n", r.components[i] ? "yes" : "no", r.components[i] ? "✓" : "○", _(labels[i]));
    sb_puts(o, "</ul>\n");
  }
  if (r.nfindings) {
    sb_puts(o, "<ul class=\"findings\">\n");
    for (int f = 0; f < r.nfindings; f++)
      sb_markup(o, "<li><strong>“%.*s”</strong> (%r): %r</li>\n", (int)(r.findings[f].end - r.findings[f].start),
              text + r.findings[f].start, coach_label(r.findings[f].id), coach_why(r.findings[f].id));
    sb_puts(o, "</ul>\n");
  }
  sb_text(o, "<p class=\"hint\">The coach only points; the words stay yours.</p>\n</details>\n");
  coach_free(&r);
}

int page_give_anyway(rq_t *rq, const char *text, enum coach_kind kind, const char *action, const char *back) {
  if (rq->api || web_form_text(rq, "anyway")) return 0;
  coach_result r;
  if (coach_analyze(text, strlen(text), kind, i18n_index(i18n_current()), &r) != 0) return 0;
  int n = r.nfindings;
  if (!n) { coach_free(&r); return 0; }
  sb_t *o = page_start(rq, "Before you give it", NULL);
  sb_plural(o, n, "<p class=\"lead\">The coach found %d thing in it that may land hard. Give it anyway?</p>\n<ul class=\"findings\">\n",
            "<p class=\"lead\">The coach found %d things in it that may land hard. Give it anyway?</p>\n<ul class=\"findings\">\n", n);
  for (int f = 0; f < n; f++)
    sb_markup(o, "<li><strong>\u201c%.*s\u201d</strong> (%r): %r</li>\n", (int)(r.findings[f].end - r.findings[f].start),
            text + r.findings[f].start, coach_label(r.findings[f].id), coach_why(r.findings[f].id));
  coach_free(&r);
  sb_markup(o, "</ul>\n<form method=\"post\" action=\"%s\">", action);
  form_csrf(rq, o);
  sb_html(o, "<input type=\"hidden\" name=\"anyway\" value=\"1\"><button type=\"submit\">Give it anyway</button></form>\n"
             "<p><a href=\"%s\">Back to the draft</a>: the words stay yours.</p>\n", back);
  page_end(rq, o, 200);
  return 1;
}

int page_alone(rq_t *rq, sb_t *o, const char *what) {
  const user_t *p = web_partner(rq);
  if (p && !p->deleted_at) return 0;
  sb_html(o, "<p class=\"notice\" role=\"status\">%s needs your partner: <a href=\"/\">invite them from the home page</a>. "
             "Until they join, feelings, the journal, triggers and your drafts are yours to use alone, and nothing you write "
             "alone is shown to them unless you share it.</p>\n", what);
  return 1;
}

const prompt_t *web_prompt(rq_t *rq, const char *kind, uint32_t after, int *fits) {
  int phase = 1, mine = 0, partners = 0;
  int64_t started = 0;
  *fits = 0;
  if (program_state_get(rq->db, rq->s.user.couple_id, rq->s.user.id, &phase, &started, &mine, &partners) != DB_OK) return NULL;
  const plan_phase *ph = plan_phase_at(phase);
  return prompt_next(kind, ph ? ph->id : NULL, plan_path(rq->s.user.path), rq->s.user.id, web_today(&rq->s.user), after, fits);
}

void page_prompt(rq_t *rq, sb_t *o, const char *kind, const char *label, const char *anchor) {
  char v[16];
  uint32_t after = 0;
  if (web_query(rq, "prompt", v, sizeof v) > 0) after = (uint32_t)strtoul(v, NULL, 10);
  int fits;
  const prompt_t *p = web_prompt(rq, kind, after, &fits);
  if (!p) return;
  sb_markup(o, "<p class=\"prompt\" id=\"%s\"><span class=\"meta\">%s</span> %s", anchor, _(label), _(p->text));
  if (!strcmp(kind, "agreement")) sb_html(o, " <a href=\"?use=%u#f-text\">Start from it</a>", (unsigned)p->id);
  if (fits > 1) sb_html(o, " <a href=\"?prompt=%u#%s\">Another</a>", (unsigned)p->id, anchor);
  sb_puts(o, "</p>\n");
}
