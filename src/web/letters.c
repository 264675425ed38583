/* letters.c (web): three letters, written slowly and read when ready. The partner who broke
   trust writes a disclosure (the facts, answering what was asked; more detail apart, which the
   hurt partner chooses to read or not before reading); the hurt partner writes what it did to
   them (the impact letter); the restitution letter answers it. Drafts are sealed to their author
   and checked by the coach; a given letter is answered with "I read it", and later "I feel
   heard" or "not yet". When both ask, every letter is destroyed together: the rows erased, the
   WAL truncated, and the ledger keeps only that they existed and were destroyed by both. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "keys.h"
#include "core/coach.h"
#include "core/secret.h"
#include "core/validate.h"
#include "db/ledger.h"
#include "db/letters.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LETTER_MAX 20000
#define MORE_MAX 20000

static const char *const kinds[] = {"disclosure", "impact", "restitution", NULL};
static const char *const kind_names[] = {N_("A disclosure"), N_("An impact letter"), N_("A restitution letter"), NULL};

/* The letter's name in English, as the ledger seals it (web/ledger.c says it to each reader). */
static const char *kind_english(const char *kind) {
  for (int i = 0; kinds[i]; i++)
    if (!strcmp(kinds[i], kind)) return kind_names[i];
  return "A letter";
}

static const char *kind_name(const char *kind) { return _(kind_english(kind)); }

static int is(const letter_t *l, const char *kind) { return !strcmp(l->kind, kind); }

/* Who writes which: a disclosure and a restitution letter are the part of whoever broke trust,
   the impact letter the hurt partner's (a partner who says both did writes any). NULL when
   allowed, else why not. */
static const char *not_theirs(const user_t *u, const char *kind) {
  if (!strcmp(kind, "impact") && !strcmp(u->path, "broke_trust"))
    return "The impact letter is written by the partner who was hurt.";
  if (strcmp(kind, "impact") && !strcmp(u->path, "hurt"))
    return "A disclosure and a restitution letter are written by the partner who broke trust.";
  return NULL;
}

/* The coach reads a disclosure for minimising and blame, a restitution letter as an apology; the
   impact letter's pain is its writer's to say as they need to. */
static int coach_kind(const letter_t *l, enum coach_kind *k) {
  if (is(l, "impact")) return 0;
  *k = is(l, "restitution") ? COACH_APOLOGY : COACH_MESSAGE;
  return 1;
}

/* The words as the viewer may read them: the author's draft opened with their key (the letter,
   U+001E, the more detail: no text holds that character); a given letter's facts once the reader
   chose how much (a disclosure), its more detail when they asked for it. NULL when not (yet)
   theirs to read, or a draft this session cannot open. */
static void words(rq_t *rq, const letter_t *l, const char **body, const char **more) {
  *body = *more = NULL;
  int mine = l->author_id == rq->s.user.id;
  if (l->sealed) {
    const char *all = mine ? web_unseal(rq, "letters", l->id, l->sealed, l->sealed_n) : NULL;
    if (!all) return;
    const char *sep = strchr(all, '\x1e');
    *body = sep ? h2o_strdup(&rq->req->pool, all, (size_t)(sep - all)).base : all;
    *more = sep ? sep + 1 : "";
    return;
  }
  if (mine) { *body = l->body ? l->body : ""; *more = l->more ? l->more : ""; return; }
  if (!l->given_at || (is(l, "disclosure") && !l->detail[0])) return;
  *body = l->body;
  *more = !strcmp(l->detail, "more") ? l->more : NULL;
}
static int has_more(const letter_t *l) { return l->more && *l->more; }

