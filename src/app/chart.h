/* chart.h (app): the trust chart (chart.c). */
#ifndef MEND_APP_CHART_H
#define MEND_APP_CHART_H
#include "progress.h"
#include "util/sb.h"

/* The two lines of s (me_name's solid, pname's dashed) with the setback days (oldest first). */
void app_trust_chart(sb_t *o, const trust_series *s, const char *me_name, const char *pname, const int64_t *setbacks,
                     int nsetbacks);

#endif
