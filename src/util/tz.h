/* tz.h: time zones by IANA name ("Europe/Paris"), read from the system's zoneinfo files (the
   tzdata package) once and kept in memory: a partner's day is their local day. */
#ifndef MEND_TZ_H
#define MEND_TZ_H
#include <stdint.h>

/* 1 when name is a time zone this machine knows ("UTC" always is). */
int tz_valid(const char *name);
/* Seconds east of UTC in that zone at that moment; 0 for an unknown zone. */
int tz_offset(const char *name, int64_t utc);

#endif
