/* app.c: what every computation of the app layer shares. */
#include "app.h"
#include "core/measures.h"
#include "core/days.h"
#include "util/tz.h"
#include <string.h>

int64_t app_today(const user_t *u, int64_t now) {
  return local_day(now, tz_offset(u->timezone[0] ? u->timezone : "UTC", now));
}

static const char *months[] = {"January", "February", "March", "April", "May", "June", "July", "August",
                               "September", "October", "November", "December"};

void day_html(sb_t *o, int64_t day, int64_t today) {
  static const char *weekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  char d[DAY_CHARS], t[DAY_CHARS];
  day_format(day, d);
  day_format(today, t);
  int month = (d[5] - '0') * 10 + (d[6] - '0'), dom = (d[8] - '0') * 10 + (d[9] - '0');
  if (month < 1 || month > 12) month = 1;
  sb_html(o, "<time datetime=\"%r\">%r %d %r", d, weekdays[day_weekday(day)], dom, months[month - 1]);
  if (memcmp(d, t, 4)) sb_html(o, " %.*s", 4, d);
  sb_puts(o, "</time>");
}

void week_html(sb_t *o, int64_t monday, int64_t this_monday) {
  if (monday == this_monday) sb_puts(o, "this week");
  else if (monday == this_monday - 7) sb_puts(o, "last week");
  else if (monday == this_monday + 7) sb_puts(o, "next week");
  else {
    sb_puts(o, "the week of ");
    day_html(o, monday, this_monday);
  }
}

void time_html(sb_t *o, int64_t t) {
  char iso[ISO_TIME_CHARS];
  iso_time(t, iso);
  int month = (iso[5] - '0') * 10 + (iso[6] - '0'), day = (iso[8] - '0') * 10 + (iso[9] - '0');
  if (month < 1 || month > 12) month = 1;
  sb_html(o, "<time datetime=\"%r\">%d %r %.*s</time>", iso, day, months[month - 1], 4, iso);
}
