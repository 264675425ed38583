/* parse.c: form, query and cookie decoding. */
#include "parse.h"
#include <string.h>

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

long url_decode(const char *s, size_t n, char *out, size_t cap, int plus) {
  size_t o = 0;
  if (!cap) return -1;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= n) return -1;
      int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
      if (h < 0 || l < 0) return -1;
      c = (char)(h << 4 | l);
      i += 2;
    } else if (c == '+' && plus) {
      c = ' ';
    }
    if (o + 1 >= cap) return -1;
    out[o++] = c;
  }
  out[o] = 0;
  return (long)o;
}

long form_get(const char *body, size_t n, const char *name, char *out, size_t cap) {
  size_t nl = strlen(name), i = 0;
  while (i < n) {
    size_t end = i;
    while (end < n && body[end] != '&') end++;
    size_t eq = i;
    while (eq < end && body[eq] != '=') eq++;
    if (eq - i == nl && !memcmp(body + i, name, nl)) {
      if (eq == end) { if (cap) out[0] = 0; return cap ? 0 : -1; }
      return url_decode(body + eq + 1, end - eq - 1, out, cap, 1);
    }
    i = end + 1;
  }
  return -1;
}

int cookie_get(const char *hdr, size_t n, const char *name, const char **val, size_t *vlen) {
  size_t nl = strlen(name), i = 0;
  while (i < n) {
    while (i < n && (hdr[i] == ' ' || hdr[i] == ';' || hdr[i] == '\t')) i++;
    size_t end = i;
    while (end < n && hdr[end] != ';') end++;
    size_t eq = i;
    while (eq < end && hdr[eq] != '=') eq++;
    if (eq < end && eq - i == nl && !memcmp(hdr + i, name, nl)) {
      size_t a = eq + 1, b = end;
      while (b > a && (hdr[b - 1] == ' ' || hdr[b - 1] == '\t')) b--;
      if (b - a >= 2 && hdr[a] == '"' && hdr[b - 1] == '"') { a++; b--; }
      *val = hdr + a;
      *vlen = b - a;
      return 1;
    }
    i = end + 1;
  }
  return 0;
}
