/* html.c: the layout every page shares (landmarks, the quick exit, navigation), form
   fields with their errors, and sending a page. All text goes through sb_html's %s. */
#include "web.h"
#include "loop.h"
#include "html.h"
#include "util/embed.h"
#include "core/markdown.h"
#include "core/parse.h"
#include "util/tcache.h"
#include <sodium.h>
#include <string.h>
#include <time.h>

#define QUICK_EXIT_URL "https://www.bbc.com/weather"

static const char *asset_hash(const char *name) {
  const struct embed_file *f = embed_find(embed_static, name, strlen(name));
  return f ? f->hash : "0";
}

/* One tab of the bar: an icon (an SVG path of ours) beside its word. */
static void tab(sb_t *o, const char *href, const char *label, const char *icon, int current) {
  sb_html(o, "<li><a href=\"%s\"%r><svg class=\"icon\" aria-hidden=\"true\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\">"
             "<path d=\"%s\"/></svg><span>%s</span></a></li>\n", href, current ? " aria-current=\"page\"" : "", icon, label);
}

void page_tools(rq_t *rq, sb_t *o, const char *idp) {
  /* grouped by the part of the way each belongs to; once both let the past rest, its pages
     leave daily view for the archive */
  sb_html(o, "<div class=\"groups\">\n<div><p class=\"group\" id=\"%s-face\">Face what happened</p>\n"
             "<ul aria-labelledby=\"%s-face\">\n", idp, idp);
  if (web_resting(rq)) sb_html(o, "<li><a href=\"/feelings\">Feelings</a></li>\n<li><a href=\"/archive\">Archive</a></li>\n");
  else sb_html(o, "<li><a href=\"/breach\">What happened</a></li>\n<li><a href=\"/feelings\">Feelings</a></li>\n"
                  "<li><a href=\"/questions\">Questions</a></li>\n<li><a href=\"/apologies\">Apologies</a></li>\n");
  sb_html(o, "</ul></div>\n<div><p class=\"group\" id=\"%s-trust\">Build trust</p>\n<ul aria-labelledby=\"%s-trust\">\n"
             "<li><a href=\"/agreements\">Agreements</a></li>\n<li><a href=\"/promises\">Promises</a></li>\n"
             "<li><a href=\"/truths\">Daily truth</a></li>\n<li><a href=\"/checkins\">Check-ins</a></li>\n"
             "<li><a href=\"/setbacks\">Setbacks</a></li>\n</ul></div>\n"
             "<div><p class=\"group\" id=\"%s-near\">Come closer</p>\n<ul aria-labelledby=\"%s-near\">\n"
             "<li><a href=\"/journal\">Journal</a></li>\n<li><a href=\"/closeness\">Closeness</a></li>\n"
             "<li><a href=\"/moments\">Moments</a></li>\n<li><a href=\"/values\">Values and goals</a></li>\n"
             "<li><a href=\"/forgiveness\">Forgiveness</a></li>\n<li><a href=\"/reports\">Reports</a></li>\n"
             "</ul></div>\n<div><p class=\"group\" id=\"%s-you\">You</p>\n<ul aria-labelledby=\"%s-you\">\n"
             "<li><a href=\"/account\">Your account</a></li>\n<li><a href=\"/account#reminders-h\">Reminders</a></li>\n"
             "</ul></div>\n</div>\n", idp, idp, idp, idp, idp, idp);
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
  sb_html(o, "<!DOCTYPE html>\n<html lang=\"en\"%r>\n", theme_of(rq));
  sb_html(o,
      "<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<title>mend</title>\n"
      "<meta name=\"description\" content=\"A private space for two people rebuilding trust.\">\n"
      "<meta name=\"theme-color\" content=\"#2f5d50\">\n"
      "<link rel=\"manifest\" href=\"/manifest.webmanifest\">\n"
      "<link rel=\"stylesheet\" href=\"/static/style.css?v=%r\">\n"
      "<link rel=\"icon\" href=\"/static/icon.svg?v=%r\" type=\"image/svg+xml\">\n"
      "<link rel=\"apple-touch-icon\" href=\"/static/icon-192.png?v=%r\">\n"
      "<script src=\"/static/app.js?v=%r\" defer data-sw=\"%r\"></script>\n"
      "</head>\n<body%r>\n"
      "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
      "<header class=\"top\">\n<a class=\"brand\" href=\"/\">mend</a>\n",
      asset_hash("style.css"), asset_hash("icon.svg"), asset_hash("icon-192.png"), asset_hash("app.js"), asset_hash("sw.js"), rq->authed ? " class=\"authed\"" : "");
  if (rq->authed) {
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
    tab(o, "/", "Home", "M8 1 1 7h2v8h4v-4h2v4h4V7h2z", home);
    tab(o, "/dashboard", "Progress", "M1 1h1v13h13v1H1zm3 10 3-4 3 2 4-6 1 .8-4.6 7-3-2-2.6 3.2z", progress);
    tab(o, "/program", "Program", "M1 2h3v3H1zm5 1h9v1H6zM1 7h3v3H1zm5 1h9v1H6zm-5 4h3v3H1zm5 1h9v1H6z", program);
    tab(o, "/more", "More", "M2 7h2.5v2.5H2zm4.75 0h2.5v2.5h-2.5zM11.5 7H14v2.5h-2.5z", more);
    sb_puts(o, "</ul></nav>\n");
    /* and, on a wide screen, every tool in a menu that opens without script */
    sb_puts(o, "<details class=\"tools\"><summary>All tools</summary>\n");
    page_tools(rq, o, "nav");
    sb_puts(o, "</details>\n");
  }
  /* with script, the quick exit also ends the session on this device (app.js: /exit) */
  sb_html(o, "<a class=\"quick-exit\" href=\"%r\" rel=\"noreferrer\" data-quick-exit", QUICK_EXIT_URL);
  if (rq->authed) sb_html(o, " data-exit-csrf=\"%s\"", rq->csrf);
  sb_puts(o, ">Quick exit</a>\n</header>\n<main id=\"main\">\n");
}

