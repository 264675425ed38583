/* calendar.c (web): each partner's calendar feed behind a secret address, so reminders come
   from the phone's own calendar: the weekly check-in as a recurring event and the partner's
   own promise due dates. The check-in is in the couple's time zone (a VTIMEZONE made from the
   zoneinfo data), so it stays at its hour across daylight-saving changes; promises are
   all-day. UIDs are stable so calendar apps update in place. */
#include "web.h"
#include "lists.h"
#include "html.h"
#include "core/checkin_rules.h"
#include "core/commitments.h"
#include "core/ics.h"
#include "core/validate.h"
#include "db/calendar.h"
#include "db/checkins.h"
#include "db/hard_dates.h"
#include "db/promises.h"
#include "util/tz.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *feed_url(rq_t *rq, const char *secret) { return web_link(rq, "/calendar/", secret, ".ics"); }

/* A new feed secret for the caller, replacing any before (the old address stops working). */
static int renew(rq_t *rq, char secret[TOKEN_CHARS + 1]) {
  secret_token(secret);
  return cal_set(rq->db, rq->s.user.couple_id, rq->s.user.id, secret, TOKEN_CHARS, web_now()) == DB_OK ? 0 : -1;
}

typedef struct { sb_t *o; int64_t user; char stamp[17]; } feed_ctx;

/* One observance of a zone: from `at` (UTC) its clocks show offset `to`. */
static void observance(sb_t *o, int64_t at, int from, int to, int dst) {
  char start[16], f[8], t[8];
  ics_local(at + from, start); /* the moment of change, on the clock before it */
  ics_offset(from, f);
  ics_offset(to, t);
  ics_line(o, "BEGIN", dst ? "DAYLIGHT" : "STANDARD", 0);
  ics_line(o, "DTSTART", start, 0);
  ics_line(o, "TZOFFSETFROM", f, 0);
  ics_line(o, "TZOFFSETTO", t, 0);
  ics_line(o, "END", dst ? "DAYLIGHT" : "STANDARD", 0);
}

static void change_cb(void *p, const tz_change *c) { observance(p, c->at, c->from, c->to, c->dst); }

/* The zone's offsets from a year ago on, every change listed (the zoneinfo data runs to 2037),
   so a calendar puts each week's check-in at its local hour. */
static void vtimezone(sb_t *o, const char *tz, int64_t now) {
  int64_t from = now - 366 * SECONDS_PER_DAY;
  int off = tz_offset(tz, from);
  ics_line(o, "BEGIN", "VTIMEZONE", 0);
  ics_line(o, "TZID", tz, 0);
  observance(o, from, off, off, 0);
  tz_transitions(tz, from + 1, INT64_MAX, change_cb, o);
  ics_line(o, "END", "VTIMEZONE", 0);
}

static void promise_event(void *p, const void *row) {
  const promise_t *pr = row;
  feed_ctx *c = p;
  if (pr->promiser_id != c->user) return;
  char uid[64], date[9], rule[64];
  snprintf(uid, sizeof uid, "promise-%lld@mend", (long long)pr->id);
  /* a promise paused, changed or ended is in the feed up to its last due day */
  int64_t first = pr->rule.every == PR_ONCE ? (pr_is_due(&pr->rule, pr->rule.due) ? pr->rule.due : -1)
                                            : pr_next_due(&pr->rule, pr->rule.start);
  if (first < 0) return;
  ics_date(first, date);
  ics_line(c->o, "BEGIN", "VEVENT", 0);
  ics_line(c->o, "UID", uid, 0);
  ics_line(c->o, "DTSTAMP", c->stamp, 0);
  ics_line(c->o, "DTSTART;VALUE=DATE", date, 0);
  char summary[1100];
  utf8_format(summary, sizeof summary, "Promise: %s", pr->text);
  ics_line(c->o, "SUMMARY", summary, 1);
  char until[24] = "";
  if (pr->rule.end) {
    char last[9];
    ics_date(pr->rule.end - 1, last);
    snprintf(until, sizeof until, ";UNTIL=%s", last);
  }
  if (pr->rule.every == PR_DAY) {
    snprintf(rule, sizeof rule, "FREQ=DAILY%s", until);
    ics_line(c->o, "RRULE", rule, 0);
  } else if (pr->rule.every == PR_WEEK) {
    static const char *days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    snprintf(rule, sizeof rule, "FREQ=WEEKLY%s;BYDAY=", until);
    int first_day = 1;
    for (int w = 0; w < 7; w++)
      if (pr->rule.weekdays >> w & 1) {
        if (!first_day) strncat(rule, ",", sizeof rule - strlen(rule) - 1);
        strncat(rule, days[w], sizeof rule - strlen(rule) - 1);
        first_day = 0;
      }
    ics_line(c->o, "RRULE", rule, 0);
  }
  ics_line(c->o, "END", "VEVENT", 0);
}

