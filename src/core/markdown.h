/* markdown.h: Markdown to HTML through cmark, with raw HTML and unsafe links dropped. */
#ifndef MEND_MARKDOWN_H
#define MEND_MARKDOWN_H
#include <stddef.h>
#include "util/sb.h"

/* Appends the HTML of md to out. Returns 0, or -1 when out of memory. */
int markdown_html(sb_t *out, const char *md, size_t n);

#endif
