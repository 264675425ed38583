/* agreements.c (web): agreements both sign. A proposal becomes active when the other partner
   signs it; a revision is a new version that replaces the active one only once signed; an
   agreement is retired when both ask. Every step lands in the ledger. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/commitments.h"
#include "core/validate.h"
#include "core/word_diff.h"
#include "db/agreements.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct { rq_t *rq; sb_t *o; int n, section; web_list *l; } agctx;

static const char *category_name(const char *c) {
  int i = c ? one_of(c, strlen(c), ag_categories) : -1;
  return i >= 0 ? _(ag_category_names[i]) : _("Something else");
}

/* The second signer is the partner who did not propose. */
static int64_t second_signer(rq_t *rq, const agreement_t *a) {
  if (!a->other_signed_at) return 0;
  if (a->proposed_by != rq->s.user.id) return rq->s.user.id;
  const user_t *p = web_partner(rq);
  return p ? p->id : 0;
}

static void ag_json(rq_t *rq, sb_t *o, const agreement_t *a) {
  char at[ISO_TIME_CHARS], act[ISO_TIME_CHARS], ret[ISO_TIME_CHARS];
  iso_time(a->created_at, at);
  iso_time(a->activated_at, act);
  iso_time(a->retired_at, ret);
  sb_json(o, "{\"id\":%D,\"root_id\":%D,\"version\":%D,\"title\":%q,\"text\":%q,\"category\":%q,\"status\":%q,"
             "\"by\":%D,\"signed_by\":[%D",
          a->id, a->root_id, a->version, a->title, a->text, a->category, a->declined_at ? "declined" : ag_status_names[a->status],
          a->proposed_by, a->proposed_by);
  int64_t second = second_signer(rq, a);
  if (second) sb_json(o, ",%D", second);
  sb_json(o, "],\"created_at\":%q,\"activated_at\":%q,\"retire_asked_by\":", at, a->activated_at ? act : NULL);
  if (a->retire_asked_by) sb_json(o, "%D", a->retire_asked_by); else sb_puts(o, "null");
  sb_json(o, ",\"retired_at\":%q,\"declined\":", a->retired_at ? ret : NULL);
  char when[ISO_TIME_CHARS];
  iso_time(a->declined_at, when);
  if (a->declined_at) sb_json(o, "{\"by\":%D,\"reason\":%q,\"at\":%q}", a->declined_by, a->decline_reason ? a->decline_reason : "", when);
  else sb_puts(o, "null");
  iso_time(a->withdrawn_at, when);
  if (a->withdrawn_at)
    sb_json(o, ",\"retire_withdrawn\":{\"by\":%D,\"reason\":%q,\"at\":%q}", a->withdrawn_by, a->withdrawn_reason ? a->withdrawn_reason : "",
            when);
  else sb_puts(o, ",\"retire_withdrawn\":null");
  /* the review: its day, and this round's choices: the caller's own, and only whether the
     partner chose (what they chose is said when the round closes, in the ledger) */
  if (a->review_on) {
    char day[DAY_CHARS];
    day_format(a->review_on, day);
    int proposer = a->proposed_by == rq->s.user.id;
    const char *mine = proposer ? a->review_proposer : a->review_other, *theirs = proposer ? a->review_other : a->review_proposer;
    sb_json(o, ",\"review_on\":%q,\"review\":{\"mine\":%q,\"partner_chose\":%r}}", day, *mine ? mine : NULL,
            *theirs ? "true" : "false");
  } else {
    sb_puts(o, ",\"review_on\":null,\"review\":null}");
  }
}

static void list_json(void *p, const void *row) {
  const agreement_t *a = row;
  agctx *c = p;
  const char *sep = web_list_take_id(c->l, a->id);
  if (!sep) return;
  sb_puts(c->o, sep);
  ag_json(c->rq, c->o, a);
}

/* section 0: active; 1: waiting for me; 2: waiting for my partner; 3: history */
static int section_of(rq_t *rq, const agreement_t *a) {
  if (a->status == AG_ACTIVE) return 0;
  if (a->status == AG_PROPOSED) return a->proposed_by == rq->s.user.id ? 2 : 1;
  return 3;
}

