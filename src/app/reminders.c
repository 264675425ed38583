/* reminders.c (app): see reminders.h. */
#include "reminders.h"
#include "progress.h"
#include "core/checkin_rules.h"
#include "db/checkins.h"
#include "util/tz.h"
#include "util/i18n.h"
#include <stdio.h>
#include <string.h>

void app_inbox_url(const inbox_row *r, char *out, size_t n) {
  const char *k = r->kind;
  long long id = (long long)r->id;
  if (!strcmp(k, "question_answer")) snprintf(out, n, "/questions#q-%lld", id);
  else if (!strcmp(k, "apology_read")) snprintf(out, n, "/apologies#a-%lld", id);
  else if (!strncmp(k, "agreement_", 10)) snprintf(out, n, "/agreements#ag-%lld", id);
  else if (!strcmp(k, "report_made")) snprintf(out, n, "/reports/%lld", id);
  else if (!strcmp(k, "promise_confirm")) snprintf(out, n, "/promises");
  else if (!strncmp(k, "checkin_", 8)) snprintf(out, n, "/checkins");
  else if (!strcmp(k, "forgiveness_note")) snprintf(out, n, "/forgiveness");
  else if (!strcmp(k, "trigger_shared")) snprintf(out, n, "/triggers#t-%lld", id);
  else if (!strcmp(k, "moment_note")) snprintf(out, n, "/moments#m%lld", id);
  else if (!strcmp(k, "letter_read")) snprintf(out, n, "/letters#l-%lld", id);
  else if (!strcmp(k, "letters_destroy")) snprintf(out, n, "/letters#ld-h");
  else if (!strcmp(k, "hard_date")) snprintf(out, n, "/hard-dates#hd-%lld", id);
  else if (!strncmp(k, "timeout_", 8)) snprintf(out, n, "/timeouts");
  else if (!strcmp(k, "talk_turn")) snprintf(out, n, "/talks/%lld", id);
  else if (!strcmp(k, "counsellor_agree")) snprintf(out, n, "/counsellor-access#ca-%lld", id);
  else if (!strcmp(k, "counsellor_suggestion")) snprintf(out, n, "/counsellor-access#s-%lld", id);
  else snprintf(out, n, "/account"); /* partner_left: what can be done about the couple space now */
}

int app_quiet_now(const rem_settings *s, const char *timezone, int64_t now) {
  int64_t local = now + tz_offset(timezone, now);
  int m = (int)(((local % 86400) + 86400) % 86400 / 60);
  if (s->quiet_from == s->quiet_to) return 0; /* no quiet hours */
  if (s->quiet_from < s->quiet_to) return m >= s->quiet_from && m < s->quiet_to;
  return m >= s->quiet_from || m < s->quiet_to; /* across midnight */
}

/* What an item is, said without its words (a partner who chose to see what waits). */
static const char *plain(const char *kind) {
  static const struct { const char *kind, *words; } w[] = {
    {"question_answer", N_("A question waits for your answer.")},
    {"apology_read", N_("An apology was written for you.")},
    {"agreement_sign", N_("An agreement waits for your signature.")},
    {"agreement_revision", N_("A new wording of an agreement waits for you.")},
    {"agreement_retire", N_("Your partner asks to retire an agreement.")},
    {"agreement_review", N_("An agreement is due for its review.")},
    {"promise_confirm", N_("A promise report waits for you to confirm it.")},
    {"checkin_answer", N_("Your partner answered this week's check-in.")},
    {"checkin_revealed", N_("You both answered this week's check-in.")},
    {"forgiveness_note", N_("Your partner shared a note about forgiveness.")},
    {"trigger_shared", N_("Your partner shared a hard moment.")},
    {"moment_note", N_("A moment waits for your note.")},
    {"letter_read", N_("A letter was given to you.")},
    {"letters_destroy", N_("Your partner asks to destroy the letters together.")},
    {"hard_date", N_("A hard day is coming: a good time to reassure.")},
    {"timeout_on", N_("A time-out was called.")},
    {"timeout_over", N_("The time-out is over: time to come back to each other.")},
    {"report_made", N_("A report for a counsellor was made.")},
    {"talk_turn", N_("It is your turn in a talk.")},
    {"counsellor_agree", N_("Your partner asks to let a counsellor in.")},
    {"counsellor_suggestion", N_("Your counsellor suggests something for this week.")},
    {"partner_left", N_("Your partner left the couple space.")},
    {"checkin_soon", N_("Your check-in begins in an hour.")},
  };
  for (size_t i = 0; i < sizeof w / sizeof *w; i++)
    if (!strcmp(w[i].kind, kind)) return _(w[i].words);
  return _("Something is waiting for you in mend.");
}

typedef struct { const app_couple *c; const rem_settings *s; enum rem_channel ch; app_reminder *out; int n, max; } due_ctx;

static void add(due_ctx *d, const char *kind, int64_t item, const char *url) {
  if (d->n >= d->max) return;
  int was = rem_was_sent(d->c->db, d->ch, d->c->couple, d->c->viewer, kind, item);
  if (was) return;
  app_reminder *r = &d->out[d->n++];
  snprintf(r->kind, sizeof r->kind, "%s", kind);
  r->item = item;
  snprintf(r->body, sizeof r->body, "%s", d->s->show_titles ? plain(kind) : _("Something is waiting for you in mend."));
  snprintf(r->url, sizeof r->url, "%s", url);
}

static void each_item(void *p, const void *row) {
  due_ctx *d = p;
  const inbox_row *r = row;
  char url[80];
  app_inbox_url(r, url, sizeof url);
  /* a yearly hard date comes round again: each year's reminder is an item of its own (ids are
     under 2^53, the year of the day goes above them) */
  int64_t item = r->id;
  if (!strcmp(r->kind, "hard_date")) item |= day_of(r->since) / 365 << 53;
  /* and each turn in a talk is one, by the steps said before it */
  if (!strcmp(r->kind, "talk_turn")) item |= (r->count & 1023) << 53;
  add(d, r->kind, item, url);
}

int app_reminders_due(const app_couple *c, const rem_settings *s, enum rem_channel ch, app_reminder *out, int max) {
  const user_t *me = NULL;
  for (int i = 0; i < c->npartners; i++)
    if (c->partners[i].id == c->viewer) me = &c->partners[i];
  if (!me) return -1;
  int64_t today = app_today(me, c->now);
  inbox_ask a = {c->couple, c->viewer, app_past_rests(c) > 0, ci_week_of(today), today, (today - 7) * SECONDS_PER_DAY, c->now};
  due_ctx d = {c, s, ch, out, 0, max};
  if (inbox_list(c->db, &a, each_item, &d) != DB_OK) return -1;
  /* the check-in, an hour before it begins (in the schedule's own time zone) */
  checkins_schedule cs;
  if (checkins_schedule_get(c->db, c->couple, &cs) == DB_OK && cs.set) {
    int64_t day, start;
    ci_next(cs.weekday, cs.time, c->now, tz_offset(cs.timezone, c->now), &day, &start);
    if (start > c->now && start - c->now <= 3600) add(&d, "checkin_soon", day, "/checkins");
  }
  return d.n;
}
