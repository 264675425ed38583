/* program.c (web): the five phases, where the couple stands, and moving on together. A phase
   moves only when both partners have said they are ready; either can take it back before. */
#include "web.h"
#include "html.h"
#include "core/plan.h"
#include "app/next_step.h"
#include "core/commitments.h"
#include "core/validate.h"
#include "db/accounts.h"
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
  sb_json(o, "{\"number\":%d,\"id\":%q,\"name\":%q,\"summary\":%q,\"steps\":[", n, ph->id, _(ph->name), _(ph->summary));
  for (int i = 0; i < ph->nsteps; i++) {
    char url[64];
    snprintf(url, sizeof url, "/%s", ph->steps[i].tool);
    int who = ph->steps[i].who;
    sb_json(o, "%r{\"text\":%q,\"tool\":%q,\"url\":%q,\"for\":%q}", i ? "," : "", _(ph->steps[i].text), ph->steps[i].tool,
            step_page(n, i) ? url : NULL, who ? plan_paths[who - 1] : "both");
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
          _(ph->name), at);
  for (int k = 0; k < ph->nsteps; k++) sb_puts(o, k ? (p.taken >> k & 1 ? ",true" : ",false") : (p.taken & 1 ? "true" : "false"));
  sb_json(o, "]},\"ready\":{\"me\":%r,\"partner\":%r},\"next\":{\"text\":%q,\"tool\":%q},\"phases\":[",
          p.mine ? "true" : "false", p.partners ? "true" : "false", _(nx.text), nx.tool);
  pthread_once(&phases_once, build_phases_json);
  sb_put(o, phases_json.buf, phases_json.len);
  sb_puts(o, "]}");
  return web_json(rq, status, o);
}

/* Which describes you: asked once, changeable, and what the partner said beside it. */
static void path_section(rq_t *rq, sb_t *o, const char *err, const char *pname) {
  const user_t *partner = web_partner(rq);
  int mine = plan_path(rq->s.user.path), theirs = partner ? plan_path(partner->path) : PATH_UNSAID;
  sb_text(o, "<section class=\"card\" id=\"path\" aria-labelledby=\"path-h\">\n<h2 id=\"path-h\">Which describes you?</h2>\n"
             "<p>The same process has two paths through it. The one who was hurt starts with what they feel and "
             "need to know; the one who broke trust with the account, the apology and promises kept. Nothing is "
             "hidden from either of you: only the order of the steps and their words change.</p>\n");
  if (partner && theirs) sb_markup(o, "<p>%s %s.</p>\n", pname, _(plan_path_others[theirs - 1]));
  page_error_notice(o, err);
  sb_puts(o, "<form method=\"post\" action=\"/program/path\">");
  form_csrf(rq, o);
  sb_markup(o, "<fieldset><legend>%s</legend>\n", mine ? _("You said (you can change it)") : _("Choose one"));
  for (int i = 0; plan_paths[i]; i++)
    sb_markup(o, "<div class=\"check\"><input type=\"radio\" id=\"path-%s\" name=\"path\" value=\"%s\"%r><label for=\"path-%s\">%s</label></div>\n",
            plan_paths[i], plan_paths[i], mine == i + 1 ? " checked" : "", plan_paths[i], _(plan_path_names[i]));
  sb_html(o, "</fieldset>\n<button type=\"submit\"%r>Save</button></form>\n</section>\n", mine ? " class=\"secondary\"" : "");
}

