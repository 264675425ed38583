/* ledger.h: the couple's hash-chained ledger of what matters to trust. Every query is scoped by
   the caller's couple; every change that matters to trust appends to the ledger in the same
   transaction. */
#ifndef MEND_DB_LEDGER_H
#define MEND_DB_LEDGER_H
#include "db.h"
#include "core/commitments.h"

/* Appends inside the caller's transaction. */
int ledger_append(db_t *db, int64_t couple, int64_t actor, const char *kind, int64_t subject, const char *summary, int64_t now);
typedef struct { int64_t seq, at, actor_id, subject_id; const char *kind, *summary; const unsigned char *prev, *hash; } ledger_row;
int ledger_list(db_t *db, int64_t couple, db_each cb /* const ledger_row * */, void *ctx);
/* Entries after seq `after_seq` (0: from the first), `limit` at most. */
int ledger_page(db_t *db, int64_t couple, int64_t after_seq, int limit, db_each cb /* const ledger_row * */, void *ctx);
typedef struct { int64_t seq; int ok; unsigned char hash[LEDGER_HASH]; } ledger_head_row;
/* Walks one couple's chain (couple 0: every couple). Returns 0 when intact, 1 when broken
   (problem describes the first broken entry), -1 on a database error. */
/* The newest entry's number and hash: DB_ROW, or DB_DONE when the ledger is empty. */
int ledger_head(db_t *db, int64_t couple, int64_t *seq, unsigned char hash[LEDGER_HASH]);
int ledger_verify(db_t *db, int64_t couple, char *problem, size_t cap, long *entries);

#endif
