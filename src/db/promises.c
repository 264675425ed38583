/* promises.c (db): promises, the promiser's reports and the partner's confirmations; each
   is written to the ledger in the same transaction. */
#include "promises.h"
#include "core/validate.h"
#include "core/secret.h"
#include <stdio.h>
#include <string.h>

static const char *every_name(enum pr_every e) { return e == PR_ONCE ? "once" : e == PR_DAY ? "day" : "week"; }

#define P_COLS "id, promiser_id, text, every, weekdays, start_day, COALESCE(due_day, 0), created_at, COALESCE(end_day, 0), " \
  "COALESCE(ended, ''), end_reason, COALESCE(replaces, 0), " \
  "COALESCE((SELECT n.id FROM promises n WHERE n.couple_id = promises.couple_id AND n.replaces = promises.id), 0)"

static void read_p(db_stmt_t *st, void *row) {
  promise_t *p = row;
  p->id = db_col_int(st, 0);
  p->promiser_id = db_col_int(st, 1);
  p->text = db_col_kept(st, 2);
  const char *e = db_col_text(st, 3);
  p->rule.every = e && e[0] == 'o' ? PR_ONCE : e && e[0] == 'd' ? PR_DAY : PR_WEEK;
  p->rule.weekdays = (int)db_col_int(st, 4);
  p->rule.start = db_col_int(st, 5);
  p->rule.due = db_col_int(st, 6);
  p->created_at = db_col_int(st, 7);
  p->rule.end = db_col_int(st, 8);
  const char *ended = db_col_text(st, 9);
  p->replaces = db_col_int(st, 11);
  p->replaced_by = db_col_int(st, 12);
  p->state = !ended || !*ended ? PS_RUNNING : !strcmp(ended, "ended") ? PS_ENDED
           : !strcmp(ended, "edited") || p->replaced_by ? PS_REPLACED : PS_PAUSED;
  p->end_reason = db_col_is_null(st, 10) ? NULL : db_col_kept(st, 10);
}

static const char *every_words(const pr_rule *r, char *when, size_t n) {
  if (r->every == PR_ONCE) { char d[DAY_CHARS]; day_format(r->due, d); snprintf(when, n, ", due %s", d); }
  else snprintf(when, n, r->every == PR_DAY ? ", every day" : ", every week");
  return when;
}

static int insert(db_t *db, int64_t couple, int64_t me, const char *text, const pr_rule *r, int64_t replaces, int64_t now,
                  int64_t *id) {
  *id = secret_id();
  return db_write(db,
      "INSERT INTO promises (couple_id, id, promiser_id, text, every, weekdays, start_day, due_day, created_at, replaces) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      "iiissiiziz", couple, *id, me, text, every_name(r->every), (int64_t)r->weekdays, r->start,
      r->every == PR_ONCE ? r->due : (int64_t)0, now, replaces);
}

int promises_add(db_t *db, int64_t couple, int64_t me, const char *actor_name, const char *text, const pr_rule *r,
                 int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = insert(db, couple, me, text, r, 0, now, id);
  if (rc == DB_OK) {
    char summary[700], when[64];
    utf8_format(summary, sizeof summary, "%s promised \"%.*s\"%s.", actor_name, QUOTE(text), every_words(r, when, sizeof when));
    rc = ledger_append(db, couple, me, "promise_made", *id, summary, now);
  }
  return db_end(db, rc);
}

int promises_stop(db_t *db, int64_t couple, const promise_t *p, const char *how, int64_t stop_day, const char *reason,
                  const char *actor_name, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  /* only from where it stood when the promiser decided: running, or paused (not paused twice),
     and never once a newer version took its place */
  int rc = db_write(db,
      "UPDATE promises SET end_day = COALESCE(end_day, $3), ended = $4, end_reason = $5 "
      "WHERE couple_id = $1 AND id = $2 AND (ended IS NULL OR (ended = 'paused' AND $4 <> 'paused')) "
      "AND NOT EXISTS (SELECT 1 FROM promises n WHERE n.couple_id = $1 AND n.replaces = $2)",
      "iiiss", couple, p->id, stop_day, how, reason && *reason ? reason : NULL);
  if (rc == DB_OK && db_changes(db) != 1) rc = DB_CONSTRAINT;
  if (rc == DB_OK && strcmp(how, "edited")) {
    char summary[1400], why[720] = "";
    if (reason && *reason) utf8_format(why, sizeof why, " (\"%.*s\")", QUOTE(reason));
    utf8_format(summary, sizeof summary, "%s %s \"%.*s\"%s.", actor_name, !strcmp(how, "paused") ? "paused" : "ended",
                QUOTE(p->text), why);
    rc = ledger_append(db, couple, p->promiser_id, !strcmp(how, "paused") ? "promise_paused" : "promise_ended", p->id, summary,
                       now);
  }
  return db_end(db, rc);
}

