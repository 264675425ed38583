/* promises.c (db): promises, the promiser's reports and the partner's confirmations; each
   is written to the ledger in the same transaction. */
#include "commitments.h"
#include "core/validate.h"
#include "core/secret.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *every_name(enum pr_every e) { return e == PR_ONCE ? "once" : e == PR_DAY ? "day" : "week"; }

#define P_COLS "id, promiser_id, text, every, weekdays, start_day, COALESCE(due_day, 0), created_at"

static void read_p(db_stmt_t *st, promise_t *p) {
  p->id = db_col_int(st, 0);
  p->promiser_id = db_col_int(st, 1);
  p->text = db_col_text(st, 2);
  const char *e = db_col_text(st, 3);
  p->rule.every = e && e[0] == 'o' ? PR_ONCE : e && e[0] == 'd' ? PR_DAY : PR_WEEK;
  p->rule.weekdays = (int)db_col_int(st, 4);
  p->rule.start = db_col_int(st, 5);
  p->rule.due = db_col_int(st, 6);
  p->created_at = db_col_int(st, 7);
}

int pr_add(db_t *db, int64_t couple, int64_t me, const char *actor_name, const char *text, const pr_rule *r,
           int64_t now, int64_t *id) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO promises (couple_id, id, promiser_id, text, every, weekdays, start_day, due_day, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
  if (!st) { db_rollback(db); return DB_ERROR; }
  *id = secret_id();
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, *id);
  db_bind_int(st, 3, me);
  db_bind_str(st, 4, text);
  db_bind_str(st, 5, every_name(r->every));
  db_bind_int(st, 6, r->weekdays);
  db_bind_int(st, 7, r->start);
  if (r->every == PR_ONCE) db_bind_int(st, 8, r->due); else db_bind_null(st, 8);
  db_bind_int(st, 9, now);
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_DONE) {
    char summary[700], when[64] = "";
    if (r->every == PR_ONCE) { char d[11]; day_format(r->due, d); snprintf(when, sizeof when, ", due %s", d); }
    else if (r->every == PR_DAY) snprintf(when, sizeof when, ", every day");
    else snprintf(when, sizeof when, ", every week");
    utf8_format(summary, sizeof summary, "%s promised \"%.*s\"%s.", actor_name, QUOTE(text), when);
    rc = ledger_append(db, couple, me, "promise_made", *id, summary, now);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int pr_list(db_t *db, int64_t couple, void (*cb)(void *, const promise_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db, "SELECT " P_COLS " FROM promises WHERE couple_id = $1 ORDER BY created_at DESC, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    promise_t p;
    read_p(st, &p);
    cb(ctx, &p);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int pr_get(db_t *db, int64_t couple, int64_t id, promise_t *out, char **text) {
  db_stmt_t *st = db_prepare(db, "SELECT " P_COLS " FROM promises WHERE couple_id = $1 AND id = $2");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    read_p(st, out);
    if (text && !(*text = strdup(out->text))) rc = DB_ERROR;
    out->text = text ? *text : NULL;
  }
  db_reset(st);
  return rc;
}

#define R_COLS "promise_id, day, kept, note, reported_at, COALESCE(confirmed, -1), confirm_note, COALESCE(confirmed_at, 0)"
static void read_r(db_stmt_t *st, report_t *r) {
  r->promise_id = db_col_int(st, 0);
  r->day = db_col_int(st, 1);
  r->kept = (int)db_col_int(st, 2);
  r->note = db_col_text(st, 3);
  r->reported_at = db_col_int(st, 4);
  r->confirmed = (int)db_col_int(st, 5);
  r->confirm_note = db_col_text(st, 6);
  r->confirmed_at = db_col_int(st, 7);
}

/* Steps a bound statement of reports, calling cb for each. */
static int each_report(db_stmt_t *st, void (*cb)(void *, const report_t *), void *ctx) {
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    report_t r;
    read_r(st, &r);
    cb(ctx, &r);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int pr_reports(db_t *db, int64_t couple, void (*cb)(void *, const report_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db, "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 ORDER BY promise_id, day");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  return each_report(st, cb, ctx);
}

int pr_reports_recent(db_t *db, int64_t couple, int64_t since, void (*cb)(void *, const report_t *), void *ctx) {
  db_stmt_t *st = db_prepare(db,
      /* two index searches (by day, and the open ones) rather than a scan of every report;
         no ORDER BY, which would make SQLite walk the primary key instead */
      "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 AND day >= $2 UNION "
      "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 AND confirmed IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, since);
  return each_report(st, cb, ctx);
}

int pr_report_get(db_t *db, int64_t couple, int64_t promise, int64_t day, report_t *out) {
  db_stmt_t *st = db_prepare(db, "SELECT " R_COLS " FROM promise_reports WHERE couple_id = $1 AND promise_id = $2 AND day = $3");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, promise);
  db_bind_int(st, 3, day);
  int rc = db_step(st);
  if (rc == DB_ROW) { read_r(st, out); out->note = out->confirm_note = NULL; }
  db_reset(st);
  return rc;
}

int pr_report(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int kept, const char *note,
              const char *actor_name, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *st = db_prepare(db,
      "INSERT INTO promise_reports (couple_id, promise_id, day, kept, note, reported_at) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (couple_id, promise_id, day) DO UPDATE SET kept = excluded.kept, note = excluded.note, "
      "reported_at = excluded.reported_at, confirmed = NULL, confirm_note = NULL, confirmed_at = NULL "
      "WHERE promise_reports.confirmed IS NULL");
  if (!st) { db_rollback(db); return DB_ERROR; }
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, p->id);
  db_bind_int(st, 3, day);
  db_bind_int(st, 4, kept != 0);
  db_bind_str(st, 5, note ? note : "");
  db_bind_int(st, 6, now);
  int rc = db_step(st);
  db_reset(st);
  /* a report the partner answered already stays as it is, whatever the order of the two */
  if (rc == DB_DONE && db_changes(db) != 1) rc = DB_CONSTRAINT;
  if (rc == DB_DONE) {
    char summary[700], d[11];
    day_format(day, d);
    utf8_format(summary, sizeof summary, "%s reported \"%.*s\" as %s on %s.", actor_name, QUOTE(ptext), kept ? "kept" : "missed", d);
    rc = ledger_append(db, couple, p->promiser_id, "promise_reported", p->id, summary, now);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

int pr_confirm(db_t *db, int64_t couple, const promise_t *p, const char *ptext, int64_t day, int confirmed,
               const char *note, int64_t me, const char *actor_name, int64_t now) {
  if (db_begin(db) != DB_OK) return DB_ERROR;
  db_stmt_t *st = db_prepare(db,
      "UPDATE promise_reports SET confirmed = $4, confirm_note = $5, confirmed_at = $6 "
      "WHERE couple_id = $1 AND promise_id = $2 AND day = $3");
  if (!st) { db_rollback(db); return DB_ERROR; }
  db_bind_int(st, 1, couple);
  db_bind_int(st, 2, p->id);
  db_bind_int(st, 3, day);
  db_bind_int(st, 4, confirmed != 0);
  db_bind_str(st, 5, note ? note : "");
  db_bind_int(st, 6, now);
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_DONE) {
    char summary[700], d[11];
    day_format(day, d);
    utf8_format(summary, sizeof summary, "%s %s the report of \"%.*s\" for %s.", actor_name,
             confirmed ? "confirmed" : "disputed", QUOTE(ptext), d);
    rc = ledger_append(db, couple, me, confirmed ? "report_confirmed" : "report_disputed", p->id, summary, now);
  }
  if (rc != DB_DONE) { db_rollback(db); return rc; }
  return db_commit(db) == DB_OK ? DB_DONE : DB_ERROR;
}

