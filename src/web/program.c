/* program.c (web): the five phases, where the couple stands, and moving on together. A phase
   moves only when both partners have said they are ready; either can take it back before. */
#include "web.h"
#include "html.h"
#include "core/plan.h"
#include "app/next_step.h"
#include "core/commitments.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* A step links to its tool's page when the route table has one; known once for every step,
   as the route table does not change while mend runs. */
static int step_has_page[PHASES + 1][MAX_STEPS];
static pthread_once_t pages_once = PTHREAD_ONCE_INIT;

static void find_pages(void) {
  for (int n = 1; n <= PHASES; n++) {
    const plan_phase *ph = plan_phase_at(n);
    for (int k = 0; ph && k < ph->nsteps; k++) step_has_page[n][k] = web_has_page(ph->steps[k].tool);
  }
}

static int step_page(int phase, int k) {
  pthread_once(&pages_once, find_pages);
  return step_has_page[phase][k];
}

static int load(rq_t *rq, program_standing *p) {
  const app_couple *app = web_app(rq);
  return app ? app_program_standing(app, p) : -1;
}

static void phase_json(sb_t *o, int n) {
  const plan_phase *ph = plan_phase_at(n);
  sb_json(o, "{\"number\":%d,\"id\":%q,\"name\":%q,\"summary\":%q,\"steps\":[", n, ph->id, ph->name, ph->summary);
  for (int i = 0; i < ph->nsteps; i++) {
    char url[64];
    snprintf(url, sizeof url, "/%s", ph->steps[i].tool);
    sb_json(o, "%r{\"text\":%q,\"tool\":%q,\"url\":%q}", i ? "," : "", ph->steps[i].text, ph->steps[i].tool,
            step_page(n, i) ? url : NULL);
  }
  sb_puts(o, "]}");
}

/* The phases and their steps are the same for every couple: written once. */
static sb_t phases_json;
static pthread_once_t phases_once = PTHREAD_ONCE_INIT;
static void build_phases_json(void) {
  sb_init(&phases_json, 8192);
  for (int i = 1; i <= PHASES; i++) {
    if (i > 1) sb_putc(&phases_json, ',');
    phase_json(&phases_json, i);
  }
}

/* The API's state and suggestion per user, kept per thread (a loop, or a database thread)
   while nothing of the couple changed (its data version, read with the session, on either engine) and the user's
   day is the same: the most asked API read then costs no query beyond the session's. */
typedef struct { int64_t user, version, today; program_standing p; plan_next nx; int used; } pcache;
#define PCACHE 256
static __thread pcache pcache_tab[PCACHE];

static int program_json(rq_t *rq, int status) {
  program_standing p;
  plan_next nx;
  int64_t v = web_data_version(rq), today = web_today(&rq->s.user);
  pcache *c = &pcache_tab[(uint64_t)rq->s.user.id % PCACHE];
  if (v >= 0 && c->used && c->user == rq->s.user.id && c->version == v && c->today == today) {
    p = c->p;
    nx = c->nx;
  } else {
    if (load(rq, &p) != 0) return web_db_error(rq);
    nx = app_next_step(web_app(rq), &p, NULL, web_has_page);
    if (v >= 0) *c = (pcache){rq->s.user.id, v, today, p, nx, 1};
  }
  char at[ISO_TIME_CHARS];
  iso_time(p.started, at);
  sb_t *o = web_out(rq);
  const plan_phase *ph = plan_phase_at(p.phase);
  sb_json(o, "{\"phase\":{\"number\":%d,\"id\":%q,\"name\":%q,\"started_at\":%q,\"steps_taken\":[", p.phase, ph->id,
          ph->name, at);
  for (int k = 0; k < ph->nsteps; k++) sb_puts(o, k ? (p.taken >> k & 1 ? ",true" : ",false") : (p.taken & 1 ? "true" : "false"));
  sb_json(o, "]},\"ready\":{\"me\":%r,\"partner\":%r},\"next\":{\"text\":%q,\"tool\":%q},\"phases\":[",
          p.mine ? "true" : "false", p.partners ? "true" : "false", nx.text, nx.tool);
  pthread_once(&phases_once, build_phases_json);
  sb_put(o, phases_json.buf, phases_json.len);
  sb_puts(o, "]}");
  return web_json(rq, status, o);
}

