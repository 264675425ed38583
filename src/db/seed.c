/* seed.c: fills a database with made-up couples and their history, for benchmarks and
   for trying mend out. Every feature adds a generator for what it stores to seed_couple(),
   so `mend seed` always covers every kind of row. */
#include "seed.h"
#include "accounts.h"
#include "breach.h"
#include "feelings.h"
#include "questions.h"
#include "apologies.h"
#include "agreements.h"
#include "promises.h"
#include "journal.h"
#include "closeness.h"
#include "moments.h"
#include "values.h"
#include "setbacks.h"
#include "forgiveness.h"
#include "triggers.h"
#include "truths.h"
#include "counsellors.h"
#include "core/secret.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* The later part: a journal entry a fortnight (shared, with an addition, or private and
   sealed), closeness choices, a moment a month with both notes, appreciations, a value and a
   goal, a setback a quarter, and a sealed forgiveness note. */
static int seed_grow(db_t *db, const user_t *a, const user_t *b, const unsigned char dks[2][SEAL_KEY], int64_t start, int64_t now) {
  int64_t c = a->couple_id;
  static const char priv[] = "Some mornings I am still angry, and I do not say it.";
  unsigned char sealed[sizeof priv - 1 + SEAL_OVERHEAD];
  int k = 0;
  for (int64_t t = start + SECONDS_PER_DAY; t < now; t += 14 * SECONDS_PER_DAY, k++) {
    int64_t id = secret_id();
    const user_t *who = k % 2 ? b : a;
    if (k % 3 == 2) {
      seal_text(dks[who == b], "journal", c, id, priv, sizeof priv - 1, sealed);
      if (journal_add(db, c, id, who->id, 1, NULL, sealed, sizeof sealed, t) != DB_OK) return -1;
    } else if (journal_add(db, c, id, who->id, 0, "We talked for an *hour* with the phones away.", NULL, 0, t) != DB_OK ||
               journal_addition_add(db, c, id, secret_id(), (who == a ? b : a)->id, "It felt like us again.", NULL, 0,
                                    t + 3600) != DB_OK) {
      return -1;
    }
    if (k % 2 == 0) {
      int64_t m = secret_id();
      if (moments_add(db, c, m, a->id, "Dinner by the river", "date", day_of(t) + 3, 1, t) != DB_OK ||
          moment_note_set(db, c, m, a->id, "The best evening in months.", t + 4 * SECONDS_PER_DAY) != DB_OK ||
          moment_note_set(db, c, m, b->id, "I laughed again.", t + 4 * SECONDS_PER_DAY) != DB_OK ||
          appreciations_add(db, c, secret_id(), b->id, "Thank you for planning it.", t + 5 * SECONDS_PER_DAY) != DB_OK)
        return -1;
    }
    /* a trigger a fortnight for the hurt partner: most private (sealed), some shared and answered */
    static const char trig[] = "The song from that summer, in a shop";
    unsigned char ts[sizeof trig - 1 + SEAL_OVERHEAD];
    int64_t tid = secret_id();
    int tshared = k % 3 == 0;
    if (!tshared) seal_text(dks[1], "triggers", c, tid, trig, sizeof trig - 1, ts);
    if (triggers_add(db, c, tid, b->id, 1 + k % 5, tshared ? trig : "", tshared ? NULL : ts, tshared ? 0 : sizeof ts, tshared,
                     (int)(t % SECONDS_PER_DAY / 60), day_weekday(day_of(t)), t) != DB_OK ||
        (tshared && db_write(db, "UPDATE triggers SET reply = 'I am here.', replied_at = $3 WHERE couple_id = $1 AND id = $2",
                             "iii", c, tid, t + 600) != DB_OK))
      return -1;
    if (k % 6 == 5 && setbacks_add(db, c, secret_id(), b->id, day_of(t), "A song brought it all back.", 3, "Talking it through.",
                                   t) != DB_OK)
      return -1;
  }
  static const char *steps[] = {"talk", "walk", "meal", "hold_hands"};
  /* chosen days ago: a "ready" counts towards a match from the next day */
  for (int i = 0; i < 4; i++)
    if (closeness_set(db, c, a->id, steps[i], "ready", now - 2 * SECONDS_PER_DAY) != DB_OK ||
        closeness_set(db, c, b->id, steps[i], i < 3 ? "ready" : "not_yet", now - 2 * SECONDS_PER_DAY) != DB_OK)
      return -1;
  int64_t v = secret_id(), g = secret_id(), f = secret_id();
  goal_step_t gs[] = {{"Choose a place", 1}, {"Save for it", 1}, {"Book it", 0}};
  static const char forgive[] = "Closer than last month. Not there yet.";
  unsigned char fs[sizeof forgive - 1 + SEAL_OVERHEAD];
  seal_text(dks[1], "forgiveness", c, f, forgive, sizeof forgive - 1, fs);
  if (values_add(db, c, v, a->id, "Honesty, even when it is hard.", start + 30 * SECONDS_PER_DAY) != DB_OK ||
      values_affirm(db, c, v, start + 31 * SECONDS_PER_DAY) != DB_OK ||
      goals_write(db, c, g, b->id, "A week away next summer", gs, 3, start + 40 * SECONDS_PER_DAY, 1) != DB_OK ||
      forgiveness_add(db, c, f, b->id, "partner", fs, sizeof fs, start + 50 * SECONDS_PER_DAY) != DB_OK)
    return -1;
  return 0;
}

