/* coach.h: the rule-based analyser of apologies and messages. The rules are data, one file
   per language (content/coach.rules for English, content/coach.LANG.rules, embedded); this
   file only knows how to read and apply them. Pure: no I/O. Thread-safe once loaded. */
#ifndef MEND_COACH_H
#define MEND_COACH_H
#include <stddef.h>
#include "util/i18n.h"
#include "util/sb.h"

#define COACH_MAX_TEXT (64 * 1024)
#define COACH_LANGS I18N_COUNT /* a language is its place in I18N_CODES; 0 is English */

enum coach_id {
  C_REGRET, C_RESPONSIBILITY, C_SPECIFIC_HARM, C_EMPATHY, C_CHANGE, C_REPAIR, C_FORGIVENESS_REQUEST,
  P_EXCUSE, P_BLAME_SHIFT, P_MINIMIZING, P_CONDITIONAL, P_DEFENSIVE, P_ABSOLUTE, P_CONTEMPT,
  COACH_IDS
};
#define COACH_COMPONENTS 7

enum coach_kind { COACH_APOLOGY, COACH_MESSAGE };

typedef struct { int id; size_t start, end; } coach_finding;

typedef struct {
  enum coach_kind kind;
  int components[COACH_COMPONENTS];
  coach_finding *findings; /* patterns, in text order, overlapping ones of one id merged */
  int nfindings;
} coach_result;

/* Compiles a language's rules text; returns 0, or -1 with a message naming the line in err. */
int coach_load(int lang, const char *rules, size_t len, char *err, size_t errlen);
/* Compiles the embedded rules once (thread-safe). Returns 0 on success. */
int coach_init(void);
const char *coach_name(int id);  /* the id's key, for the API and the CLI */
const char *coach_label(int id); /* the same in plain words, in this thread's language */
int coach_kind_parse(const char *s, size_t n, enum coach_kind *out);
/* Analyses text[0..n), written in lang (a language without rules of its own is read with the
   English ones). Returns 0, or -1 when out of memory. Free with coach_free. */
int coach_analyze(const char *text, size_t n, enum coach_kind kind, int lang, coach_result *r);
void coach_free(coach_result *r);
/* The kind, components, patterns (with spans, their text and why) and a summary, as JSON. */
void coach_json(const coach_result *r, const char *text, sb_t *out);
/* One kind sentence that sums up the result, in this thread's language. */
void coach_summary(const coach_result *r, sb_t *out);
const char *coach_why(int id); /* why a finding matters, in this thread's language */

#endif