int promises_succeed(db_t *db, int64_t couple, const promise_t *p, const char *text, const pr_rule *r, int resume,
                     const char *actor_name, int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  /* the unique (couple_id, replaces) index refuses a second successor: DB_CONSTRAINT */
  int rc = insert(db, couple, p->promiser_id, text, r, p->id, now, id);
  if (rc == DB_OK) {
    char summary[1400], when[64];
    if (resume) utf8_format(summary, sizeof summary, "%s resumed \"%.*s\".", actor_name, QUOTE(text));
    else
      utf8_format(summary, sizeof summary, "%s changed \"%.*s\" to \"%.*s\"%s.", actor_name, QUOTE(p->text), QUOTE(text),
                  every_words(r, when, sizeof when));
    rc = ledger_append(db, couple, p->promiser_id, resume ? "promise_resumed" : "promise_changed", *id, summary, now);
  }
  return db_end(db, rc);
}

int promises_list(db_t *db, int64_t couple, db_each cb, void *ctx) {
  promise_t p;
  return db_rows(db, "SELECT " P_COLS " FROM promises WHERE couple_id = $1 ORDER BY created_at DESC, id", read_p, &p, cb, ctx,
                 "i", couple);
}

int promises_get(db_t *db, int64_t couple, int64_t id, promise_t *out, arena_t *keep) {
  int rc = db_row_keep(db, "SELECT " P_COLS " FROM promises WHERE couple_id = $1 AND id = $2", read_p, out, keep, "ii", couple, id);
  if (rc == DB_ROW && !keep) out->text = out->end_reason = NULL;
  return rc;
}

#define R_COLS "promise_id, day, kept, note, reported_at, COALESCE(confirmed, -1), confirm_note, COALESCE(confirmed_at, 0)"
static void read_r(db_stmt_t *st, void *row) {
  report_t *r = row;
  *r = (report_t){.promise_id = db_col_int(st, 0), .day = db_col_int(st, 1), .kept = (int)db_col_int(st, 2),
      .note = db_col_text(st, 3), .reported_at = db_col_int(st, 4), .confirmed = (int)db_col_int(st, 5),
      .confirm_note = db_col_text(st, 6), .confirmed_at = db_col_int(st, 7)};
}

int promises_reports(db_t *db, int64_t couple, db_each cb, void *ctx) {
  report_t r;
  return db_rows(db, "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 ORDER BY promise_id, day", read_r, &r, cb, ctx,
                 "i", couple);
}

int promises_reports_recent(db_t *db, int64_t couple, int64_t since, db_each cb, void *ctx) {
  report_t r;
  return db_rows(db,
      /* two index searches (by day, and the open ones) rather than a scan of every report;
         no ORDER BY, which would make SQLite walk the primary key instead */
      "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 AND day >= $2 UNION "
      "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 AND confirmed IS NULL",
      read_r, &r, cb, ctx, "ii", couple, since);
}

int promises_report_get(db_t *db, int64_t couple, int64_t promise, int64_t day, report_t *out) {
  int rc = db_row(db, "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 AND promise_id = $2 AND day = $3", read_r, out,
                  "iii", couple, promise, day);
  if (rc == DB_ROW) out->note = out->confirm_note = NULL;
  return rc;
}

int promises_report(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int kept, const char *note,
                    const char *actor_name, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db,
      "INSERT INTO promise_reports (couple_id, promise_id, day, kept, note, reported_at) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (couple_id, promise_id, day) DO UPDATE SET kept = excluded.kept, note = excluded.note, "
      "reported_at = excluded.reported_at, confirmed = NULL, confirm_note = NULL, confirmed_at = NULL "
      "WHERE promise_reports.confirmed IS NULL",
      "iiiisi", couple, p->id, day, (int64_t)(kept != 0), note ? note : "", now);
  /* a report the partner answered already stays as it is, whatever the order of the two */
  if (rc == DB_OK && db_changes(db) != 1) rc = DB_CONSTRAINT;
  if (rc == DB_OK) {
    char summary[700], d[DAY_CHARS];
    day_format(day, d);
    utf8_format(summary, sizeof summary, "%s reported \"%.*s\" as %s on %s.", actor_name, QUOTE(ptext), kept ? "kept" : "missed", d);
    rc = ledger_append(db, couple, p->promiser_id, "promise_reported", p->id, summary, now);
  }
  return db_end(db, rc);
}

int promises_confirm(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int confirmed,
                     const char *note, int64_t me, const char *actor_name, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_write(db,
      "UPDATE promise_reports SET confirmed = $4, confirm_note = $5, confirmed_at = $6 "
      "WHERE couple_id = $1 AND promise_id = $2 AND day = $3",
      "iiiisi", couple, p->id, day, (int64_t)(confirmed != 0), note ? note : "", now);
  if (rc == DB_OK) {
    char summary[700], d[DAY_CHARS];
    day_format(day, d);
    utf8_format(summary, sizeof summary, "%s %s the report of \"%.*s\" for %s.", actor_name,
                confirmed ? "confirmed" : "disputed", QUOTE(ptext), d);
    rc = ledger_append(db, couple, me, confirmed ? "report_confirmed" : "report_disputed", p->id, summary, now);
  }
  return db_end(db, rc);
}
