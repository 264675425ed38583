/* reports.h: counsellor's reports (snapshots of shared data over a period) and their
   read-only, expiring, revocable share links. Scoped by couple, except the link lookup, which
   finds a report by its secret's hash alone. */
#ifndef MEND_DB_REPORTS_H
#define MEND_DB_REPORTS_H
#include "db.h"
#include "core/secret.h"

typedef struct {
  int64_t id, made_by, made_at, from_day, to_day; /* made_by 0: the operator */
  const char *html;                             /* only from reports_get and report_by_link */
} report_meta;
int reports_add(db_t *db, int64_t couple, int64_t id, int64_t made_by, int64_t made_at, int64_t from, int64_t to,
                const char *html);
/* Newest first. */
int reports_list(db_t *db, int64_t couple, db_each cb /* const report_meta * */, void *ctx);
/* The newest report made at `since` or later, if any (cb called at most once). */
int reports_newest(db_t *db, int64_t couple, int64_t since, db_each cb /* const report_meta * */, void *ctx);
/* DB_ROW after calling cb with the report and its HTML; DB_DONE when there is none. */
int reports_get(db_t *db, int64_t couple, int64_t id, db_each cb /* const report_meta * */, void *ctx);

typedef struct { int64_t id, report_id, made_by, made_at, expires_at; } report_link;
int report_links_add(db_t *db, int64_t couple, int64_t id, int64_t report, const unsigned char hash[HASH_BYTES], int64_t made_by,
                     int64_t now, int64_t expires);
/* The links still open (neither revoked nor expired), newest first. */
int report_links_open(db_t *db, int64_t couple, int64_t now, db_each cb /* const report_link * */, void *ctx);
/* DB_OK with the link closed; one changed row means it was open. */
int report_links_revoke(db_t *db, int64_t couple, int64_t id, int64_t now);
/* The report behind an open link: DB_ROW after cb, DB_DONE when unknown, expired or revoked. */
int report_by_link(db_t *db, const unsigned char hash[HASH_BYTES], int64_t now,
                   db_each cb /* const report_meta * */, void *ctx);

#endif