/* A revision's words, with what it changes from the version before marked word by word. */
typedef struct { sb_t *o; } diff_out;
static void diff_html_piece(void *p, enum wd_op op, const char *t, size_t n) {
  sb_t *o = ((diff_out *)p)->o;
  sb_puts(o, op == WD_ADDED ? "<ins>" : op == WD_REMOVED ? "<del>" : "");
  for (size_t i = 0; i < n; i++) {
    if (t[i] == '\n') sb_puts(o, "<br>\n");
    else if (t[i] != '\r') sb_esc_html(o, t + i, 1);
  }
  sb_puts(o, op == WD_ADDED ? "</ins>" : op == WD_REMOVED ? "</del>" : "");
}

static void change_html(rq_t *rq, sb_t *o, const agreement_t *a) {
  const char *before = NULL;
  if (agreements_version_text(rq->db, rq->s.user.couple_id, a->root_id, a->version - 1, &rq->mem, &before) != DB_ROW || !before) {
    page_text(o, a->text);
    return;
  }
  sb_html(o, "<p class=\"meta\">What changes from version %D: removed words struck through, new words underlined.</p>\n"
             "<p class=\"diff\">", a->version - 1);
  diff_out d = {o};
  if (word_diff(before, a->text, diff_html_piece, &d) != 0) sb_markup(o, "%s", a->text);
  sb_puts(o, "</p>\n");
}

/* The review: its day, and on or after it the three choices (keep, a lighter version, end). */
static void review_html(rq_t *rq, sb_t *o, const agreement_t *a) {
  int64_t today = web_today(&rq->s.user);
  int proposer = a->proposed_by == rq->s.user.id;
  const char *mine = proposer ? a->review_proposer : a->review_other, *theirs = proposer ? a->review_other : a->review_proposer;
  sb_text(o, "<p class=\"meta\">To review together on ");
  day_html(o, a->review_on, today);
  sb_puts(o, "</p>\n");
  if (a->review_on > today) return;
  if (*mine) {
    sb_html(o, "<p class=\"muted\">You said %s at this review; %s</p>\n",
            !strcmp(mine, "keep") ? _("keep it") : !strcmp(mine, "end") ? _("end it") : _("loosen it"),
            *theirs ? "" : _("it closes when your partner has said too."));
    return;
  }
  char id[40];
  snprintf(id, sizeof id, "lo-%lld", (long long)a->id);
  sb_html(o, "<form method=\"post\" action=\"/agreements/%D/review\" class=\"review\">\n<fieldset><legend>Its review is due: "
             "keep it as it is, loosen it, or end it?</legend>\n", a->id);
  form_csrf(rq, o);
  sb_html(o, "<label for=\"%s\">A lighter version, if you would loosen it</label>\n<textarea id=\"%s\" name=\"text\" rows=\"3\">"
             "</textarea>\n<button type=\"submit\" name=\"choice\" value=\"keep\" class=\"secondary\">Keep it</button>\n"
             "<button type=\"submit\" name=\"choice\" value=\"loosen\" class=\"secondary\">Loosen it</button>\n"
             "<button type=\"submit\" name=\"choice\" value=\"end\" class=\"secondary\">End it</button>\n</fieldset></form>\n", id, id);
}

