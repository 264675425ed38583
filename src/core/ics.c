/* ics.c: iCalendar content lines. */
#include "ics.h"
#include <stdio.h>
#include "commitments.h"
#include "days.h"
#include <string.h>

/* Folds one logical line: after 75 octets a CRLF and a space, never inside a UTF-8 sequence. */
static void fold(sb_t *o, const char *s, size_t n) {
  size_t col = 0;
  for (size_t i = 0; i < n;) {
    size_t len = 1;
    unsigned char c = (unsigned char)s[i];
    if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
    if (i + len > n) len = n - i;
    if (col + len > 75) { sb_put(o, "\r\n ", 3); col = 1; }
    sb_put(o, s + i, len);
    col += len;
    i += len;
  }
  sb_put(o, "\r\n", 2);
}

void ics_line(sb_t *o, const char *name, const char *value, int text) {
  sb_t line;
  sb_init(&line, 128);
  sb_puts(&line, name);
  sb_putc(&line, ':');
  for (const char *p = value; p && *p; p++) {
    if (text && (*p == '\\' || *p == ';' || *p == ',')) { sb_putc(&line, '\\'); sb_putc(&line, *p); }
    else if (text && *p == '\n') sb_puts(&line, "\\n");
    else if (*p == '\r') continue;
    else sb_putc(&line, *p);
  }
  fold(o, line.buf, line.len);
  sb_free(&line);
}

void ics_utc(int64_t t, char out[17]) {
  char iso[ISO_TIME_CHARS];
  iso_time(t, iso); /* 2026-11-29T18:30:00Z */
  const char *src = iso;
  int o = 0;
  for (; *src && o < 16; src++)
    if (*src != '-' && *src != ':') out[o++] = *src;
  out[o] = 0;
}

void ics_date(int64_t day, char out[9]) {
  char d[DAY_CHARS];
  day_format(day, d);
  int o = 0;
  for (int i = 0; i < 10; i++) if (d[i] != '-') out[o++] = d[i];
  out[o] = 0;
}

void ics_local(int64_t t, char out[16]) {
  char utc[17];
  ics_utc(t, utc); /* the same digits, without the Z of UTC */
  memcpy(out, utc, 15);
  out[15] = 0;
}

void ics_offset(int seconds, char out[8]) {
  int a = seconds < 0 ? -seconds : seconds;
  if (a % 60) snprintf(out, 8, "%c%02d%02d%02d", seconds < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60, a % 60);
  else snprintf(out, 8, "%c%02d%02d", seconds < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}
