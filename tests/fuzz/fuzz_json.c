/* libFuzzer target: JSON request bodies as the API reads them: parse an object, take its
   string members, and run them through the account rules. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/secret.h"
#include "core/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_error_t err;
  json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
  if (!j) return 0;
  if (json_is_object(j)) {
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
      if (!json_is_string(v)) continue;
      const char *s = json_string_value(v);
      size_t n = json_string_length(v), a, b;
      char uname[USERNAME_MAX + 1], code[INVITE_CHARS + 1];
      if (n <= USERNAME_MAX) validate_username(s, n, uname);
      validate_password(s, n);
      validate_display_name(s, n, &a, &b);
      if (a + b > n) __builtin_trap();
      secret_invite_normalize(s, n, code);
    }
  }
  json_decref(j);
  return 0;
}
