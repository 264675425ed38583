/* atone.h: queries for the first phase's tools: the breach accounts, feelings, questions
   and answers, apologies. Every query is scoped by the caller's couple. Texts returned are
   valid until the next call on the same statement: callbacks copy what they keep. */
#ifndef MEND_DB_ATONE_H
#define MEND_DB_ATONE_H
#include "db.h"

/* ---- breach (db/breach.c) ---- */
typedef struct {
  int64_t user_id, updated_at, acknowledged_at; /* acknowledged_at 0: not yet */
  const char *text, *root_cause, *category, *broke_trust;
} breach_account_t;
/* Calls cb for each partner's account (0..2). */
int breach_accounts(db_t *db, int64_t couple, void (*cb)(void *, const breach_account_t *), void *ctx);
/* Writes the caller's account and clears every acknowledgement (they read other words). */
int breach_write(db_t *db, int64_t couple, int64_t user, const char *text, const char *root, const char *category,
                 const char *broke, int64_t now);
int breach_acknowledge(db_t *db, int64_t couple, int64_t user, int64_t now);

/* ---- feelings (db/feelings.c) ---- */
typedef struct {
  int64_t id, author_id, created_at, heard_at;
  const char *emotion, *text;   /* text is empty for a private one: its words are sealed */
  int shared;
  const void *sealed;
  size_t sealed_n;
} feeling_t;
/* id: made by the caller (a sealed text is bound to it). sealed NULL for a shared one. */
int feelings_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *emotion, const char *text,
                 const void *sealed, size_t sealed_n, int shared, int64_t now);
/* What viewer may see: their own, and their partner's shared ones. Newest first. */
int feelings_list(db_t *db, int64_t couple, int64_t viewer, int limit, void (*cb)(void *, const feeling_t *), void *ctx);
/* DB_ROW with the feeling when viewer may see it. */
int feelings_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, feeling_t *out);
int feelings_hear(db_t *db, int64_t couple, int64_t id, int64_t now);
/* Seals the author's private feelings and apology drafts still stored open (written before
   sealing existed), with their data key dk; called at log-in, when the key is at hand. */
int atone_seal_plain(db_t *db, int64_t couple, int64_t author, const unsigned char *dk);

/* ---- questions (db/questions.c) ---- */
typedef struct {
  int64_t id, asker_id, times_asked, created_at, last_asked_at, last_answer_at; /* 0: never answered */
  int waiting; /* asked, or asked again, and not answered since */
  const char *text;
} question_t;
typedef struct { int64_t id, question_id, author_id, created_at; const char *text; } answer_t;
int questions_add(db_t *db, int64_t couple, int64_t asker, const char *text, int64_t now, int64_t *id);
/* Waiting ones first (asked again or never answered since), then newest. */
int questions_list(db_t *db, int64_t couple, void (*cb)(void *, const question_t *), void *ctx);
/* DB_ROW with the question; its text is copied into *text (malloc, caller frees) when text is given. */
int questions_get(db_t *db, int64_t couple, int64_t id, question_t *out, char **text);
int questions_answers(db_t *db, int64_t couple, int64_t question, void (*cb)(void *, const answer_t *), void *ctx);
/* Every answer of the couple, by question then in the order given: one query for a whole list. */
int questions_all_answers(db_t *db, int64_t couple, void (*cb)(void *, const answer_t *), void *ctx);
int questions_answer(db_t *db, int64_t couple, int64_t question, int64_t author, const char *text, int64_t now, int64_t *id);
int questions_ask_again(db_t *db, int64_t couple, int64_t question, int64_t now);
/* The questions asked by the partner that wait for viewer's answer (texts only in the callback). */
int questions_waiting_list(db_t *db, int64_t couple, int64_t viewer, void (*cb)(void *, const question_t *), void *ctx);

/* ---- apologies (db/apologies.c) ---- */
typedef struct {
  int64_t id, author_id, created_at, updated_at, delivered_at, responded_at;
  int heard; /* -1: no answer yet */
  const char *text, *note;   /* text is empty for a sealed draft */
  const void *sealed;
  size_t sealed_n;
} apology_t;
/* A draft: its words sealed by the author (text empty), or open when sealed is NULL. */
int apologies_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *text, const void *sealed, size_t sealed_n,
                  int64_t now);
/* The viewer's own (drafts and delivered) and the delivered ones of their partner. */
int apologies_list(db_t *db, int64_t couple, int64_t viewer, void (*cb)(void *, const apology_t *), void *ctx);
/* DB_ROW with the apology (without its words) when viewer may see it. */
int apologies_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, apology_t *out);
/* Calls cb with the apology when viewer may see it; DB_ROW then, DB_DONE when not. */
int apologies_get_cb(db_t *db, int64_t couple, int64_t viewer, int64_t id, void (*cb)(void *, const apology_t *), void *ctx);
int apologies_edit(db_t *db, int64_t couple, int64_t id, const char *text, const void *sealed, size_t sealed_n, int64_t now);
/* Gives the apology: its words, opened by the author, are stored open from now on. */
int apologies_deliver(db_t *db, int64_t couple, int64_t id, const char *text, int64_t now);
int apologies_respond(db_t *db, int64_t couple, int64_t id, int heard, const char *note, int64_t now);

/* ---- program (db/program.c) ---- */
/* Everything that waits for one partner, in one query (the home page's hot path). */
typedef struct { int questions, apologies, feelings, reports_to_confirm, promises_to_report; } waiting_counts;
int program_waiting(db_t *db, int64_t couple, int64_t me, int64_t today, int weekday, waiting_counts *out);
/* The phase, when it started, and who is ready, in one query. */
int program_state_get(db_t *db, int64_t couple, int64_t me, int *phase, int64_t *started_at, int *mine, int *partners);
/* The phases reached after the first, with the moment each began. */
int program_phases_list(db_t *db, int64_t couple, void (*cb)(void *, int phase, int64_t started_at), void *ctx);
/* Marks me ready; when both are, moves to the next phase. *moved tells whether it did. */
int program_set_ready(db_t *db, int64_t couple, int phase, int64_t me, int64_t now, int *moved);
int program_unset_ready(db_t *db, int64_t couple, int64_t me);

#endif