/* Everything a couple does over the period: both accounts of the breach, a feeling and a
   question a week with their answers, apologies, agreements signed, and a promise kept twice
   a week, reported and confirmed, with every ledger entry these make. */
static int seed_activity(db_t *db, const user_t *a, const user_t *b, const unsigned char dks[2][SEAL_KEY], int64_t start,
                         int64_t now) {
  int64_t c = a->couple_id, id;
  if (breach_write(db, c, a->id, "I hid the debt and lied when asked.", "Shame.", "dishonesty", "me", start + SECONDS_PER_DAY) != DB_OK ||
      breach_write(db, c, b->id, "I found the statements.", "We stopped talking about money.", "secrecy", "partner", start + SECONDS_PER_DAY) != DB_OK ||
      breach_acknowledge(db, c, a->id, start + 2 * SECONDS_PER_DAY) != DB_OK || breach_acknowledge(db, c, b->id, start + 2 * SECONDS_PER_DAY) != DB_OK)
    return -1;
  static const char sorry[] = "I am sorry. I lied to you about the money and it was my fault.";
  unsigned char sealed_sorry[sizeof sorry - 1 + SEAL_OVERHEAD];
  id = secret_id();
  seal_text(dks[0], "apologies", c, id, sorry, sizeof sorry - 1, sealed_sorry);
  if (apologies_add(db, c, id, a->id, "", sealed_sorry, sizeof sealed_sorry, start + 3 * SECONDS_PER_DAY) != DB_OK ||
      apologies_deliver(db, c, id, sorry, start + 4 * SECONDS_PER_DAY) != DB_OK || apologies_respond(db, c, id, 1, "Thank you.", start + 5 * SECONDS_PER_DAY) != DB_OK)
    return -1;
  static const char *titles[] = {"Money in the open", "No contact with him", "Phones on the table"};
  for (int i = 0; i < 3; i++) {
    if (agreements_propose(db, c, a->id, a->display_name, 0, 1, titles[i], "We both agree to this.", "transparency", start + 7 * SECONDS_PER_DAY, &id) != DB_OK)
      return -1;
    agreement_t ag = {.id = id, .root_id = id, .version = 1, .title = titles[i]};
    if (agreements_sign(db, c, &ag, b->id, b->display_name, start + 8 * SECONDS_PER_DAY) != DB_OK) return -1;
  }
  pr_rule rule = {PR_WEEK, 1 | 1 << 3, day_of(start), 0, 0};
  promise_t p = {.promiser_id = a->id, .rule = rule};
  if (promises_add(db, c, a->id, a->display_name, "Call at lunch", &rule, start, &p.id) != DB_OK) return -1;
  int week = 0;
  for (int64_t d = day_of(start); d < day_of(now); d++) {
    if (pr_is_due(&rule, d)) {
      int kept = d % 11 != 0;
      if (promises_report(db, c, &p, "Call at lunch", d, kept, "", a->display_name, d * SECONDS_PER_DAY + 50000) != DB_OK ||
          promises_confirm(db, c, &p, "Call at lunch", d, 1, "", b->id, b->display_name, d * SECONDS_PER_DAY + 70000) != DB_OK)
        return -1;
    }
    /* a daily truth every third day, half answered with a heart (written straight, as the
       features' conditional writes would stop PostgreSQL's pipeline to read their row count) */
    if (d % 3 == 0) {
      int64_t tr;
      if (truths_add(db, c, a->id, d, "I was tempted to keep something small from you today, and I did not.",
                     d * SECONDS_PER_DAY + 60000, &tr) != DB_OK ||
          (d % 2 == 0 && db_write(db, "UPDATE truths SET reply_heart = 1, reply = '', replied_at = $3 WHERE couple_id = $1 AND id = $2",
                                  "iii", c, tr, d * SECONDS_PER_DAY + 64000) != DB_OK))
        return -1;
    }
    if (day_weekday(d) == 6) {
      int64_t t = d * SECONDS_PER_DAY + 40000, q, ans;
      const user_t *who = week % 2 ? a : b;
      static const char words[] = "A week of small steps.";
      unsigned char sealed[sizeof words - 1 + SEAL_OVERHEAD];
      int shared = week % 2;
      id = secret_id();
      if (!shared) seal_text(dks[who == b], "feelings", c, id, words, sizeof words - 1, sealed);
      if (feelings_add(db, c, id, who->id, week % 3 ? "hopeful" : "sad", shared ? words : "", shared ? NULL : sealed,
                       shared ? 0 : sizeof sealed, shared, t) != DB_OK ||
          questions_add(db, c, b->id, "How are you really doing this week?", t, &q) != DB_OK ||
          questions_answer(db, c, q, a->id, "Tired, but glad we keep going.", t + 3600, &ans) != DB_OK)
        return -1;
      week++;
    }
  }
  return seed_grow(db, a, b, dks, start, now);
}

