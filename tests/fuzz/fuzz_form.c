/* libFuzzer target: URL and form decoding (query strings and form bodies). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  char out[256];
  long n = url_decode(s, size, out, sizeof out, 1);
  if (n >= 0 && (size_t)n >= sizeof out) __builtin_trap();
  if (n >= 0 && out[n] != 0) __builtin_trap();
  static const char *names[] = {"csrf", "username", "password", "code", "display_name", "", "a"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    long m = form_get(s, size, names[i], out, sizeof out);
    if (m >= (long)sizeof out) __builtin_trap();
  }
  return 0;
}