static void letter_json(rq_t *rq, sb_t *o, const letter_t *l) {
  char at[ISO_TIME_CHARS], up[ISO_TIME_CHARS], given[ISO_TIME_CHARS], read[ISO_TIME_CHARS], heard[ISO_TIME_CHARS];
  iso_time(l->created_at, at);
  iso_time(l->updated_at, up);
  iso_time(l->given_at, given);
  iso_time(l->read_at, read);
  iso_time(l->heard_at, heard);
  int mine = l->author_id == rq->s.user.id;
  const char *body, *more;
  words(rq, l, &body, &more);
  int locked = mine && !l->given_at && !body, more_there = l->sealed ? more && *more : has_more(l);
  sb_json(o, "{\"id\":%D,\"kind\":%q,\"by\":%D,\"status\":%r,\"body\":%q,\"more\":%q,\"has_more\":%r,\"locked\":%r,"
             "\"created_at\":%q,\"updated_at\":%q,\"given_at\":%q,\"detail\":%q,\"read_at\":%q,\"heard\":%r,\"heard_at\":%q",
          l->id, l->kind, l->author_id, l->given_at ? "\"given\"" : "\"draft\"", body, more, more_there ? "true" : "false",
          locked ? "true" : "false", at, up, l->given_at ? given : NULL, l->detail[0] ? l->detail : NULL,
          l->read_at ? read : NULL, l->heard < 0 ? "null" : l->heard ? "true" : "false", l->heard >= 0 ? heard : NULL);
  enum coach_kind k;
  if (mine && !l->given_at && coach_kind(l, &k)) {
    sb_puts(o, ",\"coach\":");
    coach_result r;
    if (body && coach_analyze(body, strlen(body), k, i18n_index(i18n_current()), &r) == 0) {
      coach_json(&r, body, o);
      coach_free(&r);
    } else sb_puts(o, "null");
  }
  sb_putc(o, '}');
}

typedef struct { rq_t *rq; sb_t *o; int n, mine; web_list *l; } lctx;

