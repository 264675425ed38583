/* next_step.c (app): the program's standing and the next step (core/plan.c chooses it from
   what waits and what is written). */
#include "next_step.h"
#include "core/days.h"
#include "db/breach.h"
#include <string.h>

/* The standing (two queries, one of them asking every tool) is kept per thread and partner
   while the couple's data version stands still: the home page asks it on every visit. */
typedef struct { int64_t viewer, version; program_standing p; } standing_memo;
#define STANDING_MEMO 256
static __thread standing_memo standing_memos[STANDING_MEMO];

int app_program_standing(const app_couple *c, program_standing *p) {
  standing_memo *e = &standing_memos[(uint64_t)c->viewer % STANDING_MEMO];
  if (c->version >= 0 && e->viewer == c->viewer && e->version == c->version) { *p = e->p; return 0; }
  memset(p, 0, sizeof *p);
  if (program_state_get(c->db, c->couple, c->viewer, &p->phase, &p->started, &p->mine, &p->partners) != DB_OK ||
      program_checks(c->db, c->couple, c->viewer, p->started, &p->checks) != DB_OK)
    return -1;
  p->taken = plan_steps_taken(plan_phase_at(p->phase), p->checks);
  if (c->version >= 0) *e = (standing_memo){c->viewer, c->version, *p};
  return 0;
}

typedef struct { int64_t viewer; plan_state *s; } breach_seen;
static void breach_state(void *ctx, const void *row) {
  const breach_account_t *a = row;
  breach_seen *b = ctx;
  if (a->user_id == b->viewer) { b->s->my_account = 1; b->s->i_acknowledged = a->acknowledged_at != 0; }
  else b->s->partner_account = 1;
}

plan_next app_next_step(const app_couple *c, const program_standing *p, waiting_counts *w, int (*has_page)(const char *tool)) {
  plan_state s;
  waiting_counts own;
  memset(&s, 0, sizeof s);
  for (int i = 0; i < c->npartners; i++)
    if (c->partners[i].id == c->viewer) s.path = plan_path(c->partners[i].path);
  if (!w) {
    w = &own;
    int64_t t = day_of(c->now);
    for (int i = 0; i < c->npartners; i++)
      if (c->partners[i].id == c->viewer) t = app_today(&c->partners[i], c->now);
    program_waiting(c->db, c->couple, c->viewer, t, day_weekday(t), w);
  }
  s.phase = p->phase;
  s.partner_joined = c->npartners > 1;
  s.questions_for_me = w->questions;
  s.apologies_for_me = w->apologies;
  s.feelings_for_me = w->feelings;
  s.i_am_ready = p->mine;
  s.partner_ready = p->partners;
  s.checks = p->checks;
  if (p->phase == 1) {
    breach_seen b = {c->viewer, &s};
    breach_accounts(c->db, c->couple, breach_state, &b);
  }
  plan_next n = plan_suggest(&s);
  if (n.tool && *n.tool && has_page && !has_page(n.tool)) n.tool = "program";
  return n;
}
