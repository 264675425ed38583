/* libFuzzer target: the text rules (UTF-8 counting, names, passwords, invite codes) on raw
   bytes, and the HTML and JSON escapers, which must never emit a raw < or ". */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/secret.h"
#include "core/validate.h"
#include "util/sb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  utf8_count(s, size, 0);
  utf8_count(s, size, 1);
  size_t a, b;
  validate_display_name(s, size, &a, &b);
  char code[INVITE_CHARS + 1];
  secret_invite_normalize(s, size, code);
  sb_t sb;
  sb_init(&sb, 16);
  sb_esc_html(&sb, s, size);
  for (size_t i = 0; i < sb.len; i++)
    if (sb.buf[i] == '<' || sb.buf[i] == '"' || sb.buf[i] == '\'' || sb.buf[i] == 0) __builtin_trap();
  sb_reset(&sb);
  sb_esc_json(&sb, s, size);
  for (size_t i = 0; i < sb.len; i++)
    if ((unsigned char)sb.buf[i] < 0x20 || sb.buf[i] == '<') __builtin_trap();
  sb_free(&sb);
  return 0;
}
