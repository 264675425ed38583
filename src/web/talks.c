/* talks.c (web): talk and listen, one hard topic at a time (core/talk_rules.h). One speaks,
   the other says back what they heard, the one who spoke says that is it or what they meant,
   and the floor passes. Written, each step's words kept; or in person, with mend keeping the
   turns and the time. The coach offers gentler words on what is said ("I feel ... when ..."
   rather than "you always ..."), once, before it is said. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/coach.h"
#include "core/talk_rules.h"
#include "core/validate.h"
#include "db/talks.h"
#include <stdio.h>
#include <string.h>

/* Whose turn it is (0 when the talk has ended): the first speaker's before any step, then the
   partner who did not make the last one. */
static int64_t turn_of(rq_t *rq, const talk_t *t) {
  if (t->closed_at) return 0;
  if (!t->steps) return t->first_speaker;
  const user_t *p = web_partner(rq);
  return t->last_by == rq->s.user.id ? (p ? p->id : 0) : rq->s.user.id;
}

/* In person, a turn of speaking lasts the talk's minutes from the step that gave the floor. */
static int64_t turn_ends(const talk_t *t) {
  return t->in_person && !t->closed_at && (t->last == TK_SAY || t->last == TK_CORRECT) ? t->last_at + 60 * t->turn_minutes : 0;
}

static void step_json(void *p, const void *row) {
  const talk_step_t *s = row;
  sb_t *o = ((void **)p)[0];
  int *n = ((void **)p)[1];
  char at[ISO_TIME_CHARS];
  iso_time(s->at, at);
  sb_json(o, "%r{\"seq\":%d,\"kind\":%q,\"by\":%D,\"text\":%q,\"at\":%q}", (*n)++ ? "," : "", s->seq, tk_step_name(s->kind), s->by,
          s->text, at);
}

static int talk_json(rq_t *rq, sb_t *o, const talk_t *t) {
  char at[ISO_TIME_CHARS], closed[ISO_TIME_CHARS], ends[ISO_TIME_CHARS];
  iso_time(t->created_at, at);
  iso_time(t->closed_at, closed);
  int64_t turn = turn_of(rq, t), until = turn_ends(t);
  iso_time(until, ends);
  sb_json(o, "{\"id\":%D,\"topic\":%q,\"started_by\":%D,\"first_speaker\":%D,\"in_person\":%r,\"turn_minutes\":%d,\"created_at\":%q,"
             "\"closed_at\":%q,\"closed_by\":", t->id, t->topic, t->started_by, t->first_speaker, t->in_person ? "true" : "false",
          t->turn_minutes, at, t->closed_at ? closed : NULL);
  if (t->closed_by) sb_json(o, "%D", t->closed_by); else sb_puts(o, "null");
  sb_puts(o, ",\"turn\":");
  if (turn) sb_json(o, "%D", turn); else sb_puts(o, "null");
  sb_puts(o, ",\"next\":[");
  enum tk_step next[2];
  int n = t->closed_at ? 0 : tk_next(t->last, next);
  for (int i = 0; i < n; i++) sb_json(o, "%r%q", i ? "," : "", tk_step_name(next[i]));
  sb_json(o, "],\"turn_ends_at\":%q,\"steps\":[", until ? ends : NULL);
  int k = 0;
  void *ctx[2] = {o, &k};
  if (talks_steps(rq->db, rq->s.user.couple_id, t->id, step_json, ctx) != DB_OK) return -1;
  sb_puts(o, "]}");
  return 0;
}

static int load(rq_t *rq, talk_t *t) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || talks_get(rq->db, rq->s.user.couple_id, id, t, &rq->mem) != DB_ROW) {
    web_error(rq, 404, "not_found", "There is no such talk.", NULL);
    return 0;
  }
  return 1;
}

/* ---- the pages ---- */

