/* questions.c (web): questions asked and answered calmly. Either partner asks; the other
   answers; asking again is counted, never refused; every answer is kept. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/validate.h"
#include "db/questions.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* All the couple's answers, loaded once per list and grouped by question. */
typedef struct { H2O_VECTOR(answer_t) v; h2o_mem_pool_t *pool; } answers;

static void keep_answer(void *p, const void *row) {
  const answer_t *a = row;
  answers *as = p;
  h2o_vector_reserve(as->pool, &as->v, as->v.size + 1);
  as->v.entries[as->v.size] = *a;
  as->v.entries[as->v.size++].text = h2o_strdup(as->pool, a->text, SIZE_MAX).base;
}

static int load_answers(rq_t *rq, answers *as) {
  memset(as, 0, sizeof *as);
  as->pool = &rq->req->pool;
  return questions_all_answers(rq->db, rq->s.user.couple_id, keep_answer, as);
}

/* Calls cb for each answer of question q, in order (the list is sorted by question id). */
static void each_answer(const answers *as, int64_t q, db_each cb, void *ctx) {
  size_t lo = 0, hi = as->v.size;
  while (lo < hi) { size_t mid = (lo + hi) / 2; if (as->v.entries[mid].question_id < q) lo = mid + 1; else hi = mid; }
  for (size_t i = lo; i < as->v.size && as->v.entries[i].question_id == q; i++) cb(ctx, &as->v.entries[i]);
}

/* answering: the question whose answer was refused (its words are shown again), or 0 */
typedef struct { rq_t *rq; sb_t *o; int n; const answers *as; int64_t answering; const char *answer; web_list *l;
                 int part; /* pages: 1 the questions waiting for this partner's answer, 2 the rest; 0 all */ } qctx;

static void answer_one(sb_t *o, const answer_t *a) {
  char at[ISO_TIME_CHARS], fixed[ISO_TIME_CHARS];
  iso_time(a->created_at, at);
  iso_time(a->corrected_at, fixed);
  sb_json(o, "{\"id\":%D,\"question\":%D,\"by\":%D,\"text\":%q,\"created_at\":%q,\"corrects\":", a->id, a->question_id,
          a->author_id, a->text, at);
  if (a->corrects) sb_json(o, "%D", a->corrects);
  else sb_puts(o, "null");
  sb_json(o, ",\"corrected_at\":%q}", a->corrected_at ? fixed : NULL);
}

static void answer_json(void *p, const void *row) {
  const answer_t *a = row;
  qctx *c = p;
  if (c->n++) sb_putc(c->o, ',');
  answer_one(c->o, a);
}

/* as: the couple's answers when a whole list is written, NULL for one question. */
static void question_json(rq_t *rq, sb_t *o, const question_t *q, const char *text, const answers *as) {
  char at[ISO_TIME_CHARS], last[ISO_TIME_CHARS];
  iso_time(q->created_at, at);
  iso_time(q->last_asked_at, last);
  char enough[ISO_TIME_CHARS];
  iso_time(q->enough_at, enough);
  sb_json(o, "{\"id\":%D,\"text\":%q,\"by\":%D,\"times_asked\":%D,\"waiting\":%r,\"created_at\":%q,\"last_asked_at\":%q,"
             "\"enough_at\":%q,\"answers\":[",
          q->id, text, q->asker_id, q->times_asked, q->waiting ? "true" : "false", at, last, q->enough_at ? enough : NULL);
  qctx c = {rq, o, 0, as, 0, NULL, NULL, 0};
  if (as) each_answer(as, q->id, answer_json, &c);
  else questions_answers(rq->db, rq->s.user.couple_id, q->id, answer_json, &c);
  sb_puts(o, "]}");
}

