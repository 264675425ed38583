/* seed.h: made-up data for benchmarks (mend seed). */
#ifndef MEND_DB_SEED_H
#define MEND_DB_SEED_H
#include "db.h"

/* Adds couples seed1a/seed1b ... over `years` of history ending at now. 0 on success. */
int seed_run(db_t *db, int couples, int years, int64_t now, const char *pwhash, void (*progress)(int done));

#endif
