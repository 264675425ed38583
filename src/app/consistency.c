/* consistency.c (app): each partner's consistency in keeping promises (core/promise_rules.c
   scores it), and the couple's promises and reports as arrays for one computation. */
#include "consistency.h"
#include "util/tcache.h"
#include "db/ledger.h"
#include <stdlib.h>
#include <string.h>

/* ---- reports held in memory for one request ---- */

static void keep_report(void *p, const void *row) {
  const report_t *r = row;
  app_reports *rs = p;
  report_t c = *r;
  c.note = arena_strdup(rs->mem, r->note ? r->note : "");
  c.confirm_note = r->confirm_note ? arena_strdup(rs->mem, r->confirm_note) : NULL;
  ARENA_PUSH(rs->mem, *rs, c);
}

const report_t *app_report_find(const app_reports *rs, int64_t promise, int64_t day) {
  long lo = 0, hi = (long)rs->n - 1;
  while (lo <= hi) {
    long mid = (lo + hi) / 2;
    const report_t *r = &rs->v[mid];
    if (r->promise_id == promise && r->day == day) return r;
    if (r->promise_id < promise || (r->promise_id == promise && r->day < day)) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

/* promises_reports orders by promise id then day, which the binary search relies on */
int app_reports_load(const app_couple *c, app_reports *rs) {
  memset(rs, 0, sizeof *rs);
  rs->mem = c->mem;
  return promises_reports(c->db, c->couple, keep_report, rs);
}

static int by_promise_day(const void *a, const void *b) {
  const report_t *x = a, *y = b;
  if (x->promise_id != y->promise_id) return x->promise_id < y->promise_id ? -1 : 1;
  return (x->day > y->day) - (x->day < y->day);
}

/* Only what the page acts on: the last days' reports and those waiting for confirmation,
   sorted here for find_report. */
int app_reports_recent(const app_couple *c, app_reports *rs, int64_t since) {
  memset(rs, 0, sizeof *rs);
  rs->mem = c->mem;
  int rc = promises_reports_recent(c->db, c->couple, since, keep_report, rs);
  if (rs->n > 1) qsort(rs->v, rs->n, sizeof *rs->v, by_promise_day);
  return rc;
}

enum pr_outcome app_outcome(const report_t *r) {
  if (!r) return PO_UNREPORTED;
  if (!r->kept) return PO_MISSED;
  return r->confirmed == 1 ? PO_KEPT : r->confirmed == 0 ? PO_DISPUTED : PO_PENDING;
}

/* ---- promises held in memory ---- */

static void keep_promise(void *ctx, const void *row) {
  const promise_t *p = row;
  app_promises *ps = ctx;
  promise_t c = *p;
  c.text = arena_strdup(ps->mem, p->text);
  c.end_reason = p->end_reason ? arena_strdup(ps->mem, p->end_reason) : NULL;
  ARENA_PUSH(ps->mem, *ps, c);
}

int app_promises_load(const app_couple *c, app_promises *ps) {
  memset(ps, 0, sizeof *ps);
  ps->mem = c->mem;
  return promises_list(c->db, c->couple, keep_promise, ps);
}


/* The consistency of one partner's promises, counted to day t. */
static void consistency_at(arena_t *mem, const app_promises *ps, const app_reports *rs, const user_t *u, int64_t t, pr_consistency *out) {
  int64_t user = u->id;
  struct { pr_occurrence *v; size_t n, cap; } occ = {NULL, 0, 0};
  for (size_t i = 0; i < ps->n; i++) {
    const promise_t *p = &ps->v[i];
    if (p->promiser_id != user) continue;
    int64_t from = p->rule.start > t - APP_SCORE_DAYS ? p->rule.start : t - APP_SCORE_DAYS;
    for (int64_t d = from; d <= t; d++) {
      if (!pr_is_due(&p->rule, d)) continue;
      ARENA_PUSH(mem, occ, ((pr_occurrence){d, app_outcome(app_report_find(rs, p->id, d))}));
    }
  }
  pr_score(occ.v, (int)occ.n, t, out);
}

/* ---- each partner's scores, kept per couple while nothing that counts changes ----
   Every promise, report and confirmation appends to the couple's ledger, so the ledger's
   newest number, with each partner's today, tells whether scores computed before still hold.
   The cache is per event-loop thread (one per core): no lock. */
typedef struct {
  int64_t couple, seq, ids[2], days[2];
  unsigned char head[LEDGER_HASH];  /* the newest hash too: another history of the same length differs */
  int n, used;
  pr_consistency weeks[2][3];  /* 14, 7 and 0 days before each partner's today */
} score_entry;
#define SCORE_CACHE 256
static tcache_t score_tc = TCACHE(sizeof(score_entry) * SCORE_CACHE);

static const score_entry *scores(const app_couple *c) {
  db_t *db = c->db;
  int64_t couple = c->couple, seq = 0;
  unsigned char head[LEDGER_HASH] = {0};
  int lr = ledger_head(db, couple, &seq, head);
  if (lr != DB_ROW && lr != DB_DONE) return NULL;
  score_entry *tab = tcache_get(&score_tc);
  if (!tab) return NULL;
  score_entry *e = &tab[(uint64_t)couple % SCORE_CACHE];
  int hit = e->used && e->couple == couple && e->seq == seq && e->n == c->npartners && !memcmp(e->head, head, LEDGER_HASH);
  for (int i = 0; hit && i < c->npartners; i++)
    hit = e->ids[i] == c->partners[i].id && e->days[i] == app_today(&c->partners[i], c->now);
  if (hit) return e;
  app_promises ps;
  app_reports rs;
  int ok = app_promises_load(c, &ps) == DB_OK && app_reports_load(c, &rs) == DB_OK;
  if (ok) {
    e->couple = couple;
    e->seq = seq;
    memcpy(e->head, head, LEDGER_HASH);
    e->n = c->npartners;
    for (int i = 0; i < c->npartners; i++) {
      e->ids[i] = c->partners[i].id;
      e->days[i] = app_today(&c->partners[i], c->now);
      for (int k = 0; k < 3; k++) consistency_at(c->mem, &ps, &rs, &c->partners[i], e->days[i] - (14 - 7 * k), &e->weeks[i][k]);
    }
    e->used = 1;
  }
  return ok ? e : NULL;
}

int app_consistency(const app_couple *c, pr_consistency out[2][3]) {
  memset(out, 0, sizeof(pr_consistency) * 6);
  const score_entry *e = scores(c);
  if (!e) return -1;
  memcpy(out, e->weeks, sizeof e->weeks);
  return 0;
}

