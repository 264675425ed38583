/* app.c: what every computation of the app layer shares. */
#include "app.h"
#include "core/measures.h"
#include "core/days.h"
#include "util/tz.h"
#include "util/i18n.h"
#include <string.h>

int64_t app_today(const user_t *u, int64_t now) {
  return local_day(now, tz_offset(u->timezone[0] ? u->timezone : "UTC", now));
}

/* In the reader's language (util/i18n.h): "Monday 7 December", "Montag, 7. Dezember"; the
   year too when it is not this one. */
void day_html(sb_t *o, int64_t day, int64_t today) {
  char d[DAY_CHARS], t[DAY_CHARS], words[160];
  day_format(day, d);
  day_format(today, t);
  int month = (d[5] - '0') * 10 + (d[6] - '0'), dom = (d[8] - '0') * 10 + (d[9] - '0');
  int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  i18n_day(i18n_current(), year, month, dom, day_weekday(day), memcmp(d, t, 4) != 0, words, sizeof words);
  sb_markup(o, "<time datetime=\"%r\">%s</time>", d, words);
}

void week_html(sb_t *o, int64_t monday, int64_t this_monday) {
  if (monday == this_monday) sb_text(o, "this week");
  else if (monday == this_monday - 7) sb_text(o, "last week");
  else if (monday == this_monday + 7) sb_text(o, "next week");
  else {
    sb_text(o, "the week of ");
    day_html(o, monday, this_monday);
  }
}

void time_html(sb_t *o, int64_t t) {
  char iso[ISO_TIME_CHARS];
  iso_time(t, iso);
  int month = (iso[5] - '0') * 10 + (iso[6] - '0'), day = (iso[8] - '0') * 10 + (iso[9] - '0');
  int year = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
  char words[160];
  i18n_date(i18n_current(), year, month, day, words, sizeof words);
  sb_markup(o, "<time datetime=\"%r\">%s</time>", iso, words);
}