static void ag_html(void *p, const void *row) {
  const agreement_t *a = row;
  agctx *c = p;
  rq_t *rq = c->rq;
  sb_t *o = c->o;
  if (section_of(rq, a) != c->section) return;
  c->n++;
  sb_html(o, "<article class=\"card agreement\" id=\"ag-%D\">\n<h3>%s</h3>\n<p class=\"meta\">%s · version %D · ",
          a->id, a->title, category_name(a->category), a->version);
  switch (a->status) {
    case AG_ACTIVE: sb_text(o, "in force since "); page_time(o, a->activated_at); break;
    case AG_PROPOSED: sb_html(o, "proposed by %s on ", web_who(rq, a->proposed_by)); page_time(o, a->created_at); break;
    case AG_SUPERSEDED: sb_text(o, "replaced by a newer version"); break;
    case AG_RETIRED:
      if (a->declined_at) { sb_html(o, "declined by %s on ", web_who(rq, a->declined_by)); page_time(o, a->declined_at); }
      else { sb_text(o, "retired on "); page_time(o, a->retired_at); }
      break;
  }
  sb_puts(o, "</p>\n");
  if (a->status == AG_PROPOSED && a->version > 1) change_html(rq, o, a);
  else page_text(o, a->text);
  if (a->declined_at && a->decline_reason && *a->decline_reason)
    sb_html(o, "<blockquote><p class=\"meta\">Why</p><p>%s</p></blockquote>\n", a->decline_reason);
  if (a->status == AG_PROPOSED && a->proposed_by != rq->s.user.id) {
    sb_markup(o, "<form method=\"post\" action=\"/agreements/%D/sign\">", a->id);
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\">Sign it</button></form>\n");
    char id[40], rid[40];
    snprintf(id, sizeof id, "dec-%lld", (long long)a->id);
    snprintf(rid, sizeof rid, "ctr-%lld", (long long)a->id);
    sb_html(o, "<details><summary>Decline, or say it differently</summary>\n<form method=\"post\" action=\"/agreements/%D/decline\">",
            a->id);
    form_csrf(rq, o);
    sb_html(o, "<label for=\"%s\">Why not (%s sees this)</label>\n<textarea id=\"%s\" name=\"reason\" rows=\"2\" required>"
               "</textarea>\n<button type=\"submit\" class=\"secondary\">Decline it</button></form>\n",
            id, web_partner_name(rq), id);
    sb_markup(o, "<form method=\"post\" action=\"/agreements/%D/revisions\">", a->id);
    form_csrf(rq, o);
    sb_html(o, "<label for=\"%s\">Or propose other words</label>\n<textarea id=\"%s\" name=\"text\" rows=\"4\" required>\n%s"
               "</textarea>\n<button type=\"submit\" class=\"secondary\">Propose these words instead</button></form>\n</details>\n",
            rid, rid, a->text);
  }
  if (a->status == AG_ACTIVE && a->review_on) review_html(rq, o, a);
  if (a->status == AG_ACTIVE) {
    if (a->withdrawn_at && a->withdrawn_by != rq->s.user.id && !a->retire_asked_by && a->withdrawn_reason)
      sb_html(o, "<p class=\"meta\">%s no longer asks to retire this: %s</p>\n", web_who(rq, a->withdrawn_by), a->withdrawn_reason);
    if (a->retire_asked_by == rq->s.user.id) {
      sb_text(o, "<p class=\"muted\">You asked to retire this. It stays in force until your partner agrees.</p>\n");
      char wid[40];
      snprintf(wid, sizeof wid, "wd-%lld", (long long)a->id);
      sb_html(o, "<details><summary>Take the request back</summary>\n<form method=\"post\" action=\"/agreements/%D/retire/withdraw\">",
              a->id);
      form_csrf(rq, o);
      sb_html(o, "<label for=\"%s\">Why (%s sees this)</label>\n<textarea id=\"%s\" name=\"reason\" rows=\"2\" required></textarea>\n"
                 "<button type=\"submit\" class=\"secondary\">Keep it in force</button></form>\n</details>\n",
              wid, web_partner_name(rq), wid);
    } else {
      if (a->retire_asked_by) sb_html(o, "<p><strong>%s asked to retire this.</strong></p>\n", web_who(rq, a->retire_asked_by));
      sb_markup(o, "<form method=\"post\" action=\"/agreements/%D/retire\">", a->id);
      form_csrf(rq, o);
      sb_markup(o, "<button type=\"submit\" class=\"secondary\">%s</button></form>\n",
              a->retire_asked_by ? _("Agree to retire it") : _("Ask to retire it"));
    }
    char id[40];
    snprintf(id, sizeof id, "rev-%lld", (long long)a->id);
    sb_html(o, "<details><summary>Propose a change</summary>\n<form method=\"post\" action=\"/agreements/%D/revisions\">", a->id);
    form_csrf(rq, o);
    sb_html(o, "<label for=\"%s\">The new wording</label>\n<textarea id=\"%s\" name=\"text\" rows=\"4\" required>\n%s</textarea>\n"
               "<button type=\"submit\">Propose this version</button></form>\n</details>\n", id, id, a->text);
  }
  sb_puts(o, "</article>\n");
}