static int render_program(rq_t *rq, int status, const char *err) {
  program_standing p;
  if (load(rq, &p) != 0) return web_db_error(rq);
  const user_t *partner = web_partner(rq);
  const char *pname = partner ? partner->display_name : _("your partner");
  int path = plan_path(rq->s.user.path);
  sb_t *o = page_start(rq, "The program",
                      N_("Five phases, each with small steps. There is no schedule: you "
                      "move on together, when both of you say you are ready."));
  path_section(rq, o, err, pname);
  for (int i = 1; i <= PHASES; i++) {
    const plan_phase *ph = plan_phase_at(i);
    int current = i == p.phase;
    sb_markup(o, "<section class=\"card phase%r\" aria-labelledby=\"ph-%d\">\n<h2 id=\"ph-%d\">%d. %s%s</h2>\n<p>%s</p>\n",
            current ? " current" : "", i, i, i, _(ph->name), current ? _(" (where you are)") : i < p.phase ? _(" (done)") : "",
            _(ph->summary));
    if (current) {
      sb_text(o, "<p class=\"meta\">Since ");
      page_time(o, p.started);
      sb_puts(o, "</p>\n");
    }
    /* in the order of this partner's path; the other path's steps last, as the partner's part */
    int order[MAX_STEPS], n = plan_step_order(ph, path, order);
    sb_puts(o, "<ol class=\"steps\">\n");
    for (int x = 0; x < n; x++) {
      int k = order[x];
      int mine = plan_step_mine(&ph->steps[k], path);
      /* the current phase's own steps already taken carry a tick, in words as well */
      int taken = current && mine && (p.taken >> k & 1);
      sb_puts(o, taken ? "<li class=\"taken\"><span aria-hidden=\"true\">\u2713 </span>" : mine ? "<li>" : "<li class=\"theirs\">");
      if (!mine) sb_html(o, "<span class=\"meta\">%s's part:</span> ", pname);
      if (step_page(i, k)) sb_markup(o, "<a href=\"/%s\">%s</a>", ph->steps[k].tool, _(ph->steps[k].text));
      else sb_markup(o, "%s", _(ph->steps[k].text));
      if (taken) sb_text(o, " <span class=\"muted\">(done)</span></li>\n");
      else sb_puts(o, "</li>\n");
    }
    sb_puts(o, "</ol>\n");
    if (current && i < PHASES) {
      if (p.partners) sb_html(o, "<p>%s feels ready to move on.</p>\n", pname);
      if (p.mine) {
        sb_html(o, "<p>You said you are ready for %s.%s</p>\n", plan_phase_at(i + 1)->name,
                p.partners ? "" : _(" It moves when your partner is ready too."));
        sb_markup(o, "<form method=\"post\" action=\"/program/not-ready\">");
        form_csrf(rq, o);
        sb_text(o, "<button type=\"submit\" class=\"secondary\">I am not ready after all</button></form>\n");
      } else {
        sb_markup(o, "<form method=\"post\" action=\"/program/ready\">");
        form_csrf(rq, o);
        sb_html(o, "<button type=\"submit\">I am ready for %s</button></form>\n", plan_phase_at(i + 1)->name);
      }
    }
    sb_puts(o, "</section>\n");
  }
  return page_end(rq, o, status);
}

static int h_program_page(rq_t *rq, json_t *j) { (void)j; return render_program(rq, 200, NULL); }

static int path_again(rq_t *rq, const verdict *v) { return render_program(rq, 200, v->message); }

/* Which describes the partner: said once, changed at any time; the partner sees it. */
static int set_path(rq_t *rq, json_t *j) {
  size_t n;
  int bad = 0;
  const char *path = web_text(rq, j, "path", &n, &bad);
  int k = bad || !path ? -1 : one_of(path, n, plan_paths);
  if (k < 0) return web_refuse(rq, refuse_field("path", "Choose which describes you: \"hurt\", \"broke_trust\" or \"both\"."), path_again);
  if (acct_set_path(rq->db, rq->s.user.couple_id, rq->s.user.id, plan_paths[k]) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/program#path");
  sb_t *o = web_out(rq);
  sb_json(o, "{\"path\":%q}", plan_paths[k]);
  return web_json(rq, 200, o);
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
  {"POST", "/program/path", set_path, R_AUTH | R_CSRF | R_BODY, "program_path"},
  {"PUT", "/api/v1/path", set_path, R_AUTH | R_BODY, "api_path"},
  {"DELETE", "/api/v1/program/ready", not_ready, R_AUTH, "api_program_ready"},
  {NULL, NULL, NULL, 0, NULL},
};
