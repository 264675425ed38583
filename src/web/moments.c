/* moments.c (web): new good memories. Moments are things the couple plans and lives together
   (a date night, a hobby, a new place), each with a note from each partner; appreciations
   are short thanks for an effort, shown to the partner. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/commitments.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/moments.h"
#include <stdio.h>
#include <string.h>

#define MAX_MOMENTS 500

static const char *const kinds[] = {"date", "activity", "place", "other", NULL};
static const char *const kind_names[] = {N_("A date night"), N_("A hobby or activity"), N_("A new place"), N_("Something else"), NULL};

typedef struct { int64_t moment, user; const char *note; } mnote;
typedef struct { moment_t m; } mitem;
typedef struct { rq_t *rq; mitem *items; int n; mnote *notes; int nn, cap; } mlist;

static const char *keep(rq_t *rq, const char *s) { return h2o_strdup(&rq->req->pool, s, SIZE_MAX).base; }

static void on_moment(void *p, const void *row) {
  const moment_t *m = row;
  mlist *l = p;
  mitem *it = &l->items[l->n++];
  it->m = *m;
  it->m.title = keep(l->rq, m->title);
  it->m.kind = keep(l->rq, m->kind);
}

static void on_note(void *p, const void *row) {
  const moment_note *n = row;
  mlist *l = p;
  if (l->nn == l->cap) return;
  l->notes[l->nn++] = (mnote){n->moment, n->user, keep(l->rq, n->note)};
}

static int load(rq_t *rq, mlist *l) {
  h2o_mem_pool_t *pool = &rq->req->pool;
  l->rq = rq;
  l->n = l->nn = 0;
  l->cap = 2 * MAX_MOMENTS;
  l->items = h2o_mem_alloc_pool(pool, sizeof *l->items * MAX_MOMENTS);
  l->notes = h2o_mem_alloc_pool(pool, sizeof *l->notes * l->cap);
  if (moments_list(rq->db, rq->s.user.couple_id, on_moment, l) != DB_OK) return -1;
  return moment_notes(rq->db, rq->s.user.couple_id, on_note, l) == DB_OK ? 0 : -1;
}

static const char *kind_name(const char *k) {
  int i = one_of(k, strlen(k), kinds);
  return i >= 0 ? kind_names[i] : k;
}

/* ---------- JSON ---------- */

static void moment_json(sb_t *o, const moment_t *m, const mlist *l) {
  char d[DAY_CHARS], at[ISO_TIME_CHARS];
  day_format(m->day, d);
  iso_time(m->created_at, at);
  sb_json(o, "{\"id\":%D,\"title\":%q,\"kind\":%q,\"date\":%q,\"done\":%r,\"by\":%D,\"created_at\":%q,\"notes\":[",
          m->id, m->title, m->kind, d, m->done ? "true" : "false", m->created_by, at);
  int n = 0;
  for (int i = 0; l && i < l->nn; i++)
    if (l->notes[i].moment == m->id)
      sb_json(o, "%r{\"by\":%D,\"note\":%q}", n++ ? "," : "", l->notes[i].user, l->notes[i].note);
  sb_puts(o, "]}");
}

static int h_api_moments(rq_t *rq, json_t *j) {
  (void)j;
  mlist l;
  if (load(rq, &l) != 0) return web_db_error(rq);
  sb_t *o = web_out(rq);
  web_list pg;
  if (web_list_open(rq, &pg, o, "moments")) return 0;
  for (int i = 0; i < l.n; i++) {
    const char *sep = web_list_take_id(&pg, l.items[i].m.id);
    if (!sep) continue;
    sb_puts(o, sep);
    moment_json(o, &l.items[i].m, &l);
  }
  return web_list_send(&pg);
}

/* ---------- page ---------- */

typedef struct { const char *err, *field, *title, *kind, *date, *note; int64_t note_for; } mform;

static const char *err_for(const mform *f, const char *name) {
  return f && f->err && f->field && !strcmp(f->field, name) ? f->err : NULL;
}

