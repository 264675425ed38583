/* seed.h: made-up data for benchmarks (mend seed). */
#ifndef MEND_DB_SEED_H
#define MEND_DB_SEED_H
#include "db.h"

/* Adds couples seed1a/seed1b ... over `years` of history ending at now. 0 on success. */
#include "core/seal.h"
/* kek: the password's key, so each seeded user gets a data key of their own in a keybox the
   password opens, and their private entries are sealed as a real user's are.
   more: where to open more connections for couples seeded side by side (PostgreSQL), or NULL. */
int seed_run(db_t *db, const db_target_t *more, int couples, int years, int64_t now, const char *pwhash,
             const seal_kek_t *kek, void (*progress)(int done));
/* Adds counsellors seedc1, seedc2 ... (the same password, already their own), each let in by
   `per` of the seeded couples, in turn (a practice: 50 counsellors, 40 couples each). 0 on
   success. */
int seed_counsellors(db_t *db, int counsellors, int per, int couples, int64_t now, const char *pwhash, const seal_kek_t *kek);

#endif
