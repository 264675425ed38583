/* talk_rules.c: see talk_rules.h. */
#include "talk_rules.h"
#include <string.h>

static const char *const names[] = {"say", "heard", "yes", "correct"};

int tk_step_parse(const char *s, size_t n, enum tk_step *out) {
  for (int i = 0; i < 4; i++)
    if (strlen(names[i]) == n && !memcmp(s, names[i], n)) { *out = (enum tk_step)i; return 0; }
  return -1;
}

const char *tk_step_name(enum tk_step s) { return s < TK_NONE ? names[s] : NULL; }

int tk_next(enum tk_step last, enum tk_step out[2]) {
  switch (last) {
    case TK_SAY: case TK_CORRECT: out[0] = TK_HEARD; return 1;
    case TK_HEARD: out[0] = TK_YES; out[1] = TK_CORRECT; return 2;
    case TK_YES: case TK_NONE: out[0] = TK_SAY; return 1;
  }
  return 0;
}

verdict tk_can_step(int closed, enum tk_step last, int mine_last, int first, enum tk_step want, int written, size_t text_len) {
  if (closed) return (verdict){409, "closed", N_("This talk has ended; start a new one to go on."), NULL};
  int mine = last == TK_NONE ? first : !mine_last;
  if (!mine) return (verdict){403, "not_your_turn", N_("It is your partner's turn: listen, and wait for them."), NULL};
  enum tk_step next[2];
  int n = tk_next(last, next), ok = 0;
  for (int i = 0; i < n; i++) ok |= next[i] == want;
  if (!ok) {
    if (next[0] == TK_SAY) return (verdict){422, "invalid", N_("Now is the time to say what you want heard (\"say\")."), "kind"};
    if (next[0] == TK_HEARD) return (verdict){422, "invalid", N_("First say back what you heard (\"heard\")."), "kind"};
    return (verdict){422, "invalid", N_("Say whether that is it (\"yes\") or what you meant (\"correct\")."), "kind"};
  }
  if (written && want != TK_YES && text_len == 0)
    return (verdict){422, "invalid", want == TK_SAY ? "Write what you want your partner to hear."
                                  : want == TK_HEARD ? "Write back what you heard, in your own words."
                                                     : "Write what you meant.", "text"};
  return VERDICT_OK;
}
