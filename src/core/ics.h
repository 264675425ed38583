/* ics.h: writing iCalendar (RFC 5545): content lines folded at 75 octets, TEXT escaping,
   CRLF endings. Pure. */
#ifndef MEND_ICS_H
#define MEND_ICS_H
#include <stdint.h>
#include "util/sb.h"

/* Appends "NAME:value" (value escaped as TEXT when text is set) as a folded content line. */
void ics_line(sb_t *o, const char *name, const char *value, int text);
/* A UTC date-time value: 20261129T183000Z. */
void ics_utc(int64_t t, char out[17]);
/* A local date-time value (no zone letter), given seconds since 1970 on the local clock. */
void ics_local(int64_t t, char out[16]);
/* A UTC offset: +0100, -0330 (seconds only when there are some: +005330). */
void ics_offset(int seconds, char out[8]);
/* A DATE value: 20261129. */
void ics_date(int64_t day, char out[9]);

#endif
