/* guidance.c (web): when to ask a therapist for help, and the gentle prompt toward it. The
   page's words are content/guidance.html, embedded, and a translation of it per language. The prompt shows on a partner's home page
   while the couple looks stuck, until they say "not now", and again a week later if it holds;
   it speaks of the two of you, never of "your partner" (the home page shows it when
   app_help_prompt_due says so). */
#include "web.h"
#include "html.h"
#include "db/guidance.h"
#include "util/embed.h"
#include "server.h"
#include "util/i18n.h"
#include <stdio.h>
#include <string.h>

/* What to do in a crisis, with the operator's own numbers (--crisis-file) when given: on every
   guidance page, and reached from every page's footer. */
static void crisis_section(sb_t *o) {
  sb_text(o, "<section class=\"card safety\" id=\"crisis\" aria-labelledby=\"g-crisis\">\n<h2 id=\"g-crisis\">In a crisis</h2>\n"
             "<p>If you or someone else is in danger now, or you are thinking of harming yourself, stop here and reach "
             "someone at once: your local emergency number, or a crisis line. You do not have to be sure it is serious "
             "enough to call. Everything in mend will still be here afterwards.</p>\n");
  if (g_conf.crisis && *g_conf.crisis) {
    sb_text(o, "<p>Where this server is, you can reach:</p>\n<ul>\n");
    for (const char *l = g_conf.crisis; *l;) {
      const char *end = strchr(l, '\n');
      size_t n = end ? (size_t)(end - l) : strlen(l);
      while (n && (l[n - 1] == '\r' || l[n - 1] == ' ')) n--;
      if (n) sb_markup(o, "<li>%.*s</li>\n", (int)n, l);
      l = end ? end + 1 : l + strlen(l);
    }
    sb_puts(o, "</ul>\n");
  } else {
    sb_text(o, "<p>In much of the world 112 reaches emergency services, and 911 in North America. A doctor, or "
               "someone you trust nearby, can help you find a crisis line where you are.</p>\n");
  }
  sb_puts(o, "</section>\n");
}

static int h_guidance_page(rq_t *rq, json_t *j) {
  (void)j;
  /* the page in the reader's language (content/guidance.LANG.html), else in English */
  char name[32];
  snprintf(name, sizeof name, "guidance.%s.html", i18n_code(rq->lang));
  const struct embed_file *f = embed_find(embed_content, name, strlen(name));
  if (!f) f = embed_find(embed_content, "guidance.html", 13);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  /* our own text, compiled in; what to do in a crisis right under its lead paragraph */
  const char *text = f ? (const char *)f->data : "", *lead = f ? strstr(text, "</p>\n") : NULL;
  size_t head = lead ? (size_t)(lead + 5 - text) : 0;
  sb_put(o, text, head);
  crisis_section(o);
  if (f) sb_put(o, text + head, f->len - head);
  return page_end(rq, o, 200);
}

static int h_guidance_dismiss_post(rq_t *rq, json_t *j) {
  (void)j;
  if (guidance_dismiss(rq->db, rq->s.user.couple_id, rq->s.user.id, web_now()) != DB_OK) return web_db_error(rq);
  return web_redirect(rq, "/");
}

const route_t guidance_routes[] = {
  {"GET", "/guidance", h_guidance_page, 0, "guidance"},
  {"POST", "/guidance/dismiss", h_guidance_dismiss_post, R_AUTH | R_CSRF, "guidance_dismiss"},
  {NULL, NULL, NULL, 0, NULL},
};
