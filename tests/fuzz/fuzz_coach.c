/* libFuzzer target: the coach on any bytes, in each language's rules: spans stay inside the
   text, in order, and the JSON is built without trouble. */
#include <stddef.h>
#include <stdint.h>
#include "core/coach.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > COACH_MAX_TEXT) return 0;
  const char *t = (const char *)data;
  for (int k = 0; k < 2 * COACH_LANGS; k++) {
    coach_result r;
    if (coach_analyze(t, size, k % 2 ? COACH_MESSAGE : COACH_APOLOGY, k / 2, &r) != 0) __builtin_trap();
    for (int f = 0; f < r.nfindings; f++) {
      if (r.findings[f].start >= r.findings[f].end || r.findings[f].end > size) __builtin_trap();
      if (f && r.findings[f].start < r.findings[f - 1].start) __builtin_trap();
    }
    sb_t o;
    sb_init(&o, 256);
    coach_json(&r, t, &o);
    sb_free(&o);
    coach_free(&r);
  }
  return 0;
}
