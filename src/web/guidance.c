/* guidance.c (web): when to ask a therapist for help, and the gentle prompt toward it. The
   page's words are content/guidance.html, embedded. The prompt shows on a partner's home page
   while the couple looks stuck, until they say "not now", and again a week later if it holds;
   it speaks of the two of you, never of "your partner" (the home page shows it when
   app_help_prompt_due says so). */
#include "web.h"
#include "html.h"
#include "db/guidance.h"
#include "util/embed.h"

static int h_guidance_page(rq_t *rq, json_t *j) {
  (void)j;
  const struct embed_file *f = embed_find(embed_content, "guidance.html", 13);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  /* our own text, compiled in */
  if (f) sb_put(o, (const char *)f->data, f->len);
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
