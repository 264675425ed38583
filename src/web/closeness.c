/* closeness.c (web): small steps back to closeness. Each partner marks each step privately;
   only the steps both marked "ready" are shown. No page or answer ever holds the partner's
   other choices, so "not yet" and "not for me" cannot be told apart, or seen at all. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/close_steps.h"
#include "core/days.h"
#include "core/validate.h"
#include "db/closeness.h"
#include <stdio.h>
#include <string.h>

#define MAX_CSTEPS 16
typedef struct { unsigned char mine[MAX_CSTEPS], match[MAX_CSTEPS]; } cstate; /* mine: choice index + 1, 0 unset */

static void on_mine(void *p, const void *row) {
  const closeness_choice *ch = row;
  cstate *c = p;
  int i = close_step_find(ch->step, strlen(ch->step)), k = one_of(ch->choice, strlen(ch->choice), close_choices);
  if (i >= 0 && i < MAX_CSTEPS && k >= 0) c->mine[i] = (unsigned char)(k + 1);
}

static void on_match(void *p, const void *row) {
  const closeness_choice *ch = row;
  cstate *c = p;
  int i = close_step_find(ch->step, strlen(ch->step));
  if (i >= 0 && i < MAX_CSTEPS) c->match[i] = 1;
}

/* Each user's choices and the couple's matches, kept per thread (a loop, or a database
   thread) while the couple's data version stands still (either engine), as the program's. */
typedef struct { int64_t user, version, day; cstate c; int used; } ccache;
#define CCACHE 256
static __thread ccache ccache_tab[CCACHE];

static int load(rq_t *rq, cstate *c) {
  if (n_closeness_steps > MAX_CSTEPS) return -1; /* a longer list of steps needs a larger MAX_CSTEPS */
  db_t *db = rq->db;
  int64_t v = web_data_version(rq);
  /* a "ready" joins the matches from the next day (UTC, the same for both partners) */
  int64_t now = web_now(), day = now - now % SECONDS_PER_DAY;
  ccache *e = &ccache_tab[(uint64_t)rq->s.user.id % CCACHE];
  if (v >= 0 && e->used && e->user == rq->s.user.id && e->version == v && e->day == day) { *c = e->c; return 0; }
  memset(c, 0, sizeof *c);
  if (closeness_mine(db, rq->s.user.couple_id, rq->s.user.id, on_mine, c) != DB_OK ||
      closeness_matches(db, rq->s.user.couple_id, day, on_match, c) != DB_OK)
    return -1;
  if (v >= 0) *e = (ccache){rq->s.user.id, v, day, *c, 1};
  return 0;
}

/* Each step with the caller's own choice and whether it is a match; /closeness/{step} (and a
   choice just made) answers that step alone. */
static int h_api_closeness(rq_t *rq, json_t *j) {
  (void)j;
  cstate c;
  if (load(rq, &c) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "steps")) return 0;
  for (int i = 0; i < n_closeness_steps; i++) {
    const char *sep = web_list_take(&l, close_steps[i].id);
    if (!sep) continue;
    sb_json(o, "%r{\"id\":%q,\"title\":%q,\"mine\":%q,\"matched\":%r}", sep, close_steps[i].id, close_steps[i].title,
            c.mine[i] ? close_choices[c.mine[i] - 1] : NULL, c.match[i] ? "true" : "false");
  }
  return web_list_send(&l);
}

