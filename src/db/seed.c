/* seed.c: fills a database with made-up couples and their history, for benchmarks and
   for trying mend out. Every feature adds a generator for what it stores to seed_couple(),
   so `mend seed` always covers every kind of row. */
#include "seed.h"
#include "accounts.h"
#include <stdio.h>
#include <string.h>

/* Users are seed<N>a and seed<N>b (N from 1), all with the same password, whose hash is
   computed once by the caller: argon2id per seeded user would take minutes. */
static int seed_couple(db_t *db, int n, int64_t start, int64_t now, const char *pwhash) {
  user_t a = {0}, b = {0};
  snprintf(a.username, sizeof a.username, "seed%da", n);
  snprintf(a.display_name, sizeof a.display_name, "Partner A%d", n);
  if (acct_signup(db, &a, pwhash, start) != DB_DONE) return -1;
  unsigned char code[HASH_BYTES];
  char token[TOKEN_CHARS + 1];
  secret_token(token);
  secret_hash(token, TOKEN_CHARS, code);
  if (acct_invite_create(db, a.couple_id, a.id, code, start, start + 7 * 86400) != DB_DONE) return -1;
  snprintf(b.username, sizeof b.username, "seed%db", n);
  snprintf(b.display_name, sizeof b.display_name, "Partner B%d", n);
  if (acct_join(db, code, &b, pwhash, start + 3600) != JOIN_OK) return -1;
  /* sessions: one a week for each partner over the period; old ones as a server keeps them */
  if (db_begin(db) != DB_OK) return -1;
  for (int64_t t = start; t < now; t += 7 * 86400) {
    for (int k = 0; k < 2; k++) {
      secret_token(token);
      secret_hash(token, TOKEN_CHARS, code);
      if (acct_session_create(db, code, k ? &b : &a, t % 2 == 0, t) != DB_DONE) { db_rollback(db); return -1; }
    }
  }
  return db_commit(db) == DB_OK ? 0 : -1;
}

int seed_run(db_t *db, int couples, int years, int64_t now, const char *pwhash, void (*progress)(int done)) {
  int64_t start = now - (int64_t)years * 365 * 86400;
  for (int i = 1; i <= couples; i++) {
    if (seed_couple(db, i, start, now, pwhash) != 0) return -1;
    if (progress && i % 100 == 0) progress(i);
  }
  return 0;
}
