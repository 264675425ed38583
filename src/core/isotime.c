/* isotime.c: ISO 8601 UTC formatting without locale or strftime (hot path: every JSON time). */
#include "isotime.h"

/* UTC ISO 8601 by arithmetic (Howard Hinnant's civil_from_days): no locale, no strftime. */
void iso_time(int64_t t, char out[32]) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  if (y < 0 || y > 9999) y = 0;
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
