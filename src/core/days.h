/* days.h: days and times by arithmetic, without locale, strftime or time zones: a day is a
   count of days since 1970-01-01 (UTC), weekday 0 is Monday; times are Unix seconds. Pure. */
#ifndef MEND_DAYS_H
#define MEND_DAYS_H
#include <stddef.h>
#include <stdint.h>

#define SECONDS_PER_DAY 86400
#define DAY_CHARS 11       /* "2026-11-25" and its NUL */
#define ISO_TIME_CHARS 21  /* "2026-11-25T21:00:00Z" and its NUL */

int day_parse(const char *s, size_t n, int64_t *day);   /* YYYY-MM-DD; 0 on success */
void day_format(int64_t day, char out[DAY_CHARS]);
int day_weekday(int64_t day);
int64_t day_of(int64_t unix_time);
/* A date's place in a 366-day year, by month and day alone (Jan 1 is 0, Feb 29 is 59, Dec 31
   is 365): what a yearly date keeps. */
int day_slot(int64_t day);
/* The first day on or after `from` with the month and day of `day` (a Feb 29 falls on Feb 28
   in other years). */
int64_t day_next_yearly(int64_t day, int64_t from);
/* A UTC time as ISO 8601 (the hot path: every JSON time). */
void iso_time(int64_t t, char out[ISO_TIME_CHARS]);
int iso_time_parse(const char *s, size_t n, int64_t *t); /* exactly as iso_time writes; 0 on success */

#endif
