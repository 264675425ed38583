/* letters.h: the disclosure, impact and restitution letters: drafts sealed to their author until
   given, then answered by the partner (read, heard or not yet), and destroyed together once both
   ask. Every query is scoped by the caller's couple. Texts passed to callbacks are valid only
   during the callback. */
#ifndef MEND_DB_LETTERS_H
#define MEND_DB_LETTERS_H
#include "db.h"

typedef struct {
  int64_t id, author_id, created_at, updated_at, given_at, read_at, heard_at;
  int heard;                    /* -1 not answered, 0 not yet, 1 heard */
  char kind[12];                /* disclosure, impact, restitution */
  char detail[6];               /* disclosure: "facts" or "more" as the reader chose, "" before */
  const char *body, *more;      /* '' for a sealed draft */
  const void *sealed;           /* a draft: body, U+001E, more */
  size_t sealed_n;
} letter_t;
/* Who may see a letter ($2 the viewer): its author, and their partner once given. */
#define LETTERS_VISIBLE "(author_id = $2 OR given_at IS NOT NULL)"

int letters_add(db_t *db, int64_t couple, const letter_t *l);
/* A draft's new words (sealed again). DB_CONSTRAINT when it was given meanwhile. */
int letters_edit(db_t *db, int64_t couple, int64_t id, const void *sealed, size_t n, int64_t now);
/* What viewer may see, oldest first. */
int letters_list(db_t *db, int64_t couple, int64_t viewer, db_each cb /* const letter_t * */, void *ctx);
/* DB_ROW with the letter (no words) when viewer may see it. */
int letters_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, letter_t *out);
/* Calls cb with the whole row (its sealed words too) when it is author's: DB_ROW, DB_DONE. */
int letters_own(db_t *db, int64_t couple, int64_t author, int64_t id, db_each cb /* const letter_t * */, void *ctx);
/* Whether author has given a letter of this kind ($1 couple): 1, 0, or -1. */
int letters_given_by(db_t *db, int64_t couple, int64_t author, const char *kind);
/* Gives the draft, its words opened by the author: DB_CONSTRAINT when given already. */
int letters_give(db_t *db, int64_t couple, int64_t id, const char *body, const char *more, int64_t now);
/* The reader's answers, each a conditional write (DB_CONSTRAINT when not in the state for it):
   how much detail (a disclosure, before reading), read (once), heard (not yet, then heard). */
int letters_choose_detail(db_t *db, int64_t couple, int64_t id, const char *detail, int64_t now);
int letters_mark_read(db_t *db, int64_t couple, int64_t id, int64_t now);
int letters_mark_heard(db_t *db, int64_t couple, int64_t id, int heard, int64_t now);

/* The requests to destroy every letter: the partners who asked (at most 2). */
int letters_destroy_asked(db_t *db, int64_t couple, int64_t who[2], int *n);
int letters_destroy_ask(db_t *db, int64_t couple, int64_t user, int64_t now);
int letters_destroy_withdraw(db_t *db, int64_t couple, int64_t user);
/* Erases every letter of the couple and the requests: *count the letters erased. */
int letters_destroy_all(db_t *db, int64_t couple, int64_t *count);

#endif