/* A hard date, all day, yearly when it comes back; the partner it reminds (db/inbox.c) gets the
   phone's own alarm that many days before. */
typedef struct { feed_ctx *c; const user_t *me; } hard_ctx;

static void hard_event(void *p, const void *row) {
  const hard_date_t *h = row;
  hard_ctx *hc = p;
  feed_ctx *c = hc->c;
  char uid[64], date[9], alarm[24];
  snprintf(uid, sizeof uid, "hard-%lld@mend", (long long)h->id);
  ics_date(h->day, date);
  ics_line(c->o, "BEGIN", "VEVENT", 0);
  ics_line(c->o, "UID", uid, 0);
  ics_line(c->o, "DTSTAMP", c->stamp, 0);
  ics_line(c->o, "DTSTART;VALUE=DATE", date, 0);
  ics_line(c->o, "SUMMARY", h->title, 1);
  if (h->yearly) ics_line(c->o, "RRULE", "FREQ=YEARLY", 0);
  if (hc->me && hard_date_reminds(hc->me->path, hc->me->id, h)) {
    /* at nine in the morning, remind_days before (an all-day event starts at midnight) */
    if (h->remind_days > 1) snprintf(alarm, sizeof alarm, "-P%dDT15H", h->remind_days - 1);
    else snprintf(alarm, sizeof alarm, "-PT15H");
    ics_line(c->o, "BEGIN", "VALARM", 0);
    ics_line(c->o, "ACTION", "DISPLAY", 0);
    ics_line(c->o, "TRIGGER", h->remind_days ? alarm : "PT9H", 0);
    ics_line(c->o, "DESCRIPTION", _("A hard day is coming: a good time to reassure."), 1);
    ics_line(c->o, "END", "VALARM", 0);
  }
  ics_line(c->o, "END", "VEVENT", 0);
}