static void list_json(void *p, const void *row) {
  lctx *c = p;
  const letter_t *l = row;
  const char *sep = web_list_take_id(c->l, l->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  letter_json(c->rq, c->o, l);
}

static void answer_form(rq_t *rq, sb_t *o, int64_t id, const char *name, const char *value, const char *label, int secondary) {
  sb_markup(o, "<form method=\"post\" action=\"/letters/%D/response\" class=\"inline\">", id);
  form_csrf(rq, o);
  sb_markup(o, "<button type=\"submit\" name=\"%s\" value=\"%s\"%r>%s</button></form>\n", name, value,
          secondary ? " class=\"secondary\"" : "", _(label));
}

/* A letter given to the viewer: the choice of detail first (a disclosure), then its words and
   the answers. */
static void received_html(rq_t *rq, sb_t *o, const letter_t *l) {
  const char *body, *more;
  words(rq, l, &body, &more);
  if (!body) {
    sb_html(o, "<p>Before you read it: how much do you want to know? %s</p>\n",
            has_more(l) ? _("The facts come first; the further detail is apart, and you may never want it. You can ask for it later.")
                        : _("It holds the facts."));
    answer_form(rq, o, l->id, "detail", "facts", N_("The facts only"), has_more(l));
    if (has_more(l)) answer_form(rq, o, l->id, "detail", "more", N_("The facts and the further detail"), 1);
    return;
  }
  page_text(o, body);
  if (more && *more) {
    sb_text(o, "<h4>The further detail</h4>\n");
    page_text(o, more);
  } else if (is(l, "disclosure") && has_more(l)) {
    answer_form(rq, o, l->id, "detail", "more", N_("Read the further detail too"), 1);
  }
  if (!l->read_at) {
    answer_form(rq, o, l->id, "read", "1", N_("I read it"), 0);
  } else if (l->heard != 1) {
    if (l->heard == 0) sb_text(o, "<p class=\"meta\">You said: not yet.</p>\n");
    answer_form(rq, o, l->id, "heard", "1", N_("I feel heard"), 0);
    if (l->heard < 0) answer_form(rq, o, l->id, "heard", "0", N_("Not yet"), 1);
  } else {
    sb_text(o, "<p class=\"meta\">You said you feel heard.</p>\n");
  }
}

/* The author's own: a draft to rewrite (with the coach) and give, or what became of it. */
static void own_html(rq_t *rq, sb_t *o, const letter_t *l) {
  const char *body, *more;
  words(rq, l, &body, &more);
  if (!l->given_at) {
    if (!body) {
      sb_text(o, "<p class=\"muted\">Locked: log out and in again to read your draft.</p>\n");
      return;
    }
    enum coach_kind k;
    if (coach_kind(l, &k)) page_coach(o, body, k);
    else page_text(o, body);
    char id[32], mid[32];
    snprintf(id, sizeof id, "edit-%lld", (long long)l->id);
    snprintf(mid, sizeof mid, "more-%lld", (long long)l->id);
    sb_markup(o, "<form method=\"post\" action=\"/letters/%D\">", l->id);
    form_csrf(rq, o);
    sb_html(o, "<label for=\"%s\">Rewrite it</label>\n<textarea id=\"%s\" name=\"body\" rows=\"8\" required>\n%s</textarea>\n", id,
            id, body);
    if (is(l, "disclosure"))
      sb_html(o, "<label for=\"%s\">Further detail, read only if asked for</label>\n<textarea id=\"%s\" name=\"more\" rows=\"4\">\n"
                 "%s</textarea>\n", mid, mid, more ? more : "");
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Save and check again</button></form>\n");
    sb_markup(o, "<form method=\"post\" action=\"/letters/%D/give\">", l->id);
    form_csrf(rq, o);
    sb_html(o, "<button type=\"submit\">Give it to %s</button></form>\n", web_partner_name(rq));
    return;
  }
  page_text(o, body);
  if (more && *more) {
    sb_text(o, "<h4>The further detail</h4>\n");
    page_text(o, more);
  }
  const char *who = web_partner_name(rq);
  sb_puts(o, "<p class=\"meta\">");
  if (is(l, "disclosure") && !l->detail[0]) sb_html(o, "%s has not opened it yet.", who);
  else if (!l->read_at && !is(l, "disclosure")) sb_text(o, "Not read yet.");
  else if (!l->read_at && !strcmp(l->detail, "more")) sb_text(o, "Opened, with the further detail; not read yet.");
  else if (!l->read_at) sb_text(o, "Opened, the facts only; not read yet.");
  else if (l->heard < 0) sb_html(o, "%s read it.", who);
  else if (l->heard == 0) sb_html(o, "%s read it, and does not feel heard yet.", who);
  else sb_html(o, "%s read it and feels heard.", who);
  sb_puts(o, "</p>\n");
}

static void letter_html(void *p, const void *row) {
  lctx *c = p;
  const letter_t *l = row;
  rq_t *rq = c->rq;
  int mine = l->author_id == rq->s.user.id;
  if (mine != c->mine) return;
  sb_t *o = c->o;
  if (!c->n++) sb_puts(o, "<ul class=\"plain\">\n");
  sb_markup(o, "<li class=\"card letter\" id=\"l-%D\"><h3>%s</h3>\n<p class=\"meta\">", l->id, kind_name(l->kind));
  if (l->given_at) {
    sb_markup(o, "%s ", mine ? _("Given on") : _("Given to you on"));
    page_time(o, l->given_at);
  } else {
    sb_text(o, "Draft, only you see it · saved ");
    page_time(o, l->updated_at);
  }
  sb_puts(o, "</p>\n");
  if (mine) own_html(rq, o, l);
  else received_html(rq, o, l);
  sb_puts(o, "</li>\n");
}

typedef struct { const char *err, *field; } lform;

static void write_form(rq_t *rq, sb_t *o, const lform *f) {
  const user_t *me = &rq->s.user;
  const char *vals[4], *names[4];
  int n = 0;
  for (int i = 0; kinds[i]; i++)
    if (!not_theirs(me, kinds[i])) { vals[n] = kinds[i]; names[n] = kind_names[i]; n++; }
  vals[n] = names[n] = NULL;
  const char *err_kind = f && f->field && !strcmp(f->field, "kind") ? f->err : NULL;
  sb_text(o, "<form method=\"post\" action=\"/letters\" class=\"card\">\n<h2>Write a letter</h2>\n");
  form_csrf(rq, o);
  const char *sel = f ? web_form_text(rq, "kind") : NULL;
  if (!sel) sel = !strcmp(me->path, "hurt") ? "impact" : "disclosure";
  form_select(o, "kind", "Which letter", vals, names, sel, err_kind);
  form_textarea(o, "body", "The letter", f ? web_form_text(rq, "body") : NULL,
                N_("A disclosure: the facts, plainly, answering what was asked; no reasons, no blame. An impact letter: what "
                "it did to you, then and now. A restitution letter: what you understand of that, and what you will do."),
                f && f->field && !strcmp(f->field, "body") ? f->err : NULL, 8, 1);
  if (!strcmp(me->path, "hurt")) {
    sb_text(o, "<button type=\"submit\">Keep it as a draft</button>\n</form>\n");
    return;
  }
  form_textarea(o, "more", "Further detail (a disclosure only)", f ? web_form_text(rq, "more") : NULL,
                N_("Kept apart: your partner chooses before reading whether they want it."),
                f && f->field && !strcmp(f->field, "more") ? f->err : NULL, 4, 0);
  sb_text(o, "<button type=\"submit\">Keep it as a draft</button>\n</form>\n");
}

static void destroy_section(rq_t *rq, sb_t *o, int any) {
  int64_t who[2];
  int n = 0;
  letters_destroy_asked(rq->db, rq->s.user.couple_id, who, &n);
  int mine = 0, theirs = 0;
  for (int i = 0; i < n; i++) {
    if (who[i] == rq->s.user.id) mine = 1;
    else theirs = 1;
  }
  sb_text(o, "<section class=\"card\" aria-labelledby=\"ld-h\">\n<h2 id=\"ld-h\">Destroy them together</h2>\n"
             "<p>Some couples end this part by letting the letters go. When both of you ask, every letter here is erased "
             "for good, drafts too; only a line in your ledger says that they existed and that you destroyed them "
             "together.</p>\n");
  if (theirs && !mine) sb_html(o, "<p><strong>%s asks to destroy the letters.</strong></p>\n", web_partner_name(rq));
  if (mine) {
    sb_html(o, "<p>You asked; they are destroyed once %s asks too.</p>\n", web_partner_name(rq));
    sb_puts(o, "<form method=\"post\" action=\"/letters/destroy/withdraw\">");
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Keep them after all</button></form>\n");
  } else if (any) {
    sb_puts(o, "<form method=\"post\" action=\"/letters/destroy\">");
    form_csrf(rq, o);
    sb_markup(o, "<button type=\"submit\" class=\"secondary\">%s</button></form>\n",
            theirs ? _("Destroy them now, together") : _("Ask to destroy them"));
  }
  sb_puts(o, "</section>\n");
}

static int render(rq_t *rq, int status, const lform *f) {
  sb_t *o = page_start(rq, "Letters",
                      N_("Three letters, written slowly and read when ready. The partner who broke trust writes a "
                      "disclosure: what happened, the facts first, answering what was asked. The partner who was hurt "
                      "writes what it did to them. The restitution letter answers that. A draft is yours alone until "
                      "you give it; take the time it needs."));
  if (f && f->err) page_error_notice(o, f->err);
  else page_saved_notice(rq, o);
  int any = 0;
  for (int mine = 0; mine < 2; mine++) {
    if (mine) write_form(rq, o, f);
    sb_markup(o, "<section aria-labelledby=\"lt%d-h\">\n<h2 id=\"lt%d-h\">", mine, mine);
    if (mine) sb_text(o, "Yours");
    else sb_html(o, "Given to you by %s", web_partner_name(rq));
    sb_puts(o, "</h2>\n");
    lctx c = {rq, o, 0, mine, NULL};
    if (letters_list(rq->db, rq->s.user.couple_id, rq->s.user.id, letter_html, &c) != DB_OK) return web_db_error(rq);
    if (c.n) sb_puts(o, "</ul>\n");
    else sb_markup(o, "<p class=\"muted\">%s</p>\n", mine ? _("No letter yet.") : _("Nothing given to you yet."));
    sb_puts(o, "</section>\n");
    any += c.n;
  }
  if (web_partner(rq)) destroy_section(rq, o, any);
  return page_end(rq, o, status);
}

static int h_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL); }

