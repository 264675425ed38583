/* report.c (app): the report a couple can hand a counsellor. report_build writes the shared
   data of a period as HTML, with no request behind it, so `mend report` makes the very same
   document: the program's phases, agreements and their history, promises with the consistency
   score, both trust lines with setbacks marked, what is shared of the tools between sessions
   (hard dates, letters given and how they were answered, shared triggers, time-outs: never the
   letters' words, nor who called a time-out), open questions, setbacks, and the shared journal
   entries each author chose to include. Private entries never appear: nothing here
   reads a sealed column. The ledger's newest hash is printed as an outside anchor. */
#include "report.h"
#include "util/i18n.h"
#include <stdlib.h>
#include "chart.h"
#include "consistency.h"
#include "core/commitments.h"
#include "core/markdown.h"
#include "core/plan.h"
#include "db/questions.h"
#include "db/program.h"
#include "db/agreements.h"
#include "db/promises.h"
#include "db/ledger.h"
#include "db/journal.h"
#include "db/setbacks.h"
#include "db/hard_dates.h"
#include "db/letters.h"
#include "db/timeouts.h"
#include "db/talks.h"
#include "db/triggers.h"
#include "util/embed.h"
#include <stdio.h>
#include <string.h>

typedef struct { user_t u[2]; int n; } couple_t;

static const char *name_of(const couple_t *c, int64_t id) {
  for (int i = 0; i < c->n; i++)
    if (c->u[i].id == id) return c->u[i].display_name;
  return "a former partner";
}

/* A day in the reader's words ("2. Dezember 2026"), with the ISO date for machines. */
static void iso_day_html(sb_t *o, int64_t day) {
  char d[DAY_CHARS], words[96];
  day_format(day, d);
  i18n_date(i18n_current(), atoi(d), atoi(d + 5), atoi(d + 8), words, sizeof words);
  sb_markup(o, "<time datetime=\"%s\">%s</time>", d, words);
}

/* An agreement's status as the report says it (enum ag_status's order). */
static const char *const status_words[] = {N_("Proposed"), N_("In force"), N_("Replaced by a newer version"), N_("Retired")};

/* ---- program ---- */

typedef struct { sb_t *o; int n; } phase_ctx;
static void phase_row(void *p, const void *row) {
  int phase = ((const program_phase_row *)row)->phase;
  int64_t at = ((const program_phase_row *)row)->started_at;
  phase_ctx *c = p;
  const plan_phase *ph = plan_phase_at(phase);
  sb_html(c->o, "<li>%s, from ", ph ? _(ph->name) : "");
  iso_day_html(c->o, day_of(at));
  sb_puts(c->o, "</li>\n");
  c->n++;
}

static int program_section(db_t *db, int64_t couple, const couple_t *c, sb_t *o) {
  int phase, mine, theirs;
  int64_t started;
  if (program_state_get(db, couple, c->n ? c->u[0].id : 0, &phase, &started, &mine, &theirs) != DB_OK) return -1;
  const plan_phase *ph = plan_phase_at(phase);
  sb_html(o, "<section><h2>The program</h2>\n<p>Now in <strong>%s</strong> since ", ph ? _(ph->name) : "");
  iso_day_html(o, day_of(started));
  sb_html(o, ". %s</p>\n<ul>\n<li>%s, from the start</li>\n", ph ? _(ph->summary) : "", plan_phase_at(1) ? _(plan_phase_at(1)->name) : "");
  phase_ctx pc = {o, 0};
  if (program_phases_list(db, couple, phase_row, &pc) != DB_OK) return -1;
  sb_puts(o, "</ul>\n</section>\n");
  return 0;
}

/* ---- agreements ---- */