/* Users are seed<N>a and seed<N>b (N from 1), all with the same password, whose hash is
   computed once by the caller: argon2id per seeded user would take minutes. */
static int seed_couple(db_t *db, int n, int64_t start, int64_t now, const char *pwhash, const seal_kek_t *kek) {
  user_t a = {0}, b = {0};
  snprintf(a.username, sizeof a.username, "seed%da", n);
  snprintf(a.display_name, sizeof a.display_name, "Partner A%d", n);
  if (acct_signup(db, &a, pwhash, start) != DB_OK) return -1;
  unsigned char code[HASH_BYTES];
  char token[TOKEN_CHARS + 1];
  secret_token(token);
  secret_hash(token, TOKEN_CHARS, code);
  if (acct_invite_create(db, a.couple_id, a.id, code, start, start + 7 * SECONDS_PER_DAY) != DB_OK) return -1;
  snprintf(b.username, sizeof b.username, "seed%db", n);
  snprintf(b.display_name, sizeof b.display_name, "Partner B%d", n);
  if (acct_join(db, code, &b, pwhash, start + 3600) != JOIN_OK) return -1;
  unsigned char dks[2][SEAL_KEY], box[SEAL_KEYBOX];
  for (int k = 0; k < 2; k++) {
    seal_keybox_under(kek, dks[k], box);
    if (acct_set_keybox(db, a.couple_id, k ? b.id : a.id, box) != DB_OK) return -1;
  }
  /* sessions: one a week for each partner over the period; old ones as a server keeps them */
  if (db_begin(db) != DB_OK) return -1;
  for (int64_t t = start; t < now; t += 7 * SECONDS_PER_DAY) {
    for (int k = 0; k < 2; k++) {
      secret_token(token);
      secret_hash(token, TOKEN_CHARS, code);
      if (acct_session_create(db, code, k ? &b : &a, t % 2 == 0, NULL, t) != DB_OK) { db_rollback(db); return -1; }
    }
  }
  if (db_commit(db) != DB_OK) return -1;
  int rc = seed_activity(db, &a, &b, (const unsigned char (*)[SEAL_KEY])dks, start, now);
  sodium_memzero(dks, sizeof dks);
  return rc;
}

/* One worker's share: couples first, first + step, ... up to couples. */
typedef struct {
  db_t *db;
  int first, step, couples, years, rc;
  int64_t now;
  const char *pwhash;
  const seal_kek_t *kek;
  void (*progress)(int done);
} seed_part_t;

static atomic_int seeded;

