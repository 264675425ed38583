/* days.c: days and ISO 8601 times by arithmetic (see days.h). */
#include "days.h"

/* days_from_civil (Howard Hinnant) */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int day_parse(const char *s, size_t n, int64_t *day) {
  if (n != 10 || s[4] != '-' || s[7] != '-') return -1;
  int v[8], k = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 4 || i == 7) continue;
    if (s[i] < '0' || s[i] > '9') return -1;
    v[k++] = s[i] - '0';
  }
  int64_t y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return -1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return -1;
  *day = days_from_civil(y, m, d);
  return 0;
}

int iso_time_parse(const char *s, size_t n, int64_t *t) {
  int64_t day;
  if (n != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' || day_parse(s, 10, &day) != 0) return -1;
  int v[6];
  for (int i = 0, k = 11; i < 6; i++, k++) {
    if (k == 13 || k == 16) k++;
    if (s[k] < '0' || s[k] > '9') return -1;
    v[i] = s[k] - '0';
  }
  int h = v[0] * 10 + v[1], m = v[2] * 10 + v[3], sec = v[4] * 10 + v[5];
  if (h > 23 || m > 59 || sec > 59) return -1;
  *t = day * SECONDS_PER_DAY + h * 3600 + m * 60 + sec;
  return 0;
}

/* civil_from_days (Howard Hinnant); years outside 0..9999 are written as 0000 */
static void civil_from_days(int64_t day, int64_t *yy, int64_t *mm, int64_t *dd) {
  int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  if (y < 0 || y > 9999) y = 0;
  *yy = y; *mm = m; *dd = d;
}

int day_slot(int64_t day) {
  static const int before[] = {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335};
  int64_t y, m, d;
  civil_from_days(day, &y, &m, &d);
  return before[m - 1] + (int)d - 1;
}

int64_t day_next_yearly(int64_t day, int64_t from) {
  int64_t y, m, d, fy, fm, fd;
  civil_from_days(day, &y, &m, &d);
  civil_from_days(from, &fy, &fm, &fd);
  for (int64_t year = fy;; year++) {
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int64_t at = days_from_civil(year, m, m == 2 && d == 29 && !leap ? 28 : d);
    if (at >= from) return at;
  }
}

void day_format(int64_t day, char out[DAY_CHARS]) {
  int64_t y, m, d;
  civil_from_days(day, &y, &m, &d);
  out[0] = (char)('0' + y / 1000); out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10); out[3] = (char)('0' + y % 10); out[4] = '-';
  out[5] = (char)('0' + m / 10); out[6] = (char)('0' + m % 10); out[7] = '-';
  out[8] = (char)('0' + d / 10); out[9] = (char)('0' + d % 10); out[10] = 0;
}

int day_weekday(int64_t day) { return (int)(((day % 7) + 7 + 3) % 7); } /* 1970-01-01 was a Thursday */
int64_t day_of(int64_t t) { return t >= 0 ? t / SECONDS_PER_DAY : (t - SECONDS_PER_DAY + 1) / SECONDS_PER_DAY; }


void iso_time(int64_t t, char out[ISO_TIME_CHARS]) {
  int64_t days = day_of(t), secs = t - days * SECONDS_PER_DAY, y, m, d;
  civil_from_days(days, &y, &m, &d);
  int v[6] = {(int)y, (int)m, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
  char *o = out;
  *o++ = (char)('0' + v[0] / 1000); *o++ = (char)('0' + v[0] / 100 % 10);
  *o++ = (char)('0' + v[0] / 10 % 10); *o++ = (char)('0' + v[0] % 10);
  static const char sep[] = "--T::Z";
  for (int i = 1; i < 6; i++) {
    *o++ = sep[i - 1];
    *o++ = (char)('0' + v[i] / 10);
    *o++ = (char)('0' + v[i] % 10);
  }
  *o++ = 'Z';
  *o = 0;
}
