/* calendar.h: each partner's secret calendar feed address. Only a hash of the secret is
   stored (as sessions, invites and report links): the address is shown once, when made. */
#ifndef MEND_DB_CALENDAR_H
#define MEND_DB_CALENDAR_H
#include "db.h"

#define CAL_HASH_HEX 65 /* BLAKE2b-256 in hex, NUL-terminated */
/* When the user's feed was made: DB_ROW with *created_at, DB_DONE when there is none. */
int cal_created(db_t *db, int64_t couple, int64_t user, int64_t *created_at);
/* Stores a new secret's hash for the user (replacing the old one). */
int cal_set(db_t *db, int64_t couple, int64_t user, const char *secret, size_t n, int64_t now);
int cal_delete(db_t *db, int64_t couple, int64_t user);
/* Who a presented secret belongs to: DB_ROW when known. */
int cal_owner(db_t *db, const char *secret, size_t n, int64_t *couple, int64_t *user);
/* Feeds made before secrets were hashed: hashes them in place (their addresses keep working). */
int cal_hash_legacy(db_t *db);

#endif