static void thanks_html(void *p, const void *row) {
  const appreciation_t *a = row;
  rq_t *rq = ((void **)p)[0];
  sb_t *o = ((void **)p)[1];
  int *n = ((void **)p)[2];
  (*n)++;
  sb_markup(o, "<li class=\"card\"><p class=\"meta\">%s · ", a->author_id == rq->s.user.id ? _("From you") : web_who(rq, a->author_id));
  page_time(o, a->created_at);
  sb_puts(o, "</p>\n");
  page_text(o, a->text);
  sb_puts(o, "</li>\n");
}

static void plan_form(rq_t *rq, sb_t *o, const mform *f) {
  sb_text(o, "<form method=\"post\" action=\"/moments\" class=\"card\">\n<h2>Plan a moment</h2>\n");
  form_csrf(rq, o);
  form_field(o, "title", "What", "text", f && !f->note_for ? f->title : NULL, "off", N_("A picnic, a class, a town neither of you knows."),
             err_for(f, "title"));
  form_select(o, "kind", "Kind", kinds, kind_names, f ? f->kind : NULL, err_for(f, "kind"));
  char today[DAY_CHARS];
  day_format(web_today(&rq->s.user), today);
  form_field(o, "date", "When", "date", f && f->date ? f->date : today, "off", NULL, err_for(f, "date"));
  form_checkbox(o, "done", "We did this already", 0);
  sb_text(o, "<button type=\"submit\">Save</button>\n</form>\n");
}

static int render(rq_t *rq, int status, const mform *f) {
  mlist l;
  if (load(rq, &l) != 0) return web_db_error(rq);
  const char *pname = web_partner_name(rq);
  sb_t *o = page_start(rq, "Moments",
                      N_("New good memories help as much as working through the old ones. Plan "
                      "something together, then each write a line about how it was."));
  if (f && f->err && !f->note_for) page_error_notice(o, f->err);
  /* what is planned (and waits for a note) first, then the form to plan another, then what was lived */
  for (int done = 0; done < 2; done++) {
    if (done && !page_alone(rq, o, "A moment together")) plan_form(rq, o, f);
    sb_markup(o, "<section aria-labelledby=\"mo%d-h\">\n<h2 id=\"mo%d-h\">%s</h2>\n", done, done, done ? _("Lived together") : _("Planned"));
    int shown = 0;
    for (int i = 0; i < l.n; i++) {
      const moment_t *m = &l.items[i].m;
      if (m->done != done) continue;
      shown++;
      sb_markup(o, "<article class=\"card\" id=\"m%D\">\n<h3>%s</h3>\n<p class=\"meta\">%s · ", m->id, m->title, kind_name(m->kind));
      day_html(o, m->day, web_today(&rq->s.user));
      sb_puts(o, "</p>\n");
      const char *mine = NULL;
      for (int k = 0; k < l.nn; k++) {
        if (l.notes[k].moment != m->id) continue;
        if (l.notes[k].user == rq->s.user.id) mine = l.notes[k].note;
        else {
          sb_html(o, "<blockquote><p class=\"meta\">%s wrote</p>\n", pname);
          page_text(o, l.notes[k].note);
          sb_puts(o, "</blockquote>\n");
        }
      }
      if (!done) {
        sb_markup(o, "<form method=\"post\" action=\"/moments/%D/done\" class=\"inline\">", m->id);
        form_csrf(rq, o);
        sb_text(o, "<button type=\"submit\" class=\"secondary\">We did it</button></form>\n");
      }
      char name[32];
      snprintf(name, sizeof name, "note-%lld", (long long)m->id);
      int here = f && f->note_for == m->id;
      sb_markup(o, "<form method=\"post\" action=\"/moments/%D/note\">\n", m->id);
      form_csrf(rq, o);
      form_textarea(o, name, mine ? N_("Your note") : N_("Your note (how was it, or what you look forward to)"), here ? f->note : mine,
                    NULL, here ? f->err : NULL, 2, 1);
      sb_text(o, "<button type=\"submit\" class=\"secondary\">Save my note</button>\n</form>\n</article>\n");
    }
    if (!shown) sb_markup(o, "<p class=\"muted\">%s</p>\n", done ? _("Nothing yet.") : _("Nothing planned. Something small counts."));
    sb_puts(o, "</section>\n");
  }
  /* appreciations */
  /* the thanks given so far, then the form to give one */
  sb_text(o, "<section aria-labelledby=\"ap-h\">\n<h2 id=\"ap-h\">Appreciations</h2>\n<ul class=\"plain\">\n");
  int n = 0;
  void *ctx[3] = {rq, o, &n};
  if (appreciations_list(rq->db, rq->s.user.couple_id, 100, thanks_html, ctx) != DB_OK) return web_db_error(rq);
  sb_puts(o, "</ul>\n");
  if (!n) sb_text(o, "<p class=\"muted\">No appreciations yet.</p>\n");
  /* alone, what needs the partner says where to invite them instead of offering a form */
  if (!page_alone(rq, o, "Thanking your partner")) {
    sb_html(o, "<p>Thank %s for something they did, however small.</p>\n<form method=\"post\" action=\"/appreciations\" class=\"card\">\n",
            pname);
    form_csrf(rq, o);
    page_prompt(rq, o, "appreciation", "If words are hard to find:", "prompt");
    form_textarea(o, "text", "Thank you for", f && f->field && !strcmp(f->field, "text") ? f->title : NULL, NULL, err_for(f, "text"), 2, 1);
    sb_text(o, "<button type=\"submit\">Send</button>\n</form>\n");
  }
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}

