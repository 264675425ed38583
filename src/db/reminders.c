/* reminders.c (db): see reminders.h. */
#include "reminders.h"
#include <stdio.h>
#include <string.h>

typedef struct { unsigned char priv[WP_PRIVATE], pub[WP_PUBLIC]; int ok; } vapid_row;
static void read_vapid(db_stmt_t *st, void *row) {
  vapid_row *v = row;
  v->ok = db_col_bytes(st, 0) == WP_PRIVATE && db_col_bytes(st, 1) == WP_PUBLIC;
  if (!v->ok) return;
  memcpy(v->priv, db_col_blob(st, 0), WP_PRIVATE);
  memcpy(v->pub, db_col_blob(st, 1), WP_PUBLIC);
}

int rem_vapid(db_t *db, unsigned char priv[WP_PRIVATE], unsigned char pub[WP_PUBLIC], int64_t now) {
  vapid_row v = {0};
  int rc = db_row(db, "SELECT secret, public FROM server_keys WHERE name = 'vapid'", read_vapid, &v, "");
  if (rc == DB_DONE) {
    unsigned char p[WP_PRIVATE], q[WP_PUBLIC];
    if (wp_keypair(p, q) != 0) return DB_ERROR;
    if (db_begin(db) != DB_OK) return DB_ERROR;
    rc = db_write(db, "INSERT INTO server_keys (name, secret, public, created_at) VALUES ('vapid', $1, $2, $3) "
                      "ON CONFLICT (name) DO NOTHING", "bbi", p, (size_t)WP_PRIVATE, q, (size_t)WP_PUBLIC, now);
    rc = db_end(db, rc);
    explicit_bzero(p, sizeof p);
    if (rc != DB_OK) return rc;
    rc = db_row(db, "SELECT secret, public FROM server_keys WHERE name = 'vapid'", read_vapid, &v, "");
  }
  if (rc != DB_ROW || !v.ok) return rc == DB_ROW ? DB_ERROR : rc;
  memcpy(priv, v.priv, WP_PRIVATE);
  memcpy(pub, v.pub, WP_PUBLIC);
  explicit_bzero(&v, sizeof v);
  return DB_OK;
}

static void read_settings(db_stmt_t *st, void *row) {
  rem_settings *s = row;
  s->push = (int)db_col_int(st, 0);
  s->quiet_from = (int)db_col_int(st, 1);
  s->quiet_to = (int)db_col_int(st, 2);
  s->show_titles = (int)db_col_int(st, 3);
  snprintf(s->email, sizeof s->email, "%s", db_col_text(st, 4));
}

