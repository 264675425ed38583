/* i18n.h: mend in the reader's language. Catalogues are gettext .mo files (po/LANG.po, compiled
   by msgfmt at build time) embedded in the binary and read in place; each request picks its
   language (i18n_use) on the thread that answers it, as two partners may read two languages
   on one server at the same moment. A string a catalogue lacks stays in English. */
#ifndef MEND_I18N_H
#define MEND_I18N_H
#include <stddef.h>

typedef struct i18n_lang i18n_lang;

/* The languages mend speaks, English first (its source strings). */
#define I18N_CODES "en", "de", "fr", "es"
#define I18N_COUNT 4

/* Reads the embedded catalogues once: a translation whose %-conversions differ from its
   English (which would read the wrong arguments) is left out, and counted in *dropped. */
void i18n_init(int *dropped);
/* A language by its code ("de", "de-AT" and "de_CH" too); NULL when mend does not speak it. */
const i18n_lang *i18n_find(const char *code, size_t n);
const i18n_lang *i18n_english(void);
/* The best of mend's languages for an Accept-Language header (q-values honoured), or NULL. */
const i18n_lang *i18n_accept(const char *header, size_t n);
const char *i18n_code(const i18n_lang *l);
/* Its place in I18N_CODES (0: English, also for NULL), for tables kept per language. */
int i18n_index(const i18n_lang *l);
/* The language's own name for itself ("Deutsch"). */
const char *i18n_name(const i18n_lang *l);

/* This thread's language from now on (NULL: English). */
void i18n_use(const i18n_lang *l);
const i18n_lang *i18n_current(void);
/* The translation of msgid in this thread's language, or msgid itself. */
const char *i18n_gettext(const char *msgid);
/* The same in a given language. */
const char *i18n_lgettext(const i18n_lang *l, const char *msgid);
/* The plural form for n (singular, plural: the English pair). */
const char *i18n_ngettext(const char *singular, const char *plural, long n);

/* Dates in a language's words and order (i18n_dates.c, from CLDR through ICU): a day with its
   weekday ("Montag, 7. Dezember", with the year when with_year), a date ("7. Dezember 2026"),
   a short one for charts ("7. Dez."); weekdays count from Monday (0), months from 1. */
void i18n_dates_init(void);
size_t i18n_day(const i18n_lang *l, int y, int m, int d, int weekday, int with_year, char *out, size_t cap);
size_t i18n_date(const i18n_lang *l, int y, int m, int d, char *out, size_t cap);
size_t i18n_short_date(const i18n_lang *l, int m, int d, char *out, size_t cap);
const char *i18n_weekday(const i18n_lang *l, int weekday, int short_form);
const char *i18n_month(const i18n_lang *l, int month, int short_form);
/* A number with `digits` decimals, written with the language's decimal separator ("4,5"). */
size_t i18n_number(const i18n_lang *l, double v, int digits, char *out, size_t cap);

/* _() translates now; N_() only marks a string for the catalogue (translated where shown);
   P_() picks the plural form. xgettext extracts all three (po/meson.build). */
#define _(s) i18n_gettext(s)
#define N_(s) (s)
#define P_(s, p, n) i18n_ngettext((s), (p), (n))

#endif