typedef struct { sb_t *o; const couple_t *c; int n; } ag_ctx;
static void agreement_row(void *p, const void *row) {
  const agreement_t *a = row;
  ag_ctx *c = p;
  sb_t *o = c->o;
  if (!c->n++) sb_text(o, "<table>\n<thead><tr><th scope=\"col\">Agreement</th><th scope=\"col\">Version</th>"
                          "<th scope=\"col\">Status</th><th scope=\"col\">History</th></tr></thead>\n<tbody>\n");
  sb_html(o, "<tr><td><strong>%s</strong><br>%s</td><td>%D</td><td>%s</td><td>Proposed by %s on ", a->title, a->text,
          a->version, _(status_words[a->status]), name_of(c->c, a->proposed_by));
  iso_day_html(o, day_of(a->created_at));
  if (a->activated_at) { sb_text(o, "; in force from "); iso_day_html(o, day_of(a->activated_at)); }
  if (a->retired_at) { sb_text(o, "; retired on "); iso_day_html(o, day_of(a->retired_at)); }
  sb_puts(o, "</td></tr>\n");
}

/* ---- promises ---- */

static int promises_section(const app_couple *ac, const couple_t *c, int64_t from, int64_t to, sb_t *o) {
  app_promises d;
  app_reports rs;
  int rc = app_promises_load(ac, &d) == DB_OK && app_reports_load(ac, &rs) == DB_OK ? 0 : -1;
  sb_text(o, "<section><h2>Promises</h2>\n");
  for (int who = 0; rc == 0 && who < c->n; who++) {
    const user_t *u = &c->u[who];
    struct { pr_occurrence *v; size_t n, cap; } occ = {NULL, 0, 0};
    int counts[5] = {0}, listed = 0;
    for (size_t i = 0; i < d.n; i++) {
      const promise_t *p = &d.v[i];
      if (p->promiser_id != u->id) continue;
      int due_in_period = 0;
      for (int64_t day = p->rule.start > to - APP_SCORE_DAYS ? p->rule.start : to - APP_SCORE_DAYS; day <= to; day++) {
        if (!pr_is_due(&p->rule, day)) continue;
        enum pr_outcome oc = app_outcome(app_report_find(&rs, p->id, day));
        if (day >= from) { counts[oc]++; due_in_period++; }
        ARENA_PUSH(ac->mem, occ, ((pr_occurrence){day, oc}));
      }
      if (due_in_period) {
        if (!listed++) sb_markup(o, "<h3>%s</h3>\n<ul>\n", u->display_name);
        sb_plural(o, due_in_period, "<li>%s <span class=\"muted\">(due %d time in the period)</span></li>\n", "<li>%s <span class=\"muted\">(due %d times in the period)</span></li>\n", p->text, due_in_period);
      }
    }
    pr_consistency cs;
    pr_score(occ.v, (int)occ.n, to, &cs);
    if (!listed) { sb_html(o, "<h3>%s</h3>\n<p>No promise was due in this period.</p>\n", u->display_name); continue; }
    sb_puts(o, "</ul>\n");
    char score[96];
    snprintf(score, sizeof score, "%s", _("none yet"));
    if (pr_score_shown(&cs)) snprintf(score, sizeof score, "%d%%", (int)(cs.score * 100 + 0.5));
    else if (cs.has_score) snprintf(score, sizeof score, "%s", _("shown after three reports"));
    sb_html(o, "<p>In the period: %d kept and confirmed, %d missed, %d disputed, %d not yet confirmed, %d not reported. "
               "Consistency at the end of the period: <strong>%s</strong> (recent weeks weigh most).</p>\n",
            counts[PO_KEPT], counts[PO_MISSED], counts[PO_DISPUTED], counts[PO_PENDING], counts[PO_UNREPORTED], score);
  }
  sb_puts(o, "</section>\n");
  return rc;
}

/* ---- trust, setbacks ---- */

