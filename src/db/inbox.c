/* inbox.c (db): one query for everything waiting for one partner, each tool's rows asked in a
   branch of one UNION ALL (one round trip on PostgreSQL), handed on newest first. */
#include "inbox.h"
#include "core/days.h"
#include <stdlib.h>
#include <string.h>

static void read_item(db_stmt_t *st, void *row) {
  *(inbox_row *)row = (inbox_row){db_col_text(st, 0), db_col_int(st, 1), db_col_text(st, 2), db_col_int(st, 3), db_col_int(st, 4),
                                  db_col_int(st, 5)};
}

/* $1 couple, $2 me, $3 resting, $4 this week's Monday, $5 news since, $6 today, $7 moments since (a day),
   $8 today's slot in a 366-day year, $9 now.
   A check-in's reveal waits for the partner who answered first (within one second, for both).
   A hard date reminds the partner who broke trust (or both did; while neither path is said, the
   partner who did not add it), from remind_days before it to the day: a yearly one is found by
   its slot (at most a day early in a year without Feb 29), then placed exactly (in_window). A
   time-out waits for the partner who did not call it while it runs, and for both in the hour
   after it ends (come back). A talk waits for the partner whose turn it is (the first speaker,
   when the other started it), its count the steps so far (each turn is reminded of once). */
