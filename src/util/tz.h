/* tz.h: time zones by IANA name ("Europe/Paris"), read from the system's zoneinfo files (the
   tzdata package) once and kept in memory: a partner's day is their local day. */
#ifndef MEND_TZ_H
#define MEND_TZ_H
#include <stdint.h>

/* 1 when name is a time zone this machine knows ("UTC" always is). */
int tz_valid(const char *name);
/* Seconds east of UTC in that zone at that moment; 0 for an unknown zone. */
int tz_offset(const char *name, int64_t utc);

/* The changes of offset in that zone between from and to (UTC), in order: for a calendar's
   VTIMEZONE. Returns how many, or -1 for an unknown zone. */
typedef struct { int64_t at; int from, to, dst; } tz_change;
int tz_transitions(const char *name, int64_t from, int64_t to, void (*cb)(void *, const tz_change *), void *ctx);

#endif
