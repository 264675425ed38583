/* checkin_rules.h: the weekly check-in: ISO weeks, the questions (trust on a 1-7 scale in three
   facets, safety, closeness, three written answers, and the weekly meeting's agenda: five
   appreciations of a line each and one issue to talk about, all optional), and what a valid set
   of answers is. */
#ifndef MEND_CHECKIN_RULES_H
#define MEND_CHECKIN_RULES_H
#include <stddef.h>
#include <stdint.h>

enum ci_type { CI_SCALE, CI_TEXT, CI_LINE /* one line of text */ };
typedef struct {
  const char *id;
  enum ci_type type;
  int facet;         /* enum facet (core/measures.h) for trust questions, -1 otherwise */
  const char *text;
} ci_question;

extern const ci_question ci_questions[];
extern const int ci_nquestions;
#define CI_TEXT_MAX 2000

/* ISO 8601 weeks ("2026-W48"); a week is identified by the day number of its Monday. */
int64_t ci_week_of(int64_t day);                     /* the Monday of day's week */
void ci_week_format(int64_t monday, char out[9]);
int ci_week_parse(const char *s, size_t n, int64_t *monday); /* 0 on success */

/* The next check-in after `now` for a weekly schedule (weekday 0 Monday, time "HH:MM") in a
   zone that is `offset` seconds east of UTC: its local day, and its start as a UTC time. */
void ci_next(int weekday, const char *hhmm, int64_t now, int offset, int64_t *local_day_out, int64_t *utc_start);

/* One answer checked against its question: NULL when fine, else the message. */
const char *ci_check_scale(long v);

#endif
