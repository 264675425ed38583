/* validate.h: the rules for what users type, with the message a user sees when a rule is
   not met. Pure functions: no I/O. */
#ifndef MEND_VALIDATE_H
#define MEND_VALIDATE_H
#include <stddef.h>
#include "util/i18n.h"

#define USERNAME_MIN 3
#define USERNAME_MAX 32
#define PASSWORD_MIN 10
#define PASSWORD_MAX_BYTES 1024
#define DISPLAY_NAME_MAX 60
/* An account of the breach opens the other's once both are written: it counts as written only
   when it says something real, not a single character typed to unlock the other's. */
#define BREACH_ACCOUNT_MIN 200

/* ---- how much a user may write, in characters, field by field ---- */
#define BREACH_ACCOUNT_MAX 20000
#define BREACH_ROOT_MAX 5000      /* the root cause, and how it broke trust */
#define FEELING_MAX 5000
#define QUESTION_MAX 2000
#define ANSWER_MAX 20000
#define NOTE_MAX 2000             /* a short note: a report's, a confirmation's, an answer to an apology, a moment's */
#define AGREEMENT_TITLE_MAX 200
#define AGREEMENT_MAX 10000
#define PROMISE_MAX 1000
#define TRUTH_MAX 500
#define JOURNAL_ENTRY_MAX 20000   /* an entry, and each addition to one */
#define MOMENT_TITLE_MAX 200
#define APPRECIATION_MAX 500
#define VALUE_MAX 300
#define GOAL_TITLE_MAX 200
#define GOAL_STEP_MAX 300
#define SETBACK_WHAT_MAX 3000
#define SETBACK_HELPED_MAX 2000
#define FORGIVENESS_MAX 10000     /* the words of a note on forgiving, longer than a note */
#define REPORT_DAYS_MAX 366       /* the period a counsellor's report covers */
#define REPORT_LINK_DAYS_MAX 14   /* how long a report's share link stays open */

/* What an action or an input may not do: the HTTP status, a code, the message a user sees,
   and the field it is about (NULL: the whole request). Status 0: allowed. */
typedef struct { int status; const char *code, *message, *field; } verdict;
#define VERDICT_OK ((verdict){0, NULL, NULL, NULL})
/* 422: what is wrong with one field. */
verdict refuse_field(const char *field, const char *message);
/* A text input: present but not text (bad), blank when required, too long, or not valid. */
verdict check_text(const char *field, const char *s, size_t n, int bad, long max_chars, int required);

/* Each returns NULL when the value is acceptable, else a message for the user.
   username_normalize lower-cases into out (USERNAME_MAX + 1 bytes). */
const char *validate_username(const char *s, size_t n, char *out);
const char *validate_password(const char *s, size_t n);
/* A plain e-mail address: one @, a dot after it, no spaces, quotes, angle brackets or line
   breaks (it goes into a mail's header as it is). 1 when acceptable. */
#define EMAIL_MAX 254
int email_ok(const char *a, size_t n);
/* Trims surrounding spaces: *start and *len describe the kept part. */
const char *validate_display_name(const char *s, size_t n, size_t *start, size_t *len);

/* Counts code points; returns -1 when s is not valid UTF-8 or holds a control character
   (other than newline and tab when multiline). */
long utf8_count(const char *s, size_t n, int multiline);

/* The longest prefix of s (NUL-terminated) of at most max bytes that ends on a character
   boundary: a cut never splits a UTF-8 sequence. */
size_t utf8_cut(const char *s, size_t max);
/* snprintf that never leaves half a character: when the result does not fit, it is cut at a
   character boundary and ends with an ellipsis. Returns the length written. */
size_t utf8_format(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Quotes a user's text in a summary: at most SUMMARY_QUOTE bytes, cut on a character. */
#define SUMMARY_QUOTE 500
#define QUOTE(s) (int)utf8_cut((s), SUMMARY_QUOTE), (s)

/* Free text (multi-line): NULL when fine, else a message. Blank counts as missing. */
const char *validate_text(const char *s, size_t n, long max_chars, int required);
/* Index of s[0..n) in a NULL-terminated list, or -1. */
int one_of(const char *s, size_t n, const char *const *list);

#endif
