/* accounts.h: queries for couples, users, sessions, invites and login throttling.
   Every query on couple-owned rows is scoped by the caller's couple id. */
#ifndef MEND_DB_ACCOUNTS_H
#define MEND_DB_ACCOUNTS_H
#include "db.h"
#include "core/secret.h"

typedef struct {
  int64_t id, couple_id, created_at;
  int64_t deleted_at;            /* 0, or when this partner deleted their account */
  char username[40];
  char display_name[256];
  char timezone[64];
  char path[12];                 /* "hurt", "broke_trust", "both", or "" while not said */
  char language[8];              /* "de", "fr", "es", "en", or "" while not chosen */
} user_t;

#include "core/seal.h"
typedef struct {
  user_t user;
  int64_t created_at, seen_at;
  int api;
  int has_key;                        /* the session holds the user's data key, wrapped */
  int position, has_partner;          /* the user's place (1, 2) and whether the other joined */
  user_t partner;                     /* read with the session: most requests need both */
  int64_t couple_version;             /* the couple's data version, in the same snapshot */
  int64_t timeout_until;              /* a time-out runs until then (db/timeouts.h), else past */
  int counsellor;                     /* the user is a counsellor (db/counsellors.h), not a partner */
  int password_once;                  /* their password is still the one the operator was given */
  unsigned char sealed_key[SEAL_WRAPPED];
} session_t;

enum { JOIN_OK = 0, JOIN_UNKNOWN = 1, JOIN_GONE = 2, JOIN_FULL = 3, JOIN_TAKEN = 4, JOIN_ERROR = -1 };

/* A new couple with its first partner. DB_OK, DB_CONSTRAINT when the username is taken. */
int acct_signup(db_t *db, user_t *u, const char *pwhash, int64_t now);
/* DB_ROW with the user and the stored password hash, DB_DONE when no such username. */
int acct_find_login(db_t *db, const char *username, user_t *u, char pwhash[PWHASH_CHARS]);
int acct_password_hash(db_t *db, int64_t couple, int64_t user, char pwhash[PWHASH_CHARS]);
/* Replaces the password hash only while it is still `old` (the one just verified): DB_OK,
   or DB_CONSTRAINT when another device changed it meanwhile. */
int acct_set_password(db_t *db, int64_t couple, int64_t user, const char *old, const char *pwhash);
/* Partners of a couple in order of joining; *n set to 0..2. */
int acct_partners(db_t *db, int64_t couple, user_t out[2], int *n);
int acct_user(db_t *db, int64_t couple, int64_t id, user_t *u);
/* The partners of every couple that let the counsellor in (db/counsellors.h), by couple and
   place: one query for a counsellor's whole list. */
int acct_partners_seen_by(db_t *db, int64_t counsellor, db_each cb /* const user_t * */, void *ctx);
int acct_set_timezone(db_t *db, int64_t couple, int64_t user, const char *tz);
/* Which describes the partner: "hurt", "broke_trust" or "both" (core/plan.h's plan_paths). */
/* The partner's language ("" forgets the choice). */
int acct_set_language(db_t *db, int64_t couple, int64_t user, const char *language);
int acct_set_path(db_t *db, int64_t couple, int64_t user, const char *path);

/* sealed_key: the data key wrapped under the session token (core/seal.h), or NULL. */
int acct_session_create(db_t *db, const unsigned char hash[HASH_BYTES], const user_t *u, int api,
                        const unsigned char *sealed_key, int64_t now);
/* The user's keybox (SEAL_KEYBOX bytes): DB_ROW with it, DB_DONE when the user has none yet. */
int acct_keybox(db_t *db, int64_t couple, int64_t user, unsigned char box[SEAL_KEYBOX]);
int acct_set_keybox(db_t *db, int64_t couple, int64_t user, const unsigned char box[SEAL_KEYBOX]);
int acct_session_get(db_t *db, const unsigned char hash[HASH_BYTES], session_t *s);
int acct_session_touch(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now);
int acct_session_delete(db_t *db, const unsigned char hash[HASH_BYTES]);
/* Removes up to `batch` of each kind of expired row; *removed: the most of one kind removed. */
int acct_sweep(db_t *db, int64_t now, int64_t idle, int64_t max_age, int batch, int *removed);
/* Ends every session of a user except the one given (NULL: all). */
int acct_sessions_end(db_t *db, int64_t couple, int64_t user, const unsigned char *keep);

/* Replaces the couple's unused invites with a new one. */
int acct_invite_create(db_t *db, int64_t couple, int64_t by, const unsigned char hash[HASH_BYTES], int64_t now, int64_t expires);
/* The newest unused, unexpired invite's expiry, or 0. */
int64_t acct_invite_pending(db_t *db, int64_t couple, int64_t now);
/* Looks at an invite without using it: JOIN_OK, JOIN_UNKNOWN, JOIN_GONE, JOIN_FULL. */
int acct_invite_status(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now);
/* Uses the invite and adds the second partner, atomically. Returns a JOIN_ code. */
int acct_join(db_t *db, const unsigned char hash[HASH_BYTES], user_t *u, const char *pwhash, int64_t now);

/* Deletes a partner's account: everything private of theirs (sealed entries, drafts, answers
   not yet revealed, closeness choices, sessions, keys) is erased; the shared history stays for
   the other partner, and the row stays, without a way to log in. When no partner is left (the
   other deleted theirs, or never joined), the whole couple is erased instead. */
int acct_delete_user(db_t *db, int64_t couple, int64_t user, int64_t now);
/* A partner's choice to erase the couple: when every partner still here has chosen it, every
   row of the couple is removed (*erased set). */
int acct_erase_choose(db_t *db, int64_t couple, int64_t user, int64_t now, int *erased);
int acct_erase_withdraw(db_t *db, int64_t couple, int64_t user);
/* Who has chosen it: *mine, and *partner (the other partner, when still here). */
int acct_erase_state(db_t *db, int64_t couple, int64_t user, int *mine, int *partner);

/* Log-in attempts (core/throttle.h). reserve: inside a write transaction, counts one attempt
   for (scope, key) before the password is checked, unless it must wait: returns 0 when
   counted, the seconds to wait when refused, -1 on a database error. Concurrent attempts
   are serialized on the key, so a burst is counted one by one. */
int64_t throttle_reserve(db_t *db, const char *scope, const char *key, int64_t now, int free_attempts);
/* New accounts from one address in the last hour (counted on creation). */
int64_t throttle_hourly(db_t *db, const char *scope, const char *key, int64_t now, int limit);
void throttle_clear(db_t *db, const char *scope, const char *key);
/* One counted attempt turned out right: it no longer counts against the address. */
void throttle_forgive(db_t *db, const char *scope, const char *key);

#endif
