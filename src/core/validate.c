/* validate.c: input rules for accounts (usernames, passwords, display names). */
#include "validate.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

long utf8_count(const char *s, size_t n, int multiline) {
  const unsigned char *p = (const unsigned char *)s;
  long count = 0;
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) { len = 1; cp = c; }
    else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return -1;
    if (i + len > n) return -1;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return -1;
      cp = cp << 6 | (p[i + k] & 0x3F);
    }
    /* overlong forms, surrogates and values past Unicode are not text */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return -1;
    if (cp < 0x20 || cp == 0x7F) {
      if (!(multiline && (cp == '\n' || cp == '\t' || cp == '\r'))) return -1;
    }
    i += len;
    count++;
  }
  return count;
}

const char *validate_username(const char *s, size_t n, char *out) {
  if (n < USERNAME_MIN || n > USERNAME_MAX)
    return N_("Choose a username of 3 to 32 characters.");
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'));
    if (!ok) return N_("A username may use letters a to z, digits, and . _ - (not first).");
    out[i] = c;
  }
  out[n] = 0;
  return NULL;
}

const char *validate_password(const char *s, size_t n) {
  if (n > PASSWORD_MAX_BYTES) return N_("That password is too long (at most 1024 bytes).");
  long chars = utf8_count(s, n, 0);
  if (chars < 0) return N_("The password contains characters that cannot be used.");
  if (chars < PASSWORD_MIN) return N_("Choose a password of at least 10 characters.");
  return NULL;
}

const char *validate_display_name(const char *s, size_t n, size_t *start, size_t *len) {
  size_t a = 0, b = n;
  while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
  *start = a;
  *len = b - a;
  long chars = utf8_count(s + a, b - a, 0);
  if (chars < 0) return N_("The name contains characters that cannot be used.");
  if (chars == 0) return N_("Tell us the name your partner knows you by.");
  if (chars > DISPLAY_NAME_MAX) return N_("Keep the name to 60 characters or fewer.");
  return NULL;
}

const char *validate_text(const char *s, size_t n, long max_chars, int required) {
  size_t k = 0;
  while (k < n && (s[k] == ' ' || s[k] == '\n' || s[k] == '\r' || s[k] == '\t')) k++;
  if (k == n) return required ? N_("Please write something here.") : NULL;
  long chars = utf8_count(s, n, 1);
  if (chars < 0) return N_("This text holds characters that cannot be kept.");
  if (chars > max_chars) return N_("This is longer than mend keeps in one piece; please shorten it.");
  return NULL;
}

int one_of(const char *s, size_t n, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (strlen(list[i]) == n && !memcmp(list[i], s, n)) return i;
  return -1;
}

size_t utf8_cut(const char *s, size_t max) {
  size_t n = strnlen(s, max + 1);
  if (n <= max) return n;
  n = max;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

size_t utf8_format(char *out, size_t cap, const char *fmt, ...) {
  if (!cap) return 0;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out, cap, fmt, ap);
  va_end(ap);
  if (n < 0) { out[0] = 0; return 0; }
  if ((size_t)n < cap) return (size_t)n;
  /* too long: keep whole characters and room for "…" (3 bytes) */
  size_t keep = cap > 4 ? cap - 4 : 0;
  keep = utf8_cut(out, keep);
  if (cap > 4) { memcpy(out + keep, "\xe2\x80\xa6", 3); keep += 3; }
  out[keep] = 0;
  return keep;
}

verdict refuse_field(const char *field, const char *message) { return (verdict){422, "invalid", message, field}; }

verdict check_text(const char *field, const char *s, size_t n, int bad, long max_chars, int required) {
  if (bad) return refuse_field(field, N_("This must be text."));
  const char *m = validate_text(s ? s : "", s ? n : 0, max_chars, required);
  return m ? refuse_field(field, m) : VERDICT_OK;
}

int email_ok(const char *a, size_t n) {
  const char *at = memchr(a, '@', n);
  if (n < 3 || n > EMAIL_MAX || !at || at == a || at == a + n - 1 || memchr(at + 1, '@', n - (size_t)(at - a) - 1)) return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)a[i] <= ' ' || strchr("<>\"(),;:\\[]", a[i]) || (unsigned char)a[i] == 0x7f) return 0;
  return memchr(at, '.', n - (size_t)(at - a)) != NULL;
}