static int h_moments_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

/* The page again, a refused moment, note or thanks showing its words where they were typed. */
static int form_again(rq_t *rq, const verdict *v) {
  mform f = {.err = v->message, .field = v->field};
  if (v->field && !strcmp(v->field, "note")) {
    char name[32];
    f.note_for = web_param_id(rq, 0);
    snprintf(name, sizeof name, "note-%lld", (long long)f.note_for);
    f.note = web_form_text(rq, name);
  } else if (v->field && !strcmp(v->field, "text")) {
    f.title = web_form_text(rq, "text"); /* the thanks' words go back into its own field */
  } else {
    f.title = web_form_text(rq, "title");
    f.kind = web_form_text(rq, "kind");
    f.date = web_form_text(rq, "date");
  }
  return render(rq, 200, &f);
}

static int add_moment(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "A moment together")) return 0;
  size_t tn, kn, dn;
  int bt = 0, bk = 0, bd = 0, bdone = 0;
  mform f = {0};
  f.title = web_text(rq, j, "title", &tn, &bt);
  f.kind = web_text(rq, j, "kind", &kn, &bk);
  f.date = web_text(rq, j, "date", &dn, &bd);
  int done = web_flag(rq, j, "done", &bdone);
  verdict v = check_text("title", f.title, tn, bt, MOMENT_TITLE_MAX, 1);
  int64_t day = 0;
  if (!f.kind) f.kind = "other";
  else if (!v.status && (bk || one_of(f.kind, kn, kinds) < 0)) v = refuse_field("kind", "Kind is date, activity, place or other.");
  if (!v.status && (bd || !f.date || day_parse(f.date, dn, &day) != 0)) v = refuse_field("date", "A date looks like 2026-12-24.");
  if (!v.status && bdone) v = refuse_field("done", "Done is true or false.");
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  if (moments_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, f.title, f.kind, day, done, now) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/moments");
  moment_t mo = {id, rq->s.user.id, day, now, done, f.title, f.kind};
  sb_t *o = web_out(rq);
  moment_json(o, &mo, NULL);
  return web_created(rq, o, "/api/v1/moments", id);
}

