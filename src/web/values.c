/* values.c (web): what the couple holds to, and where they are going. A value is proposed by
   one partner and becomes the couple's when the other affirms it; goals have steps, and
   their progress is the share of steps done. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/values.h"
#include <stdio.h>
#include <string.h>

#define GOAL_STEPS 30
#define MAX_GOALS 200

/* ---------- values ---------- */

static void value_json(sb_t *o, const value_t *v, int first) {
  char at[ISO_TIME_CHARS], aff[ISO_TIME_CHARS];
  iso_time(v->created_at, at);
  iso_time(v->affirmed_at, aff);
  sb_json(o, "%r{\"id\":%D,\"text\":%q,\"by\":%D,\"affirmed\":%r,\"created_at\":%q,\"affirmed_at\":%q}",
          first ? "" : ",", v->id, v->text, v->proposed_by, v->affirmed_at ? "true" : "false", at,
          v->affirmed_at ? aff : NULL);
}

typedef struct { rq_t *rq; sb_t *o; int n; web_list *l; } vctx;

static void value_json_cb(void *p, const void *row) {
  const value_t *v = row;
  vctx *c = p;
  const char *sep = web_list_take_id(c->l, v->id);
  if (sep) value_json(c->o, v, !*sep);
}

static int h_api_values(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "values")) return 0;
  vctx c = {rq, o, 0, &l};
  if (values_list(rq->db, rq->s.user.couple_id, value_json_cb, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static void value_html(void *p, const void *row) {
  const value_t *v = row;
  vctx *c = p;
  rq_t *rq = c->rq;
  sb_t *o = c->o;
  c->n++;
  sb_html(o, "<li class=\"card\"><p class=\"value\">%s</p>\n<p class=\"meta\">Proposed by %s", v->text, web_who(rq, v->proposed_by));
  if (v->affirmed_at) {
    sb_text(o, " · ours since ");
    page_time(o, v->affirmed_at);
    sb_puts(o, "</p>\n");
  } else if (v->proposed_by == rq->s.user.id) {
    sb_text(o, " · waiting to be affirmed</p>\n");
  } else {
    sb_puts(o, "</p>\n");
    sb_markup(o, "<form method=\"post\" action=\"/values/%D/affirm\">", v->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">I hold this too</button></form>\n");
  }
  sb_puts(o, "</li>\n");
}

/* ---------- goals ---------- */

typedef struct { goal_t g; goal_step_t steps[GOAL_STEPS]; int n, done; } gitem;
typedef struct { rq_t *rq; gitem *items; int n; } glist;

static void on_goal(void *p, const void *row) {
  const goal_t *g = row;
  glist *l = p;
  if (l->n == MAX_GOALS) return;
  gitem *it = &l->items[l->n++];
  it->g = *g;
  it->g.title = h2o_strdup(&l->rq->req->pool, g->title, SIZE_MAX).base;
  it->n = it->done = 0;
}

static void on_step(void *p, const void *row) {
  const goal_step_row *r = row;
  const goal_step_t *s = &r->step;
  int64_t goal = r->goal;
  glist *l = p;
  for (int i = 0; i < l->n; i++) {
    gitem *it = &l->items[i];
    if (it->g.id != goal || it->n == GOAL_STEPS) continue;
    it->steps[it->n].text = h2o_strdup(&l->rq->req->pool, s->text, SIZE_MAX).base;
    it->steps[it->n++].done = s->done;
    it->done += s->done != 0;
    return;
  }
}

static int load_goals(rq_t *rq, glist *l) {
  l->rq = rq;
  l->n = 0;
  l->items = h2o_mem_alloc_pool(&rq->req->pool, sizeof *l->items * MAX_GOALS);
  if (goals_list(rq->db, rq->s.user.couple_id, on_goal, l) != DB_OK) return -1;
  return goal_steps(rq->db, rq->s.user.couple_id, on_step, l) == DB_OK ? 0 : -1;
}

static gitem *find_goal(glist *l, int64_t id) {
  for (int i = 0; i < l->n; i++)
    if (l->items[i].g.id == id) return &l->items[i];
  return NULL;
}

static void goal_json(sb_t *o, const gitem *it) {
  char at[ISO_TIME_CHARS];
  iso_time(it->g.updated_at, at);
  sb_json(o, "{\"id\":%D,\"title\":%q,\"by\":%D,\"updated_at\":%q,\"steps\":[", it->g.id, it->g.title, it->g.created_by, at);
  for (int i = 0; i < it->n; i++)
    sb_json(o, "%r{\"text\":%q,\"done\":%r}", i ? "," : "", it->steps[i].text, it->steps[i].done ? "true" : "false");
  char pr[16];
  snprintf(pr, sizeof pr, "%.2f", it->n ? (double)it->done / it->n : 0.0);
  sb_json(o, "],\"progress\":%r}", pr);
}

static int h_api_goals(rq_t *rq, json_t *j) {
  (void)j;
  glist l;
  if (load_goals(rq, &l) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  web_list pg;
  if (web_list_open(rq, &pg, o, "goals")) return 0;
  for (int i = 0; i < l.n; i++) {
    const char *sep = web_list_take_id(&pg, l.items[i].g.id);
    if (!sep) continue;
    sb_puts(o, sep);
    goal_json(o, &l.items[i]);
  }
  return web_list_send(&pg);
}

/* ---------- page ---------- */

typedef struct { const char *err, *field, *text; int64_t goal; } vform;

static int render(rq_t *rq, int status, const vform *f) {
  glist l;
  if (load_goals(rq, &l) != 0) return web_db_error(rq);
  const user_t *partner = web_partner(rq);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Values and goals</h1>\n<p class=\"lead\">What you both hold to, in your own words, and what you are "
             "building towards. A value becomes yours together when %s affirms what you proposed, or you affirm theirs.</p>\n",
          partner ? partner->display_name : _("your partner"));
  if (f && f->err && !f->goal) page_error_notice(o, f->err);
  sb_text(o, "<section aria-labelledby=\"v-h\">\n<h2 id=\"v-h\">Our values</h2>\n<ul class=\"plain\">\n");
  vctx c = {rq, o, 0, NULL};
  if (values_list(rq->db, rq->s.user.couple_id, value_html, &c) != DB_OK) return web_db_error(rq);
  sb_puts(o, "</ul>\n");
  if (!c.n) sb_text(o, "<p class=\"muted\">No values yet. Honesty, even when it is hard? Time for each other?</p>\n");
  if (!page_alone(rq, o, "A shared value")) {
    sb_puts(o, "<form method=\"post\" action=\"/values\" class=\"card\">\n");
    form_csrf(rq, o);
    int verr = f && f->field && !strcmp(f->field, "text");
    form_field(o, "text", "Propose a value", "text", verr ? f->text : NULL, "off", NULL, verr ? f->err : NULL);
    sb_text(o, "<button type=\"submit\">Propose</button>\n</form>\n");
  }
  sb_puts(o, "</section>\n");

  sb_text(o, "<section aria-labelledby=\"g-h\">\n<h2 id=\"g-h\">Goals</h2>\n");
  for (int i = 0; i < l.n; i++) {
    gitem *it = &l.items[i];
    sb_markup(o, "<article class=\"card\" id=\"g%D\">\n<h3>%s</h3>\n", it->g.id, it->g.title);
    sb_html(o, "<p class=\"meta\"><label for=\"gp%D\">%d of %d steps done</label></p>\n"
               "<progress id=\"gp%D\" max=\"%d\" value=\"%d\">%d of %d</progress>\n",
            it->g.id, it->done, it->n, it->g.id, it->n ? it->n : 1, it->done, it->done, it->n);
    sb_markup(o, "<form method=\"post\" action=\"/goals/%D\">\n", it->g.id);
    form_csrf(rq, o);
    if (it->n) {
      sb_text(o, "<fieldset><legend>Steps</legend>\n");
      for (int k = 0; k < it->n; k++)
        sb_markup(o, "<label class=\"check\"><input type=\"checkbox\" name=\"done-%d\"%r> %s</label>\n", k,
                it->steps[k].done ? " checked" : "", it->steps[k].text);
      sb_puts(o, "</fieldset>\n");
    }
    char name[32];
    snprintf(name, sizeof name, "step-%lld", (long long)it->g.id);
    int here = f && f->goal == it->g.id;
    sb_html(o, "<div class=\"field%r\"><label for=\"f-%s\">Add a step (optional)</label>\n", here ? " invalid" : "", name);
    if (here) sb_markup(o, "<p class=\"error\" id=\"f-%s-error\">%s</p>\n", name, f->err);
    sb_markup(o, "<input id=\"f-%s\" name=\"%s\" type=\"text\" autocomplete=\"off\"%r></div>\n", name, name,
            here ? " aria-invalid=\"true\"" : "");
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Save progress</button>\n</form>\n</article>\n");
  }
  if (!l.n) sb_text(o, "<p class=\"muted\">No goals yet.</p>\n");
  sb_text(o, "<form method=\"post\" action=\"/goals\" class=\"card\">\n<h3>A new goal</h3>\n");
  form_csrf(rq, o);
  int gerr = f && f->field && !strcmp(f->field, "title");
  int serr = f && f->field && !strcmp(f->field, "steps");
  form_field(o, "title", "Goal", "text", gerr ? f->text : NULL, "off", N_("A holiday together next summer, a calmer way to argue."),
             gerr ? f->err : NULL);
  form_textarea(o, "steps", "Steps, one a line", NULL, NULL, serr ? f->err : NULL, 4, 0);
  sb_text(o, "<button type=\"submit\">Add the goal</button>\n</form>\n</section>\n");
  return page_end(rq, o, status);
}

static int h_values_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

/* The page again: a refused value or new goal shows its words; a refused step, its goal. */
static int form_again(rq_t *rq, const verdict *v) {
  int64_t goal = v->field && !strcmp(v->field, "step") ? web_param_id(rq, 0) : 0;
  const char *text = goal ? NULL : web_form_text(rq, v->field && !strcmp(v->field, "text") ? "text" : "title");
  vform f = {v->message, v->field, text, goal};
  return render(rq, 200, &f);
}

static int propose(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "A shared value")) return 0;
  size_t n;
  const char *t;
  verdict v = web_check_text(rq, j, "text", VALUE_MAX, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  if (values_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, t, now) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/values");
  sb_t *o = web_out(rq);
  value_t val = {id, rq->s.user.id, now, 0, t};
  value_json(o, &val, 1);
  return web_created(rq, o, "/api/v1/values", id);
}

static int affirm(rq_t *rq, json_t *j) {
  (void)j;
  int64_t id = web_param_id(rq, 0);
  value_t v;
  db_t *db = rq->db;
  if (id < 0 || values_get(db, rq->s.user.couple_id, id, &v) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such value.", NULL);
  if (v.proposed_by == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "You proposed this value: your partner is the one to affirm it.", NULL);
  if (v.affirmed_at) return web_error(rq, 409, "already_affirmed", "This value is affirmed already.", NULL);
  if (values_affirm(db, rq->s.user.couple_id, id, web_now()) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/values");
  sb_t *o = web_out(rq);
  web_list l;
  web_list_one(rq, &l, o, id);
  vctx c = {rq, o, 0, &l};
  if (values_list(db, rq->s.user.couple_id, value_json_cb, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}


/* Reads a goal's steps from JSON: an array of {"text","done"} objects or of strings. */
static const char *json_steps(json_t *a, goal_step_t *steps, int *n) {
  if (!json_is_array(a)) return "Steps is a list.";
  if (json_array_size(a) > GOAL_STEPS) return "A goal has at most 30 steps.";
  *n = 0;
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v) {
    json_t *t = json_is_object(v) ? json_object_get(v, "text") : v;
    json_t *d = json_is_object(v) ? json_object_get(v, "done") : NULL;
    if (!json_is_string(t)) return "Each step has a text.";
    if (d && !json_is_boolean(d)) return "A step's done is true or false.";
    const char *s = json_string_value(t);
    if (validate_text(s, json_string_length(t), GOAL_STEP_MAX, 1)) return "Each step is a line of text, at most 300 characters.";
    steps[*n].text = s;
    steps[(*n)++].done = d && json_is_true(d);
  }
  return NULL;
}

/* Splits the page's textarea into steps, one a line, blank lines skipped. */
static const char *lines_steps(rq_t *rq, char *t, goal_step_t *steps, int *n) {
  *n = 0;
  for (char *line = t; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = 0;
    if (len) {
      if (*n == GOAL_STEPS) return "A goal has at most 30 steps.";
      if (validate_text(line, len, GOAL_STEP_MAX, 1)) return "Each step is a line of text, at most 300 characters.";
      steps[*n].text = line;
      steps[(*n)++].done = 0;
    }
    line = nl ? nl + 1 : NULL;
  }
  (void)rq;
  return NULL;
}

static int write_goal(rq_t *rq, json_t *j) {
  int64_t id = web_param_id(rq, 0);
  int is_new = !strchr(rq->route->pattern, '{');
  glist l;
  gitem *old = NULL;
  if (!is_new) {
    if (id < 0 || goals_exists(rq->db, rq->s.user.couple_id, id) != 1)
      return web_error(rq, 404, "not_found", "There is no such goal.", NULL);
    if (load_goals(rq, &l) != 0) return web_db_error(rq);
    old = find_goal(&l, id);
    if (!old) return web_error(rq, 404, "not_found", "There is no such goal.", NULL);
  }
  goal_step_t steps[GOAL_STEPS + 1];
  int n = 0;
  size_t tn = 0;
  int bad = 0;
  const char *title = is_new || rq->api ? web_text(rq, j, "title", &tn, &bad) : NULL;
  const char *m;
  if (title || is_new) {
    verdict v = check_text("title", title, tn, bad, GOAL_TITLE_MAX, 1);
    if (v.status) return web_refuse(rq, v, form_again);
  } else {
    title = old->g.title;
  }
  if (j) {
    json_t *a = json_object_get(j, "steps");
    if (a) { if ((m = json_steps(a, steps, &n))) return web_refuse(rq, refuse_field("steps", m), form_again); }
    else if (old) { memcpy(steps, old->steps, sizeof *steps * (size_t)old->n); n = old->n; }
  } else if (is_new) {
    size_t sn;
    const char *st = web_text(rq, NULL, "steps", &sn, &bad);
    char *copy = st ? h2o_strdup(&rq->req->pool, st, sn).base : NULL;
    if (bad) return web_refuse(rq, refuse_field("steps", "This must be text."), form_again);
    if (copy && (m = lines_steps(rq, copy, steps, &n))) return web_refuse(rq, refuse_field("steps", m), form_again);
  } else {
    /* the page: each step's checkbox, and perhaps one new step */
    for (int k = 0; k < old->n; k++) {
      char name[16];
      snprintf(name, sizeof name, "done-%d", k);
      int b = 0;
      steps[k].text = old->steps[k].text;
      steps[k].done = web_flag(rq, NULL, name, &b);
    }
    n = old->n;
    char name[32];
    snprintf(name, sizeof name, "step-%lld", (long long)id);
    size_t sn;
    const char *st = web_text(rq, NULL, name, &sn, &bad);
    if (bad) return web_refuse(rq, refuse_field("step", "This must be text."), form_again);
    if (st && sn) {
      if (n == GOAL_STEPS) return web_refuse(rq, refuse_field("step", "A goal has at most 30 steps."), form_again);
      if ((m = validate_text(st, sn, GOAL_STEP_MAX, 1))) return web_refuse(rq, refuse_field("step", m), form_again);
      steps[n].text = st;
      steps[n++].done = 0;
    }
  }
  if (is_new) id = secret_id();
  int64_t now = web_now();
  if (goals_write(rq->db, rq->s.user.couple_id, id, rq->s.user.id, title, steps, n, now, is_new) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) {
    char loc[48];
    snprintf(loc, sizeof loc, "/values#g%lld", (long long)id);
    return web_redirect(rq, loc);
  }
  gitem *it = h2o_mem_alloc_pool(&rq->req->pool, sizeof *it);
  it->g = (goal_t){id, old ? old->g.created_by : rq->s.user.id, old ? old->g.created_at : now, now, title};
  it->n = n;
  it->done = 0;
  for (int k = 0; k < n; k++) { it->steps[k] = steps[k]; it->done += steps[k].done != 0; }
  sb_t *o = web_out(rq);
  goal_json(o, it);
  return is_new ? web_created(rq, o, "/api/v1/goals", id) : web_json(rq, 200, o);
}

const route_t values_routes[] = {
  {"GET", "/values", h_values_page, R_AUTH, "values"},
  TWIN("POST", "/values", propose, R_AUTH | R_BODY, "values"),
  TWIN("POST", "/values/{id}/affirm", affirm, R_AUTH, "value_affirm"),
  TWIN("POST", "/goals", write_goal, R_AUTH | R_BODY, "goals"),
  {"POST", "/goals/{id}", write_goal, R_AUTH | R_CSRF | R_BODY, "goal"},
  {"GET", "/api/v1/values", h_api_values, R_AUTH | R_LIST, "api_values"},
  {"GET", "/api/v1/values/{id}", h_api_values, R_AUTH, "api_value"},
  {"GET", "/api/v1/goals", h_api_goals, R_AUTH | R_LIST, "api_goals"},
  {"GET", "/api/v1/goals/{id}", h_api_goals, R_AUTH, "api_goal"},
  {"PATCH", "/api/v1/goals/{id}", write_goal, R_AUTH | R_BODY, "api_goal"},
  {NULL, NULL, NULL, 0, NULL},
};