#define INBOX_SQL \
  "SELECT 'question_answer', q.id, q.text, q.last_asked_at, 1, q.asker_id FROM questions q " \
  "WHERE q.couple_id = $1 AND q.waiting = 1 AND q.asker_id <> $2 AND $3 = 0 " \
  "UNION ALL SELECT 'apology_read', a.id, '', a.delivered_at, 1, a.author_id FROM apologies a " \
  "WHERE a.couple_id = $1 AND a.author_id <> $2 AND a.delivered_at IS NOT NULL AND a.responded_at IS NULL AND $3 = 0 " \
  "UNION ALL SELECT CASE WHEN g.version > 1 THEN 'agreement_revision' ELSE 'agreement_sign' END, g.id, g.title, g.created_at, 1, g.proposed_by " \
  "FROM agreements g WHERE g.couple_id = $1 AND g.status = 'proposed' AND NOT EXISTS (SELECT 1 FROM agreement_signatures s " \
  "WHERE s.couple_id = $1 AND s.agreement_id = g.id AND s.user_id = $2) " \
  "UNION ALL SELECT 'agreement_retire', g.id, g.title, COALESCE((SELECT MAX(l.at) FROM ledger l WHERE l.couple_id = $1 " \
  "AND l.kind = 'agreement_retire_asked' AND l.subject_id = g.id), g.created_at), 1, g.retire_asked_by FROM agreements g " \
  "WHERE g.couple_id = $1 AND g.status = 'active' AND g.retire_asked_by IS NOT NULL AND g.retire_asked_by <> $2 " \
  "UNION ALL SELECT 'agreement_review', g.id, g.title, g.review_on * 86400, 1, 0 FROM agreements g WHERE g.couple_id = $1 " \
  "AND g.status = 'active' AND g.review_on <= $6 AND NOT EXISTS (SELECT 1 FROM agreement_reviews r WHERE r.couple_id = $1 " \
  "AND r.agreement_id = g.id AND r.user_id = $2) " \
  "UNION ALL SELECT 'promise_confirm', p.id, p.text, MAX(r.reported_at), COUNT(*), p.promiser_id FROM promise_reports r " \
  "JOIN promises p ON p.couple_id = r.couple_id AND p.id = r.promise_id " \
  "WHERE r.couple_id = $1 AND r.confirmed IS NULL AND p.promiser_id <> $2 GROUP BY p.id, p.text, p.promiser_id " \
  "UNION ALL SELECT CASE WHEN m.user_id IS NULL THEN 'checkin_answer' ELSE 'checkin_revealed' END, c.week, '', c.submitted_at, 1, c.user_id " \
  "FROM checkin_answers c LEFT JOIN checkin_answers m ON m.couple_id = c.couple_id AND m.week = c.week AND m.user_id = $2 " \
  "WHERE c.couple_id = $1 AND c.week = $4 AND c.user_id <> $2 AND (m.user_id IS NULL OR m.submitted_at <= c.submitted_at) " \
  "UNION ALL SELECT 'trigger_shared', t.id, '', t.created_at, 1, t.author_id FROM triggers t " \
  "WHERE t.couple_id = $1 AND t.author_id <> $2 AND t.shared = 1 AND t.replied_at IS NULL AND t.created_at >= $5 " \
  "UNION ALL SELECT 'forgiveness_note', f.id, '', f.shared_at, 1, f.author_id FROM forgiveness_notes f " \
  "WHERE f.couple_id = $1 AND f.author_id <> $2 AND f.shared_at >= $5 " \
  "UNION ALL SELECT 'moment_note', o.id, o.title, o.created_at, 1, o.created_by FROM moments o WHERE o.couple_id = $1 AND o.done = 1 " \
  "AND o.day >= $7 AND o.day <= $6 AND NOT EXISTS (SELECT 1 FROM moment_notes n WHERE n.couple_id = $1 AND n.moment_id = o.id " \
  "AND n.user_id = $2) " \
  "UNION ALL SELECT 'report_made', r.id, '', r.made_at, 1, COALESCE(r.made_by, 0) FROM reports r " \
  "WHERE r.couple_id = $1 AND r.made_at >= $5 AND (r.made_by IS NULL OR r.made_by <> $2) " \
  "UNION ALL SELECT CASE WHEN h.yearly = 1 AND h.day < $6 THEN 'hard_date~' ELSE 'hard_date' END, h.id, h.title, h.day, " \
  "h.remind_days, h.added_by FROM hard_dates h JOIN users m ON m.couple_id = $1 AND m.id = $2 WHERE h.couple_id = $1 " \
  "AND (m.path IN ('broke_trust', 'both') OR (m.path IS NULL AND h.added_by <> $2)) " \
  "AND ((h.day >= $6 AND h.day <= $6 + h.remind_days) OR (h.yearly = 1 AND h.day < $6 " \
  "AND (h.slot - $8 + 366) % 366 <= h.remind_days + 1)) " \
  "UNION ALL SELECT CASE WHEN t.ends_at > $9 THEN 'timeout_on' ELSE 'timeout_over' END, t.id, '', " \
  "CASE WHEN t.ends_at > $9 THEN t.called_at ELSE t.ends_at END, 1, t.called_by FROM timeouts t WHERE t.couple_id = $1 " \
  "AND t.ends_at > $9 - 3600 AND t.called_at <= $9 AND (t.ends_at <= $9 OR t.called_by <> $2) " \
  "UNION ALL SELECT 'letter_read', l.id, l.kind, l.given_at, 1, l.author_id FROM letters l WHERE l.couple_id = $1 " \
  "AND l.author_id <> $2 AND l.given_at IS NOT NULL AND l.read_at IS NULL " \
  "UNION ALL SELECT 'letters_destroy', d.user_id, '', d.asked_at, 1, d.user_id FROM letter_destroy d WHERE d.couple_id = $1 " \
  "AND d.user_id <> $2 AND NOT EXISTS (SELECT 1 FROM letter_destroy m WHERE m.couple_id = $1 AND m.user_id = $2) " \
  "UNION ALL SELECT 'talk_turn', t.id, t.topic, COALESCE(s.at, t.created_at), t.steps, COALESCE(s.by_id, t.started_by) FROM talks t " \
  "LEFT JOIN talk_steps s ON s.couple_id = $1 AND s.talk_id = t.id AND s.seq = t.steps WHERE t.couple_id = $1 " \
  "AND t.closed_at IS NULL AND ((t.steps = 0 AND t.first_speaker = $2 AND t.started_by <> $2) OR s.by_id <> $2) " \
  "UNION ALL SELECT 'counsellor_agree', a.id, COALESCE(u.display_name, i.name), a.asked_at, 1, a.asked_by FROM counsellor_access a " \
  "LEFT JOIN users u ON u.id = a.counsellor_id LEFT JOIN counsellor_invites i ON i.couple_id = $1 AND i.access_id = a.id " \
  "WHERE a.couple_id = $1 AND a.asked_by <> $2 AND a.agreed_at IS NULL " \
  "AND a.ended_at IS NULL " \
  "UNION ALL SELECT 'counsellor_suggestion', s.id, u.display_name, s.created_at, 1, 0 FROM counsellor_suggestions s " \
  "JOIN users u ON u.id = s.counsellor_id WHERE s.couple_id = $1 AND NOT EXISTS (SELECT 1 FROM counsellor_suggestion_seen x " \
  "WHERE x.couple_id = $1 AND x.suggestion_id = s.id AND x.user_id = $2) " \
  "UNION ALL SELECT 'partner_left', u.id, u.display_name, u.deleted_at, 1, u.id FROM users u " \
  "WHERE u.couple_id = $1 AND u.id <> $2 AND u.deleted_at IS NOT NULL"

