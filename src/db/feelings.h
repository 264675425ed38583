/* feelings.h: feelings named by either partner, private (sealed) unless shared. Every query is
   scoped by the caller's couple. Texts passed to callbacks are valid only during the callback:
   callbacks copy what they keep. */
#ifndef MEND_DB_FEELINGS_H
#define MEND_DB_FEELINGS_H
#include "db.h"

typedef struct {
  int64_t id, author_id, created_at, heard_at;
  const char *emotion, *text;   /* text is empty for a private one: its words are sealed */
  int shared;
  const void *sealed;
  size_t sealed_n;
} feeling_t;
/* Who may see a feeling ($2 the viewer): its author, and their partner once it is shared.
   The export keeps the same rows. */
#define FEELINGS_VISIBLE "(author_id = $2 OR shared = 1)"
/* id: made by the caller (a sealed text is bound to it). sealed NULL for a shared one. */
int feelings_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *emotion, const char *text,
                 const void *sealed, size_t sealed_n, int shared, int64_t now);
/* What viewer may see: their own, and their partner's shared ones. Newest first. */
int feelings_list(db_t *db, int64_t couple, int64_t viewer, int limit, db_each cb /* const feeling_t * */, void *ctx);
/* The same, before (before_at, before_id) in that order: a page of the API's list. */
int feelings_page(db_t *db, int64_t couple, int64_t viewer, int64_t before_at, int64_t before_id, int limit,
                  db_each cb /* const feeling_t * */, void *ctx);
/* DB_ROW with the feeling when viewer may see it. */
int feelings_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, feeling_t *out);
int feelings_hear(db_t *db, int64_t couple, int64_t id, int64_t now);
/* Seals the author's private feelings and apology drafts still stored open (written before
   sealing existed), with their data key dk; called at log-in, when the key is at hand. */
int seal_plain_rows(db_t *db, int64_t couple, int64_t author, const unsigned char *dk);

#endif