static int h_calendar_feed(rq_t *rq, json_t *j) {
  (void)j;
  h2o_iovec_t f = rq->params[0];
  int64_t couple, user;
  int shaped = f.len == TOKEN_CHARS + 4;
  for (size_t i = 0; shaped && i < TOKEN_CHARS; i++) {
    char c = f.base[i];
    shaped = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }
  if (!shaped || memcmp(f.base + f.len - 4, ".ics", 4) ||
      cal_owner(rq->db, f.base, f.len - 4, &couple, &user) != DB_ROW)
    return web_error(rq, 404, "not_found", "There is no calendar at this address.", NULL);
  /* the feed in its owner's language (the calendar app sends no session) */
  user_t me;
  int have_me = acct_user(rq->db, couple, user, &me) == DB_ROW;
  rq->lang = web_language_of(have_me ? &me : NULL);
  i18n_use(rq->lang);
  sb_t *o = web_out(rq);
  feed_ctx c = {o, user, ""};
  ics_utc(web_now(), c.stamp);
  ics_line(o, "BEGIN", "VCALENDAR", 0);
  ics_line(o, "VERSION", "2.0", 0);
  ics_line(o, "PRODID", "-//mend//mend calendar feed//EN", 0);
  ics_line(o, "CALSCALE", "GREGORIAN", 0);
  ics_line(o, "X-WR-CALNAME", "mend", 1);
  checkins_schedule s;
  if (checkins_schedule_get(rq->db, couple, &s) == DB_OK && s.set) {
    /* the next check-in, repeating weekly at the same local time */
    int64_t now = web_now(), day, at;
    ci_next(s.weekday, s.time, now, tz_offset(s.timezone, now), &day, &at);
    char start[17], uid[64], prop[96];
    int local = strcmp(s.timezone, "UTC") != 0;
    if (local) {
      vtimezone(o, s.timezone, now);
      ics_local(at + tz_offset(s.timezone, at), start);
      snprintf(prop, sizeof prop, "DTSTART;TZID=%s", s.timezone);
    } else {
      ics_utc(at, start);
      snprintf(prop, sizeof prop, "DTSTART");
    }
    snprintf(uid, sizeof uid, "checkin-%lld@mend", (long long)couple);
    ics_line(o, "BEGIN", "VEVENT", 0);
    ics_line(o, "UID", uid, 0);
    ics_line(o, "DTSTAMP", c.stamp, 0);
    ics_line(o, prop, start, 0);
    ics_line(o, "DURATION", "PT30M", 0);
    ics_line(o, "RRULE", "FREQ=WEEKLY", 0);
    ics_line(o, "SUMMARY", _("Weekly check-in"), 1);
    ics_line(o, "DESCRIPTION", _("Answer this week's questions in mend, then talk."), 1);
    /* the phone's calendar reminds, an hour before (RFC 5545 3.6.6) */
    ics_line(o, "BEGIN", "VALARM", 0);
    ics_line(o, "ACTION", "DISPLAY", 0);
    ics_line(o, "TRIGGER", "-PT1H", 0);
    ics_line(o, "DESCRIPTION", _("Your check-in in mend begins in an hour."), 1);
    ics_line(o, "END", "VALARM", 0);
    ics_line(o, "END", "VEVENT", 0);
  }
  promises_list(rq->db, couple, promise_event, &c);
  hard_ctx hc = {&c, have_me ? &me : NULL};
  hard_dates_list(rq->db, couple, hard_event, &hc);
  ics_line(o, "END", "VCALENDAR", 0);
  return web_send(rq, 200, "text/calendar; charset=utf-8", o->buf, o->len);
}

/* The feed's state: whether there is one and since when; its address is shown only when made. */
static int h_api_calendar(rq_t *rq, json_t *j) {
  (void)j;
  int64_t at = 0;
  int rc = cal_created(rq->db, rq->s.user.couple_id, rq->s.user.id, &at);
  if (rc != DB_ROW && rc != DB_DONE) return web_db_error(rq);
  char iso[ISO_TIME_CHARS];
  iso_time(at, iso);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"active\":%r,\"created_at\":%q}", rc == DB_ROW ? "true" : "false", rc == DB_ROW ? iso : NULL);
  return web_json(rq, 200, o);
}

static int h_api_calendar_renew(rq_t *rq, json_t *j) {
  (void)j;
  char secret[TOKEN_CHARS + 1], iso[ISO_TIME_CHARS];
  if (renew(rq, secret) != 0) return web_db_error(rq);
  const char *url = feed_url(rq, secret);
  iso_time(web_now(), iso);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"active\":true,\"created_at\":%q,\"url\":%q}", iso, url);
  return web_created(rq, o, "/api/v1/calendar", -1);
}

static int h_api_calendar_revoke(rq_t *rq, json_t *j) {
  (void)j;
  if (cal_delete(rq->db, rq->s.user.couple_id, rq->s.user.id) != DB_OK) return web_db_error(rq);
  return web_no_content(rq);
}