void page_close(rq_t *rq, sb_t *o) {
  sb_html(o, "</main>\n<footer class=\"foot\">\n");
  if (rq->authed) {
    sb_html(o, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
    form_csrf(rq, o);
    sb_html(o, "<button type=\"submit\" class=\"link\">Log out</button></form>\n");
  }
  sb_html(o, "<p>mend keeps what you write on this server only. The quick exit at the top leaves at once. "
             "<a href=\"/guidance\">When to ask for help</a></p>\n"
             "</footer>\n</body>\n</html>\n");
}

int page_end(rq_t *rq, sb_t *o, int status) {
  page_close(rq, o);
  return page_send(rq, status, o);
}

int page_send(rq_t *rq, int status, sb_t *o) {
  return web_send(rq, status, "text/html; charset=utf-8", o->buf, o->len);
}

void form_csrf(rq_t *rq, sb_t *o) {
  sb_html(o, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", rq->csrf);
}

/* A control's hint and error, tied to it for screen readers. */
static void field_aria(sb_t *o, const char *name, const char *hint, const char *err) {
  if (hint || err) {
    sb_html(o, " aria-describedby=\"");
    if (hint) sb_html(o, "f-%s-hint", name);
    if (hint && err) sb_putc(o, ' ');
    if (err) sb_html(o, "f-%s-error", name);
    sb_putc(o, '"');
  }
  if (err) sb_html(o, " aria-invalid=\"true\"");
}

void form_field(sb_t *o, const char *name, const char *label, const char *type, const char *value,
                const char *autocomplete, const char *hint, const char *err) {
  sb_html(o, "<div class=\"field%r\">\n<label for=\"f-%s\">%s</label>\n", err ? " invalid" : "", name, label);
  if (hint) sb_html(o, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n", name, hint);
  if (err) sb_html(o, "<p class=\"error\" id=\"f-%s-error\">%s</p>\n", name, err);
  sb_html(o, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" required", name, name, type, autocomplete);
  if (value && *value) sb_html(o, " value=\"%s\"", value);
  field_aria(o, name, hint, err);
  sb_html(o, ">\n</div>\n");
}

/* A date for people ("25 November 2026"), with the exact time for machines; formatted by
   hand, as it runs for every date on every page. */
void page_time(sb_t *o, int64_t t) { time_html(o, t); }

void form_textarea(sb_t *o, const char *name, const char *label, const char *value, const char *hint,
                   const char *err, int rows, int required) {
  sb_html(o, "<div class=\"field%r\">\n<label for=\"f-%s\">%s</label>\n", err ? " invalid" : "", name, label);
  if (hint) sb_html(o, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n", name, hint);
  if (err) sb_html(o, "<p class=\"error\" id=\"f-%s-error\">%s</p>\n", name, err);
  sb_html(o, "<textarea id=\"f-%s\" name=\"%s\" rows=\"%d\"%r", name, name, rows, required ? " required" : "");
  field_aria(o, name, hint, err);
  /* a newline right after <textarea> is dropped by parsers, so a value starting with one survives */
  sb_html(o, ">\n%s</textarea>\n</div>\n", value ? value : "");
}

void form_select(sb_t *o, const char *name, const char *label, const char *const *values, const char *const *names,
                 const char *selected, const char *err) {
  sb_html(o, "<div class=\"field%r\">\n<label for=\"f-%s\">%s</label>\n", err ? " invalid" : "", name, label);
  if (err) sb_html(o, "<p class=\"error\" id=\"f-%s-error\">%s</p>\n", name, err);
  sb_html(o, "<select id=\"f-%s\" name=\"%s\"%r>\n", name, name, err ? " aria-invalid=\"true\"" : "");
  for (int i = 0; values[i]; i++)
    sb_html(o, "<option value=\"%s\"%r>%s</option>\n", values[i],
            selected && !strcmp(selected, values[i]) ? " selected" : "", names ? names[i] : values[i]);
  sb_html(o, "</select>\n</div>\n");
}

void form_checkbox(sb_t *o, const char *name, const char *label, int checked) {
  sb_html(o, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%r>"
             "<label for=\"f-%s\">%s</label></div>\n", name, name, checked ? " checked" : "", name, label);
}

void page_error_notice(sb_t *o, const char *msg) {
  if (msg) sb_html(o, "<div class=\"notice error\" role=\"alert\"><p>%s</p></div>\n", msg);
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
  if (!strcmp(v, "private")) sb_puts(o, "<p class=\"notice saved private\" role=\"status\">Saved. Only you can see this.</p>\n");
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
    const char *title = status == 404 ? "Not found" : status == 403 ? "Not allowed" : status == 429 ? "Please wait"
                      : status >= 500 ? "Something went wrong" : "That did not work";
    page_open(rq, o);
    sb_html(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n<p><a href=\"/\">Back to the start</a></p>\n", title, message);
  }
  return page_end(rq, o, status);
}

void html_init(void) { web_set_error_page(error_page); }

sb_t *page_start(rq_t *rq, const char *title, const char *lead) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>%s</h1>\n", title);
  if (lead) sb_html(o, "<p class=\"lead\">%r</p>\n", lead);
  return o;
}

const char *web_partner_name(rq_t *rq) {
  const user_t *p = web_partner(rq);
  return p ? p->display_name : "your partner";
}