static int render(rq_t *rq, int status, const char *err, const char *field, const char *title, const char *text, const char *cat) {
  const char *pname = web_partner_name(rq);
  sb_t *o = page_start(rq, "Agreements",
                      N_("Boundaries you both choose: how open you will be, contact with a "
                      "third person, privacy and space, deal-breakers. An agreement is in force only when both of you have "
                      "signed it, and every signature is kept in the <a href=\"/ledger\">ledger</a>."));
  page_error_notice(o, err);
  static const char *heads[] = {N_("In force"), N_("Waiting for your signature"), N_("Waiting for %s"), N_("History")};
  for (int s = 0; s < 4; s++) {
    sb_markup(o, "<section aria-labelledby=\"ag%d-h\">\n<h2 id=\"ag%d-h\">", s, s);
    if (s == 2) sb_html(o, "Waiting for %s", pname); else sb_markup(o, "%s", _(heads[s]));
    sb_puts(o, "</h2>\n");
    agctx c = {rq, o, 0, s, NULL};
    if (agreements_list(rq->db, rq->s.user.couple_id, ag_html, &c) != DB_OK) return web_db_error(rq);
    if (!c.n) sb_markup(o, "<p class=\"muted\">%s</p>\n", s == 0 ? _("No agreement is in force yet.") : _("None."));
    sb_puts(o, "</section>\n");
  }
  if (page_alone(rq, o, "An agreement")) return page_end(rq, o, status);
  /* "Start from it": a template's words in the form, to make the couple's own */
  char use[16];
  if (!text && web_query(rq, "use", use, sizeof use) > 0) {
    const prompt_t *t = prompt_by_id((uint32_t)strtoul(use, NULL, 10));
    if (t && !strcmp(t->kind, "agreement")) {
      text = _(t->text);
      if (!cat) cat = "transparency";
    }
  }
  sb_html(o, "<form method=\"post\" action=\"/agreements\" class=\"card\">\n<h2>Propose an agreement</h2>\n");
  form_csrf(rq, o);
  page_prompt(rq, o, "agreement", "One many couples start from:", "prompt");
  form_field(o, "title", "Title", "text", title, "off", NULL, field && !strcmp(field, "title") ? err : NULL);
  form_textarea(o, "text", "What you both agree to", text, NULL, field && !strcmp(field, "text") ? err : NULL, 4, 1);
  form_select(o, "category", "Kind", ag_categories, ag_category_names, cat, field && !strcmp(field, "category") ? err : NULL);
  form_optional(o, "review_on", "Review it together on (if you like)", "date", field ? web_form_text(rq, "review_on") : NULL,
             N_("Transparency is agreed for a while: on that day you each say keep, loosen or end."),
             field && !strcmp(field, "review_on") ? err : NULL);
  sb_html(o, "<button type=\"submit\">Propose and sign</button>\n</form>\n");
  return page_end(rq, o, status);
}

static int h_agreements_page(rq_t *rq, json_t *j) { (void)j; return render(rq, 200, NULL, NULL, NULL, NULL, NULL); }

/* The page again after a refused proposal, with what was sent. */
static int form_again(rq_t *rq, const verdict *v) {
  return render(rq, 200, v->message, v->field, web_form_text(rq, "title"), web_form_text(rq, "text"), web_form_text(rq, "category"));
}

/* After a refused revision: its message (the revision's form is the agreement's own). */
static int revision_again(rq_t *rq, const verdict *v) { return render(rq, 200, v->message, v->field, NULL, NULL, NULL); }

/* Answers with one agreement as JSON. */
static int one(rq_t *rq, int64_t id, int status) {
  agreement_t a;
  if (agreements_get(rq->db, rq->s.user.couple_id, id, &a, &rq->mem) != DB_ROW) return web_db_error(rq);
  sb_t *o = web_out(rq);
  ag_json(rq, o, &a);
  if (status == 201) return web_created(rq, o, "/api/v1/agreements", id);
  return web_json(rq, status, o);
}