static int trust_chart(const app_couple *c, const user_t *a, const user_t *b, int64_t from, int64_t to,
                       const int64_t *setbacks, int nsetbacks, sb_t *o) {
  trust_series *s = arena_alloc(c->mem, sizeof *s);
  if (app_trust_series(c, a->id, from, to, s) != 0) return -1;
  int n = s->n;
  if (n) {
    app_trust_chart(o, s, a->display_name, b ? b->display_name : _("the partner"), setbacks, nsetbacks);
    sb_markup(o, "<ul class=\"legend\"><li><span class=\"swatch me\"></span>%s</li><li><span class=\"swatch partner\"></span>%s</li></ul>\n",
            a->display_name, b ? b->display_name : "");
  }
  return n;
}

typedef struct { sb_t *o; const couple_t *c; int64_t to; int64_t *days; int n, cap, listed; } sb_ctx;
static void setback_row(void *p, const void *row) {
  const setback_t *s = row;
  sb_ctx *c = p;
  if (s->day > c->to) return;
  if (c->n < c->cap) c->days[c->n++] = s->day;
  if (!c->o) return;
  if (!c->listed++) sb_puts(c->o, "<ul>\n");
  sb_puts(c->o, "<li>");
  iso_day_html(c->o, s->day);
  sb_html(c->o, ", logged by %s, how hard: %d of 5. %s", name_of(c->c, s->author_id), s->severity, s->what);
  if (s->helped[0]) sb_html(c->o, " <em>What helped:</em> %s", s->helped);
  sb_puts(c->o, "</li>\n");
}

static int trust_section(const app_couple *ac, const couple_t *c, int64_t from, int64_t to, sb_t *o) {
  db_t *db = ac->db;
  int64_t couple = ac->couple;
  int64_t days[64];
  sb_ctx sc = {NULL, c, to, days, 0, 64, 0};
  if (setbacks_list(db, couple, from, setback_row, &sc) != DB_OK) return -1;
  /* newest first from the query: the chart wants them oldest first */
  for (int i = 0; i < sc.n / 2; i++) { int64_t t = days[i]; days[i] = days[sc.n - 1 - i]; days[sc.n - 1 - i] = t; }
  sb_text(o, "<section><h2>Trust, from the weekly check-ins</h2>\n");
  int weeks = c->n == 2 ? trust_chart(ac, &c->u[0], &c->u[1], from, to, days, sc.n, o) : 0;
  if (weeks < 0) return -1;
  if (!weeks) sb_text(o, "<p>No week of the period has check-ins from both partners.</p>\n");
  sb_text(o, "<h3>Setbacks</h3>\n");
  sb_ctx lc = {o, c, to, days, 0, 0, 0};
  if (setbacks_list(db, couple, from, setback_row, &lc) != DB_OK) return -1;
  if (lc.listed) sb_text(o, "</ul>\n<p>A setback resets nothing: the weeks before it still count.</p>\n");
  else sb_text(o, "<p>None logged in the period.</p>\n");
  sb_puts(o, "</section>\n");
  return 0;
}

/* ---- questions, notes ---- */

typedef struct { sb_t *o; const couple_t *c; int n; } q_ctx;
static void open_question(void *p, const void *row) {
  const question_t *q = row;
  q_ctx *c = p;
  if (!q->waiting) return;
  if (!c->n++) sb_puts(c->o, "<ul>\n");
  sb_html(c->o, "<li>%s <span class=\"muted\">(asked by %s", q->text, name_of(c->c, q->asker_id));
  if (q->times_asked > 1) sb_html(c->o, ", %d times", (int)q->times_asked);
  sb_text(c->o, ", last on ");
  iso_day_html(c->o, day_of(q->last_asked_at));
  sb_puts(c->o, ")</span></li>\n");
}

typedef struct { sb_t *o; const couple_t *c; int n; } note_ctx;
static void note_row(void *p, const void *row) {
  const journal_t *e = row;
  note_ctx *c = p;
  c->n++;
  sb_markup(c->o, "<article class=\"note\"><p class=\"meta\">%s, ", name_of(c->c, e->author_id));
  iso_day_html(c->o, day_of(e->created_at));
  sb_puts(c->o, "</p>\n<div class=\"md\">");
  if (e->body) markdown_html(c->o, e->body, strlen(e->body));
  sb_puts(c->o, "</div></article>\n");
}