/* Who made a step and which, as one sentence each: in German, French and Spanish the verb agrees
   with who made it ("Du hast gesagt", "Tu as dit", "Dijiste"), so a name and a verb do not combine. */
static void step_who(rq_t *rq, sb_t *o, const talk_step_t *s) {
  if (s->by == rq->s.user.id) {
    if (s->kind == TK_SAY) sb_html(o, "<strong>You</strong> said");
    else if (s->kind == TK_HEARD) sb_html(o, "<strong>You</strong> heard");
    else if (s->kind == TK_YES) sb_html(o, "<strong>You</strong>: yes, that's it");
    else sb_html(o, "<strong>You</strong> meant");
    return;
  }
  const char *w = web_who(rq, s->by);
  if (s->kind == TK_SAY) sb_html(o, "<strong>%s</strong> said", w);
  else if (s->kind == TK_HEARD) sb_html(o, "<strong>%s</strong> heard", w);
  else if (s->kind == TK_YES) sb_html(o, "<strong>%s</strong>: yes, that's it", w);
  else sb_html(o, "<strong>%s</strong> meant", w);
}

static void step_html(void *p, const void *row) {
  const talk_step_t *s = row;
  rq_t *rq = ((void **)p)[0];
  sb_t *o = ((void **)p)[1];
  sb_markup(o, "<li class=\"step step-%s\"><p class=\"meta\">", tk_step_name(s->kind));
  step_who(rq, o, s);
  sb_puts(o, " · ");
  page_time(o, s->at);
  sb_puts(o, "</p>\n");
  if (*s->text) page_text(o, s->text);
  sb_puts(o, "</li>\n");
}

/* The form for one step: its words (needed when written), and for "say" a word on how. */
static void step_form(rq_t *rq, sb_t *o, const talk_t *t, enum tk_step k, const char *err, const char *text, int coached) {
  static const char *const buttons[] = {N_("Say it"), N_("Say back what I heard"), N_("Yes, that's it"), N_("Say what I meant")};
  static const char *const labels[] = {N_("What you want heard"), N_("What you heard, in your own words"), NULL, N_("What you meant")};
  sb_markup(o, "<form method=\"post\" action=\"/talks/%D/steps\" class=\"card\">\n", t->id);
  form_csrf(rq, o);
  sb_markup(o, "<input type=\"hidden\" name=\"kind\" value=\"%s\">\n", tk_step_name(k));
  if (k != TK_YES) {
    const char *hint = k == TK_SAY ? N_("About yourself, one thing at a time: \u201cI feel \u2026 when \u2026\u201d lands softer "
                                        "than \u201cyou always \u2026\u201d.")
                     : k == TK_HEARD ? N_("Only what you heard, not your answer to it: that comes when the floor is yours.")
                                     : N_("Gently: what they missed, or what you would put another way.");
    form_textarea(o, "text", t->in_person ? N_("A note, if you want (you say it aloud)") : labels[k], text, hint, err, 3, !t->in_person);
  }
  sb_markup(o, "<button type=\"submit\">%s</button>\n", _(buttons[k]));
  /* a draft the coach marked: said as it is only when asked for */
  if (k == TK_SAY && coached) sb_text(o, "<button type=\"submit\" name=\"anyway\" value=\"1\" class=\"secondary\">Say it as it is</button>\n");
  sb_puts(o, "</form>\n");
}

