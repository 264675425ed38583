/* i18n_dates.c: dates in the reader's language and conventions ("Montag, 7. Dezember",
   "dimanche 7 décembre", "7 de diciembre de 2026"), from CLDR's data through ICU: the names and
   the patterns of each language are read once, then every date on every page is put together
   here without ICU (a page formats dozens of dates; ICU's formatter is slow for that). English
   keeps mend's own order ("Monday 7 December"). */
#include "i18n.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

typedef struct {
  char weekday[7][40], weekday_short[7][24], month[12][40], month_short[12][24];
  char day[64], day_year[64], date[64], short_date[40];
  char decimal[8];                /* the decimal separator: "," in German, French and Spanish */
} names_t;

static names_t names[I18N_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void utf8(const UChar *u, int32_t n, char *out, size_t cap) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t len = 0;
  u_strToUTF8(out, (int32_t)cap - 1, &len, u, n, &st);
  if (U_FAILURE(st) || len >= (int32_t)cap) len = 0;
  out[len] = 0;
}

static void pattern(UDateTimePatternGenerator *g, const char *skeleton, char *out, size_t cap, const char *fallback) {
  UChar s[32], p[64];
  UErrorCode st = U_ZERO_ERROR;
  u_uastrcpy(s, skeleton);
  int32_t n = g ? udatpg_getBestPattern(g, s, -1, p, 64, &st) : 0;
  if (!g || U_FAILURE(st) || n <= 0) { snprintf(out, cap, "%s", fallback); return; }
  utf8(p, n, out, cap);
  if (!*out) snprintf(out, cap, "%s", fallback);
}

static void symbols(UDateFormat *f, UDateFormatSymbolType type, int32_t i, char *out, size_t cap, const char *fallback) {
  UChar b[64];
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = f ? udat_getSymbols(f, type, i, b, 64, &st) : 0;
  if (!f || U_FAILURE(st) || n <= 0) { snprintf(out, cap, "%s", fallback); return; }
  utf8(b, n, out, cap);
  if (!*out) snprintf(out, cap, "%s", fallback);
}

static const char *const en_weekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *const en_months[] = {"January", "February", "March", "April", "May", "June", "July", "August",
                                        "September", "October", "November", "December"};

static void load(void) {
  static const char *const codes[I18N_COUNT] = {I18N_CODES};
  for (int l = 0; l < I18N_COUNT; l++) {
    names_t *n = &names[l];
    const char *loc = l == 0 ? "en_GB" : codes[l];
    UErrorCode st = U_ZERO_ERROR;
    UDateTimePatternGenerator *g = udatpg_open(loc, &st);
    if (U_FAILURE(st)) g = NULL;
    st = U_ZERO_ERROR;
    UChar d[] = {'d', 0};
    UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, NULL, 0, d, -1, &st);
    if (U_FAILURE(st)) f = NULL;
    for (int i = 0; i < 7; i++) {
      /* ICU counts weekdays from Sunday (1); mend from Monday (0) */
      symbols(f, UDAT_WEEKDAYS, (i + 1) % 7 + 1, n->weekday[i], sizeof n->weekday[i], en_weekdays[i]);
      symbols(f, UDAT_SHORT_WEEKDAYS, (i + 1) % 7 + 1, n->weekday_short[i], sizeof n->weekday_short[i], en_weekdays[i]);
    }
    for (int i = 0; i < 12; i++) {
      symbols(f, UDAT_MONTHS, i, n->month[i], sizeof n->month[i], en_months[i]);
      symbols(f, UDAT_SHORT_MONTHS, i, n->month_short[i], sizeof n->month_short[i], en_months[i]);
    }
    if (l == 0) {
      snprintf(n->day, sizeof n->day, "EEEE d MMMM");
      snprintf(n->day_year, sizeof n->day_year, "EEEE d MMMM y");
      snprintf(n->date, sizeof n->date, "d MMMM y");
      snprintf(n->short_date, sizeof n->short_date, "d MMM");
    } else {
      pattern(g, "MMMMEEEEd", n->day, sizeof n->day, "EEEE d MMMM");
      pattern(g, "yMMMMEEEEd", n->day_year, sizeof n->day_year, "EEEE d MMMM y");
      pattern(g, "yMMMMd", n->date, sizeof n->date, "d MMMM y");
      pattern(g, "MMMd", n->short_date, sizeof n->short_date, "d MMM");
    }
    snprintf(n->decimal, sizeof n->decimal, ".");
    st = U_ZERO_ERROR;
    UNumberFormat *nf = unum_open(UNUM_DECIMAL, NULL, 0, loc, NULL, &st);
    if (!U_FAILURE(st) && nf) {
      UChar b[8];
      int32_t k = unum_getSymbol(nf, UNUM_DECIMAL_SEPARATOR_SYMBOL, b, 8, &st);
      if (!U_FAILURE(st) && k > 0) utf8(b, k, n->decimal, sizeof n->decimal);
      if (!*n->decimal) snprintf(n->decimal, sizeof n->decimal, ".");
    }
    if (nf) unum_close(nf);
    if (f) udat_close(f);
    if (g) udatpg_close(g);
  }
}