static int form_again(rq_t *rq, const verdict *v) {
  lform f = {v->message, v->field};
  return render(rq, 200, &f);
}

/* The draft's words (the letter, U+001E, the more detail), sealed with the author's key: the
   sealed bytes in the request's pool, or NULL (answered: this session cannot seal). */
static const unsigned char *seal_words(rq_t *rq, int64_t id, const char *body, const char *more, size_t *n) {
  sb_t w;
  sb_init(&w, strlen(body) + strlen(more) + 2);
  sb_puts(&w, body);
  if (*more) { sb_putc(&w, '\x1e'); sb_puts(&w, more); }
  const unsigned char *sealed = web_seal(rq, "letters", id, w.buf, w.len, n);
  sb_free(&w);
  if (!sealed) web_locked(rq);
  return sealed;
}

static verdict read_words(rq_t *rq, json_t *j, const char *kind, const char **body, const char **more) {
  size_t n, mn;
  verdict v = web_check_text(rq, j, "body", LETTER_MAX, 1, body, &n);
  verdict vm = web_check_text(rq, j, "more", MORE_MAX, 0, more, &mn);
  if (!v.status) v = vm;
  if (!v.status && *more && mn && strcmp(kind, "disclosure"))
    v = refuse_field("more", "Further detail belongs to a disclosure only.");
  if (!*more || strcmp(kind, "disclosure")) *more = "";
  return v;
}

