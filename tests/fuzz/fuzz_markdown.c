/* libFuzzer target: Markdown rendering (cmark, safe mode) on raw bytes. Whatever comes in,
   the HTML out has only the tags cmark makes for Markdown, no script links and no event
   handler attributes, no NUL byte. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "core/markdown.h"

static const char *const tags[] = {"p", "em", "strong", "a", "img", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h2",
                                   "h3", "h4", "h5", "h6", "hr", "br", "!--", NULL};

static int allowed(const char *s, size_t n) {
  for (int i = 0; tags[i]; i++) {
    size_t k = strlen(tags[i]);
    if (k <= n && !memcmp(s, tags[i], k) && (k == n || s[k] == ' ' || s[k] == '>' || s[k] == '/' || !strcmp(tags[i], "!--")))
      return 1;
  }
  return 0;
}

static const char *const attrs[] = {"href", "src", "alt", "title", "class", "start", NULL};

/* Walks a tag's attributes from p (after its name) to its '>': each one of cmark's own
   names with a quoted value, and no link to a script. Returns 0 when something else is there. */
static int attributes_ok(const char *p, const char *end) {
  for (;;) {
    while (p < end && *p == ' ') p++;
    if (p >= end || *p == '/' ) return 1;
    const char *name = p;
    while (p < end && *p != '=' && *p != ' ' && *p != '/') p++;
    size_t n = (size_t)(p - name);
    int known = 0;
    for (int i = 0; attrs[i]; i++) known |= strlen(attrs[i]) == n && !memcmp(attrs[i], name, n);
    if (!known || p >= end || *p != '=' || p + 1 >= end || p[1] != '"') return 0;
    const char *v = p + 2, *q = memchr(v, '"', (size_t)(end - v));
    if (!q) return 0;
    int link = (n == 4 && !memcmp(name, "href", 4)) || (n == 3 && !memcmp(name, "src", 3));
    if (link && (size_t)(q - v) >= 11 && !strncasecmp(v, "javascript:", 11)) return 0;
    p = q + 1;
  }
}

/* Text never holds a raw '<' (cmark escapes it), so every '<' opens a tag of cmark's own. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sb_t out;
  sb_init(&out, 64);
  if (markdown_html(&out, (const char *)data, size) != 0) __builtin_trap();
  for (size_t i = 0; i < out.len; i++) {
    if (out.buf[i] == 0) __builtin_trap();
    if (out.buf[i] != '<') continue;
    size_t j = i + 1;
    if (j < out.len && out.buf[j] == '/') j++;
    if (!allowed(out.buf + j, out.len - j)) __builtin_trap();
    if (!strncmp(out.buf + j, "!--", 3)) continue;
    const char *name_end = out.buf + j, *end = memchr(out.buf + j, '>', out.len - j);
    if (!end) __builtin_trap();
    while (name_end < end && *name_end != ' ' && *name_end != '/') name_end++;
    if (!attributes_ok(name_end, end)) __builtin_trap();
  }
  sb_free(&out);
  return 0;
}