/* the moments of the last fortnight that are done and have no note of this partner's yet */
#define MOMENT_DAYS 14

/* A hard date as read (its first day in since, remind_days in count) made what waits: since the
   day its reminders began, count the days left; 0 when it is not in its window after all. */
static int in_window(inbox_row *r, int64_t today) {
  int yearly = r->kind[9] == '~';
  int64_t at = yearly ? day_next_yearly(r->since, today) : r->since, left = at - today;
  if (left < 0 || left > r->count) return 0;
  r->kind = "hard_date";
  r->since = (at - r->count) * SECONDS_PER_DAY;
  r->count = left;
  return 1;
}

/* The rows are sorted here: an ORDER BY over the union makes SQLite sort every branch and
   merge them, which costs more than the query itself. */
typedef struct { inbox_row *v; size_t n, cap; int failed; int64_t today; } gathered;

static void gather(void *p, const void *row) {
  gathered *g = p;
  if (g->failed) return;
  if (g->n == g->cap) {
    size_t cap = g->cap ? 2 * g->cap : 16;
    inbox_row *v = realloc(g->v, cap * sizeof *v);
    if (!v) { g->failed = 1; return; }
    g->v = v;
    g->cap = cap;
  }
  inbox_row r = *(const inbox_row *)row;
  if (r.kind && !strncmp(r.kind, "hard_date", 9) && !in_window(&r, g->today)) return;
  if (!(r.title = strdup(r.title ? r.title : "")) || !(r.kind = strdup(r.kind ? r.kind : ""))) {
    free((char *)r.title);
    g->failed = 1;
    return;
  }
  g->v[g->n++] = r;
}

static int newest_first(const void *x, const void *y) {
  const inbox_row *a = x, *b = y;
  if (a->since != b->since) return a->since < b->since ? 1 : -1;
  return (a->id < b->id) - (a->id > b->id);
}

int inbox_list(db_t *db, const inbox_ask *a, db_each cb, void *ctx) {
  inbox_row r;
  gathered g = {NULL, 0, 0, 0, a->today};
  int rc = db_rows(db, INBOX_SQL, read_item, &r, gather, &g, "iiiiiiiii", a->couple, a->me, (int64_t)(a->resting != 0), a->week,
                   a->recent, a->today, a->today - MOMENT_DAYS, (int64_t)day_slot(a->today), a->now);
  if (rc == DB_OK && g.failed) rc = DB_ERROR;
  if (rc == DB_OK) {
    if (g.n > 1) qsort(g.v, g.n, sizeof *g.v, newest_first);
    for (size_t i = 0; i < g.n; i++) cb(ctx, &g.v[i]);
  }
  for (size_t i = 0; i < g.n; i++) { free((char *)g.v[i].title); free((char *)g.v[i].kind); }
  free(g.v);
  return rc;
}