/* Between sessions: what the couple shares of the tools clinicians use between sessions, by
   what it is and when, never by its words (the letters), nor who called a time-out. Viewer 0
   sees what both see: given letters, shared triggers. */
typedef struct { sb_t *o; const couple_t *c; int64_t from, to; int n, answered, read, heard; } between_ctx;

static void hard_row(void *p, const void *row) {
  between_ctx *b = p;
  const hard_date_t *h = row;
  if (!b->n++) sb_text(b->o, "<h3>Hard dates</h3>\n<ul>\n");
  sb_markup(b->o, "<li>%s: ", h->title);
  iso_day_html(b->o, h->day);
  sb_markup(b->o, "%s</li>\n", h->yearly ? _(", each year") : "");
}

static void letter_row(void *p, const void *row) {
  between_ctx *b = p;
  const letter_t *l = row;
  int64_t day = day_of(l->given_at);
  if (day < b->from || day > b->to) return;
  if (!b->n++) sb_text(b->o, "<h3>Letters given</h3>\n<ul>\n");
  sb_html(b->o, "<li>%s by %s, ", !strcmp(l->kind, "disclosure") ? _("A disclosure") : !strcmp(l->kind, "impact") ? _("An impact letter")
                                                                                                                : _("A restitution letter"),
          name_of(b->c, l->author_id));
  iso_day_html(b->o, day);
  sb_markup(b->o, ": %s</li>\n", l->heard == 1 ? _("read, and the reader feels heard") : l->heard == 0 ? _("read; not heard yet")
                                : l->read_at ? _("read") : _("not read yet"));
}

static void timeout_row(void *p, const void *row) {
  between_ctx *b = p;
  int64_t day = day_of(((const timeout_t *)row)->called_at);
  if (day >= b->from && day <= b->to) b->n++;
}

static void talk_row(void *p, const void *row) {
  between_ctx *b = p;
  const talk_t *t = row;
  int64_t day = day_of(t->created_at);
  if (day < b->from || day > b->to) return;
  b->n++;
  b->answered += t->steps;
}

static void trigger_row(void *p, const void *row) {
  between_ctx *b = p;
  const trigger_t *t = row;
  int64_t day = day_of(t->created_at);
  if (day < b->from || day > b->to) return;
  b->n++;
  b->answered += t->replied_at != 0;
}

static int between_section(db_t *db, int64_t couple, const couple_t *c, int64_t from, int64_t to, sb_t *o) {
  sb_text(o, "<section><h2>Between sessions</h2>\n");
  between_ctx b = {o, c, from, to, 0, 0, 0, 0};
  if (hard_dates_list(db, couple, hard_row, &b) != DB_OK) return -1;
  if (b.n) sb_puts(o, "</ul>\n");
  int any = b.n;
  b.n = 0;
  if (letters_list(db, couple, 0, letter_row, &b) != DB_OK) return -1;
  if (b.n) sb_puts(o, "</ul>\n");
  any += b.n;
  b.n = 0;
  if (triggers_list(db, couple, 0, 10000, trigger_row, &b) != DB_OK) return -1;
  if (b.n) sb_html(o, "<p>Triggers shared in the period: %d, %d of them answered with \u201cI'm here\u201d.</p>\n", b.n, b.answered);
  any += b.n;
  b.n = 0;
  timeout_rule r;
  if (timeout_rule_get(db, couple, &r) != DB_OK || timeouts_list(db, couple, 10000, timeout_row, &b) != DB_OK) return -1;
  if (b.n || r.set)
    sb_html(o, "<p>Time-outs taken in the period: %d. %s</p>\n", b.n,
            r.agreed_by ? _("The couple has agreed a time-out rule.") : r.set ? _("A time-out rule is proposed, not yet agreed by both.") : "");
  any += b.n + r.set;
  b.n = b.answered = 0;
  if (talks_list(db, couple, talk_row, &b) != DB_OK) return -1;
  if (b.n) sb_plural(o, b.answered, "<p>Talks (one speaks, the other says back what they heard) in the period: %d, with %d step.</p>\n", "<p>Talks (one speaks, the other says back what they heard) in the period: %d, with %d steps.</p>\n", b.n, b.answered);
  any += b.n;
  if (!any) sb_text(o, "<p>Nothing shared of hard dates, letters, triggers, time-outs or talks yet.</p>\n");
  sb_puts(o, "</section>\n");
  return 0;
}