/* done and/or the caller's note, for the page's two small forms and the API's PUT */
static int update(rq_t *rq, json_t *j, int mark_done) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || moments_exists(rq->db, rq->s.user.couple_id, id) != 1)
    return web_error(rq, 404, "not_found", "There is no such moment.", NULL);
  char name[32] = "note";
  if (!rq->api) snprintf(name, sizeof name, "note-%lld", (long long)id);
  size_t nn = 0, dn = 0;
  int bn = 0, bdone = 0, bd = 0;
  mform f = {.note_for = id};
  f.note = mark_done ? NULL : web_text(rq, j, name, &nn, &bn);
  int done = mark_done;
  json_t *dv = j ? json_object_get(j, "done") : NULL;
  if (j && dv) done = web_flag(rq, j, "done", &bdone);
  f.date = j ? web_text(rq, j, "date", &dn, &bd) : NULL;
  verdict v = f.note || bn ? check_text("note", f.note, nn, bn, NOTE_MAX, 1) : VERDICT_OK;
  if (!v.status && !rq->api && !mark_done && !f.note) v = refuse_field("note", "Write your note first.");
  if (!v.status && bdone) v = refuse_field("done", "Done is true or false.");
  if (v.status) return web_refuse(rq, v, form_again);
  /* marking done without a date: it happened today; otherwise the day stays unless given */
  int64_t day = done && (mark_done || dv) ? web_today(&rq->s.user) : -1;
  if (bd || (f.date && day_parse(f.date, dn, &day) != 0)) return web_refuse(rq, refuse_field("date", "A date looks like 2026-12-24."), NULL);
  db_t *db = rq->db;
  int64_t c = rq->s.user.couple_id;
  if (db_begin(db) != DB_OK) return web_db_error(rq);
  int ok = 1;
  if (mark_done || dv || f.date) ok = moments_set_done(db, c, id, (mark_done || dv) ? done : -1, day) == DB_OK;
  if (ok && f.note) ok = moment_note_set(db, c, id, rq->s.user.id, f.note, web_now()) == DB_OK;
  if (!ok) { db_rollback(db); return web_db_error(rq); }
  if (db_commit(db) != DB_OK) return web_db_error(rq);
  if (!rq->api) {
    char loc[48];
    snprintf(loc, sizeof loc, "/moments#m%lld", (long long)id);
    return web_redirect(rq, loc);
  }
  return h_api_moments(rq, NULL);
}

static int put_moment(rq_t *rq, json_t *j) { return update(rq, j, 0); }

static int h_moment_done_post(rq_t *rq, json_t *j) { (void)j; return update(rq, NULL, 1); }
static int h_moment_note_post(rq_t *rq, json_t *j) { (void)j; return update(rq, NULL, 0); }

/* ---------- appreciations ---------- */

typedef struct { sb_t *o; web_list *l; } thanks_ctx;

static void thanks_json(void *p, const void *row) {
  const appreciation_t *a = row;
  thanks_ctx *c = p;
  const char *sep = c->l ? web_list_take_id(c->l, a->id) : "";
  if (!sep) return;
  char at[ISO_TIME_CHARS];
  iso_time(a->created_at, at);
  sb_json(c->o, "%r{\"id\":%D,\"by\":%D,\"text\":%q,\"created_at\":%q}", sep, a->id, a->author_id, a->text, at);
}

static int h_api_appreciations(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "appreciations")) return 0;
  thanks_ctx c = {o, &l};
  if (appreciations_list(rq->db, rq->s.user.couple_id, 500, thanks_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static int thank(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "Thanking your partner")) return 0;
  size_t n;
  const char *t;
  verdict v = web_check_text(rq, j, "text", APPRECIATION_MAX, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id = secret_id(), now = web_now();
  if (appreciations_add(rq->db, rq->s.user.couple_id, id, rq->s.user.id, t, now) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/moments#ap-h");
  sb_t *o = web_out(rq);
  thanks_ctx c = {o, NULL};
  appreciation_t a = {id, rq->s.user.id, now, t};
  thanks_json(&c, &a);
  return web_created(rq, o, "/api/v1/appreciations", id);
}

const route_t moments_routes[] = {
  {"GET", "/moments", h_moments_page, R_AUTH, "moments"},
  TWIN("POST", "/moments", add_moment, R_AUTH | R_BODY, "moments"),
  {"POST", "/moments/{id}/done", h_moment_done_post, R_AUTH | R_CSRF, "moment"},
  {"POST", "/moments/{id}/note", h_moment_note_post, R_AUTH | R_CSRF, "moment"},
  TWIN("POST", "/appreciations", thank, R_AUTH | R_BODY, "appreciations"),
  {"GET", "/api/v1/moments", h_api_moments, R_AUTH | R_LIST, "api_moments"},
  {"GET", "/api/v1/moments/{id}", h_api_moments, R_AUTH, "api_moment"},
  {"PATCH", "/api/v1/moments/{id}", put_moment, R_AUTH | R_BODY, "api_moment"},
  {"GET", "/api/v1/appreciations", h_api_appreciations, R_AUTH | R_LIST, "api_appreciations"},
  {"GET", "/api/v1/appreciations/{id}", h_api_appreciations, R_AUTH, "api_appreciation"},
  {NULL, NULL, NULL, 0, NULL},
};
