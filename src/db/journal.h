/* journal.h: journal entries, shared or private (sealed), and their signed additions. Every query
   is scoped by the caller's couple. Texts passed to callbacks are valid only during the callback.
   Ids are made by the caller, since a sealed text is bound to its id. */
#ifndef MEND_DB_JOURNAL_H
#define MEND_DB_JOURNAL_H
#include "db.h"

typedef struct {
  int64_t id, author_id, created_at;
  int is_private, in_report;  /* in_report: its author includes it in counsellor's reports */
  const char *body;           /* NULL when private: then sealed holds it */
  const void *sealed;
  size_t sealed_n;
} journal_t;
/* Who may read an entry ($2 the viewer): its author, and their partner when it is shared. */
#define JOURNAL_VISIBLE "(author_id = $2 OR is_private = 0)"
typedef struct {
  int64_t id, entry_id, author_id, created_at;
  const char *body;
  const void *sealed;
  size_t sealed_n;
} journal_addition_t;
int journal_add(db_t *db, int64_t couple, int64_t id, int64_t author, int is_private, const char *body, const void *sealed,
                size_t sealed_n, int64_t now);
/* What viewer may read (their own and every shared entry) made before `before`, newest first. */
/* A page of entries older than the cursor (before_at, before_id): newest first, ties in one
   second ordered by id, so no entry is skipped or shown twice at a page's edge. */
int journal_list(db_t *db, int64_t couple, int64_t viewer, int64_t before_at, int64_t before_id, int limit,
                 db_each cb /* const journal_t * */, void *ctx);
/* DB_ROW with the entry (without its text) when viewer may read it. */
int journal_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, journal_t *out);
int journal_addition_add(db_t *db, int64_t couple, int64_t entry, int64_t id, int64_t author, const char *body,
                         const void *sealed, size_t sealed_n, int64_t now);
/* The author includes (or not) a shared entry in counsellor's reports; DB_OK, 0 rows when it
   is not theirs or private. */
int journal_set_in_report(db_t *db, int64_t couple, int64_t author, int64_t id, int in_report);
/* Shared entries their authors include in reports, made in [from, to), oldest first. */
int journal_for_report(db_t *db, int64_t couple, int64_t from, int64_t to, db_each cb /* const journal_t * */, void *ctx);
/* Additions to the entries viewer may read made in [from, to), by entry then in order. */
int journal_additions(db_t *db, int64_t couple, int64_t viewer, int64_t from, int64_t to,
                      db_each cb /* const journal_addition_t * */, void *ctx);

#endif