static int h_program_page(rq_t *rq, json_t *j) {
  (void)j;
  program_standing p;
  if (load(rq, &p) != 0) return web_db_error(rq);
  const user_t *partner = web_partner(rq);
  const char *pname = partner ? partner->display_name : "your partner";
  sb_t *o = page_start(rq, "The program",
                      "Five phases, each with small steps. There is no schedule: you "
                      "move on together, when both of you say you are ready.");
  for (int i = 1; i <= PHASES; i++) {
    const plan_phase *ph = plan_phase_at(i);
    int current = i == p.phase;
    sb_html(o, "<section class=\"card phase%r\" aria-labelledby=\"ph-%d\">\n<h2 id=\"ph-%d\">%d. %s%r</h2>\n<p>%s</p>\n",
            current ? " current" : "", i, i, i, ph->name, current ? " (where you are)" : i < p.phase ? " (done)" : "", ph->summary);
    if (current) {
      sb_puts(o, "<p class=\"meta\">Since ");
      page_time(o, p.started);
      sb_puts(o, "</p>\n");
    }
    sb_puts(o, "<ol class=\"steps\">\n");
    for (int k = 0; k < ph->nsteps; k++) {
      /* the current phase's steps already taken carry a tick, in words as well */
      int taken = current && (p.taken >> k & 1);
      sb_puts(o, taken ? "<li class=\"taken\"><span aria-hidden=\"true\">\u2713 </span>" : "<li>");
      if (step_page(i, k)) sb_html(o, "<a href=\"/%s\">%s</a>", ph->steps[k].tool, ph->steps[k].text);
      else sb_html(o, "%s", ph->steps[k].text);
      sb_puts(o, taken ? " <span class=\"muted\">(done)</span></li>\n" : "</li>\n");
    }
    sb_puts(o, "</ol>\n");
    if (current && i < PHASES) {
      if (p.partners) sb_html(o, "<p>%s feels ready to move on.</p>\n", pname);
      if (p.mine) {
        sb_html(o, "<p>You said you are ready for %s.%r</p>\n", plan_phase_at(i + 1)->name,
                p.partners ? "" : " It moves when your partner is ready too.");
        sb_html(o, "<form method=\"post\" action=\"/program/not-ready\">");
        form_csrf(rq, o);
        sb_puts(o, "<button type=\"submit\" class=\"secondary\">I am not ready after all</button></form>\n");
      } else {
        sb_html(o, "<form method=\"post\" action=\"/program/ready\">");
        form_csrf(rq, o);
        sb_html(o, "<button type=\"submit\">I am ready for %s</button></form>\n", plan_phase_at(i + 1)->name);
      }
    }
    sb_puts(o, "</section>\n");
  }
  return page_end(rq, o, 200);
}

static int ready(rq_t *rq, json_t *j) {
  (void)j;
  program_standing p;
  if (load(rq, &p) != 0) return web_db_error(rq);
  if (p.phase >= PHASES) return web_error(rq, 409, "last_phase", "Grow is the last phase; there is nothing after it to move to.", NULL);
  if (!web_partner(rq)) return web_error(rq, 409, "no_partner", "Your partner has not joined yet; you move on together.", NULL);
  int moved;
  if (program_set_ready(rq->db, rq->s.user.couple_id, p.phase, rq->s.user.id, web_now(), &moved) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/program");
  return program_json(rq, 200);
}

static int not_ready(rq_t *rq, json_t *j) {
  (void)j;
  if (program_unset_ready(rq->db, rq->s.user.couple_id, rq->s.user.id) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/program");
  return web_no_content(rq);
}

static int h_api_program(rq_t *rq, json_t *j) { (void)j; return program_json(rq, 200); }

const route_t program_routes[] = {
  {"GET", "/program", h_program_page, R_AUTH, "program"},
  TWIN("POST", "/program/ready", ready, R_AUTH, "program_ready"),
  {"POST", "/program/not-ready", not_ready, R_AUTH | R_CSRF, "program_ready"},
  {"GET", "/api/v1/program", h_api_program, R_AUTH, "api_program"},
  {"DELETE", "/api/v1/program/ready", not_ready, R_AUTH, "api_program_ready"},
  {NULL, NULL, NULL, 0, NULL},
};