static int propose(rq_t *rq, json_t *j) {
  if (web_needs_partner(rq, "An agreement")) return 0;
  size_t tn = 0, xn = 0, cn = 0;
  int bc = 0;
  const char *t, *x, *cat = web_text(rq, j, "category", &cn, &bc);
  verdict v = web_check_text(rq, j, "title", AGREEMENT_TITLE_MAX, 1, &t, &tn), vx = web_check_text(rq, j, "text", AGREEMENT_MAX, 1, &x, &xn);
  if (!v.status && memchr(t, '\n', tn)) v = refuse_field("title", "A title is one line of text.");
  if (!v.status) v = vx;
  if (!v.status && (bc || !cat || one_of(cat, cn, ag_categories) < 0)) v = refuse_field("category", "Choose one of the kinds in the list.");
  int64_t review = 0;
  size_t rn = 0;
  int br = 0;
  const char *rv = web_text(rq, j, "review_on", &rn, &br);
  if (!v.status && (br || (rv && rn && (day_parse(rv, rn, &review) != 0 || review <= web_today(&rq->s.user)))))
    v = refuse_field("review_on", "A review date is a day to come, like 2027-03-01.");
  if (v.status) return web_refuse(rq, v, form_again);
  int64_t id;
  if (agreements_propose(rq->db, rq->s.user.couple_id, rq->s.user.id, rq->s.user.display_name, 0, 1, t, x, cat, web_now(), &id) != DB_OK ||
      (review && agreements_set_review(rq->db, rq->s.user.couple_id, id, review) != DB_OK))
    return web_db_error(rq);
  if (!rq->api) return web_redirect(rq, "/agreements");
  return one(rq, id, 201);
}

static int load(rq_t *rq, agreement_t *a) {
  int64_t id = web_param_id(rq, 0);
  if (id < 0 || agreements_get(rq->db, rq->s.user.couple_id, id, a, &rq->mem) != DB_ROW) {
    web_error(rq, 404, "not_found", "There is no such agreement.", NULL);
    return 0;
  }
  return 1;
}


static int sign(rq_t *rq, json_t *j) {
  (void)j;
  agreement_t a;
  if (!load(rq, &a)) return 0;
  verdict v = ag_can_sign(a.status, a.proposed_by, rq->s.user.id, a.other_signed_at != 0);
  int rc;
  if (v.status) rc = web_refuse(rq, v, NULL);
  else if (agreements_sign(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, web_now()) != DB_OK)
    rc = web_db_error(rq);
  else rc = rq->api ? one(rq, a.id, 200) : web_redirect(rq, "/agreements");
  return rc;
}

static int revise(rq_t *rq, json_t *j) {
  agreement_t a;
  if (!load(rq, &a)) return 0;
  int rc;
  size_t xn = 0;
  const char *x;
  verdict vx = web_check_text(rq, j, "text", AGREEMENT_MAX, 1, &x, &xn);
  if (a.status == AG_PROPOSED && a.proposed_by != rq->s.user.id) {
    /* the partner asked to sign answers with other words of their own */
    if (vx.status) return web_refuse(rq, vx, revision_again);
    int64_t id;
    rc = agreements_counter(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, x, web_now(), &id);
    if (rc == DB_OK && a.review_on) rc = agreements_set_review(rq->db, rq->s.user.couple_id, id, a.review_on);
    if (rc == DB_CONSTRAINT) return web_error(rq, 409, "not_proposed", "This proposal was settled a moment ago.", NULL);
    if (rc != DB_OK) return web_db_error(rq);
    return rq->api ? one(rq, id, 201) : web_redirect(rq, "/agreements");
  }
  verdict v = ag_can_revise(a.status, agreements_pending_revision(rq->db, rq->s.user.couple_id, a.root_id));
  if (v.status) rc = web_refuse(rq, v, NULL);
  else if (vx.status) rc = web_refuse(rq, vx, revision_again);
  else {
    int64_t id;
    /* a revision keeps the title and the kind; the wording is new */
    if (agreements_propose(rq->db, rq->s.user.couple_id, rq->s.user.id, rq->s.user.display_name, a.root_id, a.version + 1,
                   a.title, x, a.category, web_now(), &id) != DB_OK ||
        (a.review_on && agreements_set_review(rq->db, rq->s.user.couple_id, id, a.review_on) != DB_OK))
      rc = web_db_error(rq);
    else rc = rq->api ? one(rq, id, 201) : web_redirect(rq, "/agreements");
  }
  return rc;
}

static int retire(rq_t *rq, json_t *j) {
  (void)j;
  agreement_t a;
  if (!load(rq, &a)) return 0;
  int complete, rc;
  verdict v = ag_can_retire(a.status, a.retire_asked_by, rq->s.user.id, &complete);
  if (v.status) rc = web_refuse(rq, v, NULL);
  else if (agreements_retire(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, complete, web_now()) != DB_OK)
    rc = web_db_error(rq);
  else rc = rq->api ? one(rq, a.id, 200) : web_redirect(rq, "/agreements");
  return rc;
}


