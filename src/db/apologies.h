/* apologies.h: apologies, private drafts until delivered, with the partner's answer. Every query
   is scoped by the caller's couple. Texts passed to callbacks are valid only during the callback:
   callbacks copy what they keep. */
#ifndef MEND_DB_APOLOGIES_H
#define MEND_DB_APOLOGIES_H
#include "db.h"

typedef struct {
  int64_t id, author_id, created_at, updated_at, delivered_at, responded_at;
  int heard; /* -1: no answer yet */
  const char *text, *note;   /* text is empty for a sealed draft */
  const void *sealed;
  size_t sealed_n;
} apology_t;
/* Who may see an apology ($2 the viewer): its author, and their partner once delivered. */
#define APOLOGIES_VISIBLE "(author_id = $2 OR delivered_at IS NOT NULL)"
/* A draft: its words sealed by the author (text empty), or open when sealed is NULL. */
int apologies_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *text, const void *sealed, size_t sealed_n,
                  int64_t now);
/* The viewer's own (drafts and delivered) and the delivered ones of their partner. */
int apologies_list(db_t *db, int64_t couple, int64_t viewer, db_each cb /* const apology_t * */, void *ctx);
/* DB_ROW with the apology (without its words) when viewer may see it. */
int apologies_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, apology_t *out);
/* Calls cb with the apology when viewer may see it; DB_ROW then, DB_DONE when not. */
int apologies_get_cb(db_t *db, int64_t couple, int64_t viewer, int64_t id, db_each cb /* const apology_t * */, void *ctx);
int apologies_edit(db_t *db, int64_t couple, int64_t id, const char *text, const void *sealed, size_t sealed_n, int64_t now);
/* Gives the apology: its words, opened by the author, are stored open from now on. */
int apologies_deliver(db_t *db, int64_t couple, int64_t id, const char *text, int64_t now);
int apologies_respond(db_t *db, int64_t couple, int64_t id, int heard, const char *note, int64_t now);

#endif
