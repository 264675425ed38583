/* inbox.h: what waits for one partner: everything the other partner (or the calendar) asks of
   them, from every tool, in one query. Scoped by couple; only what is addressed to `me`. */
#ifndef MEND_DB_INBOX_H
#define MEND_DB_INBOX_H
#include "db.h"

typedef struct {
  const char *kind;   /* question_answer, apology_read, agreement_sign, ... (docs/api.md) */
  int64_t id;         /* the thing's id (a check-in: its week's Monday; partner_left: the user) */
  const char *title;  /* its own words where it has some ("" else): for this partner's eyes; the
                         counsellor's name for counsellor_agree and counsellor_suggestion */
  int64_t since;      /* when it began to wait (Unix seconds) */
  int64_t count;      /* promise_confirm: the reports waiting; hard_date: the days until it; talk_turn: the steps so far; else 1 */
  int64_t by;         /* who asks: the partner (0: whoever runs the server, for a report) */
} inbox_row;

typedef struct {
  int64_t couple, me;
  int resting;        /* both let the past rest: questions and apologies wait in the archive */
  int64_t week;       /* this week's Monday (the check-in), in me's time zone */
  int64_t today;      /* me's day */
  int64_t recent;     /* shared notes and reports made since then are news */
  int64_t now;        /* a time-out on now, or over within the hour */
} inbox_ask;

/* Newest first; cb gets a const inbox_row * (its texts valid during the call). */
int inbox_list(db_t *db, const inbox_ask *a, db_each cb, void *ctx);

#endif
