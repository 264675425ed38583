/* calendar.h: each partner's secret calendar feed address. */
#ifndef MEND_DB_CALENDAR_H
#define MEND_DB_CALENDAR_H
#include "db.h"

#define CAL_SECRET 64
int cal_get(db_t *db, int64_t couple, int64_t user, char secret[CAL_SECRET]);     /* DB_ROW when set */
int cal_set(db_t *db, int64_t couple, int64_t user, const char *secret, int64_t now);
int cal_delete(db_t *db, int64_t couple, int64_t user);
int cal_owner(db_t *db, const char *secret, size_t n, int64_t *couple, int64_t *user);  /* DB_ROW when known */

#endif