static void *seed_part(void *arg) {
  seed_part_t *w = arg;
  int64_t start = w->now - (int64_t)w->years * 365 * SECONDS_PER_DAY;
  db_bulk(w->db, 1);
  for (int i = w->first; i <= w->couples && w->rc == 0; i += w->step) {
    /* one transaction a couple: the features' own transactions nest in it (no BEGIN or COMMIT
       of theirs reaches the database), so PostgreSQL pays two round trips a couple for them */
    if (db_begin(w->db) != DB_OK) { w->rc = -1; break; }
    if (seed_couple(w->db, i, start, w->now, w->pwhash, w->kek) != 0) { db_rollback(w->db); w->rc = -1; }
    else if (db_commit(w->db) != DB_OK) w->rc = -1;
    else if (w->progress && (atomic_fetch_add(&seeded, 1) + 1) % 100 == 0) w->progress(atomic_load(&seeded));
  }
  db_bulk(w->db, 0);
  return NULL;
}

static void read_ids(db_stmt_t *st, void *row) {
  int64_t *v = row;
  v[0] = db_col_int(st, 0);
  v[1] = db_col_int(st, 1);
}

int seed_counsellors(db_t *db, int counsellors, int per, int couples, int64_t now, const char *pwhash, const seal_kek_t *kek) {
  static const char *const all = "program,agreements,promises,trust,between,questions,notes";
  for (int k = 1; k <= counsellors; k++) {
    user_t c = {0};
    snprintf(c.username, sizeof c.username, "seedc%d", k);
    snprintf(c.display_name, sizeof c.display_name, "Counsellor %d", k);
    if (counsellor_add(db, &c, pwhash, now) != DB_OK) return -1;
    unsigned char dk[SEAL_KEY], box[SEAL_KEYBOX];
    seal_keybox_under(kek, dk, box);
    sodium_memzero(dk, sizeof dk);
    if (db_begin(db) != DB_OK) return -1;
    int rc = acct_set_keybox(db, c.couple_id, c.id, box);
    if (rc == DB_OK) rc = db_write(db, "UPDATE users SET password_once = 0 WHERE couple_id = $1 AND id = $2", "ii", c.couple_id, c.id);
    for (int j = 0; j < per && j < couples && rc == DB_OK; j++) {
      /* one partner asked, the other agreed, a day ago */
      char name[40];
      int64_t a[2], b[2];
      int n = ((k - 1) * per + j) % couples + 1;
      snprintf(name, sizeof name, "seed%da", n);
      if (db_row(db, "SELECT couple_id, id FROM users WHERE username = $1", read_ids, a, "s", name) != DB_ROW) { rc = DB_ERROR; break; }
      snprintf(name, sizeof name, "seed%db", n);
      if (db_row(db, "SELECT couple_id, id FROM users WHERE username = $1", read_ids, b, "s", name) != DB_ROW) { rc = DB_ERROR; break; }
      rc = db_write(db, "INSERT INTO counsellor_access (couple_id, id, counsellor_id, tools, asked_by, asked_at, agreed_by, agreed_at) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $6)", "iiisiii", a[0], secret_id(), c.id, all, a[1], now - 86400, b[1]);
    }
    if (db_end(db, rc) != DB_OK) return -1;
  }
  return 0;
}

int seed_run(db_t *db, const db_target_t *more, int couples, int years, int64_t now, const char *pwhash,
             const seal_kek_t *kek, void (*progress)(int done)) {
  /* PostgreSQL runs each connection's statements on one core, and the couples are independent:
     on more connections its other cores work too */
  enum { WORKERS = 4 };
  seed_part_t w[WORKERS];
  pthread_t th[WORKERS];
  int n = 1, started[WORKERS] = {0};
  w[0] = (seed_part_t){db, 1, 1, couples, years, 0, now, pwhash, kek, progress};
  char err[256];
  if (more)
    while (n < WORKERS && n < couples && (w[n].db = db_open(more, err, sizeof err)) != NULL) n++;
  atomic_store(&seeded, 0);
  for (int k = 0; k < n; k++) {
    w[k] = (seed_part_t){k ? w[k].db : db, k + 1, n, couples, years, 0, now, pwhash, kek, progress};
    if (k) started[k] = pthread_create(&th[k], NULL, seed_part, &w[k]) == 0;
  }
  seed_part(&w[0]);
  int rc = w[0].rc;
  for (int k = 1; k < n; k++) {
    if (started[k]) pthread_join(th[k], NULL);
    if (!started[k] || w[k].rc) rc = -1;
    db_close(w[k].db);
  }
  return rc;
}
