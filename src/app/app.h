/* app.h: the layer between db/ and the two doors (web/ and cli/): what the couple is doing,
   computed from their rows and returned as plain structs (consistency, the picture of
   progress, the next step, the counsellor's report). It reads through db/ only and knows
   nothing of HTTP; web/ renders what it returns as pages or JSON, cli/ as files. */
#ifndef MEND_APP_H
#define MEND_APP_H
#include "db/accounts.h"
#include "db/db.h"
#include "util/sb.h"

/* The couple a computation is about. */
typedef struct {
  db_t *db;
  int64_t couple;
  int64_t viewer;          /* the partner asking; 0 for the operator */
  const user_t *partners;  /* the partners, in their order (one until the other joins) */
  int npartners;
  arena_t *mem;            /* where lists and copied texts live, as long as the caller needs them */
  int64_t now;
  int64_t version;         /* the couple's data version, read with the session; -1: cache nothing */
} app_couple;

/* The user's own day now (their time zone). */
int64_t app_today(const user_t *u, int64_t now);
/* A moment as <time datetime="...">25 November 2026</time>. */
void time_html(sb_t *o, int64_t t);
/* A day as people write it ("Sunday 7 December", with the year when it is not today's), with
   the ISO date for machines. */
void day_html(sb_t *o, int64_t day, int64_t today);
/* A week by its Monday: "this week", "last week", "next week", or "the week of Monday 30
   November". */
void week_html(sb_t *o, int64_t monday, int64_t this_monday);

#endif