static int add(rq_t *rq, json_t *j) {
  size_t kn;
  int bad = 0;
  const char *kind = web_text(rq, j, "kind", &kn, &bad), *body = NULL, *more = NULL;
  verdict v = VERDICT_OK;
  int known = 0;
  for (int i = 0; kind && kinds[i]; i++) known |= !strcmp(kinds[i], kind);
  if (bad || !known) v = refuse_field("kind", "Choose the letter: a disclosure, an impact letter or a restitution letter.");
  else if (not_theirs(&rq->s.user, kind)) return web_error(rq, 403, "not_yours", not_theirs(&rq->s.user, kind), "kind");
  verdict vw = read_words(rq, j, known ? kind : "disclosure", &body, &more);
  if (!v.status) v = vw;
  if (v.status) return web_refuse(rq, v, form_again);
  letter_t l = {.id = secret_id(), .author_id = rq->s.user.id, .created_at = web_now(), .heard = -1};
  snprintf(l.kind, sizeof l.kind, "%s", kind);
  l.updated_at = l.created_at;
  if (!(l.sealed = seal_words(rq, l.id, body, more, &l.sealed_n))) return 0;
  if (letters_add(rq->db, rq->s.user.couple_id, &l) != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/letters?saved=private");
  sb_t *o = web_out(rq);
  letter_json(rq, o, &l);
  return web_created(rq, o, "/api/v1/letters", l.id);
}

/* The letter as it now is, for an action's answer. */
static int answer_one(rq_t *rq, int64_t id) {
  sb_t *o = web_out(rq);
  web_list l;
  web_list_one(rq, &l, o, id);
  lctx c = {rq, o, 0, 0, &l};
  if (letters_list(rq->db, rq->s.user.couple_id, rq->s.user.id, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

static int find(rq_t *rq, letter_t *l) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || letters_get(rq->db, rq->s.user.couple_id, rq->s.user.id, id, l) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no such letter.", NULL), -1;
  return 0;
}

static int edit(rq_t *rq, json_t *j) {
  letter_t l;
  if (find(rq, &l) != 0) return 0;
  if (l.author_id != rq->s.user.id) return web_error(rq, 403, "not_yours", "Only its writer changes a letter.", NULL);
  if (l.given_at) return web_error(rq, 409, "delivered", "This letter was given; it stays as it was.", NULL);
  const char *body, *more;
  verdict v = read_words(rq, j, l.kind, &body, &more);
  if (v.status) return web_refuse(rq, v, form_again);
  size_t sn;
  const unsigned char *sealed = seal_words(rq, l.id, body, more, &sn);
  if (!sealed) return 0;
  int rc = letters_edit(rq->db, rq->s.user.couple_id, l.id, sealed, sn, web_now());
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "delivered", "This letter was given; it stays as it was.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/letters?saved=private");
  return answer_one(rq, l.id);
}

/* A draft's words opened by its author, in the request's pool. */
typedef struct { rq_t *rq; const char *body, *more; } opened;
static void open_words(void *p, const void *row) {
  opened *w = p;
  const letter_t *l = row;
  words(w->rq, l, &w->body, &w->more);
  if (w->body) w->body = h2o_strdup(&w->rq->req->pool, w->body, SIZE_MAX).base;
  if (w->more) w->more = h2o_strdup(&w->rq->req->pool, w->more, SIZE_MAX).base;
}

static int give(rq_t *rq, json_t *j) {
  (void)j;
  letter_t l;
  if (find(rq, &l) != 0) return 0;
  if (l.author_id != rq->s.user.id) return web_error(rq, 403, "not_yours", "Only its writer gives a letter.", NULL);
  if (l.given_at) return web_error(rq, 409, "delivered", "This letter was given already.", NULL);
  const user_t *p = web_partner(rq);
  if (!p || p->deleted_at) return web_error(rq, 409, "no_partner", "A letter is given to your partner, once they have joined.", NULL);
  if (is(&l, "restitution")) {
    int got = letters_given_by(rq->db, rq->s.user.couple_id, p->id, "impact");
    if (got < 0) return web_db_error(rq);
    if (!got)
      return web_error(rq, 409, "not_yet", "A restitution letter answers an impact letter: give it once your partner has given theirs.",
                       NULL);
  }
  /* the draft's words, opened by its author, are given open */
  opened w = {rq, NULL, NULL};
  int rc = letters_own(rq->db, rq->s.user.couple_id, rq->s.user.id, l.id, open_words, &w);
  if (rc != DB_ROW) return web_db_error(rq);
  if (!w.body || !w.more) return web_locked(rq);
  char action[64];
  snprintf(action, sizeof action, "/letters/%lld/give", (long long)l.id);
  enum coach_kind ck;
  if (coach_kind(&l, &ck) && page_give_anyway(rq, w.body, ck, action, "/letters")) return 0;
  rc = letters_give(rq->db, rq->s.user.couple_id, l.id, w.body, w.more, web_now());
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "delivered", "This letter was given already.", NULL);
  char summary[96];
  snprintf(summary, sizeof summary, "%s was given.", kind_english(l.kind));
  if (rc == DB_OK) rc = ledger_append(rq->db, rq->s.user.couple_id, rq->s.user.id, "letter_given", l.id, summary, web_now());
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/letters?saved=shared");
  return answer_one(rq, l.id);
}

/* The reader's answers: {"detail":"facts"|"more"} (a disclosure, before reading or to read the
   more detail later), {"read":true}, {"heard":bool} (not yet, then heard). */
static int respond(rq_t *rq, json_t *j) {
  letter_t l;
  if (find(rq, &l) != 0) return 0;
  if (l.author_id == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "This is your own letter: your partner is the one to answer it.", NULL);
  size_t n;
  int bad = 0, bad_r = 0;
  const char *detail = web_text(rq, j, "detail", &n, &bad);
  int64_t heard = -1;
  int has_heard = web_int(rq, j, "heard", &heard);
  if (j) {
    json_t *h = json_object_get(j, "heard");
    has_heard = h && !json_is_null(h) ? (json_is_boolean(h) ? 1 : -1) : 0;
    if (has_heard > 0) heard = json_is_true(h);
  }
  int read = web_flag(rq, j, "read", &bad_r);
  int64_t now = web_now();
  int rc;
  if (detail || bad) {
    if (bad || (strcmp(detail, "facts") && strcmp(detail, "more")))
      return web_error(rq, 422, "invalid", "Choose the facts only, or the facts and the further detail.", "detail");
    if (!is(&l, "disclosure")) return web_error(rq, 422, "invalid", "Only a disclosure has detail to choose.", "detail");
    if (l.detail[0] && !(strcmp(l.detail, "facts") == 0 && !strcmp(detail, "more")))
      return web_error(rq, 409, "answered", "You chose already.", NULL);
    rc = letters_choose_detail(rq->db, rq->s.user.couple_id, l.id, detail, now);
  } else if (has_heard) {
    if (has_heard < 0 || heard < 0 || heard > 1) return web_error(rq, 422, "invalid", "Heard is true or false.", "heard");
    if (!l.read_at) return web_error(rq, 409, "not_yet", "Say you read it first.", NULL);
    if (l.heard == 1) return web_error(rq, 409, "answered", "You said you feel heard already.", NULL);
    if (l.heard == 0 && !heard) return web_error(rq, 409, "answered", "You said not yet already.", NULL);
    rc = letters_mark_heard(rq->db, rq->s.user.couple_id, l.id, (int)heard, now);
  } else if (read || bad_r) {
    if (bad_r || !read) return web_error(rq, 422, "invalid", "Read is true.", "read");
    if (l.read_at) return web_error(rq, 409, "answered", "You said you read it already.", NULL);
    if (is(&l, "disclosure") && !l.detail[0]) return web_error(rq, 409, "not_yet", "Choose how much you want to know first.", NULL);
    rc = letters_mark_read(rq->db, rq->s.user.couple_id, l.id, now);
  } else {
    return web_error(rq, 422, "invalid", "Say how much detail you want, that you read it, or whether you feel heard.", "read");
  }
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "answered", "That was answered a moment ago.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/letters");
  return answer_one(rq, l.id);
}

