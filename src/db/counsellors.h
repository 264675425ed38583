/* counsellors.h: counsellors and the couples that let one in. A counsellor's account is the
   one member of a space of its own (couples.counsellor = 1). A couple's access to a counsellor
   is asked by one partner, agreed by the other and ended by either; while it is agreed and not
   ended the counsellor reads the report's chosen tools, each opening logged for the couple.
   Every query of a couple's rows is scoped by the couple; every counsellor query by the
   counsellor. Texts passed to callbacks are valid only during the callback. */
#ifndef MEND_DB_COUNSELLORS_H
#define MEND_DB_COUNSELLORS_H
#include "db.h"
#include "accounts.h"

/* A counsellor's account: DB_OK, DB_CONSTRAINT when the username is taken. u->id and
   u->couple_id are set. Its password is one to change at the first log-in. */
int counsellor_add(db_t *db, user_t *u, const char *pwhash, int64_t now);
/* A counsellor by username: DB_ROW, DB_DONE when there is none (a partner's name too). */
int counsellor_find(db_t *db, const char *username, user_t *out);
/* Whether a couples row is a counsellor's own space (1), else 0. */
int counsellor_space(db_t *db, int64_t couple);
/* Whether the account's password is still the one the operator was given (1), else 0. */
int counsellor_password_once(db_t *db, int64_t couple, int64_t user);

typedef struct {
  int64_t id, couple_id, counsellor_id, asked_by, asked_at, agreed_by, agreed_at, ended_by, ended_at;
  const char *tools;                       /* the report's sections, comma-separated */
  const char *name, *username;             /* the counsellor's */
  int64_t version;                         /* the couple's data version (what caches go by) */
  const char *address;                     /* invited by e-mail: where; else NULL */
  int64_t mailed_at, joined_at;            /* the invitation's mail and its use, or 0 */
  int64_t next_try_at, undelivered_at;     /* after a refused mail: its next try; given up; or 0 */
} access_t;
/* Asks for a counsellor: DB_OK, DB_CONSTRAINT when an access to them is open already. */
int access_ask(db_t *db, int64_t couple, int64_t id, int64_t counsellor, const char *tools, int64_t by, int64_t now);
/* Agrees (the partner who did not ask) or ends (either) an access, only from the state it is
   in: DB_OK, DB_CONSTRAINT when it moved meanwhile (agreed or ended by another request). */
int access_agree(db_t *db, int64_t couple, int64_t id, int64_t by, int64_t now);
int access_end(db_t *db, int64_t couple, int64_t id, int64_t by, int64_t now);
int access_get(db_t *db, int64_t couple, int64_t id, access_t *out, arena_t *keep);
/* The couple's accesses, newest first. */
int access_list(db_t *db, int64_t couple, db_each cb /* const access_t * */, void *ctx);

typedef struct { int64_t at; const char *page; } access_view;
int access_views(db_t *db, int64_t couple, int64_t access, db_each cb /* const access_view * */, void *ctx);
int access_view_add(db_t *db, int64_t couple, int64_t access, const char *page, int64_t now);

/* The counsellor's side: the couples whose access was agreed (open ones first, then those
   ended, newest first); the open access to one couple (DB_ROW, DB_DONE when there is none). */
int counsellor_couples(db_t *db, int64_t counsellor, db_each cb /* const access_t * */, void *ctx);
int counsellor_access(db_t *db, int64_t counsellor, int64_t couple, access_t *out, arena_t *keep);
/* What the counsellor's list depends on, in one number: each agreed access's couple, its
   state and that couple's data version (which every write of theirs moves). DB_OK. */
int counsellor_fingerprint(db_t *db, int64_t counsellor, uint64_t *out);

typedef struct { int64_t id, created_at; const void *sealed; size_t n; } cnote_t;
int cnote_add(db_t *db, int64_t couple, int64_t id, int64_t counsellor, const void *sealed, size_t n, int64_t now);
int cnote_list(db_t *db, int64_t couple, int64_t counsellor, db_each cb /* const cnote_t * */, void *ctx);

typedef struct { int64_t id, counsellor_id, created_at; const char *text, *name; } suggestion_t;
int suggestion_add(db_t *db, int64_t couple, int64_t id, int64_t counsellor, const char *text, int64_t now);
/* Those the partner has not set aside, newest first. */
int suggestions_for(db_t *db, int64_t couple, int64_t user, db_each cb /* const suggestion_t * */, void *ctx);
/* Sets one aside for the partner: DB_OK (again too), DB_DONE when there is no such one. */
int suggestion_seen(db_t *db, int64_t couple, int64_t id, int64_t user, int64_t now);

/* ---- a counsellor invited by e-mail ---- */
#define COUNSELLOR_INVITE_DAYS 14 /* how long the mailed link works */
#define COUNSELLOR_INVITE_TRIES 8 /* mails the SMTP server may refuse before it is given up */
#define COUNSELLOR_INVITE_WAIT 300 /* seconds before the first try again; then 4, 9, 16 ... times */
/* Asks for a counsellor who has no account yet, by address: the access (its counsellor the
   negative of its id until they join) and the invitation, its code kept to be mailed once the
   other partner agrees. DB_OK, DB_CONSTRAINT when that address is invited already. */
int invite_ask(db_t *db, int64_t couple, int64_t id, const char *address, const char *name, const char *tools, int64_t by,
               const unsigned char hash[HASH_BYTES], const char *code, int64_t now);
/* The invitations agreed to and not mailed yet whose try is due, across couples (for the mail
   worker); once sent, the code is forgotten. */
typedef struct { int64_t couple_id, access_id, asked_by; const char *address, *code; } invite_mail;
int invite_unmailed(db_t *db, int64_t now, db_each cb /* const invite_mail * */, void *ctx);
int invite_mailed(db_t *db, int64_t couple, int64_t access, int64_t now);
/* The SMTP server did not take it: tried again later, COUNSELLOR_INVITE_TRIES times in all
   (about half a day), then given up and its code forgotten. */
int invite_refused(db_t *db, int64_t couple, int64_t access, int64_t now);
/* Looks at a code without using it: JOIN_OK, JOIN_UNKNOWN, JOIN_GONE (used, ended, expired). */
typedef struct { int64_t couple_id, access_id; char name[256]; } invite_seen;
int invite_status(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now, invite_seen *out);
/* Makes the counsellor's account and gives them the access, atomically: JOIN_OK, JOIN_GONE,
   JOIN_TAKEN (the username), JOIN_ERROR. u->id and u->couple_id are set. */
int invite_join(db_t *db, const unsigned char hash[HASH_BYTES], user_t *u, const char *pwhash, int64_t now);
/* A counsellor with an account here accepts with it: the access becomes theirs, atomically.
   JOIN_OK (*couple set), JOIN_UNKNOWN, JOIN_GONE, JOIN_TAKEN (they follow that couple already),
   JOIN_ERROR. */
int invite_accept(db_t *db, const unsigned char hash[HASH_BYTES], int64_t counsellor, int64_t now, int64_t *couple);

#endif