/* POST /agreements/{id}/review {"choice":"keep"|"loosen"|"end","text"}: on or after its review
   day; loosen proposes the lighter version (text) as a revision, signed by the one who chose. */
static int review(rq_t *rq, json_t *j) {
  agreement_t a;
  if (!load(rq, &a)) return 0;
  if (a.status != AG_ACTIVE || !a.review_on) return web_error(rq, 409, "not_active", "Only an agreement in force with a review date is reviewed.", NULL);
  int64_t today = web_today(&rq->s.user);
  if (a.review_on > today) return web_error(rq, 409, "not_yet", "Its review is on the day you set; until then it stands as agreed.", NULL);
  size_t cn = 0, xn = 0;
  int bad = 0;
  const char *choice = web_text(rq, j, "choice", &cn, &bad), *x = NULL;
  if (bad || !choice || (strcmp(choice, "keep") && strcmp(choice, "loosen") && strcmp(choice, "end")))
    return web_refuse(rq, refuse_field("choice", "Choose keep, loosen or end."), revision_again);
  int loosen = !strcmp(choice, "loosen");
  verdict vx = web_check_text(rq, j, "text", AGREEMENT_MAX, loosen, &x, &xn);
  if (vx.status && loosen) return web_refuse(rq, refuse_field("text", "Write the lighter version you would agree to."), revision_again);
  if (loosen && agreements_pending_revision(rq->db, rq->s.user.couple_id, a.root_id))
    return web_error(rq, 409, "revision_pending", "A new version of this agreement already waits for a signature.", NULL);
  int closed = 0, rc = agreements_review(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, choice, today,
                                         web_now(), &closed);
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "answered", "You made your choice at this review already.", NULL);
  int64_t id = 0;
  if (rc == DB_OK && loosen &&
      (rc = agreements_propose(rq->db, rq->s.user.couple_id, rq->s.user.id, rq->s.user.display_name, a.root_id, a.version + 1,
                               a.title, x, a.category, web_now(), &id)) == DB_OK)
    rc = agreements_set_review(rq->db, rq->s.user.couple_id, id, a.review_on);
  if (rc != DB_OK) return web_db_error(rq);
  return rq->api ? one(rq, a.id, 200) : web_redirect(rq, "/agreements");
}

/* The reason the partner will read (required): 1, or 0 when refused (answered). */
static int reason_of(rq_t *rq, json_t *j, const char **reason) {
  size_t n;
  verdict v = web_check_text(rq, j, "reason", AGREEMENT_TITLE_MAX * 5, 1, reason, &n);
  if (v.status) { web_refuse(rq, v, revision_again); return 0; }
  return 1;
}

static int decline(rq_t *rq, json_t *j) {
  agreement_t a;
  if (!load(rq, &a)) return 0;
  if (a.status != AG_PROPOSED) return web_error(rq, 409, "not_proposed", "Only a proposal can be declined; this one is settled.", NULL);
  if (a.proposed_by == rq->s.user.id)
    return web_error(rq, 403, "not_your_turn", "You proposed this; your partner is the one to sign or decline it.", NULL);
  const char *reason;
  if (!reason_of(rq, j, &reason)) return 0;
  int rc = agreements_decline(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, reason, web_now());
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "not_proposed", "This proposal was settled a moment ago.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  return rq->api ? one(rq, a.id, 200) : web_redirect(rq, "/agreements");
}

static int withdraw_retire(rq_t *rq, json_t *j) {
  agreement_t a;
  if (!load(rq, &a)) return 0;
  if (a.status != AG_ACTIVE || a.retire_asked_by != rq->s.user.id)
    return web_error(rq, 409, "not_active", "You have not asked to retire this agreement.", NULL);
  const char *reason;
  if (!reason_of(rq, j, &reason)) return 0;
  int rc = agreements_withdraw_retire(rq->db, rq->s.user.couple_id, &a, rq->s.user.id, rq->s.user.display_name, reason, web_now());
  if (rc == DB_CONSTRAINT) return web_error(rq, 409, "not_active", "That request was settled a moment ago.", NULL);
  if (rc != DB_OK) return web_db_error(rq);
  return rq->api ? one(rq, a.id, 200) : web_redirect(rq, "/agreements");
}

/* GET /agreements/{id}/diff?from=V&to=W: what changed between two versions, word by word
   (from: the version before {id}'s, to: {id}'s, unless given). */