static void destroy_json(rq_t *rq, sb_t *o, int destroyed, int64_t count) {
  int64_t who[2];
  int n = 0;
  letters_destroy_asked(rq->db, rq->s.user.couple_id, who, &n);
  sb_puts(o, "{\"asked_by\":[");
  for (int i = 0; i < n; i++) sb_json(o, "%r%D", i ? "," : "", who[i]);
  sb_json(o, "],\"destroyed\":%r,\"count\":%D}", destroyed ? "true" : "false", count);
}

/* Asks to destroy every letter; the second partner's asking destroys them, at once. */
static int destroy(rq_t *rq, json_t *j) {
  (void)j;
  const user_t *p = web_partner(rq);
  if (!p || p->deleted_at) return web_error(rq, 409, "no_partner", "The letters are destroyed by both of you together.", NULL);
  int64_t who[2], count = 0;
  int n = 0, other = 0;
  if (letters_destroy_asked(rq->db, rq->s.user.couple_id, who, &n) != DB_OK) return web_db_error(rq);
  for (int i = 0; i < n; i++) other |= who[i] == p->id;
  int rc;
  if (other) {
    rc = letters_destroy_all(rq->db, rq->s.user.couple_id, &count);
    char summary[96];
    snprintf(summary, sizeof summary, "%lld letter%s destroyed, as both asked.", (long long)count, count == 1 ? "" : "s");
    if (rc == DB_OK) rc = ledger_append(rq->db, rq->s.user.couple_id, rq->s.user.id, "letters_destroyed", 0, summary, web_now());
    rq->wipe_wal = 1;
  } else {
    rc = letters_destroy_ask(rq->db, rq->s.user.couple_id, rq->s.user.id, web_now());
  }
  if (rc != DB_OK) return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/letters");
  sb_t *o = web_out(rq);
  destroy_json(rq, o, other, count);
  return web_json(rq, 200, o);
}

