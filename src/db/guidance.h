/* guidance.h: when each partner last said "not now" to the prompt toward a therapist. */
#ifndef MEND_DB_GUIDANCE_H
#define MEND_DB_GUIDANCE_H
#include "db.h"

/* The moment of the last "not now": 0 when never, -1 on a database error. */
int64_t guidance_dismissed_at(db_t *db, int64_t couple, int64_t user);
int guidance_dismiss(db_t *db, int64_t couple, int64_t user, int64_t now);

#endif
