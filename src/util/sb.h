/* sb.h: the one string builder. Every byte mend writes into HTML or JSON goes through
   sb_html()/sb_json(), whose %s escapes for that context, so forgetting to escape is not
   possible by accident; %r writes trusted text (our own literals) unchanged. */
#ifndef MEND_SB_H
#define MEND_SB_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  char *buf;
  size_t len, cap; /* growing past memory aborts the process: nothing is ever cut short */
} sb_t;

void sb_init(sb_t *sb, size_t cap);
void sb_free(sb_t *sb);
void sb_reset(sb_t *sb);
void sb_put(sb_t *sb, const char *s, size_t n);
void sb_puts(sb_t *sb, const char *s);
void sb_putc(sb_t *sb, char c);

/* Escapers, also usable alone. Each appends the escaped form of s[0..n). */
void sb_esc_html(sb_t *sb, const char *s, size_t n);   /* text and quoted attributes */
void sb_esc_json(sb_t *sb, const char *s, size_t n);   /* inside a JSON string, no quotes */
void sb_esc_url(sb_t *sb, const char *s, size_t n);    /* a URL query value or path segment */

/* Formatters. Letters: %s string escaped for the context (NULL writes nothing),
   %.*s length-limited escaped string, %r raw trusted string, %d int, %u unsigned,
   %D int64_t, %q JSON: a quoted escaped string or null; %%. */
void sb_html(sb_t *sb, const char *fmt, ...);
void sb_json(sb_t *sb, const char *fmt, ...);
/* sb_html's format and sb_text's text are our own words, in the reader's language: each is
   looked up in this thread's catalogue (util/i18n.h), sb_json's format never is. */
void sb_text(sb_t *sb, const char *text);
/* sb_html with the format in the plural form that fits n, in the reader's language (one and
   other: the English singular and plural; their conversions alike). */
void sb_plural(sb_t *sb, long n, const char *one, const char *other, ...);
/* sb_html for a format without words (markup and conversions only): nothing to look up. */
void sb_markup(sb_t *sb, const char *fmt, ...);
void sb_vfmt(sb_t *sb, void (*esc)(sb_t *, const char *, size_t), const char *fmt, va_list ap);

#endif