int rem_settings_get(db_t *db, int64_t couple, int64_t user, rem_settings *out) {
  *out = REM_DEFAULTS;
  int rc = db_row(db, "SELECT push, quiet_from, quiet_to, show_titles, email FROM reminder_settings WHERE couple_id = $1 AND user_id = $2",
                  read_settings, out, "ii", couple, user);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int rem_settings_set(db_t *db, int64_t couple, int64_t user, const rem_settings *s) {
  return db_write(db,
      "INSERT INTO reminder_settings (couple_id, user_id, push, quiet_from, quiet_to, show_titles, email) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (couple_id, user_id) DO UPDATE SET push = excluded.push, "
      "quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to, show_titles = excluded.show_titles, email = excluded.email",
      "iiiiiis", couple, user, (int64_t)s->push, (int64_t)s->quiet_from, (int64_t)s->quiet_to, (int64_t)s->show_titles, s->email);
}

static void read_id(db_stmt_t *st, void *row) { *(int64_t *)row = db_col_int(st, 0); }

int rem_device_add(db_t *db, int64_t couple, int64_t user, int64_t id, const char *endpoint, const unsigned char p256dh[WP_PUBLIC],
                   const unsigned char auth[WP_AUTH], int64_t now, int64_t *out_id) {
  /* an endpoint is one browser: subscribed again (by this partner or, on a shared phone, the
     other, or after a couple space was made anew), it is this partner's now, with new keys */
  int rc = db_write(db, "DELETE FROM push_subscriptions WHERE endpoint = $1 AND NOT (couple_id = $2 AND user_id = $3)", "sii",
                    endpoint, couple, user);
  if (rc != DB_OK) return rc;
  rc = db_row(db,
      "INSERT INTO push_subscriptions (couple_id, id, user_id, endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth RETURNING id",
      read_id, out_id, "iiisbbi", couple, id, user, endpoint, p256dh, (size_t)WP_PUBLIC, auth, (size_t)WP_AUTH, now);
  return rc == DB_ROW ? DB_OK : rc;
}

int rem_device_delete(db_t *db, int64_t couple, int64_t user, int64_t id) {
  int rc = db_write(db, "DELETE FROM push_subscriptions WHERE couple_id = $1 AND user_id = $2 AND id = $3", "iii", couple, user, id);
  return rc == DB_OK && db_changes(db) == 0 ? DB_DONE : rc;
}

/* A change made outside a partner's request (the worker, a link followed): the couple's data
   version moves with it, in the same transaction, as every write of a partner moves it (what
   is kept of the couple goes by it, db/memo.c). */
static int bumped(db_t *db, int rc, int64_t couple) {
  if (rc == DB_ROW) rc = db_bump_couple(db, couple);
  return db_end(db, rc == DB_DONE ? DB_OK : rc);
}

int rem_device_gone(db_t *db, const char *endpoint) {
  int64_t couple = 0;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_row(db, "DELETE FROM push_subscriptions WHERE endpoint = $1 RETURNING couple_id", read_id, &couple, "s", endpoint);
  return bumped(db, rc, couple);
}

static void read_device(db_stmt_t *st, void *row) {
  rem_device *d = row;
  *d = (rem_device){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_text(st, 4),
                    db_col_blob(st, 5), db_col_blob(st, 6), db_col_bytes(st, 5), db_col_bytes(st, 6)};
}

int rem_devices(db_t *db, int64_t couple, int64_t user, db_each cb, void *ctx) {
  rem_device d;
  return db_rows(db, "SELECT couple_id, id, user_id, created_at, endpoint, p256dh, auth FROM push_subscriptions "
                     "WHERE couple_id = $1 AND user_id = $2 ORDER BY created_at DESC, id", read_device, &d, cb, ctx, "ii", couple, user);
}

static void read_person_cols(db_stmt_t *st, void *row) {
  rem_person *p = row;
  p->couple_id = db_col_int(st, 0);
  p->user_id = db_col_int(st, 1);
  p->timezone = db_col_text(st, 2);
  p->s.push = (int)db_col_int(st, 3);
  p->s.quiet_from = (int)db_col_int(st, 4);
  p->s.quiet_to = (int)db_col_int(st, 5);
  p->s.show_titles = (int)db_col_int(st, 6);
  snprintf(p->s.email, sizeof p->s.email, "%s", db_col_text(st, 7));
}

int rem_people(db_t *db, db_each cb, void *ctx) {
  rem_person p;
  return db_rows(db,
      "SELECT r.couple_id, r.user_id, u.timezone, r.push, r.quiet_from, r.quiet_to, r.show_titles, r.email "
      "FROM reminder_settings r JOIN users u ON u.couple_id = r.couple_id AND u.id = r.user_id "
      "WHERE u.deleted_at IS NULL AND ((r.push = 1 AND EXISTS (SELECT 1 FROM push_subscriptions s "
      "WHERE s.couple_id = r.couple_id AND s.user_id = r.user_id)) OR (r.email <> 'off' AND EXISTS (SELECT 1 FROM reminder_emails e "
      "WHERE e.couple_id = r.couple_id AND e.user_id = r.user_id AND e.confirmed_at IS NOT NULL))) ORDER BY r.couple_id, r.user_id",
      read_person_cols, &p, cb, ctx, "");
}

int rem_was_sent(db_t *db, enum rem_channel ch, int64_t couple, int64_t user, const char *kind, int64_t item) {
  if (ch == REM_EMAIL)
    return db_count(db, "SELECT COUNT(*) FROM email_sent WHERE couple_id = $1 AND user_id = $2 AND kind = $3 AND item_id = $4",
                    "iisi", couple, user, kind, item) > 0;
  return db_count(db, "SELECT COUNT(*) FROM push_sent WHERE couple_id = $1 AND user_id = $2 AND kind = $3 AND item_id = $4",
                  "iisi", couple, user, kind, item) > 0;
}

int rem_mark_sent(db_t *db, enum rem_channel ch, int64_t couple, int64_t user, const char *kind, int64_t item, int64_t now) {
  if (ch == REM_EMAIL)
    return db_write(db, "INSERT INTO email_sent (couple_id, user_id, kind, item_id, sent_at) VALUES ($1, $2, $3, $4, $5) "
                        "ON CONFLICT DO NOTHING", "iisii", couple, user, kind, item, now);
  return db_write(db, "INSERT INTO push_sent (couple_id, user_id, kind, item_id, sent_at) VALUES ($1, $2, $3, $4, $5) "
                      "ON CONFLICT DO NOTHING", "iisii", couple, user, kind, item, now);
}

static void read_email(db_stmt_t *st, void *row) {
  rem_email *e = row;
  e->set = 1;
  snprintf(e->address, sizeof e->address, "%s", db_col_text(st, 0));
  e->confirmed = !db_col_is_null(st, 1);
  e->digest_day = db_col_int(st, 2);
}

int rem_email_get(db_t *db, int64_t couple, int64_t user, rem_email *out) {
  memset(out, 0, sizeof *out);
  int rc = db_row(db, "SELECT address, confirmed_at, digest_day FROM reminder_emails WHERE couple_id = $1 AND user_id = $2",
                  read_email, out, "ii", couple, user);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int rem_email_set(db_t *db, int64_t couple, int64_t user, const char *address, const char *secret,
                  const unsigned char hash[32], int64_t now) {
  return db_write(db,
      "INSERT INTO reminder_emails (couple_id, user_id, address, confirm_hash, confirm_mail, asked_at) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (couple_id, user_id) DO UPDATE SET address = excluded.address, confirm_hash = excluded.confirm_hash, "
      "confirm_mail = excluded.confirm_mail, asked_at = excluded.asked_at, confirmed_at = NULL",
      "iisbsi", couple, user, address, hash, (size_t)32, secret, now);
}

int rem_email_delete(db_t *db, int64_t couple, int64_t user) {
  int rc = db_write(db, "DELETE FROM reminder_emails WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
  /* without an address, no mail: the choice goes back to off */
  if (rc == DB_OK) rc = db_write(db, "UPDATE reminder_settings SET email = 'off' WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
  return rc;
}

int rem_email_confirm(db_t *db, const unsigned char hash[32], int64_t now) {
  int64_t couple = 0;
  if (db_begin(db) != DB_OK) return DB_ERROR;
  int rc = db_row(db, "UPDATE reminder_emails SET confirmed_at = $2, confirm_hash = NULL, confirm_mail = NULL "
                      "WHERE confirm_hash = $1 AND confirmed_at IS NULL RETURNING couple_id", read_id, &couple, "bi", hash,
                  (size_t)32, now);
  int found = rc == DB_ROW;
  rc = bumped(db, rc, couple);
  return rc == DB_OK && !found ? DB_DONE : rc;
}

static void read_confirm(db_stmt_t *st, void *row) {
  rem_confirm *c = row;
  *c = (rem_confirm){db_col_int(st, 0), db_col_int(st, 1), db_col_text(st, 2), db_col_text(st, 3)};
}

int rem_email_unmailed(db_t *db, db_each cb, void *ctx) {
  rem_confirm c;
  return db_rows(db, "SELECT couple_id, user_id, address, confirm_mail FROM reminder_emails WHERE confirm_mail IS NOT NULL",
                 read_confirm, &c, cb, ctx, "");
}

int rem_email_mailed(db_t *db, int64_t couple, int64_t user) {
  return db_write(db, "UPDATE reminder_emails SET confirm_mail = NULL WHERE couple_id = $1 AND user_id = $2", "ii", couple, user);
}

int rem_email_digest_done(db_t *db, int64_t couple, int64_t user, int64_t day) {
  return db_write(db, "UPDATE reminder_emails SET digest_day = $3 WHERE couple_id = $1 AND user_id = $2", "iii", couple, user, day);
}