static int withdraw(rq_t *rq, json_t *j) {
  (void)j;
  int rc = letters_destroy_withdraw(rq->db, rq->s.user.couple_id, rq->s.user.id);
  if (rc == DB_DONE && rq->api) return web_error(rq, 404, "not_found", "You had not asked to destroy the letters.", NULL);
  if (rc != DB_OK && rc != DB_DONE) return web_db_error(rq);
  return rq->api ? web_no_content(rq) : web_redirect(rq, "/letters");
}

static int h_api_destroy(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  destroy_json(rq, o, 0, 0);
  return web_json(rq, 200, o);
}

static int h_api_list(rq_t *rq, json_t *j) {
  (void)j;
  web_list l;
  lctx c = {rq, web_out(rq), 0, 0, &l};
  if (web_list_open(rq, &l, c.o, "letters") != 0) return 0;
  if (letters_list(rq->db, rq->s.user.couple_id, rq->s.user.id, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t letters_routes[] = {
  {"GET", "/letters", h_page, R_AUTH, "letters"},
  TWIN("POST", "/letters", add, R_AUTH | R_BODY, "letters"),
  TWIN("POST", "/letters/destroy", destroy, R_AUTH, "letters_destroy"),
  {"POST", "/letters/destroy/withdraw", withdraw, R_AUTH | R_CSRF, "letters_destroy"},
  {"GET", "/api/v1/letters/destroy", h_api_destroy, R_AUTH, "api_letters_destroy"},
  {"DELETE", "/api/v1/letters/destroy", withdraw, R_AUTH, "api_letters_destroy"},
  {"POST", "/letters/{id}", edit, R_AUTH | R_CSRF | R_BODY, "letter"},
  {"PATCH", "/api/v1/letters/{id}", edit, R_AUTH | R_BODY, "api_letter"},
  TWIN("POST", "/letters/{id}/give", give, R_AUTH, "letter_give"),
  TWIN("POST", "/letters/{id}/response", respond, R_AUTH | R_BODY, "letter_response"),
  {"GET", "/api/v1/letters", h_api_list, R_AUTH | R_LIST, "api_letters"},
  {"GET", "/api/v1/letters/{id}", h_api_list, R_AUTH, "api_letter"},
  {NULL, NULL, NULL, 0, NULL},
};