const char *const report_parts[REPORT_PARTS + 1] = {"program", "agreements", "promises", "trust", "between", "questions", "notes", NULL};
const char *const report_part_labels[REPORT_PARTS + 1] = {
  N_("The program"), N_("Agreements"), N_("Promises"), N_("Trust"),
  N_("Setbacks, hard dates, letters, triggers, time-outs and talks"), N_("Open questions"),
  N_("Notes the partners chose to include"), NULL};

unsigned report_parts_parse(const char *csv, size_t n) {
  unsigned bits = 0;
  for (size_t i = 0; i < n;) {
    size_t k = i;
    while (k < n && csv[k] != ',') k++;
    int found = -1;
    for (int p = 0; p < REPORT_PARTS; p++)
      if (strlen(report_parts[p]) == k - i && !memcmp(report_parts[p], csv + i, k - i)) found = p;
    if (found < 0) return 0;
    bits |= 1u << found;
    i = k + 1;
  }
  return bits;
}

void report_parts_json(sb_t *o, const char *csv) {
  unsigned parts = report_parts_parse(csv, strlen(csv));
  sb_putc(o, '[');
  for (int p = 0, n = 0; p < REPORT_PARTS; p++)
    if (parts & (1u << p)) sb_json(o, "%r%q", n++ ? "," : "", report_parts[p]);
  sb_putc(o, ']');
}

void report_parts_format(unsigned parts, char *out, size_t cap) {
  size_t used = 0;
  out[0] = 0;
  for (int p = 0; p < REPORT_PARTS; p++)
    if (parts & (1u << p)) used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s%s", used ? "," : "", report_parts[p]);
}

int report_build(db_t *db, int64_t couple, int64_t from, int64_t to, int64_t made_at, const char *made_by, arena_t *mem,
                 sb_t *o) {
  return report_build_parts(db, couple, from, to, made_at, made_by, REPORT_ALL, 0, mem, o);
}

