/* app.c: what every computation of the app layer shares. */
#include "app.h"
#include "core/measures.h"
#include "core/days.h"
#include "util/tz.h"

int64_t app_today(const user_t *u, int64_t now) {
  return local_day(now, tz_offset(u->timezone[0] ? u->timezone : "UTC", now));
}

void time_html(sb_t *o, int64_t t) {
  static const char *months[] = {"January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"};
  char iso[ISO_TIME_CHARS];
  iso_time(t, iso);
  int month = (iso[5] - '0') * 10 + (iso[6] - '0'), day = (iso[8] - '0') * 10 + (iso[9] - '0');
  if (month < 1 || month > 12) month = 1;
  sb_html(o, "<time datetime=\"%r\">%d %r %.*s</time>", iso, day, months[month - 1], 4, iso);
}