static void list_json(void *p, const void *row) {
  const question_t *q = row;
  qctx *c = p;
  const char *sep = web_list_take_id(c->l, q->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  question_json(c->rq, c->o, q, q->text, c->as);
}

static void answer_html(void *p, const void *row) {
  const answer_t *a = row;
  qctx *c = p;
  rq_t *rq = c->rq;
  int mine = a->author_id == rq->s.user.id;
  c->n++;
  sb_markup(c->o, "<li id=\"an-%D\"%r><p class=\"meta\">%s %s, ", a->id, a->corrected_at ? " class=\"corrected\"" : "",
          mine ? _("You") : web_who(rq, a->author_id), a->corrects ? _("corrected the answer above") : _("answered"));
  page_time(c->o, a->created_at);
  sb_markup(c->o, "%s</p>\n", a->corrected_at ? _(" · corrected later, kept as it was") : "");
  page_text(c->o, a->text);
  if (mine && !a->corrected_at) {
    /* an answer that was not right is corrected, never erased: both versions stay */
    char id[40];
    snprintf(id, sizeof id, "fix-%lld", (long long)a->id);
    sb_html(c->o, "<details><summary>Correct this answer</summary>\n<form method=\"post\" action=\"/questions/%D/answers/%D/correction\">",
            a->question_id, a->id);
    form_csrf(rq, c->o);
    sb_html(c->o, "<label for=\"%s\">What is true</label>\n<textarea id=\"%s\" name=\"text\" rows=\"3\" required></textarea>\n"
                  "<button type=\"submit\" class=\"secondary\">Give the correction</button></form>\n</details>\n", id, id);
  }
  sb_puts(c->o, "</li>\n");
}

static void question_html(void *p, const void *row) {
  const question_t *q = row;
  qctx *c = p;
  rq_t *rq = c->rq;
  sb_t *o = c->o;
  int mine = q->asker_id == rq->s.user.id;
  int for_me = q->waiting && !mine;
  if ((c->part == 1 && !for_me) || (c->part == 2 && for_me)) return;
  sb_markup(o, "<article class=\"card question\" id=\"q-%D\">\n", q->id);
  if (mine) sb_html(o, "<h3 class=\"q-text\">%s</h3>\n<p class=\"meta\">Asked by you", q->text);
  else sb_html(o, "<h3 class=\"q-text\">%s</h3>\n<p class=\"meta\">Asked by %s", q->text, web_who(rq, q->asker_id));
  if (q->times_asked > 1) sb_html(o, ", %D times", q->times_asked);
  sb_text(o, ", last on ");
  page_time(o, q->last_asked_at);
  if (q->waiting) sb_text(o, " · <strong>waiting for an answer</strong>");
  else if (q->enough_at) sb_text(o, " · answered enough");
  sb_puts(o, "</p>\n");
  sb_puts(o, "<ol class=\"answers\">\n");
  qctx ac = {rq, o, 0, c->as, 0, NULL, NULL, 0};
  each_answer(c->as, q->id, answer_html, &ac);
  sb_puts(o, "</ol>\n");
  if (!mine) {
    sb_markup(o, "<form method=\"post\" action=\"/questions/%D/answers\" data-draft>", q->id);
    form_csrf(rq, o);
    char name[32];
    snprintf(name, sizeof name, "answer-%lld", (long long)q->id);
    sb_html(o, "<label for=\"%s\">Your answer</label>\n<textarea id=\"%s\" name=\"text\" rows=\"3\" required>\n%s</textarea>\n"
               "<button type=\"submit\">Answer</button></form>\n", name, name, q->id == c->answering ? c->answer : NULL);
  } else if (q->waiting) {
    sb_html(o, "<p class=\"muted\">Waiting for %s's answer. There is no hurry.</p>\n", web_partner_name(rq));
  } else {
    /* asking again is for a question answered once and still alive: never a nudge */
    sb_markup(o, "<form method=\"post\" action=\"/questions/%D/ask-again\" class=\"inline\">", q->id);
    form_csrf(rq, o);
    sb_html(o, "<button type=\"submit\" class=\"secondary\">Ask again</button></form>\n");
  }
  if (mine && !q->enough_at && q->last_answer_at) {
    sb_markup(o, "<form method=\"post\" action=\"/questions/%D/enough\" class=\"inline\">", q->id);
    form_csrf(rq, o);
    sb_html(o, "<button type=\"submit\" class=\"secondary\">It is answered enough</button></form>\n");
  }
  sb_puts(o, "</article>\n");
  c->n++;
}

/* err: a refused question (text: its words), or a refused answer to question `answering`
   (text: the answer's words, shown again in that question's form). */
static int render(rq_t *rq, int status, const char *err, const char *text, int64_t answering) {
  sb_t *o = page_start(rq, "Questions",
                       N_("Ask what you need to know. Asking the same thing again is part of healing; every answer stays "
                       "here. Answer truthfully, and as calmly as you can."));
  page_error_notice(o, err);
  answers as;
  if (load_answers(rq, &as) != DB_OK) return web_db_error(rq);
  /* what waits for this partner's answer first, then the form to ask, then all the rest */
  qctx w = {rq, o, 0, &as, answering, text, NULL, 1};
  sb_text(o, "<section aria-labelledby=\"wait-h\">\n<h2 id=\"wait-h\">Waiting for your answer</h2>\n");
  if (questions_list(rq->db, rq->s.user.couple_id, question_html, &w) != DB_OK) return web_db_error(rq);
  if (!w.n) sb_html(o, "<p class=\"muted\">Nothing %s asked waits for you.</p>\n", web_partner_name(rq));
  sb_puts(o, "</section>\n");
  if (!page_alone(rq, o, "Asking a question")) {
    sb_markup(o, "<form method=\"post\" action=\"/questions\" class=\"card\">\n");
    form_csrf(rq, o);
    page_prompt(rq, o, "question", "If you do not know where to begin:", "prompt");
    form_textarea(o, "text", "Your question", answering ? NULL : text, NULL, answering ? NULL : err, 3, 1);
    sb_text(o, "<button type=\"submit\">Ask</button>\n</form>\n");
  }
  sb_html(o, "<section aria-labelledby=\"list-h\">\n<h2 id=\"list-h\">Asked so far</h2>\n");
  qctx c = {rq, o, 0, &as, answering, text, NULL, 2};
  int rc = questions_list(rq->db, rq->s.user.couple_id, question_html, &c);
  if (rc != DB_OK) return web_db_error(rq);
  if (!c.n) sb_markup(o, "<p class=\"muted\">%s</p>\n", w.n ? _("Nothing else yet.") : _("No questions yet."));
  sb_puts(o, "</section>\n");
  return page_end(rq, o, status);
}

static int h_questions_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, 0); }

