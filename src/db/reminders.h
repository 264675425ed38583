/* reminders.h: what reminders need kept: the server's VAPID key, each partner's push
   subscriptions (one per browser), their choices, and which items were pushed to them. */
#ifndef MEND_DB_REMINDERS_H
#define MEND_DB_REMINDERS_H
#include "db.h"
#include "core/webpush.h"

/* The server's VAPID key pair, made and stored the first time it is asked for (by any server on
   the database: the first one stored wins). DB_OK, or the failure. */
int rem_vapid(db_t *db, unsigned char priv[WP_PRIVATE], unsigned char pub[WP_PUBLIC], int64_t now);

typedef struct {
  int push, show_titles;
  int quiet_from, quiet_to; /* minutes after midnight, the partner's own time */
  char email[8];            /* off, each, daily */
} rem_settings;
#define REM_DEFAULTS ((rem_settings){0, 0, 22 * 60, 8 * 60, "off"})
/* The partner's choices (the defaults while they made none): DB_OK. */
int rem_settings_get(db_t *db, int64_t couple, int64_t user, rem_settings *out);
int rem_settings_set(db_t *db, int64_t couple, int64_t user, const rem_settings *s);

typedef struct {
  int64_t couple_id, id, user_id, created_at;
  const char *endpoint;
  const void *p256dh, *auth;
  size_t p256dh_n, auth_n;
} rem_device;
/* A browser's subscription for the user: a new one, or the one that had this endpoint (which
   moves to this user). *id is its id. */
int rem_device_add(db_t *db, int64_t couple, int64_t user, int64_t id, const char *endpoint, const unsigned char p256dh[WP_PUBLIC],
                   const unsigned char auth[WP_AUTH], int64_t now, int64_t *out_id);
/* DB_OK when it was the user's and is gone, DB_DONE when there was none. */
int rem_device_delete(db_t *db, int64_t couple, int64_t user, int64_t id);
/* A subscription the push service says is gone (404, 410): dropped wherever it is. */
int rem_device_gone(db_t *db, const char *endpoint);
/* The user's devices, newest first (cb gets a const rem_device *). */
int rem_devices(db_t *db, int64_t couple, int64_t user, db_each cb, void *ctx);

/* Who may get a push now: every partner with pushes on and a device (cb gets a const
   rem_person *). Across couples: for the sending worker only. */
typedef struct {
  int64_t couple_id, user_id;
  const char *timezone;
  rem_settings s;
} rem_person; /* pushes on with a browser, or e-mail on with an address confirmed */
int rem_people(db_t *db, db_each cb, void *ctx);
/* Whether the item reached the user by a channel (1), and marking it so (once: a second mark
   is a no-op). */
enum rem_channel { REM_PUSH, REM_EMAIL };
int rem_was_sent(db_t *db, enum rem_channel ch, int64_t couple, int64_t user, const char *kind, int64_t item);
int rem_mark_sent(db_t *db, enum rem_channel ch, int64_t couple, int64_t user, const char *kind, int64_t item, int64_t now);

/* The partner's address for reminders by e-mail: used only once confirmed. */
#define REM_ADDRESS_MAX 254
typedef struct {
  int set, confirmed;
  char address[REM_ADDRESS_MAX + 1];
  int64_t digest_day; /* the partner's day the last digest was mailed */
} rem_email;
int rem_email_get(db_t *db, int64_t couple, int64_t user, rem_email *out); /* DB_OK */
/* A new address, unconfirmed, with the link's secret to mail (hash kept for the link). */
int rem_email_set(db_t *db, int64_t couple, int64_t user, const char *address, const char *secret,
                  const unsigned char hash[32], int64_t now);
int rem_email_delete(db_t *db, int64_t couple, int64_t user);
/* The link was followed: DB_OK, DB_DONE when it names no address waiting. */
int rem_email_confirm(db_t *db, const unsigned char hash[32], int64_t now);
/* Confirmation links not mailed yet (cb gets a const rem_confirm *), and one marked mailed. */
typedef struct { int64_t couple_id, user_id; const char *address, *secret; } rem_confirm;
int rem_email_unmailed(db_t *db, db_each cb, void *ctx);
int rem_email_mailed(db_t *db, int64_t couple, int64_t user);
int rem_email_digest_done(db_t *db, int64_t couple, int64_t user, int64_t day);

#endif
