/* signs.c (app): see signs.h. */
#include "signs.h"
#include "consistency.h"
#include "progress.h"
#include "core/checkin_rules.h"
#include "db/questions.h"
#include "util/tcache.h"
#include <string.h>

static void count_open(void *p, const void *row) { *(int *)p += ((const question_t *)row)->waiting != 0; }

static int compute(const app_couple *c, couple_signs *out) {
  memset(out, 0, sizeof *out);
  out->n = c->npartners;
  if (!c->npartners) return 0;
  const user_t *first = &c->partners[0];
  int64_t today = app_today(first, c->now), monday = ci_week_of(today);
  trust_series *s = arena_alloc(c->mem, sizeof *s);
  if (!s || app_trust_series(c, first->id, today - 7 * (TRUST_WEEKS_SHOWN - 1), today, s) != 0) return -1;
  for (int k = 0; k < c->npartners && k < 2; k++) {
    partner_signs *p = &out->p[k];
    p->kept = -1;
    for (int i = s->n - 1; i >= 0 && !p->has_trust; i--) {
      const trust_week *w = k ? &s->partner[i] : &s->me[i];
      if ((k ? s->has_partner[i] : s->has_me[i]) && w->valid) { p->has_trust = 1; p->trust = w->index; }
    }
    if (p->has_trust) app_trust_trend(s, k, &p->trend);
  }
  /* a week counts as missed once the couple had begun by its Monday */
  int64_t began = ci_week_of(first->created_at / SECONDS_PER_DAY);
  for (int64_t w = monday - 7 * SIGNS_WEEKS; w < monday; w += 7) {
    if (w < began) continue;
    int revealed = 0;
    for (int i = 0; i < s->n; i++) revealed |= s->week[i] == w;
    out->checkins_missed += !revealed;
  }
  int64_t days[SIGNS_DAYS + 1];
  int n = app_setback_days(c, today - SIGNS_DAYS + 1, days, SIGNS_DAYS + 1);
  if (n < 0) return -1;
  out->setbacks = n;
  pr_consistency cons[2][3];
  if (app_consistency(c, cons) != 0) return -1;
  for (int k = 0; k < c->npartners && k < 2; k++)
    if (pr_score_shown(&cons[k][2])) out->p[k].kept = (int)(cons[k][2].score * 100 + 0.5);
  out->stuck = app_stuck(c, s, cons);
  if (questions_list(c->db, c->couple, count_open, &out->open_questions) != DB_OK) return -1;
  return 0;
}

/* made when a thread first asks (util/tcache.h): only the threads that serve counsellors pay */
typedef struct { int64_t couple, version, day; couple_signs signs; } signs_memo;
#define SIGNS_MEMO 512
static tcache_t memo_tc = TCACHE(sizeof(signs_memo) * SIGNS_MEMO);

int app_couple_signs(const app_couple *c, couple_signs *out) {
  int64_t day = c->now / SECONDS_PER_DAY;
  signs_memo *memos = tcache_get(&memo_tc), spare = {0};
  signs_memo *e = memos ? &memos[(uint64_t)c->couple % SIGNS_MEMO] : &spare;
  if (c->version >= 0 && e->couple == c->couple && e->version == c->version && e->day == day) {
    *out = e->signs;
    return 0;
  }
  if (compute(c, out) != 0) return -1;
  if (c->version >= 0) *e = (signs_memo){c->couple, c->version, day, *out};
  return 0;
}
