/* chart.h (app): the trust chart (chart.c). */
#ifndef MEND_APP_CHART_H
#define MEND_APP_CHART_H
#include "progress.h"
#include "util/sb.h"

/* The two lines of s (me_name's solid, pname's dashed) with the setback days (oldest first). */
void app_trust_chart(sb_t *o, const trust_series *s, const char *me_name, const char *pname, const int64_t *setbacks,
                     int nsetbacks);

/* Triggers by time of day (part: six parts of four hours) and weekday (day: Monday first), n in
   all with their average strength; id makes the chart's ids unique on its page. */
void app_pattern_chart(sb_t *o, const char *id, const char *title, const int part[6], const int day[7], int n, double strength);

#endif
