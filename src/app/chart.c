/* chart.c (app): the trust chart as inline SVG (no script), drawn the same on the progress
   page and in the counsellor's report: a line each, y from 1 (bottom) to 7 (top), setbacks
   marked along the bottom. Everything in it is said in words too, for screen readers. */
#include "chart.h"
#include "core/checkin_rules.h"
#include "core/days.h"
#include "util/i18n.h"
#include <stdio.h>

/* The chart's frame: width, height, and the left, right, top and bottom margins. */
enum { W = 320, H = 170, L = 30, R = 12, T = 12, B = 28 };

/* A day on the chart's axis, as people write it in the reader's language: "30 Nov". */
static void week_label(int64_t day, char out[48]) {
  char d[DAY_CHARS];
  day_format(day, d);
  i18n_short_date(i18n_current(), (d[5] - '0') * 10 + (d[6] - '0'), (d[8] - '0') * 10 + (d[9] - '0'), out, 48);
}

static int px(const trust_series *s, int i) { return s->n == 1 ? (L + W - R) / 2 : L + (W - L - R) * i / (s->n - 1); }
static int py(const trust_series *s, int i, int partner) {
  double v = partner ? s->partner[i].index : s->me[i].index;
  return T + (int)((H - T - B) * (7 - v) / 6);
}

/* Where a day falls on the chart's x axis, between the revealed weeks around it; -1 before
   the first week (not on the chart). */
static int day_x(const trust_series *s, int64_t d) {
  if (!s->n || d < s->week[0]) return -1;
  for (int i = 0; i + 1 < s->n; i++)
    if (d < s->week[i + 1]) return px(s, i) + (int)((px(s, i + 1) - px(s, i)) * (d - s->week[i]) / (s->week[i + 1] - s->week[i]));
  return px(s, s->n - 1);
}

/* The two trust lines: y from 1 (bottom) to 7 (top); setbacks as marks along the bottom. */
void app_trust_chart(sb_t *o, const trust_series *s, const char *me_name, const char *pname, const int64_t *setbacks, int nsetbacks) {
  sb_html(o, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-t chart-d\">\n"
             "<title id=\"chart-t\">Trust over the last %d revealed weeks</title>\n<desc id=\"chart-d\">", W, H, s->n);
  if (s->n) {
    char a[16], b[16];
    i18n_number(i18n_current(), s->me[s->n - 1].index, 1, a, sizeof a);
    i18n_number(i18n_current(), s->partner[s->n - 1].index, 1, b, sizeof b);
    sb_html(o, "A solid line for %s, ending at %s of 7; a dashed line for %s, ending at %s of 7.", me_name, a, pname, b);
    int shown = 0;
    for (int i = 0; i < nsetbacks; i++) shown += day_x(s, setbacks[i]) >= 0;
    if (shown) sb_plural(o, shown, " %d setback marked with a triangle.", " %d setbacks marked with a triangle.", shown);
  }
  sb_puts(o, "</desc>\n");
  for (int v = 1; v <= 7; v += 3) {
    int y = T + (H - T - B) * (7 - v) / 6;
    sb_markup(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\" stroke=\"#d9d2c8\" stroke-width=\"1\"/>"
               "<text x=\"%d\" y=\"%d\" class=\"axis\" font-size=\"11\" fill=\"#4f5660\" text-anchor=\"end\">%d</text>\n",
            L, y, W - R, y, L - 6, y + 4, v);
  }
  for (int line = 0; line < 2; line++) {
    sb_markup(o, "<polyline class=\"%r\" fill=\"none\" stroke=\"%r\" stroke-width=\"3\"%r points=\"", line ? "partner" : "me",
            line ? "#a15c00" : "#2f5d50", line ? " stroke-dasharray=\"6 4\"" : "");
    for (int i = 0; i < s->n; i++) sb_markup(o, "%d,%d ", px(s, i), py(s, i, line));
    sb_puts(o, "\"/>\n");
    /* a dot on every week, so a single week shows too */
    for (int i = 0; i < s->n; i++)
      sb_markup(o, "<circle class=\"%r\" cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%r\"/>", line ? "partner" : "me", px(s, i),
              py(s, i, line), line ? 3 : 5, line ? "#a15c00" : "#2f5d50");
    sb_puts(o, "\n");
  }
  for (int i = 0; i < nsetbacks; i++) {
    int x = day_x(s, setbacks[i]);
    if (x < 0) continue;
    char d[48];
    week_label(setbacks[i], d);
    sb_html(o, "<g class=\"setback\"><title>Setback, %s</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#a1260d\" "
               "stroke-width=\"1\" stroke-dasharray=\"2 3\"/><path d=\"M%d %dl5 8h-10z\" fill=\"#a1260d\"/></g>\n",
            d, x, T, x, H - B, x, H - B - 8);
  }
  if (s->n) {
    char first[48], last[48];
    week_label(s->week[0], first);
    week_label(s->week[s->n - 1], last);
    sb_markup(o, "<text x=\"%d\" y=\"%d\" class=\"axis\" font-size=\"11\" fill=\"#4f5660\">%s</text>\n", L, H - 8, first);
    if (s->n > 1)
      sb_markup(o, "<text x=\"%d\" y=\"%d\" class=\"axis\" font-size=\"11\" fill=\"#4f5660\" text-anchor=\"end\">%s</text>\n", W - R, H - 8, last);
  }
  sb_puts(o, "</svg>\n");
}