static int render_talk(rq_t *rq, const talk_t *t, const char *err, const char *field, const char *coached) {
  int64_t turn = turn_of(rq, t), until = turn_ends(t);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  if (t->started_by == rq->s.user.id)
    sb_html(o, "<p class=\"crumbs\"><a href=\"/talks\">Talk and listen</a></p>\n<h1>%s</h1>\n<p class=\"meta\">You started it on ", t->topic);
  else
    sb_html(o, "<p class=\"crumbs\"><a href=\"/talks\">Talk and listen</a></p>\n<h1>%s</h1>\n<p class=\"meta\">%s started it on ", t->topic,
            web_who(rq, t->started_by));
  page_time(o, t->created_at);
  if (t->in_person) sb_plural(o, t->turn_minutes, "; in person, %d minute a turn of speaking.</p>\n", "; in person, %d minutes a turn of speaking.</p>\n", t->turn_minutes);
  else sb_text(o, "; written.</p>\n");
  sb_puts(o, "<ol class=\"plain talk\">\n");
  void *ctx[2] = {rq, o};
  if (talks_steps(rq->db, rq->s.user.couple_id, t->id, step_html, ctx) != DB_OK) return web_db_error(rq);
  sb_puts(o, "</ol>\n");
  if (!t->steps && !t->closed_at) sb_text(o, "<p class=\"muted\">Nothing said yet.</p>\n");
  if (t->closed_at) {
    if (t->closed_by == rq->s.user.id) sb_text(o, "<p class=\"notice\">You ended this talk on ");
    else sb_html(o, "<p class=\"notice\">%s ended this talk on ", web_who(rq, t->closed_by));
    page_time(o, t->closed_at);
    sb_puts(o, ".</p>\n");
    return page_end(rq, o, 200);
  }
  page_error_notice(o, field && !strcmp(field, "text") ? NULL : err);
  if (until) {
    sb_puts(o, "<p class=\"notice\" role=\"status\">");
    if (t->last_by == rq->s.user.id) sb_text(o, "You have the floor until ");
    else sb_html(o, "%s has the floor until ", web_who(rq, t->last_by));
    page_clock(rq, o, until);
    sb_text(o, "; then it is said back.</p>\n");
    sb_markup(o, "<p class=\"countdown\" data-countdown=\"%D\" aria-hidden=\"true\" hidden></p>\n", until);
  }
  if (turn != rq->s.user.id) {
    const char *p = web_partner_name(rq);
    if (!t->steps) sb_html(o, "<p class=\"notice\" role=\"status\">Now %s will begin. Listen, and wait for your turn.</p>\n", p);
    else if (t->last == TK_YES)
      sb_html(o, "<p class=\"notice\" role=\"status\">Now %s will take the floor. Listen, and wait for your turn.</p>\n", p);
    else if (t->last == TK_HEARD)
      sb_html(o, "<p class=\"notice\" role=\"status\">Now %s will say whether that is it. Listen, and wait for your turn.</p>\n", p);
    else sb_html(o, "<p class=\"notice\" role=\"status\">Now %s will say back what they heard. Listen, and wait for your turn.</p>\n", p);
  } else {
    if (coached) {
      sb_text(o, "<p class=\"lead\">The coach found words that may land hard. Try saying how it is for you, "
                 "\u201cI feel \u2026 when \u2026\u201d, or say it as it is.</p>\n");
      page_coach(o, coached, COACH_MESSAGE);
    }
    enum tk_step next[2];
    int n = tk_next(t->last, next);
    for (int i = 0; i < n; i++)
      step_form(rq, o, t, next[i], field && !strcmp(field, "text") ? err : NULL,
                coached ? coached : field && !strcmp(field, "text") ? web_form_text(rq, "text") : NULL, coached != NULL);
  }
  sb_markup(o, "<form method=\"post\" action=\"/talks/%D/close\" class=\"inline\">", t->id);
  form_csrf(rq, o);
  sb_text(o, "<button type=\"submit\" class=\"secondary\">End this talk</button></form>\n");
  return page_end(rq, o, 200);
}

/* The couple's talks, newest first, read once into the request's memory (the page lists them
   in two parts, the API one by one with their steps). */
typedef struct { rq_t *rq; struct { talk_t *v; size_t n, cap; } all; } talks_kept;

static void keep_talk(void *p, const void *row) {
  talks_kept *k = p;
  talk_t t = *(const talk_t *)row;
  t.topic = arena_strdup(&k->rq->mem, t.topic);
  ARENA_PUSH(&k->rq->mem, k->all, t);
}