int report_build_parts(db_t *db, int64_t couple, int64_t from, int64_t to, int64_t made_at, const char *made_by, unsigned parts,
                       int live, arena_t *mem, sb_t *o) {
  couple_t c;
  if (acct_partners(db, couple, c.u, &c.n) != DB_OK || !c.n) return -1;
  app_couple ac = {db, couple, 0, c.u, c.n, mem, made_at, -1};
  /* the period in the reader's words ("7. Dezember 2026") */
  char f[96], t[96], iso[DAY_CHARS];
  day_format(from, iso);
  i18n_date(i18n_current(), atoi(iso), atoi(iso + 5), atoi(iso + 8), f, sizeof f);
  day_format(to, iso);
  i18n_date(i18n_current(), atoi(iso), atoi(iso + 5), atoi(iso + 8), t, sizeof t);
  if (live) {
    sb_html(o, "<header class=\"report-head\">\n<h1>%s%s%s</h1>\n<p class=\"muted\">The report as of now, for %s, "
               "over the weeks from %s to %s: only the parts the couple chose to show you, and never a private entry.</p>\n</header>\n",
            c.u[0].display_name, c.n > 1 ? _(" and ") : "", c.n > 1 ? c.u[1].display_name : "", made_by, f, t);
  } else {
    sb_html(o, "<header class=\"report-head\">\n<h1>Report for a counsellor</h1>\n<p><strong>%s%s%s</strong> · %s to %s</p>\n"
               "<p class=\"muted\">Made by %s on ", c.u[0].display_name, c.n > 1 ? _(" and ") : "", c.n > 1 ? c.u[1].display_name : "",
            f, t, made_by);
    time_html(o, made_at);
    sb_text(o, ". It holds only what the couple shares in mend; private entries are never part of it.</p>\n</header>\n");
  }
  if ((parts & 1) && program_section(db, couple, &c, o) != 0) return -1;
  if (parts & 2) {
    sb_text(o, "<section><h2>Agreements</h2>\n");
    ag_ctx agc = {o, &c, 0};
    if (agreements_list(db, couple, agreement_row, &agc) != DB_OK) return -1;
    if (agc.n) sb_puts(o, "</tbody></table>\n");
    else sb_text(o, "<p>No agreements yet.</p>\n");
    sb_puts(o, "</section>\n");
  }
  if ((parts & 4) && promises_section(&ac, &c, from, to, o) != 0) return -1;
  if ((parts & 8) && trust_section(&ac, &c, from, to, o) != 0) return -1;
  if ((parts & 16) && between_section(db, couple, &c, from, to, o) != 0) return -1;
  if (parts & 32) {
    sb_text(o, "<section><h2>Open questions</h2>\n");
    q_ctx qc = {o, &c, 0};
    if (questions_list(db, couple, open_question, &qc) != DB_OK) return -1;
    if (qc.n) sb_puts(o, "</ul>\n");
    else sb_text(o, "<p>No question is waiting for an answer.</p>\n");
    sb_puts(o, "</section>\n");
  }
  if (parts & 64) {
    sb_text(o, "<section><h2>Notes the partners chose to include</h2>\n");
    note_ctx nc = {o, &c, 0};
    if (journal_for_report(db, couple, from * SECONDS_PER_DAY, (to + 1) * SECONDS_PER_DAY, note_row, &nc) != DB_OK) return -1;
    if (!nc.n) sb_text(o, "<p>None in the period. Each partner can mark their shared journal entries for reports.</p>\n");
    sb_puts(o, "</section>\n");
  }
  int64_t seq;
  unsigned char h[LEDGER_HASH];
  int lr = ledger_head(db, couple, &seq, h);
  if (lr == DB_ROW) {
    char hex[2 * LEDGER_HASH + 1];
    for (int i = 0; i < LEDGER_HASH; i++) snprintf(hex + 2 * i, 3, "%02x", h[i]);
    sb_html(o, "<footer class=\"report-foot\"><p>Ledger: %D entries, newest hash <code>%s</code>. "
               "Whoever runs the server can check with it that the record was not rewritten since.</p></footer>\n", seq, hex);
  } else if (lr != DB_DONE) {
    return -1;
  }
  return 0;
}

/* The document around a report: a page of its own, print-friendly. css: inline styles (for
   `mend report`, read offline) or NULL to link the server's stylesheet. */
void report_document(sb_t *o, const char *body, const char *css) {
  sb_markup(o, "<!DOCTYPE html>\n<html lang=\"%r\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex\">\n"
               "<title>mend</title>\n", i18n_code(i18n_current()));
  if (css) sb_markup(o, "<style>\n%r</style>\n", css);
  else {
    const struct embed_file *f = embed_find(embed_static, "report.css", 10), *i = embed_find(embed_static, "icon.svg", 8);
    sb_markup(o, "<link rel=\"stylesheet\" href=\"/static/report.css?v=%r\">\n"
               "<link rel=\"icon\" href=\"/static/icon.svg?v=%r\" type=\"image/svg+xml\">\n", f ? f->hash : "0", i ? i->hash : "0");
  }
  sb_markup(o, "</head>\n<body class=\"report\">\n<main id=\"main\">\n%r</main>\n</body>\n</html>\n", body);
}