/* The new address, shown once: only its hash is kept. */
static int h_calendar_renew_post(rq_t *rq, json_t *j) {
  (void)j;
  char secret[TOKEN_CHARS + 1];
  if (renew(rq, secret) != 0) return web_db_error(rq);
  const char *url = feed_url(rq, secret);
  /* webcal: the same address, which a phone hands to its calendar app to subscribe */
  const char *colon = strstr(url, "://");
  sb_t wc = {0};
  sb_markup(&wc, "webcal%s", colon ? colon : "://");
  const char *webcal = h2o_strdup(&rq->req->pool, wc.buf, wc.len).base;
  sb_free(&wc);
  sb_t *o = web_out(rq);
  page_open(rq, o);
  sb_html(o, "<h1>Your calendar address</h1>\n<p class=\"lead\">Add this address to your phone's calendar (\"subscribe\" "
             "or \"add calendar from URL\"). It is shown only now: mend keeps no copy it could show again. If it gets "
             "lost, make a new one.</p>\n<p class=\"code invite-link\" id=\"calendar-url\">%s</p>\n"
             "<p class=\"actions\"><a class=\"button\" href=\"%s\">Open in my calendar</a> "
             "<button type=\"button\" class=\"secondary\" data-copy=\"%s\" hidden>Copy the address</button></p>\n"
             "<p><a href=\"/account#calendar-h\">Back to your account</a></p>\n", url, webcal, url);
  return page_end(rq, o, 200);
}

static int h_calendar_revoke_post(rq_t *rq, json_t *j) {
  (void)j;
  if (cal_delete(rq->db, rq->s.user.couple_id, rq->s.user.id) != DB_OK) return web_db_error(rq);
  return web_redirect(rq, "/account#calendar-h");
}

/* The account page's calendar section (listed in routes.c's account_sections). */
void calendar_account_section(rq_t *rq, sb_t *o, const char *err, const char *field) {
  (void)err;
  (void)field;
  int64_t at = 0;
  int has = cal_created(rq->db, rq->s.user.couple_id, rq->s.user.id, &at) == DB_ROW;
  sb_html(o, "<section aria-labelledby=\"calendar-h\" class=\"card\">\n<h2 id=\"calendar-h\">Your calendar</h2>\n"
             "<p>A secret address for your phone's calendar shows your check-in and your promises there. Anyone with "
             "the address can read them: make a new one if it leaked, or turn it off.</p>\n");
  if (has) {
    sb_text(o, "<p>Your calendar address was made on ");
    page_time(o, at);
    sb_text(o, ". Making a new one stops the old one.</p>\n");
  }
  sb_markup(o, "<form method=\"post\" action=\"/account/calendar\">");
  form_csrf(rq, o);
  sb_markup(o, "<button type=\"submit\" class=\"secondary\">%s</button></form>\n", has ? _("Make a new address") : _("Make a calendar address"));
  if (has) {
    sb_markup(o, "<form method=\"post\" action=\"/account/calendar/revoke\">");
    form_csrf(rq, o);
    sb_text(o, "<button type=\"submit\" class=\"secondary\">Turn the calendar off</button></form>\n");
  }
  sb_puts(o, "</section>\n");
}

const route_t calendar_routes[] = {
  {"POST", "/account/calendar", h_calendar_renew_post, R_AUTH | R_CSRF, "account_calendar"},
  {"POST", "/account/calendar/revoke", h_calendar_revoke_post, R_AUTH | R_CSRF, "account_calendar"},
  {"GET", "/calendar/{file}", h_calendar_feed, R_SECRET_PATH, "calendar_feed"},
  {"GET", "/api/v1/calendar", h_api_calendar, R_AUTH, "api_calendar"},
  {"POST", "/api/v1/calendar", h_api_calendar_renew, R_AUTH, "api_calendar"},
  {"DELETE", "/api/v1/calendar", h_api_calendar_revoke, R_AUTH, "api_calendar"},
  {NULL, NULL, NULL, 0, NULL},
};
