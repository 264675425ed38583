/* reminders.h (app): what is due to be pushed to one partner now: each item of what waits for
   them (db/inbox.h) not pushed yet, and the weekly check-in an hour before it begins. The
   words carry nothing private: "Something is waiting for you in mend", unless the partner
   chose to see what waits, and even then never what the other wrote. */
#ifndef MEND_APP_REMINDERS_H
#define MEND_APP_REMINDERS_H
#include "app.h"
#include "db/inbox.h"
#include "db/reminders.h"

typedef struct {
  char kind[24];
  int64_t item;
  char body[240];
  char url[80];
} app_reminder;
#define APP_REMINDERS_MAX 16

/* Where one tap on an inbox item leads (a path of this site). */
void app_inbox_url(const inbox_row *r, char *out, size_t n);
/* Whether now falls in the partner's quiet hours, in their own time zone. */
int app_quiet_now(const rem_settings *s, const char *timezone, int64_t now);
/* What is due for c->viewer and has not reached them by the channel yet, at most max: the
   count, or -1. */
int app_reminders_due(const app_couple *c, const rem_settings *s, enum rem_channel ch, app_reminder *out, int max);

#endif
