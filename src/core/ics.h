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
/* A DATE value: 20261129. */
void ics_date(int64_t day, char out[9]);

#endif
