/* markdown.c: cmark renders; its default (safe) mode replaces raw HTML with a comment and
   drops javascript:, vbscript:, file: and most data: links, so the output needs no second
   escaping. Bytes that are not UTF-8 are replaced rather than passed on. */
#include "markdown.h"
#include <cmark.h>
#include <stdlib.h>
#include <string.h>

int markdown_html(sb_t *out, const char *md, size_t n) {
  char *html = cmark_markdown_to_html(md, n, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART);
  if (!html) return -1;
  sb_put(out, html, strlen(html));
  free(html);
  return 0;
}