static int load_all(rq_t *rq, talks_kept *k) {
  *k = (talks_kept){rq, {NULL, 0, 0}};
  return talks_list(rq->db, rq->s.user.couple_id, keep_talk, k);
}

typedef struct { rq_t *rq; sb_t *o; int open, closed; } list_ctx;

static void talk_item(list_ctx *c, const talk_t *t) {
  (*(t->closed_at ? &c->closed : &c->open))++;
  sb_markup(c->o, "<li class=\"card\"><a href=\"/talks/%D\"><strong>%s</strong></a><p class=\"meta\">", t->id, t->topic);
  if (t->closed_at) sb_text(c->o, "Ended");
  else if (turn_of(c->rq, t) == c->rq->s.user.id) sb_text(c->o, "Your turn");
  else sb_html(c->o, "%s's turn", web_partner_name(c->rq));
  sb_plural(c->o, t->steps, " · %d step</p></li>\n", " · %d steps</p></li>\n", t->steps);
}

static int render_list(rq_t *rq, int status, const char *err, const char *field) {
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_text(o, "<h1>Talk and listen</h1>\n<p class=\"lead\">One hard topic at a time. One of you says what they want heard; the "
             "other says back what they heard, without answering yet; the one who spoke says \u201cyes, that's it\u201d or what "
             "they meant. Then the floor passes. Write it here, or sit together and let mend keep the turns and the time.</p>\n");
  page_error_notice(o, err);
  talks_kept k;
  if (load_all(rq, &k) != DB_OK) return web_db_error(rq);
  list_ctx c = {rq, o, 0, 0};
  sb_text(o, "<section aria-labelledby=\"open-h\">\n<h2 id=\"open-h\">Open talks</h2>\n<ul class=\"plain\">\n");
  for (size_t i = 0; i < k.all.n; i++)
    if (!k.all.v[i].closed_at) talk_item(&c, &k.all.v[i]);
  if (!c.open) sb_text(o, "<li class=\"muted\">None open.</li>\n");
  sb_puts(o, "</ul>\n");
  sb_text(o, "<details><summary>Ended talks</summary>\n<ul class=\"plain\">\n");
  for (size_t i = 0; i < k.all.n; i++)
    if (k.all.v[i].closed_at) talk_item(&c, &k.all.v[i]);
  if (!c.closed) sb_text(o, "<li class=\"muted\">None yet.</li>\n");
  sb_puts(o, "</ul>\n</details>\n</section>\n");
  if (page_alone(rq, o, "A talk")) return page_end(rq, o, status);
  sb_text(o, "<form method=\"post\" action=\"/talks\" class=\"card\">\n<h2>Start a talk</h2>\n");
  form_csrf(rq, o);
  form_field(o, "topic", "The topic", "text", web_form_text(rq, "topic"), "off", N_("One thing, said kindly: \u201cthe evenings you "
             "work late\u201d."), field && !strcmp(field, "topic") ? err : NULL);
  static const char *const who_values[] = {"", "me", "partner", NULL};
  const char *pn = web_partner_name(rq);
  char pl[96];
  snprintf(pl, sizeof pl, _("%s speaks first"), pn);
  const char *who_names[] = {N_("Choose who speaks first"), N_("I speak first"), pl, NULL};
  form_select(o, "first", "Who speaks first", who_values, who_names, web_form_text(rq, "first"),
              field && !strcmp(field, "first_speaker") ? err : NULL);
  static const char *const how_values[] = {"", "written", "in_person", NULL};
  static const char *const how_names[] = {N_("Choose how"), N_("Written, here"), N_("In person, with mend keeping the turns"), NULL};
  form_select(o, "how", "How", how_values, how_names, web_form_text(rq, "how"), field && !strcmp(field, "in_person") ? err : NULL);
  const char *m = web_form_text(rq, "turn_minutes");
  form_field(o, "turn_minutes", "In person: minutes a turn of speaking (1 to 15)", "number", m && *m ? m : "3", "off", NULL,
             field && !strcmp(field, "turn_minutes") ? err : NULL);
  sb_text(o, "<button type=\"submit\">Start</button>\n</form>\n");
  return page_end(rq, o, status);
}