typedef struct { sb_t *o; int n; } diff_json_ctx;
static void diff_json_piece(void *p, enum wd_op op, const char *t, size_t n) {
  diff_json_ctx *c = p;
  sb_json(c->o, "%r{\"op\":%r,\"text\":\"%.*s\"}", c->n++ ? "," : "",
          op == WD_ADDED ? "\"added\"" : op == WD_REMOVED ? "\"removed\"" : "\"same\"", (int)n, t);
}

static int version_param(rq_t *rq, const char *name, int64_t def, int64_t *out) {
  char v[24];
  long n = web_query(rq, name, v, sizeof v);
  *out = def;
  if (n < 0) return 0;
  char *end;
  long long x = n > 0 && n < 10 ? strtoll(v, &end, 10) : 0;
  if (n <= 0 || n >= 10 || *end || x < 1) return -1;
  *out = x;
  return 0;
}

static int h_api_diff(rq_t *rq, json_t *j) {
  (void)j;
  agreement_t a;
  if (!load(rq, &a)) return 0;
  int64_t from, to;
  if (version_param(rq, "from", a.version > 1 ? a.version - 1 : 1, &from) != 0)
    return web_error(rq, 422, "invalid", "from is a version number of this agreement.", "from");
  if (version_param(rq, "to", a.version, &to) != 0)
    return web_error(rq, 422, "invalid", "to is a version number of this agreement.", "to");
  const char *ta = NULL, *tb = NULL;
  int ra = agreements_version_text(rq->db, rq->s.user.couple_id, a.root_id, from, &rq->mem, &ta);
  int rb = agreements_version_text(rq->db, rq->s.user.couple_id, a.root_id, to, &rq->mem, &tb);
  if ((ra != DB_ROW && ra != DB_DONE) || (rb != DB_ROW && rb != DB_DONE)) return web_db_error(rq);
  if (ra != DB_ROW || rb != DB_ROW || !ta || !tb) return web_error(rq, 404, "not_found", "This agreement has no such version.", NULL);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"id\":%D,\"root_id\":%D,\"from\":%D,\"to\":%D,\"changes\":[", a.id, a.root_id, from, to);
  diff_json_ctx c = {o, 0};
  if (word_diff(ta, tb, diff_json_piece, &c) != 0) return web_unavailable(rq);
  sb_puts(o, "]}");
  return web_json(rq, 200, o);
}

static int h_api_agreements(rq_t *rq, json_t *j) {
  (void)j;
  sb_t *o = web_out(rq);
  web_list l;
  if (web_list_open(rq, &l, o, "agreements")) return 0;
  agctx c = {rq, o, 0, 0, &l};
  if (agreements_list(rq->db, rq->s.user.couple_id, list_json, &c) != DB_OK) return web_db_error(rq);
  return web_list_send(&l);
}

const route_t agreements_routes[] = {
  {"GET", "/agreements", h_agreements_page, R_AUTH, "agreements"},
  TWIN("POST", "/agreements", propose, R_AUTH | R_BODY, "agreements"),
  TWIN("POST", "/agreements/{id}/sign", sign, R_AUTH, "agreement_sign"),
  TWIN("POST", "/agreements/{id}/revisions", revise, R_AUTH | R_BODY, "agreement_revise"),
  TWIN("POST", "/agreements/{id}/retire", retire, R_AUTH, "agreement_retire"),
  TWIN("POST", "/agreements/{id}/decline", decline, R_AUTH | R_BODY, "agreement_decline"),
  TWIN("POST", "/agreements/{id}/review", review, R_AUTH | R_BODY, "agreement_review"),
  {"POST", "/agreements/{id}/retire/withdraw", withdraw_retire, R_AUTH | R_CSRF | R_BODY, "agreement_retire"},
  {"DELETE", "/api/v1/agreements/{id}/retire", withdraw_retire, R_AUTH | R_BODY, "api_agreement_retire"},
  {"GET", "/api/v1/agreements/{id}/diff", h_api_diff, R_AUTH | R_RANGE, "api_agreement_diff"},
  {"GET", "/api/v1/agreements", h_api_agreements, R_AUTH | R_LIST, "api_agreements"},
  {"GET", "/api/v1/agreements/{id}", h_api_agreements, R_AUTH, "api_agreement"},
  {NULL, NULL, NULL, 0, NULL},
};