static const names_t *of(const i18n_lang *l) {
  pthread_once(&once, load);
  return &names[i18n_index(l)];
}

void i18n_dates_init(void) { pthread_once(&once, load); }

/* Writes a CLDR pattern's letters out: E (weekday), d (day), M (month), y (year); 'quoted'
   text as it is. */
static size_t put(const names_t *n, const char *p, int y, int m, int d, int wd, char *out, size_t cap) {
  size_t k = 0;
#define PUT(s) do { const char *s_ = (s); size_t l_ = strlen(s_); if (k + l_ < cap) { memcpy(out + k, s_, l_); k += l_; } } while (0)
  char num[16];
  while (*p) {
    char c = *p;
    if (c == '\'') {
      p++;
      if (*p == '\'') { PUT("'"); p++; continue; }
      while (*p && *p != '\'') { if (k + 1 < cap) out[k++] = *p; p++; }
      if (*p) p++;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      int run = 0;
      while (p[run] == c) run++;
      p += run;
      switch (c) {
        case 'E': case 'c': PUT(run >= 4 ? n->weekday[wd] : n->weekday_short[wd]); break;
        case 'd': snprintf(num, sizeof num, run >= 2 ? "%02d" : "%d", d); PUT(num); break;
        case 'M': case 'L':
          if (run >= 4) PUT(n->month[m - 1]);
          else if (run == 3) PUT(n->month_short[m - 1]);
          else { snprintf(num, sizeof num, run == 2 ? "%02d" : "%d", m); PUT(num); }
          break;
        case 'y': snprintf(num, sizeof num, "%d", y); PUT(num); break;
        default: break; /* a letter mend does not write (an era, a time): left out */
      }
      continue;
    }
    if (k + 1 < cap) out[k++] = c;
    p++;
  }
#undef PUT
  out[k < cap ? k : cap - 1] = 0;
  return k;
}

size_t i18n_day(const i18n_lang *l, int y, int m, int d, int weekday, int with_year, char *out, size_t cap) {
  const names_t *n = of(l);
  if (m < 1 || m > 12) m = 1;
  return put(n, with_year ? n->day_year : n->day, y, m, d, ((weekday % 7) + 7) % 7, out, cap);
}

size_t i18n_date(const i18n_lang *l, int y, int m, int d, char *out, size_t cap) {
  const names_t *n = of(l);
  if (m < 1 || m > 12) m = 1;
  return put(n, n->date, y, m, d, 0, out, cap);
}

size_t i18n_short_date(const i18n_lang *l, int m, int d, char *out, size_t cap) {
  const names_t *n = of(l);
  if (m < 1 || m > 12) m = 1;
  return put(n, n->short_date, 2000, m, d, 0, out, cap);
}

const char *i18n_weekday(const i18n_lang *l, int weekday, int short_form) {
  const names_t *n = of(l);
  weekday = ((weekday % 7) + 7) % 7;
  return short_form ? n->weekday_short[weekday] : n->weekday[weekday];
}

const char *i18n_month(const i18n_lang *l, int month, int short_form) {
  const names_t *n = of(l);
  if (month < 1 || month > 12) month = 1;
  return short_form ? n->month_short[month - 1] : n->month[month - 1];
}

size_t i18n_number(const i18n_lang *l, double v, int digits, char *out, size_t cap) {
  const names_t *n = of(l);
  char plain[48];
  snprintf(plain, sizeof plain, "%.*f", digits, v);
  size_t k = 0;
  for (const char *p = plain; *p && k + 1 < cap; p++) {
    if (*p != '.') { out[k++] = *p; continue; }
    for (const char *d = n->decimal; *d && k + 1 < cap; d++) out[k++] = *d;
  }
  out[k] = 0;
  return k;
}