/* The page again after a refused question or answer, with the words that were sent. */
static int form_again(rq_t *rq, const verdict *v) {
  return render(rq, 200, v->message, web_form_text(rq, "text"), rq->params[0].len ? web_param_id(rq, 0) : 0);
}

static int ask(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "Asking a question")) return 0;
  size_t n;
  const char *t;
  verdict v = web_check_text(rq, j, "text", QUESTION_MAX, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id, now = web_now();
  if (questions_add(rq->db, rq->s.user.couple_id, rq->s.user.id, t, now, &id) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/questions");
  question_t q = {id, rq->s.user.id, 1, now, now, 0, 1, t, 0};
  sb_t *o = web_out(rq);
  question_json(rq, o, &q, t, NULL);
  return web_created(rq, o, "/api/v1/questions", id);
}

/* Loads the question of the route, or answers 404. */
static int load(rq_t *rq, question_t *q) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || questions_get(rq->db, rq->s.user.couple_id, id, q, NULL) != DB_ROW) {
    web_error(rq, 404, "not_found", "There is no such question.", NULL);
    return 0;
  }
  return 1;
}

static int answer(rq_t *rq, json_t *j) {
  question_t q;
  if (!load(rq, &q)) return 0;
  if (q.asker_id == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "This is your own question: your partner answers it.", NULL);
  size_t n;
  const char *t;
  verdict v = web_check_text(rq, j, "text", ANSWER_MAX, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id, now = web_now();
  if (questions_answer(rq->db, rq->s.user.couple_id, q.id, rq->s.user.id, t, now, &id) != DB_OK)
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/questions");
  answer_t a = {id, q.id, rq->s.user.id, now, t, 0, 0};
  sb_t *o = web_out(rq);
  answer_one(o, &a);
  return web_created(rq, o, "/api/v1/questions", q.id);
}

/* POST /questions/{id}/answers/{answer}/correction: the author of an answer corrects it; the
   old answer stays, marked corrected, and the new one says what it corrects. */
static int correct(rq_t *rq, json_t *j) {
  question_t q;
  if (!load(rq, &q)) return 0;
  int64_t old = web_param_id(rq, 1);
  size_t n;
  const char *t;
  verdict v = web_check_text(rq, j, "text", ANSWER_MAX, 1, &t, &n);
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id, now = web_now();
  int rc = old < 0 ? DB_CONSTRAINT : questions_correct(rq->db, rq->s.user.couple_id, q.id, old, rq->s.user.id, t, now, &id);
  if (rc == DB_CONSTRAINT)
    return web_error(rq, 409, "corrected", "Only your own answer is corrected, once: correct the newest one.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/questions");
  answer_t a = {id, q.id, rq->s.user.id, now, t, old, 0};
  sb_t *o = web_out(rq);
  answer_one(o, &a);
  return web_created(rq, o, "/api/v1/questions", q.id);
}

/* An action's answer: the question as it now is. */
static int as_it_is(rq_t *rq, int64_t id) {
  question_t fresh;
  if (questions_get(rq->db, rq->s.user.couple_id, id, &fresh, &rq->mem) != DB_ROW) return web_db_error(rq);
  sb_t *o = web_out(rq);
  question_json(rq, o, &fresh, fresh.text, NULL);
  return web_json(rq, 200, o);
}

/* POST /questions/{id}/enough: the one who asked has what they needed; it waits no more. */
static int enough(rq_t *rq, json_t *j) {
  (void)j;
  question_t q;
  if (!load(rq, &q)) return 0;
  if (q.asker_id != rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "Only the one who asked says a question is answered enough.", NULL);
  int rc = questions_enough(rq->db, rq->s.user.couple_id, q.id, rq->s.user.id, web_now());
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "answered", "You said this is answered enough already.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  return rq->api ? as_it_is(rq, q.id) : web_redirect(rq, "/questions");
}

static int ask_again(rq_t *rq, json_t *j) {
  (void)j;
  question_t q;
  if (!load(rq, &q)) return 0;
  if (q.asker_id != rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "Only the one who asked can ask again; you answer it.", NULL);
  int rc = questions_ask_again(rq->db, rq->s.user.couple_id, q.id, web_now());
  if (rc == DB_CONSTRAINT)
    return web_error(rq, 409, "not_yet", "This question still waits for an answer; you can ask it again once it is answered.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  return rq->api ? as_it_is(rq, q.id) : web_redirect(rq, "/questions");
}


/* The list is paged in the database: a page of questions and the answers of that page only,
   two queries however long the couple's history. */
static int h_api_questions(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "questions")) return 0;
  db_t *db = rq->db;
  int64_t couple = rq->s.user.couple_id;
  question_t after, *ap = NULL;
  if (l.single || l.has_after) {
    int64_t id = web_list_key_id(&l);
    int rc = id ? questions_get(db, couple, id, &after, &rq->mem) : DB_DONE;
    if (rc != DB_ROW && rc != DB_DONE) return web_db_error(rq);
    if (l.single) {
      if (rc == DB_DONE) return web_error(rq, 404, "not_found", "There is no such question.", NULL);
      question_json(rq, o, &after, after.text, NULL);
      return web_json(rq, 200, o);
    }
    if (rc == DB_DONE) return web_error(rq, 422, "invalid", "No question has that id (starting_after).", "starting_after");
    ap = &after;
    l.emitting = 1; /* the database starts after it */
  }
  answers as;
  memset(&as, 0, sizeof as);
  as.pool = &rq->req->pool;
  if (questions_page_answers(db, couple, ap, l.limit + 1, keep_answer, &as) != DB_OK) return web_db_error(rq);
  qctx c = {rq, o, 0, &as, 0, NULL, &l, 0};
  if (questions_page(db, couple, ap, l.limit + 1, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t questions_routes[] = {
  {"GET", "/questions", h_questions_page, R_AUTH, "questions"},
  TWIN("POST", "/questions", ask, R_AUTH | R_BODY, "questions"),
  TWIN("POST", "/questions/{id}/answers", answer, R_AUTH | R_BODY, "question_answer"),
  TWIN("POST", "/questions/{id}/ask-again", ask_again, R_AUTH, "question_again"),
  TWIN("POST", "/questions/{id}/answers/{id}/correction", correct, R_AUTH | R_BODY, "question_correction"),
  TWIN("POST", "/questions/{id}/enough", enough, R_AUTH, "question_enough"),
  {"GET", "/api/v1/questions", h_api_questions, R_AUTH | R_LIST, "api_questions"},
  {"GET", "/api/v1/questions/{id}", h_api_questions, R_AUTH, "api_question"},
  {NULL, NULL, NULL, 0, NULL},
};