/* Triggers over the weeks: bars by time of day (six parts of four hours from midnight) and by
   weekday (Monday first), each the number logged; said in words too. */
void app_pattern_chart(sb_t *o, const char *id, const char *title, const int part[6], const int day[7], int n, double strength) {
  static const char *parts[] = {"0-4", "4-8", "8-12", "12-16", "16-20", "20-24"};
  static const char *parts_words[] = {N_("after midnight"), N_("early morning"), N_("in the morning"), N_("in the afternoon"),
                                      N_("in the evening"), N_("late at night")};
  int top = 1, most_part = 0, most_day = 0;
  for (int i = 0; i < 6; i++) { if (part[i] > top) top = part[i]; if (part[i] > part[most_part]) most_part = i; }
  for (int i = 0; i < 7; i++) { if (day[i] > top) top = day[i]; if (day[i] > day[most_day]) most_day = i; }
  char avg[16];
  i18n_number(i18n_current(), strength, 1, avg, sizeof avg);
  sb_html(o, "<svg class=\"chart\" viewBox=\"0 0 320 150\" role=\"img\" aria-labelledby=\"%s-t %s-d\">\n<title id=\"%s-t\">%s</title>\n"
             "<desc id=\"%s-d\">%d logged, of strength %s of 5 on average; most %s, and most often on %s.</desc>\n",
          id, id, id, title, id, n, avg, _(parts_words[most_part]), i18n_weekday(i18n_current(), most_day, 0));
  /* left: the time of day; right: the weekday; bars up to 90 px for the most */
  for (int i = 0; i < 6; i++) {
    int h = part[i] * 90 / top, x = 8 + i * 24;
    sb_markup(o, "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"%d\" fill=\"#2f5d50\" class=\"bar\"/>"
               "<text x=\"%d\" y=\"128\" font-size=\"9\" fill=\"#4f5660\" class=\"axis\" text-anchor=\"middle\">%s</text>\n",
            x, 110 - h, h, x + 9, parts[i]);
  }
  for (int i = 0; i < 7; i++) {
    int h = day[i] * 90 / top, x = 168 + i * 21;
    sb_markup(o, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"%d\" fill=\"#a15c00\" class=\"bar warm\"/>"
               "<text x=\"%d\" y=\"128\" font-size=\"9\" fill=\"#4f5660\" class=\"axis\" text-anchor=\"middle\">%s</text>\n",
            x, 110 - h, h, x + 8, i18n_weekday(i18n_current(), i, 1));
  }
  sb_text(o, "<text x=\"8\" y=\"145\" font-size=\"10\" fill=\"#4f5660\" class=\"axis\">time of day</text>"
             "<text x=\"168\" y=\"145\" font-size=\"10\" fill=\"#4f5660\" class=\"axis\">weekday</text>\n</svg>\n");
}