static int h_talks_page(rq_t *rq, json_t *j) { (void)j; return render_list(rq, 200, NULL, NULL); }
static int list_again(rq_t *rq, const verdict *v) { return render_list(rq, 200, v->message, v->field); }

static int h_talk_page(rq_t *rq, json_t *j) {
  (void)j;
  talk_t t;
  if (!load(rq, &t)) return 0;
  return render_talk(rq, &t, NULL, NULL, NULL);
}

static int talk_again(rq_t *rq, const verdict *v) {
  talk_t t;
  if (!load(rq, &t)) return 0;
  return render_talk(rq, &t, v->message, v->field, NULL);
}

/* ---- the moves ---- */

static int answer(rq_t *rq, int64_t id, int status) {
  if (!rq->api) {
    char to[48];
    snprintf(to, sizeof to, "/talks/%lld", (long long)id);
    return web_redirect(rq, to);
  }
  talk_t t;
  if (talks_get(rq->db, rq->s.user.couple_id, id, &t, &rq->mem) != DB_ROW) return web_db_error(rq);
  sb_t *o = web_out(rq);
  if (talk_json(rq, o, &t) != 0) return web_db_error(rq);
  return status == 201 ? web_created(rq, o, "/api/v1/talks", id) : web_json(rq, status, o);
}

/* POST /talks {"topic","first_speaker","in_person","turn_minutes"}; the page's form says who
   speaks first and how in words ("first": me or partner, "how": written or in_person). */
static int start(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "A talk")) return 0;
  const char *topic;
  size_t n;
  verdict v = web_check_text(rq, j, "topic", TALK_TOPIC_MAX, 1, &topic, &n);
  if (v.status) return web_refuse(rq, v, list_again);
  if (strchr(topic, '\n')) return web_refuse(rq, refuse_field("topic", "Say the topic on one line."), list_again);
  const user_t *p = web_partner(rq);
  int64_t first = 0, minutes = TALK_MINUTES_DEFAULT;
  int in_person = 0;
  if (j) {
    json_t *f = json_object_get(j, "first_speaker");
    if (!f || json_is_null(f)) first = rq->s.user.id;
    else if (json_is_integer(f) && (json_integer_value(f) == rq->s.user.id || json_integer_value(f) == p->id)) first = json_integer_value(f);
    else return web_refuse(rq, refuse_field("first_speaker", "The first speaker is one of you two (a partner's id)."), list_again);
    json_t *ip = json_object_get(j, "in_person");
    if (ip && !json_is_null(ip) && !json_is_boolean(ip))
      return web_refuse(rq, refuse_field("in_person", "Say in_person as true or false."), list_again);
    in_person = ip && json_is_true(ip);
  } else {
    const char *who = web_form_text(rq, "first"), *how = web_form_text(rq, "how");
    if (!who || (strcmp(who, "me") && strcmp(who, "partner")))
      return web_refuse(rq, refuse_field("first_speaker", "Choose who speaks first."), list_again);
    first = !strcmp(who, "me") ? rq->s.user.id : p->id;
    if (!how || (strcmp(how, "written") && strcmp(how, "in_person")))
      return web_refuse(rq, refuse_field("in_person", "Choose whether you write it here or talk in person."), list_again);
    in_person = !strcmp(how, "in_person");
  }
  int rc = web_int(rq, j, "turn_minutes", &minutes);
  if (rc < 0 || (rc == 1 && (minutes < TALK_MINUTES_MIN || minutes > TALK_MINUTES_MAX)))
    return web_refuse(rq, refuse_field("turn_minutes", "A turn of speaking is 1 to 15 minutes."), list_again);
  if (rc == 0) minutes = TALK_MINUTES_DEFAULT;
  int64_t id;
  if (talks_start(rq->db, rq->s.user.couple_id, rq->s.user.id, topic, first, in_person, (int)minutes, web_now(), &id) != DB_OK)
    return web_db_error(rq);
  return answer(rq, id, 201);
}

