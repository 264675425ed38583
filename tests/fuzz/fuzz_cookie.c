/* libFuzzer target: Cookie header parsing. */
#include <stddef.h>
#include <stdint.h>
#include "core/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data, *v;
  size_t n;
  static const char *names[] = {"mend_session", "mend_csrf", "a", ""};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (cookie_get(s, size, names[i], &v, &n)) {
      /* the value always lies inside the header */
      if (v < s || v + n > s + size) __builtin_trap();
    }
  }
  return 0;
}
