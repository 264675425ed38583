/* guidance.c (web): when to ask a therapist for help, and the gentle prompt toward it. The
   page's words are content/guidance.html, embedded. The prompt shows on a partner's home page
   while the couple looks stuck, until they say "not now", and again a week later if it holds;
   it speaks of the two of you, never of "your partner". Whether things look stuck is kept on
   the loop's thread per partner while their day and the database's data version stand still,
   so the home page stays quick and a GET writes nothing. */
#include "web.h"
#include "util/embed.h"

#define PROMPT_PAUSE (7 * 86400)

static int h_guidance_page(rq_t *rq, json_t *j) {
  (void)j;
  const struct embed_file *f = embed_find(embed_content, "guidance.html", 13);
  sb_t *o = web_out(rq);
  page_open(rq, o, "When to ask for help");
  /* our own text, compiled in */
  if (f) sb_put(o, (const char *)f->data, f->len);
  page_close(rq, o);
  return page_send(rq, 200, o);
}

typedef struct { int64_t user, day, version; int stuck; } stuck_memo;

void web_guidance_prompt(rq_t *rq, sb_t *o) {
  db_t *db = rq->loop->db;
  int64_t couple = rq->s.user.couple_id, me = rq->s.user.id, today = web_today(&rq->s.user), now = web_now();
  db_stmt_t *st = db_prepare(db, "SELECT COALESCE(dismissed_at, 0) FROM guidance_prompts WHERE couple_id = $1 AND user_id = $2");
  if (!st) return;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, me);
  int64_t dismissed = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
  db_reset(st);
  if (now - dismissed < PROMPT_PAUSE) return;
  static __thread stuck_memo cache[256];
  int64_t v = db_data_version(db);
  stuck_memo *e = &cache[(uint64_t)me % 256];
  int stuck;
  if (v >= 0 && e->user == me && e->day == today && e->version == v) stuck = e->stuck;
  else {
    stuck = web_couple_stuck(rq);
    if (v >= 0) { e->user = me; e->day = today; e->version = v; e->stuck = stuck; }
  }
  if (!stuck) return;
  sb_html(o, "<section class=\"card notice\" aria-labelledby=\"help-h\">\n<h2 id=\"help-h\">A thought, gently</h2>\n"
             "<p>For a few weeks, things between you have not moved much. That happens to many couples. Talking it "
             "through with a couples therapist can help you find the way forward together.</p>\n"
             "<p><a href=\"/guidance\">When and how to ask for help</a></p>\n<form method=\"post\" action=\"/guidance/dismiss\">");
  form_csrf(rq, o);
  sb_puts(o, "<button type=\"submit\" class=\"secondary\">Not now</button></form>\n</section>\n");
}

static int h_guidance_dismiss_post(rq_t *rq, json_t *j) {
  (void)j;
  int rc = db_write(rq->loop->db,
      "INSERT INTO guidance_prompts (couple_id, user_id, checked_day, stuck, dismissed_at) VALUES ($1, $2, -1, 0, $3) "
      "ON CONFLICT (couple_id, user_id) DO UPDATE SET dismissed_at = excluded.dismissed_at",
      "iii", rq->s.user.couple_id, rq->s.user.id, web_now());
  if (rc != DB_OK) return web_db_error(rq);
  return web_redirect(rq, "/");
}

const route_t guidance_routes[] = {
  {"GET", "/guidance", h_guidance_page, 0, "guidance"},
  {"POST", "/guidance/dismiss", h_guidance_dismiss_post, R_AUTH | R_CSRF, "guidance_dismiss"},
  {NULL, NULL, NULL, 0, NULL},
};