/* POST /talks/{id}/steps {"kind":"say"|"heard"|"yes"|"correct","text"} */
static int step(rq_t *rq, json_t *j) {
  talk_t t;
  if (!load(rq, &t)) return 0;
  size_t kn = 0, n = 0;
  int bad = 0;
  const char *k = web_text(rq, j, "kind", &kn, &bad), *text;
  enum tk_step kind;
  if (bad || !k || tk_step_parse(k, kn, &kind) != 0)
    return web_refuse(rq, refuse_field("kind", "A step is \"say\", \"heard\", \"yes\" or \"correct\"."), talk_again);
  verdict v = web_check_text(rq, j, "text", TALK_TEXT_MAX, 0, &text, &n);
  if (v.status) return web_refuse(rq, v, talk_again);
  v = tk_can_step(t.closed_at != 0, t.last, t.last_by == rq->s.user.id, t.first_speaker == rq->s.user.id, kind, !t.in_person, n);
  if (v.status) return web_refuse(rq, v, talk_again);
  /* on the page, words the coach marks are offered back once, with gentler ways to say them */
  if (!rq->api && kind == TK_SAY && n && !web_form_text(rq, "anyway")) {
    coach_result r;
    int marked = coach_analyze(text, n, COACH_MESSAGE, i18n_index(i18n_current()), &r) == 0 && r.nfindings > 0;
    if (marked) coach_free(&r);
    if (marked) return render_talk(rq, &t, NULL, NULL, text);
  }
  if (talks_step(rq->db, rq->s.user.couple_id, t.id, t.steps, kind, rq->s.user.id, text, web_now()) != DB_OK)
    return web_db_error(rq);
  return answer(rq, t.id, 201);
}

static int close_talk(rq_t *rq, json_t *j) {
  (void)j;
  talk_t t;
  if (!load(rq, &t)) return 0;
  if (t.closed_at) return web_error(rq, 409, "closed", "This talk has ended already.", NULL);
  if (talks_close(rq->db, rq->s.user.couple_id, t.id, rq->s.user.id, web_now()) != DB_OK) return web_db_error(rq);
  return answer(rq, t.id, 200);
}

/* ---- the API's lists ---- */

static int h_api_talks(rq_t *rq, json_t *j) {
  (void)j;
  talks_kept k;
  if (load_all(rq, &k) != DB_OK) return web_db_error(rq);
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "talks")) return 0;
  for (size_t i = 0; i < k.all.n; i++) {
    const char *sep = web_list_take_id(&l, k.all.v[i].id);
    if (!sep) continue;
    sb_puts(o, sep);
    if (talk_json(rq, o, &k.all.v[i]) != 0) return web_db_error(rq);
  }
  return web_list_send(&l);
}

const route_t talks_routes[] = {
  {"GET", "/talks", h_talks_page, R_AUTH, "talks"},
  TWIN("POST", "/talks", start, R_AUTH | R_BODY, "talks"),
  {"GET", "/talks/{id}", h_talk_page, R_AUTH, "talk"},
  TWIN("POST", "/talks/{id}/steps", step, R_AUTH | R_BODY, "talk_step"),
  TWIN("POST", "/talks/{id}/close", close_talk, R_AUTH, "talk_close"),
  {"GET", "/api/v1/talks", h_api_talks, R_AUTH | R_LIST, "api_talks"},
  {"GET", "/api/v1/talks/{id}", h_api_talks, R_AUTH, "api_talk"},
  {NULL, NULL, NULL, 0, NULL},
};