static int render(rq_t *rq, int status, const char *notice, const char *err) {
  cstate c;
  if (load(rq, &c) != 0) return web_db_error(rq);
  const char *pname = web_partner_name(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Closeness</h1>\n<p class=\"lead\">Closeness comes back in small steps. Mark each one for yourself: "
             "ready, not yet, or not for me. Change your mind whenever you like.</p>\n"
             "<p class=\"notice\">%s never sees your choices. Only the steps you have both marked ready appear here, "
             "for both of you, from the day after the later of you marked it: time to be sure. Taking a \"ready\" "
             "back counts at once.</p>\n", pname);
  page_error_notice(o, err);
  if (notice) sb_markup(o, "<p class=\"notice\" role=\"status\">%s</p>\n", notice);
  sb_text(o, "<section aria-labelledby=\"m-h\" class=\"card\">\n<h2 id=\"m-h\">Ready together</h2>\n");
  int n = 0;
  for (int i = 0; i < n_closeness_steps; i++) {
    if (!c.match[i]) continue;
    if (!n++) sb_puts(o, "<ul class=\"matches\">\n");
    sb_markup(o, "<li>%s</li>\n", close_steps[i].title);
  }
  if (n) sb_puts(o, "</ul>\n");
  else sb_text(o, "<p class=\"muted\">Nothing yet. That is fine: there is no hurry.</p>\n");
  sb_puts(o, "</section>\n<form method=\"post\" action=\"/closeness\">\n");
  form_csrf(rq, o);
  for (int i = 0; i < n_closeness_steps; i++) {
    const close_step *s = &close_steps[i];
    sb_markup(o, "<fieldset class=\"card choice\">\n<legend>%s</legend>\n", _(s->title));
    if (s->hint) sb_markup(o, "<p class=\"hint\">%s</p>\n", _(s->hint));
    for (int k = 0; close_choices[k]; k++)
      sb_markup(o, "<label><input type=\"radio\" name=\"step-%s\" value=\"%s\"%r> %s</label>\n", s->id, close_choices[k],
              c.mine[i] == k + 1 ? " checked" : "", _(close_choice_names[k]));
    sb_puts(o, "</fieldset>\n");
  }
  sb_text(o, "<button type=\"submit\">Save my choices</button>\n</form>\n");
  return page_end(rq, o, status);
}

static int h_closeness_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL); }

static int h_closeness_post(rq_t *rq, json_t *j) {
  (void)j;
  const char *vals[64] = {0};
  size_t lens[64];
  for (int i = 0; i < n_closeness_steps; i++) {
    char name[48];
    snprintf(name, sizeof name, "step-%s", close_steps[i].id);
    int bad = 0;
    vals[i] = web_text(rq, NULL, name, &lens[i], &bad);
    if (bad || (vals[i] && one_of(vals[i], lens[i], close_choices) < 0))
      return render(rq, 200, NULL, "Choose ready, not yet or not for me for each step.");
  }
  db_t *db = rq->db;
  int64_t now = web_now();
  if (db_begin(db) != DB_OK) return web_db_error(rq);
  for (int i = 0; i < n_closeness_steps; i++) {
    if (vals[i] && closeness_set(db, rq->s.user.couple_id, rq->s.user.id, close_steps[i].id, vals[i], now) != DB_OK) {
      db_rollback(db);
      return web_db_error(rq);
    }
  }
  if (db_commit(db) != DB_OK) return web_db_error(rq);
  return render(rq, 200, "Your choices are saved.", NULL);
}

static int put(rq_t *rq, json_t *j) {
  int i = close_step_find(rq->params[0].base, rq->params[0].len);
  if (i < 0) return web_error(rq, 404, "not_found", "There is no such step.", NULL);
  size_t n;
  int bad = 0;
  const char *v = web_text(rq, j, "choice", &n, &bad);
  if (bad || !v || one_of(v, n, close_choices) < 0)
    return web_refuse(rq, refuse_field("choice", "Choice is \"ready\", \"not_yet\" or \"not_for_me\"."), NULL);
  if (closeness_set(rq->db, rq->s.user.couple_id, rq->s.user.id, close_steps[i].id, v, web_now()) != DB_OK)
    return web_db_error(rq);
  return h_api_closeness(rq, NULL);
}

const route_t closeness_routes[] = {
  {"GET", "/closeness", h_closeness_page, R_AUTH, "closeness"},
  {"POST", "/closeness", h_closeness_post, R_AUTH | R_CSRF, "closeness"},
  {"GET", "/api/v1/closeness", h_api_closeness, R_AUTH | R_LIST, "api_closeness"},
  {"GET", "/api/v1/closeness/{step}", h_api_closeness, R_AUTH, "api_closeness_step"},
  {"PUT", "/api/v1/closeness/{step}", put, R_AUTH | R_BODY, "api_closeness_step"},
  {NULL, NULL, NULL, 0, NULL},
};
