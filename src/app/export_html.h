/* export_html.h (app): a partner's export (db/export.h, mend-export/2) as one readable HTML
   file: what the couple wrote, tool by tool, oldest first, with who wrote it and when. The
   same rows as the JSON beside it; the technical ones (the ledger's hashes, ids) left out. */
#ifndef MEND_APP_EXPORT_HTML_H
#define MEND_APP_EXPORT_HTML_H
#include <stddef.h>
#include "util/sb.h"

/* Renders the export document json (n bytes) into out: 0, or -1 when it is not one. */
int app_export_html(const char *json, size_t n, sb_t *out);

#endif
