/* grow.h: queries for the later part of the process: the journal, closeness steps, moments
   and appreciations, values and goals, setbacks, forgiveness notes and letting the past rest.
   Every query is scoped by the caller's couple. Texts passed to callbacks are valid only
   during the callback. Ids are made by the caller, since a sealed text is bound to its id. */
#ifndef MEND_DB_GROW_H
#define MEND_DB_GROW_H
#include "db.h"

/* ---- journal (db/journal.c) ---- */
typedef struct {
  int64_t id, author_id, created_at;
  int is_private, in_report;  /* in_report: its author includes it in counsellor's reports */
  const char *body;           /* NULL when private: then sealed holds it */
  const void *sealed;
  size_t sealed_n;
} journal_t;
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
                 void (*cb)(void *, const journal_t *), void *ctx);
/* DB_ROW with the entry (without its text) when viewer may read it. */
int journal_get(db_t *db, int64_t couple, int64_t viewer, int64_t id, journal_t *out);
int journal_addition_add(db_t *db, int64_t couple, int64_t entry, int64_t id, int64_t author, const char *body,
                         const void *sealed, size_t sealed_n, int64_t now);
/* The author includes (or not) a shared entry in counsellor's reports; DB_DONE, 0 rows when it
   is not theirs or private. */
int journal_set_in_report(db_t *db, int64_t couple, int64_t author, int64_t id, int in_report);
/* Shared entries their authors include in reports, made in [from, to), oldest first. */
int journal_for_report(db_t *db, int64_t couple, int64_t from, int64_t to, void (*cb)(void *, const journal_t *), void *ctx);
/* Additions to the entries viewer may read made in [from, to), by entry then in order. */
int journal_additions(db_t *db, int64_t couple, int64_t viewer, int64_t from, int64_t to,
                      void (*cb)(void *, const journal_addition_t *), void *ctx);

/* ---- closeness (db/closeness.c) ---- */
/* updated_at is when the choice became what it is: saving the same choice again keeps it. */
int closeness_set(db_t *db, int64_t couple, int64_t user, const char *step, const char *choice, int64_t now);
/* The user's own choices. */
int closeness_mine(db_t *db, int64_t couple, int64_t user, void (*cb)(void *, const char *step, const char *choice), void *ctx);
/* The steps both partners marked ready before `ready_before` (the start of today): nothing else
   about the other's choices leaves here, and a "ready" marked today is not yet one of them, so
   marking everything ready and taking it back at once tells nothing. */
int closeness_matches(db_t *db, int64_t couple, int64_t ready_before, void (*cb)(void *, const char *step), void *ctx);

/* ---- moments and appreciations (db/moments.c) ---- */
typedef struct {
  int64_t id, created_by, day, created_at;
  int done;
  const char *title, *kind;
} moment_t;
int moments_add(db_t *db, int64_t couple, int64_t id, int64_t by, const char *title, const char *kind, int64_t day, int done,
                int64_t now);
/* Planned ones first (soonest first), then lived ones (newest first). */
int moments_list(db_t *db, int64_t couple, void (*cb)(void *, const moment_t *), void *ctx);
int moments_exists(db_t *db, int64_t couple, int64_t id);
/* done: 0 or 1, or -1 to keep it; day: -1 to keep it. */
int moments_set_done(db_t *db, int64_t couple, int64_t id, int done, int64_t day);
int moment_note_set(db_t *db, int64_t couple, int64_t moment, int64_t user, const char *note, int64_t now);
int moment_notes(db_t *db, int64_t couple, void (*cb)(void *, int64_t moment, int64_t user, const char *note), void *ctx);
typedef struct { int64_t id, author_id, created_at; const char *text; } appreciation_t;
int appreciations_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *text, int64_t now);
int appreciations_list(db_t *db, int64_t couple, int limit, void (*cb)(void *, const appreciation_t *), void *ctx);

/* ---- values and goals (db/values.c) ---- */
typedef struct { int64_t id, proposed_by, created_at, affirmed_at; const char *text; } value_t;
int values_add(db_t *db, int64_t couple, int64_t id, int64_t by, const char *text, int64_t now);
int values_list(db_t *db, int64_t couple, void (*cb)(void *, const value_t *), void *ctx);
int values_get(db_t *db, int64_t couple, int64_t id, value_t *out);
int values_affirm(db_t *db, int64_t couple, int64_t id, int64_t now);
typedef struct { int64_t id, created_by, created_at, updated_at; const char *title; } goal_t;
typedef struct { const char *text; int done; } goal_step_t;
/* A goal with its steps, written whole (a new goal, or an update replacing title and steps). */
int goals_write(db_t *db, int64_t couple, int64_t id, int64_t by, const char *title, const goal_step_t *steps, int n,
                int64_t now, int is_new);
int goals_list(db_t *db, int64_t couple, void (*cb)(void *, const goal_t *), void *ctx);
int goals_exists(db_t *db, int64_t couple, int64_t id);
int goal_steps(db_t *db, int64_t couple, void (*cb)(void *, int64_t goal, const goal_step_t *), void *ctx);

/* ---- setbacks (db/setbacks.c) ---- */
typedef struct { int64_t id, author_id, day, created_at; int severity; const char *what, *helped; } setback_t;
int setbacks_add(db_t *db, int64_t couple, int64_t id, int64_t author, int64_t day, const char *what, int severity,
                 const char *helped, int64_t now);
/* From day `since` on, newest first. */
int setbacks_list(db_t *db, int64_t couple, int64_t since, void (*cb)(void *, const setback_t *), void *ctx);

/* ---- forgiveness and letting the past rest (db/forgiveness.c) ---- */
typedef struct {
  int64_t id, author_id, created_at, shared_at;
  const char *about, *text;   /* text: only once shared */
  const void *sealed;
  size_t sealed_n;
} forgiveness_t;
int forgiveness_add(db_t *db, int64_t couple, int64_t id, int64_t author, const char *about, const void *sealed, size_t sealed_n,
                    int64_t now);
/* viewer's own notes and the partner's shared ones, newest first. */
int forgiveness_list(db_t *db, int64_t couple, int64_t viewer, void (*cb)(void *, const forgiveness_t *), void *ctx);
/* DB_ROW after calling cb with the author's own note, DB_DONE when there is none. */
int forgiveness_get(db_t *db, int64_t couple, int64_t author, int64_t id, void (*cb)(void *, const forgiveness_t *),
                    void *ctx);
/* Shares the author's note: its words stored open from now on. */
int forgiveness_share(db_t *db, int64_t couple, int64_t author, int64_t id, const char *text, int64_t now);
/* A partner chooses to let the past rest; while both have, it rests. Bringing it back clears both. */
int rest_choose(db_t *db, int64_t couple, int64_t user, int64_t now);
int rest_withdraw(db_t *db, int64_t couple, int64_t user);
/* *mine: the user chose it; returns the moment both had chosen (0: not resting), or -1. */
int64_t rest_state(db_t *db, int64_t couple, int64_t user, int *mine);

#endif
