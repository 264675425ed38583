/* sb.c: growable string buffer with context-aware escaping formatters. */
#include "sb.h"
#include "i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A page cut short must never go out as complete: without memory the process stops, as h2o's
   own allocator does, and its supervisor starts it again. */
static void out_of_memory(void) {
  fputs("mend: out of memory\n", stderr);
  abort();
}

void sb_init(sb_t *sb, size_t cap) {
  sb->len = 0;
  sb->cap = cap ? cap : 256;
  sb->buf = malloc(sb->cap);
  if (!sb->buf) out_of_memory();
  sb->buf[0] = 0;
}

void sb_free(sb_t *sb) {
  free(sb->buf);
  sb->buf = NULL;
  sb->len = sb->cap = 0;
}

void sb_reset(sb_t *sb) { sb->len = 0; }

static int sb_grow(sb_t *sb, size_t need) {
  if (sb->len + need + 1 <= sb->cap) return 1;
  size_t cap = sb->cap ? sb->cap : 256;
  while (cap < sb->len + need + 1) cap *= 2;
  char *p = realloc(sb->buf, cap);
  if (!p) out_of_memory();
  sb->buf = p;
  sb->cap = cap;
  return 1;
}

void sb_put(sb_t *sb, const char *s, size_t n) {
  if (!n || !sb_grow(sb, n)) return;
  memcpy(sb->buf + sb->len, s, n);
  sb->len += n;
  sb->buf[sb->len] = 0;
}

void sb_puts(sb_t *sb, const char *s) { if (s) sb_put(sb, s, strlen(s)); }
void sb_putc(sb_t *sb, char c) { sb_put(sb, &c, 1); }

/* The bytes HTML text and attributes must not hold as they are: a table, since every
   page's every value passes through here. */
static const unsigned char html_special[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, [0] = 1};

void sb_esc_html(sb_t *sb, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    if (!html_special[(unsigned char)s[i]]) continue;
    const char *rep;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: rep = "\xEF\xBF\xBD"; break; /* NUL is never valid in HTML text */
    }
    sb_put(sb, s + run, i - run);
    sb_puts(sb, rep);
    run = i + 1;
  }
  sb_put(sb, s + run, n - run);
}

void sb_esc_json(sb_t *sb, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char tmp[7];
    const char *rep = NULL;
    if (c == '"') rep = "\\\"";
    else if (c == '\\') rep = "\\\\";
    else if (c == '\n') rep = "\\n";
    else if (c == '\r') rep = "\\r";
    else if (c == '\t') rep = "\\t";
    else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      /* < > & as \u escapes so JSON is also safe if ever embedded in HTML */
      tmp[0] = '\\'; tmp[1] = 'u'; tmp[2] = '0'; tmp[3] = '0';
      tmp[4] = hex[c >> 4]; tmp[5] = hex[c & 15]; tmp[6] = 0;
      rep = tmp;
    } else continue;
    sb_put(sb, s + run, i - run);
    sb_puts(sb, rep);
    run = i + 1;
  }
  sb_put(sb, s + run, n - run);
}

void sb_esc_url(sb_t *sb, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~') {
      sb_putc(sb, (char)c);
    } else {
      char t[3] = {'%', hex[c >> 4], hex[c & 15]};
      sb_put(sb, t, 3);
    }
  }
}

/* Decimal formatting without printf: these run for every number on the hot path. */
static void put_u64(sb_t *sb, uint64_t v, int neg) {
  char b[24];
  int i = sizeof b;
  do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
  if (neg) b[--i] = '-';
  sb_put(sb, b + i, sizeof b - (size_t)i);
}
static void put_i64(sb_t *sb, int64_t v) {
  if (v < 0) put_u64(sb, (uint64_t)0 - (uint64_t)v, 1);
  else put_u64(sb, (uint64_t)v, 0);
}

void sb_vfmt(sb_t *sb, void (*esc)(sb_t *, const char *, size_t), const char *fmt, va_list ap) {
  const char *p = fmt, *run = fmt;
  for (;;) {
    p = strchrnul(p, '%'); /* the literal runs between conversions, found a word at a time */
    if (!*p) break;
    sb_put(sb, run, (size_t)(p - run));
    p++;
    switch (*p) {
      case 's': { const char *s = va_arg(ap, const char *); if (s) esc(sb, s, strlen(s)); break; }
      case '.':
        if (p[1] == '*' && p[2] == 's') {
          int n = va_arg(ap, int);
          const char *s = va_arg(ap, const char *);
          if (s && n > 0) esc(sb, s, (size_t)n);
          p += 2;
        }
        break;
      case 'r': sb_puts(sb, va_arg(ap, const char *)); break;
      case 'q': {
        const char *s = va_arg(ap, const char *);
        if (!s) { sb_puts(sb, "null"); break; }
        sb_putc(sb, '"'); sb_esc_json(sb, s, strlen(s)); sb_putc(sb, '"');
        break;
      }
      case 'd': put_i64(sb, va_arg(ap, int)); break;
      case 'u': put_u64(sb, va_arg(ap, unsigned), 0); break;
      case 'D': put_i64(sb, va_arg(ap, int64_t)); break;
      case '%': sb_putc(sb, '%'); break;
      default: sb_putc(sb, '%'); if (*p) sb_putc(sb, *p); break; /* unknown letter: written as is */
    }
    if (*p) p++;
    run = p;
  }
  sb_put(sb, run, (size_t)(p - run));
}

void sb_html(sb_t *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* a page's words are in the reader's language: the format is the catalogue's key */
  sb_vfmt(sb, sb_esc_html, i18n_gettext(fmt), ap);
  va_end(ap);
}

void sb_plural(sb_t *sb, long n, const char *one, const char *other, ...) {
  va_list ap;
  va_start(ap, other);
  sb_vfmt(sb, sb_esc_html, i18n_ngettext(one, other, n), ap);
  va_end(ap);
}

void sb_markup(sb_t *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vfmt(sb, sb_esc_html, fmt, ap);
  va_end(ap);
}

void sb_json(sb_t *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vfmt(sb, sb_esc_json, fmt, ap);
  va_end(ap);
}

void sb_text(sb_t *sb, const char *text) { sb_puts(sb, i18n_gettext(text)); }
